/* auth.c — identification, the permission check of the route table, CSRF tokens and cookies.
 * Must not contain per-route exceptions: a route's needs are declared in routes.c.
 * printf-text: prints only HTTP header values (cookies), no markup. */
#include "web/core/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/secret.h"
#include "model/account/account.h"
#include "model/core/access.h"
#include "model/report/survey.h"
#include "web/core/config.h"
#include "web/http/page.h"

struct web_config web_config = {
    .base_url = "http://127.0.0.1:8080",
    .mail_from = "boussole@localhost",
    .session_idle_s = 2 * 3600,
    .session_max_s = 12 * 3600,
    .login_failures_per_address = 100,
};

static const char SESSION_COOKIE[] = "bsl_session";
static const char PRE_COOKIE[] = "bsl_pre";

void auth_identify(struct req *req)
{
    if (req->account)
        return; /* already identified: the shared cache of signed-in pages asks first */
    if (req->bearer) {
        struct account *a = arena_alloc(req->arena, sizeof *a);
        if (api_token_account(req->db, req->arena, req->bearer, a) == ERR_OK)
            req->account = a;
        return;
    }
    if (!req->cookie_session)
        return;
    struct session *s = arena_alloc(req->arena, sizeof *s);
    if (session_find(req->db, req->arena, req->cookie_session, req->now,
                     web_config.session_idle_s, web_config.session_max_s, s) == ERR_OK) {
        req->session = s;
        req->account = &s->account;
    }
}

/* Bearer tokens and session cookies already looked up, by digest, kept while the data is
 * unchanged: revoking a token, logging out, disabling or changing an account are writes, which
 * end the generation. A session is taken from here only while session_find would neither touch
 * it (once a minute) nor find it expired. Saves the queries, and their file locks, on each
 * request of a signed-in person. */
enum { KNOWN_IDENTITIES = 128 };

struct known {
    char digest[SECRET_DIGEST_LEN + 1];
    unsigned long long generation;
    bool session;
    struct session s; /* s.account for both kinds; strings malloc'd */
};

static struct known known_ids[KNOWN_IDENTITIES];
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;

