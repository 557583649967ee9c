/* date.c — the one reader of typed dates (ISO, French, partial, month names), civil-day
 * arithmetic and French month names. Callers in model/ and format/ keep only their own rules
 * (which forms, which years), never a calendar of their own. */
#include "base/date.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/text.h"

static const char *const month_names[12] = {"janvier",   "février", "mars",     "avril",
                                            "mai",       "juin",    "juillet",  "août",
                                            "septembre", "octobre", "novembre", "décembre"};

bool date_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return days[m - 1] + (m == 2 && date_leap(y));
}

bool date_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= date_month_days(y, m);
}

long date_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_civil_from_days(long days, int *y, int *m, int *d)
{
    long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int date_weekday(long days)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday). */
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

struct date date_add_days(struct date d, long n)
{
    struct date out = {0, 0, 0, DATE_DAY};
    date_civil_from_days(date_days_from_civil(d.y, d.m, d.d) + n, &out.y, &out.m, &out.d);
    return out;
}

struct date date_of_time(long long unix_seconds)
{
    long long days = unix_seconds / 86400 - (unix_seconds % 86400 < 0);
    struct date out = {0, 0, 0, DATE_DAY};
    date_civil_from_days((long)days, &out.y, &out.m, &out.d);
    return out;
}

const char *date_month_name(int m)
{
    return m >= 1 && m <= 12 ? month_names[m - 1] : "";
}

/* ---- reading -------------------------------------------------------------------------------- */

/* Reads exactly n digits (or, when n is negative, 1 to -n digits) at *s; -1 if not there. */
static int digits(const char **s, int n)
{
    int v = 0, k = 0, max = n < 0 ? -n : n;
    while (k < max && **s >= '0' && **s <= '9') {
        v = v * 10 + (**s - '0');
        (*s)++;
        k++;
    }
    return k == 0 || (n > 0 && k != n) ? -1 : v;
}

/* « mars 2031 », « 12 mars 2031 », « 1er mars 2031 » in folded text p: 1 when read into y m d
 * (d -1 without a day), 0 when p is not of that shape, -1 when it is but its year is wrong. */
static int named(const char *p, int *y, int *m, int *d)
{
    int day = -1;
    if (*p >= '0' && *p <= '9') {
        day = digits(&p, -2);
        if (day == 1 && strncmp(p, "er", 2) == 0)
            p += 2;
        if (*p++ != ' ')
            return 0;
    }
    for (int i = 0; i < 12; i++) {
        char name[16];
        if (text_fold(month_names[i], name, sizeof name) != ERR_OK)
            continue;
        size_t len = strlen(name);
        if (strncmp(p, name, len) == 0 && p[len] == ' ') {
            const char *q = p + len + 1;
            *y = digits(&q, 4);
            *m = i + 1;
            *d = day;
            return *y < 0 || *q ? -1 : 1;
        }
    }
    return 0;
}

int date_parse(const char *s, unsigned forms, struct date *out)
{
    *out = (struct date){0};
    char folded[64];
    if (!s || str_blank(s) || text_fold(s, folded, sizeof folded) != ERR_OK)
        return ERR_INVALID;
    const char *p = folded;
    int y = -1, m = -1, d = -1;
    int is_named = forms & DATE_NAMED ? named(p, &y, &m, &d) : 0;
    if (is_named < 0) {
        return ERR_INVALID;
    } else if (is_named) {
        /* read above */
    } else if (strchr(p, '-')) { /* AAAA-MM or AAAA-MM-JJ */
        const char *q = p;
        y = digits(&q, 4);
        if (*q++ != '-' || (m = digits(&q, 2)) < 0)
            return ERR_INVALID;
        if (*q == '-') {
            q++;
            if ((d = digits(&q, 2)) < 0)
                return ERR_INVALID;
        }
        if (*q || y < 0)
            return ERR_INVALID;
    } else { /* JJ/MM/AAAA, MM/AAAA or AAAA */
        int part[3], len[3], np = 0;
        const char *q = p;
        for (;;) {
            const char *from = q;
            if (np == 3 || (part[np] = digits(&q, -4)) < 0)
                return ERR_INVALID;
            len[np++] = (int)(q - from);
            if (*q != '/')
                break;
            q++;
        }
        if (*q || len[np - 1] != 4)
            return ERR_INVALID;
        y = part[np - 1];
        if (np >= 2) {
            if (len[np - 2] > 2 || (np == 3 && len[0] > 2))
                return ERR_INVALID;
            m = part[np - 2];
            d = np == 3 ? part[0] : -1;
        }
    }
    enum date_precision precision = d >= 0 ? DATE_DAY : m >= 0 ? DATE_MONTH : DATE_YEAR;
    if (!(forms & (precision == DATE_DAY ? DATE_FULL : DATE_PARTIAL)) ||
        !date_valid(y, m >= 0 ? m : 1, d >= 0 ? d : 1))
        return ERR_INVALID;
    *out = (struct date){y, m >= 0 ? m : 0, d >= 0 ? d : 0, precision};
    return ERR_OK;
}

