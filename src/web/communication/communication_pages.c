/* communication_pages.c — the communication plan on screen: its rows with their yearly target
 * and what was done each year, the form that records what was done, and the contract home's
 * flag of a missed target. Must not contain SQL (model/communication.c). */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/communication/communication.h"
#include "model/core/contract.h"
#include "web/core/auth.h"
#include "web/kit/edit_forms.h"
#include "web/kit/form.h"
#include "web/core/handlers.h"
#include "web/core/hooks.h"
#include "web/http/page.h"

/* The years a plan is followed on: the contract's period, cut at the current year (a year to
 * come has nothing to show); the current year alone when the period is unknown. */
static void plan_years(const struct contract *c, int current, int *first, int *last)
{
    *first = c->start_year ? c->start_year : current;
    *last = c->end_year && c->end_year < current ? c->end_year : current;
    if (*last < *first)
        *last = *first;
}

static const char *outcome_class(enum comm_outcome o)
{
    switch (o) {
    case COMM_MET: return "comm-met";
    case COMM_MISSED: return "comm-missed";
    case COMM_ONGOING: return "comm-ongoing";
    default: return "comm-none";
    }
}

/* The target of a row in words ("1 par an depuis 2020"). */
static void target_words(struct buf *b, const struct comm_item *x)
{
    if (!x->target_per_year) {
        buf_puts(b, "Pas d'objectif annuel chiffré");
        return;
    }
    buf_printf(b, "%d par an", x->target_per_year);
    if (x->target_from)
        buf_printf(b, " à partir de %d", x->target_from);
    if (x->counts_newsletters)
        buf_puts(b, " (chaque lettre d'information envoyée compte)");
}

/* The two target fields, prefilled with the form's values or the given defaults. */
static void target_fields(struct req *req, struct buf *b, const struct form_errors *errs,
                          const char *per_year, const char *from)
{
    const char *p = req_form(req, "per_year") ? form_value(req, "per_year") : per_year;
    const char *f = req_form(req, "target_from") ? form_value(req, "target_from") : from;
    form_input(b, "number", "per_year", "Objectif annuel (nombre par an)", p,
               "0 ou vide : pas d'objectif annuel chiffré.", form_error_of(errs, "per_year"),
               false);
    form_input(b, "number", "target_from", "À partir de l'année", f,
               "Vide : dès le début du contrat.", form_error_of(errs, "target_from"), false);
}

/* Reads the two target fields into *per_year and *from; errors in errs. */
static void read_target(struct req *req, struct form_errors *errs, int *per_year, int *from)
{
    long long v = 0;
    const char *p = form_value(req, "per_year");
    if (*p && str_to_ll(p, 0, 1000, &v) != ERR_OK)
        form_error(errs, "per_year", "Objectif annuel : un nombre entier entre 0 et 1000.");
    *per_year = *p ? (int)v : 0;
    bool ok = true;
    *from = edit_form_year(req, "target_from", &ok);
    if (!ok)
        form_error(errs, "target_from", "Indiquez l'année en chiffres, entre 1990 et 2100.");
}

