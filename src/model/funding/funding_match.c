/* funding_match.c — the rule that matches a funding call to an action: a theme in common (a
 * small lexicon of health themes, keywords at the start of a word, accents ignored), a public
 * that includes a type of its carriers, a perimeter covering the contract's territory (the
 * départements of its communes and their regions). Pure functions: no SQL, no HTML. */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/funding/funding_call.h"

/* ---- the matching rule ---------------------------------------------------------------------- */

const char *const funding_theme_labels[] = {"alimentation",
                                            "activité physique et sport",
                                            "addictions",
                                            "santé mentale",
                                            "accès aux soins",
                                            "personnes âgées, handicap et aidants",
                                            "enfance, jeunesse et parentalité",
                                            "cancers, dépistage et vaccination",
                                            "santé-environnement",
                                            "mobilité",
                                            "accès aux droits et précarité",
                                            "premiers secours",
                                            NULL};

/* Keywords of each theme, folded; a keyword matches at the start of a word. */
static const char *const theme_words[][10] = {
    {"aliment", "nutrition", "obesit", "restauration collective", "consomacteur", NULL},
    {"activite physique", "sport", "sedentar", "bouger", "caravane du sport", NULL},
    {"addict", "tabac", "alcool", "drogue", "mildeca", "conduites a risque", NULL},
    {"sante mentale", "psych", "suicide", "clsm", "souffrance", NULL},
    {"acces aux soins", "offre de soins", "medecin", "professionnels de sante", "maison de sante",
     "cpts", "telemedecine", "desert", "urgence", NULL},
    {"personnes agees", "senior", "autonomie", "vieilliss", "aidant", "ehpad", "handicap", "repit",
     NULL},
    {"parentalit", "enfan", "jeune", "petite enfance", "famille", "college", "adolescen",
     "perinatal", NULL},
    {"cancer", "depistage", "octobre rose", "vaccin", NULL},
    {"sante environnement", "sante-environnement", "environnement", "habitat", "logement", "pollu",
     "radon", "chenille", NULL},
    {"mobilit", "transport", NULL},
    {"acces aux droits", "precarit", "pauvrete", "france services", NULL},
    {"premiers secours", "gestes qui sauvent", "defibrill", NULL},
};

/* True when folded needle occurs in folded hay at the start of a word. */
static bool word_in(const char *hay, const char *needle)
{
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        char before = p == hay ? ' ' : p[-1];
        bool letter = (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9');
        if (!letter)
            return true;
    }
    return false;
}

unsigned funding_themes_of(const char *text)
{
    char *f = text_fold_dup(text ? text : "");
    unsigned set = 0;
    for (size_t t = 0; t < sizeof theme_words / sizeof theme_words[0]; t++)
        for (int k = 0; theme_words[t][k]; k++)
            if (word_in(f, theme_words[t][k]))
                set |= 1u << t;
    free(f);
    return set;
}

/* Organisation types (DOMAIN.md keys) and the words of the Aides-territoires publics that
 * include them. */
static const struct {
    const char *type, *words[3];
} audience_words[] = {
    {"commune", {"commune", NULL}},
    {"intercommunality", {"intercommunal", "epci", NULL}},
    {"department", {"departement", NULL}},
    {"region", {"region", NULL}},
    {"association", {"association", NULL}},
    {"health_establishment", {"etablissement", "public", NULL}},
    {"social_establishment", {"etablissement", "public", NULL}},
    {"school", {"etablissement", "public", NULL}},
    {"state", {"services de l'etat", "public", NULL}},
    {"social_security", {"public", NULL}},
    {"company", {"entreprise", NULL}},
    {"mutual_insurer", {"entreprise", "mutuelle", NULL}},
};

/* The carrier type found in the call's publics (its label in *which), or false. */
static bool public_ok(const char *audiences_folded, const char *types, const char **which)
{
    for (size_t i = 0; i < sizeof audience_words / sizeof audience_words[0]; i++) {
        if (!word_in(types, audience_words[i].type))
            continue;
        for (int k = 0; audience_words[i].words[k]; k++)
            if (word_in(audiences_folded, audience_words[i].words[k])) {
                *which = audience_words[i].words[k];
                return true;
            }
    }
    return false;
}

