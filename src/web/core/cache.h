/* cache.h — a small in-memory cache of the answers given to visitors without a session: public
 * pages are the same for all of them until the data changes (store_generation). */
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

#endif
