/* action_edit.c — the action forms: edit (carrier of the action or coordinator), create and
 * archive (coordinator), and the yearly status form. Forms work without JavaScript: POST, then
 * 303 to the action page with a success notice, or the form again with the input kept (422) or
 * with what changed in between (409). Must not contain SQL nor check roles (routes.c does). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "model/account/account.h"
#include "model/plan/action.h"
#include "model/core/contract.h"
#include "model/plan/editing.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "model/core/access.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/filters.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"

/* What an action form needs. x.id is 0 for a new action. */
struct action_ctx {
    struct action x;
    int version;
    bool archived;
    struct contract c;
    struct objective *objs; /* active objectives of the contract */
    int n_objs;
    struct organisation *orgs; /* the whole directory, by name */
    int n_orgs;
    bool coordinator; /* may move the action to another objective */
};

/* Loads the contract's tree and directory into v; 0 or the error page's status. */
static int load_contract_part(struct req *req, struct res *res, long long contract_id,
                              struct action_ctx *v)
{
    int rc = load_contract(req, res, contract_id, &v->c);
    if (rc)
        return rc;
    if (objective_list(req->db, req->arena, contract_id, &v->objs, &v->n_objs) != ERR_OK ||
        organisation_all(req->db, req->arena, &v->orgs, &v->n_orgs) != ERR_OK)
        return page_db_error(req, res);
    v->coordinator = auth_may(req, ROLE_COORDINATOR, contract_id, false);
    return 0;
}

/* Loads the route's action and its contract; 0 or the error page's status. */
static int load_action(struct req *req, struct res *res, struct action_ctx *v)
{
    memset(v, 0, sizeof *v);
    int rc = action_get(req->db, req->arena, req->ids[0], 0, &v->x);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable",
                          "Aucune action ne porte ce numéro. Retrouvez-la dans la liste des "
                          "actions de son contrat.");
    if (rc != ERR_OK || action_meta(req->db, v->x.id, &v->version, &v->archived) != ERR_OK)
        return page_db_error(req, res);
    return load_contract_part(req, res, v->x.contract_id, v);
}

static const char *contract_name(const struct contract *c)
{
    return *c->short_title ? c->short_title : c->title;
}

/* Begins an action page: Contrats › contract › Actions › action › what. */
static void begin(struct req *req, struct res *res, const struct action_ctx *v, const char *title,
                  const char *what)
{
    struct crumb crumbs[5];
    int n = 0;
    crumbs[n++] = (struct crumb){"Contrats", "/"};
    crumbs[n++] = (struct crumb){contract_name(&v->c), edit_fmt(req->arena, "/contracts/%lld",
                                                            v->c.id)};
    crumbs[n++] =
        (struct crumb){"Actions", edit_fmt(req->arena, "/contracts/%lld/actions", v->c.id)};
    if (v->x.id)
        crumbs[n++] = (struct crumb){*v->x.code ? v->x.code : "Piste d'action",
                                     edit_fmt(req->arena, "/actions/%lld", v->x.id)};
    crumbs[n++] = (struct crumb){what, NULL};
    page_begin(res, title, crumbs, n);
}

int action_current_year(const struct req *req)
{
    return date_of_time((long long)req->now).y;
}

/* ---- the status form ---------------------------------------------------------------------- */

