/* config.h — settings of the web layer, set once before the server starts, read-only after. */
#ifndef WEB_CONFIG_H
#define WEB_CONFIG_H

#include <stdbool.h>

struct web_config {
    const char *base_url;  /* absolute URL of the site, for links in e-mails */
    const char *smtp_url;  /* "smtp://127.0.0.1:25"; NULL or "" disables e-mail */
    const char *mail_from; /* sender address of e-mails */
    bool secure_cookies;   /* add Secure to cookies (served over TLS, maybe behind a proxy) */
    long long session_idle_s, session_max_s;
    int login_failures_per_address; /* wrong logins from one address before it must wait */
};

extern struct web_config web_config;

#endif
