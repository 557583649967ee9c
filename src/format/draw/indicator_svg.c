/* indicator_svg.c — indicator charts written as SVG text through the escaping printf. Must not
 * read the database, know about HTTP or write HTML around the <svg>. */
#include "format/draw/indicator_svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"

enum { TITLE_H = 24 };
#define CHAR_PX 6.6
#define BAR "#1565c0"
#define TARGET "#1b5e20"
#define BASELINE "#616161"

/* A number the French way into out: no decimals when whole, a decimal comma otherwise. */
static const char *num(char out[40], double v)
{
    if (fabs(v) < 1e15 && v == floor(v))
        snprintf(out, 40, "%.0f", v);
    else
        snprintf(out, 40, "%.6g", v);
    for (char *p = out; *p; p++)
        if (*p == '.')
            *p = ',';
    return out;
}

static void open_svg(struct buf *b, const char *id, const char *title, int w, int h)
{
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart indicator-chart\" "
               "id=\"%h\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
               "aria-label=\"%h\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
               "<title>%h</title><text x=\"0\" y=\"16\" class=\"cb\" font-weight=\"bold\" "
               "fill=\"#1e1e1e\">",
               id, w, h, w, h, title, title);
    buf_html_cut(b, title, (int)(w / CHAR_PX));
    buf_puts(b, "</text>");
}

void indicator_svg_values(struct buf *b, const struct ichart *c, const struct ichart_point *p,
                          int n)
{
    enum { PLOT_H = 130, BOTTOM = 40, LEFT = 8, RIGHT = 110 };
    int w = c->width > 0 ? c->width : 480, h = TITLE_H + PLOT_H + BOTTOM;
    open_svg(b, c->id, c->title, w, h);
    double max = 0;
    for (int i = 0; i < n; i++)
        max = p[i].value > max ? p[i].value : max;
    if (c->has_target && c->target > max)
        max = c->target;
    if (c->has_baseline && c->baseline > max)
        max = c->baseline;
    max = max > 0 ? max * 1.15 : 1;
    int y0 = TITLE_H + PLOT_H, x0 = LEFT, x1 = w - RIGHT;
    buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9e9e9e\"/>", x0, y0,
               x1, y0);
    char v[40];
    if (n == 0)
        buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#5a5a5a\">Aucune valeur enregistrée pour "
                      "l'instant.</text>",
                   x0 + 4, y0 - PLOT_H / 2);
    int slot = n ? (x1 - x0) / n : 0, bw = slot > 60 ? 40 : slot * 2 / 3;
    for (int i = 0; i < n; i++) {
        double val = p[i].value > 0 ? p[i].value : 0;
        int bh = (int)(val * PLOT_H / max + 0.5), x = x0 + i * slot + (slot - bw) / 2;
        buf_printf(b,
                   "<g><title>%h : %h%s%h</title><rect x=\"%d\" y=\"%d\" width=\"%d\" "
                   "height=\"%d\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                   "fill=\"#1e1e1e\">%h</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                   "class=\"cs\" font-size=\"11\" fill=\"#5a5a5a\">",
                   p[i].period, num(v, p[i].value), *c->unit ? " " : "", c->unit, x, y0 - bh, bw,
                   bh, BAR, x + bw / 2, y0 - bh - 4, v, x + bw / 2, y0 + 14);
        buf_html_cut(b, p[i].period, slot / 6 > 4 ? slot / 6 : 4);
        buf_puts(b, "</text></g>");
    }
    if (c->has_baseline) {
        int y = y0 - (int)(c->baseline * PLOT_H / max + 0.5);
        buf_printf(b,
                   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                   "stroke-width=\"2\" stroke-dasharray=\"2 3\"/><text x=\"%d\" y=\"%d\" "
                   "fill=\"%s\">départ : %h</text>",
                   x0, y, x1, y, BASELINE, x1 + 4, y + 4, BASELINE, num(v, c->baseline));
    }
    if (c->has_target) {
        int y = y0 - (int)(c->target * PLOT_H / max + 0.5);
        buf_printf(b,
                   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                   "stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"%d\" y=\"%d\" "
                   "font-weight=\"bold\" fill=\"%s\">cible : %h</text>",
                   x0, y, x1, y, TARGET, x1 + 4, y + 4, TARGET, num(v, c->target));
    } else {
        buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#8e1b1b\">sans cible</text>", x1 + 4,
                   TITLE_H + 12);
    }
    buf_puts(b, "</svg>");
}

void indicator_svg_progress(struct buf *b, const char *id, const char *title,
                            const struct ichart_progress *rows, int n, int width)
{
    enum { ROW = 40, LABEL_H = 16, BAR_H = 14, FIG_W = 170 };
    int w = width > 0 ? width : 720, h = TITLE_H + 8 + n * ROW;
    open_svg(b, id, title, w, h);
    int x0 = 0, x1 = w - FIG_W, full = (x1 - x0) * 2 / 3; /* 100 % of the target */
    buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                  "stroke-dasharray=\"6 3\"/><text x=\"%d\" y=\"%d\" fill=\"%s\" "
                  "text-anchor=\"middle\" class=\"cs\" font-size=\"11\">cible</text>",
               x0 + full, TITLE_H + 4, x0 + full, h, TARGET, x0 + full, TITLE_H + 2, TARGET);
    char v[40], t[40];
    for (int i = 0; i < n; i++) {
        const struct ichart_progress *r = &rows[i];
        int y = TITLE_H + 8 + i * ROW;
        buf_puts(b, "<g>");
        if (r->href)
            buf_printf(b, "<a href=\"%h\">", r->href);
        buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#1e1e1e\">", x0, y + 12);
        buf_html_cut(b, r->label, (int)(w / CHAR_PX));
        buf_puts(b, "</text>");
        int by = y + LABEL_H;
        if (r->has_value && r->has_target && r->target > 0) {
            double share = r->value / r->target;
            int bw = (int)((share > 1.45 ? 1.45 : share < 0 ? 0 : share) * full + 0.5);
            buf_printf(b,
                       "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                       "<text x=\"%d\" y=\"%d\" fill=\"#1e1e1e\">%h / %h — %.0f %% (%h)"
                       "</text>",
                       x0, by, bw > 1 ? bw : 1, BAR_H, share >= 1 ? TARGET : BAR, x1 + 6, by + 11,
                       num(v, r->value), num(t, r->target), share * 100, r->period);
        } else if (r->has_value) {
            buf_printf(b,
                       "<text x=\"%d\" y=\"%d\" fill=\"#1e1e1e\">%h (%h) — sans cible"
                       "</text>",
                       x0, by + 11, num(v, r->value), r->period);
        } else {
            buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#5a5a5a\">aucune valeur%s</text>",
                       x0, by + 11, r->has_target ? "" : " ni cible");
        }
        if (r->href)
            buf_puts(b, "</a>");
        buf_puts(b, "</g>");
    }
    buf_puts(b, "</svg>");
}
