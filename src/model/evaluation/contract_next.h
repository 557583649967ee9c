/* contract_next.h — the next contract made from a contract (CLS 3 from CLS 2): its strategy
 * tree copied, the actions the coordination keeps (reconducted or modified) copied with their
 * carriers, partners, sheet and indicator definitions, the evaluation's recommendations carried
 * as new objectives or actions; the links back (action_origin, recommendation_carry) keep both
 * histories reachable. Yearly statuses and indicator values stay with the old contract. */
#ifndef MODEL_CONTRACT_NEXT_H
#define MODEL_CONTRACT_NEXT_H

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

enum next_choice { NEXT_DROP, NEXT_RECONDUCT, NEXT_MODIFY, NEXT_UNSET };
enum next_carry { CARRY_NONE, CARRY_OBJECTIVE, CARRY_ACTION, CARRY_UNSET };

/* What the coordination decided on the preview form. Every non-archived action of the old
 * contract must have a choice and every recommendation a carry (a form made before one was
 * added is stale: refused). Ids of the old contract. */
struct next_plan {
    const char *title, *short_title;
    int start_year, end_year;
    const long long *action_ids;
    const enum next_choice *choices;
    int n_actions;
    const long long *rec_ids;
    const enum next_carry *carries;
    const long long *carry_under; /* old objective the new objective or action goes under;
                                   * 0: a new axis (objective only) */
    int n_recs;
};

/* A recommendation of a contract (table recommendation, written by the evaluation editor). */
struct next_recommendation {
    long long id;
    int number;
    char *title, *body, *owner, *state;
};

/* The recommendations of a contract by number; array in the arena. */
int next_recommendations(struct store *db, struct arena *a, long long contract_id,
                         struct next_recommendation **out, int *n) MUST_CHECK;
/* The contract made from contract_id (0 when none yet). */
int next_successor(struct store *db, long long contract_id, long long *next_id) MUST_CHECK;

/* The contract contract_id was made from (0 when none). */
int next_predecessor(struct store *db, long long contract_id, long long *previous_id) MUST_CHECK;

/* Creates the next contract of from_id in one transaction, audited on both contracts; *id gets
 * its id. The problems' texts are in the arena a. ERR_INVALID with problems in French (field: "title", "years", "action-ID", "rec-ID"),
 * ERR_CONFLICT when from_id already has a next contract (a second click, a stale form),
 * ERR_NOTFOUND when from_id does not exist. */
int next_contract_create(struct store *db, struct arena *a, const struct actor *who,
                         long long from_id, const struct next_plan *plan, struct problems *p,
                         long long *id) MUST_CHECK;

/* Where an action came from and where it went: the action of the previous contract it
 * continues, and the action of the next contract that continues it. */
struct next_link {
    long long action_id, contract_id;
    int generation;
    char *code, *title, *kind; /* kind: "reconducted" or "modified" */
};
/* The origin (*has_origin) and the continuation (*has_next) of an action. */
int next_action_links(struct store *db, struct arena *a, long long action_id,
                      struct next_link *origin, bool *has_origin, struct next_link *next,
                      bool *has_next) MUST_CHECK;
/* The recommendation an objective or action (pass one id, the other 0) was carried from;
 * *found false when none; *generation gets its contract's generation. */
int next_carried_from(struct store *db, struct arena *a, long long objective_id,
                      long long action_id, struct next_recommendation *out, long long *contract_id,
                      int *generation, bool *found) MUST_CHECK;

#endif
