/* region_memo.c — the last few regional answers (the page's body below its header, the API's
 * JSON), kept until the data changes (store_generation): a region's figures read a thousand
 * contracts, and they change only when someone writes; and, below them, the process's cache of
 * each contract's figures (model/region), so that after a write only the contracts written are
 * read again. Holds no permission: the route table has checked the reader before the handler
 * asks. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "web/region/region.h"

enum { MEMO_SLOTS = 4, MEMO_MAX_BYTES = 8 * 1024 * 1024 };

struct memo {
    char *key;
    unsigned long long generation;
    char *data;
    size_t len;
    unsigned long long used; /* the clock of its last use, to replace the least recent */
};

static struct memo memos[MEMO_SLOTS];
static unsigned long long clock_ticks;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct region_cache *figures_cache;
static pthread_once_t figures_once = PTHREAD_ONCE_INIT;

static void figures_cache_create(void)
{
    figures_cache = region_cache_new();
}

struct region_cache *region_figures_cache(void)
{
    pthread_once(&figures_once, figures_cache_create);
    return figures_cache;
}

bool region_memo_get(const char *key, unsigned long long generation, struct buf *out)
{
    bool hit = false;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MEMO_SLOTS && !hit; i++) {
        struct memo *m = &memos[i];
        if (m->key && m->generation == generation && strcmp(m->key, key) == 0) {
            buf_append(out, m->data, m->len);
            m->used = ++clock_ticks;
            hit = true;
        }
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void region_memo_put(const char *key, unsigned long long generation, const char *data, size_t len)
{
    if (len > MEMO_MAX_BYTES)
        return;
    char *k = xstrdup(key), *d = xmalloc(len + 1);
    memcpy(d, data, len);
    d[len] = '\0';
    pthread_mutex_lock(&lock);
    struct memo *slot = &memos[0];
    for (int i = 0; i < MEMO_SLOTS; i++) {
        if (memos[i].key && strcmp(memos[i].key, key) == 0) {
            slot = &memos[i];
            break;
        }
        if (memos[i].used < slot->used)
            slot = &memos[i];
    }
    char *old_key = slot->key, *old_data = slot->data;
    *slot = (struct memo){k, generation, d, len, ++clock_ticks};
    pthread_mutex_unlock(&lock);
    free(old_key);
    free(old_data);
}