static void item_section(struct req *req, struct buf *b, const struct comm_item *x, int first,
                         int last, int current, bool coordination, bool *db_error)
{
    buf_printf(b,
               "<section class=\"comm-item\" aria-labelledby=\"comm-%lld\">"
               "<h2 id=\"comm-%lld\">%d. %h</h2><dl class=\"fields\">",
               x->id, x->id, x->position, *x->support ? x->support : "(support non précisé)");
    const struct {
        const char *label, *value;
    } fields[] = {
        {"Objectif", x->objective},
        {"Public visé", x->target_public},
        {"Message", x->message},
        {"Stratégie et étapes", x->strategy},
        {"Moyens", x->resources},
        {"Calendrier", x->schedule},
        {"Indicateur d'évaluation", x->indicator},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (*fields[i].value)
            buf_printf(b, "<dt>%h</dt><dd class=\"prewrap\">%h</dd>", fields[i].label,
                       fields[i].value);
    buf_puts(b, "<dt>Objectif annuel suivi</dt><dd>");
    target_words(b, x);
    if (coordination)
        buf_printf(b,
                   " <a class=\"edit-link noprint\" href=\"/contracts/%lld/communication/%lld/"
                   "target\">Modifier<span class=\"visually-hidden\"> l'objectif annuel de "
                   "la ligne %d</span></a>",
                   x->contract_id, x->id, x->position);
    buf_puts(b, "</dd></dl>");
    if (*x->source)
        buf_printf(b, "<p class=\"muted\">Source : %h</p>", x->source);
    struct comm_year *ys = NULL;
    int n = 0;
    if (comm_years(req->db, req->arena, x, first, last, current, &ys, &n) != ERR_OK) {
        *db_error = true;
        return;
    }
    buf_printf(b,
               "<div class=\"table-wrap\"><table class=\"narrow\"><caption>Réalisé par année "
               "— %h</caption><thead><tr><th scope=\"col\">Année</th>"
               "<th scope=\"col\" class=\"num\">Réalisé</th>"
               "<th scope=\"col\" class=\"num\">Objectif</th><th scope=\"col\">Bilan</th>"
               "</tr></thead><tbody>",
               *x->support ? x->support : "");
    for (int i = 0; i < n; i++) {
        buf_printf(b, "<tr><th scope=\"row\">%d</th><td class=\"num\">%d</td><td class=\"num\">",
                   ys[i].year, ys[i].done);
        if (ys[i].target)
            buf_printf(b, "%d", ys[i].target);
        else
            buf_puts(b, "—");
        buf_printf(b, "</td><td><span class=\"%h\">%h</span></td></tr>",
                   outcome_class(ys[i].outcome), comm_outcome_label(ys[i].outcome));
    }
    buf_puts(b, "</tbody></table></div></section>");
}

static void record_form(struct req *req, struct res *res, const struct contract *c,
                        const struct comm_item *xs, int n, const struct form_errors *errs)
{
    struct buf *b = &res->body;
    buf_puts(b, "<section aria-labelledby=\"noter\"><h2 id=\"noter\">Noter une réalisation</h2>"
                "<p>Chaque saisie s'ajoute aux précédentes ; pour corriger, saisissez un nombre "
                "négatif avec une note. Les lettres d'information envoyées depuis Boussole "
                "comptent d'elles-mêmes.</p>");
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/communication", c->id),
               auth_form_token(req, res));
    const char **values = arena_alloc(req->arena, sizeof *values * (size_t)(n + 1));
    const char **labels = arena_alloc(req->arena, sizeof *labels * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        values[i] = edit_fmt(req->arena, "%lld", xs[i].id);
        labels[i] = edit_fmt(req->arena, "%d. %s", xs[i].position,
                             text_short(req->arena, xs[i].support, 60));
    }
    form_select(b, "item", "Ligne du plan", values, labels, n, form_value(req, "item"),
                form_error_of(errs, "item"), true);
    const char *y = form_value(req, "year");
    form_input(b, "number", "year", "Année",
               *y ? y : edit_fmt(req->arena, "%d", action_current_year(req)), NULL,
               form_error_of(errs, "year"), true);
    const char *k = form_value(req, "count");
    form_input(b, "number", "count", "Nombre réalisé", *k ? k : "1",
               "Articles parus, présentations faites… (négatif pour corriger).",
               form_error_of(errs, "count"), true);
    form_input(b, "text", "note", "Note", form_value(req, "note"),
               "Ce qui a été fait (titre, date, lieu).", form_error_of(errs, "note"), false);
    form_end(b, "Enregistrer la réalisation");
    buf_puts(b, "</section>");
}