/* The status form with the given values (status ST_NONE: none chosen yet). */
static void status_form(struct buf *b, const char *csrf, long long action_id, const char *year,
                        enum status st, const char *remarks, const char *recs,
                        const struct form_errors *errs)
{
    char action[64];
    snprintf(action, sizeof action, "/actions/%lld/status", action_id);
    form_error_summary(b, errs);
    form_begin(b, action, csrf);
    form_input(b, "number", "year", "Année", year, "L'année dont vous décrivez l'avancement.",
               form_error_of(errs, "year"), true);
    const char *values[ST_COUNT + 1], *labels[ST_COUNT + 1];
    values[0] = "";
    labels[0] = "— choisir —";
    for (int s = 0; s < ST_COUNT; s++) {
        values[s + 1] = status_key((enum status)s);
        labels[s + 1] = status_label((enum status)s);
    }
    form_select(b, "status", "État d'avancement", values, labels, ST_COUNT + 1,
                st == ST_NONE ? "" : status_key(st), form_error_of(errs, "status"), true);
    form_textarea(b, "remarks", "Remarques", remarks,
                  "Commencez une avancée par (+) et une difficulté par (-). Aucune donnée de "
                  "santé sur des personnes : seulement des nombres (participants, séances…).",
                  form_error_of(errs, "remarks"), false);
    form_textarea(b, "recommendations", "Préconisations", recs,
                  "Ce qu'il faudrait faire ensuite, pour le porteur ou la coordination.",
                  form_error_of(errs, "recommendations"), false);
    form_end(b, "Enregistrer l'état d'avancement");
}

void action_status_section(struct req *req, struct res *res, const struct action *x)
{
    int year = action_current_year(req);
    enum status st = ST_NONE;
    const char *remarks = "", *recs = "";
    for (int i = 0; i < x->n_history; i++)
        if (x->history[i].year == year) { /* the latest row of the year wins */
            st = x->history[i].status;
            remarks = x->history[i].remarks;
            recs = x->history[i].recommendations;
        }
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    struct buf *b = &res->body;
    buf_puts(b, "<section class=\"status-form noprint\" aria-labelledby=\"etat-form\">"
                "<h2 id=\"etat-form\">Enregistrer l'état d'avancement</h2><p>Chaque "
                "enregistrement s'ajoute à l'historique : rien n'est effacé.</p>");
    status_form(b, auth_form_token(req, res), x->id, y, st, remarks, recs, NULL);
    buf_puts(b, "</section>");
}

int action_status_submit(struct req *req, struct res *res)
{
    struct action_ctx v;
    int rc = load_action(req, res, &v);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    bool ok = true;
    int year = edit_form_year(req, "year", &ok);
    if (!ok || !year)
        form_error(&errs, "year", "Indiquez l'année en chiffres, entre 1990 et 2100.");
    else if (year > action_current_year(req) + 1)
        form_error(&errs, "year", "Cette année n'est pas encore commencée.");
    enum status st = status_from_key(form_value(req, "status"));
    if (st == ST_NONE)
        form_error(&errs, "status", "Choisissez l'état d'avancement dans la liste.");
    const char *remarks = form_value(req, "remarks"), *recs = form_value(req, "recommendations");
    if (strlen(remarks) > EDIT_TEXT_MAX)
        form_error(&errs, "remarks", "Les remarques dépassent 20 000 caractères.");
    if (strlen(recs) > EDIT_TEXT_MAX)
        form_error(&errs, "recommendations", "Les préconisations dépassent 20 000 caractères.");
    if (errs.n) {
        begin(req, res, &v, "Enregistrer l'état d'avancement", "État d'avancement");
        buf_printf(&res->body, "<p class=\"lede\">%h</p>", v.x.title);
        status_form(&res->body, auth_form_token(req, res), v.x.id, form_value(req, "year"), st,
                    remarks, recs, &errs);
        buf_printf(&res->body, "<p><a href=\"/actions/%lld\">Revenir à l'action sans "
                               "enregistrer</a></p>",
                   v.x.id);
        page_end(res);
        res->status = 422;
        return 422;
    }
    struct actor who = edit_actor(req);
    bool added = false;
    rc = action_status_add(req->db, &who, v.x.id, year, st, remarks, recs, &added);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res,
                         edit_fmt(req->arena, added ? "/actions/%lld?saved=status#historique"
                                                : "/actions/%lld?saved=same#historique",
                              v.x.id));
}

/* ---- the action form ---------------------------------------------------------------------- */

