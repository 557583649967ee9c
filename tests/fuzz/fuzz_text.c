/* fuzz_text.c — libFuzzer target: the text helpers every import and search goes through
 * (utf8_valid, text_fold, status_parse, the escaping printf): no crash, no unescaped markup. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"
#include "model/core/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    (void)utf8_valid(s, size);
    char folded[128];
    (void)text_fold(s, folded, sizeof folded);
    free(text_fold_dup(s));
    (void)status_parse(s);
    struct buf b = {0};
    buf_printf(&b, "%h|%u|%j", s, s, s);
    const char *out = buf_cstr(&b);
    size_t html_len = strcspn(out, "|");
    for (size_t i = 0; i < html_len; i++)
        if (out[i] == '<' || out[i] == '>' || out[i] == '"' || out[i] == '\'')
            abort();
    buf_free(&b);
    free(s);
    return 0;
}
