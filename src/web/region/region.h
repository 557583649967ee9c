/* region.h — the regional view of an ARS (region_pages.c, region_api.c): the handlers routes.c
 * lists, and the reading of a request's filter that the page and the API share. */
#ifndef WEB_REGION_H
#define WEB_REGION_H

#include <stdbool.h>
#include <stddef.h>

#include "model/region/region.h"
#include "web/http/http.h"

/* region_pages.c */
int region_list_page(struct req *req, struct res *res);
int region_page(struct req *req, struct res *res);
int region_contract_page(struct req *req, struct res *res);
/* region_api.c */
int api_region_summary(struct req *req, struct res *res);

/* Reads the query's department and generation (the region is the route's): 0, or the HTTP
 * status of the 400 already answered, in words naming the parameter. */
int region_filter_read(struct req *req, struct res *res, struct region_filter *f);
/* Loads the summary of f: 0, or the HTTP status of the error already answered (400 for a
 * department of another region, 404, 500). */
int region_load(struct req *req, struct res *res, const struct region_filter *f,
                struct region_summary *s);
/* The memo key of an answer of kind ("page", "api") for f this year, in the arena. */
const char *region_memo_key(struct req *req, const struct region_filter *f, const char *kind);

/* region_memo.c: the last few answers, until the data changes. True on a hit: the copy made at
 * generation is appended to out. */
bool region_memo_get(const char *key, unsigned long long generation, struct buf *out);
/* Keeps a copy of data under key (the least recently used one goes). */
void region_memo_put(const char *key, unsigned long long generation, const char *data, size_t len);
/* The process's cache of each contract's figures, for region_summary_load. */
struct region_cache *region_figures_cache(void);
/* Starts counting every region's contracts into that cache on a thread of its own, so that the
 * first regional view after a start reads only what was written since (db_path must live until
 * region_warm_stop, which waits for the thread). */
void region_warm_start(const char *db_path);
void region_warm_stop(void);

#endif
