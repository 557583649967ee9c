/* demo_governance.c — the demo's governance: the bodies the CLS 2 report names, its 305 dated
 * meetings (data/demo/meetings.csv) grouped into them with their statuses, and the plan entries
 * the meetings that did not take place stood for. Must not be needed by any other contract and
 * must not open a transaction: demo_load runs it inside its own, all or nothing.
 *
 * How rows become bodies (every choice is here, as data): the extraction's body_type and
 * keywords of the label, folded (no case, no accents):
 *   - the CLS steering committee: COPIL/COTECH rows naming it ("comité de pilotage du CLS",
 *     "pilotage restreint", "COPIL restreint", "COPIL CLS", "copil de clôture"): the report's
 *     "met once, restricted, in 2019" is the COTECH général (= COPIL restreint) of 28/03/2019;
 *   - the technical committee of the CLS: no row is its own meeting (the COTECH of the lists
 *     are those of thematic groups or projects): it shows as never held, as the report says;
 *   - the thematic groups parenting, mobility and autonomy: COPIL, COTECH and work-group rows
 *     whose label names the theme (parentalité, petite enfance, PSFP; mobilité, MOBIN;
 *     autonomie, séniors); other work groups form "Groupes de travail (autres thèmes)";
 *   - the project team: body_type project_team; the CLS referents: labels "référent CLS";
 *   - partner meetings (other bodies' COPIL and COTECH included), events, training: their
 *     body_type; rows of body_type other keep no body.
 * A plan entry is added for each meeting of a body that was planned, postponed, cancelled or
 * not held: it was on the plan, which is what makes a missed meeting visible. The English notes
 * of the extraction are not loaded; each meeting cites its source line instead. The steering
 * committee's members are the signatories' representatives (the COPIL is the signatories),
 * the PETR's president in the chair. */
#include "cli/demo/demo_governance.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/governance/body.h"
#include "model/core/contract.h"
#include "model/governance/meeting.h"
#include "model/governance/person.h"
#include "model/governance/meeting_plan.h"
#include "format/data/csv.h"
#include "store/db.h"

enum {
    B_COPIL,
    B_COTECH,
    B_PROJECT,
    B_PARENTING,
    B_MOBILITY,
    B_AUTONOMY,
    B_WORK_GROUPS,
    B_REFERENTS,
    B_PARTNERS,
    B_EVENTS,
    B_TRAINING,
    B_COUNT,
    B_NONE = -1
};

static const struct body_edit demo_bodies[B_COUNT] = {
    {"steering_committee", "Comité de pilotage du CLS", "",
     "Les signataires du contrat. Se réunit au moins une fois par an.",
     1, 0},
    {"technical_committee", "Comité technique du CLS", "",
     "Les techniciens des signataires et des partenaires. Se réunit une à deux fois par an.", 1,
     2},
    {"project_team", "Équipe projet", "", "Le PETR et l'ARS.", 0, 0},
    {"thematic_group", "Groupe thématique Parentalité", "Parentalité", "", 0, 0},
    {"thematic_group", "Groupe thématique Mobilité", "Mobilité", "", 0, 0},
    {"thematic_group", "Groupe thématique Autonomie", "Autonomie", "", 0, 0},
    {"thematic_group", "Groupes de travail (autres thèmes)", "", "", 0, 0},
    {"referents_meeting", "Référents CLS", "",
     "Les élus référents du CLS, un par intercommunalité.", 0, 0},
    {"other", "Rencontres partenaires", "",
     "Points, rendez-vous et réunions de la coordination avec les partenaires, comités d'autres "
     "projets compris.",
     0, 0},
    {"other", "Événements", "", "Forums, rencontres publiques, ateliers et journées.", 0, 0},
    {"other", "Formations et webinaires", "", "", 0, 0},
};

static bool has(const char *folded, const char *word)
{
    return strstr(folded, word) != NULL;
}

/* The theme a label names, or B_NONE. */
static int theme_of(const char *f)
{
    if (has(f, "parentalit") || has(f, "petite enfance") || has(f, "psfp"))
        return B_PARENTING;
    if (has(f, "mobilit") || has(f, "mobin"))
        return B_MOBILITY;
    if (has(f, "autonomi") || has(f, "senior"))
        return B_AUTONOMY;
    return B_NONE;
}

