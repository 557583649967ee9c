/* report_edit.c — the coordination's form for a year's execution report: beneficiary block,
 * the convention of the year, the project lead, and every narrative section (Markdown). One POST
 * saves everything in one transaction, or shows the form again with the input kept and the
 * errors next to the fields. Must not contain SQL (model/report.c) nor check roles (routes.c). */
#include <stdio.h>
#include <string.h>

#include "model/plan/editing.h"
#include "model/report/report.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/report/report_web.h"

static const char md_help[] =
    "Markdown : **gras**, *italique*, une ligne commençant par « - » pour une liste. Ni données "
    "de santé ni noms de bénéficiaires : des chiffres agrégés seulement.";

/* What the form shows and sends back. */
struct report_form {
    int year;
    struct report_identity id;
    long long conv_id;
    const char *conv_number, *conv_start, *conv_end;
    const char *person;
    const char *texts[RS_COUNT];
    const char **objective_texts; /* per index in objs */
    struct objective *objs;
    int n_objs;
};

/* The form field of a section ("text_context"…) or of an objective ("text_obj_12"). */
static const char *field_name(struct arena *a, enum report_section s, long long objective_id)
{
    if (s == RS_OBJECTIVE)
        return edit_fmt(a, "text_obj_%lld", objective_id);
    return edit_fmt(a, "text_%s", report_section_key(s));
}

static const char *date_text(struct arena *a, const char *iso)
{
    return iso && *iso ? date_fr(a, iso) : "";
}

static void form_view(struct req *req, struct res *res, const struct contract *c,
                      const struct report_form *f, const struct form_errors *errs)
{
    char path[96];
    snprintf(path, sizeof path, "/contracts/%lld/report", c->id);
    char title[96];
    snprintf(title, sizeof title, "Rédiger le bilan d'exécution %d", f->year);
    edit_begin(req, res, c, title, "Bilan d'exécution",
               edit_fmt(req->arena, "%s?year=%d", path, f->year), "Rédiger");
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">Les textes saisis ici paraissent dans l'aperçu, le PDF et le "
                  "document ODT du bilan %d ; le tableau des actions, les réunions et la synthèse "
                  "viennent des données. Chaque enregistrement garde la version précédente.</p>"
                  "<p class=\"noprint\"><a href=\"%h?year=%d\">Voir l'aperçu du bilan</a></p>",
               f->year, path, f->year);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "%s/edit?year=%d", path, f->year),
               auth_form_token(req, res));
    form_hidden(b, "year", edit_fmt(req->arena, "%d", f->year));

    buf_puts(b, "<fieldset class=\"field\"><legend>Identification de la convention</legend>");
    if (f->conv_id)
        form_hidden(b, "conv_id", edit_fmt(req->arena, "%lld", f->conv_id));
    form_input(b, "text", "conv_number", "N° de convention", f->conv_number,
               "Laisser vide s'il n'est pas connu.", form_error_of(errs, "conv_number"), false);
    form_input(b, "text", "conv_start", "Début de la période totale de la convention",
               f->conv_start, "JJ/MM/AAAA, par exemple 01/01/2019.",
               form_error_of(errs, "conv_start"), false);
    form_input(b, "text", "conv_end", "Fin de la période totale de la convention", f->conv_end,
               "JJ/MM/AAAA, par exemple 31/12/2021.", form_error_of(errs, "conv_end"), false);
    buf_puts(b, "</fieldset>");

    buf_puts(b, "<fieldset class=\"field\"><legend>Identification du bénéficiaire (tous les "
                "bilans du contrat)</legend>");
    form_input(b, "text", "beneficiary", "Bénéficiaire", f->id.beneficiary, NULL,
               form_error_of(errs, "beneficiary"), false);
    form_input(b, "text", "siret", "N° SIRET", f->id.siret, NULL, form_error_of(errs, "siret"),
               false);
    form_input(b, "text", "address", "Adresse", f->id.address, NULL,
               form_error_of(errs, "address"), false);
    form_input(b, "text", "person_in_charge", "Responsable du projet", f->id.person_in_charge,
               "Nom et fonction, par exemple « Laura DAUMAS - Chargée de mission ».",
               form_error_of(errs, "person_in_charge"), false);
    form_input(b, "tel", "phone", "Téléphone", f->id.phone, NULL, form_error_of(errs, "phone"),
               false);
    form_input(b, "email", "email", "Mail", f->id.email, NULL, form_error_of(errs, "email"),
               false);
    buf_puts(b, "</fieldset>");
    form_input(b, "text", "person_year", "Responsable du projet cette année (si différent)",
               f->person, "Vide : le responsable ci-dessus.", form_error_of(errs, "person_year"),
               false);

    static const enum report_section order[] = {RS_CONTEXT, RS_MISSIONS, RS_GOVERNANCE,
                                                RS_COMMUNICATION};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *name = field_name(req->arena, order[i], 0);
        form_textarea(b, name, report_section_label(order[i]), f->texts[order[i]],
                      order[i] == RS_CONTEXT ? "Vide : un paragraphe tiré des données du contrat "
                                               "(territoire, période, signataires)."
                                             : md_help,
                      form_error_of(errs, name), false);
    }
    buf_printf(b, "<fieldset class=\"field\"><legend>Travaux menés en %d par objectif "
                  "spécifique</legend>",
               f->year);
    for (int k = 0; k < f->n_objs; k++) {
        const struct objective *o = &f->objs[k];
        if (o->level != OBJ_SPECIFIC)
            continue;
        const char *name = field_name(req->arena, RS_OBJECTIVE, o->id);
        const char *label = *o->code ? edit_fmt(req->arena, "Objectif spécifique %s", o->code)
                                     : "Objectif spécifique";
        form_textarea(b, name, arena_strdup(req->arena, label), f->objective_texts[k], o->title,
                      form_error_of(errs, name), false);
    }
    buf_puts(b, "</fieldset>");
    static const enum report_section tail[] = {RS_COMMUNICATION_DONE, RS_NEW_ACTIONS,
                                               RS_CONCLUSION};
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
        const char *name = field_name(req->arena, tail[i], 0);
        form_textarea(b, name, report_section_label(tail[i]), f->texts[tail[i]],
                      tail[i] == RS_NEW_ACTIONS
                          ? "Les actions inscrites au tableau pour la première fois cette année "
                            "sont listées d'office ; ajoutez ici les pistes repérées."
                          : md_help,
                      form_error_of(errs, name), false);
    }
    form_end(b, "Enregistrer les textes du bilan");
    page_end(res);
}

