/* odt.c — OpenDocument text writer: content.xml, styles.xml, meta.xml and the manifest built
 * with an escaping XML writer, charts rendered to PNG with librsvg, all zipped with libzip
 * (mimetype first, stored). Knows nothing of what a report says; must not read the database. */
#include "format/doc/odt.h"

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/arena.h"
#include "format/draw/svg.h"

enum { MAX_COLS = 8, MAX_DEPTH = 16, MAX_PICTURES = 32 };

struct picture {
    char name[32];
    struct buf png;
};

struct odt {
    struct buf body;   /* office:text contents */
    struct buf styles; /* automatic styles of content.xml (tables) */
    struct buf toc;    /* entries of the table of contents */
    int n_tables, n_cols, depth;
    bool ordered[MAX_DEPTH + 1], li_open[MAX_DEPTH + 1];
    char *title, *subtitle;
    struct picture pictures[MAX_PICTURES];
    int n_pictures;
};

void xml_escape(struct buf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4
                                                                                          : 0;
        if (len == 0 || !utf8_valid((const char *)p, strnlen((const char *)p, len)) ||
            strnlen((const char *)p, len) < len) {
            p++; /* invalid UTF-8: dropped */
            continue;
        }
        if (len > 1) {
            buf_append(b, (const char *)p, len);
            p += len;
            continue;
        }
        switch (c) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                buf_putc(b, (char)c);
        }
        p++;
    }
}

/* Text with newlines as <text:line-break/> and runs of spaces kept. */
static void xml_text(struct buf *b, const char *s)
{
    struct buf line = {0};
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\n') {
            xml_escape(b, buf_cstr(&line));
            buf_reset(&line);
            buf_puts(b, "<text:line-break/>");
        } else if (*p != '\r') {
            buf_putc(&line, *p);
        }
    }
    xml_escape(b, buf_cstr(&line));
    buf_free(&line);
}

static void close_lists(struct odt *o, int depth)
{
    while (o->depth > depth) {
        if (o->li_open[o->depth])
            buf_puts(&o->body, "</text:list-item>");
        buf_puts(&o->body, "</text:list>");
        o->depth--;
    }
}

/* ---- document callbacks ----------------------------------------------------------------- */

static void o_title(void *ctx, const char *title, const char *subtitle)
{
    struct odt *o = ctx;
    free(o->title);
    free(o->subtitle);
    o->title = xstrdup(title);
    o->subtitle = xstrdup(subtitle);
}

static void o_heading(void *ctx, int level, const char *text)
{
    struct odt *o = ctx;
    close_lists(o, 0);
    buf_printf(&o->body, "<text:h text:style-name=\"Heading_20_%d\" text:outline-level=\"%d\">",
               level, level);
    xml_escape(&o->body, text);
    buf_puts(&o->body, "</text:h>");
    if (level <= 2) {
        buf_printf(&o->toc, "<text:p text:style-name=\"Contents_20_%d\">", level);
        xml_escape(&o->toc, text);
        buf_puts(&o->toc, "</text:p>");
    }
}

static void o_paragraph(void *ctx, enum doc_style style, const char *text)
{
    struct odt *o = ctx;
    close_lists(o, 0);
    buf_printf(&o->body, "<text:p text:style-name=\"%s\">",
               style == DOC_NOTE ? "Note" : "Text_20_body");
    xml_text(&o->body, text);
    buf_puts(&o->body, "</text:p>");
}

static void o_field(void *ctx, const char *label, const char *value)
{
    struct odt *o = ctx;
    close_lists(o, 0);
    buf_puts(&o->body, "<text:p text:style-name=\"Field\"><text:span text:style-name=\"Bold\">");
    xml_escape(&o->body, label);
    buf_puts(&o->body, " :</text:span> ");
    xml_escape(&o->body, value);
    buf_puts(&o->body, "</text:p>");
}

static void o_list(void *ctx, const char *const *items, int n)
{
    struct odt *o = ctx;
    close_lists(o, 0);
    buf_puts(&o->body, "<text:list text:style-name=\"Bullets\">");
    for (int i = 0; i < n; i++) {
        buf_puts(&o->body, "<text:list-item><text:p text:style-name=\"List_20_Paragraph\">");
        xml_escape(&o->body, items[i]);
        buf_puts(&o->body, "</text:p></text:list-item>");
    }
    buf_puts(&o->body, "</text:list>");
}

