/* server.h — the HTTP server: libmicrohttpd with explicit limits, one database connection per
 * worker thread. */
#ifndef WEB_SERVER_H
#define WEB_SERVER_H

#include "base/err.h"

struct server_config {
    const char *db_path;
    const char *listen; /* "127.0.0.1:8080" or ":8080" */
    int threads;        /* worker threads; 0 = one per core */
    int max_connections; /* open connections at most; 0 = the default (1024) */
    int max_per_address; /* open connections from one address at most; 0 = the default (256) */
    const char *trusted_proxies; /* comma-separated addresses of reverse proxies whose
                                    X-Forwarded-For / X-Real-IP is believed; NULL: none */
};

/* Serves until SIGINT or SIGTERM; returns 0, or a negative enum err with a message on stderr
 * when the server cannot start (bad address, port taken). */
int server_run(const struct server_config *cfg) MUST_CHECK;

/* The time requests and the mailer's tick run at (Unix seconds): the wall clock, or in a debug
 * build the number written in the file BOUSSOLE_TEST_CLOCK names (tests move time forward by
 * writing it instead of sleeping). */
long long server_clock(void);

#endif