static void add_form(struct req *req, struct res *res, const struct contract *c,
                     const struct form_errors *errs)
{
    struct buf *b = &res->body;
    buf_puts(b, "<section aria-labelledby=\"ajouter\"><h2 id=\"ajouter\">Ajouter une ligne au "
                "plan</h2>");
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/communication/new", c->id),
               auth_form_token(req, res));
    form_input(b, "text", "support", "Support", form_value(req, "support"),
               "Newsletter, flyers, réunion publique, article…", form_error_of(errs, "support"),
               true);
    form_input(b, "text", "objective", "Objectif", form_value(req, "objective"), NULL,
               form_error_of(errs, "objective"), false);
    form_input(b, "text", "target_public", "Public visé", form_value(req, "target_public"), NULL,
               form_error_of(errs, "target_public"), false);
    form_textarea(b, "message", "Message", form_value(req, "message"), NULL,
                  form_error_of(errs, "message"), false);
    form_input(b, "text", "indicator", "Indicateur d'évaluation", form_value(req, "indicator"),
               "Tel qu'écrit dans le plan : « Au moins une newsletter par an ».",
               form_error_of(errs, "indicator"), false);
    target_fields(req, b, errs, "", "");
    buf_printf(b,
               "<p><label class=\"check\"><input type=\"checkbox\" id=\"f-counts_newsletters\" "
               "name=\"counts_newsletters\" value=\"1\"%s> Chaque lettre d'information "
               "envoyée depuis Boussole compte pour cette ligne</label></p>",
               str_eq(form_value(req, "counts_newsletters"), "1") ? " checked" : "");
    form_end(b, "Ajouter la ligne");
    buf_puts(b, "</section>");
}

static int comm_plan_page(struct req *req, struct res *res, const struct contract *c,
                          const struct form_errors *errs, const struct form_errors *add_errs,
                          int status)
{
    struct comm_item *xs = NULL;
    int n = 0;
    if (comm_list(req->db, req->arena, c->id, &xs, &n) != ERR_OK)
        return page_db_error(req, res);
    edit_begin(req, res, c, "Plan de communication", NULL, NULL, "Plan de communication");
    struct buf *b = &res->body;
    edit_saved_notice(req, b);
    int current = action_current_year(req), first, last;
    plan_years(c, current, &first, &last);
    buf_printf(b,
               "<p class=\"lede\">Les actions de communication prévues par le contrat, "
               "l'objectif annuel de chacune et ce qui a été fait de %d à %d.</p>",
               first, last);
    bool coordination = auth_may(req, ROLE_COORDINATOR, c->id, false);
    buf_printf(b,
               "<ul class=\"links noprint\"><li><a href=\"/contracts/%lld/newsletters/"
               "archive\">Les lettres d'information envoyées</a></li>",
               c->id);
    if (coordination)
        buf_printf(b,
                   "<li><a href=\"/contracts/%lld/newsletters\">Rédiger une lettre, gérer les "
                   "abonnés</a></li>",
                   c->id);
    if (auth_may(req, ROLE_SIGNED_IN, c->id, false))
        buf_printf(b,
                   "<li><a href=\"/contracts/%lld/glance.pdf\">Le CLS en un coup d'œil (PDF, "
                   "une page pour les élus)</a></li>",
                   c->id);
    buf_puts(b, "</ul>");
    if (n == 0)
        buf_puts(b, "<p>Ce contrat n'a pas encore de plan de communication.</p>");
    bool db_error = false;
    for (int i = 0; i < n && !db_error; i++)
        item_section(req, b, &xs[i], first, last, current, coordination, &db_error);
    if (db_error)
        return page_db_error(req, res);
    if (coordination && n)
        record_form(req, res, c, xs, n, errs);
    if (coordination)
        add_form(req, res, c, add_errs);
    page_end(res);
    res->status = status;
    return status;
}

int communication_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    return rc ? rc : comm_plan_page(req, res, &c, NULL, NULL, 200);
}

int communication_record_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    bool ok = true;
    long long item = edit_form_id(req, "item", &ok);
    struct comm_item x;
    if (!ok || !item || comm_get(req->db, req->arena, item, &x) != ERR_OK || x.contract_id != c.id)
        form_error(&errs, "item", "Choisissez une ligne du plan de communication de ce contrat.");
    ok = true;
    int year = edit_form_year(req, "year", &ok);
    if (!ok || !year)
        form_error(&errs, "year", "Indiquez l'année en chiffres, entre 1990 et 2100.");
    long long count = 0;
    if (str_to_ll(form_value(req, "count"), -1000, 1000, &count) != ERR_OK || count == 0)
        form_error(&errs, "count",
                   "Indiquez un nombre entier non nul entre -1000 et 1000 (négatif pour "
                   "corriger).");
    const char *note = form_value(req, "note");
    if (strlen(note) > 500)
        form_error(&errs, "note", "La note dépasse 500 caractères : raccourcissez-la.");
    if (count < 0 && !*note)
        form_error(&errs, "note", "Une correction (nombre négatif) dit pourquoi dans la note.");
    if (errs.n)
        return comm_plan_page(req, res, &c, &errs, NULL, 422);
    struct actor who = edit_actor(req);
    rc = comm_record(req->db, &who, item, year, (int)count, note, req->now);
    if (rc != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/communication?saved=1#comm-%lld", c.id, item));
}

