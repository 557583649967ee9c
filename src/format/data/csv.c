/* csv.c — CSV reading on top of libcsv and RFC 4180 writing. Must not know what the columns
 * mean: the tracking table's layout lives with the import and export code.
 * printf-text: builds CSV and plain-text error messages, no markup. */
#include "format/data/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct building {
    struct arena *a;
    struct csv_table *t;
    int cap_rows;
    char **fields;
    int n_fields, cap_fields;
    int record;     /* records seen so far, blank ones included */
    int prev_end;   /* the character that ended the previous record (-1 at the end) */
    int n_bad;      /* fields that are not valid UTF-8 */
    struct buf bad; /* their messages, one a line (the first MAX_BAD) */
};

enum { MAX_BAD = 50 };

/* "A" for column 0, … "Z", "AA": the column letter a spreadsheet shows. */
static void column_letter(int column, char out[8])
{
    char rev[8];
    int n = 0;
    for (int c = column + 1; c > 0 && n < 7; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

static void on_field(void *s, size_t len, void *data)
{
    struct building *b = data;
    if (len && (!utf8_valid(s, len) || memchr(s, '\0', len))) {
        if (b->n_bad++ < MAX_BAD) {
            char letter[8];
            column_letter(b->n_fields, letter);
            buf_printf(&b->bad, "%sline %d, column %s: texte qui n'est pas en UTF-8 valide "
                       "(enregistrez le fichier en « CSV UTF-8 »)", b->bad.len ? "\n" : "",
                       b->record + 1, letter);
        }
        s = NULL, len = 0; /* keeps the column count right for the next messages */
    }
    if (b->n_fields == b->cap_fields) {
        b->cap_fields = b->cap_fields ? b->cap_fields * 2 : 16;
        b->fields = xrealloc(b->fields, sizeof *b->fields * (size_t)b->cap_fields);
    }
    b->fields[b->n_fields++] = arena_strndup(b->a, s ? s : "", s ? len : 0);
}

/* With CSV_REPALL_NL libcsv also reports the line ends outside records, with no field: a blank
 * line counts as a record (a spreadsheet shows it as a row), the LF of a CRLF does not. */
static void on_record(int c, void *data)
{
    struct building *b = data;
    int prev = b->prev_end;
    b->prev_end = c;
    if (b->n_fields == 0) {
        if (!(c == '\n' && prev == '\r'))
            b->record++;
        return;
    }
    b->record++;
    int blank = 1;
    for (int i = 0; i < b->n_fields && blank; i++)
        blank = str_blank(b->fields[i]);
    if (!blank && !b->n_bad) {
        struct csv_table *t = b->t;
        if (t->n_rows == b->cap_rows) {
            int cap = b->cap_rows ? b->cap_rows * 2 : 64;
            struct csv_row *rows = arena_alloc(b->a, sizeof *rows * (size_t)cap);
            if (t->n_rows)
                memcpy(rows, t->rows, sizeof *rows * (size_t)t->n_rows);
            t->rows = rows;
            b->cap_rows = cap;
        }
        struct csv_row *row = &t->rows[t->n_rows++];
        row->line = b->record;
        row->n = b->n_fields;
        row->fields = arena_alloc(b->a, sizeof *row->fields * (size_t)(b->n_fields + 1));
        memcpy(row->fields, b->fields, sizeof *row->fields * (size_t)b->n_fields);
    }
    b->n_fields = 0;
}

/* ';' when the first record has more semicolons than commas outside quotes (French Excel). */
static char detect_separator(const char *s, size_t len)
{
    int commas = 0, semis = 0, quoted = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
            break;
        else if (!quoted && s[i] == ',')
            commas++;
        else if (!quoted && s[i] == ';')
            semis++;
    }
    return semis > commas ? ';' : ',';
}

int csv_parse_text(const char *data, size_t len, struct arena *a, struct csv_table *out,
                   char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    out->sep = detect_separator(data, len);
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        snprintf(err, errlen, "mémoire insuffisante pour lire le fichier");
        return ERR_INVALID;
    }
    csv_set_delim(&p, (unsigned char)out->sep);
    struct building b = {.a = a, .t = out};
    size_t done = csv_parse(&p, data, len, on_field, on_record, &b);
    int rc = ERR_OK;
    if (done != len || csv_fini(&p, on_field, on_record, &b) != 0) {
        /* libcsv stops on the faulty field: its record and column are the current ones. */
        char letter[8];
        column_letter(b.n_fields, letter);
        snprintf(err, errlen, "line %d, column %s: guillemets mal fermés, guillemet dans un "
                 "champ sans guillemets ou caractère après un guillemet fermant",
                 b.record + 1, letter);
        rc = ERR_INVALID;
    } else if (b.n_bad) {
        if (b.n_bad > MAX_BAD)
            buf_printf(&b.bad, "\n… et %d autres champs qui ne sont pas en UTF-8 valide",
                       b.n_bad - MAX_BAD);
        size_t keep = b.bad.len;
        while (keep >= errlen) { /* whole messages only */
            const char *nl = memrchr(b.bad.p, '\n', keep);
            keep = nl ? (size_t)(nl - b.bad.p) : 0;
        }
        snprintf(err, errlen, "%.*s", (int)keep, buf_cstr(&b.bad));
        rc = ERR_INVALID;
    }
    csv_free(&p);
    free(b.fields);
    buf_free(&b.bad);
    return rc;
}

int csv_read_file(const char *path, struct arena *a, struct csv_table *out, char *err,
                  size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return ERR_IO;
    }
    struct buf content = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&content, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, errlen, "%s: lecture impossible", path);
        buf_free(&content);
        return ERR_IO;
    }
    int rc = csv_parse_text(buf_cstr(&content), content.len, a, out, err, errlen);
    buf_free(&content);
    return rc;
}

int csv_column(const struct csv_table *t, const char *name)
{
    if (t->n_rows == 0)
        return -1;
    for (int i = 0; i < t->rows[0].n; i++)
        if (strcmp(t->rows[0].fields[i], name) == 0)
            return i;
    return -1;
}

const char *csv_field(const struct csv_row *row, int col)
{
    return col >= 0 && col < row->n ? row->fields[col] : "";
}

/* Quotes a field that starts or ends with a blank too: libcsv drops such blanks from unquoted
 * fields, and the text must come back as it was written. */
static void put_field(struct buf *b, const char *s, char sep)
{
    size_t n = s ? strlen(s) : 0;
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t') &&
        !strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
        buf_putc(b, '"');
        buf_append(b, s, n);
        buf_putc(b, '"');
        return;
    }
    buf_csv_field(b, s, sep);
}

static void write_row(struct buf *b, const char *const *fields, int n, char sep, bool raw)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(b, sep);
        if (!raw && str_formula_lead(fields[i])) {
            /* A title "=HYPERLINK(…)" or "@SUM(…)" would run in the reader's spreadsheet. */
            struct buf quoted = {0};
            buf_putc(&quoted, '\'');
            buf_puts(&quoted, fields[i]);
            put_field(b, buf_cstr(&quoted), sep);
            buf_free(&quoted);
        } else {
            put_field(b, fields[i], sep);
        }
    }
    buf_puts(b, "\r\n");
}

void csv_write_row(struct buf *b, const char *const *fields, int n, char sep)
{
    write_row(b, fields, n, sep, false);
}

void csv_write_row_raw(struct buf *b, const char *const *fields, int n, char sep)
{
    write_row(b, fields, n, sep, true);
}
