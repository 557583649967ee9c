/* fuzz_sniff.c — libFuzzer target: the import's first look at an uploaded text file
 * (text_sniff_table) and its name matching (tracking_norm, tracking_similarity) on hostile
 * bytes: no crash, a refusal always says why, keys are never longer than their input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "model/import/tracking_match.h"
#include "format/data/text_sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    err[0] = '\0';
    if (text_sniff_table((const char *)data, size, err, sizeof err) != 0 && err[0] == '\0')
        abort();
    /* Two names: the input split at its first NUL (or in two halves). */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t half = strlen(text) < size ? strlen(text) + 1 : size / 2;
    char *second = strdup(text + (half <= size ? half : size));
    text[half < size ? half : size] = '\0';
    struct arena a = {0};
    const char *k = tracking_norm(&a, text);
    int s = tracking_similarity(&a, text, second);
    if (strlen(k) > strlen(text) * 2 + 1 || s < 0 || s > 100)
        abort();
    if (tracking_similarity(&a, text, text) != (*tracking_compact(&a, text) ? 100 : 0))
        abort();
    arena_free(&a);
    free(second);
    free(text);
    return 0;
}