/* The operational objectives as a select grouped by specific objective. */
static void objective_select(struct buf *b, struct arena *a, const struct action_ctx *v,
                             long long selected, const char *error)
{
    buf_printf(b, "<div class=\"field%s\"><label for=\"f-objective_id\">Objectif opérationnel "
                  "<span class=\"required\">(obligatoire)</span></label>",
               error ? " has-error" : "");
    if (error)
        buf_printf(b, "<p class=\"field-error\" id=\"f-objective_id-error\">%h</p>", error);
    buf_printf(b, "<select id=\"f-objective_id\" name=\"objective_id\"%s>"
                  "<option value=\"\">— choisir —</option>",
               error ? " aria-describedby=\"f-objective_id-error\" aria-invalid=\"true\"" : "");
    for (int i = 0; i < v->n_objs; i++) {
        const struct objective *s = &v->objs[i];
        if (s->level != OBJ_SPECIFIC)
            continue;
        buf_printf(b, "<optgroup label=\"Objectif spécifique %h — %h\">", s->code,
                   text_short(a, s->title, 60));
        for (int j = 0; j < v->n_objs; j++) {
            const struct objective *o = &v->objs[j];
            if (o->level != OBJ_OPERATIONAL || o->parent_id != s->id)
                continue;
            buf_printf(b, "<option value=\"%lld\"%s>%h — %h</option>", o->id,
                       o->id == selected ? " selected" : "", o->code,
                       text_short(a, o->title, 90));
        }
        buf_puts(b, "</optgroup>");
    }
    /* Operational objectives without a specific parent, if any. */
    for (int j = 0; j < v->n_objs; j++) {
        const struct objective *o = &v->objs[j];
        int p = objective_index(v->objs, v->n_objs, o->parent_id);
        if (o->level == OBJ_OPERATIONAL && (p < 0 || v->objs[p].level != OBJ_SPECIFIC))
            buf_printf(b, "<option value=\"%lld\"%s>%h — %h</option>", o->id,
                       o->id == selected ? " selected" : "", o->code,
                       text_short(a, o->title, 90));
    }
    buf_puts(b, "</select></div>");
}

/* A field the person sees but may not change (plain text, escaped here). */
static void readonly_field(struct buf *b, const char *name, const char *label, const char *value,
                           const char *error, const char *help)
{
    buf_printf(b, "<div class=\"field readonly%s\" id=\"f-%h\"><p class=\"label\">%h</p>",
               error ? " has-error" : "", name, label);
    if (error)
        buf_printf(b, "<p class=\"field-error\">%h</p>", error);
    buf_printf(b, "<p>%h</p>", value);
    if (help)
        buf_printf(b, "<p class=\"help\">%h</p>", help);
    buf_puts(b, "</div>");
}

