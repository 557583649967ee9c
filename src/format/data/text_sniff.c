/* text_sniff.c — recognises the text files a spreadsheet saves that are not "CSV UTF-8", so that
 * the import says so once instead of failing on every cell. Must not parse the table itself:
 * format/csv.c does. */
#include "format/data/text_sniff.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"

static const char save_as[] = "enregistrez-le depuis votre tableur au format « CSV UTF-8 "
                              "(délimité par des virgules) » ou en classeur .xlsx, puis "
                              "envoyez-le de nouveau";

/* True when one byte in two of the first ones is NUL: UTF-16 without its BOM. */
static bool nul_pattern(const unsigned char *p, size_t len)
{
    size_t n = len < 1024 ? len : 1024, nul[2] = {0, 0};
    if (n < 4)
        return false;
    for (size_t i = 0; i < n; i++)
        nul[i % 2] += p[i] == 0;
    return nul[0] * 5 >= n * 2 || nul[1] * 5 >= n * 2;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const char *p, size_t n)
{
    unsigned char c = (unsigned char)*p;
    size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                                   : (c & 0xF8) == 0xF0 ? 4 : 0;
    return k && k <= n && utf8_valid(p, k) ? k : 0;
}

int text_sniff_table(const char *data, size_t len, char *err, size_t errlen)
{
    const unsigned char *u = (const unsigned char *)data;
    if ((len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
        nul_pattern(u, len)) {
        snprintf(err, errlen, "Ce fichier est en UTF-16 (« Texte Unicode ») : %s.", save_as);
        return ERR_INVALID;
    }
    size_t start = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    /* The separator, from the first record as format/csv.c guesses it. */
    size_t eol = start;
    bool tab = false, other = false;
    for (; eol < len && data[eol] != '\n'; eol++) {
        tab = tab || data[eol] == '\t';
        other = other || data[eol] == ',' || data[eol] == ';';
    }
    if (tab && !other) {
        snprintf(err, errlen, "Ce fichier est séparé par des tabulations, pas par des virgules "
                              "ni des points-virgules : %s.", save_as);
        return ERR_INVALID;
    }
    char sep = ',';
    for (size_t i = start; i < eol; i++)
        if (data[i] == ';') {
            sep = ';';
            break;
        }
    /* The first byte that is not UTF-8, located as a spreadsheet shows it: record and column,
     * line breaks inside quotes staying in their cell. */
    int line = 1, column = 0;
    bool quoted = false;
    for (size_t i = start; i < len;) {
        size_t k = utf8_len(data + i, len - i);
        if (k == 0) {
            char letter[8], rev[8];
            int n = 0;
            for (int c = column + 1; c > 0 && n < 7; c = (c - 1) / 26)
                rev[n++] = (char)('A' + (c - 1) % 26);
            for (int j = 0; j < n; j++)
                letter[j] = rev[n - 1 - j];
            letter[n] = '\0';
            snprintf(err, errlen, "line %d, column %s: le fichier n'est pas en UTF-8 (sans "
                                  "doute Windows-1252, le « CSV » ordinaire d'Excel, dont les "
                                  "accents ne sont pas lisibles) : %s.", line, letter, save_as);
            return ERR_INVALID;
        }
        char c = data[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == sep)
            column++;
        else if (!quoted && c == '\n')
            line++, column = 0;
        i += k;
    }
    return ERR_OK;
}
