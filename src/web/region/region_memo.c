/* region_memo.c — the last few regional answers (the page's body below its header, the API's
 * JSON), kept until the data changes (store_generation): a region's figures read a thousand
 * contracts, and they change only when someone writes; and, below them, the process's cache of
 * each contract's figures (model/region), so that after a write only the contracts written are
 * read again. Holds no permission: the route table has checked the reader before the handler
 * asks. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/log.h"
#include "base/str.h"
#include "store/db.h"
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

static pthread_t warm_thread;
static bool warming;
static atomic_bool warm_stop;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Counts every region's contracts into the figures cache, on a connection of its own. */
static void *warm(void *arg)
{
    const char *db_path = arg;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct store *db;
    char err[256];
    if (store_open(db_path, &db, err, sizeof err) != ERR_OK) {
        log_error("regional figures not counted ahead: %s", err);
        return NULL;
    }
    struct arena a = {0};
    struct region *regions;
    int n = 0, contracts = 0, this_year = date_of_time(time(NULL)).y;
    int rc = region_list(db, &a, 0, &regions, &n);
    for (int i = 0; rc == ERR_OK && i < n && !atomic_load(&warm_stop); i++) {
        if (!regions[i].contracts)
            continue;
        struct region_filter f = {.region = regions[i].code, .department = ""};
        struct region_summary s;
        struct arena scratch = {0};
        rc = region_summary_load(db, &scratch, &f, this_year, region_figures_cache(), &s);
        arena_free(&scratch);
        contracts += regions[i].contracts;
    }
    arena_free(&a);
    store_close(db);
    if (rc != ERR_OK)
        log_error("regional figures not counted ahead: the database could not be read");
    else if (contracts)
        log_info("regional figures of %d contract%s counted ahead in %.0f ms", contracts,
                 contracts > 1 ? "s" : "", seconds_since(&t0) * 1000);
    return NULL;
}

void region_warm_start(const char *db_path)
{
    atomic_store(&warm_stop, false);
    warming = pthread_create(&warm_thread, NULL, warm, (void *)db_path) == 0;
    if (!warming)
        log_error("regional figures not counted ahead: no thread");
}

void region_warm_stop(void)
{
    if (!warming)
        return;
    atomic_store(&warm_stop, true);
    pthread_join(warm_thread, NULL);
    warming = false;
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