/* The action form: fields in the model's order, the version hidden for an existing action. */
static void action_form(struct req *req, struct res *res, const struct action_ctx *v,
                        const struct action_edit *e, int version, const struct form_errors *errs,
                        const char *action_url, const char *submit, bool conflict)
{
    struct buf *b = &res->body;
    if (!conflict)
        form_error_summary(b, errs);
    form_begin(b, action_url, auth_form_token(req, res));
    if (version) {
        char ver[16];
        snprintf(ver, sizeof ver, "%d", version);
        form_hidden(b, "version", ver);
    }
    static const char *const kinds[] = {"sheet", "lead"};
    static const char *const kind_labels[] = {"Fiche action", "Piste d'action"};
    if (v->coordinator || !v->x.id) {
        form_select(b, "kind", "Type", kinds, kind_labels, 2, e->kind,
                    form_error_of(errs, "kind"), true);
        form_input(b, "text", "code", "Code", e->code,
                   "Le code de la fiche tel que le contrat l'écrit, par exemple 1.1.2. Une piste "
                   "d'action n'a pas encore de code : laissez vide.",
                   form_error_of(errs, "code"), false);
    } else {
        /* What only the coordination changes (action_role_check) is shown, not offered. */
        readonly_field(b, "kind", "Type", action_kind_label(v->x.kind),
                       form_error_of(errs, "kind"), NULL);
        readonly_field(b, "code", "Code", *v->x.code ? v->x.code : "(aucun)",
                       form_error_of(errs, "code"), NULL);
    }
    form_input(b, "text", "title", "Intitulé", e->title, NULL, form_error_of(errs, "title"),
               true);
    if (v->coordinator) {
        objective_select(b, req->arena, v, e->objective_id, form_error_of(errs, "objective_id"));
    } else {
        int i = objective_index(v->objs, v->n_objs, v->x.objective_id);
        struct buf name_text = {0}; /* plain text (raw %s): readonly_field escapes it */
        if (i >= 0)
            buf_printf(&name_text, "%s — %s", v->objs[i].code, v->objs[i].title);
        readonly_field(b, "objective_id", "Objectif opérationnel", buf_cstr(&name_text),
                       form_error_of(errs, "objective_id"),
                       "Seule la coordination du contrat peut rattacher l'action à un autre "
                       "objectif : écrivez-lui si c'est nécessaire.");
        buf_free(&name_text);
    }
    edit_org_select(b, "carrier_id", NULL, "Porteur", v->orgs, v->n_orgs, e->carrier_id,
                    "— sans porteur —", "L'organisation qui pilote l'action.",
                    form_error_of(errs, "carrier_id"));
    edit_org_set(b, "co_carrier", "Co-porteurs", "Ajouter un co-porteur", v->orgs, v->n_orgs,
                 e->co_carriers, e->n_co_carriers, form_error_of(errs, "co_carrier"));
    edit_org_set(b, "partner", "Partenaires", "Ajouter un partenaire", v->orgs, v->n_orgs,
                 e->partners, e->n_partners, form_error_of(errs, "partner"));
    if (v->coordinator)
        buf_puts(b, "<p class=\"help\">Une organisation absente de la liste ? "
                    "<a href=\"/organisations/new\">Ajoutez-la à l'annuaire</a>.</p>");
    else
        buf_puts(b, "<p class=\"help\">Une organisation absente de la liste ? Demandez à la "
                    "coordination du contrat de l'ajouter à l'annuaire.</p>");
    form_textarea(b, "notes", "Notes", e->notes,
                  "Ce qu'il faut savoir de l'action. Aucune donnée de santé sur des personnes.",
                  form_error_of(errs, "notes"), false);
    form_end(b, submit);
}

/* Reads the submitted action form into e; number errors go to errs. */
static void read_action_form(struct req *req, const struct action_ctx *v, struct action_edit *e,
                             struct form_errors *errs)
{
    memset(e, 0, sizeof *e);
    /* The carrier's form does not offer what only the coordination changes: absent fields keep
     * the action's values; posted ones are taken as asked, and action_role_check refuses them
     * as it refuses them through the API. */
    bool keep = !v->coordinator && v->x.id;
    e->kind = keep && !req_form(req, "kind") ? v->x.kind : form_value(req, "kind");
    e->code = keep && !req_form(req, "code") ? v->x.code : form_value(req, "code");
    e->title = form_value(req, "title");
    e->notes = form_value(req, "notes");
    bool ok = true;
    e->objective_id = keep && !req_form(req, "objective_id")
                          ? v->x.objective_id
                          : edit_form_id(req, "objective_id", &ok);
    if (!ok)
        form_error(errs, "objective_id", "Choisissez l'objectif dans la liste.");
    ok = true;
    e->carrier_id = edit_form_id(req, "carrier_id", &ok);
    if (!ok)
        form_error(errs, "carrier_id", "Choisissez le porteur dans la liste.");
    ok = true;
    e->n_co_carriers = edit_form_ids(req, "co_carrier", e->co_carriers, EDIT_MAX_ORGS, &ok);
    if (!ok)
        form_error(errs, "co_carrier", "Choisissez les co-porteurs dans la liste.");
    ok = true;
    e->n_partners = edit_form_ids(req, "partner", e->partners, EDIT_MAX_ORGS, &ok);
    if (!ok)
        form_error(errs, "partner", "Choisissez les partenaires dans la liste.");
}

