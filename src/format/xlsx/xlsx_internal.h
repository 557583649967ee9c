/* xlsx_internal.h — what the parts of the .xlsx reader share: the read under way with its
 * memory budget (xlsx_zip.c), the parsed parts (shared strings and styles in xlsx_read.c, the
 * sheet's grid in xlsx_sheet.c). Only those files include it. */
#ifndef FORMAT_XLSX_INTERNAL_H
#define FORMAT_XLSX_INTERNAL_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <zip.h>

#include "base/str.h"
#include "format/xlsx/xlsx.h"

/* What malloc adds to each block: counted so that many small blocks cost what they really do. */
enum { OVERHEAD = 16, SMALL_PART = 1 << 20 };

struct reader {
    zip_t *z;
    char *err;
    size_t errlen;
    bool failed;
    size_t mem, peak; /* bytes held now (as counted by xr_charge) and at most */
    size_t inflated;  /* bytes of XML read so far, all parts together */
};

/* Every handler's user data starts with the reader and the parser (see no_doctype). */
struct base {
    struct reader *r;
    XML_Parser p;
};

/* Where the parts come from: the zip by member name, or XML in memory (xlsx_read_xml). */
struct source {
    const char *name[3]; /* shared strings, styles, sheet: NULL when the workbook has none */
    const char *xml[3];  /* in memory: the bytes, NULL in a zip */
    size_t len[3];
};
enum { PART_SHARED, PART_STYLES, PART_SHEET };

/* ---- shared strings and styles ------------------------------------------------------------ */

struct strings {
    struct base b;
    char **s;
    int n, cap;
    struct buf cur;
    bool in_si, in_t;
    int skip;     /* depth inside <rPh> (phonetic runs: not part of the text) */
    size_t total; /* bytes of text of all strings */
};

struct styles {
    struct base b;
    int *fmt; /* numFmtId of each cellXfs entry */
    int n, cap;
    int custom[64]; /* custom date format ids */
    int n_custom;
    bool in_xfs;
};

/* True when a number format code shows a date: d, m or y outside quotes and brackets. */
/* ---- the sheet ----------------------------------------------------------------------------- */

struct cell {
    int col, seq; /* seq: order of arrival in the row, so that sorting keeps it */
    char *text;
};

/* A row's cells: appended as they come, sorted by column (duplicates resolved) by
 * sheet_sort; n_sorted cells are sorted and searchable. */
struct srow {
    struct cell *cells;
    int n, cap, n_sorted;
    bool sorted; /* still in strictly increasing column order */
};

struct merge {
    int r0, c0, r1, c1;
};

struct sheet {
    struct base b;
    const struct strings *ss;
    const struct styles *st;
    bool date1904;
    struct srow *rows; /* by row index (0-based) */
    int n_rows, cap_rows;
    int row, col; /* current row, last column read */
    int n_cells;  /* <c> elements seen */
    char type[16];
    int style;
    bool in_v, in_is_t, has_f, has_v, in_cell;
    struct buf v;
    char ref[24];
    struct merge *merges;
    int n_merges, cap_merges, seen_merges;
};

/* ---- the read under way and its budget (xlsx_zip.c) ---------------------------------------- */

/* The read under way on this thread, for expat's memory suite (which has no user pointer): set
 * by each public function for its duration only. */
extern _Thread_local struct reader *xr_xml_reader;

/* The local part of a (possibly prefixed) XML name: "x:row" → "row". */
const char *xr_local(const char *name);
const char *xr_attr(const char **atts, const char *name);
/* 1048576 → "1 048 576", as French text writes numbers (out has room for any long long). */
const char *xr_fr_num(char out[32], long long v);
/* A plain decimal number (digits only) → its value, saturated at 10^9; -1 when s is empty or
 * not only digits. */
long xr_uint_value(const char *s);
void xr_fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Counts n more bytes against the read's memory budget; false (the read failed) beyond it. */
bool xr_charge(struct reader *r, size_t n);
void xr_refund(struct reader *r, size_t n);
/* Room for one more element in an array of *cap elements of size sz holding n: the array
 * (moved or not), or NULL (the read failed, p untouched) over the budget. */
void *xr_grow(struct reader *r, void *p, int *cap, int n, size_t sz, int first);
/* A counted copy of s (n bytes); NULL over the budget. */
char *xr_dup_counted(struct reader *r, const char *s, size_t n);
/* Appends to a buffer of the reader, its growth counted. */
bool xr_buf_add(struct reader *r, struct buf *b, const char *s, size_t n);
/* Stops the parser once the read failed (a limit reached in a handler); true if it did. */
bool xr_stop(struct base *b);
/* Parses part which of src with a new parser; false with a message on any failure. */
bool xr_parse_source(struct reader *r, const struct source *src, int which, void *ud,
                     XML_StartElementHandler start, XML_EndElementHandler end,
                     XML_CharacterDataHandler text, bool required);
/* Opens the zip after checking what the bytes are. */
bool xr_open_zip(struct reader *r, const char *data, size_t len, zip_source_t **src);
/* Gives memory freed by a big read back to the system. */
void xr_give_back(const struct reader *r);

/* ---- styles (xlsx_read.c) ------------------------------------------------------------------ */

bool xr_is_date_style(const struct styles *s, int xf);

/* ---- the sheet (xlsx_sheet.c) -------------------------------------------------------------- */

void XMLCALL xr_sh_start(void *ud, const XML_Char *name, const XML_Char **atts);
void XMLCALL xr_sh_end(void *ud, const XML_Char *name);
void XMLCALL xr_sh_text(void *ud, const XML_Char *t, int len);
void xr_sheet_sort(struct sheet *s, bool keep_last);
/* Fills each merged range with its top-left value. */
void xr_apply_merges(struct sheet *s);
/* Copies the non-blank rows into t (arena), cells in column order. */
bool xr_to_table(struct sheet *s, struct arena *a, struct csv_table *t);
void xr_sheet_free(struct sheet *s);

#endif