/* The body of a row (see the rules at the top of the file). */
static int body_of(const char *type, const char *folded)
{
    bool committee = str_eq(type, "COPIL") || str_eq(type, "COTECH");
    if (committee && (has(folded, "pilotage du cls") || has(folded, "pilotage restreint") ||
                      has(folded, "copil restreint") || has(folded, "copil cls") ||
                      has(folded, "copil de cloture")))
        return B_COPIL;
    if (str_eq(type, "project_team"))
        return B_PROJECT;
    if (has(folded, "referent cls"))
        return B_REFERENTS;
    if (committee || str_eq(type, "thematic_group")) {
        int t = theme_of(folded);
        if (t != B_NONE)
            return t;
        return committee ? B_PARTNERS : B_WORK_GROUPS;
    }
    if (str_eq(type, "partner_meeting"))
        return B_PARTNERS;
    if (str_eq(type, "event"))
        return B_EVENTS;
    if (str_eq(type, "training"))
        return B_TRAINING;
    return B_NONE;
}

/* The precision of an ISO date by its shape ("2019", "2019-03", "2019-03-28"). */
static const char *shape_precision(const char *date)
{
    size_t n = strlen(date);
    return n == 10 ? "day" : n == 7 ? "month" : "year";
}

#define COL(t, row, name) csv_field(row, csv_column(t, name))

static int load_members(struct store *db, struct arena *a, const char *dir,
                        long long contract_id, long long copil, char *err, size_t errlen)
{
    struct signatory *s;
    int n;
    int rc = contract_signatories(db, a, contract_id, &s, &n);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        if (!*s[i].representative_name)
            continue;
        struct person_edit p = {.name = s[i].representative_name,
                                .function = s[i].representative_title,
                                .organisation_id = s[i].organisation_id};
        long long id;
        rc = person_create(db, contract_id, &p, &id);
        if (rc == ERR_OK)
            rc = body_member_create(db, copil, id, i == 0 ? "chair" : "member");
    }
    if (rc != ERR_OK)
        snprintf(err, errlen, "%s: the steering committee's members were not loaded", dir);
    return rc;
}

int demo_load_governance(struct store *db, struct arena *a, const char *dir,
                         long long contract_id, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/meetings.csv", dir);
    struct csv_table t;
    if (csv_read_file(path, a, &t, err, errlen) != ERR_OK)
        return ERR_INVALID;
    static const char *const cols[] = {"id",     "date",        "date_end",    "date_precision",
                                       "label",  "body_type",   "status",      "date_as_written",
                                       "source_file", "source_line", NULL};
    for (int i = 0; cols[i]; i++)
        if (csv_column(&t, cols[i]) < 0) {
            snprintf(err, errlen, "%s: column '%s' is missing", path, cols[i]);
            return ERR_INVALID;
        }
    long long ids[B_COUNT];
    for (int b = 0; b < B_COUNT; b++) {
        int rc = body_create(db, contract_id, &demo_bodies[b], &ids[b]);
        if (rc != ERR_OK) {
            snprintf(err, errlen, "governance body '%s' not created", demo_bodies[b].name);
            return rc;
        }
    }
    for (int i = 1; i < t.n_rows; i++) {
        struct csv_row *r = &t.rows[i];
        const char *date = COL(&t, r, "date"), *end = COL(&t, r, "date_end");
        const char *label = COL(&t, r, "label"), *status = COL(&t, r, "status");
        char folded[1024];
        if (text_fold(label, folded, sizeof folded) != ERR_OK)
            folded[0] = '\0';
        int b = body_of(COL(&t, r, "body_type"), folded);
        const char *precision = shape_precision(date);
        char source[256];
        snprintf(source, sizeof source, "%s, ligne %s (%s)",
                 strncmp(COL(&t, r, "source_file"), "004_", 4) == 0
                     ? "Lettre du PETR de fin 2018"
                     : "Rapport d'évaluation du CLS 2",
                 COL(&t, r, "source_line"), COL(&t, r, "id"));
        struct meeting_edit e = {
            .body_id = b == B_NONE ? 0 : ids[b],
            .title = label,
            .held_on = date,
            .precision = precision,
            .end_on = str_eq(precision, "day") && strlen(end) == 10 ? end : "",
            .status = status,
            .date_as_written = COL(&t, r, "date_as_written"),
            .source = source,
        };
        struct problems p = {0};
        meeting_check(db, contract_id, &e, &p);
        long long id;
        int rc = p.n ? ERR_INVALID : meeting_create(db, contract_id, &e, &id);
        if (rc == ERR_OK && b != B_NONE && !str_eq(status, "held"))
            rc = plan_create(db, ids[b], date, precision, "", &id);
        if (rc != ERR_OK) {
            snprintf(err, errlen, "%s line %d: meeting not loaded (%s)", path, r->line,
                     p.n ? p.message[0] : "database");
            return rc;
        }
    }
    return load_members(db, a, dir, contract_id, ids[B_COPIL], err, errlen);
}
