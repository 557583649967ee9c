/* edit_pages.c — the coordinator's forms: the contract and its signatories, and the organisation
 * directory (the objective tree is in objective_edit.c). Forms work without JavaScript: POST,
 * then 303 with a success notice, or the form again with the input kept (422) or with what
 * changed in between (409). Must not contain SQL nor check roles (routes.c does). */
#include <stdio.h>
#include <string.h>

#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/figures.h"
#include "model/core/organisation.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"

static const char *int_text(struct arena *a, long long v)
{
    return v ? edit_fmt(a, "%lld", v) : "";
}

static int answer(struct res *res, int status)
{
    res->status = status;
    return status;
}

/* ---- contract ------------------------------------------------------------------------------ */

static void signatories_section(struct req *req, struct res *res, const struct contract *c,
                                const struct signatory *sigs, int n);

static void contract_form(struct req *req, struct res *res, const struct contract *c,
                          const struct contract_edit *e, const char *signed_on,
                          const char *start, const char *end, int version,
                          const struct form_errors *errs)
{
    struct buf *b = &res->body;
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/edit", c->id), auth_form_token(req, res));
    edit_version_field(b, req->arena, version);
    form_input(b, "text", "title", "Intitulé", e->title, NULL, form_error_of(errs, "title"), true);
    form_input(b, "text", "short_title", "Titre court", e->short_title,
               "Affiché dans le fil d'Ariane, par exemple « CLS 2 ».",
               form_error_of(errs, "short_title"), false);
    form_input(b, "text", "signed_on", "Date de signature", signed_on,
               "JJ/MM/AAAA, par exemple 20/12/2018.", form_error_of(errs, "signed_on"), false);
    form_input(b, "number", "start_year", "Année de début", start, NULL,
               form_error_of(errs, "start_year"), false);
    form_input(b, "number", "end_year", "Année de fin", end, NULL,
               form_error_of(errs, "end_year"), false);
    /* The reporting year: every page, document and API answer shows it by default. */
    const char *reporting = form_value(req, "reporting_year");
    if (!*reporting)
        reporting = int_text(req->arena, e->reporting_year);
    int computed = 0;
    if (figures_default_year(req->db, c->id, &computed) != ERR_OK)
        computed = 0;
    const char *help =
        computed ? edit_fmt(req->arena, "L'année que montrent par défaut l'accueil, la liste des "
                                        "actions, le tableau de bord, le calendrier, le bilan et "
                                        "l'API. Vide : calculée, aujourd'hui %d (la dernière "
                                        "année où la plupart des actions ont un état).",
                            computed)
                 : "L'année que montrent par défaut les pages, le bilan et l'API. Vide : "
                   "calculée (la dernière année où la plupart des actions ont un état).";
    form_input(b, "number", "reporting_year", "Année du bilan", reporting, help,
               form_error_of(errs, "reporting_year"), false);
    static const char *const statuses[] = {"draft", "active", "closed"};
    const char *labels[3];
    for (int i = 0; i < 3; i++)
        labels[i] = contract_status_label(statuses[i]);
    form_select(b, "status", "Statut", statuses, labels, 3, e->status,
                form_error_of(errs, "status"), true);
    buf_puts(b, "<fieldset class=\"field\"><legend>Ce que voit le public (sans compte)"
                "</legend><p class=\"help\">Par défaut, le public voit la stratégie, les "
                "intitulés des actions et leur état d'avancement, mais ni les remarques ni le nom "
                "des personnes.</p>");
    edit_checkbox(b, "public_remarks", "Rendre publiques les remarques et préconisations", NULL,
                  e->public_remarks);
    edit_checkbox(b, "public_people", "Rendre publics les noms des personnes",
                  "Représentants des signataires, auteurs des états d'avancement.",
                  e->public_people);
    buf_puts(b, "</fieldset>");
    form_end(b, "Enregistrer le contrat");
}