static const struct {
    const char *code, *name;
    int region;
} departments[] = {
    {"01", "Ain", 0},
    {"02", "Aisne", 6},
    {"03", "Allier", 0},
    {"04", "Alpes-de-Haute-Provence", 12},
    {"05", "Hautes-Alpes", 12},
    {"06", "Alpes-Maritimes", 12},
    {"07", "Ardèche", 0},
    {"08", "Ardennes", 5},
    {"09", "Ariège", 10},
    {"10", "Aube", 5},
    {"11", "Aude", 10},
    {"12", "Aveyron", 10},
    {"13", "Bouches-du-Rhône", 12},
    {"14", "Calvados", 8},
    {"15", "Cantal", 0},
    {"16", "Charente", 9},
    {"17", "Charente-Maritime", 9},
    {"18", "Cher", 3},
    {"19", "Corrèze", 9},
    {"2A", "Corse-du-Sud", 4},
    {"2B", "Haute-Corse", 4},
    {"21", "Côte-d'Or", 1},
    {"22", "Côtes-d'Armor", 2},
    {"23", "Creuse", 9},
    {"24", "Dordogne", 9},
    {"25", "Doubs", 1},
    {"26", "Drôme", 0},
    {"27", "Eure", 8},
    {"28", "Eure-et-Loir", 3},
    {"29", "Finistère", 2},
    {"30", "Gard", 10},
    {"31", "Haute-Garonne", 10},
    {"32", "Gers", 10},
    {"33", "Gironde", 9},
    {"34", "Hérault", 10},
    {"35", "Ille-et-Vilaine", 2},
    {"36", "Indre", 3},
    {"37", "Indre-et-Loire", 3},
    {"38", "Isère", 0},
    {"39", "Jura", 1},
    {"40", "Landes", 9},
    {"41", "Loir-et-Cher", 3},
    {"42", "Loire", 0},
    {"43", "Haute-Loire", 0},
    {"44", "Loire-Atlantique", 11},
    {"45", "Loiret", 3},
    {"46", "Lot", 10},
    {"47", "Lot-et-Garonne", 9},
    {"48", "Lozère", 10},
    {"49", "Maine-et-Loire", 11},
    {"50", "Manche", 8},
    {"51", "Marne", 5},
    {"52", "Haute-Marne", 5},
    {"53", "Mayenne", 11},
    {"54", "Meurthe-et-Moselle", 5},
    {"55", "Meuse", 5},
    {"56", "Morbihan", 2},
    {"57", "Moselle", 5},
    {"58", "Nièvre", 1},
    {"59", "Nord", 6},
    {"60", "Oise", 6},
    {"61", "Orne", 8},
    {"62", "Pas-de-Calais", 6},
    {"63", "Puy-de-Dôme", 0},
    {"64", "Pyrénées-Atlantiques", 9},
    {"65", "Hautes-Pyrénées", 10},
    {"66", "Pyrénées-Orientales", 10},
    {"67", "Bas-Rhin", 5},
    {"68", "Haut-Rhin", 5},
    {"69", "Rhône", 0},
    {"70", "Haute-Saône", 1},
    {"71", "Saône-et-Loire", 1},
    {"72", "Sarthe", 11},
    {"73", "Savoie", 0},
    {"74", "Haute-Savoie", 0},
    {"75", "Paris", 7},
    {"76", "Seine-Maritime", 8},
    {"77", "Seine-et-Marne", 7},
    {"78", "Yvelines", 7},
    {"79", "Deux-Sèvres", 9},
    {"80", "Somme", 6},
    {"81", "Tarn", 10},
    {"82", "Tarn-et-Garonne", 10},
    {"83", "Var", 12},
    {"84", "Vaucluse", 12},
    {"85", "Vendée", 11},
    {"86", "Vienne", 9},
    {"87", "Haute-Vienne", 9},
    {"88", "Vosges", 5},
    {"89", "Yonne", 1},
    {"90", "Territoire de Belfort", 1},
    {"91", "Essonne", 7},
    {"92", "Hauts-de-Seine", 7},
    {"93", "Seine-Saint-Denis", 7},
    {"94", "Val-de-Marne", 7},
    {"95", "Val-d'Oise", 7},
    {"971", "Guadeloupe", 13},
    {"972", "Martinique", 14},
    {"973", "Guyane", 15},
    {"974", "La Réunion", 16},
    {"976", "Mayotte", 17},
};

