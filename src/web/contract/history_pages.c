/* history_pages.c — who changed what: the "Historique" page of an action (its audit entries and
 * its status rows) and the coordinator's log of a contract, filterable by person and dates. Must
 * not contain SQL (the audit log is read through src/model/core/audit.h) nor check roles. */
#include <stdio.h>
#include <string.h>

#include "model/plan/action.h"
#include "model/core/audit.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"

enum { HISTORY_LIMIT = 1000, LOG_LIMIT = 500 };

static const char *contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

/* The status rows of an action, newest first, with who recorded them and when. */
static void status_rows(struct buf *b, struct arena *a, const struct action *x, bool remarks,
                        bool people)
{
    buf_puts(b, "<h2>États d'avancement enregistrés</h2>");
    if (x->n_history == 0) {
        buf_puts(b, "<p>Aucun état d'avancement n'a encore été enregistré pour cette action.</p>");
        return;
    }
    buf_printf(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Année</th>"
                  "<th scope=\"col\">État</th><th scope=\"col\">Enregistré le</th>%s%s"
                  "</tr></thead><tbody>",
               people ? "<th scope=\"col\">Par</th>" : "",
               remarks ? "<th scope=\"col\">Remarques</th><th scope=\"col\">Préconisations</th>"
                       : "");
    for (int i = x->n_history - 1; i >= 0; i--) {
        const struct status_entry *e = &x->history[i];
        buf_printf(b, "<tr><td>%d</td><td>", e->year);
        page_status(b, e->status);
        buf_printf(b, "</td><td>%h</td>", date_fr(a, e->recorded_at));
        if (people)
            buf_printf(b, "<td>%h%h</td>", e->account_id ? "" : "source : ",
                       *e->recorded_by ? e->recorded_by : "—");
        if (remarks)
            buf_printf(b, "<td class=\"pre\">%h</td><td class=\"pre\">%h</td>", e->remarks,
                       e->recommendations);
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

int action_history_page(struct req *req, struct res *res)
{
    struct action x;
    int rc = action_get(req->db, req->arena, req->ids[0], 0, &x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable", "Aucune action ne porte ce "
                                                               "numéro.");
    struct contract c;
    struct contract_meta meta;
    struct audit_filter f = {.entity = "action", .entity_id = x.id, .limit = HISTORY_LIMIT};
    struct audit_entry *log = NULL;
    int n = 0;
    if (rc != ERR_OK || contract_get(req->db, req->arena, x.contract_id, &c) != ERR_OK ||
        contract_meta_get(req->db, c.id, &meta) != ERR_OK ||
        audit_list(req->db, req->arena, &f, &log, &n) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible",
                          "L'historique n'a pas pu être lu ; réessayez dans un instant.");
    char home[48], list[64], act[48];
    snprintf(home, sizeof home, "/contracts/%lld", c.id);
    snprintf(list, sizeof list, "/contracts/%lld/actions", c.id);
    snprintf(act, sizeof act, "/actions/%lld", x.id);
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {contract_name(&c), home},
                             {"Actions", list},
                             {*x.code ? x.code : "Piste d'action", act},
                             {"Historique", NULL}};
    page_begin(res, "Historique de l'action", crumbs, 5);
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\"><a href=\"%h\">%h%s%h</a></p>", act, x.code,
               *x.code ? " — " : "", x.title);
    bool priv = auth_sees_private(req, c.id);
    buf_puts(b, "<h2>Modifications de la fiche</h2>");
    if (n == 0)
        buf_puts(b, "<p>Aucune modification depuis sa création ou son import : la fiche est "
                    "telle qu'elle a été chargée.</p>");
    else
        edit_audit_table(b, req->arena, log, n, false,
                         n == HISTORY_LIMIT ? "Les 1000 modifications les plus récentes"
                                            : "Qui a changé quoi, du plus récent au plus ancien");
    status_rows(b, req->arena, &x, priv || meta.public_remarks, priv || meta.public_people);
    page_end(res);
    return 200;
}

/* Reads a date parameter of the log (AAAA-MM-JJ or JJ/MM/AAAA) into out; false when invalid. */
static bool date_param(const struct req *req, const char *key, char out[11])
{
    return edit_parse_date(req_query(req, key), out) == ERR_OK;
}