static void contract_view(struct req *req, struct res *res, const struct contract *c,
                          const struct contract_edit *e, const char *signed_on, const char *start,
                          const char *end, int version, const struct form_errors *errs,
                          const struct audit_entry *changes, int n_changes, bool conflict)
{
    edit_begin(req, res, c, "Modifier le contrat", NULL, NULL, "Modifier");
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    buf_printf(b, "<ul class=\"links noprint\"><li><a href=\"/contracts/%lld/tree\">Arbre de la "
                  "stratégie : objectifs</a></li><li><a href=\"/contracts/%lld/actions/new\">"
                  "Nouvelle action</a></li><li><a href=\"/organisations/new\">Nouvelle "
                  "organisation</a></li><li><a href=\"/contracts/%lld/audit\">Journal des "
                  "modifications</a></li></ul>",
               c->id, c->id, c->id);
    if (conflict)
        edit_conflict_box(b, req->arena, changes, n_changes);
    contract_form(req, res, c, e, signed_on, start, end, version, errs);
    struct signatory *sigs;
    int n;
    if (contract_signatories(req->db, req->arena, c->id, &sigs, &n) == ERR_OK)
        signatories_section(req, res, c, sigs, n);
    page_end(res);
}

int contract_edit_page(struct req *req, struct res *res)
{
    struct contract c;
    struct contract_meta m;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    if (contract_meta_get(req->db, c.id, &m) != ERR_OK)
        return page_db_error(req, res);
    struct contract_edit e = {.title = c.title,
                              .short_title = c.short_title,
                              .signed_on = c.signed_on,
                              .start_year = c.start_year,
                              .end_year = c.end_year,
                              .reporting_year = c.reporting_year,
                              .status = c.status,
                              .public_remarks = m.public_remarks,
                              .public_people = m.public_people};
    const char *signed_on = *c.signed_on ? date_fr(req->arena, c.signed_on) : "";
    contract_view(req, res, &c, &e, signed_on, int_text(req->arena, c.start_year),
                  int_text(req->arena, c.end_year), m.version, NULL, NULL, 0, false);
    return 200;
}

