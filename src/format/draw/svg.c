/* svg.c — stacked status bars and small multiples written as SVG text through the escaping
 * printf. Must not read the database, know about HTTP or write HTML around the <svg>: callers
 * give numbers, labels and URLs. */
#include "format/draw/svg.h"

#include <string.h>

#include "base/text.h"

/* TIP_CHARS: a row label is cut in tooltips (the whole label is written above its bar). */
enum { DEFAULT_WIDTH = 720, TITLE_H = 26, LEGEND_LINE = 18, TIP_CHARS = 70 };
#define CHAR_PX 7.0 /* advance of one 12 px character, generous: fonts differ (DejaVu is wide) */

/* UI.md's palette, indexed by segment (enum status, then SVG_NONE). */
static const char *const colours[SVG_SEGMENTS] = {
    "#1b5e20", "#2e7d32", "#43a047", "#1565c0", "#b26a00", "#616161", "#8e1b1b", "#e0e0e0",
};

const char *svg_status_colour(enum status s)
{
    return s >= 0 && s < ST_COUNT ? colours[s] : colours[SVG_NONE];
}

const char *svg_segment_colour(int seg)
{
    if (seg == SVG_DONE_ANY)
        return colours[ST_DONE_CLOSED];
    return seg >= 0 && seg < SVG_SEGMENTS ? colours[seg] : "#757575";
}

const char *svg_segment_label(int seg)
{
    if (seg == SVG_DONE_ANY)
        return "Réalisée (total)";
    if (seg == SVG_ALL)
        return "Toutes";
    return status_label(seg >= 0 && seg < ST_COUNT ? (enum status)seg : ST_NONE);
}

const char *svg_segment_key(int seg)
{
    if (seg == SVG_DONE_ANY)
        return "done_any";
    if (seg == SVG_NONE)
        return "none";
    return seg >= 0 && seg < ST_COUNT ? status_key((enum status)seg) : NULL;
}

/* Text colour with WCAG AA contrast on a segment's fill (white on dark, black on light). */
static const char *ink(int seg)
{
    return seg == ST_DONE || seg == ST_REFLECTION || seg == SVG_NONE ? "#000" : "#fff";
}

/* Stroke of a trend line: "no status" grey is too light for a line. */
static const char *line_colour(int seg)
{
    return seg == SVG_NONE ? "#757575" : svg_segment_colour(seg);
}

/* The fill of a segment: plain "done" is hatched so that it is not told by colour alone. */
static void put_fill(struct buf *b, const struct svg_chart *c, int seg)
{
    if (seg == ST_DONE)
        buf_printf(b, "url(#%h-hatch)", c->id);
    else
        buf_puts(b, svg_segment_colour(seg));
}

/* A label cut to max characters with an ellipsis; never fewer than two, so that a cut label
 * still shows a letter before its "…". */
static void cut_label(struct buf *b, const char *s, int max)
{
    buf_html_cut(b, s, max < 2 ? 2 : max);
}

static const char *unit(const struct svg_chart *c, int n)
{
    if (n > 1)
        return c->unit_many ? c->unit_many : "actions";
    return c->unit_one ? c->unit_one : "action";
}

static int chart_width(const struct svg_chart *c)
{
    return c->width > 0 ? c->width : DEFAULT_WIDTH;
}

/* Opens the <svg> with its accessible name and the hatch pattern. A chart with links is a group
 * (role="img" would hide its links from assistive technologies); without links it is an image. */
static void open_svg(struct buf *b, const struct svg_chart *c, int w, int h)
{
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%h\" "
               "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"%s\" aria-label=\"%h\" "
               "font-family=\"system-ui, sans-serif\" font-size=\"12\"><title>%h</title>",
               c->id, w, h, w, h, c->href ? "group" : "img", c->title, c->title);
    if (c->desc)
        buf_printf(b, "<desc>%h</desc>", c->desc);
    buf_printf(b,
               "<defs><pattern id=\"%h-hatch\" width=\"6\" height=\"6\" "
               "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
               "<rect width=\"6\" height=\"6\" fill=\"%h\"/>"
               "<rect width=\"2\" height=\"6\" fill=\"#c8e6c9\"/></pattern></defs>"
               "<text x=\"0\" y=\"17\" class=\"ct\" font-size=\"15\" font-weight=\"bold\" "
               "fill=\"#1e1e1e\">",
               c->id, colours[ST_DONE]);
    cut_label(b, c->title, (int)(w / (CHAR_PX * 1.3)));
    buf_puts(b, "</text>");
}

/* Opens the link of (row, seg) when the caller gives one, else a plain group; returns whether it
 * is a link. tmp is scratch space for the URL. */
static bool open_link(struct buf *b, const struct svg_chart *c, int row, int seg, struct buf *tmp)
{
    if (c->href) {
        buf_reset(tmp);
        c->href(c->ctx, row, seg, tmp);
        if (tmp->len) {
            buf_printf(b, "<a href=\"%h\">", tmp->p);
            return true;
        }
    }
    buf_puts(b, "<g>");
    return false;
}

