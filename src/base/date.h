/* date.h — calendar dates the French way: reading what people type (ISO, 12/03/2031,
 * « 12 mars 2031 », a month or a year alone), civil-day arithmetic and French month names. The one
 * place for these; model/ and format/ wrap it. Knows nothing of contracts. */
#ifndef BASE_DATE_H
#define BASE_DATE_H

#include <stdbool.h>

#include "base/err.h"

enum date_precision { DATE_YEAR = 1, DATE_MONTH, DATE_DAY };

/* A date of some precision: d is 0 below DATE_DAY, m is 0 for DATE_YEAR. */
struct date {
    int y, m, d;
    enum date_precision precision;
};

/* Which forms date_parse reads (or them together). */
enum {
    DATE_FULL = 1,    /* AAAA-MM-JJ, JJ/MM/AAAA (day and month of one or two digits) */
    DATE_PARTIAL = 2, /* AAAA, AAAA-MM, MM/AAAA */
    DATE_NAMED = 4, /* « mars 2031 » (with DATE_PARTIAL), « 12 mars 2031 » (with DATE_FULL) */
};

/* Reads s (case, accents and surrounding blanks ignored) into out when it is one of the forms
 * asked for and a real date between 1900 and 2200 (31/02 refused). ERR_INVALID otherwise,
 * blank included. */
int date_parse(const char *s, unsigned forms, struct date *out) MUST_CHECK;
/* Reads a time "14:30", "14h30", "14h", "9:05": out gets "HH:MM"; blank gives "". */
int date_parse_time(const char *s, char out[6]) MUST_CHECK;
/* out as ISO of its precision: "2031-03-12", "2031-03" or "2031". */
void date_iso(const struct date *d, char out[11]);

bool date_leap(int y);
/* Days in month m (1–12) of year y. */
int date_month_days(int y, int m);
/* True when y-m-d is a real day between 1900 and 2200. */
bool date_valid(int y, int m, int d);

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms). */
long date_days_from_civil(int y, int m, int d);
void date_civil_from_days(long days, int *y, int *m, int *d);
/* Day of the week of a day count: 0 Monday … 6 Sunday. */
int date_weekday(long days);
/* The day n days after (before, n negative) d, a DATE_DAY date. */
struct date date_add_days(struct date d, long n);
/* The UTC day of a Unix time. */
struct date date_of_time(long long unix_seconds);

/* French name of month m (1–12) in lower case ("mars", "août"); "" out of range. */
const char *date_month_name(int m);
/* An ISO date of day or month precision the short French way into out: "12/03/2031",
 * "mars 2031"; false (out empty) when iso is neither. */
bool date_fr_short(const char *iso, char out[32]);
/* An ISO day the long French way into out: "12 mars 2031", "1er mars 2031"; false (out empty)
 * when iso is not one. */
bool date_fr_long(const char *iso, char out[32]);

#endif
