/* data_inclusion.c — the directory in and out of the data·inclusion schema 1.0.8 (JSON through
 * jansson). The fields and vocabularies follow gip-inclusion/data-inclusion-schema
 * (schemas/v1/structure.json, schemas/v1/service.json; documentation of 1.0.8 on
 * schema.data.gouv.fr). Must not contain SQL (model/ does the reads and the audited writes) nor
 * write a person who did not consent to appear publicly. */
#include "format/data/data_inclusion.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/core/contract.h"
#include "model/directory/directory.h"
#include "model/plan/editing.h"
#include "model/core/organisation.h"
#include "model/governance/person.h"

/* ---- export -------------------------------------------------------------------------------- */

/* A text as a JSON string, or null when blank (optional fields of the schema). */
static json_t *text_or_null(const char *s)
{
    return str_blank(s) ? json_null() : json_string(s);
}

/* A space-separated list as a JSON array, or null when empty (the schema's lists have
 * minItems 1). */
static json_t *list_or_null(const char *list)
{
    json_t *arr = json_array();
    for (const char *s = list ? list : ""; *s;) {
        size_t len = strcspn(s, " ");
        if (len)
            json_array_append_new(arr, json_stringn(s, len));
        s += len;
        while (*s == ' ')
            s++;
    }
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return json_null();
    }
    return arr;
}

/* s when it is exactly n digits (code_postal, siret), else null. */
static json_t *digits_or_null(const char *s, size_t n)
{
    if (!s || strlen(s) != n || strspn(s, "0123456789") != n)
        return json_null();
    return json_string(s);
}

/* The structure id of an organisation: its slug, or a stable name from its number. */
static const char *structure_id(struct arena *a, const struct organisation *o)
{
    if (!str_blank(o->slug))
        return o->slug;
    char *id = arena_alloc(a, 32);
    snprintf(id, 32, "organisation-%lld", o->id);
    return id;
}

/* The description the schema requires (50 to 2000 characters) when the card has none. */
static const char *structure_description(struct arena *a, const struct organisation *o,
                                         const struct organisation_card *c)
{
    if (text_chars(c->description) >= 50)
        return c->description;
    struct buf text = {0};
    buf_printf(&text,
               "%s : organisme qui propose des services recensés dans l'annuaire du "
               "contrat local de santé.",
               o->name);
    char *s = arena_alloc(a, text.len + 1);
    memcpy(s, text.p, text.len + 1);
    buf_free(&text);
    return s;
}

/* The card's date, or the latest date_maj of the organisation's services when the card was
 * never filled (the schema requires one). */
static const char *structure_date(const struct organisation_card *c, const struct service *s,
                                  int n, long long org)
{
    if (!str_blank(c->updated_on))
        return c->updated_on;
    const char *best = "";
    for (int i = 0; i < n; i++)
        if (s[i].organisation_id == org && strcmp(s[i].updated_on, best) > 0)
            best = s[i].updated_on;
    return *best ? best : "1970-01-01";
}

/* Appends the JSON text of root to out and frees root. */
static int dump(json_t *root, struct buf *out)
{
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s)
        return ERR_IO;
    buf_puts(out, s);
    buf_putc(out, '\n');
    free(s);
    return ERR_OK;
}

int di_export_structures(struct store *db, struct arena *a, long long contract_id, struct buf *out)
{
    struct contract c;
    int rc = contract_get(db, a, contract_id, &c);
    struct organisation *orgs = NULL;
    struct service *services = NULL;
    int n = 0, n_services = 0;
    if (rc == ERR_OK)
        rc = directory_organisations(db, a, contract_id, &orgs, &n);
    if (rc == ERR_OK)
        rc = service_list(db, a, contract_id, &services, &n_services);
    if (rc != ERR_OK)
        return rc;
    json_t *arr = json_array();
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        struct organisation_card card;
        rc = organisation_card_get(db, a, orgs[i].id, &card);
        if (rc != ERR_OK)
            break;
        json_t *o = json_object();
        json_object_set_new(o, "source", json_string(DI_SOURCE));
        json_object_set_new(o, "id", json_string(structure_id(a, &orgs[i])));
        json_object_set_new(o, "nom", json_string(orgs[i].name));
        json_object_set_new(o, "description",
                            json_string(structure_description(a, &orgs[i], &card)));
        json_object_set_new(o, "date_maj",
                            json_string(structure_date(&card, services, n_services, orgs[i].id)));
        json_object_set_new(o, "siret", digits_or_null(card.siret, 14));
        json_object_set_new(o, "adresse", text_or_null(card.address));
        json_object_set_new(o, "code_postal", digits_or_null(card.postcode, 5));
        json_object_set_new(o, "commune", text_or_null(card.commune));
        json_object_set_new(o, "code_insee",
                            strlen(card.insee_code) == 5 ? json_string(card.insee_code)
                                                         : json_null());
        json_object_set_new(o, "telephone", text_or_null(card.phone));
        json_object_set_new(o, "courriel", text_or_null(card.email));
        json_object_set_new(o, "site_web", text_or_null(card.website));
        json_array_append_new(arr, o);
    }
    if (rc != ERR_OK) {
        json_decref(arr);
        return rc;
    }
    return dump(arr, out);
}

