/* cli.c — what the sub-commands share: option parsing, error lines, writing an output file.
 * Must not know what any option means. */
#include "cli/cli.h"

#include "base/str.h"
#include "store/db.h"
#include "web/core/config.h"
#include "web/http/http.h"
#include "web/core/server.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("boussole: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char **pos, int max_pos,
              int *n_pos, const char *usage)
{
    *n_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        }
        if (strncmp(arg, "--", 2) != 0) {
            if (*n_pos == max_pos) {
                fprintf(stderr, "boussole %s: unexpected argument '%s' (see --help)\n", argv[0],
                        arg);
                return -1;
            }
            pos[(*n_pos)++] = arg;
            continue;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = opts;
        while (o->name && !(strlen(o->name) == name_len && strncmp(o->name, name, name_len) == 0))
            o++;
        if (!o->name) {
            fprintf(stderr, "boussole %s: unknown option '%s' (see --help)\n", argv[0], arg);
            return -1;
        }
        if (!o->value) {
            if (eq) {
                fprintf(stderr, "boussole %s: option --%s takes no value\n", argv[0], o->name);
                return -1;
            }
            *o->flag = true;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            fprintf(stderr, "boussole %s: option --%s needs a value\n", argv[0], o->name);
            return -1;
        }
    }
    return 0;
}

void cli_web_config(const char *listen, const char *base_url, const char *smtp, const char *from,
                    bool secure_cookies)
{
    static char default_base[128];
    if (!base_url) {
        snprintf(default_base, sizeof default_base, "http://%s", listen);
        base_url = default_base;
    }
    web_config.base_url = base_url;
    web_config.smtp_url = smtp;
    if (from)
        web_config.mail_from = from;
    web_config.secure_cookies = secure_cookies;
}

int cli_bad_arg(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "boussole %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

int cli_write_output(const char *cmd, const char *path, const struct buf *data)
{
    const char *bytes = data->p ? data->p : "";
    if (!path || strcmp(path, "-") == 0) {
        size_t n = fwrite(bytes, 1, data->len, stdout);
        return n == data->len && fflush(stdout) == 0 ? 0
                                                     : cli_fail("%s: écriture impossible", cmd);
    }
    struct buf tmp = {0};
    buf_printf(&tmp, "%s.tmp-%d", path, (int)getpid());
    FILE *f = fopen(buf_cstr(&tmp), "wb");
    int ok = f != NULL;
    if (ok)
        ok = fwrite(bytes, 1, data->len, f) == data->len && fflush(f) == 0 &&
             fsync(fileno(f)) == 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    if (ok)
        ok = rename(buf_cstr(&tmp), path) == 0;
    if (!ok)
        remove(buf_cstr(&tmp));
    buf_free(&tmp);
    return ok ? 0 : cli_fail("%s: impossible d'écrire %s", cmd, path);
}

/* True when list is one or more IP addresses separated by commas. */
static bool address_list_valid(const char *list)
{
    for (const char *p = list;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[HTTP_ADDR_LEN];
        unsigned char bin[16];
        if (len == 0 || len >= sizeof one)
            return false;
        memcpy(one, p, len);
        one[len] = '\0';
        if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1)
            return false;
        if (!comma)
            return true;
        p = comma + 1;
    }
}

int cli_serving_apply(const char *cmd, const struct cli_serving *s, struct server_config *cfg)
{
    long long n;
    if (s->max_connections) {
        if (str_to_ll(s->max_connections, 8, 1000000, &n) != ERR_OK)
            return cli_bad_arg(cmd, "--max-connections %s: expected a number from 8 to 1000000",
                               s->max_connections);
        cfg->max_connections = (int)n;
    }
    if (s->max_per_address) {
        if (str_to_ll(s->max_per_address, 1, 1000000, &n) != ERR_OK)
            return cli_bad_arg(cmd, "--max-per-address %s: expected a number from 1 to 1000000",
                               s->max_per_address);
        cfg->max_per_address = (int)n;
    }
    if (s->trusted_proxy) {
        if (!address_list_valid(s->trusted_proxy))
            return cli_bad_arg(cmd, "--trusted-proxy %s: expected IP addresses separated by "
                                    "commas, e.g. 127.0.0.1,::1",
                               s->trusted_proxy);
        cfg->trusted_proxies = s->trusted_proxy;
    }
    if (s->login_failures) {
        if (str_to_ll(s->login_failures, 1, 1000000, &n) != ERR_OK)
            return cli_bad_arg(cmd,
                               "--login-failures-per-address %s: expected a number from 1 to "
                               "1000000",
                               s->login_failures);
        web_config.login_failures_per_address = (int)n;
    }
    return 0;
}

bool cli_db_missing(const char *db_path)
{
    return !store_target_is_postgresql(db_path) && access(db_path, F_OK) != 0;
}
