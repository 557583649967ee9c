/* directory_pages.c — the public directory of a contract (no login): the services by theme and
 * intercommunality with a search, each service and organisation, the printable summary and the
 * data·inclusion exports. Must not contain SQL; a person who did not consent to appear publicly
 * is never shown here (the model's public queries leave them out, and a service's contact is
 * named only when contact_public). */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "format/data/data_inclusion.h"
#include "model/core/area.h"
#include "model/core/organisation.h"
#include "web/core/auth.h"
#include "web/core/handlers.h"
#include "web/kit/load.h"
#include "web/http/page.h"
#include "web/directory/directory.h"

void dir_begin(struct req *req, struct res *res, const struct contract *c, const char *title,
               const char *middle, const char *middle_href)
{
    char *home = arena_alloc(req->arena, 48), *dir = arena_alloc(req->arena, 64);
    snprintf(home, 48, "/contracts/%lld", c->id);
    snprintf(dir, 64, "/contracts/%lld/directory", c->id);
    struct crumb crumbs[5] = {{"Contrats", "/"},
                              {*c->short_title ? c->short_title : c->title, home},
                              {"Annuaire", title ? dir : NULL}};
    int n = 3;
    if (middle)
        crumbs[n++] = (struct crumb){middle, middle_href};
    if (title)
        crumbs[n++] = (struct crumb){title, NULL};
    page_begin(res, title ? title : "Annuaire des services et des contacts", crumbs, n);
}

void dir_labels(struct buf *b, const struct vocab *v, const char *list)
{
    bool first = true;
    for (const char *s = list ? list : ""; *s;) {
        size_t len = strcspn(s, " ");
        char word[128];
        if (len && len < sizeof word) {
            memcpy(word, s, len);
            word[len] = '\0';
            const char *label = vocab_label(v, word);
            buf_printf(b, "%s%h", first ? "" : ", ", label ? label : word);
            first = false;
        }
        s += len;
        while (*s == ' ')
            s++;
    }
}

void dir_areas(struct buf *b, const char *areas, const struct area *all, int n)
{
    if (str_blank(areas)) {
        buf_puts(b, "Tout le territoire");
        return;
    }
    bool first = true;
    for (const char *s = areas; *s;) {
        size_t len = strcspn(s, " ");
        char code[128];
        if (len && len < sizeof code) {
            memcpy(code, s, len);
            code[len] = '\0';
            const char *name = NULL;
            for (int i = 0; i < n && !name; i++)
                if (str_eq(all[i].code, code))
                    name = all[i].name;
            if (name)
                buf_printf(b, "%s%h", first ? "" : ", ", name);
            else if (str_eq(code, "france"))
                buf_printf(b, "%sToute la France", first ? "" : ", ");
            else
                buf_printf(b, "%s%h", first ? "" : ", ", code);
            first = false;
        }
        s += len;
        while (*s == ' ')
            s++;
    }
}

/* What the directory page filters on, as read from the query. */
struct dir_filter {
    const char *theme, *epci, *q; /* "" when not set */
    char *folded;                 /* q folded (text_fold), "" when blank */
};

static void filter_read(struct req *req, struct dir_filter *f)
{
    const char *theme = req_query(req, "theme"), *epci = req_query(req, "epci");
    const char *q = req_query(req, "q");
    f->theme = theme && vocab_label(directory_themes, theme) ? theme : "";
    f->epci = epci ? epci : "";
    f->q = q ? q : "";
    size_t cap = strlen(f->q) * 3 + 8;
    f->folded = arena_alloc(req->arena, cap);
    if (text_fold(text_short(req->arena, f->q, 200), f->folded, cap) != ERR_OK)
        f->folded[0] = '\0';
}

/* True when one of the labels of list's values in v contains the folded needle. */
static bool labels_contain(const struct vocab *v, const char *list, const char *needle)
{
    for (int i = 0; v[i].value; i++)
        if (directory_list_has(list, v[i].value) && text_contains_folded(v[i].label, needle))
            return true;
    return false;
}

