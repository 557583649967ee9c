/* datapackage.c — writes the open data package of a contract (datapackage.h): the columns of
 * each resource are described once, in the tables below, and the descriptor, the CSV files and
 * the web page that documents them all read these tables.
 * printf-text: builds JSON (%j-escaped) and CSV, no markup. */
#include "format/data/datapackage.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format/data/csv.h"

static const char *const status_keys[] = {
    "done_closed", "done_recurring", "done",      "in_progress",
    "reflection",  "not_started",    "abandoned", NULL};
static const char *const kind_keys[] = {"sheet", "lead", NULL};
static const char *const indicator_kinds[] = {"process", "result", NULL};

static const struct dp_field action_fields[] = {
    {"id", "integer", "Identifiant", "Identifiant de l'action dans Boussole.", true, NULL},
    {"code", "string", "Code", "Code de la fiche action ; vide pour une piste.", false, NULL},
    {"type", "string", "Type", "sheet : fiche action ; lead : piste d'action.", true, kind_keys},
    {"titre", "string", "Intitulé", "Intitulé de l'action.", true, NULL},
    {"code_objectif", "string", "Code de l'objectif", "Code de l'objectif opérationnel.", false,
     NULL},
    {"objectif", "string", "Objectif", "Objectif (opérationnel) auquel l'action répond.", true,
     NULL},
    {"code_axe", "string", "Code de l'axe", "Code de l'axe stratégique.", false, NULL},
    {"axe", "string", "Axe", "Axe stratégique de l'objectif.", false, NULL},
    {"porteur", "string", "Porteur",
     "Organisation porteuse (annuaire), sinon le porteur tel qu'écrit.", false, NULL},
    {"premiere_annee", "year", "Première année",
     "Année à partir de laquelle l'action existe et compte dans les bilans.", false, NULL},
};

static const struct dp_field status_fields[] = {
    {"action_id", "integer", "Action", "Identifiant de l'action (actions.csv).", true, NULL},
    {"annee", "year", "Année", "Année du bilan.", true, NULL},
    {"etat", "string", "État",
     "Clé de l'état : done_closed (réalisée et close), done_recurring (réalisée, récurrente), "
     "done (réalisée), in_progress (en cours), reflection (réflexion engagée), not_started (non "
     "commencée), abandoned (abandonnée).",
     true, status_keys},
    {"etat_libelle", "string", "Libellé de l'état", "L'état en français.", true, NULL},
    {"remarques", "string", "Remarques",
     "Remarques du bilan, quand le contrat les rend publiques ; vide sinon.", false, NULL},
    {"correction", "boolean", "Correction",
     "true : état saisi après la clôture de la campagne de l'année (correction journalisée).",
     true, NULL},
};

static const struct dp_field indicator_fields[] = {
    {"id", "integer", "Identifiant", "Identifiant de l'indicateur.", true, NULL},
    {"action_id", "integer", "Action", "Action mesurée (actions.csv) ; vide pour un objectif.",
     false, NULL},
    {"objectif_id", "integer", "Objectif", "Objectif mesuré ; vide pour une action.", false, NULL},
    {"nom", "string", "Nom", "Nom de l'indicateur.", true, NULL},
    {"nature", "string", "Nature", "process : indicateur de processus ; result : de résultat.",
     true, indicator_kinds},
    {"unite", "string", "Unité", "Unité de mesure.", false, NULL},
    {"frequence", "string", "Fréquence", "Fréquence de recueil.", false, NULL},
    {"valeur_depart", "number", "Valeur de départ", "Valeur de référence.", false, NULL},
    {"cible", "number", "Cible", "Valeur visée.", false, NULL},
};

static const struct dp_field value_fields[] = {
    {"indicateur_id", "integer", "Indicateur", "Identifiant de l'indicateur (indicateurs.csv).",
     true, NULL},
    {"periode", "string", "Période", "AAAA, AAAA-MM ou AAAA-MM-JJ.", true, NULL},
    {"valeur", "number", "Valeur", "Dernière valeur enregistrée pour la période.", true, NULL},
};