void communication_home_notice(struct req *req, struct res *res, const struct contract *c)
{
    struct comm_item *xs = NULL;
    int n = 0;
    if (comm_list(req->db, req->arena, c->id, &xs, &n) != ERR_OK || n == 0)
        return;
    int current = action_current_year(req), first, last;
    plan_years(c, current, &first, &last);
    struct buf missed_html = {0}, ongoing_html = {0};
    for (int i = 0; i < n; i++) {
        struct comm_year *ys = NULL;
        int k = 0;
        if (!xs[i].target_per_year ||
            comm_years(req->db, req->arena, &xs[i], first, last, current, &ys, &k) != ERR_OK)
            continue;
        bool any = false;
        for (int j = 0; j < k; j++) {
            if (ys[j].outcome == COMM_MISSED) {
                buf_printf(&missed_html, "%s%d (%d sur %d)", any ? ", " : "<li>", ys[j].year,
                           ys[j].done, ys[j].target);
                any = true;
            } else if (ys[j].year == current && ys[j].target > 0) {
                buf_printf(&ongoing_html, "<li>%h : %d sur %d en %d — %h</li>", xs[i].indicator,
                           ys[j].done, ys[j].target, ys[j].year,
                           comm_outcome_label(ys[j].outcome));
            }
        }
        if (any)
            buf_printf(&missed_html, " : %h</li>", xs[i].indicator);
    }
    struct buf *b = &res->body;
    if (missed_html.len || ongoing_html.len) {
        buf_puts(b, "<section id=\"communication\" aria-labelledby=\"communication-titre\">"
                    "<h2 id=\"communication-titre\">Plan de communication</h2>");
        if (missed_html.len)
            buf_printf(b,
                       "<div class=\"caution\" role=\"note\"><p><strong>Objectif de "
                       "communication manqué</strong> :</p><ul>%s</ul></div>",
                       buf_cstr(&missed_html));
        if (ongoing_html.len)
            buf_printf(b, "<p>Cette année :</p><ul>%s</ul>", buf_cstr(&ongoing_html));
        buf_printf(b,
                   "<p><a href=\"/contracts/%lld/communication\">Voir le plan de "
                   "communication</a></p></section>",
                   c->id);
    }
    buf_free(&missed_html);
    buf_free(&ongoing_html);
}

int communication_add_submit(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct form_errors errs = {0};
    struct comm_item_new x = {
        .support = form_value(req, "support"),
        .objective = form_value(req, "objective"),
        .target_public = form_value(req, "target_public"),
        .message = form_value(req, "message"),
        .indicator = form_value(req, "indicator"),
        .counts_newsletters = str_eq(form_value(req, "counts_newsletters"), "1"),
    };
    if (!*x.support)
        form_error(&errs, "support", "Indiquez le support (newsletter, flyers, réunion…).");
    const char *names[] = {"support", "objective", "target_public", "message", "indicator"};
    const char *values[] = {x.support, x.objective, x.target_public, x.message, x.indicator};
    for (int i = 0; i < 5; i++)
        if (strlen(values[i]) > 4000 || !utf8_valid(values[i], strlen(values[i])))
            form_error(&errs, names[i],
                       "Texte trop long (4 000 caractères au plus) ou illisible.");
    read_target(req, &errs, &x.target_per_year, &x.target_from);
    if (errs.n)
        return comm_plan_page(req, res, &c, NULL, &errs, 422);
    struct actor who = edit_actor(req);
    long long id = 0;
    if (comm_add(req->db, &who, c.id, &x, &id) != ERR_OK)
        return page_db_error(req, res);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/communication?saved=created#comm-%lld", c.id, id));
}

