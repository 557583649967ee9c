/* region_cache.c — the figures of contracts already counted, by contract id (region_cache.h):
 * an open-addressing table under one mutex; each entry holds the counts' scalars and only the
 * years the contract has, so a thousand contracts take a few hundred kilobytes. */
#include "model/region/region_cache.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* The scalars of region_counts: everything before its two arrays of years. */
#define HEAD offsetof(struct region_counts, years)

struct entry {
    long long contract_id, revision;
    int this_year, n_years;
    unsigned char head[HEAD];
    /* then n_years years and n_years figures */
};

struct region_cache {
    pthread_mutex_t lock;
    struct entry **slots; /* NULL or an entry; capacity a power of two, at most half full */
    size_t capacity, used;
};

struct region_cache *region_cache_new(void)
{
    struct region_cache *c = xmalloc(sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->capacity = 64;
    c->used = 0;
    c->slots = xmalloc(sizeof *c->slots * c->capacity);
    memset(c->slots, 0, sizeof *c->slots * c->capacity);
    return c;
}

void region_cache_free(struct region_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->capacity; i++)
        free(c->slots[i]);
    free(c->slots);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int *entry_years(struct entry *e)
{
    return (int *)(e + 1);
}

static struct year_figures *entry_figures(struct entry *e)
{
    return (struct year_figures *)(entry_years(e) + e->n_years);
}

/* The slot of contract_id: its entry's, or the empty one where it would go. */
static size_t slot_of(const struct region_cache *c, long long contract_id)
{
    size_t mask = c->capacity - 1;
    size_t i = (size_t)((unsigned long long)contract_id * 0x9E3779B97F4A7C15ull >> 20) & mask;
    while (c->slots[i] && c->slots[i]->contract_id != contract_id)
        i = (i + 1) & mask;
    return i;
}

static void grow(struct region_cache *c)
{
    struct entry **old = c->slots;
    size_t old_capacity = c->capacity;
    c->capacity *= 2;
    c->slots = xmalloc(sizeof *c->slots * c->capacity);
    memset(c->slots, 0, sizeof *c->slots * c->capacity);
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i])
            c->slots[slot_of(c, old[i]->contract_id)] = old[i];
    free(old);
}

bool region_cache_get(struct region_cache *c, long long contract_id, long long revision,
                      int this_year, struct region_counts *out)
{
    if (revision < 0)
        return false;
    pthread_mutex_lock(&c->lock);
    struct entry *e = c->slots[slot_of(c, contract_id)];
    bool hit = e && e->revision == revision && e->this_year == this_year;
    if (hit) {
        memcpy(out, e->head, HEAD);
        memcpy(out->years, entry_years(e), sizeof *out->years * (size_t)e->n_years);
        memcpy(out->figures, entry_figures(e), sizeof *out->figures * (size_t)e->n_years);
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void region_cache_put(struct region_cache *c, long long contract_id, long long revision,
                      int this_year, const struct region_counts *counts)
{
    if (revision < 0)
        return;
    int n = counts->n_years;
    size_t size = sizeof(struct entry) + (sizeof(int) + sizeof(struct year_figures)) * (size_t)n;
    struct entry *e = xmalloc(size);
    memset(e, 0, sizeof *e);
    e->contract_id = contract_id;
    e->revision = revision;
    e->this_year = this_year;
    e->n_years = n;
    memcpy(e->head, counts, HEAD);
    memcpy(entry_years(e), counts->years, sizeof(int) * (size_t)n);
    memcpy(entry_figures(e), counts->figures, sizeof(struct year_figures) * (size_t)n);
    pthread_mutex_lock(&c->lock);
    size_t i = slot_of(c, contract_id);
    struct entry *old = c->slots[i];
    c->slots[i] = e;
    if (!old && ++c->used * 2 > c->capacity)
        grow(c);
    pthread_mutex_unlock(&c->lock);
    free(old);
}
