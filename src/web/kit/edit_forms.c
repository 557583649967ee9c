/* edit_forms.c — pieces shared by the editing screens: actor, errors, version field, pickers,
 * notices and the audit table. Must not contain SQL nor decide who may edit (routes.c does). */
#include "web/kit/edit_forms.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/account/account.h"
#include "model/core/contract.h"
#include "model/sheet/sheet.h"
#include "web/kit/audit_kinds.h"
#include "web/kit/filters.h"
#include "web/http/page.h"

const char *edit_fmt(struct arena *a, const char *fmt, ...)
{
    char *s = arena_alloc(a, 160);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, 160, fmt, ap);
    va_end(ap);
    return s;
}

int edit_changes_since(struct req *req, const char *entity, long long id, int version,
                       struct audit_entry **out)
{
    struct audit_filter f = {.entity = entity, .entity_id = id, .after_version = version};
    int n = 0;
    if (audit_list(req->db, req->arena, &f, out, &n) != ERR_OK)
        n = 0;
    return n;
}

void edit_begin(struct req *req, struct res *res, const struct contract *c, const char *title,
                const char *middle, const char *middle_href, const char *what)
{
    struct crumb crumbs[4];
    int n = 0;
    crumbs[n++] = (struct crumb){"Contrats", "/"};
    crumbs[n++] = (struct crumb){*c->short_title ? c->short_title : c->title,
                                 edit_fmt(req->arena, "/contracts/%lld", c->id)};
    if (middle)
        crumbs[n++] = (struct crumb){middle, middle_href};
    crumbs[n++] = (struct crumb){what, NULL};
    page_begin(res, title, crumbs, n);
}

void edit_version_field(struct buf *b, struct arena *a, int version)
{
    form_hidden(b, "version", edit_fmt(a, "%d", version));
}

struct actor edit_actor(const struct req *req)
{
    if (!req->account)
        return (struct actor){0, "public"};
    return (struct actor){req->account->id, req->account->name};
}

long long edit_scope(const struct req *req)
{
    const struct account *a = req->account;
    if (!a)
        return -1;
    /* Only an administrator changes what several contracts share; anyone else, the records of
     * the one contract their account is tied to. */
    return str_eq(a->role, "admin") ? 0 : a->contract_id ? a->contract_id : -1;
}

void edit_problems(const struct problems *p, struct form_errors *e)
{
    for (int i = 0; i < p->n; i++)
        form_error(e, p->field[i], p->message[i]);
}

int edit_version(const struct req *req, int *version)
{
    long long v = 0;
    const char *s = req_form(req, "version");
    if (!s || str_to_ll(s, 1, 2000000000, &v) != ERR_OK)
        return ERR_INVALID;
    *version = (int)v;
    return ERR_OK;
}

int edit_redirect(struct req *req, struct res *res, const char *location)
{
    res->status = 303;
    res_header(res, "Location", arena_strdup(req->arena, location));
    return 303;
}

void edit_saved_notice(const struct req *req, struct buf *b)
{
    static const struct {
        const char *key, *text;
    } notices[] = {
        {"1", "Modifications enregistrées."},
        {"created", "Création enregistrée."},
        {"status", "État d'avancement enregistré : il apparaît dans l'historique ci-dessous."},
        {"same", "Rien à enregistrer : cet état d'avancement était déjà celui de l'année."},
        {"archived", "Archivé : il n'apparaît plus dans les listes, l'arbre ni les comptes, "
                     "mais reste consultable ici."},
        {"restored", "Restauré : il apparaît de nouveau dans les listes et les comptes."},
        {"signatory", "Signataire enregistré."},
        {"sheet", "Fiche action enregistrée."},
        {"validated", "Fiche validée : elle a un indicateur de résultat avec sa cible."},
        {"closed", "Fiche close : elle ne compte plus dans la charge de pilotage."},
        {"reopened", "Fiche revenue à l'état de brouillon."},
        {"promoted", "Piste promue en fiche action : elle a reçu le code suivant de son "
                     "objectif (voir l'historique)."},
        {"indicator", "Indicateur ajouté."},
        {"value", "Valeur enregistrée : elle apparaît dans le tableau et le graphique."},
        {"same_value", "Rien à enregistrer : cette valeur était déjà celle de la période."},
        {"plan", "Plan annuel enregistré."},
        {"indicator_archived", "Indicateur archivé : il ne compte plus pour la validation ni "
                               "dans les bilans ; ses valeurs restent enregistrées."},
        {"indicator_restored", "Indicateur restauré."},
        {"next", "Contrat suivant créé : son arbre, les actions gardées et les recommandations "
                 "reportées y sont ; chaque action reprise renvoie à son historique."},
        {"copied", "Copie créée pour votre contrat : ses actions, signataires et contacts "
                   "désignent maintenant cette organisation, que vous pouvez modifier ; les "
                   "autres contrats gardent l'originale."},
    };
    const char *saved = req_query(req, "saved");
    for (size_t i = 0; saved && i < sizeof notices / sizeof notices[0]; i++)
        if (str_eq(saved, notices[i].key))
            buf_printf(b, "<p class=\"notice success\" role=\"status\">%h</p>", notices[i].text);
}

