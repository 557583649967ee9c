/* cache.h — in-memory caches of answers until the data changes (store_generation): the answers
 * given to visitors without a session, and the signed-in pages shared by visibility. */
#ifndef WEB_CACHE_H
#define WEB_CACHE_H

#include <stdbool.h>

#include "web/http/http.h"

/* The cache key of a request (path and decoded query), in the arena; NULL when the request must
 * not be cached (not GET/HEAD, carries a cookie or a token). */
char *cache_key(const struct req *req);
/* Fills res with a copy of the cached answer for key made at generation; false on a miss. */
bool cache_get(const char *key, unsigned long long generation, struct res *res);
/* Keeps a copy of res under key when it can be shared (200, no Set-Cookie, not too big). */
void cache_put(const char *key, unsigned long long generation, const struct res *res);

/* Answers the request: a signed-in page of the listed routes from the shared cache of pages by
 * visibility (stitched with the person's own CSRF token and name; header X-Boussole-Cache:
 * shared-hit or shared-miss), an anonymous one from the visitors' cache, or the route rendered;
 * then a 304 when the client's copy is still good. BOUSSOLE_SHARED_CACHE=off in the
 * environment turns the shared cache off. */
void cache_dispatch(struct req *req, struct res *res);

#endif