static const char *const key_id[] = {"id", NULL};
static const char *const key_status[] = {"action_id", "annee", NULL};
static const char *const key_value[] = {"indicateur_id", "periode", NULL};

#define FIELDS(f) f, (int)(sizeof f / sizeof *f)
static const struct dp_resource resources[] = {
    {"actions", "actions.csv", "Actions du contrat", FIELDS(action_fields), key_id, NULL, NULL,
     NULL},
    {"etats", "etats.csv", "État de chaque action chaque année", FIELDS(status_fields), key_status,
     "action_id", "actions", "id"},
    {"indicateurs", "indicateurs.csv", "Indicateurs", FIELDS(indicator_fields), key_id,
     "action_id", "actions", "id"},
    {"valeurs", "valeurs.csv", "Valeurs des indicateurs", FIELDS(value_fields), key_value,
     "indicateur_id", "indicateurs", "id"},
};

const struct dp_resource *dp_resources(int *n)
{
    *n = (int)(sizeof resources / sizeof *resources);
    return resources;
}

const struct dp_resource *dp_resource_by_path(const char *path)
{
    for (size_t i = 0; i < sizeof resources / sizeof *resources; i++)
        if (path && strcmp(resources[i].path, path) == 0)
            return &resources[i];
    return NULL;
}

/* ---- descriptor ----------------------------------------------------------------------------- */

static void write_names(struct buf *b, const char *const *names)
{
    buf_puts(b, "[");
    for (int i = 0; names[i]; i++)
        buf_printf(b, "%s\"%j\"", i ? "," : "", names[i]);
    buf_puts(b, "]");
}

static void write_field(struct buf *b, const struct dp_field *f)
{
    buf_printf(b, "{\"name\":\"%j\",\"type\":\"%j\",\"title\":\"%j\",\"description\":\"%j\"",
               f->name, f->type, f->title, f->description);
    if (f->required || f->enum_values) {
        buf_puts(b, ",\"constraints\":{");
        if (f->required)
            buf_puts(b, "\"required\":true");
        if (f->enum_values) {
            buf_printf(b, "%s\"enum\":", f->required ? "," : "");
            write_names(b, f->enum_values);
        }
        buf_puts(b, "}");
    }
    buf_puts(b, "}");
}

static void write_resource(struct buf *b, const struct dp_resource *r)
{
    buf_printf(b,
               "{\"name\":\"%j\",\"path\":\"%j\",\"title\":\"%j\","
               "\"profile\":\"tabular-data-resource\",\"format\":\"csv\","
               "\"mediatype\":\"text/csv\",\"encoding\":\"utf-8\",\"schema\":{\"fields\":[",
               r->name, r->path, r->title);
    for (int i = 0; i < r->n_fields; i++) {
        if (i)
            buf_puts(b, ",");
        write_field(b, &r->fields[i]);
    }
    buf_puts(b, "],\"missingValues\":[\"\"],\"primaryKey\":");
    write_names(b, r->primary_key);
    if (r->foreign_field)
        buf_printf(b,
                   ",\"foreignKeys\":[{\"fields\":[\"%j\"],\"reference\":{\"resource\":"
                   "\"%j\",\"fields\":[\"%j\"]}}]",
                   r->foreign_field, r->foreign_resource, r->foreign_key);
    buf_puts(b, "}}");
}