int contract_edit_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct contract_meta m;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    if (contract_meta_get(req->db, c.id, &m) != ERR_OK)
        return page_db_error(req, res);
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    struct form_errors errs = {0};
    char date[11];
    const char *signed_on = form_value(req, "signed_on");
    if (edit_parse_date(signed_on, date) != ERR_OK)
        form_error(&errs, "signed_on", "Écrivez la date sous la forme JJ/MM/AAAA.");
    bool ok_start = true, ok_end = true, ok_rep = true;
    struct contract_edit e = {.title = form_value(req, "title"),
                              .short_title = form_value(req, "short_title"),
                              .signed_on = date,
                              .start_year = edit_form_year(req, "start_year", &ok_start),
                              .end_year = edit_form_year(req, "end_year", &ok_end),
                              .reporting_year = edit_form_year(req, "reporting_year", &ok_rep),
                              .status = form_value(req, "status"),
                              .public_remarks = str_eq(req_form(req, "public_remarks"), "1"),
                              .public_people = str_eq(req_form(req, "public_people"), "1")};
    if (!ok_start)
        form_error(&errs, "start_year", "L'année de début s'écrit en chiffres, entre 1990 et "
                                        "2100.");
    if (!ok_end)
        form_error(&errs, "end_year", "L'année de fin s'écrit en chiffres, entre 1990 et 2100.");
    if (!ok_rep)
        form_error(&errs, "reporting_year", "L'année du bilan s'écrit en chiffres, entre 1990 et "
                                            "2100 ; laissez vide pour la calculer.");
    struct problems p = {0};
    contract_check(&e, &p);
    edit_problems(&p, &errs);
    const char *start = form_value(req, "start_year"), *end = form_value(req, "end_year");
    if (errs.n) {
        contract_view(req, res, &c, &e, signed_on, start, end, version, &errs, NULL, 0, false);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    rc = contract_update(req->db, &who, c.id, version, &e);
    if (rc == ERR_CONFLICT && contract_meta_get(req->db, c.id, &m) == ERR_OK &&
        m.version != version) {
        struct audit_entry *changes;
        int n = edit_changes_since(req, "contract", c.id, version, &changes);
        contract_view(req, res, &c, &e, signed_on, start, end, m.version, NULL, changes, n,
                      true);
        return answer(res, 409);
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/contracts/%lld?saved=1", c.id));
}

/* ---- signatories --------------------------------------------------------------------------- */

static void signatory_form(struct req *req, struct res *res, const char *action,
                           const struct signatory *s, const char *signed_on, int version,
                           const struct form_errors *errs, const char *submit)
{
    struct buf *b = &res->body;
    struct organisation *orgs;
    int n_orgs = 0;
    if (organisation_all(req->db, req->arena, &orgs, &n_orgs) != ERR_OK)
        n_orgs = 0;
    form_error_summary(b, errs);
    form_begin(b, action, auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    form_input(b, "text", "institution", "Institution", s->institution,
               "Comme l'écrit le bloc des signatures, par exemple « Agence régionale de santé "
               "Grand Est ».",
               form_error_of(errs, "institution"), true);
    edit_org_select(b, "organisation_id", NULL, "Organisation de l'annuaire", orgs, n_orgs,
                    s->organisation_id, "— aucune —", "Pour relier le signataire à sa fiche.",
                    form_error_of(errs, "organisation_id"));
    form_input(b, "text", "representative_name", "Représentant", s->representative_name,
               "Nom de la personne qui signe (visible du public seulement si le contrat le "
               "permet).",
               form_error_of(errs, "representative_name"), false);
    form_input(b, "text", "representative_title", "Qualité", s->representative_title,
               "Par exemple « Directrice générale ».", form_error_of(errs, "representative_title"),
               false);
    form_input(b, "text", "represented_by", "Représenté par", s->represented_by, NULL,
               form_error_of(errs, "represented_by"), false);
    form_input(b, "text", "signed_on", "Date de signature", signed_on, "JJ/MM/AAAA.",
               form_error_of(errs, "signed_on"), false);
    form_textarea(b, "note", "Note", s->note, NULL, form_error_of(errs, "note"), false);
    form_end(b, submit);
}

/* The signatories with their "Modifier" links; with_form: the add form under them (on its own
 * page, so that its field ids do not clash with the contract form's). */
static void signatories_list(struct req *req, struct res *res, const struct contract *c,
                             const struct signatory *sigs, int n, bool with_form)
{
    struct buf *b = &res->body;
    if (n == 0) {
        buf_puts(b, "<p>Aucun signataire pour l'instant.</p>");
    } else {
        buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Institution"
                    "</th><th scope=\"col\">Représentant</th><th scope=\"col\">Signé le</th>"
                    "<th scope=\"col\">Modifier</th></tr></thead><tbody>");
        for (int i = 0; i < n; i++)
            buf_printf(b, "<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td><td><a href=\""
                          "/signatories/%lld/edit\">Modifier<span class=\"visually-hidden\"> "
                          "%h</span></a></td></tr>",
                       sigs[i].institution, sigs[i].representative_name,
                       date_fr(req->arena, sigs[i].signed_on), sigs[i].id, sigs[i].institution);
        buf_puts(b, "</tbody></table></div>");
    }
    if (!with_form) {
        buf_printf(b, "<p><a class=\"button\" href=\"/contracts/%lld/signatories\">Ajouter un "
                      "signataire</a></p>",
                   c->id);
        return;
    }
    buf_puts(b, "<h2>Ajouter un signataire</h2>");
    struct signatory empty = {.institution = "", .representative_name = "",
                              .representative_title = "", .represented_by = "", .note = ""};
    signatory_form(req, res, edit_fmt(req->arena, "/contracts/%lld/signatories", c->id), &empty,
                   "", 0, NULL, "Ajouter le signataire");
}

static void signatories_section(struct req *req, struct res *res, const struct contract *c,
                                const struct signatory *sigs, int n)
{
    buf_puts(&res->body, "<h2 id=\"signataires\">Signataires</h2>");
    signatories_list(req, res, c, sigs, n, false);
}

int signatories_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct signatory *sigs;
    int n;
    if (contract_signatories(req->db, req->arena, c.id, &sigs, &n) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, &c, "Signataires du contrat", "Modifier le contrat",
          edit_fmt(req->arena, "/contracts/%lld/edit", c.id), "Signataires");
    edit_saved_notice(req, &res->body);
    signatories_list(req, res, &c, sigs, n, true);
    page_end(res);
    return 200;
}