static bool service_matches(const struct service *s, const struct dir_filter *f,
                            const struct area *all, int n)
{
    if (*f->theme && !directory_list_has(s->themes, f->theme))
        return false;
    if (*f->epci && !directory_area_covers(s->areas, f->epci, all, n))
        return false;
    if (!*f->folded)
        return true;
    return text_contains_folded(s->name, f->folded) ||
           text_contains_folded(s->description, f->folded) ||
           text_contains_folded(s->organisation_name, f->folded) ||
           labels_contain(directory_themes, s->themes, f->folded) ||
           labels_contain(directory_publics, s->publics, f->folded);
}

static bool person_matches(const struct directory_person *p, const struct dir_filter *f)
{
    if (*f->theme && !directory_list_has(p->themes, f->theme))
        return false;
    if (*f->epci && !directory_list_has(p->epcis, f->epci))
        return false;
    if (!*f->folded)
        return true;
    return text_contains_folded(p->name, f->folded) ||
           text_contains_folded(p->function, f->folded) ||
           text_contains_folded(p->organisation_name, f->folded) ||
           labels_contain(directory_themes, p->themes, f->folded);
}

/* How to reach a service: its phone, e-mail, link and, with consent, its contact. */
static void service_contact(struct buf *b, const struct service *s)
{
    if (*s->phone)
        buf_printf(b, "<li>Téléphone : <a href=\"tel:%h\">%h</a></li>", s->phone, s->phone);
    if (*s->email)
        buf_printf(b, "<li>E-mail : <a href=\"mailto:%h\">%h</a></li>", s->email, s->email);
    if (*s->website)
        buf_printf(b, "<li>Site : <a href=\"%h\">%h</a></li>", s->website, s->website);
    if (s->contact_public && *s->contact_name)
        buf_printf(b, "<li>Contact : %h</li>", s->contact_name);
}

/* One service of the list, as a card. */
static void service_card(struct buf *b, const struct contract *c, const struct service *s,
                         const struct area *all, int n)
{
    buf_printf(b,
               "<article class=\"dir-service\"><h3><a href=\"/contracts/%lld/directory/"
               "services/%lld\">%h</a></h3><p class=\"dir-org\">Proposé par <a href=\""
               "/contracts/%lld/directory/organisations/%lld\">%h</a></p><ul>",
               c->id, s->id, s->name, c->id, s->organisation_id, s->organisation_name);
    if (*s->themes) {
        buf_puts(b, "<li>Thèmes : ");
        dir_labels(b, directory_themes, s->themes);
        buf_puts(b, "</li>");
    }
    if (*s->publics) {
        buf_puts(b, "<li>Public : ");
        dir_labels(b, directory_publics, s->publics);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "<li>Territoire : ");
    dir_areas(b, s->areas, all, n);
    buf_puts(b, "</li>");
    if (*s->hours)
        buf_printf(b, "<li>Horaires : %h</li>", s->hours);
    service_contact(b, s);
    buf_puts(b, "</ul></article>");
}

/* The filter form: theme, intercommunality, search; kept in the URL. */
static void filter_form(struct buf *b, const struct contract *c, const struct dir_filter *f,
                        const struct service *s, int ns, const struct directory_person *p, int np,
                        const struct area *all, int n)
{
    buf_printf(b,
               "<form method=\"get\" action=\"/contracts/%lld/directory\" class=\"filters\" "
               "role=\"search\"><div class=\"field\"><label for=\"f-theme\">Thème</label>"
               "<select id=\"f-theme\" name=\"theme\"><option value=\"\">Tous les thèmes"
               "</option>",
               c->id);
    for (int t = 0; directory_themes[t].value; t++) {
        bool used = false;
        for (int i = 0; i < ns && !used; i++)
            used = directory_list_has(s[i].themes, directory_themes[t].value);
        for (int i = 0; i < np && !used; i++)
            used = directory_list_has(p[i].themes, directory_themes[t].value);
        if (used)
            buf_printf(b, "<option value=\"%h\"%s>%h</option>", directory_themes[t].value,
                       str_eq(f->theme, directory_themes[t].value) ? " selected" : "",
                       directory_themes[t].label);
    }
    buf_puts(b, "</select></div><div class=\"field\"><label for=\"f-epci\">Intercommunalité"
                "</label><select id=\"f-epci\" name=\"epci\"><option value=\"\">Tout le "
                "territoire</option>");
    for (int i = 0; i < n; i++)
        if (str_eq(all[i].kind, "epci"))
            buf_printf(b, "<option value=\"%h\"%s>%h</option>", all[i].code,
                       str_eq(f->epci, all[i].code) ? " selected" : "", all[i].name);
    buf_printf(b,
               "</select></div><div class=\"field\"><label for=\"f-q\">Rechercher</label>"
               "<input type=\"search\" id=\"f-q\" name=\"q\" value=\"%h\"></div>"
               "<p><button type=\"submit\">Filtrer</button> <a href=\"/contracts/%lld/"
               "directory\">Tout afficher</a></p></form>",
               f->q, c->id);
}

