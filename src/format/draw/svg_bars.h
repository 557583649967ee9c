/* svg_bars.h — a plain horizontal bar chart of counts (a questionnaire's answers per choice):
 * one bar per label on one scale, the count and its share after each bar. Callers hand in
 * numbers and labels; nothing here reads the database or writes HTML around the <svg>. */
#ifndef OUT_SVG_BARS_H
#define OUT_SVG_BARS_H

#include "base/str.h"

/* id: unique in the page, [a-z0-9-]; title: accessible name and visible title; base: what the
 * shares are of (0: no share shown). */
void svg_count_bars(struct buf *b, const char *id, const char *title, const char *const *labels,
                    const int *counts, int n, int base);

#endif
