/* fuzz_csv.c — libFuzzer target: CSV files as users upload them (csv_parse_text): no crash, and
 * an accepted file has only valid UTF-8 fields and increasing line numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "format/data/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = {0};
    struct csv_table t;
    char err[256];
    if (csv_parse_text((const char *)data, size, &a, &t, err, sizeof err) == 0) {
        int last = 0;
        for (int r = 0; r < t.n_rows; r++) {
            if (t.rows[r].line <= last)
                abort();
            last = t.rows[r].line;
            for (int c = 0; c < t.rows[r].n; c++)
                if (!utf8_valid(t.rows[r].fields[c], strlen(t.rows[r].fields[c])))
                    abort();
        }
    } else if (!memchr(err, '\0', sizeof err) || err[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    arena_free(&a);
    return 0;
}