long long edit_form_id(const struct req *req, const char *name, bool *ok)
{
    const char *s = form_value(req, name);
    long long v = 0;
    if (!*s)
        return 0;
    if (str_to_ll(s, 1, 999999999999LL, &v) != ERR_OK) {
        *ok = false;
        return 0;
    }
    return v;
}

int edit_form_year(const struct req *req, const char *name, bool *ok)
{
    const char *s = form_value(req, name);
    long long v = 0;
    if (!*s)
        return 0;
    if (str_to_ll(s, 1990, 2100, &v) != ERR_OK) {
        *ok = false;
        return 0;
    }
    return (int)v;
}

void edit_org_select(struct buf *b, const char *name, const char *id_suffix, const char *label,
                     const struct organisation *orgs, int n, long long selected,
                     const char *none_label, const char *help, const char *error)
{
    const char *id = id_suffix ? id_suffix : name;
    buf_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h</label>",
               error ? " has-error" : "", id, label);
    if (help)
        buf_printf(b, "<p class=\"help\" id=\"f-%h-help\">%h</p>", id, help);
    if (error)
        buf_printf(b, "<p class=\"field-error\" id=\"f-%h-error\">%h</p>", id, error);
    buf_printf(b, "<select id=\"f-%h\" name=\"%h\"", id, name);
    if (help || error) {
        buf_puts(b, " aria-describedby=\"");
        if (help)
            buf_printf(b, "f-%h-help", id);
        if (error)
            buf_printf(b, "%sf-%h-error", help ? " " : "", id);
        buf_puts(b, "\"");
    }
    if (error)
        buf_puts(b, " aria-invalid=\"true\"");
    buf_printf(b, "><option value=\"\">%h</option>", none_label);
    for (int i = 0; i < n; i++) {
        bool acr = *orgs[i].acronym && !str_eq(orgs[i].acronym, orgs[i].name);
        buf_printf(b, "<option value=\"%lld\"%s>%h", orgs[i].id,
                   orgs[i].id == selected ? " selected" : "", orgs[i].name);
        if (acr)
            buf_printf(b, " (%h)", orgs[i].acronym);
        buf_puts(b, "</option>");
    }
    buf_puts(b, "</select></div>");
}

void edit_org_set(struct buf *b, const char *name, const char *legend, const char *add_label,
                  const struct organisation *orgs, int n, const long long *chosen, int n_chosen,
                  const char *error)
{
    buf_printf(b, "<fieldset class=\"field orgs%s\" id=\"f-%h\"><legend>%h</legend>",
               error ? " has-error" : "", name, legend);
    if (error)
        buf_printf(b, "<p class=\"field-error\">%h</p>", error);
    if (n_chosen == 0)
        buf_puts(b, "<p class=\"help\">Aucune pour l'instant.</p>");
    else
        buf_puts(b, "<p class=\"help\">Décochez une organisation pour la retirer.</p>");
    for (int k = 0; k < n_chosen; k++) {
        const char *label = "organisation inconnue";
        for (int i = 0; i < n; i++)
            if (orgs[i].id == chosen[k])
                label = orgs[i].name;
        buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" "
                      "value=\"%lld\" checked> %h</label>",
                   name, chosen[k], label);
    }
    char suffix[64];
    snprintf(suffix, sizeof suffix, "%s-add", name);
    buf_printf(b, "<label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\">"
                  "<option value=\"\">— aucune —</option>",
               suffix, add_label, suffix, name);
    for (int i = 0; i < n; i++) {
        bool taken = false;
        for (int k = 0; k < n_chosen; k++)
            taken |= chosen[k] == orgs[i].id;
        if (!taken)
            buf_printf(b, "<option value=\"%lld\">%h</option>", orgs[i].id, orgs[i].name);
    }
    buf_puts(b, "</select></fieldset>");
}