/* The service id: the one it was imported with, or a stable name from its number. */
static const char *service_id(struct arena *a, const struct service *s)
{
    if (!str_blank(s->external_id))
        return s->external_id;
    char *id = arena_alloc(a, 32);
    snprintf(id, 32, "service-%lld", s->id);
    return id;
}

int di_export_services(struct store *db, struct arena *a, long long contract_id, struct buf *out)
{
    struct contract c;
    struct service *s;
    int n;
    int rc = contract_get(db, a, contract_id, &c);
    if (rc == ERR_OK)
        rc = service_list(db, a, contract_id, &s, &n);
    if (rc != ERR_OK)
        return rc;
    json_t *arr = json_array();
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        struct organisation org;
        rc = organisation_get(db, a, s[i].organisation_id, &org);
        if (rc != ERR_OK)
            break;
        json_t *o = json_object();
        json_object_set_new(o, "source", json_string(DI_SOURCE));
        json_object_set_new(o, "id", json_string(service_id(a, &s[i])));
        json_object_set_new(o, "structure_id", json_string(structure_id(a, &org)));
        json_object_set_new(o, "nom", json_string(s[i].name));
        json_object_set_new(o, "description", json_string(s[i].description));
        json_object_set_new(o, "date_maj", json_string(s[i].updated_on));
        json_object_set_new(o, "thematiques", list_or_null(s[i].themes));
        json_object_set_new(o, "publics", list_or_null(s[i].publics));
        json_object_set_new(o, "publics_precisions", text_or_null(s[i].publics_note));
        json_object_set_new(o, "zone_eligibilite", list_or_null(s[i].areas));
        json_object_set_new(o, "modes_accueil", list_or_null(s[i].modes));
        json_object_set_new(o, "horaires_accueil", text_or_null(s[i].hours));
        json_object_set_new(o, "telephone", text_or_null(s[i].phone));
        json_object_set_new(o, "courriel", text_or_null(s[i].email));
        json_object_set_new(o, "lien_mobilisation", text_or_null(s[i].website));
        /* Consent decides: a contact who did not agree is not named. */
        json_object_set_new(o, "contact_nom_prenom",
                            s[i].contact_public ? text_or_null(s[i].contact_name) : json_null());
        json_array_append_new(arr, o);
    }
    if (rc != ERR_OK) {
        json_decref(arr);
        return rc;
    }
    return dump(arr, out);
}

/* ---- import -------------------------------------------------------------------------------- */

/* One record read from a file, with what messages call it. */
struct record {
    json_t *json;
    const char *file;
    int index; /* 1-based within its list */
    bool service;
};

struct import {
    struct store *db;
    const struct actor *who;
    long long contract_id;
    struct arena *a;
    struct di_report *r;
    struct record *recs;
    int n;
    /* structure id → organisation, filled while structures are written */
    const char **sid;
    long long *sorg;
    int n_s;
};

/* Sets the report's error about record x and returns ERR_INVALID. */
__attribute__((format(printf, 3, 4))) static int refuse(struct import *im, const struct record *x,
                                                        const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    json_t *id = json_object_get(x->json, "id");
    char idtext[300] = "";
    if (json_is_string(id)) {
        const char *v = json_string_value(id);
        snprintf(idtext, sizeof idtext, " (id « %.*s »)", (int)text_cut_chars(v, 60), v);
    }
    int n = snprintf(im->r->error, sizeof im->r->error, "%s : %s n° %d%s : %s", x->file,
                     x->service ? "service" : "structure", x->index, idtext, what);
    if (n >= (int)sizeof im->r->error) /* cut (a long file name): end on a whole character */
        im->r->error[text_cut_bytes(im->r->error, sizeof im->r->error - 4)] = '\0';
    return ERR_INVALID;
}