/* Loads the contract, the year and what is recorded into f; 0 or the error page's status. */
static int load_form(struct req *req, struct res *res, int year, struct contract *c,
                     struct report_form *f)
{
    memset(f, 0, sizeof *f);
    f->year = year;
    struct report r;
    int rc = load_contract_answer(req, res,
                                  report_load(req->db, req->arena, req->ids[0], year, &r));
    if (rc)
        return rc;
    *c = r.contract;
    f->id = r.identity;
    f->conv_id = r.has_convention ? r.convention.id : 0;
    f->conv_number = r.has_convention ? r.convention.number : "";
    f->conv_start = r.has_convention ? date_text(req->arena, r.convention.start_on) : "";
    f->conv_end = r.has_convention ? date_text(req->arena, r.convention.end_on) : "";
    f->person = r.texts[RS_PERSON];
    for (int s = 0; s < RS_COUNT; s++)
        f->texts[s] = r.texts[s];
    f->objs = r.objs;
    f->n_objs = r.n_objs;
    f->objective_texts = r.objective_texts;
    return 0;
}

int report_edit_page(struct req *req, struct res *res)
{
    int year, rc = report_web_year(req, res, req->ids[0], &year);
    if (rc)
        return rc;
    struct contract c;
    struct report_form f;
    if ((rc = load_form(req, res, year, &c, &f)))
        return rc;
    form_view(req, res, &c, &f, NULL);
    return 200;
}

/* A one-line field: at most REPORT_FIELD_MAX bytes. */
static const char *line_field(struct req *req, const char *name, struct form_errors *errs)
{
    const char *v = form_value(req, name);
    if (strlen(v) > REPORT_FIELD_MAX)
        form_error(errs, name, "Trop long : 300 caractères au plus.");
    return v;
}

static const char *text_field(struct req *req, const char *name, struct form_errors *errs)
{
    const char *v = req_form(req, name);
    if (!v)
        v = "";
    if (strlen(v) > REPORT_TEXT_MAX)
        form_error(errs, name, "Texte trop long : 100 000 caractères au plus.");
    return v;
}

