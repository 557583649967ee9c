/* fuzz_xlsx_xml.c — libFuzzer target: the raw XML of a sheet, its shared strings and styles fed
 * straight to the reader's parsers (xlsx_read_xml), no zip nor deflate in the way. Input: the
 * sheet, then optionally NUL and the shared strings, then NUL and the styles (XML has no NUL).
 * No crash, no hang; accepted cells are valid UTF-8 in increasing lines; a refusal says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "format/xlsx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *part[3] = {NULL, NULL, NULL};
    size_t len[3] = {0, 0, 0};
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < 3 && p <= end; i++) {
        const char *nul = i < 2 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
        part[i] = p;
        len[i] = (size_t)((nul ? nul : end) - p);
        if (!nul)
            break;
        p = nul + 1;
    }
    struct arena a = {0};
    struct csv_table t;
    char err[512];
    err[0] = '\0';
    if (xlsx_read_xml(part[1], len[1], part[2], len[2], part[0], len[0], &a, &t, err,
                      sizeof err) != 0) {
        if (!memchr(err, '\0', sizeof err) || err[0] == '\0')
            abort();
        arena_free(&a);
        return 0;
    }
    int last = 0;
    for (int r = 0; r < t.n_rows; r++) {
        if (t.rows[r].line <= last)
            abort();
        last = t.rows[r].line;
        for (int c = 0; c < t.rows[r].n; c++)
            if (!utf8_valid(t.rows[r].fields[c], strlen(t.rows[r].fields[c])))
                abort();
    }
    arena_free(&a);
    return 0;
}
