/* sheet_lists.h — the lists an action sheet picks from, verbatim from the evaluation
 * questionnaire (annex 7 of the CLS 2 report): sheet_lists.c is generated from it by
 * tools/sheet_lists.py. Keys are what the database stores; labels and help texts are French. */
#ifndef MODEL_SHEET_LISTS_H
#define MODEL_SHEET_LISTS_H

/* One choice: stored key, label shown, definition shown as help (NULL when none). */
struct sheet_choice {
    const char *key, *label, *help;
};

/* A list: its key in action_choice.list ("age_bands"…), the question it comes from, its items. */
struct sheet_list {
    const char *name;
    int question;
    const char *question_text;
    const struct sheet_choice *items;
    int n;
};

/* Target public (question 3): population, professionals, both. */
extern const struct sheet_list sheet_publics;
/* The 8 age bands (question 6). */
extern const struct sheet_list sheet_age_bands;
/* Population groups (question 7). */
extern const struct sheet_list sheet_population_groups;
/* Types of professionals reached (question 9). */
extern const struct sheet_list sheet_professionals;
/* Types of partners (question 14). */
extern const struct sheet_list sheet_partner_types;
/* The typology of actions with their definitions (question 16). */
extern const struct sheet_list sheet_action_types;
/* Rhythm (question 17): one_off, repeated, followed_up, with their definitions. */
extern const struct sheet_list sheet_rhythms;
/* Funders (question 21); a sheet may also name others freely. */
extern const struct sheet_list sheet_funders;
/* Who is in the project team (question 24). */
extern const struct sheet_list sheet_project_team;

/* The multiple-choice lists stored in action_choice, in the order a sheet shows them. */
enum { SHEET_CHOICE_LISTS = 6 };
extern const struct sheet_list *const sheet_choice_lists[SHEET_CHOICE_LISTS];

/* The choice of list whose key is key, or NULL. */
const struct sheet_choice *sheet_choice_find(const struct sheet_list *l, const char *key);
/* The list among sheet_choice_lists whose name is name, or NULL. */
const struct sheet_list *sheet_list_named(const char *name);

#endif