/* Reads the optional text field key of record x into *out ("" when absent or null); refuses
 * another type or a text longer than max bytes. */
static int get_text(struct import *im, const struct record *x, const char *key, size_t max,
                    bool required, const char **out)
{
    json_t *v = json_object_get(x->json, key);
    *out = "";
    if (!v || json_is_null(v)) {
        if (required)
            return refuse(im, x, "le champ « %s » est obligatoire.", key);
        return ERR_OK;
    }
    if (!json_is_string(v))
        return refuse(im, x, "le champ « %s » doit être un texte.", key);
    size_t len = json_string_length(v);
    if (len > max)
        return refuse(im, x, "le champ « %s » dépasse %zu octets.", key, max);
    if (strlen(json_string_value(v)) != len)
        return refuse(im, x, "le champ « %s » contient un caractère nul.", key);
    if (required && str_blank(json_string_value(v)))
        return refuse(im, x, "le champ « %s » est vide.", key);
    *out = json_string_value(v);
    return ERR_OK;
}

/* Reads the optional list field key (texts without blanks) into a space-separated list in the
 * arena ("" when absent or null). */
static int get_list(struct import *im, const struct record *x, const char *key, size_t max_items,
                    const char **out)
{
    json_t *v = json_object_get(x->json, key);
    *out = "";
    if (!v || json_is_null(v))
        return ERR_OK;
    if (!json_is_array(v))
        return refuse(im, x, "le champ « %s » doit être une liste de textes.", key);
    if (json_array_size(v) > max_items)
        return refuse(im, x, "le champ « %s » a plus de %zu valeurs.", key, max_items);
    struct buf b = {0};
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        const char *s = json_is_string(item) ? json_string_value(item) : NULL;
        if (!s || !*s || strlen(s) > 127 || strcspn(s, " \t\r\n") != strlen(s)) {
            buf_free(&b);
            return refuse(im, x, "la valeur n° %zu du champ « %s » n'est pas un code valide.",
                          i + 1, key);
        }
        if (b.len)
            buf_putc(&b, ' ');
        buf_puts(&b, s);
    }
    char *s = arena_alloc(im->a, b.len + 1);
    memcpy(s, b.len ? b.p : "", b.len + 1);
    buf_free(&b);
    *out = s;
    return ERR_OK;
}

/* date_maj: required, "AAAA-MM-JJ" and a real date. */
static int get_date(struct import *im, const struct record *x, const char **out)
{
    int rc = get_text(im, x, "date_maj", 10, true, out);
    char iso[11];
    if (rc == ERR_OK && (edit_parse_date(*out, iso) != ERR_OK || strcmp(iso, *out) != 0))
        return refuse(im, x, "le champ « date_maj » n'est pas une date AAAA-MM-JJ.");
    return rc;
}

/* Adds the records of one parsed list (structures, services or mixed) to im. */
static int collect(struct import *im, json_t *list, const char *file, int forced)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (im->n >= DI_MAX_RECORDS) {
            snprintf(im->r->error, sizeof im->r->error,
                     "%s : plus de %d enregistrements : import refusé.", file, DI_MAX_RECORDS);
            return ERR_INVALID;
        }
        struct record *x = &im->recs[im->n++];
        *x = (struct record){item, file, (int)i + 1, forced > 0};
        if (!json_is_object(item))
            return refuse(im, x, "l'enregistrement n'est pas un objet JSON.");
        if (!forced)
            x->service = json_object_get(item, "structure_id") != NULL;
    }
    return ERR_OK;
}

/* The organisation a structure id names: written by this import, or an existing slug. */
static long long org_of(struct import *im, const char *sid)
{
    for (int i = 0; i < im->n_s; i++)
        if (strcmp(im->sid[i], sid) == 0)
            return im->sorg[i];
    long long id = 0;
    if (organisation_find_slug(im->db, sid, &id) != ERR_OK)
        id = 0;
    return id;
}