static void close_link(struct buf *b, bool linked)
{
    buf_puts(b, linked ? "</a>" : "</g>");
}

/* Lays out (and writes, when b is not NULL) the legend of the segments marked in shown, wrapping
 * at width w from height y; returns the height used. */
static int legend(struct buf *b, const struct svg_chart *c, const bool *shown, int y, int w)
{
    int x = 0, line = 0, any = 0;
    for (int seg = 0; seg < SVG_SEGMENTS; seg++) {
        if (!shown[seg])
            continue;
        const char *label = svg_segment_label(seg);
        int tw = 18 + (int)((double)text_chars(label) * CHAR_PX) + 16;
        if (x > 0 && x + tw > w) {
            x = 0;
            line++;
        }
        any = 1;
        if (b) {
            int ly = y + line * LEGEND_LINE;
            buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"13\" height=\"13\" fill=\"", x, ly);
            put_fill(b, c, seg);
            buf_printf(b, "\" stroke=\"#555\" stroke-width=\"0.5\"/><text x=\"%d\" y=\"%d\" "
                          "fill=\"#1e1e1e\">%h</text>",
                       x + 18, ly + 11, label);
        }
        x += tw;
    }
    return any ? (line + 1) * LEGEND_LINE : 0;
}

static int row_total(const struct svg_row *r)
{
    int t = 0;
    for (int seg = 0; seg < SVG_SEGMENTS; seg++)
        t += r->counts[seg];
    return t;
}

static int digits(int v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

void svg_status_bars(struct buf *b, const struct svg_chart *c, const struct svg_row *rows, int n)
{
    enum { PITCH = 48, LABEL_H = 18, BAR_H = 22, TOTAL_W = 48 };
    int w = chart_width(c), max = 0;
    bool shown[SVG_SEGMENTS] = {0};
    for (int i = 0; i < n; i++) {
        int t = row_total(&rows[i]);
        max = t > max ? t : max;
        for (int seg = 0; seg < SVG_SEGMENTS; seg++)
            shown[seg] |= rows[i].counts[seg] > 0;
    }
    int top = TITLE_H + legend(NULL, c, shown, 0, w);
    top += 10;
    open_svg(b, c, w, top + n * PITCH);
    legend(b, c, shown, TITLE_H, w);
    int pw = w - TOTAL_W;
    struct buf tmp = {0};
    for (int i = 0; i < n; i++) {
        const struct svg_row *r = &rows[i];
        int y = top + i * PITCH, by = y + LABEL_H, total = row_total(r);
        buf_printf(b, "<text x=\"0\" y=\"%d\" fill=\"#1e1e1e\">", y + 13);
        cut_label(b, r->label, (int)(w / CHAR_PX));
        buf_puts(b, "</text>");
        int cum = 0, x = 0; /* whole pixels, rounded from the running total: no gaps */
        for (int seg = 0; seg < SVG_SEGMENTS; seg++) {
            int v = r->counts[seg];
            if (v <= 0)
                continue;
            cum += v;
            int sw = (int)(((long long)cum * pw * 2 + max) / (2LL * max)) - x;
            bool linked = open_link(b, c, i, seg, &tmp);
            buf_puts(b, "<title>");
            cut_label(b, r->label, TIP_CHARS);
            buf_printf(b, " — %h : %d %h</title><rect x=\"%d\" y=\"%d\" width=\"%d\" "
                          "height=\"%d\" fill=\"",
                       svg_segment_label(seg), v, unit(c, v), x, by, sw, BAR_H);
            put_fill(b, c, seg);
            buf_puts(b, "\"/>");
            if (sw >= digits(v) * 7 + 6)
                buf_printf(b,
                           "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%h\">"
                           "%d</text>",
                           x + sw / 2, by + 15, ink(seg), v);
            close_link(b, linked);
            x += sw;
        }
        bool linked = open_link(b, c, i, SVG_ALL, &tmp);
        buf_puts(b, "<title>");
        cut_label(b, r->label, TIP_CHARS);
        buf_printf(b, " — total : %d %h</title><text x=\"%d\" y=\"%d\" class=\"cb\" "
                      "font-weight=\"bold\" fill=\"#1e1e1e\">%d</text>",
                   total, unit(c, total), x + 6, by + 15, total);
        close_link(b, linked);
    }
    buf_free(&tmp);
    buf_puts(b, "</svg>");
}

/* Value of a trend panel at one row: a segment, or the three kinds of done together. */
static int trend_value(const struct svg_row *r, int seg)
{
    if (seg == SVG_DONE_ANY)
        return r->counts[ST_DONE_CLOSED] + r->counts[ST_DONE_RECURRING] + r->counts[ST_DONE];
    return r->counts[seg];
}

/* One small multiple at (px, py), pw wide: swatch and label, baseline, line, linked points. */
static void trend_panel(struct buf *b, const struct svg_chart *c, const struct svg_row *rows,
                        int n, int seg, int max, int px, int py, int pw, struct buf *tmp)
{
    enum { PLOT_TOP = 40, PLOT_BOTTOM = 100 };
    if (seg == SVG_DONE_ANY) /* the three greens side by side */
        buf_printf(b,
                   "<g><rect x=\"%d\" y=\"%d\" width=\"4\" height=\"12\" fill=\"%h\"/>"
                   "<rect x=\"%d\" y=\"%d\" width=\"4\" height=\"12\" fill=\"%h\"/>"
                   "<rect x=\"%d\" y=\"%d\" width=\"4\" height=\"12\" fill=\"%h\"/>"
                   "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"none\"",
                   px, py + 2, colours[ST_DONE_CLOSED], px + 4, py + 2, colours[ST_DONE_RECURRING],
                   px + 8, py + 2, colours[ST_DONE], px, py + 2);
    else {
        buf_printf(b, "<g><rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"", px,
                   py + 2);
        put_fill(b, c, seg);
        buf_putc(b, '"');
    }
    buf_printf(b, " stroke=\"#555\" stroke-width=\"0.5\"/><text x=\"%d\" y=\"%d\" "
                  "class=\"cb\" font-weight=\"bold\" fill=\"#1e1e1e\">",
               px + 17, py + 12);
    cut_label(b, svg_segment_label(seg), (int)((pw - 20) / CHAR_PX));
    int x0 = px + 20, x1 = px + pw - 26;
    int yb = py + PLOT_BOTTOM, yt = py + PLOT_TOP;
    buf_printf(b, "</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9e9e9e\"/>",
               px, yb, px + pw - 10, yb);
    int xs[64], ys[64];
    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++) {
        xs[i] = n == 1 ? (x0 + x1) / 2 : x0 + (i * (x1 - x0) + (n - 1) / 2) / (n - 1);
        ys[i] = yb - (max ? (trend_value(&rows[i], seg) * (yb - yt) + max / 2) / max : 0);
    }
    buf_printf(b, "<polyline fill=\"none\" stroke=\"%h\" stroke-width=\"%d\"%s points=\"",
               line_colour(seg), seg == SVG_DONE_ANY ? 3 : 2,
               seg == ST_DONE ? " stroke-dasharray=\"5 3\"" : "");
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%d,%d", i ? " " : "", xs[i], ys[i]);
    buf_puts(b, "\"/>");
    int step = n > 6 ? (n + 5) / 6 : 1;
    for (int i = 0; i < n; i++) {
        int v = trend_value(&rows[i], seg);
        bool linked = open_link(b, c, i, seg, tmp);
        buf_printf(b,
                   "<title>%h — %h : %d %h</title>"
                   "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"30\" "
                   "fill=\"transparent\"/>"
                   "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%h\" stroke=\"#fff\"/>"
                   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                   "fill=\"#1e1e1e\">%d</text>",
                   svg_segment_label(seg), rows[i].label, v, unit(c, v), xs[i] - 11, ys[i] - 20,
                   xs[i], ys[i], line_colour(seg), xs[i], ys[i] - 8, v);
        close_link(b, linked);
        if (i % step == 0 || i == n - 1)
            buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"cs\" "
                          "font-size=\"11\" fill=\"#5a5a5a\">%h</text>",
                       xs[i], yb + 15, rows[i].label);
    }
    buf_puts(b, "</g>");
}