/* After a refused save: the fields someone else changed and this person left as they loaded
 * them take the new values (re-saving must not undo the other's change); fields changed on
 * both sides keep this person's input with a note naming the other value. changes: the audit
 * entries since the version loaded, newest first. */
static void merge_changes(struct req *req, struct action_edit *e,
                          const struct audit_entry *changes, int n, struct form_errors *notes)
{
    static const char *const form_names[ACTION_FIELDS] = {
        "kind", "code", "title", "objective_id", "carrier_id", "co_carrier", "partner", "notes"};
    struct action now;
    if (action_get(req->db, req->arena, req->ids[0], 0, &now) != ERR_OK)
        return;
    struct action_edit cur;
    action_edit_from(&now, &cur);
    const char *mine[ACTION_FIELDS], *theirs[ACTION_FIELDS];
    action_edit_texts(req->db, req->arena, e, mine);
    action_edit_texts(req->db, req->arena, &cur, theirs);
    for (int k = 0; k < ACTION_FIELDS; k++) {
        const struct audit_entry *first = NULL, *last = NULL;
        for (int i = 0; i < n; i++)
            if (str_eq(changes[i].field, action_field_keys[k])) {
                if (!last)
                    last = &changes[i]; /* newest */
                first = &changes[i];    /* oldest: its old value is what was loaded */
            }
        if (!first || str_eq(mine[k], theirs[k]))
            continue;
        if (str_eq(mine[k], first->old_value)) {
            switch (k) {
            case 0: e->kind = cur.kind; break;
            case 1: e->code = cur.code; break;
            case 2: e->title = cur.title; break;
            case 3: e->objective_id = cur.objective_id; break;
            case 4: e->carrier_id = cur.carrier_id; break;
            case 5:
                memcpy(e->co_carriers, cur.co_carriers, sizeof cur.co_carriers);
                e->n_co_carriers = cur.n_co_carriers;
                break;
            case 6:
                memcpy(e->partners, cur.partners, sizeof cur.partners);
                e->n_partners = cur.n_partners;
                break;
            case 7: e->notes = cur.notes; break;
            }
            continue;
        }
        /* Plain text (raw %s): form.c escapes the message when it shows it. */
        struct buf msg_text = {0};
        buf_printf(&msg_text,
                   "%s l'a aussi modifié : « %s ». Votre saisie est conservée ci-dessous ; "
                   "gardez celle qui est juste.",
                   last->actor, *theirs[k] ? theirs[k] : "(vide)");
        form_error(notes, form_names[k], arena_strdup(req->arena, buf_cstr(&msg_text)));
        buf_free(&msg_text);
    }
}

