/* action_pages.c — placeholder until written. */
#include "handlers.h"
#include "page.h"

int action_list_page(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}

int action_list_csv(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}

int action_page(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}