/* Reads the signatory form; errors of parsing go to errs. */
static void read_signatory(struct req *req, struct signatory *s, char date[11],
                           struct form_errors *errs)
{
    bool ok = true;
    memset(s, 0, sizeof *s);
    s->institution = (char *)form_value(req, "institution");
    s->organisation_id = edit_form_id(req, "organisation_id", &ok);
    if (!ok)
        form_error(errs, "organisation_id", "Choisissez l'organisation dans la liste.");
    s->representative_name = (char *)form_value(req, "representative_name");
    s->representative_title = (char *)form_value(req, "representative_title");
    s->represented_by = (char *)form_value(req, "represented_by");
    s->note = (char *)form_value(req, "note");
    if (edit_parse_date(form_value(req, "signed_on"), date) != ERR_OK)
        form_error(errs, "signed_on", "Écrivez la date sous la forme JJ/MM/AAAA.");
    s->signed_on = date;
    struct problems p = {0};
    signatory_check(req->db, s, &p);
    edit_problems(&p, errs);
}

int signatory_add_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct signatory s;
    char date[11];
    struct form_errors errs = {0};
    read_signatory(req, &s, date, &errs);
    if (errs.n) {
        edit_begin(req, res, &c, "Ajouter un signataire", "Signataires",
              edit_fmt(req->arena, "/contracts/%lld/signatories", c.id), "Ajouter");
        signatory_form(req, res, edit_fmt(req->arena, "/contracts/%lld/signatories", c.id), &s,
                       form_value(req, "signed_on"), 0, &errs, "Ajouter le signataire");
        page_end(res);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    long long id;
    if (signatory_new(req->db, &who, c.id, &s, &id) != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena,
                                          "/contracts/%lld/signatories?saved=signatory",
                                          c.id));
}

/* Loads the route's signatory and its contract; 0 or the error page's status. */
static int load_signatory(struct req *req, struct res *res, struct signatory *s,
                          struct contract *c, int *version)
{
    long long cid;
    int rc = signatory_get(req->db, req->arena, req->ids[0], &cid, s, version);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Signataire introuvable",
                          "Aucun signataire ne porte ce numéro.");
    if (rc != ERR_OK || contract_get(req->db, req->arena, cid, c) != ERR_OK)
        return page_db_error(req, res);
    return 0;
}

static void signatory_view(struct req *req, struct res *res, const struct contract *c,
                           const struct signatory *s, const char *signed_on, int version,
                           const struct form_errors *errs, const struct audit_entry *changes,
                           int n_changes, bool conflict)
{
    edit_begin(req, res, c, "Modifier un signataire", "Signataires",
          edit_fmt(req->arena, "/contracts/%lld/signatories", c->id), s->institution);
    if (conflict)
        edit_conflict_box(&res->body, req->arena, changes, n_changes);
    signatory_form(req, res, edit_fmt(req->arena, "/signatories/%lld/edit", s->id), s, signed_on,
                   version, errs, "Enregistrer le signataire");
    page_end(res);
}

int signatory_edit_page(struct req *req, struct res *res)
{
    struct signatory s;
    struct contract c;
    int version;
    int rc = load_signatory(req, res, &s, &c, &version);
    if (rc)
        return rc;
    signatory_view(req, res, &c, &s, date_fr(req->arena, s.signed_on), version, NULL, NULL, 0,
                   false);
    return 200;
}

