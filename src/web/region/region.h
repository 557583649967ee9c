/* region.h — the regional view of an ARS (region_pages.c, region_api.c): the handlers routes.c
 * lists, and the reading of a request's filter that the page and the API share. */
#ifndef WEB_REGION_H
#define WEB_REGION_H

#include "model/region/region.h"
#include "web/http/http.h"

/* region_pages.c */
int region_list_page(struct req *req, struct res *res);
int region_page(struct req *req, struct res *res);
int region_contract_page(struct req *req, struct res *res);
/* region_api.c */
int api_region_summary(struct req *req, struct res *res);

/* Reads the region of the route and the query's department and generation, then loads the
 * summary. 0, or the HTTP status of the error already answered (400 for a bad filter, in words
 * naming the parameter; 404; 500). */
int region_load(struct req *req, struct res *res, struct region_filter *f,
                struct region_summary *s);

#endif