int edit_form_ids(const struct req *req, const char *name, long long *ids, int max, bool *ok)
{
    int n = 0;
    for (int i = 0; i < req->n_form; i++) {
        if (strcmp(req->form[i].key, name) != 0 || str_blank(req->form[i].value))
            continue;
        long long v;
        if (str_to_ll(req->form[i].value, 1, 999999999999LL, &v) != ERR_OK) {
            *ok = false;
            continue;
        }
        bool seen = false;
        for (int k = 0; k < n; k++)
            seen |= ids[k] == v;
        if (!seen && n < max)
            ids[n++] = v;
    }
    return n;
}

void edit_checkbox(struct buf *b, const char *name, const char *label, const char *help,
                   bool checked)
{
    buf_printf(b, "<div class=\"field\"><label class=\"check\"><input type=\"checkbox\" "
                  "id=\"f-%h\" name=\"%h\" value=\"1\"%s%s%h%s> %h</label>",
               name, name, checked ? " checked" : "", help ? " aria-describedby=\"f-" : "",
               help ? name : "", help ? "-help\"" : "", label);
    if (help)
        buf_printf(b, "<p class=\"help\" id=\"f-%h-help\">%h</p>", name, help);
    buf_puts(b, "</div>");
}

/* ---- audit entries ------------------------------------------------------------------------- */

/* The registered kind of entity (routes.c), or NULL for an entity nobody registered. */
static const struct audit_kind *kind_of(const char *entity)
{
    for (const struct audit_kind *k = audit_kinds; k->entity; k++)
        if (str_eq(k->entity, entity))
            return k;
    return NULL;
}

static const struct {
    const char *entity, *field, *label;
} field_labels[] = {
    {NULL, "created", "Création"},
    {NULL, "archived", "Archivage"},
    {NULL, "title", "Intitulé"},
    {NULL, "code", "Code"},
    {NULL, "signed_on", "Date de signature"},
    {"contract", "short_title", "Titre court"},
    /* the next contract (model/contract_next.c): the values are record numbers */
    {"contract", "previous", "Créé à partir du contrat n°"},
    {"contract", "next", "Contrat suivant créé : n°"},
    {"action", "origin", "Reprise de l'action n°"},
    {"recommendation", "carried", "Reportée dans le contrat suivant"},
    {"contract", "start_year", "Année de début"},
    {"contract", "end_year", "Année de fin"},
    {"contract", "status", "Statut du contrat"},
    {"contract", "public_remarks", "Remarques visibles du public"},
    {"contract", "public_people", "Noms des personnes visibles du public"},
    {"signatory", "institution", "Institution"},
    {"signatory", "organisation", "Organisation de l'annuaire"},
    {"signatory", "representative_name", "Représentant"},
    {"signatory", "representative_title", "Qualité"},
    {"signatory", "represented_by", "Représenté par"},
    {"signatory", "note", "Note"},
    {"objective", "level", "Niveau"},
    {"objective", "alt_code", "Autre code"},
    {"objective", "parent", "Objectif parent"},
    {"objective", "position", "Position parmi ses voisins"},
    {"action", "kind", "Type"},
    {"action", "objective", "Objectif opérationnel"},
    {"action", "carrier", "Porteur"},
    {"action", "co_carriers", "Co-porteurs"},
    {"action", "partners", "Partenaires"},
    {"action", "notes", "Notes"},
    {"action", "description", "Description"},
    {"action", "action_objectives", "Objectifs de l'action"},
    {"action", "target_public", "Public visé"},
    {"action", "rhythm", "Rythme"},
    {"action", "whole_territory", "Tout le territoire"},
    {"action", "planned_start", "Début prévu"},
    {"action", "planned_end", "Fin prévue"},
    {"action", "actual_start", "Début réel"},
    {"action", "actual_end", "Fin réelle"},
    {"action", "planned_budget", "Budget prévu"},
    {"action", "actual_budget", "Budget réel"},
    {"action", "priority", "Priorité"},
    {"action", "age_bands", "Tranches d'âge"},
    {"action", "population_groups", "Publics spécifiques"},
    {"action", "professionals", "Professionnels touchés"},
    {"action", "action_types", "Type d'action"},
    {"action", "partner_types", "Types de partenaires"},
    {"action", "project_team", "Équipe projet"},
    {"action", "funders", "Financeurs"},
    {"action", "areas", "Territoire couvert"},
    {"action", "sheet_state", "État de la fiche"},
    {"action", "promoted", "Promotion en fiche action (code reçu)"},
    {"contract", "coordinator_fte", "Temps de coordination (ETP)"},
    {"contract", "max_actions_per_fte", "Seuil d'alerte (actions actives par ETP)"},
    {"organisation", "name", "Nom"},
    {"organisation", "type", "Type"},
    {"organisation", "acronym", "Sigle"},
    {"organisation", "aliases", "Autres graphies"},
    {"organisation", "copied", "Copie faite pour un contrat"},
    {"organisation", "copy_of", "Copie de l'organisation"},
};

