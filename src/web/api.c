/* api.c — placeholder until written. */
#include "handlers.h"
#include "page.h"

int api_contracts(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}

int api_contract_objectives(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}

int api_contract_actions(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}

int api_action(struct req *req, struct res *res)
{
    return page_error(req, res, 501, "À venir", "Page en construction.");
}
