/* svg_bars.c — horizontal bars of counts with the share of each, written as SVG text through the
 * escaping printf; a role="img" image whose title names it and whose bars carry tooltips. */
#include "format/draw/svg_bars.h"

#include "base/text.h"

enum { WIDTH = 720, TOP = 30, ROW_H = 34, BAR_H = 14, LABEL_CHARS = 100 };

void svg_count_bars(struct buf *b, const char *id, const char *title, const char *const *labels,
                    const int *counts, int n, int base)
{
    int max = 1;
    for (int i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];
    int h = TOP + n * ROW_H + 6, room = WIDTH - 120;
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%h\" "
               "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%h\" "
               "font-family=\"system-ui, sans-serif\" font-size=\"12\"><title>%h</title>"
               "<text x=\"0\" y=\"17\" font-size=\"14\" font-weight=\"bold\" fill=\"#1e1e1e\">",
               id, WIDTH, h, WIDTH, h, title, title);
    buf_html_cut(b, title, 95);
    buf_puts(b, "</text>");
    for (int i = 0; i < n; i++) {
        int y = TOP + i * ROW_H;
        int len = counts[i] * room / max;
        int pct = base > 0 ? (counts[i] * 100 + base / 2) / base : 0;
        buf_printf(b, "<g><title>%h : %d</title><text x=\"0\" y=\"%d\" fill=\"#1e1e1e\">",
                   labels[i], counts[i], y + 10);
        buf_html_cut(b, labels[i], LABEL_CHARS);
        buf_printf(b,
                   "</text><rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#1565c0\"/>"
                   "<text x=\"%d\" y=\"%d\" fill=\"#1e1e1e\">%d",
                   y + 14, len > 0 ? len : 1, BAR_H, (len > 0 ? len : 1) + 6, y + 26, counts[i]);
        if (base > 0)
            buf_printf(b, " (%d %%)", pct);
        buf_puts(b, "</text></g>");
    }
    buf_puts(b, "</svg>");
}
