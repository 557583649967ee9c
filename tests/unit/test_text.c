/* test_text.c — unit tests of src/base/date.c and src/base/text.c: typed dates (ISO, French,
 * partial, month names), civil-day arithmetic, French date text, UTF-8 cutting with and without
 * an ellipsis. Must not touch the database. */
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/str.h"
#include "base/text.h"
#include "check.h"

enum { ALL = DATE_FULL | DATE_PARTIAL | DATE_NAMED };

/* date_parse(in, forms) as ISO, or NULL when refused. */
static const char *parsed(const char *in, unsigned forms, char out[11])
{
    struct date d;
    if (date_parse(in, forms, &d) != ERR_OK)
        return NULL;
    date_iso(&d, out);
    return out;
}

static void test_parse(void)
{
    char o[11];
    CHECK_STR(parsed("2031-03-12", ALL, o), "2031-03-12");
    CHECK_STR(parsed("12/03/2031", ALL, o), "2031-03-12");
    CHECK_STR(parsed(" 2/3/2031 ", ALL, o), "2031-03-02");
    CHECK_STR(parsed("12 mars 2031", ALL, o), "2031-03-12");
    CHECK_STR(parsed("1er Février 2032", ALL, o), "2032-02-01");
    CHECK_STR(parsed("MARS 2031", ALL, o), "2031-03");
    CHECK_STR(parsed("aout 2031", ALL, o), "2031-08");
    CHECK_STR(parsed("03/2031", ALL, o), "2031-03");
    CHECK_STR(parsed("2031-03", ALL, o), "2031-03");
    CHECK_STR(parsed("2031", ALL, o), "2031");
    /* leap years: every fourth, not every hundredth, but every four hundredth */
    CHECK_STR(parsed("29/02/2024", ALL, o), "2024-02-29");
    CHECK_STR(parsed("29/02/2000", ALL, o), "2000-02-29");
    CHECK(parsed("29/02/1900", ALL, o) == NULL);
    CHECK(parsed("29/02/2023", ALL, o) == NULL);
    CHECK(parsed("31/02/2031", ALL, o) == NULL);
    CHECK(parsed("31/04/2031", ALL, o) == NULL);
    CHECK(parsed("30 février 2031", ALL, o) == NULL);
    CHECK(parsed("2031-13", ALL, o) == NULL);
    CHECK(parsed("00/2031", ALL, o) == NULL);
    CHECK(parsed("13/2031", ALL, o) == NULL);
    CHECK(parsed("12/03/31", ALL, o) == NULL);
    CHECK(parsed("2031-3-12", ALL, o) == NULL);
    CHECK(parsed("1899", ALL, o) == NULL);
    CHECK(parsed("2201", ALL, o) == NULL);
    CHECK(parsed("2er mars 2031", ALL, o) == NULL);
    CHECK(parsed("mars 31", ALL, o) == NULL);
    CHECK(parsed("", ALL, o) == NULL);
    CHECK(parsed(NULL, ALL, o) == NULL);
    CHECK(parsed("demain", ALL, o) == NULL);
    /* the forms asked for, and only them */
    CHECK(parsed("2031", DATE_FULL, o) == NULL);
    CHECK(parsed("03/2031", DATE_FULL, o) == NULL);
    CHECK(parsed("12/03/2031", DATE_PARTIAL, o) == NULL);
    CHECK(parsed("mars 2031", DATE_FULL | DATE_PARTIAL, o) == NULL);
    CHECK(parsed("12 mars 2031", DATE_PARTIAL | DATE_NAMED, o) == NULL);
    struct date d;
    CHECK(date_parse("mars 2031", ALL, &d) == ERR_OK);
    CHECK_INT(d.precision, DATE_MONTH);
    CHECK_INT(d.d, 0);
    char t[6];
    CHECK(date_parse_time("14h30", t) == ERR_OK);
    CHECK_STR(t, "14:30");
    CHECK(date_parse_time("9h", t) == ERR_OK);
    CHECK_STR(t, "09:00");
    CHECK(date_parse_time("24:00", t) == ERR_INVALID);
    CHECK(date_parse_time("9:", t) == ERR_INVALID);
}