int date_parse_time(const char *s, char out[6])
{
    out[0] = '\0';
    if (!s || str_blank(s))
        return ERR_OK;
    while (*s == ' ')
        s++;
    int h = digits(&s, -2), m = 0;
    if (h < 0 || (*s != ':' && *s != 'h' && *s != 'H'))
        return ERR_INVALID;
    s++;
    if (*s >= '0' && *s <= '9') {
        m = digits(&s, 2);
        if (m < 0)
            return ERR_INVALID;
    } else if (s[-1] == ':') {
        return ERR_INVALID;
    }
    while (*s == ' ')
        s++;
    if (*s || h > 23 || m > 59)
        return ERR_INVALID;
    snprintf(out, 6, "%02u:%02u", (unsigned)h % 100u, (unsigned)m % 100u);
    return ERR_OK;
}

void date_iso(const struct date *d, char out[11])
{
    /* date_parse keeps y to 4 digits and m, d to 2; the masks tell the compiler so. */
    unsigned y = (unsigned)d->y % 10000u, m = (unsigned)d->m % 100u, dd = (unsigned)d->d % 100u;
    if (d->precision == DATE_DAY)
        snprintf(out, 11, "%04u-%02u-%02u", y, m, dd);
    else if (d->precision == DATE_MONTH)
        snprintf(out, 11, "%04u-%02u", y, m);
    else if (d->precision == DATE_YEAR)
        snprintf(out, 11, "%04u", y);
    else
        out[0] = '\0';
}

/* ---- writing -------------------------------------------------------------------------------- */

/* True when the n bytes at s are ASCII digits. */
static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The month of an ISO "AAAA-MM…" of length n (7 or 10), 0 when it is not one. */
static int iso_month(const char *iso, size_t n)
{
    if (!iso || strlen(iso) != n || !all_digits(iso, 4) || iso[4] != '-' ||
        !all_digits(iso + 5, 2) || (n == 10 && (iso[7] != '-' || !all_digits(iso + 8, 2))))
        return 0;
    int m = (iso[5] - '0') * 10 + (iso[6] - '0');
    return m >= 1 && m <= 12 ? m : 0;
}

bool date_fr_short(const char *iso, char out[32])
{
    int m;
    out[0] = '\0';
    if ((m = iso_month(iso, 10)) != 0)
        snprintf(out, 32, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else if ((m = iso_month(iso, 7)) != 0)
        snprintf(out, 32, "%s %.4s", month_names[m - 1], iso);
    return out[0] != '\0';
}

bool date_fr_long(const char *iso, char out[32])
{
    int m = iso_month(iso, 10);
    out[0] = '\0';
    if (!m)
        return false;
    int d = (iso[8] - '0') * 10 + (iso[9] - '0');
    snprintf(out, 32, "%d%s %s %.4s", d, d == 1 ? "er" : "", month_names[m - 1], iso);
    return true;
}
