/* text_sniff.h — what a text table file is before it is parsed as CSV: the files spreadsheets
 * save that are not "CSV UTF-8" (UTF-16 "Texte Unicode", tab-separated, Windows-1252) are
 * recognised and refused with one French message naming the encoding or the separator. */
#ifndef OUT_TEXT_SNIFF_H
#define OUT_TEXT_SNIFF_H

#include <stddef.h>

#include "base/err.h"

/* ERR_OK when data can be read as CSV (UTF-8, with or without BOM, ',' or ';'); else
 * ERR_INVALID with one line in err: UTF-16 (a BOM or one NUL byte in two), separated by tabs
 * (the first record has tabs and neither ',' nor ';'), or not UTF-8 — then the message starts
 * "line N, column C: " (the first bad cell, N the record as a spreadsheet numbers it) and names
 * Windows-1252. */
int text_sniff_table(const char *data, size_t len, char *err, size_t errlen) MUST_CHECK;

#endif