/* The referents (people who consented) matching the filter, in a table. */
static void referents_table(struct buf *b, const struct directory_person *p, int np,
                            const struct dir_filter *f, const struct area *all, int n)
{
    int shown = 0;
    for (int i = 0; i < np; i++)
        shown += person_matches(&p[i], f) && (*p[i].themes || *p[i].epcis);
    buf_printf(b,
               "<section aria-labelledby=\"referents\"><h2 id=\"referents\">Référents "
               "(%d)</h2>",
               shown);
    if (!shown) {
        buf_puts(b, "<p>Aucun référent ne correspond à ces critères.</p></section>");
        return;
    }
    buf_puts(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Nom</th>"
                "<th scope=\"col\">Fonction et organisme</th><th scope=\"col\">Référent pour"
                "</th><th scope=\"col\">Contact</th></tr></thead><tbody>");
    for (int i = 0; i < np; i++) {
        if (!person_matches(&p[i], f) || (!*p[i].themes && !*p[i].epcis))
            continue;
        buf_printf(b, "<tr><td>%h</td><td>%h%s%h</td><td>", p[i].name, p[i].function,
                   *p[i].function && *p[i].organisation_name ? ", " : "", p[i].organisation_name);
        dir_labels(b, directory_themes, p[i].themes);
        if (*p[i].themes && *p[i].epcis)
            buf_puts(b, " ; ");
        if (*p[i].epcis)
            dir_areas(b, p[i].epcis, all, n);
        buf_puts(b, "</td><td>");
        if (*p[i].phone)
            buf_printf(b, "<a href=\"tel:%h\">%h</a> ", p[i].phone, p[i].phone);
        if (*p[i].email)
            buf_printf(b, "<a href=\"mailto:%h\">%h</a>", p[i].email, p[i].email);
        buf_puts(b, "</td></tr>");
    }
    buf_puts(b, "</tbody></table></div></section>");
}

/* Everything the public pages read: services, public people, the territory's areas. */
struct dir_data {
    struct service *s;
    int ns;
    struct directory_person *p;
    int np;
    struct area *all;
    int n;
};

static int dir_load(struct req *req, const struct contract *c, struct dir_data *d)
{
    int rc = service_list(req->db, req->arena, c->id, &d->s, &d->ns);
    if (rc == ERR_OK)
        rc = directory_people(req->db, req->arena, c->id, true, &d->p, &d->np);
    if (rc == ERR_OK)
        rc = area_list(req->db, req->arena, c->territory.id, &d->all, &d->n);
    return rc;
}

int directory_page(struct req *req, struct res *res)
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct dir_data d;
    if (dir_load(req, &c, &d) != ERR_OK)
        return page_db_error(req, res);
    struct dir_filter f;
    filter_read(req, &f);
    dir_begin(req, res, &c, NULL, NULL, NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<p class=\"lede\">Qui appeler, pour quel public et où : les services de "
                "santé du territoire et les référents du contrat local de santé.</p>");
    buf_printf(b,
               "<ul class=\"links noprint\"><li><a href=\"/contracts/%lld/directory/print\">"
               "Fiche récapitulative à imprimer</a></li><li><a href=\"/contracts/%lld/"
               "directory/services.json\">Services (data·inclusion, JSON)</a></li><li><a "
               "href=\"/contracts/%lld/directory/structures.json\">Structures "
               "(data·inclusion, JSON)</a></li>",
               c.id, c.id, c.id);
    if (auth_may(req, ROLE_COORDINATOR, c.id, false))
        buf_printf(b,
                   "<li><a class=\"button\" href=\"/contracts/%lld/directory/services/new\">"
                   "Nouveau service</a></li><li><a href=\"/contracts/%lld/directory/people\">"
                   "Référents et consentements</a></li>",
                   c.id, c.id);
    buf_puts(b, "</ul>");
    filter_form(b, &c, &f, d.s, d.ns, d.p, d.np, d.all, d.n);
    int shown = 0;
    for (int i = 0; i < d.ns; i++)
        shown += service_matches(&d.s[i], &f, d.all, d.n);
    buf_printf(b,
               "<section aria-labelledby=\"services\"><h2 id=\"services\">Services</h2>"
               "<p class=\"count\" role=\"status\">%d service%s sur %d</p>",
               shown, shown > 1 ? "s" : "", d.ns);
    if (!shown)
        buf_puts(b, d.ns ? "<p>Aucun service ne correspond à ces critères : essayez un autre "
                           "thème ou un autre mot.</p>"
                         : "<p>L'annuaire ne compte encore aucun service.</p>");
    for (int i = 0; i < d.ns; i++)
        if (service_matches(&d.s[i], &f, d.all, d.n))
            service_card(b, &c, &d.s[i], d.all, d.n);
    buf_puts(b, "</section>");
    referents_table(b, d.p, d.np, &f, d.all, d.n);
    page_end(res);
    return 200;
}