static int import_structure(struct import *im, const struct record *x)
{
    const char *id, *nom, *source, *description, *date;
    struct organisation_card c = {0};
    int rc = get_text(im, x, "source", 200, true, &source);
    if (rc == ERR_OK)
        rc = get_text(im, x, "id", 200, true, &id);
    if (rc == ERR_OK)
        rc = get_text(im, x, "nom", 600, true, &nom);
    if (rc == ERR_OK)
        rc = get_text(im, x, "description", 10000, true, &description);
    if (rc == ERR_OK)
        rc = get_date(im, x, &date);
    const char *siret, *address, *postcode, *commune, *insee, *phone, *email, *site;
    if (rc == ERR_OK)
        rc = get_text(im, x, "siret", 14, false, &siret);
    if (rc == ERR_OK)
        rc = get_text(im, x, "adresse", 500, false, &address);
    if (rc == ERR_OK)
        rc = get_text(im, x, "code_postal", 5, false, &postcode);
    if (rc == ERR_OK)
        rc = get_text(im, x, "commune", 200, false, &commune);
    if (rc == ERR_OK)
        rc = get_text(im, x, "code_insee", 5, false, &insee);
    if (rc == ERR_OK)
        rc = get_text(im, x, "telephone", 40, false, &phone);
    if (rc == ERR_OK)
        rc = get_text(im, x, "courriel", 254, false, &email);
    if (rc == ERR_OK)
        rc = get_text(im, x, "site_web", 2083, false, &site);
    if (rc != ERR_OK)
        return rc;
    size_t nom_chars = text_chars(nom);
    if (nom_chars < 3 || nom_chars > 150)
        return refuse(im, x, "le champ « nom » doit compter de 3 à 150 caractères.");
    if (*siret && (strlen(siret) != 14 || strspn(siret, "0123456789") != 14))
        return refuse(im, x, "le champ « siret » doit compter 14 chiffres.");
    if (*postcode && (strlen(postcode) != 5 || strspn(postcode, "0123456789") != 5))
        return refuse(im, x, "le champ « code_postal » doit compter 5 chiffres.");
    if (*site && strncmp(site, "https://", 8) != 0 && strncmp(site, "http://", 7) != 0)
        return refuse(im, x, "le champ « site_web » doit commencer par https://.");
    c = (struct organisation_card){
        (char *)siret, (char *)address, (char *)postcode, (char *)commune,     (char *)insee,
        (char *)phone, (char *)email,   (char *)site,     (char *)description, (char *)date};
    long long org = 0;
    if (organisation_find_slug(im->db, id, &org) != ERR_OK)
        org = 0;
    if (!org && *siret) {
        struct organisation *all;
        int n = 0;
        if (organisation_all(im->db, im->a, &all, &n) != ERR_OK)
            return ERR_DB;
        for (int i = 0; i < n && !org; i++) {
            struct organisation_card oc;
            if (organisation_card_get(im->db, im->a, all[i].id, &oc) == ERR_OK &&
                strcmp(oc.siret, siret) == 0)
                org = all[i].id;
        }
    }
    if (!org && organisation_find(im->db, nom, &org) != ERR_OK)
        org = 0;
    if (org) {
        im->r->structures_updated++;
    } else {
        struct organisation o = {0, (char *)id, (char *)nom, "other", "", ""};
        rc = organisation_create(im->db, &o, &org);
        if (rc == ERR_OK)
            rc = audit_record(im->db, im->who, "organisation", org, 1, "created", "", nom);
        if (rc != ERR_OK)
            return rc;
        im->r->structures_new++;
    }
    rc = organisation_card_set(im->db, im->who, org, &c);
    if (rc != ERR_OK)
        return rc;
    im->sid[im->n_s] = id;
    im->sorg[im->n_s++] = org;
    return ERR_OK;
}

/* The data·inclusion name of a service_check field. */
static const char *di_field(const char *field)
{
    static const char *const map[][2] = {
        {"name", "nom"},
        {"email", "courriel"},
        {"phone", "telephone"},
        {"website", "lien_mobilisation"},
        {"hours", "horaires_accueil"},
        {"publics_note", "publics_precisions"},
        {"themes", "thematiques"},
        {"modes", "modes_accueil"},
        {"areas", "zone_eligibilite"},
        {"person_id", "contact_nom_prenom"},
        {"organisation_id", "structure_id"},
        {"external_id", "id"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], field) == 0)
            return map[i][1];
    return field;
}

/* The contact person named name in the contract: found by name, or added with consent (a
 * name published in a data·inclusion file is public at its source). 0 for a blank name. */
