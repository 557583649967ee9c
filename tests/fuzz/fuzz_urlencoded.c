/* fuzz_urlencoded.c — libFuzzer target: form bodies and query strings
 * (http_parse_urlencoded) must never crash, and every parsed value must be valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "web/http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = {0};
    struct param params[REQ_MAX_PARAMS];
    int n;
    if (http_parse_urlencoded((const char *)data, size, &a, params, REQ_MAX_PARAMS, &n) == 0) {
        for (int i = 0; i < n; i++)
            if (!utf8_valid(params[i].key, strlen(params[i].key)) ||
                !utf8_valid(params[i].value, strlen(params[i].value)))
                abort();
    }
    arena_free(&a);
    return 0;
}
