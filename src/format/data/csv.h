/* csv.h — CSV in (libcsv, RFC 4180, comma or semicolon, optional UTF-8 BOM) and out. */
#ifndef OUT_CSV_H
#define OUT_CSV_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"

struct csv_row {
    int line; /* 1-based record number, the header being line 1 (the row a spreadsheet shows) */
    int n;
    char **fields; /* NUL-terminated UTF-8, in the arena */
};

struct csv_table {
    char sep; /* ',' or ';' as detected */
    int n_rows;
    struct csv_row *rows; /* rows[0] is the header when the file has one */
};

/* Parses data: strips a UTF-8 BOM, detects ',' or ';' from the first record, checks that every
 * field is valid UTF-8. On error returns ERR_INVALID with "line N, column C: reason" (French)
 * in err. Everything is allocated in the arena. Blank records are skipped. */
int csv_parse_text(const char *data, size_t len, struct arena *a, struct csv_table *out,
                   char *err, size_t errlen) MUST_CHECK;
/* Reads and parses a whole file (ERR_IO with a message when it cannot be read). */
int csv_read_file(const char *path, struct arena *a, struct csv_table *out, char *err,
                  size_t errlen) MUST_CHECK;
/* Index of the header column named name (exact), or -1. */
int csv_column(const struct csv_table *t, const char *name);
/* Field col of row, or "" when the row is shorter. */
const char *csv_field(const struct csv_row *row, int col);
/* Appends one record for people who open it in a spreadsheet: fields quoted as RFC 4180 needs,
 * CRLF at the end, and a field a spreadsheet would run as a formula (str_formula_lead) behind
 * an apostrophe, which the tracking import removes again. */
void csv_write_row(struct buf *b, const char *const *fields, int n, char sep);
/* The same record with every field exactly as given (formulas included): the raw form for
 * programs that re-read the file. */
void csv_write_row_raw(struct buf *b, const char *const *fields, int n, char sep);

#endif