static int contact_of(struct import *im, const char *name, long long org, long long *id)
{
    *id = 0;
    if (str_blank(name))
        return ERR_OK;
    struct person *ps;
    int n;
    int rc = person_list(im->db, im->a, im->contract_id, &ps, &n);
    for (int i = 0; rc == ERR_OK && i < n; i++)
        if (strcmp(ps[i].name, name) == 0) {
            *id = ps[i].id;
            return ERR_OK;
        }
    if (rc != ERR_OK)
        return rc;
    struct person_edit e = {name, "", "", "", org, 0};
    rc = person_add(im->db, im->who, 0, im->contract_id, &e, id);
    if (rc == ERR_OK)
        rc = directory_person_set(im->db, im->who, *id, 1, true, "", "", "");
    if (rc == ERR_OK)
        im->r->people_new++;
    return rc;
}

/* The service this import updates: the one imported with id, or the one Boussole itself
 * exported as "service-N" (re-importing an export into its own contract changes nothing). */
static long long existing_service(struct import *im, const char *id)
{
    long long found = 0, n = 0;
    if (service_find_external(im->db, im->contract_id, id, &found) == ERR_OK)
        return found;
    if (strncmp(id, "service-", 8) == 0 && str_to_ll(id + 8, 1, (long long)1e15, &n) == ERR_OK) {
        struct service s;
        if (service_get(im->db, im->a, n, &s) == ERR_OK && s.contract_id == im->contract_id &&
            str_blank(s.external_id))
            return n;
    }
    return 0;
}

static int import_service(struct import *im, const struct record *x)
{
    const char *id, *sid, *source, *contact;
    struct service_edit e = {0};
    int rc = get_text(im, x, "source", 200, true, &source);
    if (rc == ERR_OK)
        rc = get_text(im, x, "id", 200, true, &id);
    if (rc == ERR_OK)
        rc = get_text(im, x, "structure_id", 200, true, &sid);
    if (rc == ERR_OK)
        rc = get_text(im, x, "nom", 600, true, &e.name);
    if (rc == ERR_OK)
        rc = get_text(im, x, "description", 10000, true, &e.description);
    if (rc == ERR_OK)
        rc = get_date(im, x, &e.updated_on);
    const struct {
        const char *key;
        size_t max;
        const char **out;
    } texts[] = {{"telephone", 40, &e.phone},
                 {"courriel", 254, &e.email},
                 {"lien_mobilisation", 2083, &e.website},
                 {"horaires_accueil", 500, &e.hours},
                 {"publics_precisions", 2000, &e.publics_note},
                 {"contact_nom_prenom", 200, &contact}};
    for (size_t i = 0; rc == ERR_OK && i < sizeof texts / sizeof texts[0]; i++)
        rc = get_text(im, x, texts[i].key, texts[i].max, false, texts[i].out);
    if (rc == ERR_OK)
        rc = get_list(im, x, "thematiques", 80, &e.themes);
    if (rc == ERR_OK)
        rc = get_list(im, x, "publics", 20, &e.publics);
    if (rc == ERR_OK)
        rc = get_list(im, x, "modes_accueil", 2, &e.modes);
    if (rc == ERR_OK)
        rc = get_list(im, x, "zone_eligibilite", 500, &e.areas);
    if (rc != ERR_OK)
        return rc;
    e.external_id = id;
    e.organisation_id = org_of(im, sid);
    if (!e.organisation_id)
        return refuse(im, x,
                      "le champ « structure_id » (« %.*s ») ne désigne aucune "
                      "structure du fichier ni de l'annuaire.",
                      (int)text_cut_chars(sid, 60), sid);
    /* Check before adding a contact, so a refused record leaves no trace even in the plan. */
    struct problems p = {0};
    service_check(im->db, im->contract_id, &e, &p);
    if (p.n)
        return refuse(im, x, "champ « %s » : %s", di_field(p.field[0]), p.message[0]);
    rc = contact_of(im, contact, e.organisation_id, &e.person_id);
    if (rc != ERR_OK)
        return rc;
    long long existing = existing_service(im, id);
    if (existing) {
        struct service s;
        rc = service_get(im->db, im->a, existing, &s);
        if (rc == ERR_OK)
            rc = service_update(im->db, im->who, existing, s.version, &e);
        im->r->services_updated++;
    } else {
        long long new_id;
        rc = service_add(im->db, im->who, im->contract_id, &e, &new_id);
        im->r->services_new++;
    }
    if (rc == ERR_INVALID)
        return refuse(im, x, "refusé par les contrôles de l'annuaire.");
    return rc;
}

