/* tracking_match.c — normalised keys and similarity of names for the import's matching and
 * proposals (tracking_match.h). Must not touch the database: it only compares strings. */
#include "model/import/tracking_match.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"

/* Length of the typographic punctuation at p (U+00A0–U+00BF, U+2000–U+206F), 0 if none. */
static int punctuation_len(const unsigned char *p)
{
    if (p[0] == 0xC2 && p[1] >= 0xA0 && p[1] <= 0xBF)
        return 2;
    if (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && p[2] >= 0x80 && p[2] <= 0xBF)
        return 3;
    return 0;
}

char *tracking_norm(struct arena *a, const char *s)
{
    char *f = text_fold_dup(s ? s : "");
    size_t n = strlen(f), o = 0;
    char *out = arena_alloc(a, n + 1);
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)f; *p;) {
        int skip = punctuation_len(p);
        bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9');
        if (skip || (*p < 0x80 && !alnum)) {
            space = o > 0;
            p += skip ? skip : 1;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = (char)*p++;
    }
    out[o] = '\0';
    free(f);
    return out;
}

char *tracking_compact(struct arena *a, const char *s)
{
    char *k = tracking_norm(a, s), *o = k;
    for (const char *p = k; *p; p++)
        if (*p != ' ')
            *o++ = *p;
    *o = '\0';
    return k;
}

/* Words that say nothing about which organisation or action is meant. */
static bool small_word(const char *w)
{
    static const char *const words[] = {"de", "du", "des", "la", "le", "les", "l", "d", "et",
                                        "a", "au", "aux", "en", "pour", "sur", "un", "une"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(w, words[i]) == 0)
            return true;
    return false;
}

/* The meaningful words of s (norm key split on spaces), at most max. */
static int words_of(struct arena *a, const char *s, const char **out, int max)
{
    char *k = tracking_norm(a, s);
    int n = 0;
    for (char *save = NULL, *w = strtok_r(k, " ", &save); w && n < max;
         w = strtok_r(NULL, " ", &save)) {
        if (small_word(w))
            continue;
        if (strcmp(w, "st") == 0)
            w = "saint";
        else if (strcmp(w, "ste") == 0)
            w = "sainte";
        bool seen = false;
        for (int i = 0; i < n && !seen; i++)
            seen = strcmp(out[i], w) == 0;
        if (!seen)
            out[n++] = w;
    }
    return n;
}

/* Dice coefficient of the three-byte sequences of the padded compact keys, 0–100. */
static int trigram_score(const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    if (nx == 0 || ny == 0)
        return 0;
    if (nx > 200 || ny > 200) /* titles are short; bound the quadratic count */
        nx = nx > 200 ? 200 : nx, ny = ny > 200 ? 200 : ny;
    char px[204], py[204];
    px[0] = px[1] = py[0] = py[1] = ' ';
    memcpy(px + 2, x, nx);
    memcpy(py + 2, y, ny);
    px[nx + 2] = py[ny + 2] = ' ';
    int tx = (int)nx + 1, ty = (int)ny + 1, common = 0;
    bool used[202] = {false};
    for (int i = 0; i < tx; i++)
        for (int j = 0; j < ty; j++)
            if (!used[j] && memcmp(px + i, py + j, 3) == 0) {
                used[j] = true;
                common++;
                break;
            }
    return 200 * common / (tx + ty);
}

int tracking_similarity(struct arena *a, const char *x, const char *y)
{
    const char *cx = tracking_compact(a, x), *cy = tracking_compact(a, y);
    if (!*cx || !*cy)
        return 0;
    if (strcmp(cx, cy) == 0)
        return 100;
    const char *wx[32], *wy[32];
    int nx = words_of(a, x, wx, 32), ny = words_of(a, y, wy, 32), common = 0;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++)
            if (strcmp(wx[i], wy[j]) == 0)
                common++;
    int score = nx + ny ? 200 * common / (nx + ny) : 0;
    int shorter = nx < ny ? nx : ny;
    if (shorter > 0 && common == shorter && score < 80)
        score = 80;
    int tri = trigram_score(cx, cy);
    return tri > score ? tri : score;
}