/* The route's service (ids[1]) of the route's contract (ids[0]); 0 or the page answered. */
static int load_service(struct req *req, struct res *res, const struct contract *c,
                        struct service *s)
{
    int rc = service_get(req->db, req->arena, req->ids[1], s);
    if (rc == ERR_NOTFOUND || (rc == ERR_OK && s->contract_id != c->id))
        return page_error(req, res, 404, "Service introuvable",
                          "Aucun service de cet annuaire ne porte ce numéro.");
    return rc == ERR_OK ? 0 : page_db_error(req, res);
}

int directory_service_page(struct req *req, struct res *res)
{
    struct contract c;
    struct service s;
    struct dir_data d;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc || (rc = load_service(req, res, &c, &s)) != 0)
        return rc;
    if (dir_load(req, &c, &d) != ERR_OK)
        return page_db_error(req, res);
    dir_begin(req, res, &c, s.name, NULL, NULL);
    struct buf *b = &res->body;
    if (str_eq(req_query(req, "done"), "service"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Le service est enregistré.</p>");
    if (auth_may(req, ROLE_COORDINATOR, c.id, false))
        buf_printf(b,
                   "<ul class=\"links noprint\"><li><a class=\"button\" href=\"/contracts/"
                   "%lld/directory/services/%lld/edit\">Modifier le service</a></li></ul>",
                   c.id, s.id);
    buf_printf(b,
               "<p class=\"lede\">%h</p><dl class=\"fields\"><dt>Proposé par</dt><dd><a "
               "href=\"/contracts/%lld/directory/organisations/%lld\">%h</a></dd>",
               s.description, c.id, s.organisation_id, s.organisation_name);
    buf_puts(b, "<dt>Thèmes</dt><dd>");
    dir_labels(b, directory_themes, s.themes);
    buf_puts(b, "</dd><dt>Public</dt><dd>");
    dir_labels(b, directory_publics, s.publics);
    if (*s.publics_note)
        buf_printf(b, "%s%h", *s.publics ? " — " : "", s.publics_note);
    buf_puts(b, "</dd><dt>Territoire</dt><dd>");
    dir_areas(b, s.areas, d.all, d.n);
    buf_puts(b, "</dd><dt>Accueil</dt><dd>");
    dir_labels(b, directory_modes, s.modes);
    buf_printf(b, "</dd><dt>Horaires</dt><dd>%h</dd></dl><h2>Contacter le service</h2><ul>",
               *s.hours ? s.hours : "Non précisés");
    service_contact(b, &s);
    buf_printf(b, "</ul><p class=\"help\">Mis à jour le %h.</p>", s.updated_on);
    page_end(res);
    return 200;
}

int directory_organisation_page(struct req *req, struct res *res)
{
    struct contract c;
    struct organisation o;
    struct organisation_card card;
    struct dir_data d;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    rc = organisation_get(req->db, req->arena, req->ids[1], &o);
    if (rc == ERR_OK)
        rc = organisation_card_get(req->db, req->arena, o.id, &card);
    if (rc == ERR_OK)
        rc = dir_load(req, &c, &d);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Organisme introuvable",
                          "Aucun organisme ne porte ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    dir_begin(req, res, &c, o.name, NULL, NULL);
    struct buf *b = &res->body;
    buf_printf(b, "<p>%h</p><dl class=\"fields\"><dt>Type</dt><dd>%h</dd>", card.description,
               organisation_type_label(o.type));
    if (*card.address || *card.commune)
        buf_printf(b, "<dt>Adresse</dt><dd>%h%s%h %h</dd>", card.address,
                   *card.address ? ", " : "", card.postcode, card.commune);
    if (*card.phone)
        buf_printf(b, "<dt>Téléphone</dt><dd><a href=\"tel:%h\">%h</a></dd>", card.phone,
                   card.phone);
    if (*card.email)
        buf_printf(b, "<dt>E-mail</dt><dd><a href=\"mailto:%h\">%h</a></dd>", card.email,
                   card.email);
    if (*card.website)
        buf_printf(b, "<dt>Site</dt><dd><a href=\"%h\">%h</a></dd>", card.website, card.website);
    buf_puts(b, "</dl>");
    if (auth_may(req, ROLE_COORDINATOR, c.id, false))
        buf_printf(b,
                   "<ul class=\"links noprint\"><li><a href=\"/organisations/%lld/card\">"
                   "Modifier la fiche de l'annuaire</a></li></ul>",
                   o.id);
    buf_puts(b, "<h2>Services</h2>");
    int count = 0;
    for (int i = 0; i < d.ns; i++)
        if (d.s[i].organisation_id == o.id) {
            service_card(b, &c, &d.s[i], d.all, d.n);
            count++;
        }
    if (!count)
        buf_puts(b, "<p>Cet organisme ne propose aucun service dans cet annuaire.</p>");
    buf_puts(b, "<h2>Contacts</h2><ul>");
    count = 0;
    for (int i = 0; i < d.np; i++)
        if (d.p[i].organisation_id == o.id) {
            buf_printf(b, "<li>%h%s%h</li>", d.p[i].name, *d.p[i].function ? ", " : "",
                       d.p[i].function);
            count++;
        }
    buf_puts(b, count ? "</ul>" : "</ul><p>Aucun contact public.</p>");
    page_end(res);
    return 200;
}

/* The themes' families as data·inclusion names them (the part before "--"), in order. */
static const struct {
    const char *prefix, *label;
} families[] = {
    {"sante--", "Santé"},
    {"famille--", "Famille et aidants"},
    {"mobilite--", "Mobilité"},
    {"", "Autres services"},
};

/* The family of a service: the first family one of its themes belongs to. */
static int family_of(const struct service *s)
{
    for (size_t f = 0; f + 1 < sizeof families / sizeof families[0]; f++)
        for (int t = 0; directory_themes[t].value; t++)
            if (strncmp(directory_themes[t].value, families[f].prefix,
                        strlen(families[f].prefix)) == 0 &&
                directory_list_has(s->themes, directory_themes[t].value))
                return (int)f;
    return (int)(sizeof families / sizeof families[0]) - 1;
}

int directory_print_page(struct req *req, struct res *res)
{
    struct contract c;
    struct dir_data d;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    if (dir_load(req, &c, &d) != ERR_OK)
        return page_db_error(req, res);
    dir_begin(req, res, &c, "Fiche récapitulative des services", NULL, NULL);
    struct buf *b = &res->body;
    buf_printf(
        b,
        "<div class=\"directory-print\"><p class=\"noprint\">Imprimez cette page "
        "(Ctrl+P) : deux pages A4, les services par thème puis les référents.</p><p class=\"lede\">%h — qui appeler, pour quel public et où."
        "</p>",
        c.title);
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        int count = 0;
        for (int i = 0; i < d.ns; i++)
            count += family_of(&d.s[i]) == (int)f;
        if (!count)
            continue;
        buf_printf(b,
                   "<h2>%h</h2><table class=\"compact\"><thead><tr><th scope=\"col\">"
                   "Service</th><th scope=\"col\">Qui appeler</th><th scope=\"col\">Public"
                   "</th><th scope=\"col\">Où</th><th scope=\"col\">Quand</th></tr></thead>"
                   "<tbody>",
                   families[f].label);
        for (int i = 0; i < d.ns; i++) {
            const struct service *s = &d.s[i];
            if (family_of(s) != (int)f)
                continue;
            buf_printf(b, "<tr><td><strong>%h</strong><br>%h</td><td>", s->name,
                       s->organisation_name);
            if (*s->phone)
                buf_printf(b, "%h<br>", s->phone);
            if (*s->email)
                buf_printf(b, "%h<br>", s->email);
            if (s->contact_public && *s->contact_name)
                buf_printf(b, "%h", s->contact_name);
            buf_puts(b, "</td><td>");
            dir_labels(b, directory_publics, s->publics);
            buf_puts(b, "</td><td>");
            dir_areas(b, s->areas, d.all, d.n);
            buf_printf(b, "</td><td>%h</td></tr>", s->hours);
        }
        buf_puts(b, "</tbody></table>");
    }
    struct dir_filter none = {"", "", "", ""};
    buf_puts(b, "<div class=\"page-break\"></div>");
    referents_table(b, d.p, d.np, &none, d.all, d.n);
    buf_puts(b, "</div>");
    page_end(res);
    return 200;
}

