/* user.c — `boussole user add|passwd|list|token`: accounts from the command line (the first admin,
 * scripted set-ups). Passwords come on standard input, never as arguments (ps would show them). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/secret.h"
#include "base/str.h"
#include "model/account/account.h"
#include "model/core/contract.h"
#include "model/core/organisation.h"
#include "model/core/access.h"
#include "model/region/region.h"
#include "store/db.h"
#include "web/core/config.h"
#include "web/core/handlers.h"
#include "web/core/mailer.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: boussole user add --db FILE --email E --name N --role ROLE [--contract ID]\n"
    "                         [--organisation ID] (--password-stdin | --invite)\n"
    "       boussole user add --db FILE --email E --name N --region CODE --password-stdin\n"
    "       boussole user passwd --db FILE --email E --password-stdin\n"
    "       boussole user list --db FILE\n"
    "       boussole user token --db FILE --email E --name N\n"
    "\n"
    "ROLE is admin, coordinator, carrier, referent or signatory. A carrier needs --organisation\n"
    "(the organisation whose actions it updates). --contract ties the account to one contract;\n"
    "every role but admin needs it.\n"
    "--region CODE creates an ARS officer's account (role signatory, no contract) that reads\n"
    "the regional view of that region (INSEE code: 44 for Grand Est) and nothing private.\n"
    "--password-stdin reads the password from the first line of standard input (at least 14\n"
    "characters). --invite e-mails a single-use link instead (--base-url for the link): it is\n"
    "queued in the database and sent at once with --smtp URL (and --mail-from), otherwise by\n"
    "the running server.\n"
    "token creates an API bearer token named N for the account and prints it once on standard\n"
    "output (scripts, tests); it is revoked on the account page like any other.\n";

/* Reads one line of standard input without its line end. */
static int read_password(char *out, size_t cap)
{
    if (!fgets(out, (int)cap, stdin))
        return ERR_INVALID;
    out[strcspn(out, "\r\n")] = '\0';
    return ERR_OK;
}

static int lower_email(const char *email, char *out, size_t cap)
{
    size_t n = strlen(email);
    const char *at = strchr(email, '@');
    if (n == 0 || n >= cap || !at || at == email || !strchr(at, '.') || strchr(email, ' '))
        return ERR_INVALID;
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ? email[i] + 32 : email[i]);
    return ERR_OK;
}

/* An ARS officer's account: reads the regional view of one region, no contract. */
static int user_add_regional(struct store *db, const char *email, const char *name,
                             const char *region_s, bool from_stdin)
{
    long long region;
    if (str_to_ll(region_s, 1, 999, &region) != ERR_OK)
        return cli_fail("user add: --region %s: expected a region's INSEE code, like 44",
                        region_s);
    if (!from_stdin)
        return cli_fail("user add: --region needs --password-stdin");
    char password[1024], hash[SECRET_HASH_MAX] = "";
    if (read_password(password, sizeof password) != ERR_OK)
        return cli_fail("user add: no password on standard input");
    const char *problem = account_password_problem(password, email);
    if (problem)
        return cli_fail("user add: %s", problem);
    if (secret_hash_password(password, hash) != ERR_OK)
        return cli_fail("user add: cannot hash the password (out of memory)");
    char created[32];
    time_t now = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    long long id = 0;
    int rc = region_account_create(db, email, name, hash, created, region, &id);
    if (rc == ERR_INVALID)
        return cli_fail("user add: --region %s: no such region", region_s);
    if (rc == ERR_CONFLICT)
        return cli_fail("user add: an account with e-mail %s already exists", email);
    if (rc != ERR_OK)
        return cli_fail("user add: %s", store_errmsg(db));
    printf("Account %lld created for %s (signatory reading region %lld).\n", id, email, region);
    return 0;
}