static void edit_view(struct req *req, struct res *res, const struct action_ctx *v,
                      const struct action_edit *e, int version, const struct form_errors *errs,
                      const struct audit_entry *changes, int n_changes, bool conflict)
{
    begin(req, res, v, "Modifier l'action", "Modifier");
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"lede\">%h%s%h</p>", v->x.code, *v->x.code ? " — " : "", v->x.title);
    if (v->archived)
        buf_puts(b, "<p class=\"caution\">Cette action est archivée : elle n'apparaît plus dans "
                    "les listes ni les comptes.</p>");
    if (conflict)
        edit_conflict_box(b, req->arena, changes, n_changes);
    char url[64];
    snprintf(url, sizeof url, "/actions/%lld/edit", v->x.id);
    action_form(req, res, v, e, version, errs, url, "Enregistrer les modifications", conflict);
    buf_printf(b, "<p><a href=\"/actions/%lld\">Revenir à l'action sans enregistrer</a> · "
                  "<a href=\"/actions/%lld/history\">Historique des modifications</a></p>",
               v->x.id, v->x.id);
    if (!conflict && !(errs && errs->n))
        action_status_section(req, res, &v->x);
    if (v->coordinator) {
        buf_printf(b, "<section class=\"danger noprint\" aria-labelledby=\"archiver\"><h2 "
                      "id=\"archiver\">%s</h2>",
                   v->archived ? "Restaurer l'action" : "Archiver l'action");
        buf_printf(b, "<form method=\"post\" action=\"/actions/%lld/archive\">", v->x.id);
        form_hidden(b, "csrf", auth_form_token(req, res));
        char ver[16];
        snprintf(ver, sizeof ver, "%d", v->version);
        form_hidden(b, "version", ver);
        if (v->archived) {
            form_hidden(b, "restore", "1");
            buf_puts(b, "<p>L'action reviendra dans les listes, l'arbre et les comptes.</p>"
                        "<p><button type=\"submit\">Restaurer l'action</button></p></form>");
        } else {
            buf_puts(b, "<p>Une action archivée sort des listes, de l'arbre et des comptes ; "
                        "sa page et son historique restent consultables et elle peut être "
                        "restaurée.</p><p><button type=\"submit\">Archiver l'action</button>"
                        "</p></form>");
        }
        buf_puts(b, "</section>");
    }
    page_end(res);
}

int action_edit_page(struct req *req, struct res *res)
{
    struct action_ctx v;
    int rc = load_action(req, res, &v);
    if (rc)
        return rc;
    struct action_edit e;
    action_edit_from(&v.x, &e);
    edit_view(req, res, &v, &e, v.version, NULL, NULL, 0, false);
    return 200;
}

int action_edit_submit(struct req *req, struct res *res)
{
    struct action_ctx v;
    int rc = load_action(req, res, &v);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version de la fiche manque : rechargez la page de "
                          "modification et recommencez.");
    struct action_edit e, was;
    struct form_errors errs = {0};
    read_action_form(req, &v, &e, &errs);
    action_edit_from(&v.x, &was);
    struct action_editor editor = {v.coordinator,
                                   req->account ? req->account->organisation_id : 0};
    struct problems p = {0};
    action_role_check(&was, &e, &editor, &p);
    int refused = p.n ? 403 : 422; /* a field this account may not change, as the API says */
    action_check(req->db, v.x.contract_id, v.x.id, &e, &p);
    edit_problems(&p, &errs);
    if (errs.n) {
        edit_view(req, res, &v, &e, version, &errs, NULL, 0, false);
        res->status = refused;
        return refused;
    }
    struct actor who = edit_actor(req);
    rc = action_update(req->db, &who, v.x.id, version, &e);
    int now = version;
    bool archived;
    if (rc == ERR_CONFLICT && action_meta(req->db, v.x.id, &now, &archived) == ERR_OK &&
        now != version) {
        struct audit_filter f = {.entity = "action", .entity_id = v.x.id,
                                 .after_version = version};
        struct audit_entry *changes = NULL;
        int n = 0;
        if (audit_list(req->db, req->arena, &f, &changes, &n) != ERR_OK)
            n = 0;
        /* The form now carries the current version: saving again is a deliberate choice, with
         * the other person's changes merged in where this person had not touched the field. */
        struct form_errors notes = {0};
        merge_changes(req, &e, changes, n, &notes);
        edit_view(req, res, &v, &e, now, &notes, changes, n, true);
        res->status = 409;
        return 409;
    }
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Action introuvable", "Cette action n'existe plus.");
    if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
        form_error(&errs, "title", "L'enregistrement a été refusé : vérifiez les champs et "
                                   "réessayez.");
        edit_view(req, res, &v, &e, version, &errs, NULL, 0, false);
        res->status = 422;
        return 422;
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/actions/%lld?saved=1", v.x.id));
}

/* ---- new action, archive ------------------------------------------------------------------ */

