/* indicator_svg.h — SVG charts of indicators: the values of one indicator period by period
 * against its target and baseline, and the latest value of many indicators as a share of their
 * targets (the objective page's roll-up). Callers hand in plain numbers and labels; nothing here
 * reads the database. */
#ifndef OUT_INDICATOR_SVG_H
#define OUT_INDICATOR_SVG_H

#include <stdbool.h>

#include "base/str.h"

/* One period's value. */
struct ichart_point {
    const char *period; /* as shown under its bar ("2021", "mai 2022") */
    double value;
};

/* One indicator's chart. */
struct ichart {
    const char *id;    /* unique in the page, [a-z0-9-] */
    const char *title; /* accessible name and visible title */
    const char *unit;  /* "" for none */
    bool has_target, has_baseline;
    double target, baseline;
    int width; /* px; 0 gives 480 */
};

/* Vertical bars of the values in period order, a dashed line at the target and a dotted one at
 * the baseline, each labelled; says so when there is no value yet. */
void indicator_svg_values(struct buf *b, const struct ichart *c, const struct ichart_point *p,
                          int n);

/* One row of the roll-up: an indicator's latest value against its target. */
struct ichart_progress {
    const char *label, *href; /* href raw (the chart escapes it), NULL for none */
    const char *period;       /* of the latest value, "" when none */
    bool has_value, has_target;
    double value, target;
};

/* Horizontal bars: each row's latest value as a share of its target, a line at 100 %, the
 * figures written after the bar ("32 / 40 — 80 %"); rows without a value or a target say so. */
void indicator_svg_progress(struct buf *b, const char *id, const char *title,
                            const struct ichart_progress *rows, int n, int width);

#endif
