/* gantt.h — the Gantt chart of a contract as SVG: one row per dated action, grouped under their
 * objective, planned and actual bars, colour of the latest status (svg.h's palette), a year
 * grid and a line for today. The same bytes inline in a page, alone as an image, or in a PDF.
 * Callers hand in plain rows; nothing here reads the database. */
#ifndef OUT_GANTT_H
#define OUT_GANTT_H

#include <stdbool.h>

#include "base/str.h"
#include "model/core/status.h"

/* One action. Dates are ISO with any precision ("2019", "2019-05", "2019-05-06") or "". A start
 * of "2019" means 1 January, an end of "2019" 31 December. */
struct gantt_row {
    long long id;
    const char *group;  /* the heading it sits under (objective); a new heading when it changes */
    const char *code, *title;
    const char *href;   /* link of the row (raw: the chart escapes it), NULL for none */
    const char *planned_start, *planned_end, *actual_start, *actual_end;
    enum status status; /* latest status, ST_NONE when none */
};

struct gantt_chart {
    const char *id;     /* unique in the page, [a-z0-9-] */
    const char *title;
    const char *today;  /* "AAAA-MM-JJ": where the line of today goes (always on the axis) */
    const char *known_until; /* "AAAA-MM-JJ": the statuses tell what happened until then: a
                              * running action (started, no end, in progress or recurring) has
                              * its bar up to there, with an arrow; "" or NULL: today */
    int first_year, last_year; /* the axis covers at least these years (0: from the rows) */
    int width;          /* in px; 0 gives 1000 */
};

/* True when the row has at least one date the chart can place. */
bool gantt_row_dated(const struct gantt_row *r);
/* Writes the chart: a whole <svg> document fragment (with its xmlns, valid XML on its own).
 * Rows without any date are left out; each row drawn is one <g class="action">. A start or an
 * end without the other is a diamond, except for a running action (see known_until). */
void gantt_svg(struct buf *b, const struct gantt_chart *c, const struct gantt_row *rows, int n);

#endif
