/* account_pages.c — logging in and out, the account page with API tokens, forgotten passwords
 * and invitations (single-use links queued in the outbox, sent by web/core/mailer.c). Must not
 * contain SQL. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "model/account/account.h"
#include "model/core/outbox.h"
#include "web/core/auth.h"
#include "web/core/config.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hashpool.h"
#include "web/core/mailer.h"
#include "web/http/page.h"
#include "web/core/router.h"

enum {
    RESET_TTL_S = 3600,
    INVITE_TTL_S = 7 * 24 * 3600,
    ADDRESS_FORGET_S = 15 * 60,
    /* Reset requests per hour: per address asked for (known or not, so the limit tells
     * nothing), and per client address. */
    RESET_PER_EMAIL = 5,
    RESET_PER_CLIENT = 20,
};

/* A redirect target sent by the client: a page of this site that a GET route answers, else the
 * home page (never another host, however the address is encoded). */
static const char *safe_next(const char *next)
{
    return router_is_local_get(next) ? next : "/";
}

static int redirect(struct res *res, const char *location)
{
    res->status = 303;
    res_header(res, "Location", location);
    return 303;
}

static void login_form(struct req *req, struct res *res, const char *email, const char *next,
                       const char *error)
{
    struct crumb crumbs[] = {{"Accueil", "/"}, {"Connexion", NULL}};
    page_begin(res, "Connexion", crumbs, 2);
    struct buf *b = &res->body;
    if (error)
        buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%h</p></div>", error);
    if (str_eq(req_query(req, "reset"), "1"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Votre mot de passe est enregistré. "
                    "Connectez-vous avec lui.</p>");
    form_begin(b, "/login", auth_form_token(req, res));
    form_hidden(b, "next", next);
    form_input(b, "email", "email", "Adresse e-mail", email, NULL, NULL, true);
    form_input(b, "password", "password", "Mot de passe", "", NULL, NULL, true);
    form_end(b, "Se connecter");
    buf_puts(b, "<p><a href=\"/password/forgot\">Mot de passe oublié ?</a></p>");
    page_end(res);
}

int login_page(struct req *req, struct res *res)
{
    login_form(req, res, "", safe_next(req_query(req, "next")), NULL);
    return 200;
}

/* The same work whether or not the account exists, so timing does not reveal addresses: the
 * hash checked is the account's, or none (the pool then checks a dummy one). 0 with *ok, or
 * HASHPOOL_PENDING / HASHPOOL_BUSY. */
static int password_matches(struct req *req, const struct account *a, bool found,
                            const char *password, bool *ok)
{
    char *hash = NULL;
    if (found && account_password_hash(req->db, req->arena, a->id, &hash) != ERR_OK)
        hash = NULL;
    bool match = false;
    int rc = hashpool_verify(req, hash, password, &match);
    *ok = rc == ERR_OK && found && hash && *hash && !a->disabled && match;
    return rc;
}

/* The login throttle's keys. Per account: the e-mail as the account is found by (blanks trimmed,
 * ASCII lower case), so "Alice@X" and "alice@x" share one count; it locks the account for a while
 * after 3 failures, wherever they come from. Per address: every failure from one client address
 * on any account, so that spraying many accounts from one address is slowed too; but one address
 * may be a whole hospital or town hall behind NAT (or, without --trusted-proxy, the reverse
 * proxy), so it allows web_config.login_failures_per_address failures before any wait, is
 * forgotten ADDRESS_FORGET_S after its last wait, and a success does not clear it (a success on
 * an attacker's own account must not buy more guesses). A locked account therefore never locks
 * out its neighbours. */
static void throttle_keys(const char *email, const char *addr, char email_key[320],
                          char addr_key[80])
{
    int n = snprintf(email_key, 320, "email:%s", email);
    for (int i = 6; i < n && i < 319; i++)
        if (email_key[i] >= 'A' && email_key[i] <= 'Z')
            email_key[i] = (char)(email_key[i] - 'A' + 'a');
    snprintf(addr_key, 80, "addr:%s", addr ? addr : "?");
}

int login_submit(struct req *req, struct res *res)
{
    const char *email = form_value(req, "email"), *password = req_form(req, "password");
    const char *next = safe_next(req_form(req, "next"));
    if (!password)
        password = "";
    char email_key[320], addr_key[80];
    throttle_keys(email, req->client_addr, email_key, addr_key);
    long long wait_email = 0, wait_addr = 0;
    if (throttle_check(req->db, email_key, req->now, &wait_email) != ERR_OK ||
        throttle_check(req->db, addr_key, req->now, &wait_addr) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    long long wait = wait_email > wait_addr ? wait_email : wait_addr;
    if (wait > 0) {
        log_info("login refused for %s from %s: throttled for %llds", email_key + 6,
                 req->client_addr, wait);
        char msg[200];
        snprintf(msg, sizeof msg, "Trop de tentatives de connexion. Réessayez dans %lld seconde%s.",
                 wait, wait > 1 ? "s" : "");
        login_form(req, res, email, next, msg);
        res->status = 429;
        char *retry = arena_alloc(req->arena, 24);
        snprintf(retry, 24, "%lld", wait);
        res_header(res, "Retry-After", retry);
        return 429;
    }
    struct account a = {0};
    bool found = account_find_email(req->db, req->arena, email, &a) == ERR_OK, ok;
    int checked = password_matches(req, &a, found, password, &ok);
    if (checked == HASHPOOL_PENDING)
        return 0; /* called again once the password is checked */
    if (checked == HASHPOOL_BUSY)
        return hashpool_busy_answer(req, res);
    if (!ok) {
        int failures = 0, ignored = 0;
        if (store_begin(req->db) == ERR_OK) {
            if (throttle_fail(req->db, email_key, req->now, &failures) != ERR_OK ||
                throttle_fail_after(req->db, addr_key, req->now,
                                    web_config.login_failures_per_address, ADDRESS_FORGET_S,
                                    &ignored) != ERR_OK ||
                store_commit(req->db) != ERR_OK)
                store_rollback(req->db);
        }
        log_info("login failure for %s from %s (%d in a row)", email_key + 6, req->client_addr,
                 failures);
        login_form(req, res, email, next, "Adresse e-mail ou mot de passe incorrect.");
        res->status = 401;
        return 401;
    }
    char token[SECRET_TOKEN_LEN + 1], csrf[SECRET_TOKEN_LEN + 1];
    int rc = store_begin(req->db);
    /* A new session on every login: a cookie planted before login is worth nothing after. */
    if (rc == ERR_OK && req->cookie_session)
        rc = session_delete(req->db, req->cookie_session);
    if (rc == ERR_OK)
        rc = throttle_clear(req->db, email_key);
    if (rc == ERR_OK)
        rc = session_create(req->db, a.id, req->now, token, csrf);
    if (rc == ERR_OK)
        rc = store_commit(req->db);
    if (rc != ERR_OK) {
        store_rollback(req->db);
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    }
    log_info("login of account %lld from %s", a.id, req->client_addr);
    auth_set_session_cookie(req, res, token);
    /* A carrier who asked for no page in particular lands on what it has to do. */
    if (str_eq(next, "/") && str_eq(a.role, "carrier"))
        next = "/my/actions";
    return redirect(res, arena_strdup(req->arena, next));
}

int logout_submit(struct req *req, struct res *res)
{
    if (req->cookie_session && session_delete(req->db, req->cookie_session) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    auth_clear_session_cookie(req, res);
    return redirect(res, "/");
}

/* Ends every session of the account and uses up its e-mailed links; with revoke_tokens, its
 * API tokens are revoked too. One transaction. */
static int close_everything(struct store *db, long long account_id, long long now,
                            bool revoke_tokens, int *tokens)
{
    *tokens = 0;
    int rc = store_begin(db);
    if (rc == ERR_OK)
        rc = session_delete_account(db, account_id);
    if (rc == ERR_OK)
        rc = mail_token_revoke_account(db, account_id, now);
    if (rc == ERR_OK && revoke_tokens)
        rc = api_token_revoke_all(db, account_id, tokens);
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK)
        store_rollback(db);
    return rc;
}

int logout_everywhere_submit(struct req *req, struct res *res)
{
    int tokens;
    bool revoke = str_eq(req_form(req, "revoke_tokens"), "1");
    if (close_everything(req->db, req->account->id, req->now, revoke, &tokens) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    log_info("account %lld logged out everywhere (%d API token%s revoked)", req->account->id,
             tokens, tokens > 1 ? "s" : "");
    auth_clear_session_cookie(req, res);
    return redirect(res, "/login");
}

static void account_view(struct req *req, struct res *res, const char *new_token)
{
    const struct account *a = req->account;
    struct crumb crumbs[] = {{"Accueil", "/"}, {"Mon compte", NULL}};
    page_begin(res, "Mon compte", crumbs, 2);
    struct buf *b = &res->body;
    buf_printf(b, "<dl class=\"fields\"><dt>Nom</dt><dd>%h</dd><dt>Adresse e-mail</dt><dd>%h</dd>"
                  "<dt>Rôle</dt><dd>%h</dd></dl>",
               a->name, a->email, account_role_label(a->role));
    buf_puts(b, "<h2>Jetons d'accès à l'API</h2><p>Un jeton permet à un autre logiciel de lire "
                "et d'écrire en votre nom par l'API (<code>Authorization: Bearer …</code>). "
                "Révoquez-le dès qu'il ne sert plus.</p>");
    if (new_token)
        buf_printf(b, "<div class=\"notice\" role=\"status\"><p>Votre nouveau jeton (copiez-le "
                      "maintenant, il ne sera plus affiché) :</p><p><code class=\"token\">%h"
                      "</code></p></div>",
                   new_token);
    struct api_token *tokens;
    int n = 0;
    if (req->session && api_token_list(req->db, req->arena, a->id, &tokens, &n) == ERR_OK && n) {
        buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th>Nom</th><th>Créé le</th>"
                    "<th>État</th><th>Action</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++) {
            buf_printf(b, "<tr><td>%h</td><td>%h</td><td>%s</td><td>", tokens[i].name,
                       tokens[i].created_at, *tokens[i].revoked_at ? "Révoqué" : "Actif");
            if (!*tokens[i].revoked_at) {
                char action[64];
                snprintf(action, sizeof action, "/account/tokens/%lld/revoke", tokens[i].id);
                buf_printf(b, "<form class=\"inline\" method=\"post\" action=\"%h\">", action);
                form_hidden(b, "csrf", req->session->csrf);
                buf_printf(b, "<button type=\"submit\">Révoquer « %h »</button></form>",
                           tokens[i].name);
            }
            buf_puts(b, "</td></tr>");
        }
        buf_puts(b, "</tbody></table></div>");
    }
    if (req->session) {
        form_begin(b, "/account/tokens", req->session->csrf);
        form_input(b, "text", "name", "Nom du jeton", "", "Par exemple : tableur de suivi", NULL,
                   true);
        form_end(b, "Créer un jeton");
        buf_puts(b, "<h2>Sessions</h2>");
        form_begin(b, "/account/logout-all", req->session->csrf);
        buf_puts(b, "<p>Fermez toutes vos sessions, sur tous vos appareils ; les liens de "
                    "changement de mot de passe déjà envoyés ne serviront plus.</p>"
                    "<p><label class=\"check\"><input type=\"checkbox\" name=\"revoke_tokens\" "
                    "value=\"1\"> Révoquer aussi mes jetons d'accès à l'API</label></p>");
        form_end(b, "Se déconnecter partout");
    }
    page_end(res);
}

int account_page(struct req *req, struct res *res)
{
    account_view(req, res, NULL);
    return 200;
}

int account_token_create(struct req *req, struct res *res)
{
    const char *name = form_value(req, "name");
    if (!*name || strlen(name) > 100)
        return page_error(req, res, 422, "Nom manquant",
                          "Donnez au jeton un nom de 1 à 100 caractères.");
    char token[SECRET_TOKEN_LEN + 1];
    long long id;
    if (api_token_create(req->db, req->account->id, name, token, &id) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    account_view(req, res, token);
    return 200;
}

int account_token_revoke(struct req *req, struct res *res)
{
    int rc = api_token_revoke(req->db, req->account->id, req->ids[0]);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Jeton introuvable",
                          "Ce jeton n'existe pas ou n'est pas le vôtre.");
    if (rc != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    return redirect(res, "/account");
}

int account_invite_link(struct store *db, const struct account *a, long long now, char *url,
                        size_t len)
{
    char token[SECRET_TOKEN_LEN + 1];
    int rc = mail_token_create(db, a->id, "invite", now, INVITE_TTL_S, token);
    if (rc == ERR_OK)
        snprintf(url, len, "%s/password/reset?token=%s", web_config.base_url, token);
    return rc;
}

/* The text of a link message into subject and text. */
static void link_message(const struct account *a, bool invite, const char *token,
                         struct buf *subject, struct buf *text)
{
    if (invite) {
        buf_printf(subject, "Boussole : votre compte vous attend");
        buf_printf(text,
                   "Bonjour %s,\n\nUn compte Boussole a été ouvert pour vous (%s).\n"
                   "Choisissez votre mot de passe en suivant ce lien, valable 7 jours et une "
                   "seule fois :\n\n%s/password/reset?token=%s\n\nBoussole\n",
                   a->name, account_role_label(a->role), web_config.base_url, token);
    } else {
        buf_printf(subject, "Boussole : nouveau mot de passe");
        buf_printf(text,
                   "Bonjour %s,\n\nQuelqu'un (vous, sans doute) a demandé à changer le mot de "
                   "passe de votre compte Boussole.\nChoisissez-en un nouveau en suivant ce "
                   "lien, valable une heure et une seule fois :\n\n%s/password/reset?token=%s\n\n"
                   "Si vous n'avez rien demandé, ignorez ce message : rien ne change.\n\n"
                   "Boussole\n",
                   a->name, web_config.base_url, token);
    }
}

int account_queue_link(struct store *db, const struct account *a, const char *purpose,
                       long long now)
{
    char token[SECRET_TOKEN_LEN + 1];
    bool invite = strcmp(purpose, "invite") == 0;
    int rc = mail_token_create(db, a->id, purpose, now, invite ? INVITE_TTL_S : RESET_TTL_S,
                               token);
    if (rc != ERR_OK)
        return rc;
    struct buf text = {0}, subject = {0};
    link_message(a, invite, token, &subject, &text);
    struct outbox_mail m = {.kind = purpose,
                            .account_id = a->id,
                            .contract_id = a->contract_id,
                            .to = a->email,
                            .subject = buf_cstr(&subject),
                            .body = buf_cstr(&text)};
    rc = outbox_add(db, &m, now, NULL);
    buf_free(&text);
    buf_free(&subject);
    return rc;
}

/* What queuing a reset link costs, for an address without an account: the same message is
 * written and inserted, then the insertion is undone (a savepoint), so the answer takes the
 * same time and nothing is sent to an address nobody registered. */
static int queue_nothing(struct store *db, const char *email, long long now)
{
    char token[SECRET_TOKEN_LEN + 1], digest[SECRET_DIGEST_LEN + 1];
    secret_token(token);
    secret_digest(token, digest);
    struct account nobody = {.email = (char *)email, .name = (char *)email};
    struct buf text = {0}, subject = {0};
    link_message(&nobody, false, token, &subject, &text);
    struct outbox_mail m = {.kind = "reset", .to = email, .subject = buf_cstr(&subject),
                            .body = buf_cstr(&text)};
    int rc = store_begin(db);
    if (rc == ERR_OK) {
        rc = outbox_add(db, &m, now, NULL);
        store_rollback(db);
    }
    buf_free(&text);
    buf_free(&subject);
    return rc;
}

static void forgot_form(struct req *req, struct res *res, const char *notice)
{
    struct crumb crumbs[] = {{"Accueil", "/"}, {"Connexion", "/login"},
                             {"Mot de passe oublié", NULL}};
    page_begin(res, "Mot de passe oublié", crumbs, 3);
    struct buf *b = &res->body;
    if (notice)
        buf_printf(b, "<p class=\"notice\" role=\"status\">%h</p>", notice);
    if (!mailer_configured())
        buf_puts(b, "<p class=\"notice\" role=\"note\">L'envoi de courriels n'est pas configuré "
                    "sur ce serveur : aucun lien ne peut vous être envoyé. Demandez à la "
                    "coordination de votre contrat ou à l'administration un nouveau lien "
                    "d'invitation.</p>");
    buf_puts(b, "<p>Indiquez l'adresse e-mail de votre compte : vous recevrez un lien pour "
                "choisir un nouveau mot de passe.</p>");
    form_begin(b, "/password/forgot", auth_form_token(req, res));
    form_input(b, "email", "email", "Adresse e-mail", "", NULL, NULL, true);
    form_end(b, "Recevoir le lien");
    page_end(res);
}

int password_forgot_page(struct req *req, struct res *res)
{
    forgot_form(req, res, NULL);
    return 200;
}

/* Counts this request under the address asked for and the client's address; *throttled when
 * either had too many in the last hour (then nothing is recorded nor sent). */
static int reset_throttle(struct req *req, const char *email, bool *throttled)
{
    char email_key[320], addr_key[80];
    snprintf(email_key, sizeof email_key, "reset-email:%s", email);
    snprintf(addr_key, sizeof addr_key, "reset-addr:%s",
             req->client_addr ? req->client_addr : "?");
    int by_email = 0, by_addr = 0;
    int rc = reset_request_count(req->db, email_key, req->now, &by_email);
    if (rc == ERR_OK)
        rc = reset_request_count(req->db, addr_key, req->now, &by_addr);
    *throttled = by_email >= RESET_PER_EMAIL || by_addr >= RESET_PER_CLIENT;
    if (rc == ERR_OK && !*throttled)
        rc = reset_request_add(req->db, email_key, req->now);
    if (rc == ERR_OK && !*throttled)
        rc = reset_request_add(req->db, addr_key, req->now);
    return rc;
}

int password_forgot_submit(struct req *req, struct res *res)
{
    /* Case-folded like the accounts' addresses, so "Paul@X" and "paul@x" share one limit. */
    char *email = arena_strdup(req->arena, form_value(req, "email"));
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 'a' - 'A');
    struct account a;
    bool throttled = false, known = false;
    int rc = store_begin(req->db);
    if (rc == ERR_OK)
        rc = reset_throttle(req, email, &throttled);
    if (rc == ERR_OK && !throttled) {
        known = account_find_email(req->db, req->arena, email, &a) == ERR_OK && !a.disabled;
        rc = known ? account_queue_link(req->db, &a, "reset", req->now)
                   : queue_nothing(req->db, email, req->now);
    }
    if (rc == ERR_OK)
        rc = store_commit(req->db);
    if (rc != ERR_OK) {
        store_rollback(req->db);
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    }
    if (throttled) {
        log_info("password reset for %s from %s refused: too many requests", email,
                 req->client_addr);
        forgot_form(req, res, "Trop de demandes de lien pour cette adresse ou depuis votre "
                              "connexion : réessayez dans une heure. Le dernier lien reçu "
                              "reste valable une heure.");
        res->status = 429;
        res_header(res, "Retry-After", "3600");
        return 429;
    }
    if (known) {
        log_info("password reset link queued for account %lld", a.id);
        mailer_wake();
    }
    /* The same answer either way: the form must not tell who has an account. */
    forgot_form(req, res, "Si un compte existe pour cette adresse, un message vient de lui être "
                          "envoyé. Le lien reste valable une heure.");
    return 200;
}

static void reset_form(struct req *req, struct res *res, const char *token, const char *error)
{
    struct crumb crumbs[] = {{"Accueil", "/"}, {"Choisir un mot de passe", NULL}};
    page_begin(res, "Choisir un mot de passe", crumbs, 2);
    struct buf *b = &res->body;
    form_begin(b, "/password/reset", auth_form_token(req, res));
    form_hidden(b, "token", token);
    form_input(b, "password", "password", "Nouveau mot de passe", "",
               "Au moins 14 caractères ; une phrase de passe de quatre ou cinq mots convient.",
               error, true);
    buf_puts(b, "<p>Vos sessions ouvertes seront fermées et les autres liens reçus ne serviront "
                "plus.</p><p><label class=\"check\"><input type=\"checkbox\" "
                "name=\"revoke_tokens\" value=\"1\"> Révoquer aussi mes jetons d'accès à "
                "l'API</label></p>");
    form_end(b, "Enregistrer le mot de passe");
    page_end(res);
}

/* Which kind of link a token is; NULL when it is unknown, used or expired. */
static const char *link_purpose(struct req *req, const char *token, long long *account_id)
{
    if (mail_token_peek(req->db, token, "reset", req->now, account_id) == ERR_OK)
        return "reset";
    if (mail_token_peek(req->db, token, "invite", req->now, account_id) == ERR_OK)
        return "invite";
    return NULL;
}

static int link_invalid(struct req *req, struct res *res)
{
    return page_error(req, res, 410, "Lien expiré",
                      "Ce lien a déjà servi ou n'est plus valable. Demandez-en un nouveau depuis "
                      "« Mot de passe oublié ».");
}

int password_reset_page(struct req *req, struct res *res)
{
    const char *token = req_query(req, "token");
    long long account_id;
    if (!token || !link_purpose(req, token, &account_id))
        return link_invalid(req, res);
    reset_form(req, res, token, NULL);
    return 200;
}

int password_reset_submit(struct req *req, struct res *res)
{
    const char *token = form_value(req, "token"), *password = req_form(req, "password");
    long long account_id;
    const char *purpose = link_purpose(req, token, &account_id);
    struct account a;
    if (!purpose || account_get(req->db, req->arena, account_id, &a) != ERR_OK)
        return link_invalid(req, res);
    const char *problem = account_password_problem(password ? password : "", a.email);
    if (problem) {
        reset_form(req, res, token, problem);
        res->status = 422;
        return 422;
    }
    char hash[SECRET_HASH_MAX];
    int hashed = hashpool_hash(req, password, hash);
    if (hashed == HASHPOOL_PENDING)
        return 0; /* called again once the password is hashed */
    if (hashed == HASHPOOL_BUSY)
        return hashpool_busy_answer(req, res);
    if (hashed != ERR_OK)
        return page_error(req, res, 503, "Service indisponible", "Réessayez dans un instant.");
    int tokens = 0;
    int rc = store_begin(req->db);
    if (rc == ERR_OK)
        rc = mail_token_use(req->db, token, purpose, req->now, &account_id);
    if (rc == ERR_OK)
        rc = account_set_password(req->db, account_id, hash);
    /* Whoever reset the password is the one to trust now: every other way in is closed. */
    if (rc == ERR_OK)
        rc = session_delete_account(req->db, account_id);
    if (rc == ERR_OK)
        rc = mail_token_revoke_account(req->db, account_id, req->now);
    if (rc == ERR_OK && str_eq(req_form(req, "revoke_tokens"), "1"))
        rc = api_token_revoke_all(req->db, account_id, &tokens);
    if (rc == ERR_OK)
        rc = store_commit(req->db);
    if (rc != ERR_OK) {
        store_rollback(req->db);
        return rc == ERR_NOTFOUND ? link_invalid(req, res)
                                  : page_error(req, res, 503, "Service indisponible",
                                               "Réessayez dans un instant.");
    }
    log_info("password set for account %lld through a %s link (%d API token%s revoked)",
             account_id, purpose, tokens, tokens > 1 ? "s" : "");
    return redirect(res, "/login?reset=1");
}
