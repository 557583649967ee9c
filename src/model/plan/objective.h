/* objective.h — the strategy tree: general → strategic (axes) → specific → operational. */
#ifndef MODEL_OBJECTIVE_H
#define MODEL_OBJECTIVE_H

#include "base/arena.h"
#include "store/db.h"

enum objective_level { OBJ_GENERAL, OBJ_STRATEGIC, OBJ_SPECIFIC, OBJ_OPERATIONAL };

struct objective {
    long long id, parent_id; /* parent_id 0 for a root */
    enum objective_level level;
    char *code, *alt_code, *title; /* codes are the users' own, kept verbatim */
    int position;
};

/* "general", "strategic", "specific", "operational". */
const char *objective_level_key(enum objective_level l);
/* French name of the level ("Objectif spécifique"…). */
const char *objective_level_label(enum objective_level l);
/* Reads a level key; -1 if unknown. */
int objective_level_from_key(const char *key);

/* Every objective of a contract in tree order (position); array in the arena. */
int objective_list(struct store *db, struct arena *a, long long contract_id,
                   struct objective **out, int *n) MUST_CHECK;
/* Index in list of the objective with that id, or -1. */
int objective_index(const struct objective *list, int n, long long id);
/* The ancestor of list[i] (or list[i] itself) at the given level, or -1. */
int objective_ancestor(const struct objective *list, int n, int i, enum objective_level level);
/* Inserts an objective; parent_id 0 for none; *id gets the new id. */
int objective_create(struct store *db, long long contract_id, const struct objective *o,
                     long long *id) MUST_CHECK;

#endif
