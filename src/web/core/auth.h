/* auth.h — who is asking (session cookie or API bearer token), whether the route table lets
 * them, and the CSRF tokens of forms. The checks run in router_dispatch, before any handler. */
#ifndef WEB_AUTH_H
#define WEB_AUTH_H

#include <stdbool.h>

#include "web/http/http.h"
#include "web/core/router.h"

enum { AUTH_COOKIE_SESSION_MAX = 64 };

/* Sets req->session / req->account from the session cookie or the bearer token, if valid. */
void auth_identify(struct req *req);
/* The same, at a data generation (store_generation): a bearer token or a session already
 * looked up in it is not looked up again (a session only while it needs no touch). */
void auth_identify_at(struct req *req, unsigned long long generation);
/* Applies the route's role and scope to the request: 0 when allowed; otherwise the answer
 * (redirect to /login, 401, 403 or 404) is already in res and its status is returned. */
int auth_check(struct req *req, struct res *res, const struct route *r);
/* Checks the form's "csrf" field against the session's token (or, before login, the
 * pre-session cookie): 0 when it matches, else a 403 answer is in res. */
int auth_check_csrf(struct req *req, struct res *res);
/* The CSRF token to put in a form's hidden "csrf" field; before login it sets the
 * pre-session cookie when the browser has none. */
const char *auth_form_token(struct req *req, struct res *res);
/* True when the request's account could use a route needing role `need` on a record of
 * contract_id (carried: its organisation carries the action), by the same rule as auth_check;
 * for showing "Modifier" links and forms only to those who may use them. */
bool auth_may(const struct req *req, enum role need, long long contract_id, bool carried);
/* The region the request's account reads side by side: its INSEE code, -1 for an administrator
 * (every region), 0 for anyone else. */
long long auth_region(const struct req *req);
/* True when the request may read the non-public parts (remarks, people) of a contract. */
bool auth_sees_private(const struct req *req, long long contract_id);
/* Cookie headers for a new session / for logging out. */
void auth_set_session_cookie(struct req *req, struct res *res, const char *token);
void auth_clear_session_cookie(struct req *req, struct res *res);

#endif