static void runs(struct buf *b, const struct md_block *m)
{
    for (int i = 0; i < m->n_runs; i++) {
        const struct md_run *r = &m->runs[i];
        if (r->flags & MD_BREAK) {
            buf_puts(b, "<text:line-break/>");
            continue;
        }
        if (r->href) {
            buf_puts(b, "<text:a xlink:type=\"simple\" xlink:href=\"");
            xml_escape(b, r->href);
            buf_puts(b, "\">");
        }
        unsigned f = r->flags & (MD_BOLD | MD_ITALIC | MD_CODE);
        const char *style = f & MD_CODE         ? "Code"
                            : f == (MD_BOLD | MD_ITALIC) ? "BoldItalic"
                            : f & MD_BOLD                ? "Bold"
                            : f & MD_ITALIC              ? "Italic"
                                                         : NULL;
        if (style)
            buf_printf(b, "<text:span text:style-name=\"%h\">", style);
        xml_escape(b, r->text);
        if (style)
            buf_puts(b, "</text:span>");
        if (r->href)
            buf_puts(b, "</text:a>");
    }
}

static void o_markdown(void *ctx, const struct md_block *m)
{
    struct odt *o = ctx;
    struct buf *b = &o->body;
    if (m->kind != MD_ITEM)
        close_lists(o, 0);
    switch (m->kind) {
    case MD_HEADING:
        buf_puts(b, "<text:p text:style-name=\"Heading_20_4\">");
        runs(b, m);
        buf_puts(b, "</text:p>");
        break;
    case MD_ITEM: {
        int level = m->level > MAX_DEPTH ? MAX_DEPTH : m->level;
        while (o->depth < level) {
            o->depth++;
            o->ordered[o->depth] = m->bullet[0] >= '0' && m->bullet[0] <= '9';
            o->li_open[o->depth] = false;
            if (o->depth > 1 && !o->li_open[o->depth - 1]) {
                buf_puts(b, "<text:list-item>");
                o->li_open[o->depth - 1] = true;
            }
            buf_printf(b, "<text:list text:style-name=\"%s\">",
                       o->ordered[o->depth] ? "Numbers" : "Bullets");
        }
        close_lists(o, level);
        if (*m->bullet || !o->li_open[level]) {
            if (o->li_open[level])
                buf_puts(b, "</text:list-item>");
            buf_puts(b, "<text:list-item>");
            o->li_open[level] = true;
        }
        buf_puts(b, "<text:p text:style-name=\"List_20_Paragraph\">");
        runs(b, m);
        buf_puts(b, "</text:p>");
        break;
    }
    case MD_QUOTE:
        buf_puts(b, "<text:p text:style-name=\"Quotations\">");
        runs(b, m);
        buf_puts(b, "</text:p>");
        break;
    case MD_PRE:
        buf_puts(b, "<text:p text:style-name=\"Preformatted_20_Text\">");
        for (int i = 0; i < m->n_runs; i++)
            xml_text(b, m->runs[i].text);
        buf_puts(b, "</text:p>");
        break;
    default:
        buf_puts(b, "<text:p text:style-name=\"Text_20_body\">");
        runs(b, m);
        buf_puts(b, "</text:p>");
        break;
    }
}

static void o_table_begin(void *ctx, const struct doc_table *t)
{
    struct odt *o = ctx;
    close_lists(o, 0);
    int n = ++o->n_tables;
    o->n_cols = t->n_cols < MAX_COLS ? t->n_cols : MAX_COLS;
    double sum = 0;
    for (int k = 0; k < o->n_cols; k++)
        sum += t->widths[k];
    buf_printf(&o->styles, "<style:style style:name=\"Tab%d\" style:family=\"table\">"
                           "<style:table-properties style:width=\"17cm\" table:align=\"margins\" "
                           "fo:margin-top=\"0.2cm\" fo:margin-bottom=\"0.3cm\"/></style:style>",
               n);
    for (int k = 0; k < o->n_cols; k++)
        buf_printf(&o->styles, "<style:style style:name=\"Tab%d.%c\" style:family="
                               "\"table-column\"><style:table-column-properties "
                               "style:column-width=\"%.2fcm\"/>"
                               "</style:style>",
                   n, 'A' + k, 17.0 * t->widths[k] / sum);
    if (t->caption) {
        buf_puts(&o->body, "<text:p text:style-name=\"Caption\">");
        xml_escape(&o->body, t->caption);
        buf_puts(&o->body, "</text:p>");
    }
    buf_printf(&o->body, "<table:table table:name=\"Tableau%d\" table:style-name=\"Tab%d\">", n,
               n);
    for (int k = 0; k < o->n_cols; k++)
        buf_printf(&o->body, "<table:table-column table:style-name=\"Tab%d.%c\"/>", n, 'A' + k);
    buf_puts(&o->body, "<table:table-header-rows><table:table-row>");
    for (int k = 0; k < o->n_cols; k++) {
        buf_puts(&o->body, "<table:table-cell table:style-name=\"Head\" office:value-type="
                           "\"string\"><text:p text:style-name=\"Table_20_Heading\">");
        xml_escape(&o->body, t->heads[k]);
        buf_puts(&o->body, "</text:p></table:table-cell>");
    }
    buf_puts(&o->body, "</table:table-row></table:table-header-rows>");
}

