/* evaluation.h — what the coordination writes in a contract's final evaluation: the SWOT
 * (AFOM: forces and faiblesses inside, opportunités and menaces outside), the recommendations
 * (each with an owner and a follow-up) and the texts that replace the sentences drafted from the
 * figures. Every write checks the version the person loaded (ERR_CONFLICT changes nothing) and
 * records its audit rows, shown in the contract's journal. */
#ifndef MODEL_EVALUATION_H
#define MODEL_EVALUATION_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"
#include "model/core/audit.h"
#include "model/plan/editing.h"

/* The four quadrants, in the order of the 2×2 grid (internal row, then external row). */
enum swot_quadrant { SWOT_STRENGTH, SWOT_WEAKNESS, SWOT_OPPORTUNITY, SWOT_THREAT, SWOT_COUNT };

/* "strength", … as stored; NULL out of range. */
const char *swot_quadrant_key(enum swot_quadrant q);
/* The quadrant of a key, or -1. */
int swot_quadrant_from_key(const char *key);
/* "Forces", "Faiblesses", "Opportunités", "Menaces". */
const char *swot_quadrant_label(enum swot_quadrant q);

enum { SWOT_TEXT_MAX = 1000, REC_TITLE_MAX = 300, REC_FIELD_MAX = 300, EVAL_BODY_MAX = 20000 };

struct swot_item {
    long long id;
    enum swot_quadrant quadrant;
    int position, version;
    char *text, *source_ref;
};

/* The items of a contract, by quadrant then position; array in the arena. */
int swot_list(struct store *db, struct arena *a, long long contract_id, struct swot_item **out,
              int *n) MUST_CHECK;
/* Checks an item's text: required, at most SWOT_TEXT_MAX bytes of UTF-8 (field "text"). */
void swot_check(const char *text, struct problems *p);
/* Adds an item at the end of its quadrant (audited); *id may be NULL. ERR_INVALID: bad text. */
int swot_add(struct store *db, const struct actor *who, long long contract_id,
             enum swot_quadrant q, const char *text, const char *source_ref,
             long long *id) MUST_CHECK;
/* Inserts an item at the end of its quadrant inside the caller's transaction, without audit
 * (imports and the demo: the source is the record's history). ERR_INVALID: bad text. */
int swot_import(struct store *db, long long contract_id, enum swot_quadrant q, const char *text,
                const char *source_ref) MUST_CHECK;
/* Changes the text and quadrant of an item of contract_id still at version (a new quadrant puts
 * it at its end). ERR_NOTFOUND: no such item in that contract; ERR_CONFLICT: stale version. */
int swot_update(struct store *db, const struct actor *who, long long contract_id, long long id,
                int version, enum swot_quadrant q, const char *text) MUST_CHECK;
/* Swaps an item with its neighbour in its quadrant (delta -1: up, +1: down); nothing happens at
 * an end. Both items' versions are bumped. Errors as swot_update. */
int swot_move(struct store *db, const struct actor *who, long long contract_id, long long id,
              int version, int delta) MUST_CHECK;
/* Removes an item (its text stays in the audit log). Errors as swot_update. */
int swot_remove(struct store *db, const struct actor *who, long long contract_id, long long id,
                int version) MUST_CHECK;

/* What became of a recommendation. */
enum rec_state { REC_OPEN, REC_IN_PROGRESS, REC_DONE, REC_DROPPED, REC_STATE_COUNT };
const char *rec_state_key(enum rec_state s);
int rec_state_from_key(const char *key);
/* "À engager", "Engagée", "Réalisée", "Abandonnée". */
const char *rec_state_label(enum rec_state s);

struct recommendation {
    long long id;
    int number, version;
    char *title, *body, *owner, *follow_up, *source_ref;
    enum rec_state state;
};

/* What a form sets. */
struct rec_edit {
    int number; /* 0 on add: after the last */
    const char *title, *body, *owner, *follow_up;
    enum rec_state state;
};

/* The recommendations of a contract by number; array in the arena. */
int rec_list(struct store *db, struct arena *a, long long contract_id, struct recommendation **out,
             int *n) MUST_CHECK;
/* Checks a recommendation of contract_id (self: the one edited, 0 when new): title required,
 * lengths, a number from 1 to 999 that no other recommendation of the contract has. */
void rec_check(struct store *db, long long contract_id, long long self, const struct rec_edit *e,
               struct problems *p);
/* Adds a recommendation (audited); source_ref may be "". ERR_INVALID: see rec_check. */
int rec_add(struct store *db, const struct actor *who, long long contract_id,
            const struct rec_edit *e, const char *source_ref, long long *id) MUST_CHECK;
/* Inserts a recommendation inside the caller's transaction, without audit (imports, demo). */
int rec_import(struct store *db, long long contract_id, const struct rec_edit *e,
               const char *source_ref) MUST_CHECK;
/* Saves every field of e if the recommendation of contract_id is still at version. */
int rec_update(struct store *db, const struct actor *who, long long contract_id, long long id,
               int version, const struct rec_edit *e) MUST_CHECK;

/* The editable sections of the final report: each has a text drafted from the figures, which
 * the coordinator's text replaces when not blank. */
enum eval_section { EVS_STATUS, EVS_INDICATORS, EVS_GOVERNANCE, EVS_CONCLUSION, EVS_COUNT };
const char *eval_section_key(enum eval_section s);
int eval_section_from_key(const char *key);
/* "État d'avancement", "Indicateurs", "Gouvernance", "Conclusion". */
const char *eval_section_label(enum eval_section s);

/* The coordinator's texts in force: body[s] ("" when none) and version[s] (0 when none). */
struct eval_texts {
    const char *body[EVS_COUNT];
    int version[EVS_COUNT];
};
int eval_texts_get(struct store *db, struct arena *a, long long contract_id,
                   struct eval_texts *out) MUST_CHECK;
/* Replaces a section's text if it is still at version (0: never written); "" goes back to the
 * drafted text. The old text stays in the audit log (entity contract, field
 * "evaluation_<section>"). ERR_INVALID: too long or not UTF-8. */
int eval_text_save(struct store *db, const struct actor *who, long long contract_id,
                   enum eval_section s, int version, const char *body) MUST_CHECK;

#endif