static const char *const regions[] = {"Auvergne-Rhône-Alpes",
                                      "Bourgogne-Franche-Comté",
                                      "Bretagne",
                                      "Centre-Val de Loire",
                                      "Corse",
                                      "Grand Est",
                                      "Hauts-de-France",
                                      "Île-de-France",
                                      "Normandie",
                                      "Nouvelle-Aquitaine",
                                      "Occitanie",
                                      "Pays de la Loire",
                                      "Provence-Alpes-Côte d'Azur",
                                      "Guadeloupe",
                                      "Martinique",
                                      "Guyane",
                                      "La Réunion",
                                      "Mayotte"};

const char *funding_department_name(const char *code, const char **region)
{
    for (size_t i = 0; i < sizeof departments / sizeof departments[0]; i++)
        if (str_eq(departments[i].code, code)) {
            if (region)
                *region = regions[departments[i].region];
            return departments[i].name;
        }
    return NULL;
}

static bool same_folded(const char *a, const char *b)
{
    char *fa = text_fold_dup(a), *fb = text_fold_dup(b);
    bool eq = str_eq(fa, fb);
    free(fa);
    free(fb);
    return eq;
}

/* The perimeter covers the territory: whole country, its region or département, or the
 * territory or one of its areas named. *which gets the level in French. */
static bool territory_ok(const struct funding_call *c, const struct funding_territory *t,
                         const char **which)
{
    static const char *const national[] = {
        "france", "pays", "national", "nationale", "europe", "continent", "france metropolitaine",
        NULL};
    char *scale = text_fold_dup(c->perimeter_scale), *per = text_fold_dup(c->perimeter);
    bool ok = false;
    for (int i = 0; national[i] && !ok; i++)
        ok = str_eq(scale, national[i]) || str_eq(per, national[i]);
    if (ok)
        *which = "national";
    free(scale);
    free(per);
    for (int i = 0; i < t->n_departments && !ok; i++) {
        const char *region = NULL, *name = funding_department_name(t->departments[i], &region);
        if (name && same_folded(c->perimeter, name)) {
            ok = true;
            *which = "départemental";
        } else if (region && same_folded(c->perimeter, region)) {
            ok = true;
            *which = "régional";
        }
    }
    for (int i = 0; i < t->n_names && !ok; i++)
        if (same_folded(c->perimeter, t->names[i])) {
            ok = true;
            *which = "local";
        }
    return ok;
}

/* The labels of the themes of set, joined by ", ", in the arena. */
static const char *theme_names(struct arena *a, unsigned set)
{
    struct buf b = {0};
    for (int t = 0; funding_theme_labels[t]; t++)
        if (set & (1u << t)) {
            if (b.len)
                buf_puts(&b, ", ");
            buf_puts(&b, funding_theme_labels[t]);
        }
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

bool funding_call_matches(const struct funding_call *c, const struct funding_action_text *x,
                          const struct funding_territory *t, struct arena *a, const char **reason)
{
    struct buf call_text = {0};
    buf_puts(&call_text, c->name);
    buf_puts(&call_text, " | ");
    buf_puts(&call_text, c->categories);
    unsigned common = funding_themes_of(buf_cstr(&call_text)) &
                      (x->themes ? x->themes : funding_themes_of(x->text));
    buf_free(&call_text);
    if (!common) {
        *reason = "aucun thème en commun";
        return false;
    }
    char *aud = text_fold_dup(c->audiences), *types = text_fold_dup(x->carrier_types);
    const char *who = NULL;
    bool pub = !*aud || !*types || public_ok(aud, types, &who);
    free(aud);
    free(types);
    if (!pub) {
        *reason = "le public visé par l'appel ne comprend pas le type de ses porteurs";
        return false;
    }
    const char *level = NULL;
    if (*c->perimeter && !territory_ok(c, t, &level)) {
        *reason = "le périmètre de l'appel ne couvre pas le territoire du contrat";
        return false;
    }
    struct buf r = {0};
    buf_printf(&r, "Thème commun : %s ; public : %s ; périmètre : %s.", theme_names(a, common),
               who ? "il comprend un porteur de l'action"
                   : (*c->audiences ? "porteur sans type connu, non vérifié" : "non précisé"),
               level ? level : "non précisé");
    *reason = arena_strdup(a, buf_cstr(&r));
    buf_free(&r);
    return true;
}
