/* funding_forms.c — the funding forms: lines of the coordinator post's plan (add, change,
 * withdraw), a year arrêtée or back to draft, and the funding lines of an action (add, change,
 * withdraw) with the fields the SCDL subventions export needs. Checks and writes are in
 * model/funding.c; a refused save shows the form again with the input kept. */
#include <stdio.h>
#include <string.h>

#include "model/plan/action.h"
#include "model/funding/funding.h"
#include "model/funding/funding_call.h"
#include "model/sheet/sheet.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/http/multipart.h"
#include "web/http/page.h"
#include "web/funding/funding_web.h"

/* ---- the financing plan ------------------------------------------------------------------- */

static long long form_amount(const struct req *req, const char *name, struct form_errors *errs,
                             bool required)
{
    long long cents = -1;
    const char *v = form_value(req, name);
    if (sheet_parse_amount(v, &cents) != ERR_OK || (required && cents < 0))
        form_error(errs, name, "Écrivez un montant en euros, par exemple 12 500 ou 9 062,52.");
    return cents;
}

int financing_line_add_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    bool ok = true;
    struct financing_line l = {.year = edit_form_year(req, "year", &ok),
                               .income = str_eq(form_value(req, "line_type"), "income"),
                               .label = (char *)form_value(req, "label")};
    if (!ok || !l.year)
        form_error(&errs, "year", "Indiquez l'année en chiffres, entre 1990 et 2100.");
    l.amount = form_amount(req, "amount", &errs, true);
    if (!str_eq(form_value(req, "line_type"), "income") &&
        !str_eq(form_value(req, "line_type"), "expense"))
        form_error(&errs, "line_type", "Choisissez dépense ou recette.");
    /* Every field is checked at once: an unreadable amount does not hide a missing label. */
    struct problems p = {0};
    struct financing_line checked = l;
    checked.amount = l.amount < 0 ? 0 : l.amount;
    checked.year = l.year ? l.year : 2000;
    financing_line_check(&checked, &p);
    edit_problems(&p, &errs);
    const char *why = NULL;
    if (!errs.n) {
        struct actor who = edit_actor(req);
        long long id = 0;
        rc = financing_line_add(req->db, &who, c.id, &l, &id, &why);
        if (rc == ERR_INVALID)
            form_error(&errs, "year", why);
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return financing_plan_show(req, res, &c, &errs, NULL, 422);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/financing?saved=created#annee-%d", c.id, l.year));
}

int financing_line_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct financing_line old;
    long long cid = 0;
    rc = financing_line_get(req->db, req->arena, req->ids[1], &cid, &old);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && cid != c.id))
        return page_error(req, res, 404, "Ligne introuvable",
                          "Ce plan de financement n'a pas (ou plus) de ligne sous ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page.");
    bool archive = str_eq(form_value(req, "archive"), "1");
    struct form_errors errs = {0};
    struct financing_line l = old;
    if (!archive) {
        l.label = (char *)form_value(req, "label");
        l.amount = form_amount(req, "amount", &errs, true);
        struct problems p = {0};
        if (!errs.n) {
            financing_line_check(&l, &p);
            edit_problems(&p, &errs);
        }
        if (errs.n)
            return financing_plan_show(req, res, &c, NULL,
                                       form_error_of(&errs, "amount")
                                           ? form_error_of(&errs, "amount")
                                           : form_error_of(&errs, "label"),
                                       422);
    }
    struct actor who = edit_actor(req);
    const char *why = NULL;
    rc = financing_line_update(req->db, &who, old.id, version, &l, archive, &why);
    if (rc == ERR_CONFLICT)
        return financing_plan_show(req, res, &c, NULL,
                                   "Cette ligne a été modifiée entre-temps par quelqu'un "
                                   "d'autre : voici le plan à jour, refaites votre "
                                   "modification.",
                                   409);
    if (rc == ERR_INVALID)
        return financing_plan_show(req, res, &c, NULL, why, 409);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/contracts/%lld/financing?saved=%s#annee-%d", c.id,
                                  archive ? "archived" : "1", old.year));
}