void dp_write_descriptor(struct buf *b, const struct opendata *data)
{
    const struct contract *c = &data->contract;
    buf_printf(b,
               "{\"profile\":\"tabular-data-package\",\"name\":\"cls-%lld\","
               "\"title\":\"%j\",\"description\":\"%j\",",
               c->id, c->title,
               "Actions du contrat local de santé, état de chaque action chaque année (la "
               "dernière saisie de l'année compte), indicateurs et leurs valeurs : ce que les "
               "pages publiques du contrat montrent. Une action compte dans une année à partir "
               "de sa première année (premiere_annee).");
    buf_printf(b,
               "\"licenses\":[{\"name\":\"etalab-2.0\",\"title\":\"%j\","
               "\"path\":\"https://www.etalab.gouv.fr/licence-ouverte-open-licence/\"}],"
               "\"keywords\":[\"contrat local de santé\",\"CLS\"],\"resources\":[",
               "Licence Ouverte / Open Licence version 2.0");
    int n;
    const struct dp_resource *rs = dp_resources(&n);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(b, ",");
        write_resource(b, &rs[i]);
    }
    buf_puts(b, "]}\n");
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static const char *number_text(char *tmp, size_t size, double v)
{
    if (fabs(v) < 1e15 && v == floor(v))
        snprintf(tmp, size, "%.0f", v);
    else
        snprintf(tmp, size, "%.17g", v);
    return tmp;
}

static const char *id_text(char *tmp, size_t size, long long v)
{
    if (!v)
        return "";
    snprintf(tmp, size, "%lld", v);
    return tmp;
}

static void write_actions(struct buf *b, const struct opendata *d)
{
    for (int i = 0; i < d->n_actions; i++) {
        const struct od_action *x = &d->actions[i];
        char id[24], year[16] = "";
        if (x->first_year)
            snprintf(year, sizeof year, "%d", x->first_year);
        const char *row[] = {id_text(id, sizeof id, x->id),
                             x->code,
                             x->kind,
                             x->title,
                             x->objective_code,
                             x->objective_title,
                             x->axis_code,
                             x->axis_title,
                             x->carrier,
                             year};
        csv_write_row_raw(b, row, (int)(sizeof row / sizeof *row), ',');
    }
}

static void write_statuses(struct buf *b, const struct opendata *d)
{
    for (int i = 0; i < d->n_statuses; i++) {
        const struct od_status *s = &d->statuses[i];
        char id[24], year[16];
        snprintf(year, sizeof year, "%d", s->year);
        const char *row[] = {id_text(id, sizeof id, s->action_id),
                             year,
                             status_key(s->status),
                             status_label(s->status),
                             s->remarks,
                             s->correction ? "true" : "false"};
        csv_write_row_raw(b, row, (int)(sizeof row / sizeof *row), ',');
    }
}

static void write_indicators(struct buf *b, const struct opendata *d)
{
    for (int i = 0; i < d->n_indicators; i++) {
        const struct od_indicator *x = &d->indicators[i];
        char id[24], action[24], objective[24], base[48], target[48];
        const char *row[] = {id_text(id, sizeof id, x->id),
                             id_text(action, sizeof action, x->action_id),
                             id_text(objective, sizeof objective, x->objective_id),
                             x->name,
                             x->kind,
                             x->unit,
                             x->frequency,
                             x->has_baseline ? number_text(base, sizeof base, x->baseline) : "",
                             x->has_target ? number_text(target, sizeof target, x->target) : ""};
        csv_write_row_raw(b, row, (int)(sizeof row / sizeof *row), ',');
    }
}

static void write_values(struct buf *b, const struct opendata *d)
{
    for (int i = 0; i < d->n_values; i++) {
        const struct od_value *v = &d->values[i];
        char id[24], value[48];
        const char *row[] = {id_text(id, sizeof id, v->indicator_id), v->period,
                             number_text(value, sizeof value, v->value)};
        csv_write_row_raw(b, row, (int)(sizeof row / sizeof *row), ',');
    }
}

void dp_write_csv(struct buf *b, const struct dp_resource *r, const struct opendata *data)
{
    const char *head[16];
    for (int i = 0; i < r->n_fields && i < 16; i++)
        head[i] = r->fields[i].name;
    csv_write_row_raw(b, head, r->n_fields, ',');
    if (r->fields == action_fields)
        write_actions(b, data);
    else if (r->fields == status_fields)
        write_statuses(b, data);
    else if (r->fields == indicator_fields)
        write_indicators(b, data);
    else if (r->fields == value_fields)
        write_values(b, data);
}