static void o_table_group(void *ctx, int level, const char *text)
{
    struct odt *o = ctx;
    buf_printf(&o->body, "<table:table-row><table:table-cell table:style-name=\"Group%d\" "
                         "table:number-columns-spanned=\"%d\" office:value-type=\"string\">"
                         "<text:p text:style-name=\"Group_20_Text\">",
               level <= 1 ? 1 : 2, o->n_cols);
    xml_escape(&o->body, text);
    buf_puts(&o->body, "</text:p></table:table-cell>");
    for (int k = 1; k < o->n_cols; k++)
        buf_puts(&o->body, "<table:covered-table-cell/>");
    buf_puts(&o->body, "</table:table-row>");
}

static void o_table_row(void *ctx, const struct doc_cell *cells)
{
    struct odt *o = ctx;
    buf_puts(&o->body, "<table:table-row>");
    for (int k = 0; k < o->n_cols; k++) {
        const struct doc_cell *c = &cells[k];
        if (c->is_status) {
            const char *key = status_key(c->status);
            bool dark = !(c->status == ST_DONE || c->status == ST_REFLECTION ||
                          c->status == ST_NONE);
            buf_printf(&o->body,
                       "<table:table-cell table:style-name=\"St_%h\" office:value-type="
                       "\"string\"><text:p text:style-name=\"%s\">",
                       key ? key : "none", dark ? "Status_20_Light" : "Status_20_Dark");
        } else {
            buf_puts(&o->body, "<table:table-cell table:style-name=\"Cell\" office:value-type="
                               "\"string\"><text:p text:style-name=\"Table_20_Contents\">");
        }
        xml_text(&o->body, c->text);
        buf_puts(&o->body, "</text:p></table:table-cell>");
    }
    buf_puts(&o->body, "</table:table-row>");
}

static void o_table_end(void *ctx)
{
    struct odt *o = ctx;
    buf_puts(&o->body, "</table:table>");
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
    buf_append(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The chart as a PNG at twice its size (sharp when printed); false when it cannot be drawn. */
static bool chart_png(const char *svg, struct buf *png, double *w, double *h)
{
    GError *e = NULL;
    RsvgHandle *hd = rsvg_handle_new_from_data((const guint8 *)svg, strlen(svg), &e);
    if (!hd) {
        g_clear_error(&e);
        return false;
    }
    if (!rsvg_handle_get_intrinsic_size_in_pixels(hd, w, h) || *w <= 0 || *h <= 0 ||
        *w > 4000 || *h > 8000) {
        g_object_unref(hd);
        return false;
    }
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)(*w * 2), (int)(*h * 2));
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    RsvgRectangle vp = {0, 0, *w * 2, *h * 2};
    bool ok = rsvg_handle_render_document(hd, cr, &vp, &e);
    g_clear_error(&e);
    cairo_destroy(cr);
    ok = ok && cairo_surface_write_to_png_stream(s, collect, png) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    g_object_unref(hd);
    return ok;
}

