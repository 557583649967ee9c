/* gantt.c — the Gantt chart as SVG text written through the escaping printf, in the palette of
 * svg.c. Must not read the database, know about HTTP or write HTML around the <svg>: callers
 * give rows of plain dates, labels and URLs. */
#include "format/draw/gantt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "format/draw/svg.h"

enum {
    DEFAULT_WIDTH = 1000,
    LABEL_W = 340,  /* code and title of the rows */
    STATUS_W = 130, /* status label after the plot */
    TITLE_H = 24,
    LEGEND_H = 22,
    AXIS_H = 22,
    ROW_H = 24,
    GROUP_H = 24,
};
#define CHAR_PX 6.6 /* advance of one 12 px character, generous */

/* The first (end false) or last (end true) day an ISO date of any precision covers; false when
 * s is not such a date. */
static bool day_of(const char *s, bool end, long *out)
{
    size_t n = s ? strlen(s) : 0;
    struct date d;
    if ((n != 4 && ((n != 7 && n != 10) || s[4] != '-')) ||
        date_parse(s, DATE_FULL | DATE_PARTIAL, &d) != ERR_OK)
        return false;
    int m = d.m ? d.m : end ? 12 : 1;
    *out = date_days_from_civil(d.y, m, d.d ? d.d : end ? date_month_days(d.y, m) : 1);
    return true;
}

/* Started, not ended, and in progress or recurring: its bar runs to known_until. */
static bool running(const struct gantt_row *r)
{
    long d;
    return (r->status == ST_IN_PROGRESS || r->status == ST_DONE_RECURRING) &&
           day_of(r->actual_start, false, &d) && !day_of(r->actual_end, true, &d);
}

bool gantt_row_dated(const struct gantt_row *r)
{
    long d;
    return day_of(r->planned_start, false, &d) || day_of(r->planned_end, true, &d) ||
           day_of(r->actual_start, false, &d) || day_of(r->actual_end, true, &d);
}

/* The plot's time scale. */
struct scale {
    long first, last; /* days */
    int x0, x1;       /* px */
};

static int x_of(const struct scale *s, long day)
{
    if (day < s->first)
        day = s->first;
    if (day > s->last + 1)
        day = s->last + 1;
    return s->x0 + (int)((double)(day - s->first) * (s->x1 - s->x0) / (double)(s->last + 1 -
                                                                             s->first));
}

/* A diamond marking a single known date (a start or an end without the other). */
static void marker(struct buf *b, int x, int y, const char *fill, const char *stroke)
{
    buf_printf(b, "<polygon points=\"%d,%d %d,%d %d,%d %d,%d\" fill=\"%h\" stroke=\"%h\"/>", x,
               y - 5, x + 5, y, x, y + 5, x - 5, y, fill, stroke);
}

/* Title, legend of the two bars and of the statuses present (TITLE_H + LEGEND_H high). */
static void header(struct buf *b, const struct gantt_chart *c, int w, const bool *present)
{
    buf_printf(b, "<text x=\"0\" y=\"17\" class=\"ct\" font-size=\"15\" font-weight=\"bold\" "
                  "fill=\"#1e1e1e\">");
    buf_html_cut(b, c->title, (int)(w / (CHAR_PX * 1.3)));
    int y = TITLE_H + 4;
    buf_printf(b, "</text><g class=\"legend\"><rect x=\"0\" y=\"%d\" width=\"26\" height=\"7\" "
                  "fill=\"url(#%h-planned)\" stroke=\"#555\"/><text x=\"32\" y=\"%d\" "
                  "fill=\"#1e1e1e\">prévu</text><rect x=\"80\" y=\"%d\" width=\"26\" height=\"9\" "
                  "fill=\"#1565c0\"/><text x=\"112\" y=\"%d\" fill=\"#1e1e1e\">réalisé (couleur "
                  "de l'état)</text><line x1=\"270\" y1=\"%d\" x2=\"270\" y2=\"%d\" "
                  "stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><text "
                  "x=\"276\" y=\"%d\" fill=\"#1e1e1e\">aujourd'hui</text>",
               y, c->id, y + 8, y, y + 8, y - 2, y + 11, y + 8);
    int x = 370;
    for (int s = 0; s <= ST_COUNT; s++) {
        enum status st = s == ST_COUNT ? ST_NONE : (enum status)s;
        if (!present[s])
            continue;
        const char *label = status_label(st);
        int tw = 18 + (int)((double)text_chars(label) * CHAR_PX) + 12;
        if (x + tw > w)
            break;
        buf_printf(b,
                   "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%h\" "
                   "stroke=\"#555\" stroke-width=\"0.5\"/><text x=\"%d\" y=\"%d\" "
                   "fill=\"#1e1e1e\">%h</text>",
                   x, y - 1, svg_status_colour(st), x + 16, y + 9, label);
        x += tw;
    }
    buf_puts(b, "</g>");
}