int financing_year_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    int version = 0;
    if (edit_version(req, &version) != ERR_OK || req->ids[1] < 1990 || req->ids[1] > 2100)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "L'année ou le numéro de version manque : rechargez la page.");
    bool final = str_eq(form_value(req, "final"), "1");
    struct actor who = edit_actor(req);
    const char *why = NULL;
    rc = financing_year_set_final(req->db, req->arena, &who, c.id, (int)req->ids[1], version,
                                  final, &why);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Année introuvable",
                          "Le plan de financement n'a pas cette année.");
    if (rc == ERR_CONFLICT)
        return financing_plan_show(req, res, &c, NULL,
                                   "Cette année a été modifiée entre-temps : voici le plan à "
                                   "jour.",
                                   409);
    if (rc == ERR_INVALID)
        return financing_plan_show(req, res, &c, NULL, why, 422);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/financing?saved=1#annee-%lld", c.id, req->ids[1]));
}

/* ---- funding calls from a saved file ------------------------------------------------------ */

int funding_calls_upload_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    int n = 0;
    const struct multipart_part *file = NULL;
    if (multipart_parse(req->content_type, req->body, req->body_len, req->arena, parts,
                        MULTIPART_MAX_PARTS, &n) == ERR_OK)
        file = multipart_file(parts, n, "file");
    if (!file || !*file->filename || !file->len)
        return funding_page_show(req, res, &c, "Choisissez un fichier JSON non vide.", 422);
    struct funding_call *calls = NULL;
    int n_calls = 0, cap = 0;
    const char *next = NULL;
    char err[512];
    if (funding_calls_parse(file->data, file->len, req->arena, &calls, &n_calls, &cap, &next, err,
                            sizeof err) != ERR_OK)
        return funding_page_show(req, res, &c, arena_strdup(req->arena, err), 422);
    struct actor who = edit_actor(req);
    int added = 0, updated = 0, matches = 0;
    const char *source = utf8_valid(file->filename, strlen(file->filename))
                             ? arena_strdup(req->arena, file->filename)
                             : "fichier envoyé";
    if (funding_calls_save(req->db, &who, c.id, source, calls, n_calls, &added, &updated,
                           &matches) != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res, edit_fmt(req->arena, "/contracts/%lld/funding?saved=created#appels-h", c.id));
}

/* ---- funding lines of an action ------------------------------------------------------------ */

struct funding_ctx {
    struct action x;
    struct contract c;
};