static void o_chart(void *ctx, const char *svg, const char *title)
{
    struct odt *o = ctx;
    close_lists(o, 0);
    double w, h;
    if (o->n_pictures == MAX_PICTURES)
        return;
    struct picture *p = &o->pictures[o->n_pictures];
    *p = (struct picture){0};
    if (!chart_png(svg, &p->png, &w, &h)) {
        buf_free(&p->png);
        o_paragraph(o, DOC_NOTE, "(graphique indisponible)");
        return;
    }
    snprintf(p->name, sizeof p->name, "Pictures/chart%d.png", ++o->n_pictures);
    double wcm = 17.0, hcm = 17.0 * h / w;
    buf_printf(
        &o->body,
        "<text:p text:style-name=\"Figure\"><draw:frame "
        "draw:name=\"Graphique%d\" text:anchor-type=\"as-char\" svg:width=\"%.2fcm\" svg:height=\"%.2fcm\" "
        "draw:z-index=\"0\"><draw:image xlink:href=\"%h\" xlink:type=\"simple\" "
        "xlink:show=\"embed\" xlink:actuate=\"onLoad\"/><svg:title>",
        o->n_pictures, wcm, hcm, p->name);
    xml_escape(&o->body, title);
    buf_puts(&o->body, "</svg:title></draw:frame></text:p>");
}

static const struct doc_ops odt_ops = {
    o_title,       o_heading,     o_paragraph, o_field,     o_list, o_markdown,
    o_table_begin, o_table_group, o_table_row, o_table_end, o_chart,
};

/* ---- the package --------------------------------------------------------------------------- */

#define NS                                                                                     \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                      \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "                        \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                          \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                        \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "                       \
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "               \
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "                                           \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                          \
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "                          \
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "                 \
    "office:version=\"1.3\""

#define FONTS                                                                                  \
    "<office:font-face-decls><style:font-face style:name=\"DejaVu Sans\" "                    \
    "svg:font-family=\"'DejaVu Sans'\" style:font-family-generic=\"swiss\" "                  \
    "style:font-pitch=\"variable\"/><style:font-face style:name=\"DejaVu Sans Mono\" "        \
    "svg:font-family=\"'DejaVu Sans Mono'\" style:font-family-generic=\"modern\" "            \
    "style:font-pitch=\"fixed\"/></office:font-face-decls>"

/* A paragraph style: name, parent, then its properties' attributes. */
static void pstyle(struct buf *b, const char *name, const char *outline_xml, const char *para_xml,
                   const char *textp_xml)
{
    buf_printf(b,
               "<style:style style:name=\"%h\" style:family=\"paragraph\" "
               "style:parent-style-name=\"Standard\"%s>",
               name, outline_xml);
    if (*para_xml)
        buf_printf(b, "<style:paragraph-properties %s/>", para_xml);
    if (*textp_xml)
        buf_printf(b, "<style:text-properties %s/>", textp_xml);
    buf_puts(b, "</style:style>");
}