const char *edit_field_label(struct arena *a, const char *entity, const char *field)
{
    const char *colon = strchr(field, ':');
    if (colon && (str_eq(entity, "action") || str_eq(entity, "objective"))) {
        /* Sheets: plan:YEAR, indicator:ID, indicator_archived:ID, indicator_value:ID:PERIOD. */
        static const struct {
            const char *prefix, *what;
        } sheet_fields[] = {
            {"plan:", "Plan annuel "},
            {"indicator:", "Indicateur n° "},
            {"indicator_archived:", "Archivage de l'indicateur n° "},
            {"indicator_value:", "Valeur de l'indicateur n° "},
        };
        for (size_t i = 0; i < sizeof sheet_fields / sizeof sheet_fields[0]; i++) {
            size_t n = strlen(sheet_fields[i].prefix);
            if (strncmp(field, sheet_fields[i].prefix, n) != 0)
                continue;
            struct buf text = {0};
            const char *rest = field + n, *period = strchr(rest, ':');
            char id[32];
            snprintf(id, sizeof id, "%.*s", period ? (int)(period - rest) : 30, rest);
            buf_printf(&text, "%s%s", sheet_fields[i].what, id);
            if (period)
                buf_printf(&text, " (%s)", period + 1);
            const char *s = arena_strdup(a, buf_cstr(&text));
            buf_free(&text);
            return s;
        }
    }
    for (int i = 0; audit_field_words[i].field_label; i++) {
        const char *own = audit_field_words[i].field_label(a, entity, field);
        if (own)
            return own;
    }
    if (colon && str_eq(entity, "action")) {
        const char *what = strncmp(field, "status:", 7) == 0             ? "État d'avancement"
                           : strncmp(field, "remarks:", 8) == 0          ? "Remarques"
                           : strncmp(field, "recommendations:", 16) == 0 ? "Préconisations"
                           /* migration 012: a status of a year whose campaign was closed */
                           : strncmp(field, "correction:", 11) == 0
                               ? "Correction après clôture de la campagne, état d'avancement"
                               : NULL;
        if (what) {
            struct buf text = {0};
            buf_printf(&text, "%s %s", what, colon + 1);
            const char *s = arena_strdup(a, buf_cstr(&text));
            buf_free(&text);
            return s;
        }
    }
    const struct audit_kind *kind = kind_of(entity);
    const char *own = kind && kind->field_label ? kind->field_label(a, entity, field) : NULL;
    if (own)
        return own;
    for (size_t i = 0; i < sizeof field_labels / sizeof field_labels[0]; i++)
        if ((!field_labels[i].entity || str_eq(field_labels[i].entity, entity)) &&
            str_eq(field_labels[i].field, field))
            return field_labels[i].label;
    return field;
}

