/* fuzz_router.c — libFuzzer target: any request path against every route pattern of the table
 * (router_match) must never crash nor capture more ids than a request holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/core/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = malloc(size + 1);
    memcpy(path, data, size);
    path[size] = '\0';
    long long ids[REQ_MAX_IDS];
    for (const struct route *r = routes; r->method; r++) {
        int n = -1;
        if (router_match(r->pattern, path, ids, &n) && (n < 0 || n > REQ_MAX_IDS))
            abort();
        for (int i = 0; i < n; i++)
            if (ids[i] < 0)
                abort();
    }
    free(path);
    return 0;
}