static void styles_xml(struct buf *b, const char *footer)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-styles " NS ">" FONTS
                "<office:styles><style:default-style style:family=\"paragraph\">"
                "<style:text-properties style:font-name=\"DejaVu Sans\" fo:font-size=\"10pt\" "
                "fo:language=\"fr\" fo:country=\"FR\"/></style:default-style>"
                "<style:style style:name=\"Standard\" style:family=\"paragraph\">"
                "<style:text-properties style:font-name=\"DejaVu Sans\" fo:font-size=\"10pt\"/>"
                "</style:style>");
    pstyle(b, "Text_20_body", " style:display-name=\"Text body\"",
           "fo:margin-top=\"0cm\" fo:margin-bottom=\"0.18cm\"", "");
    pstyle(b, "Note", "", "fo:margin-bottom=\"0.18cm\"",
           "fo:font-style=\"italic\" fo:color=\"#5a5a5a\"");
    pstyle(b, "Field", "", "fo:margin-bottom=\"0.08cm\"", "");
    pstyle(b, "Title", "", "fo:margin-top=\"1cm\" fo:margin-bottom=\"0.2cm\"",
           "fo:font-size=\"22pt\" fo:font-weight=\"bold\" fo:color=\"#0b3b66\"");
    pstyle(b, "Subtitle", "", "fo:margin-bottom=\"0.8cm\"",
           "fo:font-size=\"13pt\" fo:color=\"#0b3b66\"");
    for (int level = 1; level <= 4; level++) {
        static const char *const sizes[5] = {"", "15pt", "12.5pt", "11pt", "10.5pt"};
        char outline[96], textp[128];
        snprintf(outline, sizeof outline, " style:display-name=\"Heading %d\" "
                                          "style:default-outline-level=\"%d\"",
                 level, level);
        snprintf(textp, sizeof textp, "fo:font-size=\"%s\" fo:font-weight=\"bold\" "
                                      "fo:color=\"#0b3b66\"",
                 sizes[level]);
        char name[24];
        snprintf(name, sizeof name, "Heading_20_%d", level);
        pstyle(b, name, level <= 3 ? outline : "",
               "fo:margin-top=\"0.42cm\" fo:margin-bottom=\"0.2cm\" fo:keep-with-next=\"always\"",
               textp);
    }
    pstyle(b, "Contents_20_Heading", " style:display-name=\"Contents Heading\"",
           "fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.2cm\"",
           "fo:font-size=\"14pt\" fo:font-weight=\"bold\"");
    pstyle(b, "Contents_20_1", " style:display-name=\"Contents 1\"", "fo:margin-top=\"0.1cm\"",
           "fo:font-weight=\"bold\"");
    pstyle(b, "Contents_20_2", " style:display-name=\"Contents 2\"",
           "fo:margin-left=\"0.6cm\"", "");
    pstyle(b, "List_20_Paragraph", " style:display-name=\"List Paragraph\"",
           "fo:margin-bottom=\"0.08cm\"", "");
    pstyle(b, "Quotations", "", "fo:margin-left=\"1cm\" fo:margin-bottom=\"0.18cm\"",
           "fo:font-style=\"italic\"");
    pstyle(b, "Preformatted_20_Text", " style:display-name=\"Preformatted Text\"",
           "fo:margin-bottom=\"0.18cm\"",
           "style:font-name=\"DejaVu Sans Mono\" fo:font-size=\"9pt\"");
    pstyle(b, "Caption", "", "fo:margin-top=\"0.2cm\" fo:keep-with-next=\"always\"",
           "fo:font-weight=\"bold\" fo:font-size=\"9.5pt\"");
    pstyle(b, "Figure", "", "fo:margin-top=\"0.3cm\" fo:margin-bottom=\"0.3cm\"", "");
    pstyle(b, "Table_20_Heading", " style:display-name=\"Table Heading\"", "",
           "fo:font-size=\"8.5pt\" fo:font-weight=\"bold\"");
    pstyle(b, "Table_20_Contents", " style:display-name=\"Table Contents\"", "",
           "fo:font-size=\"8.5pt\"");
    pstyle(b, "Group_20_Text", "", "fo:keep-with-next=\"always\"",
           "fo:font-size=\"8.5pt\" fo:font-weight=\"bold\"");
    pstyle(b, "Status_20_Light", "", "", "fo:font-size=\"8.5pt\" fo:font-weight=\"bold\" "
                                         "fo:color=\"#ffffff\"");
    pstyle(b, "Status_20_Dark", "", "", "fo:font-size=\"8.5pt\" fo:font-weight=\"bold\" "
                                        "fo:color=\"#000000\"");
    pstyle(b, "Footer", "", "", "fo:font-size=\"8pt\" fo:color=\"#5a5a5a\"");
    static const char *const spans_xml[][2] = {
        {"Bold", "fo:font-weight=\"bold\""},
        {"Italic", "fo:font-style=\"italic\""},
        {"BoldItalic", "fo:font-weight=\"bold\" fo:font-style=\"italic\""},
        {"Code", "style:font-name=\"DejaVu Sans Mono\""},
    };
    for (size_t i = 0; i < sizeof spans_xml / sizeof spans_xml[0]; i++)
        buf_printf(b,
                   "<style:style style:name=\"%h\" style:family=\"text\">"
                   "<style:text-properties %s/></style:style>",
                   spans_xml[i][0], spans_xml[i][1]);
    for (int list = 0; list < 2; list++) {
        buf_printf(b, "<text:list-style style:name=\"%s\">", list ? "Numbers" : "Bullets");
        for (int level = 1; level <= 10; level++) {
            if (list)
                buf_printf(b, "<text:list-level-style-number text:level=\"%d\" "
                              "style:num-suffix=\".\" style:num-format=\"1\">",
                           level);
            else
                buf_printf(b, "<text:list-level-style-bullet text:level=\"%d\" "
                              "text:bullet-char=\"%s\">",
                           level, level % 2 ? "•" : "◦");
            buf_printf(b, "<style:list-level-properties text:list-level-position-and-space-mode="
                          "\"label-alignment\"><style:list-level-label-alignment "
                          "text:label-followed-by=\"listtab\" text:list-tab-stop-position="
                          "\"%.2fcm\" fo:text-indent=\"-0.5cm\" fo:margin-left=\"%.2fcm\"/>"
                          "</style:list-level-properties>%s",
                       0.6 * level + 0.1, 0.6 * level + 0.1,
                       list ? "</text:list-level-style-number>"
                            : "</text:list-level-style-bullet>");
        }
        buf_puts(b, "</text:list-style>");
    }
    buf_puts(b, "</office:styles><office:automatic-styles>"
                "<style:page-layout style:name=\"A4\"><style:page-layout-properties "
                "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" style:print-orientation="
                "\"portrait\" fo:margin-top=\"1.8cm\" fo:margin-bottom=\"1.4cm\" "
                "fo:margin-left=\"2cm\" fo:margin-right=\"2cm\"/><style:footer-style>"
                "<style:header-footer-properties fo:min-height=\"0.6cm\" fo:margin-top=\"0.3cm\"/>"
                "</style:footer-style></style:page-layout></office:automatic-styles>"
                "<office:master-styles><style:master-page style:name=\"Standard\" "
                "style:page-layout-name=\"A4\"><style:footer><text:p text:style-name=\"Footer\">");
    xml_escape(b, footer);
    buf_puts(b, " — page <text:page-number text:select-page=\"current\">1</text:page-number> / "
                "<text:page-count>1</text:page-count></text:p></style:footer></style:master-page>"
                "</office:master-styles></office:document-styles>");
}

