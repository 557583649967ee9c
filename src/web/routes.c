/* routes.c — the one route table: method, path, handler, role needed, CSRF check.
 * Read it in one screen; permissions live here and nowhere else. */
#include "handlers.h"
#include "page.h"
#include "router.h"

const struct route routes[] = {
    {"GET", "/", contract_index_page, ROLE_PUBLIC, false},
    {"GET", "/static/style.css", page_stylesheet, ROLE_PUBLIC, false},
    {"GET", "/contracts/{id}", contract_home_page, ROLE_PUBLIC, false},
    {"GET", "/contracts/{id}/tree", contract_tree_page, ROLE_PUBLIC, false},
    {"GET", "/contracts/{id}/actions", action_list_page, ROLE_PUBLIC, false},
    {"GET", "/contracts/{id}/actions.csv", action_list_csv, ROLE_PUBLIC, false},
    {"GET", "/contracts/{id}/dashboard", dashboard_page, ROLE_PUBLIC, false},
    {"GET", "/actions/{id}", action_page, ROLE_PUBLIC, false},
    {"GET", "/organisations/{id}", organisation_page, ROLE_PUBLIC, false},
    {"GET", "/api/v1/contracts", api_contracts, ROLE_PUBLIC, false},
    {"GET", "/api/v1/contracts/{id}/objectives", api_contract_objectives, ROLE_PUBLIC, false},
    {"GET", "/api/v1/contracts/{id}/actions", api_contract_actions, ROLE_PUBLIC, false},
    {"GET", "/api/v1/actions/{id}", api_action, ROLE_PUBLIC, false},
    {NULL, NULL, NULL, ROLE_PUBLIC, false},
};