/* Answers one data·inclusion export (write: di_export_structures or di_export_services). */
static int export_json(struct req *req, struct res *res,
                       int (*write)(struct store *, struct arena *, long long, struct buf *))
{
    struct contract c;
    int rc = load_contract(req, res, req->ids[0], &c);
    if (rc)
        return rc;
    struct buf out = {0};
    rc = write(req->db, req->arena, c.id, &out);
    if (rc != ERR_OK) {
        buf_free(&out);
        return page_db_error(req, res);
    }
    buf_reset(&res->body);
    buf_append(&res->body, out.p, out.len);
    buf_free(&out);
    res->status = 200;
    res->content_type = "application/json; charset=utf-8";
    return 200;
}

int directory_structures_json(struct req *req, struct res *res)
{
    return export_json(req, res, di_export_structures);
}

int directory_services_json(struct req *req, struct res *res)
{
    return export_json(req, res, di_export_services);
}

int directory_service_redirect(struct req *req, struct res *res)
{
    struct service s;
    int rc = service_get(req->db, req->arena, req->ids[0], &s);
    if (rc == ERR_NOTFOUND)
        return page_error(req, res, 404, "Service introuvable",
                          "Aucun service de l'annuaire ne porte ce numéro.");
    if (rc != ERR_OK)
        return page_db_error(req, res);
    char *to = arena_alloc(req->arena, 80);
    snprintf(to, 80, "/contracts/%lld/directory/services/%lld", s.contract_id, s.id);
    res->status = 303;
    res_header(res, "Location", to);
    return 303;
}