/* Cell styles: plain, header, groups and one per status with its colour. */
static void cell_styles(struct buf *b)
{
    static const char border_xml[] = "fo:border=\"0.5pt solid #999999\" fo:padding=\"0.08cm\"";
    buf_printf(b,
               "<style:style style:name=\"Cell\" style:family=\"table-cell\">"
               "<style:table-cell-properties %s/></style:style>"
               "<style:style style:name=\"Head\" style:family=\"table-cell\">"
               "<style:table-cell-properties fo:background-color=\"#e8eef4\" %s/>"
               "</style:style><style:style style:name=\"Group1\" style:family=\"table-cell\">"
               "<style:table-cell-properties fo:background-color=\"#cfd8e3\" %s/>"
               "</style:style><style:style style:name=\"Group2\" style:family=\"table-cell\">"
               "<style:table-cell-properties fo:background-color=\"#eef1f5\" %s/>"
               "</style:style>",
               border_xml, border_xml, border_xml, border_xml);
    for (int s = -1; s < ST_COUNT; s++) {
        const char *key = status_key((enum status)s);
        buf_printf(b,
                   "<style:style style:name=\"St_%h\" style:family=\"table-cell\">"
                   "<style:table-cell-properties fo:background-color=\"%h\" %s/>"
                   "</style:style>",
                   key ? key : "none", svg_status_colour((enum status)s), border_xml);
    }
}

static void content_xml(struct buf *b, struct odt *o)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " NS ">" FONTS
                "<office:automatic-styles>");
    cell_styles(b);
    buf_append(b, o->styles.p ? o->styles.p : "", o->styles.len);
    buf_puts(b, "<style:style style:name=\"Sect1\" style:family=\"section\"/>"
                "</office:automatic-styles><office:body><office:text>"
                "<text:p text:style-name=\"Title\">");
    xml_escape(b, o->title);
    buf_puts(b, "</text:p><text:p text:style-name=\"Subtitle\">");
    xml_escape(b, o->subtitle);
    buf_puts(b, "</text:p><text:table-of-content text:style-name=\"Sect1\" text:name=\"Sommaire\">"
                "<text:table-of-content-source text:outline-level=\"2\">"
                "<text:index-title-template text:style-name=\"Contents_20_Heading\">Sommaire"
                "</text:index-title-template>");
    for (int level = 1; level <= 2; level++)
        buf_printf(b, "<text:table-of-content-entry-template text:outline-level=\"%d\" "
                      "text:style-name=\"Contents_20_%d\"><text:index-entry-chapter/>"
                      "<text:index-entry-text/><text:index-entry-tab-stop style:type=\"right\" "
                      "style:leader-char=\".\"/><text:index-entry-page-number/>"
                      "</text:table-of-content-entry-template>",
                   level, level);
    buf_puts(b, "</text:table-of-content-source><text:index-body><text:index-title "
                "text:style-name=\"Sect1\" text:name=\"Sommaire_Head\"><text:p text:style-name="
                "\"Contents_20_Heading\">Sommaire</text:p></text:index-title>");
    buf_append(b, o->toc.p ? o->toc.p : "", o->toc.len);
    buf_puts(b, "</text:index-body></text:table-of-content>");
    buf_append(b, o->body.p ? o->body.p : "", o->body.len);
    buf_puts(b, "</office:text></office:body></office:document-content>");
}

