/* arena.h — region allocator: everything a request allocates is freed at once at its end. */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;
};

/* Allocation that never returns NULL: out of memory aborts the process (like fossil_malloc). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Returns n zeroed bytes from the arena, aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s (or the first n bytes of s) into the arena, NUL-terminated; NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Frees every block of the arena; the arena can be used again afterwards. */
void arena_free(struct arena *a);

#endif
