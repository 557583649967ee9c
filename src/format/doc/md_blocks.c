/* md_blocks.c — reads the Markdown of narrative texts with cmark and hands its blocks, as runs
 * of plain text with bold / italic / code flags, to the document formats of doc.h. Must not
 * produce any output format itself, and never passes raw HTML or a javascript: link through. */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/str.h"
#include "format/doc/doc.h"

enum { MAX_DEPTH = 16 };

struct walker {
    struct arena a; /* the runs of the block being built; freed after each block */
    struct md_run *runs;
    int n, cap;
    unsigned flags;
    const char *href;
    int list_depth, quote_depth;
    int item_index[MAX_DEPTH + 1]; /* next number of each ordered list level, 0: bullets */
    bool item_first;               /* the next paragraph is the first of its item */
    char bullet[24];
    void (*block)(void *ctx, const struct md_block *b);
    void *ctx;
};

static void add_run(struct walker *w, const char *text, unsigned flags)
{
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 16;
        struct md_run *r = arena_alloc(&w->a, sizeof *r * (size_t)cap);
        if (w->n)
            memcpy(r, w->runs, sizeof *r * (size_t)w->n);
        w->runs = r;
        w->cap = cap;
    }
    w->runs[w->n++] = (struct md_run){arena_strdup(&w->a, text ? text : ""), flags, w->href};
}

static void emit(struct walker *w, enum md_kind kind, int level)
{
    if (w->n > 0 || kind == MD_PRE) {
        struct md_block b = {kind, level, "", w->runs, w->n};
        if (kind == MD_ITEM) {
            b.bullet = w->item_first ? w->bullet : "";
            w->item_first = false;
        }
        w->block(w->ctx, &b);
    }
    /* The link being read keeps its target across blocks only while it is open. */
    char *href = w->href ? xstrdup(w->href) : NULL;
    arena_free(&w->a);
    w->href = href ? arena_strdup(&w->a, href) : NULL;
    free(href);
    w->runs = NULL;
    w->n = w->cap = 0;
}

/* Only links a reader can follow safely keep their target. */
static const char *safe_href(struct walker *w, const char *url)
{
    if (!url)
        return NULL;
    if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0 ||
        strncmp(url, "mailto:", 7) == 0)
        return arena_strdup(&w->a, url);
    return NULL;
}

static void enter(struct walker *w, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_LIST:
        if (w->list_depth < MAX_DEPTH)
            w->list_depth++;
        w->item_index[w->list_depth] =
            cmark_node_get_list_type(node) == CMARK_ORDERED_LIST ? cmark_node_get_list_start(node)
                                                                 : 0;
        break;
    case CMARK_NODE_ITEM: {
        int k = w->item_index[w->list_depth];
        if (k > 0) {
            snprintf(w->bullet, sizeof w->bullet, "%d.", k);
            w->item_index[w->list_depth] = k + 1;
        } else {
            snprintf(w->bullet, sizeof w->bullet, "%s", w->list_depth % 2 ? "•" : "◦");
        }
        w->item_first = true;
        break;
    }
    case CMARK_NODE_BLOCK_QUOTE: w->quote_depth++; break;
    case CMARK_NODE_TEXT: add_run(w, cmark_node_get_literal(node), w->flags); break;
    case CMARK_NODE_CODE: add_run(w, cmark_node_get_literal(node), w->flags | MD_CODE); break;
    case CMARK_NODE_HTML_INLINE: add_run(w, cmark_node_get_literal(node), w->flags); break;
    case CMARK_NODE_SOFTBREAK: add_run(w, " ", w->flags); break;
    case CMARK_NODE_LINEBREAK: add_run(w, "", MD_BREAK); break;
    case CMARK_NODE_EMPH: w->flags |= MD_ITALIC; break;
    case CMARK_NODE_STRONG: w->flags |= MD_BOLD; break;
    case CMARK_NODE_LINK: w->href = safe_href(w, cmark_node_get_url(node)); break;
    case CMARK_NODE_IMAGE: add_run(w, "[image : ", w->flags); break;
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_HTML_BLOCK: {
        /* Kept as text: a reader sees what was typed, nothing is interpreted. */
        const char *lit = cmark_node_get_literal(node);
        size_t len = lit ? strlen(lit) : 0;
        while (len && lit[len - 1] == '\n')
            len--;
        char *t = arena_strndup(&w->a, lit ? lit : "", len);
        add_run(w, t, MD_CODE);
        emit(w, MD_PRE, 0);
        break;
    }
    default: break;
    }
}

static void leave(struct walker *w, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
        if (w->list_depth > 0)
            emit(w, MD_ITEM, w->list_depth);
        else
            emit(w, w->quote_depth ? MD_QUOTE : MD_PARAGRAPH, 0);
        break;
    case CMARK_NODE_HEADING: emit(w, MD_HEADING, cmark_node_get_heading_level(node)); break;
    case CMARK_NODE_LIST:
        if (w->list_depth > 0)
            w->list_depth--;
        break;
    case CMARK_NODE_BLOCK_QUOTE: w->quote_depth--; break;
    case CMARK_NODE_EMPH: w->flags &= ~(unsigned)MD_ITALIC; break;
    case CMARK_NODE_STRONG: w->flags &= ~(unsigned)MD_BOLD; break;
    case CMARK_NODE_LINK: w->href = NULL; break;
    case CMARK_NODE_IMAGE: add_run(w, "]", w->flags); break;
    default: break;
    }
}

void md_walk(const char *markdown, void (*block)(void *ctx, const struct md_block *b), void *ctx)
{
    if (!markdown || !*markdown)
        return;
    struct walker w = {.block = block, .ctx = ctx};
    cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_VALIDATE_UTF8);
    if (!doc)
        return;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER)
            enter(&w, node);
        else if (ev == CMARK_EVENT_EXIT)
            leave(&w, node);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    arena_free(&w.a);
}

char *md_plain(const struct md_block *b)
{
    struct buf out = {0};
    for (int i = 0; i < b->n_runs; i++) {
        if (b->runs[i].flags & MD_BREAK)
            buf_putc(&out, '\n');
        else
            buf_puts(&out, b->runs[i].text);
    }
    char *s = xstrdup(buf_cstr(&out));
    buf_free(&out);
    return s;
}
