/* check.h — the whole unit-test "framework": CHECK macros that count passes and failures and
 * print file:line with the failed expression. Must not grow into a framework: plain C only. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

/* Records one check; on failure prints where and what. */
#define CHECK(cond)                                                                           \
    do {                                                                                      \
        if (cond) {                                                                           \
            check_passed++;                                                                   \
        } else {                                                                              \
            check_failed++;                                                                   \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);                \
        }                                                                                     \
    } while (0)

/* Checks two C strings are equal (NULL equals only NULL) and prints both when they differ. */
#define CHECK_STR(got, want)                                                                  \
    do {                                                                                      \
        const char *check_g_ = (got), *check_w_ = (want);                                     \
        if ((!check_g_ && !check_w_) ||                                                       \
            (check_g_ && check_w_ && strcmp(check_g_, check_w_) == 0)) {                      \
            check_passed++;                                                                   \
        } else {                                                                              \
            check_failed++;                                                                   \
            fprintf(stderr, "%s:%d: FAILED: %s\n    got:  \"%s\"\n    want: \"%s\"\n",        \
                    __FILE__, __LINE__, #got, check_g_ ? check_g_ : "(null)",                 \
                    check_w_ ? check_w_ : "(null)");                                          \
        }                                                                                     \
    } while (0)

/* Checks two integers are equal and prints both when they differ. */
#define CHECK_INT(got, want)                                                                  \
    do {                                                                                      \
        long long check_g_ = (long long)(got), check_w_ = (long long)(want);                  \
        if (check_g_ == check_w_) {                                                           \
            check_passed++;                                                                   \
        } else {                                                                              \
            check_failed++;                                                                   \
            fprintf(stderr, "%s:%d: FAILED: %s\n    got:  %lld\n    want: %lld\n", __FILE__,  \
                    __LINE__, #got, check_g_, check_w_);                                      \
        }                                                                                     \
    } while (0)

/* Prints the summary line tests/run.sh reads ("NAME: N passed, M failed", last line on stdout)
 * and returns the exit status. */
static inline int check_report(const char *name)
{
    fflush(stderr);
    printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
    fflush(stdout);
    return check_failed ? 1 : 0;
}

#endif