static int load_funding_action(struct req *req, struct res *res, struct funding_ctx *v)
{
    memset(v, 0, sizeof *v);
    int rc = action_get(req->db, req->arena, req->ids[0], 0, &v->x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable",
                          "Aucune action ne porte ce "
                          "numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return load_contract(req, res, v->x.contract_id, &v->c);
}

/* The line of the URL, which must be one of the action's; 0 or the error page's status. */
static int load_line(struct req *req, struct res *res, const struct funding_ctx *v,
                     struct action_funding *f)
{
    int rc = action_funding_get(req->db, req->arena, req->ids[1], f);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && f->action_id != v->x.id))
        return page_error(req, res, 404, "Ligne introuvable",
                          "Cette action n'a pas (ou plus) de ligne de financement sous ce "
                          "numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

/* What the form shows: the input when there is one, else the line's values. */
static const char *shown(const struct req *req, const char *name, const char *saved)
{
    return req->method && str_eq(req->method, "POST") ? form_value(req, name) : saved;
}

static void funding_form(struct req *req, struct res *res, const struct funding_ctx *v,
                         const struct action_funding *f, const struct form_errors *errs,
                         const char *conflict)
{
    struct buf *b = &res->body;
    const char *title = f ? "Modifier une ligne de financement"
                          : "Ajouter une ligne de "
                            "financement";
    struct crumb crumbs[] = {{"Contrats", "/"},
                             {*v->c.short_title ? v->c.short_title : v->c.title,
                              edit_fmt(req->arena, "/contracts/%lld", v->c.id)},
                             {*v->x.code ? v->x.code : "Piste d'action",
                              edit_fmt(req->arena, "/actions/%lld", v->x.id)},
                             {f ? "Ligne de financement" : "Nouvelle ligne de financement", NULL}};
    page_begin(res, title, crumbs, 4);
    buf_printf(b,
               "<p>Action : <strong>%h</strong>. Les champs marqués servent aussi à l'export "
               "des subventions accordées au format SCDL 2.1.1.</p>",
               v->x.title);
    if (conflict)
        buf_printf(b, "<p class=\"caution\" role=\"alert\">%h</p>", conflict);
    form_error_summary(b, errs);
    const char *action = f ? edit_fmt(req->arena, "/actions/%lld/funding/%lld", v->x.id, f->id)
                           : edit_fmt(req->arena, "/actions/%lld/funding/new", v->x.id);
    const char *csrf = auth_form_token(req, res);
    form_begin(b, action, csrf);
    if (f)
        edit_version_field(b, req->arena, f->version);
    char year[16] = "", asked[40] = "", granted[40] = "";
    if (f) {
        snprintf(year, sizeof year, "%d", f->year);
        snprintf(asked, sizeof asked, "%s",
                 f->asked < 0 ? "" : sheet_amount_text(req->arena, f->asked));
        snprintf(granted, sizeof granted, "%s",
                 f->granted < 0 ? "" : sheet_amount_text(req->arena, f->granted));
    }
    const char *carrier = v->x.carrier_name ? v->x.carrier_name : "";
    form_input(b, "text", "funder", "Financeur (nom officiel de l'attribuant)",
               shown(req, "funder", f ? f->funder : ""),
               "Par exemple : Agence régionale de "
               "santé Grand Est.",
               form_error_of(errs, "funder"), true);
    form_input(b, "number", "year", "Année", shown(req, "year", year), NULL,
               form_error_of(errs, "year"), true);
    form_input(b, "text", "asked", "Montant demandé (€)", shown(req, "asked", asked), NULL,
               form_error_of(errs, "asked"), false);
    form_input(b, "text", "granted", "Montant accordé (€)", shown(req, "granted", granted),
               "Vide tant que la décision n'est pas connue.", form_error_of(errs, "granted"),
               false);
    form_input(b, "text", "funder_siret", "SIRET du financeur",
               shown(req, "funder_siret", f ? f->funder_siret : ""), "14 chiffres.",
               form_error_of(errs, "funder_siret"), false);
    form_input(b, "text", "beneficiary", "Bénéficiaire",
               shown(req, "beneficiary", f ? f->beneficiary : carrier),
               "Raison sociale de la structure qui reçoit la subvention.",
               form_error_of(errs, "beneficiary"), false);
    form_input(b, "text", "beneficiary_siret", "SIRET du bénéficiaire",
               shown(req, "beneficiary_siret", f ? f->beneficiary_siret : ""), "14 chiffres.",
               form_error_of(errs, "beneficiary_siret"), false);
    form_input(b, "text", "decision_date", "Date de la convention",
               shown(req, "decision_date", f ? f->decision_date : ""), "JJ/MM/AAAA.",
               form_error_of(errs, "decision_date"), false);
    form_input(b, "text", "decision_ref", "Référence de la décision",
               shown(req, "decision_ref", f ? f->decision_ref : ""), NULL,
               form_error_of(errs, "decision_ref"), false);
    form_input(b, "text", "purpose", "Objet de la subvention",
               shown(req, "purpose", f ? f->purpose : ""),
               "256 caractères au plus ; vide : l'intitulé de l'action.",
               form_error_of(errs, "purpose"), false);
    static const char *const natures_labels[] = {"Aide en numéraire", "Aide en nature",
                                                 "Numéraire et nature", "Nature et numéraire"};
    form_select(b, "nature", "Nature de l'aide", funding_scdl_natures, natures_labels, 4,
                shown(req, "nature", f ? f->nature : funding_scdl_natures[0]),
                form_error_of(errs, "nature"), true);
    static const char *const payment_labels[] = {"Versement unique", "Versement échelonné"};
    form_select(b, "payment", "Conditions de versement", funding_scdl_payments, payment_labels, 2,
                shown(req, "payment", f ? f->payment : funding_scdl_payments[0]),
                form_error_of(errs, "payment"), true);
    form_input(b, "text", "payment_dates", "Date ou période de versement",
               shown(req, "payment_dates", f ? f->payment_dates : ""),
               "AAAA-MM-JJ, ou AAAA-MM-JJ/AAAA-MM-JJ pour une période.",
               form_error_of(errs, "payment_dates"), false);
    form_end(b, f ? "Enregistrer la ligne" : "Ajouter la ligne");
    if (f) {
        form_begin(b, edit_fmt(req->arena, "/actions/%lld/funding/%lld/archive", v->x.id, f->id),
                   csrf);
        edit_version_field(b, req->arena, f->version);
        form_end(b, "Retirer cette ligne");
    }
    page_end(res);
}

/* Reads the form into f (strings in the request); errors of unreadable amounts and dates. */
static void read_funding_form(struct req *req, struct action_funding *f, struct form_errors *errs)
{
    bool ok = true;
    f->funder = (char *)form_value(req, "funder");
    f->year = edit_form_year(req, "year", &ok);
    if (!ok)
        f->year = -1;
    f->asked = form_amount(req, "asked", errs, false);
    f->granted = form_amount(req, "granted", errs, false);
    f->funder_siret = (char *)form_value(req, "funder_siret");
    f->beneficiary = (char *)form_value(req, "beneficiary");
    f->beneficiary_siret = (char *)form_value(req, "beneficiary_siret");
    char iso[11] = "";
    if (edit_parse_date(form_value(req, "decision_date"), iso) != ERR_OK) {
        form_error(errs, "decision_date", "Date de la convention inconnue : écrivez JJ/MM/AAAA.");
        iso[0] = 0;
    }
    f->decision_date = arena_strdup(req->arena, iso);
    f->decision_ref = (char *)form_value(req, "decision_ref");
    f->purpose = (char *)form_value(req, "purpose");
    f->nature = (char *)form_value(req, "nature");
    f->payment = (char *)form_value(req, "payment");
    f->payment_dates = (char *)form_value(req, "payment_dates");
    struct problems p = {0};
    action_funding_check(f, &p);
    edit_problems(&p, errs);
}

int action_funding_new_page(struct req *req, struct res *res)
{
    struct funding_ctx v;
    int rc = load_funding_action(req, res, &v);
    if (rc)
        return rc;
    funding_form(req, res, &v, NULL, NULL, NULL);
    return 200;
}

int action_funding_new_submit(struct req *req, struct res *res)
{
    struct funding_ctx v;
    int rc = load_funding_action(req, res, &v);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    struct action_funding f = {.action_id = v.x.id};
    read_funding_form(req, &f, &errs);
    if (!errs.n) {
        struct actor who = edit_actor(req);
        long long id = 0;
        if (action_funding_add(req->db, &who, &f, &id) != ERR_OK)
            return page_db_error(req, res);
        return edit_redirect(
            req, res, edit_fmt(req->arena, "/actions/%lld?saved=created#financements", v.x.id));
    }
    funding_form(req, res, &v, NULL, &errs, NULL);
    res->status = 422;
    return 422;
}

int action_funding_edit_page(struct req *req, struct res *res)
{
    struct funding_ctx v;
    struct action_funding f;
    int rc = load_funding_action(req, res, &v);
    if (!rc)
        rc = load_line(req, res, &v, &f);
    if (rc)
        return rc;
    funding_form(req, res, &v, &f, NULL, NULL);
    return 200;
}

static int save_line(struct req *req, struct res *res, bool archive)
{
    struct funding_ctx v;
    struct action_funding old;
    int rc = load_funding_action(req, res, &v);
    if (!rc)
        rc = load_line(req, res, &v, &old);
    if (rc)
        return rc;
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page.");
    struct form_errors errs = {0};
    struct action_funding f = old;
    if (!archive)
        read_funding_form(req, &f, &errs);
    if (errs.n) {
        funding_form(req, res, &v, &old, &errs, NULL);
        res->status = 422;
        return 422;
    }
    struct actor who = edit_actor(req);
    rc = action_funding_update(req->db, &who, old.id, version, &f, archive);
    if (rc == ERR_CONFLICT) {
        funding_form(req, res, &v, &old, NULL,
                     "Cette ligne a été modifiée entre-temps par quelqu'un d'autre : vos "
                     "saisies sont conservées ci-dessous, vérifiez-les puis enregistrez de "
                     "nouveau.");
        res->status = 409;
        return 409;
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/actions/%lld?saved=%s#financements", v.x.id,
                                  archive ? "archived" : "1"));
}

int action_funding_submit(struct req *req, struct res *res)
{
    return save_line(req, res, false);
}

int action_funding_archive_submit(struct req *req, struct res *res)
{
    return save_line(req, res, true);
}