int signatory_edit_submit(struct req *req, struct res *res)
{
    struct signatory old, s;
    struct contract c;
    int current, version;
    int rc = load_signatory(req, res, &old, &c, &current);
    if (rc)
        return rc;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    char date[11];
    struct form_errors errs = {0};
    read_signatory(req, &s, date, &errs);
    s.id = old.id;
    const char *signed_on = form_value(req, "signed_on");
    if (errs.n) {
        signatory_view(req, res, &c, &s, signed_on, version, &errs, NULL, 0, false);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    rc = signatory_update(req->db, &who, s.id, version, &s);
    long long cid;
    if (rc == ERR_CONFLICT &&
        signatory_get(req->db, req->arena, s.id, &cid, &old, &current) == ERR_OK &&
        current != version) {
        struct audit_entry *changes;
        int n = edit_changes_since(req, "signatory", s.id, version, &changes);
        signatory_view(req, res, &c, &s, signed_on, current, NULL, changes, n, true);
        return answer(res, 409);
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena,
                                          "/contracts/%lld/signatories?saved=signatory",
                                          c.id));
}

/* ---- organisations ------------------------------------------------------------------------- */

/* Aliases are stored " | "-separated and typed one per line. */
static const char *aliases_lines(struct arena *a, const char *aliases)
{
    struct buf b = {0};
    for (const char *p = aliases; *p; p++) {
        if (*p == '|') {
            while (b.len && b.p[b.len - 1] == ' ')
                b.p[--b.len] = '\0';
            buf_putc(&b, '\n');
            while (p[1] == ' ')
                p++;
        } else {
            buf_putc(&b, *p);
        }
    }
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static const char *aliases_joined(struct arena *a, const char *lines)
{
    struct buf b = {0};
    const char *p = lines;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\t' || p[n - 1] == '|'))
            n--;
        if (n) {
            if (b.len)
                buf_puts(&b, " | ");
            for (size_t i = 0; i < n; i++)
                buf_putc(&b, p[i] == '|' ? '/' : p[i]);
        }
        p += end ? (size_t)(end - p) + 1 : strlen(p);
    }
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void organisation_view(struct req *req, struct res *res, const struct organisation *o,
                              const char *aliases, int version, const struct form_errors *errs,
                              const struct audit_entry *changes, int n_changes, bool conflict)
{
    struct crumb crumbs[3];
    int n = 0;
    crumbs[n++] = (struct crumb){"Contrats", "/"};
    if (o->id)
        crumbs[n++] = (struct crumb){o->name, edit_fmt(req->arena, "/organisations/%lld", o->id)};
    crumbs[n++] = (struct crumb){o->id ? "Modifier" : "Nouvelle organisation", NULL};
    page_begin(res, o->id ? "Modifier une organisation" : "Nouvelle organisation", crumbs, n);
    struct buf *b = &res->body;
    if (o->id)
        organisation_shared_notice(req, b, o->id);
    if (conflict)
        edit_conflict_box(b, req->arena, changes, n_changes);
    form_error_summary(b, errs);
    form_begin(b, o->id ? edit_fmt(req->arena, "/organisations/%lld/edit", o->id)
                        : "/organisations/new",
               auth_form_token(req, res));
    if (version)
        edit_version_field(b, req->arena, version);
    form_input(b, "text", "name", "Nom", o->name, NULL, form_error_of(errs, "name"), true);
    const char *types[32], *labels[32];
    int nt = 0;
    types[nt] = "";
    labels[nt++] = "— choisir —";
    for (int i = 0; organisation_types[i] && nt < 32; i++) {
        types[nt] = organisation_types[i];
        labels[nt++] = organisation_type_label(organisation_types[i]);
    }
    form_select(b, "type", "Type", types, labels, nt, o->type, form_error_of(errs, "type"), true);
    form_input(b, "text", "acronym", "Sigle", o->acronym, "Par exemple « CPAM ».",
               form_error_of(errs, "acronym"), false);
    form_textarea(b, "aliases", "Autres graphies", aliases,
                  "Une par ligne : les façons dont les tableaux de suivi écrivent ce nom, pour "
                  "que l'import la reconnaisse.",
                  form_error_of(errs, "aliases"), false);
    form_end(b, o->id ? "Enregistrer l'organisation" : "Créer l'organisation");
    page_end(res);
}

static void read_organisation(struct req *req, struct organisation *o, struct form_errors *errs)
{
    o->name = (char *)form_value(req, "name");
    o->type = (char *)form_value(req, "type");
    o->acronym = (char *)form_value(req, "acronym");
    o->aliases = (char *)aliases_joined(req->arena, form_value(req, "aliases"));
    struct problems p = {0};
    organisation_check(req->db, o->id, o, &p);
    edit_problems(&p, errs);
}

int organisation_new_page(struct req *req, struct res *res)
{
    struct organisation o = {.name = "", .type = "", .acronym = "", .aliases = ""};
    organisation_view(req, res, &o, "", 0, NULL, NULL, 0, false);
    return 200;
}

int organisation_new_submit(struct req *req, struct res *res)
{
    struct organisation o = {0};
    struct form_errors errs = {0};
    read_organisation(req, &o, &errs);
    if (errs.n) {
        organisation_view(req, res, &o, form_value(req, "aliases"), 0, &errs, NULL, 0, false);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    long long id;
    if (organisation_add(req->db, &who, &o, &id) != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/organisations/%lld?saved=created", id));
}

int organisation_edit_page(struct req *req, struct res *res)
{
    struct organisation o;
    int version;
    int rc = organisation_get(req->db, req->arena, req->ids[0], &o);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisation introuvable",
                          "Aucune organisation ne porte ce numéro.");
    if (rc != ERR_OK || organisation_version(req->db, o.id, &version) != ERR_OK)
        return page_db_error(req, res);
    if (!edit_organisation_in_scope(req, o.id)) /* another contract shows it */
        return organisation_refuse_shared(req, res, o.id, &o, NULL);
    organisation_view(req, res, &o, aliases_lines(req->arena, o.aliases), version, NULL, NULL, 0,
                      false);
    return 200;
}

int organisation_edit_submit(struct req *req, struct res *res)
{
    struct organisation cur;
    int current, version;
    int rc = organisation_get(req->db, req->arena, req->ids[0], &cur);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisation introuvable",
                          "Aucune organisation ne porte ce numéro.");
    if (rc != ERR_OK || organisation_version(req->db, cur.id, &current) != ERR_OK)
        return page_db_error(req, res);
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    struct organisation o = {.id = cur.id};
    struct form_errors errs = {0};
    read_organisation(req, &o, &errs);
    if (!edit_organisation_in_scope(req, cur.id)) /* what was asked goes to a copy instead */
        return organisation_refuse_shared(req, res, cur.id, &o, NULL);
    if (errs.n) {
        organisation_view(req, res, &o, form_value(req, "aliases"), version, &errs, NULL, 0,
                          false);
        return answer(res, 422);
    }
    struct actor who = edit_actor(req);
    rc = organisation_update(req->db, &who, edit_scope(req), cur.id, version, &o);
    if (rc == ERR_CONFLICT && organisation_version(req->db, cur.id, &current) == ERR_OK &&
        current != version) {
        struct audit_entry *changes;
        int n = edit_changes_since(req, "organisation", cur.id, version, &changes);
        organisation_view(req, res, &o, form_value(req, "aliases"), current, NULL, changes, n,
                          true);
        return answer(res, 409);
    }
    if (rc == ERR_FORBIDDEN) /* shared in between */
        return organisation_refuse_shared(req, res, cur.id, &o, NULL);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/organisations/%lld?saved=1", cur.id));
}