/* The journal's words for the directory's fields: an organisation's card, a person's consent
 * and referent seats, a service (audit_kinds.h's audit_field_words); NULL for another field. */
const char *dir_audit_field_label(struct arena *a, const char *entity, const char *field)
{
    (void)a;
    static const struct {
        const char *entity, *field, *label;
    } labels[] = {
        {"organisation", "siret", "SIRET"},
        {"organisation", "address", "Adresse"},
        {"organisation", "postcode", "Code postal"},
        {"organisation", "commune", "Commune"},
        {"organisation", "insee_code", "Code INSEE de la commune"},
        {"organisation", "phone", "Téléphone"},
        {"organisation", "email", "Courriel"},
        {"organisation", "website", "Site web"},
        {"organisation", "description", "Description (annuaire)"},
        {"person", "public_consent", "Accord pour paraître dans l'annuaire public"},
        {"person", "retain_until", "Conservation jusqu'au"},
        {"person", "referent_themes", "Référent pour les thématiques"},
        {"person", "referent_epcis", "Référent pour les intercommunalités"},
        {"service", "name", "Nom"},
        {"service", "description", "Description"},
        {"service", "organisation_id", "Organisation"},
        {"service", "person_id", "Contact"},
        {"service", "phone", "Téléphone"},
        {"service", "email", "Courriel"},
        {"service", "website", "Site web"},
        {"service", "hours", "Horaires d'accueil"},
        {"service", "publics_note", "Précisions sur les publics"},
        {"service", "modes", "Modes d'accueil"},
        {"service", "publics", "Publics"},
        {"service", "themes", "Thématiques"},
        {"service", "areas", "Zone d'éligibilité (codes INSEE)"},
        {"service", "external_id", "Identifiant data·inclusion"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].entity, entity) == 0 && strcmp(labels[i].field, field) == 0)
            return labels[i].label;
    return NULL;
}