static struct known *known_slot(const char *digest)
{
    unsigned long h = 5381;
    for (const char *p = digest; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return &known_ids[h % KNOWN_IDENTITIES];
}

static void known_free(struct known *k)
{
    free(k->s.csrf);
    free(k->s.account.email);
    free(k->s.account.name);
    free(k->s.account.role);
    free(k->s.account.created_at);
    memset(k, 0, sizeof *k);
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

/* Whether session_find would return this session as it is, without writing. */
static bool session_still_fresh(const struct session *s, long long now)
{
    return now - s->seen_at < 60 && now - s->seen_at <= web_config.session_idle_s &&
           now - s->created_at <= web_config.session_max_s;
}

void auth_identify_at(struct req *req, unsigned long long generation)
{
    const char *credential = req->bearer ? req->bearer : req->cookie_session;
    if (req->account || !credential) {
        auth_identify(req);
        return;
    }
    char digest[SECRET_DIGEST_LEN + 1];
    secret_digest(credential, digest);
    bool session = !req->bearer;
    struct known *k = known_slot(digest);
    pthread_mutex_lock(&known_lock);
    if (k->generation == generation && k->session == session && strcmp(k->digest, digest) == 0 &&
        (!session || session_still_fresh(&k->s, req->now))) {
        struct session *s = arena_alloc(req->arena, sizeof *s);
        *s = k->s;
        s->csrf = arena_strdup(req->arena, k->s.csrf);
        s->account.email = arena_strdup(req->arena, k->s.account.email);
        s->account.name = arena_strdup(req->arena, k->s.account.name);
        s->account.role = arena_strdup(req->arena, k->s.account.role);
        s->account.created_at = arena_strdup(req->arena, k->s.account.created_at);
        req->session = session ? s : NULL;
        req->account = &s->account;
    }
    pthread_mutex_unlock(&known_lock);
    if (req->account)
        return;
    auth_identify(req);
    if (!req->account)
        return;
    struct known fresh = {.generation = generation, .session = session};
    memcpy(fresh.digest, digest, sizeof digest);
    if (session)
        fresh.s = *req->session;
    fresh.s.account = *req->account;
    fresh.s.csrf = dup_or_empty(session ? req->session->csrf : NULL);
    fresh.s.account.email = dup_or_empty(req->account->email);
    fresh.s.account.name = dup_or_empty(req->account->name);
    fresh.s.account.role = dup_or_empty(req->account->role);
    fresh.s.account.created_at = dup_or_empty(req->account->created_at);
    pthread_mutex_lock(&known_lock);
    struct known old = *k;
    *k = fresh;
    pthread_mutex_unlock(&known_lock);
    known_free(&old);
}

static bool is_api(const struct req *req)
{
    return strncmp(req->path, "/api/", 5) == 0;
}

/* Answers a request that needs an account and has none. */
static int need_login(struct req *req, struct res *res)
{
    if (is_api(req) || req->bearer)
        return page_error(req, res, 401, "Connexion nécessaire",
                          "Cette opération demande un jeton d'accès valide (en-tête "
                          "Authorization: Bearer).");
    struct buf loc = {0};
    buf_printf(&loc, "/login?next=%u", req->path);
    res->status = 303;
    res_header(res, "Location", arena_strdup(req->arena, buf_cstr(&loc)));
    buf_free(&loc);
    return 303;
}

/* Only an administrator reads every contract: any other account without a contract (made
 * before that rule) coordinates nothing and sees no contract's private part. */
static bool coordinates(const struct account *a, long long contract_id)
{
    return str_eq(a->role, "coordinator") && a->contract_id &&
           (contract_id <= 0 || a->contract_id == contract_id);
}

/* Finds the contract the route's resource belongs to; -1 when the route has no scope. */
static int resolve_scope(struct req *req, const struct route *r, long long *contract_id,
                         bool *carried)
{
    long long org = req->account ? req->account->organisation_id : 0;
    *carried = false;
    *contract_id = -1;
    if (req->n_ids == 0)
        return ERR_OK;
    switch (r->scope) {
    case SCOPE_NONE: return ERR_OK;
    case SCOPE_CONTRACT:
        *contract_id = req->ids[0];
        return scope_contract(req->db, req->ids[0]);
    case SCOPE_ACTION: return scope_action(req->db, req->ids[0], org, contract_id, carried);
    case SCOPE_OBJECTIVE: return scope_objective(req->db, req->ids[0], contract_id);
    case SCOPE_SIGNATORY: return scope_signatory(req->db, req->ids[0], contract_id);
    case SCOPE_BODY: return scope_body(req->db, req->ids[0], contract_id);
    case SCOPE_MEETING: return scope_meeting(req->db, req->ids[0], contract_id);
    case SCOPE_PERSON: return scope_person(req->db, req->ids[0], contract_id);
    case SCOPE_INDICATOR: return scope_indicator(req->db, req->ids[0], org, contract_id, carried);
    case SCOPE_SURVEY: return scope_survey(req->db, req->ids[0], contract_id);
    case SCOPE_REGION: return scope_region(req->db, req->ids[0]);
    }
    return ERR_OK;
}

/* The permission table's meaning, in one function. */
static bool allowed(const struct account *a, enum role need, long long contract_id, bool carried)
{
    if (str_eq(a->role, "admin"))
        return true;
    if (contract_id > 0 && a->contract_id != contract_id)
        return false; /* an account sees nothing of the contracts it is not tied to */
    switch (need) {
    case ROLE_PUBLIC:
    case ROLE_SIGNED_IN: return true;
    case ROLE_CARRIER:
        return coordinates(a, contract_id) || (str_eq(a->role, "carrier") && carried);
    case ROLE_COORDINATOR: return coordinates(a, contract_id);
    case ROLE_ADMIN:
    case ROLE_REGIONAL: return false; /* a region's reader: see reads_region */
    }
    return false;
}

/* ROLE_REGIONAL: an administrator, or an account whose region (account_region) is the one the
 * route names; an account of a contract reads no region, not even its own contract's. */
static bool reads_region(const struct req *req, long long region_code)
{
    if (str_eq(req->account->role, "admin"))
        return true;
    long long mine;
    return scope_account_region(req->db, req->account->id, &mine) == ERR_OK && mine == region_code;
}

int auth_check(struct req *req, struct res *res, const struct route *r)
{
    if (r->role == ROLE_PUBLIC)
        return 0;
    if (!req->account)
        return need_login(req, res);
    long long contract_id;
    bool carried;
    int rc = resolve_scope(req, r, &contract_id, &carried);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Introuvable", "Cet élément n'existe pas.");
    if (rc != ERR_OK)
        return page_error(req, res, 503, "Service indisponible",
                          "La base de données n'a pas répondu ; réessayez.");
    if (r->role == ROLE_REGIONAL ? reads_region(req, r->scope == SCOPE_REGION ? req->ids[0] : 0)
                                 : allowed(req->account, r->role, contract_id, carried))
        return 0;
    log_info("refused %s %s to account %lld (%s)", req->method, req->path, req->account->id,
             req->account->role);
    return page_error(req, res, 403, "Accès refusé",
                      "Votre compte ne permet pas cette opération. Demandez-la à la "
                      "coordination du contrat.");
}

int auth_check_csrf(struct req *req, struct res *res)
{
    if (req->bearer && req->account)
        return 0; /* a bearer token is not sent by browsers on their own: no CSRF risk */
    const char *sent = req_form(req, "csrf");
    const char *expected = req->session ? req->session->csrf : req->cookie_pre;
    if (sent && expected && *expected && secret_equal(sent, expected))
        return 0;
    log_info("CSRF check failed for %s %s", req->method, req->path);
    return page_error(req, res, 403, "Formulaire expiré",
                      "Ce formulaire n'est plus valide (jeton de sécurité absent ou périmé). "
                      "Rechargez la page et recommencez.");
}

static void set_cookie(struct req *req, struct res *res, const char *name, const char *value,
                       const char *extra)
{
    struct buf b = {0};
    buf_printf(&b, "%s=%s; Path=/; HttpOnly; %s%s", name, value, extra,
               web_config.secure_cookies ? "; Secure" : "");
    res_header(res, "Set-Cookie", arena_strdup(req->arena, buf_cstr(&b)));
    buf_free(&b);
}

const char *auth_form_token(struct req *req, struct res *res)
{
    if (req->session)
        return req->session->csrf;
    if (req->cookie_pre && strlen(req->cookie_pre) == SECRET_TOKEN_LEN)
        return req->cookie_pre;
    char *token = arena_alloc(req->arena, SECRET_TOKEN_LEN + 1);
    secret_token(token);
    set_cookie(req, res, PRE_COOKIE, token, "SameSite=Strict");
    req->cookie_pre = token;
    return token;
}

bool auth_may(const struct req *req, enum role need, long long contract_id, bool carried)
{
    if (need == ROLE_PUBLIC)
        return true;
    return req->account && allowed(req->account, need, contract_id, carried);
}

long long auth_region(const struct req *req)
{
    if (!req->account)
        return 0;
    if (str_eq(req->account->role, "admin"))
        return -1;
    long long code;
    return scope_account_region(req->db, req->account->id, &code) == ERR_OK ? code : 0;
}

bool auth_sees_private(const struct req *req, long long contract_id)
{
    const struct account *a = req->account;
    return a && (str_eq(a->role, "admin") || (a->contract_id && a->contract_id == contract_id));
}

void auth_set_session_cookie(struct req *req, struct res *res, const char *token)
{
    set_cookie(req, res, SESSION_COOKIE, token, "SameSite=Lax");
}

void auth_clear_session_cookie(struct req *req, struct res *res)
{
    set_cookie(req, res, SESSION_COOKIE, "", "SameSite=Lax; Max-Age=0");
}
