/* synthetic.c — made-up contracts for scale measurements (`boussole demo --synthetic N`): the
 * demo's shape, pseudo-random content from a fixed seed, written through src/model/ in one
 * transaction. Must not contain SQL nor be used for anything but measurements and tests. */
#include "cli/demo/synthetic.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "model/plan/action.h"
#include "model/plan/bulk.h"
#include "model/core/contract.h"
#include "model/plan/objective.h"
#include "model/core/organisation.h"
#include "store/db.h"

/* splitmix64: small, fast, good enough, and the same on every machine. */
struct rng {
    unsigned long long s;
};

static unsigned long long rng_next(struct rng *r)
{
    unsigned long long z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A number in [0, n). */
static int rng_below(struct rng *r, int n)
{
    return (int)(rng_next(r) % (unsigned long long)n);
}

enum { SEED = 0x5CA1Eull };

/* The shared directory: every kind of organisation crossed with every place. */
static const struct {
    const char *prefix, *type;
} org_kinds[] = {
    {"Association Familles de", "association"},
    {"Commune de", "commune"},
    {"Communauté de communes de", "intercommunality"},
    {"Centre hospitalier de", "health_establishment"},
    {"EHPAD de", "social_establishment"},
    {"Collège de", "school"},
    {"Maison de santé de", "private_practitioners"},
    {"Mutuelle solidaire de", "mutual_insurer"},
    {"Centre social de", "association"},
    {"Antenne CPAM de", "social_security"},
};
static const char *const places[] = {"Valbourg", "Montclair", "Rivesaltes-sur-Orne",
                                     "Saint-Aubin-les-Prés", "Haute-Combe", "Beauvallon"};
enum {
    N_KINDS = sizeof org_kinds / sizeof org_kinds[0],
    N_PLACES = sizeof places / sizeof places[0],
    N_ORGS = N_KINDS * N_PLACES,
};

/* The demo's tree: how many operational objectives each specific objective has. */
static const int ops_per_specific[SYNTH_SPECIFIC] = {3, 3, 5, 2, 4, 4, 2};
/* Which strategic objective (axis, 0 or 1) each specific objective belongs to. */
static const int axis_of_specific[SYNTH_SPECIFIC] = {0, 0, 1, 1, 1, 1, 1};

static const char *const verbs[] = {"Développer", "Renforcer", "Créer",    "Organiser",
                                    "Soutenir",   "Animer",    "Déployer", "Pérenniser"};
static const char *const subjects[] = {
    "un bus itinérant de services",
    "des ateliers nutrition et activité physique",
    "un réseau de bénévoles visiteurs",
    "des consultations avancées de spécialistes",
    "la téléconsultation en pharmacie",
    "un annuaire des ressources en santé",
    "le dépistage organisé des cancers",
    "des groupes de parole pour les aidants",
    "un parcours de prévention des chutes",
    "une permanence d'accès aux droits",
    "le repérage de la perte d'autonomie",
    "les compétences psychosociales au collège",
    "l'accueil des internes en médecine générale",
    "le transport solidaire vers les soins",
    "la prévention des addictions chez les jeunes",
    "un forum santé des habitants",
};
static const char *const objective_words[] = {
    "l'accès aux soins de proximité", "la prévention auprès des jeunes",
    "le lien social des personnes âgées", "la santé environnementale",
    "la coordination des professionnels", "la santé mentale",
    "la mobilité vers les services", "l'offre de second recours",
};
static const char *const remarks[] = {
    "(+) Bonne participation des habitants.",
    "(-) Difficultés de recrutement de l'animateur.",
    "(+) Partenariat élargi à deux nouvelles communes.",
    "(-) Financement à reconduire pour l'année suivante.",
    "(+) Outil diffusé à l'ensemble des partenaires.",
};

/* One action's next year: statuses mostly move forward, a few actions are abandoned. */
static enum status next_status(struct rng *r, enum status s)
{
    int p = rng_below(r, 100);
    switch (s) {
    case ST_NONE:
        return p < 35   ? ST_NOT_STARTED
               : p < 60 ? ST_REFLECTION
               : p < 95 ? ST_IN_PROGRESS
                        : ST_DONE;
    case ST_NOT_STARTED:
        return p < 30 ? ST_REFLECTION : p < 55 ? ST_IN_PROGRESS : p < 60 ? ST_ABANDONED : s;
    case ST_REFLECTION:
        return p < 40 ? ST_IN_PROGRESS : p < 45 ? ST_ABANDONED : s;
    case ST_IN_PROGRESS:
        return p < 15   ? ST_DONE_RECURRING
               : p < 30 ? ST_DONE_CLOSED
               : p < 35 ? ST_DONE
               : p < 38 ? ST_ABANDONED
                        : s;
    case ST_DONE_RECURRING:
        return p < 10 ? ST_IN_PROGRESS : s;
    default:
        return s;
    }
}

/* Finds or creates the shared organisations; ids[i] for organisation i. */
static int ensure_organisations(struct store *db, long long *ids)
{
    for (int i = 0; i < N_ORGS; i++) {
        char slug[32], name[128];
        snprintf(slug, sizeof slug, "synthetique-org-%d", i + 1);
        if (organisation_find_slug(db, slug, &ids[i]) == ERR_OK)
            continue;
        snprintf(name, sizeof name, "%s %s", org_kinds[i % N_KINDS].prefix,
                 places[i / N_KINDS]);
        struct organisation o = {.slug = slug,
                                 .name = name,
                                 .type = (char *)org_kinds[i % N_KINDS].type,
                                 .acronym = "",
                                 .aliases = ""};
        int rc = organisation_create(db, &o, &ids[i]);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* The strategy tree of contract k; ops[j] gets the id of the j-th operational objective and
 * op_codes[j] its code. */
static int create_tree(struct store *db, struct rng *r, long long contract_id, int k,
                       long long *ops, char op_codes[][24])
{
    char title[160], code[16], alt[32];
    long long general, axes[2], spec;
    int pos = 0, rc, j = 0;
    snprintf(title, sizeof title, "Améliorer la santé des habitants du territoire synthétique %d",
             k);
    struct objective o = {.level = OBJ_GENERAL, .code = "", .alt_code = "", .title = title};
    o.position = ++pos;
    if ((rc = objective_create(db, contract_id, &o, &general)) != ERR_OK)
        return rc;
    for (int a = 0; a < 2; a++) {
        snprintf(code, sizeof code, "Axe %d", a + 1);
        snprintf(title, sizeof title, "Améliorer %s",
                 objective_words[rng_below(r, (int)(sizeof objective_words / sizeof(char *)))]);
        o = (struct objective){.parent_id = general, .level = OBJ_STRATEGIC, .code = code,
                               .alt_code = "", .title = title, .position = ++pos};
        if ((rc = objective_create(db, contract_id, &o, &axes[a])) != ERR_OK)
            return rc;
    }
    for (int s = 0; s < SYNTH_SPECIFIC; s++) {
        snprintf(code, sizeof code, "%d", s + 1);
        snprintf(alt, sizeof alt, "Axe %d / Objectif %d", axis_of_specific[s] + 1, s + 1);
        snprintf(title, sizeof title, "Renforcer %s",
                 objective_words[rng_below(r, (int)(sizeof objective_words / sizeof(char *)))]);
        o = (struct objective){.parent_id = axes[axis_of_specific[s]], .level = OBJ_SPECIFIC,
                               .code = code, .alt_code = alt, .title = title, .position = ++pos};
        if ((rc = objective_create(db, contract_id, &o, &spec)) != ERR_OK)
            return rc;
        for (int p = 0; p < ops_per_specific[s]; p++, j++) {
            snprintf(op_codes[j], sizeof op_codes[j], "%d.%d", s + 1, p + 1);
            snprintf(title, sizeof title, "Soutenir %s (%s)",
                     objective_words[rng_below(r, (int)(sizeof objective_words / sizeof(char *)))],
                     op_codes[j]);
            o = (struct objective){.parent_id = spec, .level = OBJ_OPERATIONAL,
                                   .code = op_codes[j], .alt_code = "", .title = title,
                                   .position = ++pos};
            if ((rc = objective_create(db, contract_id, &o, &ops[j])) != ERR_OK)
                return rc;
        }
    }
    return ERR_OK;
}

/* One action, its carriers and its yearly statuses but the last year's, left in *last (the
 * campaign of that year collects it). */
static int create_action(struct store *db, struct rng *r, long long contract_id, long long op,
                         const char *op_code, int *n_sheets, int position, const long long *orgs,
                         long long *out_id, enum status *last)
{
    char code[40] = "", title[160], slug[24];
    bool lead = rng_below(r, 100) < 15;
    if (!lead)
        snprintf(code, sizeof code, "%s.%d", op_code, ++*n_sheets);
    snprintf(title, sizeof title, "%s %s",
             verbs[rng_below(r, (int)(sizeof verbs / sizeof verbs[0]))],
             subjects[rng_below(r, (int)(sizeof subjects / sizeof subjects[0]))]);
    snprintf(slug, sizeof slug, "a%d", position);
    struct action x = {.contract_id = contract_id, .objective_id = op, .slug = slug,
                       .kind = lead ? "lead" : "sheet", .code = code, .title = title,
                       .carrier_label = "", .notes = "", .position = position};
    long long id;
    int rc = action_create(db, &x, &id);
    if (rc != ERR_OK)
        return rc;
    *out_id = id;
    if (rng_below(r, 100) >= 22) { /* about one action in five has no carrier, as in the demo */
        int carrier = rng_below(r, N_ORGS);
        if ((rc = action_link_organisation(db, id, orgs[carrier], "carrier", 1)) != ERR_OK)
            return rc;
        if (rng_below(r, 100) < 20 &&
            (rc = action_link_organisation(db, id, orgs[(carrier + 1 + rng_below(r, N_ORGS - 1))
                                                        % N_ORGS],
                                           "co_carrier", 2)) != ERR_OK)
            return rc;
    }
    enum status s = ST_NONE;
    for (int y = 0; y < SYNTH_YEARS; y++) {
        char by[64];
        s = next_status(r, s);
        if (y == SYNTH_YEARS - 1) {
            *last = s;
            break;
        }
        int which = rng_below(r, 100);
        const char *remark = which < 25 ? remarks[which % 5] : "";
        snprintf(by, sizeof by, "Données synthétiques (bilan %d)", SYNTH_FIRST_YEAR + y);
        rc = bulk_status_append(db, id, SYNTH_FIRST_YEAR + y, s, status_label(s), remark, "", by);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

/* Contract k, unless it is already there. */
static int create_contract(struct store *db, int k, const long long *orgs, bool *made)
{
    char slug[32], title[96], short_title[48], territory[64];
    long long id;
    *made = false;
    snprintf(slug, sizeof slug, "synthetique-%d", k);
    if (contract_find_slug(db, slug, &id) == ERR_OK)
        return ERR_OK;
    struct rng r = {SEED ^ ((unsigned long long)k * 0x100000001B3ull)};
    snprintf(territory, sizeof territory, "Territoire synthétique %d", k);
    snprintf(title, sizeof title, "Contrat local de santé du territoire synthétique %d", k);
    snprintf(short_title, sizeof short_title, "CLS synthétique %d", k);
    struct contract c = {.slug = slug,
                         .title = title,
                         .short_title = short_title,
                         .signed_on = "2020-02-14",
                         .status = "active",
                         .generation = synthetic_generation(k),
                         .start_year = SYNTH_FIRST_YEAR,
                         .end_year = SYNTH_FIRST_YEAR + SYNTH_YEARS - 1};
    int rc = territory_ensure(db, territory, "PETR", "", &c.territory.id);
    if (rc == ERR_OK)
        rc = synthetic_department_set(db, c.territory.id, k);
    if (rc == ERR_OK)
        rc = contract_create(db, &c, &id);
    long long ops[SYNTH_OBJECTIVES];
    char op_codes[SYNTH_OBJECTIVES][24];
    if (rc == ERR_OK)
        rc = create_tree(db, &r, id, k, ops, op_codes);
    int n_ops = SYNTH_OBJECTIVES - 3 - SYNTH_SPECIFIC, sheets = 0, last_op = -1;
    long long actions[SYNTH_ACTIONS];
    enum status last[SYNTH_ACTIONS];
    for (int i = 0; rc == ERR_OK && i < SYNTH_ACTIONS; i++) {
        int op = i * n_ops / SYNTH_ACTIONS; /* contiguous blocks of 3 or 4 per objective */
        if (op != last_op)
            sheets = 0, last_op = op;
        rc = create_action(db, &r, id, ops[op], op_codes[op], &sheets, i + 1, orgs, &actions[i],
                           &last[i]);
    }
    if (rc == ERR_OK)
        rc = synthetic_indicators(db, id, actions, SYNTH_ACTIONS, rng_next(&r));
    if (rc == ERR_OK)
        rc = synthetic_governance(db, id, rng_next(&r));
    /* The last year comes through its campaign: most carriers answer, some never do; every
     * other contract's campaign is closed. */
    int year = SYNTH_FIRST_YEAR + SYNTH_YEARS - 1, answering = 55 + rng_below(&r, 45);
    long long campaign = 0;
    if (rc == ERR_OK)
        rc = synthetic_campaign_open(db, id, year, &campaign);
    for (int i = 0; rc == ERR_OK && i < SYNTH_ACTIONS; i++)
        if (rng_below(&r, 100) < answering)
            rc = bulk_status_append(db, actions[i], year, last[i], status_label(last[i]), "", "",
                                    "Données synthétiques (campagne)");
    if (rc == ERR_OK && k % 2 == 0)
        rc = synthetic_campaign_close(db, campaign);
    *made = rc == ERR_OK;
    return rc;
}

int synthetic_load(struct store *db, int n, bool progress, int *created)
{
    long long orgs[N_ORGS];
    *created = 0;
    /* Each INSERT in a transaction gets a 64 KiB statement journal from SQLite, malloc'd and
     * freed at the top of the heap: with glibc's default trim threshold (128 KiB) every one of
     * them moves the heap's end up and down (brk), which made the load 4 times slower. */
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    int rc = store_begin(db);
    if (rc == ERR_OK)
        rc = ensure_organisations(db, orgs);
    int step = n >= 100 ? n / 4 : 0;
    for (int k = 1; rc == ERR_OK && k <= n; k++) {
        bool made;
        rc = create_contract(db, k, orgs, &made);
        *created += made;
        if (progress && step && k % step == 0 && k < n)
            fprintf(stderr, "contrats : %d/%d…\n", k, n);
    }
    if (rc == ERR_OK)
        rc = store_commit(db);
    if (rc != ERR_OK) {
        store_rollback(db);
        fprintf(stderr, "boussole: synthetic contracts not created: %s\n", store_errmsg(db));
        *created = 0;
    }
    mallopt(M_TRIM_THRESHOLD, 128 * 1024); /* glibc's default again */
    malloc_trim(0);
    return rc;
}