static void test_civil(void)
{
    CHECK_INT(date_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(date_days_from_civil(2000, 3, 1), 11017);
    CHECK_INT(date_days_from_civil(1969, 12, 31), -1);
    int y, m, d;
    date_civil_from_days(11016, &y, &m, &d); /* the day before 2000-03-01 */
    CHECK(y == 2000 && m == 2 && d == 29);
    date_civil_from_days(date_days_from_civil(2031, 12, 31) + 1, &y, &m, &d);
    CHECK(y == 2032 && m == 1 && d == 1);
    CHECK_INT(date_weekday(0), 3);                                 /* 1970-01-01: a Thursday */
    CHECK_INT(date_weekday(date_days_from_civil(2031, 3, 12)), 2); /* a Wednesday */
    CHECK_INT(date_weekday(-1), 2);
    struct date x = date_add_days((struct date){2024, 2, 28, DATE_DAY}, 1);
    CHECK(x.y == 2024 && x.m == 2 && x.d == 29);
    x = date_add_days((struct date){2024, 3, 1, DATE_DAY}, -366);
    CHECK(x.y == 2023 && x.m == 3 && x.d == 1);
    x = date_of_time(1951948799LL); /* 2031-11-08T23:59:59Z */
    CHECK(x.y == 2031 && x.m == 11 && x.d == 8);
    x = date_of_time(-1);
    CHECK(x.y == 1969 && x.m == 12 && x.d == 31);
    CHECK_INT(date_month_days(2024, 2), 29);
    CHECK_INT(date_month_days(2100, 2), 28);
    CHECK_INT(date_month_days(2031, 13), 0);
    CHECK(date_valid(2031, 12, 31) && !date_valid(2031, 11, 31) && !date_valid(1899, 1, 1));
}

static void test_french(void)
{
    char fr[32];
    CHECK_STR(date_month_name(8), "août");
    CHECK_STR(date_month_name(12), "décembre");
    CHECK_STR(date_month_name(0), "");
    CHECK(date_fr_short("2031-03-12", fr));
    CHECK_STR(fr, "12/03/2031");
    CHECK(date_fr_short("2031-02", fr));
    CHECK_STR(fr, "février 2031");
    CHECK(!date_fr_short("2031", fr) && !*fr);
    CHECK(!date_fr_short("2031-13", fr));
    CHECK(!date_fr_short("2031-03-12T10:00", fr));
    CHECK(!date_fr_short(NULL, fr));
    CHECK(date_fr_long("2031-03-12", fr));
    CHECK_STR(fr, "12 mars 2031");
    CHECK(date_fr_long("2031-03-01", fr));
    CHECK_STR(fr, "1er mars 2031");
    CHECK(!date_fr_long("2031-03", fr));
}

static void test_cut(void)
{
    /* "été" is 3 characters in 5 bytes */
    CHECK_INT(text_chars("été"), 3);
    CHECK_INT(text_chars(NULL), 0);
    CHECK_INT(text_cut_chars("été", 1), 2);
    CHECK_INT(text_cut_chars("été", 2), 3);
    CHECK_INT(text_cut_chars("été", 9), 5);
    CHECK_INT(text_cut_bytes("été", 1), 0); /* never inside the "é" */
    CHECK_INT(text_cut_bytes("été", 2), 2);
    CHECK_INT(text_cut_bytes("été", 4), 3);
    CHECK_INT(text_cut_bytes("été", 5), 5);
    CHECK_INT(text_cut_bytes("€€", 5), 3);
    struct arena a = {0};
    CHECK_STR(text_short(&a, "Santé publique", 5), "Santé…");
    CHECK_STR(text_short(&a, "Santé", 5), "Santé");
    CHECK_STR(text_short(&a, NULL, 5), "");
    CHECK_STR(text_short(&a, "éé", 1), "é…");
    CHECK_STR(text_short_bytes(&a, "abcdé", 6), "abcdé");
    CHECK_STR(text_short_bytes(&a, "abcdéf", 6), "abc…");
    CHECK_STR(text_short_bytes(&a, "aéééé", 6), "aé…");
    arena_free(&a);
    struct buf b = {0};
    buf_html_cut(&b, "<é>", 3);
    CHECK_STR(buf_cstr(&b), "&lt;é&gt;");
    buf_reset(&b);
    buf_html_cut(&b, "<éa>", 3); /* the ellipsis is the third character */
    CHECK_STR(buf_cstr(&b), "&lt;é…");
    buf_reset(&b);
    buf_html_cut(&b, NULL, 3);
    CHECK_STR(buf_cstr(&b), "");
    buf_free(&b);
    char f[32];
    CHECK(text_fold("  Œuvre   ÉTÉ ", f, sizeof f) == ERR_OK);
    CHECK_STR(f, "oeuvre ete");
    CHECK(text_fold("Œuvre", f, 3) == ERR_INVALID);
}

int main(void)
{
    test_parse();
    test_civil();
    test_french();
    test_cut();
    return check_report("test_text");
}