static void new_view(struct req *req, struct res *res, const struct action_ctx *v,
                     const struct action_edit *e, const struct form_errors *errs)
{
    begin(req, res, v, "Nouvelle action", "Nouvelle action");
    buf_printf(&res->body, "<p class=\"lede\">Ajouter une fiche action ou une piste d'action au "
                           "contrat %h.</p>",
               v->c.title);
    char url[64];
    snprintf(url, sizeof url, "/contracts/%lld/actions/new", v->c.id);
    action_form(req, res, v, e, 0, errs, url, "Créer l'action", false);
    page_end(res);
}

int action_new_page(struct req *req, struct res *res)
{
    struct action_ctx v;
    memset(&v, 0, sizeof v);
    int rc = load_contract_part(req, res, req->ids[0], &v);
    if (rc)
        return rc;
    long long objective = 0;
    if (filter_param_id(req, "objective", &objective) != ERR_OK)
        objective = 0;
    struct action_edit e = {.kind = "sheet", .code = "", .title = "", .notes = "",
                            .objective_id = objective};
    new_view(req, res, &v, &e, NULL);
    return 200;
}

int action_new_submit(struct req *req, struct res *res)
{
    struct action_ctx v;
    memset(&v, 0, sizeof v);
    int rc = load_contract_part(req, res, req->ids[0], &v);
    if (rc)
        return rc;
    v.coordinator = true; /* the route is the coordinator's */
    struct action_edit e;
    struct form_errors errs = {0};
    read_action_form(req, &v, &e, &errs);
    struct problems p = {0};
    action_check(req->db, v.c.id, 0, &e, &p);
    edit_problems(&p, &errs);
    if (errs.n) {
        new_view(req, res, &v, &e, &errs);
        res->status = 422;
        return 422;
    }
    struct actor who = edit_actor(req);
    long long id = 0;
    rc = action_add(req->db, &who, v.c.id, &e, &id);
    if (rc == ERR_INVALID) {
        form_error(&errs, "title", "L'enregistrement a été refusé : vérifiez les champs.");
        new_view(req, res, &v, &e, &errs);
        res->status = 422;
        return 422;
    }
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(req, res, edit_fmt(req->arena, "/actions/%lld?saved=created", id));
}

int action_archive_submit(struct req *req, struct res *res)
{
    struct action_ctx v;
    int rc = load_action(req, res, &v);
    if (rc)
        return rc;
    int version;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page et recommencez.");
    bool restore = str_eq(req_form(req, "restore"), "1");
    struct actor who = edit_actor(req);
    const char *why = NULL;
    rc = action_archive(req->db, &who, v.x.id, version, !restore, &why);
    if (rc == ERR_OK)
        return edit_redirect(req, res, edit_fmt(req->arena,
                                            restore ? "/actions/%lld?saved=restored"
                                                    : "/actions/%lld?saved=archived",
                                            v.x.id));
    if (rc == ERR_INVALID) {
        begin(req, res, &v, restore ? "Restauration impossible" : "Archivage impossible",
              restore ? "Restaurer" : "Archiver");
        buf_printf(&res->body, "<p>%h</p><p><a href=\"/actions/%lld/edit\">Revenir à la "
                               "modification de l'action</a></p>",
                   why, v.x.id);
        page_end(res);
        res->status = 422;
        return 422;
    }
    if (rc == ERR_CONFLICT) {
        struct audit_filter f = {.entity = "action", .entity_id = v.x.id,
                                 .after_version = version};
        struct audit_entry *changes = NULL;
        int n = 0;
        if (audit_list(req->db, req->arena, &f, &changes, &n) != ERR_OK)
            n = 0;
        begin(req, res, &v, "L'action a changé entre-temps", restore ? "Restaurer" : "Archiver");
        edit_conflict_box(&res->body, req->arena, changes, n);
        buf_printf(&res->body, "<p><a href=\"/actions/%lld/edit\">Revoir l'action avant de "
                               "décider</a></p>",
                   v.x.id);
        page_end(res);
        res->status = 409;
        return 409;
    }
    return page_db_error(req, res);
}