void gantt_svg(struct buf *b, const struct gantt_chart *c, const struct gantt_row *rows, int n)
{
    int w = c->width > 0 ? c->width : DEFAULT_WIDTH;
    long today = 0, lo = 0, hi = 0;
    bool has_today = day_of(c->today, false, &today), any = false, ongoing = false;
    bool present[ST_COUNT + 1] = {0};
    int n_rows = 0, n_groups = 0;
    const char *group = NULL;
    for (int i = 0; i < n; i++) {
        const struct gantt_row *r = &rows[i];
        if (!gantt_row_dated(r))
            continue;
        n_rows++;
        if (!group || !r->group || strcmp(group, r->group) != 0)
            n_groups += r->group && *r->group;
        group = r->group ? r->group : "";
        present[r->status == ST_NONE ? ST_COUNT : r->status] = true;
        const char *dates[] = {r->planned_start, r->planned_end, r->actual_start, r->actual_end};
        for (int k = 0; k < 4; k++) {
            long d;
            if (!day_of(dates[k], k % 2 == 1, &d))
                continue;
            lo = any && lo < d ? lo : d;
            hi = any && hi > d ? hi : d;
            any = true;
        }
    }
    if (c->first_year && (!any || date_days_from_civil(c->first_year, 1, 1) < lo))
        lo = date_days_from_civil(c->first_year, 1, 1);
    if (c->last_year && (!any || date_days_from_civil(c->last_year, 12, 31) > hi))
        hi = date_days_from_civil(c->last_year, 12, 31);
    long until = 0;
    if (!day_of(c->known_until, true, &until) || (has_today && until > today))
        until = has_today ? today : hi;
    for (int i = 0; i < n; i++)
        if (gantt_row_dated(&rows[i]) && running(&rows[i]))
            ongoing = true;
    if (ongoing && until > hi)
        hi = until;
    if (has_today && today > hi)
        hi = today;
    if (has_today && today < lo)
        lo = today;
    if (!any && !c->first_year) {
        lo = has_today ? today - 180 : 0;
        hi = lo + 365;
    }
    /* Whole years on the axis. */
    char tmp[16];
    int y_lo = 1970 + (int)(lo / 365.2425), y_hi;
    while (date_days_from_civil(y_lo, 1, 1) > lo)
        y_lo--;
    while (date_days_from_civil(y_lo + 1, 1, 1) <= lo)
        y_lo++;
    for (y_hi = y_lo; date_days_from_civil(y_hi + 1, 1, 1) <= hi; y_hi++)
        ;
    struct scale sc = {date_days_from_civil(y_lo, 1, 1), date_days_from_civil(y_hi, 12, 31),
                       LABEL_W, w - STATUS_W};

    int h = TITLE_H + LEGEND_H + AXIS_H + n_groups * GROUP_H + n_rows * ROW_H + 8;
    struct buf out = {0};
    buf_printf(&out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart gantt\" id=\"%h\" "
               "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"group\" "
               "aria-label=\"%h\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
               "<title>%h</title><defs><pattern id=\"%h-planned\" width=\"6\" height=\"6\" "
               "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" "
               "height=\"6\" fill=\"#ffffff\"/><rect width=\"2\" height=\"6\" fill=\"#9e9e9e\"/>"
               "</pattern></defs>",
               c->id, w, h, w, h, c->title, c->title, c->id);
    header(&out, c, w, present);
    int y = TITLE_H + LEGEND_H;
    /* Year bands: labels on top, grid lines down to the bottom. */
    buf_puts(&out, "<g class=\"years\">");
    for (int yr = y_lo; yr <= y_hi; yr++) {
        int xa = x_of(&sc, date_days_from_civil(yr, 1, 1));
        int xb = x_of(&sc, date_days_from_civil(yr + 1, 1, 1));
        snprintf(tmp, sizeof tmp, "%d", yr);
        buf_printf(&out,
                   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bdbdbd\"/>"
                   "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\" "
                   "fill=\"#1e1e1e\">%h</text>",
                   xa, y + AXIS_H, xb - xa, h - y - AXIS_H - 4,
                   (yr - y_lo) % 2 ? "#f5f5f5" : "#ffffff", xa, y + 4, xa, h - 4, (xa + xb) / 2,
                   y + 16, tmp);
    }
    buf_printf(&out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bdbdbd\"/></g>",
               sc.x1, y + 4, sc.x1, h - 4);
    y += AXIS_H;
    group = NULL;
    int label_chars = (int)((LABEL_W - 12) / CHAR_PX);
    for (int i = 0; i < n; i++) {
        const struct gantt_row *r = &rows[i];
        if (!gantt_row_dated(r))
            continue;
        if (r->group && *r->group && (!group || strcmp(group, r->group) != 0)) {
            buf_printf(&out, "<g class=\"group\"><rect x=\"0\" y=\"%d\" width=\"%d\" "
                             "height=\"%d\" fill=\"#e8eef5\"/><text x=\"4\" y=\"%d\" "
                             "font-weight=\"bold\" fill=\"#0b3b66\">",
                       y + 2, w, GROUP_H - 4, y + 16);
            buf_html_cut(&out, r->group, (int)(w / CHAR_PX));
            buf_puts(&out, "</text></g>");
            y += GROUP_H;
        }
        group = r->group;
        const char *colour = svg_status_colour(r->status);
        buf_printf(&out, "<g class=\"action\" data-action=\"%lld\">", r->id);
        if (r->href)
            buf_printf(&out, "<a href=\"%h\">", r->href);
        buf_puts(&out, "<title>");
        if (r->code && *r->code)
            buf_printf(&out, "%h — ", r->code);
        buf_printf(&out, "%h — %h", r->title, status_label(r->status));
        const char *what[] = {"prévu du", "au", "réalisé du", "au"};
        const char *dates[] = {r->planned_start, r->planned_end, r->actual_start, r->actual_end};
        for (int k = 0; k < 4; k += 2)
            if (*dates[k] || *dates[k + 1])
                buf_printf(&out, " ; %h %h %h %h", what[k], *dates[k] ? dates[k] : "?",
                           what[k + 1], *dates[k + 1] ? dates[k + 1] : "?");
        buf_printf(&out, "</title><rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" "
                         "fill=\"transparent\"/><text x=\"4\" y=\"%d\" fill=\"#1e1e1e\">",
                   y, w, ROW_H, y + 16);
        struct buf label_text = {0};
        if (r->code && *r->code)
            buf_printf(&label_text, "%s ", r->code);
        buf_puts(&label_text, r->title ? r->title : "");
        buf_html_cut(&out, buf_cstr(&label_text), label_chars);
        buf_free(&label_text);
        buf_puts(&out, "</text>");
        long ps, pe, as, ae;
        bool hps = day_of(r->planned_start, false, &ps), hpe = day_of(r->planned_end, true, &pe);
        bool has = day_of(r->actual_start, false, &as), hae = day_of(r->actual_end, true, &ae);
        if (hps && hpe && pe >= ps)
            buf_printf(&out, "<rect class=\"planned\" x=\"%d\" y=\"%d\" width=\"%d\" "
                             "height=\"7\" fill=\"url(#%h-planned)\" stroke=\"#555\"/>",
                       x_of(&sc, ps), y + 3, x_of(&sc, pe + 1) - x_of(&sc, ps), c->id);
        else if (hps || hpe)
            marker(&out, x_of(&sc, hps ? ps : pe + 1), y + 7, "#ffffff", "#555");
        if (has && (hae || running(r))) {
            long end = hae ? ae + 1 : (until > as ? until + 1 : as + 1);
            int xa = x_of(&sc, as), xb = x_of(&sc, end);
            buf_printf(&out,
                       "<rect class=\"actual\" x=\"%d\" y=\"%d\" width=\"%d\" "
                       "height=\"9\" fill=\"%h\" stroke=\"#1e1e1e\" "
                       "stroke-width=\"0.5\"/>",
                       xa, y + 12, xb - xa > 4 ? xb - xa : 4, colour);
            if (!hae) /* still running: an arrow at today */
                buf_printf(&out, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%h\"/>", xb, y + 10,
                           xb + 6, y + 16, xb, y + 23, colour);
        } else if (has || hae) {
            marker(&out, x_of(&sc, has ? as : ae + 1), y + 16, colour, "#1e1e1e");
        }
        buf_printf(&out, "<text x=\"%d\" y=\"%d\" fill=\"#1e1e1e\">", sc.x1 + 8, y + 16);
        buf_html_cut(&out, status_label(r->status), (int)((STATUS_W - 10) / CHAR_PX));
        buf_puts(&out, "</text>");
        if (r->href)
            buf_puts(&out, "</a>");
        buf_puts(&out, "</g>");
        y += ROW_H;
    }
    if (has_today && today >= sc.first && today <= sc.last) {
        int xt = x_of(&sc, today);
        buf_printf(&out, "<line class=\"today\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                         "stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                   xt, TITLE_H + LEGEND_H + 4, xt, h - 4);
    }
    buf_puts(&out, "</svg>");
    buf_append(b, out.p, out.len);
    buf_free(&out);
}
