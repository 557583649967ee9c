/* tracking_match.h — how the import recognises what a table names despite its spelling: a
 * normalised key (case, accents, blanks and punctuation ignored) that decides identity, and a
 * similarity score that only proposes the closest existing organisations and actions to the
 * coordinator. Pure functions on strings: no database, no French messages. */
#ifndef MODEL_TRACKING_MATCH_H
#define MODEL_TRACKING_MATCH_H

#include "base/arena.h"

/* The identity key of a name or title: folded (case, accents, œ), punctuation (ASCII and the
 * typographic ’ « » – — …) and blanks turned into single spaces, trimmed:
 * "  L’Accès  aux SOINS ! " → "l acces aux soins". In the arena. */
char *tracking_norm(struct arena *a, const char *s);

/* The key without any space, so that "CD 55" and "CD55", "Saint-Mihiel" and "Saint Mihiel"
 * are one name: "cd55", "saintmihiel". In the arena. */
char *tracking_compact(struct arena *a, const char *s);

/* How close two names are, 0 (nothing in common) to 100 (same key): the best of the shared
 * words (small words like "de", "la" left out, "st" read as "saint"), all the words of the
 * shorter one found in the longer (80 at least), and shared three-letter sequences. Used to
 * rank proposals, never to decide alone. */
int tracking_similarity(struct arena *a, const char *x, const char *y);

#endif