static void meta_xml(struct buf *b, const char *title)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-meta " NS
                "><office:meta><meta:generator>Boussole</meta:generator><dc:title>");
    xml_escape(b, title);
    buf_puts(b, "</dc:title><dc:language>fr-FR</dc:language></office:meta>"
                "</office:document-meta>");
}

static void manifest_xml(struct buf *b, const struct odt *o)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest="
                "\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
                "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" "
                "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
                "<manifest:file-entry manifest:full-path=\"content.xml\" "
                "manifest:media-type=\"text/xml\"/><manifest:file-entry manifest:full-path="
                "\"styles.xml\" manifest:media-type=\"text/xml\"/><manifest:file-entry "
                "manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>");
    for (int i = 0; i < o->n_pictures; i++)
        buf_printf(b,
                   "<manifest:file-entry manifest:full-path=\"%h\" manifest:media-type="
                   "\"image/png\"/>",
                   o->pictures[i].name);
    buf_puts(b, "</manifest:manifest>");
}

/* Adds one member; the zip reads data when it is closed (data must live until then). */
static bool add(zip_t *z, const char *name, const struct buf *data, bool store)
{
    zip_source_t *src = zip_source_buffer(z, data->p ? data->p : "", data->len, 0);
    if (!src)
        return false;
    zip_int64_t idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        return false;
    }
    zip_set_file_compression(z, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    return true;
}

/* Zips the members into out. */
static bool package(struct odt *o, const struct buf *content, const struct buf *styles,
                    const struct buf *meta, const struct buf *manifest, struct buf *out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
    if (!z) {
        if (mem)
            zip_source_free(mem);
        zip_error_fini(&ze);
        return false;
    }
    zip_source_keep(mem);
    static const struct buf mimetype = {(char *)"application/vnd.oasis.opendocument.text", 39,
                                        40};
    bool ok = add(z, "mimetype", &mimetype, true) && add(z, "content.xml", content, false) &&
              add(z, "styles.xml", styles, false) && add(z, "meta.xml", meta, false);
    for (int i = 0; ok && i < o->n_pictures; i++)
        ok = add(z, o->pictures[i].name, &o->pictures[i].png, true);
    ok = ok && add(z, "META-INF/manifest.xml", manifest, false);
    if (!ok || zip_close(z) != 0) {
        zip_discard(z);
        zip_source_free(mem);
        zip_error_fini(&ze);
        return false;
    }
    zip_stat_t st;
    ok = zip_source_open(mem) == 0;
    if (ok && zip_source_stat(mem, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
        size_t start = out->len;
        char chunk[65536];
        zip_int64_t n;
        while ((n = zip_source_read(mem, chunk, sizeof chunk)) > 0)
            buf_append(out, chunk, (size_t)n);
        ok = n == 0 && out->len - start == st.size;
        zip_source_close(mem);
    } else if (ok) {
        zip_source_close(mem);
        ok = false;
    }
    zip_source_free(mem);
    zip_error_fini(&ze);
    return ok;
}

int odt_render(const struct odt_options *opt, odt_content_fn content, void *user,
               struct buf *out, char *err, size_t errlen)
{
    struct odt o = {0};
    content(user, &odt_ops, &o);
    close_lists(&o, 0);
    struct buf c = {0}, s = {0}, m = {0}, mf = {0};
    content_xml(&c, &o);
    styles_xml(&s, opt->footer ? opt->footer : "");
    meta_xml(&m, opt->title ? opt->title : "");
    manifest_xml(&mf, &o);
    size_t before = out->len;
    bool ok = package(&o, &c, &s, &m, &mf, out);
    if (!ok) {
        out->len = before;
        if (out->p)
            out->p[before] = '\0';
        snprintf(err, errlen, "le document ODT n'a pas pu être écrit");
    }
    buf_free(&c);
    buf_free(&s);
    buf_free(&m);
    buf_free(&mf);
    buf_free(&o.body);
    buf_free(&o.styles);
    buf_free(&o.toc);
    for (int i = 0; i < o.n_pictures; i++)
        buf_free(&o.pictures[i].png);
    free(o.title);
    free(o.subtitle);
    return ok ? ERR_OK : ERR_IO;
}
