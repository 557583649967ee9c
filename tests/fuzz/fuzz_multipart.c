/* fuzz_multipart.c — libFuzzer target: multipart/form-data bodies (multipart_parse). The first
 * line of the input is the Content-Type, the rest the body: no crash, and every part accepted
 * lies inside the body with a name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    size_t tlen = (size_t)(nl - (const char *)data);
    char *type = malloc(tlen + 1);
    memcpy(type, data, tlen);
    type[tlen] = '\0';
    const char *body = nl + 1;
    size_t len = size - tlen - 1;
    char *copy = malloc(len + 1); /* exactly the body: ASan catches any read past it */
    memcpy(copy, body, len);
    copy[len] = '\0';
    struct arena a = {0};
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    int n;
    if (multipart_parse(type, copy, len, &a, parts, MULTIPART_MAX_PARTS, &n) == 0) {
        for (int i = 0; i < n; i++) {
            if (!parts[i].name || parts[i].data < copy ||
                parts[i].data + parts[i].len > copy + len)
                abort();
        }
    }
    arena_free(&a);
    free(copy);
    free(type);
    return 0;
}