static int user_add(struct store *db, const char *email_in, const char *name, const char *role,
                    const char *contract_s, const char *org_s, const char *region_s,
                    bool from_stdin, bool invite)
{
    char email[256], password[1024];
    if (!email_in || lower_email(email_in, email, sizeof email) != ERR_OK)
        return cli_fail("user add: --email: expected an e-mail address like nom@exemple.fr");
    if (str_blank(name))
        return cli_fail("user add: --name is required");
    if (region_s) {
        if (contract_s || org_s || invite || (role && !str_eq(role, "signatory")))
            return cli_fail("user add: --region goes without --contract, --organisation and "
                            "--invite (the account is a signatory of no contract)");
        return user_add_regional(db, email, name, region_s, from_stdin);
    }
    if (!account_role_valid(role))
        return cli_fail("user add: --role: expected admin, coordinator, carrier, referent or "
                        "signatory");
    if (from_stdin == invite)
        return cli_fail("user add: give exactly one of --password-stdin and --invite");
    struct account a = {.email = email, .name = (char *)name, .role = (char *)role};
    long long v;
    if (contract_s) {
        if (str_to_ll(contract_s, 1, (long long)1e15, &v) != ERR_OK ||
            scope_contract(db, v) != ERR_OK)
            return cli_fail("user add: --contract %s: no such contract", contract_s);
        a.contract_id = v;
    }
    if (org_s) {
        struct arena ar = {0};
        struct organisation o;
        int rc = str_to_ll(org_s, 1, (long long)1e15, &v) == ERR_OK
                     ? organisation_get(db, &ar, v, &o)
                     : ERR_INVALID;
        arena_free(&ar);
        if (rc != ERR_OK)
            return cli_fail("user add: --organisation %s: no such organisation", org_s);
        a.organisation_id = v;
    }
    if (str_eq(role, "carrier") && !a.organisation_id)
        return cli_fail("user add: a carrier needs --organisation ID");
    if (!account_contract_ok(role, a.contract_id))
        return cli_fail("user add: a %s needs --contract ID (only an admin reads every contract)",
                        role);
    char hash[SECRET_HASH_MAX] = "";
    if (from_stdin) {
        if (read_password(password, sizeof password) != ERR_OK)
            return cli_fail("user add: no password on standard input");
        const char *problem = account_password_problem(password, email);
        if (problem)
            return cli_fail("user add: %s", problem);
        if (secret_hash_password(password, hash) != ERR_OK)
            return cli_fail("user add: cannot hash the password (out of memory)");
    }
    long long id = 0;
    /* The account and its invitation are committed together. */
    int rc = store_begin(db);
    if (rc == ERR_OK)
        rc = account_create(db, &a, hash, &id);
    a.id = id;
    if (rc == ERR_OK && invite)
        rc = account_queue_link(db, &a, "invite", (long long)time(NULL));
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK)
        store_rollback(db);
    if (rc == ERR_CONFLICT)
        return cli_fail("user add: an account with e-mail %s already exists", email);
    if (rc != ERR_OK)
        return cli_fail("user add: %s", store_errmsg(db));
    const char *how = "";
    if (invite && mailer_configured()) {
        int sent, failed;
        if (mailer_send_due(db, &sent, &failed) != ERR_OK || failed) {
            fprintf(stderr, "boussole: account %lld created, but the invitation was not sent "
                            "(SMTP %s refused or unreachable); the server retries it\n",
                    id, web_config.smtp_url);
            return 1;
        }
        how = "; invitation sent";
    } else if (invite) {
        how = "; invitation queued: the server sends it once started with --smtp";
    }
    printf("Account %lld created for %s (%s)%s.\n", id, email, role, how);
    return 0;
}

static int user_passwd(struct store *db, const char *email_in)
{
    char email[256], password[1024];
    if (!email_in || lower_email(email_in, email, sizeof email) != ERR_OK)
        return cli_fail("user passwd: --email: expected an e-mail address");
    struct arena ar = {0};
    struct account a;
    int rc = account_find_email(db, &ar, email, &a);
    arena_free(&ar);
    if (rc != ERR_OK)
        return cli_fail("user passwd: no account with e-mail %s", email);
    if (read_password(password, sizeof password) != ERR_OK)
        return cli_fail("user passwd: no password on standard input");
    const char *problem = account_password_problem(password, email);
    if (problem)
        return cli_fail("user passwd: %s", problem);
    char hash[SECRET_HASH_MAX];
    if (secret_hash_password(password, hash) != ERR_OK)
        return cli_fail("user passwd: cannot hash the password (out of memory)");
    rc = store_begin(db);
    if (rc == ERR_OK)
        rc = account_set_password(db, a.id, hash);
    if (rc == ERR_OK)
        rc = session_delete_account(db, a.id);
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK) {
        store_rollback(db);
        return cli_fail("user passwd: %s", store_errmsg(db));
    }
    printf("Password changed for %s; their sessions are closed.\n", email);
    return 0;
}