/* A stored value as people read it: labels for keys, dates the French way, oui/non. */
static void value_html(struct buf *b, struct arena *a, const struct audit_entry *e,
                       const char *v)
{
    if (!*v) {
        buf_puts(b, "<span class=\"muted\">(vide)</span>");
        return;
    }
    const char *f = e->field;
    const struct audit_kind *kind = kind_of(e->entity);
    const char *own = NULL;
    for (int i = 0; !own && audit_field_words[i].field_label; i++)
        if (audit_field_words[i].value)
            own = audit_field_words[i].value(a, e->entity, f, v);
    if (own)
        v = own;
    else if (kind && kind->value)
        v = kind->value(a, e->entity, f, v);
    else if ((strncmp(f, "status:", 7) == 0 || strncmp(f, "correction:", 11) == 0) &&
             str_eq(e->entity, "action"))
        v = status_label(status_from_key(v));
    else if (str_eq(f, "kind"))
        v = action_kind_label(v);
    else if (str_eq(f, "level") && objective_level_from_key(v) >= 0)
        v = objective_level_label((enum objective_level)objective_level_from_key(v));
    else if (str_eq(f, "status") && str_eq(e->entity, "contract"))
        v = contract_status_label(v);
    else if (str_eq(f, "type") && str_eq(e->entity, "organisation"))
        v = organisation_type_label(v);
    else if (str_eq(f, "role") && str_eq(e->entity, "account"))
        v = account_role_label(v);
    else if (str_eq(f, "signed_on"))
        v = date_fr(a, v);
    else if (str_eq(f, "archived") || strncmp(f, "public_", 7) == 0 || str_eq(f, "disabled") ||
             str_eq(f, "whole_territory") || strncmp(f, "plan:", 5) == 0 ||
             strncmp(f, "indicator_archived:", 19) == 0)
        v = str_eq(v, "1") ? "oui" : "non";
    else if (str_eq(f, "priority"))
        v = sheet_priority_label(v);
    else if (str_eq(f, "sheet_state"))
        v = sheet_state_label(v);
    else if (strncmp(f, "planned_", 8) == 0 && !str_eq(f, "planned_budget"))
        v = sheet_date_text(a, v);
    else if (strncmp(f, "actual_", 7) == 0 && !str_eq(f, "actual_budget"))
        v = sheet_date_text(a, v);
    buf_printf(b, "<span class=\"pre\">%h</span>", v);
}

/* The page where a record of the log can be seen. */
static void record_link(struct buf *b, const struct audit_entry *e)
{
    const struct audit_kind *k = kind_of(e->entity);
    if (k && k->href)
        buf_printf(b, "%h : <a href=\"%h%lld%h\">%h</a>", k->noun, k->href, e->entity_id,
                   k->href_suffix, *e->label ? e->label : "(sans nom)");
    else /* a record without a page of its own (a SWOT item…): its noun when known */
        buf_printf(b, "%h n° %lld %h", k ? k->noun : e->entity, e->entity_id, e->label);
}

void edit_audit_table(struct buf *b, struct arena *a, const struct audit_entry *e, int n,
                      bool show_record, const char *caption)
{
    buf_printf(b, "<div class=\"table-wrap\"><table class=\"audit\"><caption>%h</caption><thead>"
                  "<tr><th scope=\"col\">Date</th><th scope=\"col\">Personne</th>%s"
                  "<th scope=\"col\">Champ</th><th scope=\"col\">Avant</th>"
                  "<th scope=\"col\">Après</th></tr></thead><tbody>",
               caption, show_record ? "<th scope=\"col\">Élément</th>" : "");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<tr><td>%h</td><td>%h</td>", date_fr(a, e[i].at), e[i].actor);
        if (show_record) {
            buf_puts(b, "<td>");
            record_link(b, &e[i]);
            buf_puts(b, "</td>");
        }
        buf_printf(b, "<td>%h</td><td>", edit_field_label(a, e[i].entity, e[i].field));
        value_html(b, a, &e[i], e[i].old_value);
        buf_puts(b, "</td><td>");
        value_html(b, a, &e[i], e[i].new_value);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div>");
}

void edit_conflict_box(struct buf *b, struct arena *a, const struct audit_entry *e, int n)
{
    buf_puts(b, "<div class=\"error-summary conflict\" role=\"alert\"><h2>Quelqu'un a modifié "
                "cette fiche pendant que vous la modifiiez</h2><p>Votre enregistrement a été "
                "refusé pour ne pas effacer ses changements. Vos saisies sont conservées "
                "ci-dessous : comparez-les avec ce qui a changé, corrigez si besoin, puis "
                "enregistrez de nouveau.</p>");
    if (n)
        edit_audit_table(b, a, e, n, false, "Ce qui a changé depuis que vous avez ouvert la page");
    else
        buf_puts(b, "<p>Le détail des changements n'est pas disponible.</p>");
    buf_puts(b, "</div>");
}