/* Parses every file into im's records; the error names the file and the place. */
static int parse_files(struct import *im, const struct di_file *files, int n_files, json_t **roots)
{
    for (int f = 0; f < n_files; f++) {
        if (files[f].len > DI_MAX_BYTES) {
            snprintf(im->r->error, sizeof im->r->error,
                     "%s : le fichier dépasse %d Mo : import refusé.", files[f].name,
                     DI_MAX_BYTES / (1024 * 1024));
            return ERR_INVALID;
        }
        json_error_t jerr;
        roots[f] = json_loadb(files[f].data, files[f].len, JSON_REJECT_DUPLICATES, &jerr);
        if (!roots[f]) {
            /* jansson's text is English and quotes the file's bytes cut anywhere, even inside
             * a character: the place is said, and a repeated field in French. */
            snprintf(im->r->error, sizeof im->r->error,
                     "%s : ce n'est pas du JSON valide (ligne %d, colonne %d%s).", files[f].name,
                     jerr.line, jerr.column,
                     strstr(jerr.text, "duplicate") ? " : un champ y est donné deux fois" : "");
            return ERR_INVALID;
        }
        int rc = ERR_OK;
        if (json_is_array(roots[f])) {
            rc = collect(im, roots[f], files[f].name, 0);
        } else if (json_is_object(roots[f])) {
            json_t *st = json_object_get(roots[f], "structures");
            json_t *sv = json_object_get(roots[f], "services");
            if ((st && !json_is_array(st)) || (sv && !json_is_array(sv)) || (!st && !sv)) {
                snprintf(im->r->error, sizeof im->r->error,
                         "%s : le fichier doit être une liste de structures ou de services, "
                         "ou un objet {\"structures\": […], \"services\": […]}.",
                         files[f].name);
                return ERR_INVALID;
            }
            if (st)
                rc = collect(im, st, files[f].name, -1);
            if (rc == ERR_OK && sv)
                rc = collect(im, sv, files[f].name, 1);
        } else {
            snprintf(im->r->error, sizeof im->r->error,
                     "%s : le fichier doit être une liste JSON de structures ou de services.",
                     files[f].name);
            return ERR_INVALID;
        }
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

int di_import(struct store *db, const struct actor *who, long long contract_id,
              const struct di_file *files, int n_files, bool apply, struct di_report *r)
{
    memset(r, 0, sizeof *r);
    struct arena a = {0};
    struct import im = {db, who, contract_id, &a, r, NULL, 0, NULL, NULL, 0};
    im.recs = arena_alloc(&a, sizeof *im.recs * DI_MAX_RECORDS);
    json_t **roots = arena_alloc(&a, sizeof *roots * (size_t)(n_files > 0 ? n_files : 1));
    memset(roots, 0, sizeof *roots * (size_t)(n_files > 0 ? n_files : 1));
    int rc = parse_files(&im, files, n_files, roots);
    struct contract c;
    if (rc == ERR_OK && contract_get(db, &a, contract_id, &c) != ERR_OK) {
        snprintf(r->error, sizeof r->error, "contrat n° %lld introuvable.", contract_id);
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_OK) {
        im.sid = arena_alloc(&a, sizeof *im.sid * (size_t)(im.n + 1));
        im.sorg = arena_alloc(&a, sizeof *im.sorg * (size_t)(im.n + 1));
        rc = store_begin(db);
    }
    if (rc == ERR_OK) {
        /* Structures first, so services find them whatever the order of the files. */
        for (int i = 0; rc == ERR_OK && i < im.n; i++)
            if (!im.recs[i].service)
                rc = import_structure(&im, &im.recs[i]);
        for (int i = 0; rc == ERR_OK && i < im.n; i++)
            if (im.recs[i].service)
                rc = import_service(&im, &im.recs[i]);
        if (rc == ERR_OK && apply)
            rc = store_commit(db);
        else
            store_rollback(db);
        if (rc != ERR_OK && !r->error[0])
            snprintf(r->error, sizeof r->error,
                     "la base n'a pas pu être écrite : rien n'a "
                     "été importé.");
    }
    for (int f = 0; f < n_files; f++)
        json_decref(roots[f]);
    arena_free(&a);
    return rc;
}