void svg_status_trend(struct buf *b, const struct svg_chart *c, const struct svg_row *rows, int n)
{
    enum { PANEL_H = 128, PANEL_MIN_W = 170 };
    int w = chart_width(c);
    int panels[SVG_SEGMENTS + 1], np = 0, done_kinds = 0;
    bool shown[SVG_SEGMENTS] = {0};
    for (int i = 0; i < n; i++)
        for (int seg = 0; seg < SVG_SEGMENTS; seg++)
            shown[seg] |= rows[i].counts[seg] > 0;
    done_kinds = shown[ST_DONE_CLOSED] + shown[ST_DONE_RECURRING] + shown[ST_DONE];
    if (done_kinds > 1)
        panels[np++] = SVG_DONE_ANY;
    for (int seg = 0; seg < SVG_SEGMENTS; seg++)
        if (shown[seg])
            panels[np++] = seg;
    int max = 0;
    for (int i = 0; i < n; i++)
        for (int p = 0; p < np; p++) {
            int v = trend_value(&rows[i], panels[p]);
            max = v > max ? v : max;
        }
    int cols = w / PANEL_MIN_W;
    cols = cols < 1 ? 1 : cols;
    int pw = w / cols, prows = np ? (np + cols - 1) / cols : 0;
    open_svg(b, c, w, TITLE_H + 8 + prows * PANEL_H);
    struct buf tmp = {0};
    for (int p = 0; p < np; p++)
        trend_panel(b, c, rows, n, panels[p], max, (p % cols) * pw,
                    TITLE_H + 8 + (p / cols) * PANEL_H, pw, &tmp);
    buf_free(&tmp);
    buf_puts(b, "</svg>");
}