int contract_audit_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct audit_person *people = NULL;
    int n_people = 0;
    if (audit_people(req->db, req->arena, c.id, &people, &n_people) != ERR_OK)
        return page_error(req, res, 503, "Service indisponible",
                          "Le journal n'a pas pu être lu ; réessayez dans un instant.");
    struct form_errors errs = {0};
    long long person = 0;
    if (filter_param_id(req, "person", &person) != ERR_OK)
        form_error(&errs, "person", "Choisissez la personne dans la liste.");
    char since[11], until[11];
    if (!date_param(req, "since", since))
        form_error(&errs, "since", "Écrivez la date sous la forme JJ/MM/AAAA.");
    if (!date_param(req, "until", until))
        form_error(&errs, "until", "Écrivez la date sous la forme JJ/MM/AAAA.");
    if (!errs.n && *since && *until && strcmp(since, until) > 0)
        form_error(&errs, "until", "Cette date précède la date de début.");

    char home[48], action[64];
    snprintf(home, sizeof home, "/contracts/%lld", c.id);
    snprintf(action, sizeof action, "/contracts/%lld/audit", c.id);
    struct crumb crumbs[] = {
        {"Contrats", "/"}, {contract_name(&c), home}, {"Journal des modifications", NULL}};
    page_begin(res, "Journal des modifications", crumbs, 3);
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">Qui a changé quoi dans %h : le contrat, ses signataires, "
                  "ses objectifs, ses actions, et sa gouvernance (instances, réunions, "
                  "personnes), ainsi que les organisations et fiches qu'il partage avec "
                  "d'autres contrats.</p>",
               c.title);
    form_error_summary(b, &errs);
    buf_printf(b, "<form method=\"get\" action=\"%h\" class=\"filters noprint\" "
                  "aria-label=\"Filtres du journal\"><label>Personne<select name=\"person\">"
                  "<option value=\"\">Toutes</option>",
               action);
    for (int i = 0; i < n_people; i++)
        if (people[i].account_id)
            buf_printf(b, "<option value=\"%lld\"%s>%h</option>", people[i].account_id,
                       people[i].account_id == person ? " selected" : "", people[i].name);
    buf_puts(b, "</select></label>");
    static const char *const keys[] = {"since", "until"};
    static const char *const labels[] = {"Depuis le", "Jusqu'au"};
    const char *values[] = {since, until};
    for (int k = 0; k < 2; k++) {
        const char *error = form_error_of(&errs, keys[k]);
        buf_printf(b, "<label for=\"f-%h\">%h", keys[k], labels[k]);
        if (error)
            buf_printf(b, "<span class=\"field-error\" id=\"f-%h-error\">%h</span>", keys[k],
                       error);
        buf_printf(b, "<input type=\"date\" id=\"f-%h\" name=\"%h\" value=\"%h\"%s%h%s></label>",
                   keys[k], keys[k], error ? req_query(req, keys[k]) : values[k],
                   error ? " aria-invalid=\"true\" aria-describedby=\"f-" : "",
                   error ? keys[k] : "", error ? "-error\"" : "");
    }
    buf_printf(b, "<button type=\"submit\">Filtrer</button><a href=\"%h\">Tout afficher</a>"
                  "</form>",
               action);
    if (errs.n) {
        page_end(res);
        res->status = 400;
        return 400;
    }
    struct audit_filter f = {.contract_id = c.id,
                             .account_id = person,
                             .since = *since ? since : NULL,
                             .until = *until ? until : NULL,
                             .limit = LOG_LIMIT};
    struct audit_entry *log = NULL;
    int n = 0;
    if (audit_list(req->db, req->arena, &f, &log, &n) != ERR_OK) {
        buf_puts(b, "<p>Le journal n'a pas pu être lu ; réessayez dans un instant.</p>");
        page_end(res);
        res->status = 503;
        return 503;
    }
    buf_printf(b, "<p class=\"count\" role=\"status\"><strong>%d modification%s</strong>%s</p>",
               n, n > 1 ? "s" : "",
               n == LOG_LIMIT ? " — les plus récentes seulement : resserrez les dates pour voir "
                                "les plus anciennes"
                              : "");
    if (n == 0)
        buf_puts(b, "<p class=\"empty\">Aucune modification ne correspond à ces filtres — "
                    "élargissez les dates ou choisissez une autre personne.</p>");
    else
        edit_audit_table(b, req->arena, log, n, true, "Modifications, de la plus récente à la "
                                                      "plus ancienne");
    page_end(res);
    return 200;
}