/* Reads the convention's dates into ISO days; errors next to the fields. */
static void read_convention(struct req *req, struct report_form *f, char start[11], char end[11],
                            struct form_errors *errs)
{
    f->conv_number = line_field(req, "conv_number", errs);
    f->conv_start = form_value(req, "conv_start");
    f->conv_end = form_value(req, "conv_end");
    bool ok = true;
    f->conv_id = edit_form_id(req, "conv_id", &ok);
    if (edit_parse_date(f->conv_start, start) != ERR_OK)
        form_error(errs, "conv_start", "Date invalide : écrivez JJ/MM/AAAA.");
    if (edit_parse_date(f->conv_end, end) != ERR_OK)
        form_error(errs, "conv_end", "Date invalide : écrivez JJ/MM/AAAA.");
    bool any = *f->conv_number || *f->conv_start || *f->conv_end;
    if (any && !*f->conv_start && !form_error_of(errs, "conv_start"))
        form_error(errs, "conv_start", "Indiquez le début de la période de la convention.");
    if (any && !*f->conv_end && !form_error_of(errs, "conv_end"))
        form_error(errs, "conv_end", "Indiquez la fin de la période de la convention.");
    if (*start && *end && strcmp(start, end) > 0)
        form_error(errs, "conv_end", "La fin de la période précède son début.");
}

/* Writes everything in one transaction. */
static int save(struct req *req, long long contract_id, const struct report_form *f,
                const char *start, const char *end)
{
    struct actor who = edit_actor(req);
    int rc = store_begin(req->db);
    if (rc != ERR_OK)
        return rc;
    rc = report_identity_save(req->db, &who, contract_id, &f->id);
    if (rc == ERR_OK && *start) {
        if (f->conv_id)
            rc = report_convention_update(req->db, contract_id, f->conv_id, f->conv_number,
                                          start, end);
        else
            rc = report_convention_add(req->db, contract_id, f->conv_number, start, end, NULL);
    }
    if (rc == ERR_OK)
        rc = report_text_save(req->db, &who, contract_id, f->year, RS_PERSON, 0, f->person,
                              NULL);
    for (int s = 0; rc == ERR_OK && s < RS_COUNT; s++)
        if (s != RS_OBJECTIVE && s != RS_PERSON)
            rc = report_text_save(req->db, &who, contract_id, f->year, (enum report_section)s, 0,
                                  f->texts[s], NULL);
    for (int k = 0; rc == ERR_OK && k < f->n_objs; k++)
        if (f->objs[k].level == OBJ_SPECIFIC)
            rc = report_text_save(req->db, &who, contract_id, f->year, RS_OBJECTIVE,
                                  f->objs[k].id, f->objective_texts[k], NULL);
    if (rc == ERR_OK)
        rc = store_commit(req->db);
    if (rc != ERR_OK)
        store_rollback(req->db);
    return rc;
}

int report_edit_submit(struct req *req, struct res *res)
{
    bool ok = true;
    int year = edit_form_year(req, "year", &ok);
    if (!ok || !year)
        return page_error(req, res, 400, "Formulaire invalide", "L'année du bilan manque.");
    struct contract c;
    struct report_form f;
    int rc = load_form(req, res, year, &c, &f);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    f.id.beneficiary = (char *)line_field(req, "beneficiary", &errs);
    f.id.siret = (char *)line_field(req, "siret", &errs);
    f.id.address = (char *)line_field(req, "address", &errs);
    f.id.person_in_charge = (char *)line_field(req, "person_in_charge", &errs);
    f.id.phone = (char *)line_field(req, "phone", &errs);
    f.id.email = (char *)line_field(req, "email", &errs);
    if (*f.id.email && !strchr(f.id.email, '@'))
        form_error(&errs, "email", "Adresse invalide : il manque « @ ».");
    f.person = line_field(req, "person_year", &errs);
    char start[11] = "", end[11] = "";
    read_convention(req, &f, start, end, &errs);
    for (int s = 0; s < RS_COUNT; s++)
        if (s != RS_OBJECTIVE && s != RS_PERSON)
            f.texts[s] = text_field(req, field_name(req->arena, (enum report_section)s, 0), &errs);
    const char **texts = arena_alloc(req->arena, sizeof *texts * (size_t)(f.n_objs + 1));
    for (int k = 0; k < f.n_objs; k++)
        texts[k] = f.objs[k].level == OBJ_SPECIFIC
                       ? text_field(req, field_name(req->arena, RS_OBJECTIVE, f.objs[k].id), &errs)
                       : "";
    f.objective_texts = texts;
    if (errs.n) {
        form_view(req, res, &c, &f, &errs);
        res->status = 422;
        return 422;
    }
    rc = save(req, c.id, &f, start, end);
    if (rc == ERR_INVALID || rc == ERR_NOTFOUND) {
        form_error(&errs, "conv_number", "La convention n'a pas pu être enregistrée : vérifiez "
                                         "son numéro et ses dates.");
        form_view(req, res, &c, &f, &errs);
        res->status = 422;
        return 422;
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, "/contracts/%lld/report?year=%d&saved=1", c.id,
                                  year));
}