/* The contract and the plan row of the URL; 404 when the row is another contract's. */
static int load_item(struct req *req, struct res *res, struct contract *c, struct comm_item *x)
{
    int rc = load_contract(req, res, req->ids[0], c);
    if (rc)
        return rc;
    rc = comm_get(req->db, req->arena, req->ids[1], x);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && x->contract_id != c->id))
        return page_error(req, res, 404, "Ligne introuvable",
                          "Le plan de communication de ce contrat n'a pas de ligne sous ce "
                          "numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

static int target_page(struct req *req, struct res *res, const struct contract *c,
                       const struct comm_item *x, const struct form_errors *errs, int status)
{
    const char *title = edit_fmt(req->arena, "Objectif annuel de la ligne %d", x->position);
    edit_begin(req, res, c, title, "Plan de communication",
               edit_fmt(req->arena, "/contracts/%lld/communication", c->id), title);
    struct buf *b = &res->body;
    buf_printf(b, "<p>%h — indicateur : « %h ».</p>", x->support, x->indicator);
    form_error_summary(b, errs);
    form_begin(b, edit_fmt(req->arena, "/contracts/%lld/communication/%lld/target", c->id, x->id),
               auth_form_token(req, res));
    edit_version_field(b, req->arena, x->version);
    target_fields(req, b, errs, edit_fmt(req->arena, "%d", x->target_per_year),
                  x->target_from ? edit_fmt(req->arena, "%d", x->target_from) : "");
    form_end(b, "Enregistrer l'objectif");
    page_end(res);
    res->status = status;
    return status;
}

int communication_target_page(struct req *req, struct res *res)
{
    struct contract c;
    struct comm_item x;
    int rc = load_item(req, res, &c, &x);
    return rc ? rc : target_page(req, res, &c, &x, NULL, 200);
}

int communication_target_submit(struct req *req, struct res *res)
{
    struct contract c;
    struct comm_item x;
    int rc = load_item(req, res, &c, &x);
    if (rc)
        return rc;
    int version = 0;
    if (edit_version(req, &version) != ERR_OK)
        return page_error(req, res, 400, "Formulaire incomplet",
                          "Le numéro de version manque : rechargez la page.");
    struct form_errors errs = {0};
    int per_year = 0, from = 0;
    read_target(req, &errs, &per_year, &from);
    if (!errs.n) {
        struct actor who = edit_actor(req);
        rc = comm_set_target(req->db, &who, x.id, version, per_year, from);
        if (rc == ERR_CONFLICT)
            form_error(&errs, "per_year",
                       "Cet objectif a été modifié entre-temps : rechargez la "
                       "page pour voir la nouvelle valeur.");
        else if (rc != ERR_OK)
            return page_db_error(req, res);
    }
    if (errs.n)
        return target_page(req, res, &c, &x, &errs, rc == ERR_CONFLICT ? 409 : 422);
    return edit_redirect(
        req, res,
        edit_fmt(req->arena, "/contracts/%lld/communication?saved=1#comm-%lld", c.id, x.id));
}

/* The journal's words for the communication plan and the newsletter (web/kit/audit_kinds.h's audit_field_labels); NULL for another field. */
const char *comm_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    if (str_eq(entity, "contract")) {
        /* Communication (migration 019): comm_item:ID, comm_target:ID, comm_done:ID:YEAR,
         * newsletter:ID[:title|body|state], subscriber, unsubscribe. */
        static const struct {
            const char *prefix, *what;
        } comm_fields[] = {
            {"comm_item:", "Plan de communication, ligne n° "},
            {"comm_target:", "Objectif annuel de la ligne n° "},
            {"comm_done:", "Réalisation de la ligne n° "},
            {"newsletter:", "Lettre d'information n° "},
            {"subscriber", "Abonné à la lettre d'information"},
            {"unsubscribe", "Désinscription de la lettre d'information"},
        };
        for (size_t i = 0; i < sizeof comm_fields / sizeof comm_fields[0]; i++) {
            size_t n = strlen(comm_fields[i].prefix);
            if (strncmp(field, comm_fields[i].prefix, n) != 0)
                continue;
            struct buf b = {0};
            buf_puts(&b, comm_fields[i].what);
            buf_puts(&b, field + n); /* "12", "12:2021", "12:title": ids as recorded */
            const char *s = arena_strdup(a, buf_cstr(&b));
            buf_free(&b);
            return s;
        }
    }
    return NULL;
}
