/* dashboard_pages.c — placeholder until written. */
#include "handlers.h"
#include "page.h"

int dashboard_page(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}
