/* decision.h — the decisions a meeting takes, each optionally linked to actions of the contract;
 * an action's page shows the decisions that concern it. */
#ifndef MODEL_DECISION_H
#define MODEL_DECISION_H

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"

enum { DECISION_MAX_ACTIONS = 32 };

/* An action a decision is linked to. */
struct decision_link {
    long long action_id;
    char *code, *title;
};

struct decision {
    long long id, meeting_id;
    char *text;
    struct decision_link *links;
    int n_links;
};

/* A decision as an action's page shows it: with its meeting. */
struct action_decision {
    long long id, meeting_id;
    char *text, *meeting_title, *held_on, *precision, *meeting_status, *body_name;
};

/* The decisions of a meeting in order, with their linked actions. */
int decision_list(struct store *db, struct arena *a, long long meeting_id, struct decision **out,
                  int *n) MUST_CHECK;
/* Adds a decision to a meeting, linked to actions of the meeting's contract (audited).
 * ERR_INVALID for an empty or too long text, too many actions or an action of another contract. */
int decision_add(struct store *db, const struct actor *who, long long meeting_id,
                 const char *text, const long long *action_ids, int n_actions,
                 long long *id) MUST_CHECK;
/* Removes a decision of the meeting and its links (audited); ERR_NOTFOUND if not the meeting's. */
int decision_remove(struct store *db, const struct actor *who, long long meeting_id,
                    long long id) MUST_CHECK;
/* The decisions linked to an action, newest meeting first. */
int decision_of_action(struct store *db, struct arena *a, long long action_id,
                       struct action_decision **out, int *n) MUST_CHECK;

#endif