static int user_token(struct store *db, const char *email_in, const char *name)
{
    char email[256];
    if (!email_in || lower_email(email_in, email, sizeof email) != ERR_OK)
        return cli_fail("user token: --email: expected an e-mail address");
    if (str_blank(name))
        return cli_fail("user token: --name is required (what the token is for)");
    struct arena ar = {0};
    struct account a;
    int rc = account_find_email(db, &ar, email, &a);
    bool disabled = rc == ERR_OK && a.disabled;
    arena_free(&ar);
    if (rc != ERR_OK)
        return cli_fail("user token: no account with e-mail %s", email);
    if (disabled)
        return cli_fail("user token: the account %s is disabled", email);
    char token[SECRET_TOKEN_LEN + 1];
    long long id;
    if (api_token_create(db, a.id, name, token, &id) != ERR_OK)
        return cli_fail("user token: %s", store_errmsg(db));
    printf("%s\n", token);
    return 0;
}

static int user_list(struct store *db)
{
    struct arena ar = {0};
    struct account *list;
    int n;
    if (account_list(db, &ar, &list, &n) != ERR_OK) {
        arena_free(&ar);
        return cli_fail("user list: %s", store_errmsg(db));
    }
    printf("%-6s %-32s %-12s %-9s %-13s %s\n", "id", "email", "role", "contract", "organisation",
           "name");
    for (int i = 0; i < n; i++)
        printf("%-6lld %-32s %-12s %-9lld %-13lld %s%s\n", list[i].id, list[i].email,
               list[i].role, list[i].contract_id, list[i].organisation_id, list[i].name,
               list[i].disabled ? " (disabled)" : "");
    arena_free(&ar);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(usage, stdout);
            return 0;
        }
        return cli_fail("user: expected add, passwd, list or token (see boussole user --help)");
    }
    const char *verb = argv[1];
    const char *db_path = NULL, *email = NULL, *name = NULL, *role = NULL, *contract = NULL,
               *org = NULL, *smtp = NULL, *from = NULL, *base = NULL, *region = NULL;
    bool from_stdin = false, invite = false;
    const struct cli_opt opts[] = {{"db", &db_path, NULL},
                                   {"email", &email, NULL},
                                   {"name", &name, NULL},
                                   {"role", &role, NULL},
                                   {"contract", &contract, NULL},
                                   {"organisation", &org, NULL},
                                   {"password-stdin", NULL, &from_stdin},
                                   {"invite", NULL, &invite},
                                   {"smtp", &smtp, NULL},
                                   {"mail-from", &from, NULL},
                                   {"base-url", &base, NULL},
                                   {"region", &region, NULL},
                                   {0}};
    const char *pos[1];
    int n_pos, rc = cli_parse(argc - 1, argv + 1, opts, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (!db_path)
        return cli_fail("user %s: --db FILE is required", verb);
    if (strcmp(verb, "add") && strcmp(verb, "passwd") && strcmp(verb, "list") &&
        strcmp(verb, "token"))
        return cli_fail("user: unknown action '%s' (expected add, passwd, list or token)", verb);
    if (smtp)
        web_config.smtp_url = smtp;
    if (from)
        web_config.mail_from = from;
    if (base)
        web_config.base_url = base;
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK)
        return cli_fail("%s", err);
    if (strcmp(verb, "add") == 0)
        rc = user_add(db, email, name, role, contract, org, region, from_stdin, invite);
    else if (strcmp(verb, "passwd") == 0)
        rc = user_passwd(db, email);
    else if (strcmp(verb, "token") == 0)
        rc = user_token(db, email, name);
    else
        rc = user_list(db);
    store_close(db);
    return rc;
}
