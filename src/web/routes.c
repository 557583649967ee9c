/* routes.c — the one route table: method, path, handler, role needed, CSRF check.
 * Read it in one screen; permissions live here and nowhere else. */
#include "handlers.h"
#include "page.h"
#include "router.h"

const struct route routes[] = {
    {"GET", "/", contract_index_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/static/style.css", page_stylesheet, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/contracts/{id}", contract_home_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/contracts/{id}/tree", contract_tree_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/contracts/{id}/actions", action_list_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/contracts/{id}/actions.csv", action_list_csv, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/contracts/{id}/dashboard", dashboard_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/actions/{id}", action_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/organisations/{id}", organisation_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/api/v1/contracts", api_contracts, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/api/v1/contracts/{id}/objectives", api_contract_objectives, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/api/v1/contracts/{id}/actions", api_contract_actions, ROLE_PUBLIC, SCOPE_NONE, false},
    {"GET", "/api/v1/actions/{id}", api_action, ROLE_PUBLIC, SCOPE_NONE, false},
    {"POST", "/api/v1/actions/{id}", api_action_update, ROLE_CARRIER, SCOPE_ACTION, true},
    {"POST", "/api/v1/actions/{id}/status", api_action_status_submit, ROLE_CARRIER, SCOPE_ACTION,
     true},
    {"GET", "/login", login_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"POST", "/login", login_submit, ROLE_PUBLIC, SCOPE_NONE, true},
    {"POST", "/logout", logout_submit, ROLE_SIGNED_IN, SCOPE_NONE, true},
    {"GET", "/account", account_page, ROLE_SIGNED_IN, SCOPE_NONE, false},
    {"POST", "/account/tokens", account_token_create, ROLE_SIGNED_IN, SCOPE_NONE, true},
    {"POST", "/account/tokens/{id}/revoke", account_token_revoke, ROLE_SIGNED_IN, SCOPE_NONE, true},
    {"POST", "/account/logout-all", logout_everywhere_submit, ROLE_SIGNED_IN, SCOPE_NONE, true},
    {"GET", "/password/forgot", password_forgot_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"POST", "/password/forgot", password_forgot_submit, ROLE_PUBLIC, SCOPE_NONE, true},
    {"GET", "/password/reset", password_reset_page, ROLE_PUBLIC, SCOPE_NONE, false},
    {"POST", "/password/reset", password_reset_submit, ROLE_PUBLIC, SCOPE_NONE, true},
    {"GET", "/admin/accounts", admin_accounts_page, ROLE_ADMIN, SCOPE_NONE, false},
    {"POST", "/admin/accounts", admin_account_create, ROLE_ADMIN, SCOPE_NONE, true},
    {"GET", "/admin/accounts/{id}/export", admin_account_export, ROLE_ADMIN, SCOPE_NONE, false},
    {"POST", "/admin/accounts/{id}/erase", admin_account_erase, ROLE_ADMIN, SCOPE_NONE, true},
    {"POST", "/admin/accounts/{id}/disabled", admin_account_disabled, ROLE_ADMIN, SCOPE_NONE, true},
    {NULL, NULL, NULL, ROLE_PUBLIC, SCOPE_NONE, false},
};
