/* fuzz_xlsx.c — libFuzzer target: workbooks as users upload them (xlsx_sheet_names, then every
 * sheet through xlsx_read_sheet): no crash, no hang, and an accepted sheet has only valid UTF-8
 * cells and increasing line numbers; a refusal always says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "format/xlsx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = {0};
    char err[512];
    char **names;
    int n;
    err[0] = '\0';
    if (xlsx_sheet_names((const char *)data, size, &a, &names, &n, err, sizeof err) != 0) {
        if (!memchr(err, '\0', sizeof err) || err[0] == '\0')
            abort();
        arena_free(&a);
        return 0;
    }
    for (int s = 0; s < n && s < 4; s++) {
        struct csv_table t;
        err[0] = '\0';
        if (xlsx_read_sheet((const char *)data, size, s, &a, &t, err, sizeof err) != 0) {
            if (err[0] == '\0')
                abort();
            continue;
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
    }
    arena_free(&a);
    return 0;
}
