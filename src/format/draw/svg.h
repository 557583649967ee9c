/* svg.h — server-side SVG charts of action statuses, the same bytes inline in a page and (through
 * librsvg) in a PDF. Callers hand in plain numbers, labels and link URLs; nothing here reads the
 * database or writes page parts around the <svg>. */
#ifndef OUT_SVG_H
#define OUT_SVG_H

#include "base/str.h"
#include "model/core/status.h"

/* Segments of a status row: the ST_COUNT statuses (indexed by enum status), then "no status".
 * SVG_DONE_ANY (the three kinds of done together) and SVG_ALL (the whole row) are never stored in
 * a row; they only name what a link points to. */
enum { SVG_NONE = ST_COUNT, SVG_SEGMENTS, SVG_DONE_ANY = SVG_SEGMENTS, SVG_ALL };

/* One bar (or one point in time): a label and the number of items per segment. */
struct svg_row {
    const char *label;
    int counts[SVG_SEGMENTS];
};

/* Writes into out the URL (raw, the chart escapes it) of the list behind segment seg of row row;
 * leaving out empty means "no link". ctx is the caller's. */
typedef void (*svg_href_fn)(void *ctx, int row, int seg, struct buf *out);

/* What every chart needs besides its numbers. */
struct svg_chart {
    const char *id;    /* unique in the page, [a-z0-9-]: prefixes the ids the SVG defines */
    const char *title; /* accessible name and visible title */
    const char *desc;  /* optional longer description (<desc>), NULL for none */
    svg_href_fn href;  /* NULL: no links (documents) */
    void *ctx;         /* passed to href */
    int width;         /* in px; 0 gives 720 */
    const char *unit_one, *unit_many; /* noun in tooltips; NULL gives "action" / "actions" */
};

/* The colour of a status as "#rrggbb" (one palette: page, chart, PDF, XLSX); ST_NONE gives the
 * light grey of "no status". Static string. */
const char *svg_status_colour(enum status s);
/* Colour of a segment (SVG_NONE and SVG_DONE_ANY included). Static string. */
const char *svg_segment_colour(int seg);
/* French label of a segment: the status label, "Sans état", "Réalisée (total)", "Toutes". */
const char *svg_segment_label(int seg);
/* The action list's status parameter for a segment: the status key, "none", "done_any"; NULL for
 * SVG_ALL. */
const char *svg_segment_key(int seg);

/* Horizontal stacked bars, one per row, segments in status order, lengths on one scale (the
 * longest row fills the width), the row's total after it. Each segment carries a tooltip (label,
 * status, count), its count when wide enough, and a link when href gives one. A legend of the
 * segments present sits under the title. */
void svg_status_bars(struct buf *b, const struct svg_chart *c, const struct svg_row *rows, int n);

/* Small multiples of the evolution of each status across time: rows are the points in time
 * (label = "2021"…), one panel per segment present plus one for the three kinds of done together,
 * all panels on one vertical scale. */
void svg_status_trend(struct buf *b, const struct svg_chart *c, const struct svg_row *rows, int n);

#endif
