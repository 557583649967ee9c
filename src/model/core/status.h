/* status.h — the progress statuses of an action (DOMAIN.md glossary): keys, French labels and
 * the many ways the source documents spell them. */
#ifndef MODEL_STATUS_H
#define MODEL_STATUS_H

#include <stdbool.h>

enum status {
    ST_NONE = -1, /* no status recorded for that year */
    ST_DONE_CLOSED,
    ST_DONE_RECURRING,
    ST_DONE,
    ST_IN_PROGRESS,
    ST_REFLECTION,
    ST_NOT_STARTED,
    ST_ABANDONED,
    ST_COUNT
};

/* The glossary key ("done_closed"…), or NULL for ST_NONE. */
const char *status_key(enum status s);
/* The French label of UI.md ("Réalisée et close"…); "Sans état" for ST_NONE. */
const char *status_label(enum status s);
/* The status whose key is exactly key, or ST_NONE. */
enum status status_from_key(const char *key);
/* Reads a status as people write it: a key, a UI.md label or a report wording ("Réalisé",
 * "En cours", "Engagée", "Non réalisé", any case, with or without accents). ST_NONE if unknown. */
enum status status_parse(const char *text);
/* True for the three kinds of done: the report counts them together. */
bool status_is_done(enum status s);

#endif
