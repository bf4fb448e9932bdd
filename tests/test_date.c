/* Calendar dates: strict parsing, round trips, ISO weekdays, week and month starts. */
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/date.h"
#include "carewatch/error.h"

static cw_date ymd(int y, int m, int d)
{
	return cw_date_from_ymd(y, m, d);
}

static cw_date parsed(const char *s)
{
	cw_date d = -1;

	cr_assert_eq(cw_date_parse(s, &d), CW_OK, "'%s' should parse: %s", s, cw_errmsg());
	return d;
}

Test(date, parse_accepts_real_days)
{
	static const struct { const char *s; int y, m, d; } ok[] = {
		{ "2026-02-28", 2026, 2, 28 },
		{ "2024-02-29", 2024, 2, 29 },   /* leap year */
		{ "2000-02-29", 2000, 2, 29 },   /* divisible by 400: leap */
		{ "2026-01-31", 2026, 1, 31 },
		{ "2026-12-31", 2026, 12, 31 },
		{ "1900-01-01", 1900, 1, 1 },
		{ "1970-01-01", 1970, 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cw_date d = parsed(ok[i].s);
		int y, m, dd;

		cr_assert_eq(d, ymd(ok[i].y, ok[i].m, ok[i].d), "%s", ok[i].s);
		cw_date_to_ymd(d, &y, &m, &dd);
		cr_assert(y == ok[i].y && m == ok[i].m && dd == ok[i].d,
			"%s came back as %d-%d-%d", ok[i].s, y, m, dd);
		cr_assert(cw_date_valid(ok[i].s), "%s", ok[i].s);
	}
	cr_assert_eq(parsed("1970-01-01"), 0, "day numbers count from 1970-01-01");
	cr_assert_eq(parsed("1970-01-02"), 1);
}

Test(date, parse_refuses_impossible_and_malformed)
{
	static const char *const bad[] = {
		"2026-02-30", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10",
		"2026-04-31", "2026-01-00", "2026-01-32",
		"2026-1-05", "2026-01-5", "2026-01-05x", "", "20260105", " 2026-01-05",
		"2026-01-05 ", "2026/01/05", "2026-01-0a", "+026-01-05", "2026--1-05",
		"1899-12-31", "abcd-ef-gh",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cw_date d = 12345;

		cw_error_clear();
		cr_assert_eq(cw_date_parse(bad[i], &d), CW_EINVALID, "'%s' should be refused", bad[i]);
		cr_assert_eq(d, 12345, "'%s': the output must not be written on failure", bad[i]);
		cr_assert_eq(cw_error_code(), CW_EINVALID);
		cr_assert_neq(strlen(cw_errmsg()), 0, "'%s': the refusal needs a message", bad[i]);
		cr_assert_not(cw_date_valid(bad[i]), "'%s' is not a valid date", bad[i]);
	}
	cr_assert_eq(cw_date_parse(NULL, &(cw_date){ 0 }), CW_EINVALID);
	cr_assert_not(cw_date_valid(NULL));
}

Test(date, parse_message_names_the_text)
{
	cw_date d;

	cw_error_clear();
	cr_assert_eq(cw_date_parse("2026-02-30", &d), CW_EINVALID);
	cr_assert_not_null(strstr(cw_errmsg(), "2026-02-30"), "message: %s", cw_errmsg());
}

Test(date, format_parse_round_trip)
{
	cw_date start = ymd(1999, 12, 1), end = ymd(2101, 3, 31), d;
	int prev_y = 0, prev_m = 0, prev_d = 0;

	for (d = start; d <= end; d++) {
		char buf[CW_DATE_STRLEN];
		cw_date back = -1;
		int y, m, dd;

		memset(buf, 'x', sizeof(buf));
		cr_assert_eq(cw_date_format(d, buf), buf);
		cr_assert_eq(strlen(buf), 10, "'%s'", buf);
		cr_assert_eq(cw_date_parse(buf, &back), CW_OK, "'%s' does not parse back", buf);
		cr_assert_eq(back, d, "'%s' parses to %d, not %d", buf, back, d);
		cw_date_to_ymd(d, &y, &m, &dd);
		cr_assert_eq(ymd(y, m, dd), d);
		/* consecutive day numbers are consecutive calendar days */
		if (d > start) {
			bool next_day = y == prev_y && m == prev_m && dd == prev_d + 1;
			bool next_month = y == prev_y && m == prev_m + 1 && dd == 1;
			bool next_year = y == prev_y + 1 && m == 1 && dd == 1 && prev_m == 12 && prev_d == 31;

			cr_assert(next_day || next_month || next_year, "%s does not follow %d-%d-%d",
				buf, prev_y, prev_m, prev_d);
		}
		prev_y = y;
		prev_m = m;
		prev_d = dd;
	}
}

Test(date, format_is_zero_padded)
{
	char buf[CW_DATE_STRLEN];

	cr_assert_str_eq(cw_date_format(ymd(2026, 1, 5), buf), "2026-01-05");
	cr_assert_str_eq(cw_date_format(ymd(1900, 3, 1), buf), "1900-03-01");
	cr_assert_str_eq(cw_date_format(0, buf), "1970-01-01");
}

Test(date, iso_weekday)
{
	cw_date d;
	int i;

	cr_assert_eq(cw_date_weekday(parsed("2026-11-23")), 1, "2026-11-23 is a Monday");
	cr_assert_eq(cw_date_weekday(parsed("2026-11-22")), 7, "2026-11-22 is a Sunday");
	cr_assert_eq(cw_date_weekday(parsed("2026-11-28")), 6, "2026-11-28 is a Saturday");
	cr_assert_eq(cw_date_weekday(parsed("1970-01-01")), 4, "1970-01-01 was a Thursday");
	cr_assert_eq(cw_date_weekday(parsed("1969-12-29")), 1, "1969-12-29 was a Monday");
	cr_assert_eq(cw_date_weekday(parsed("1900-01-01")), 1, "1900-01-01 was a Monday");
	cr_assert_eq(cw_date_weekday(parsed("2000-02-29")), 2, "2000-02-29 was a Tuesday");
	/* the weekday advances by one each day, 1..7, before and after 1970 */
	for (d = ymd(1960, 1, 1), i = 0; d < ymd(1980, 1, 1); d++, i++) {
		int w = cw_date_weekday(d), n = cw_date_weekday(d + 1);

		cr_assert(w >= 1 && w <= 7, "weekday %d of day %d", w, d);
		cr_assert_eq(n, w == 7 ? 1 : w + 1, "day %d", d);
	}
}

Test(date, week_start_is_monday)
{
	cw_date mon = parsed("2026-11-23"), d;

	cr_assert_eq(cw_date_week_start(parsed("2026-11-29")), mon, "Sunday belongs to the week before");
	cr_assert_eq(cw_date_week_start(mon), mon, "a Monday is its own week start");
	for (d = mon; d < mon + 7; d++)
		cr_assert_eq(cw_date_week_start(d), mon);
	cr_assert_eq(cw_date_week_start(mon + 7), mon + 7);
	cr_assert_eq(cw_date_week_start(mon - 1), mon - 7);
	/* across a year end: Thursday 2026-01-01 is in the week of Monday 2025-12-29 */
	cr_assert_eq(cw_date_week_start(parsed("2026-01-01")), parsed("2025-12-29"));
	/* before 1970 too */
	cr_assert_eq(cw_date_week_start(parsed("1969-12-31")), parsed("1969-12-29"));
}

Test(date, month_start_and_next)
{
	cr_assert_eq(cw_date_month_start(parsed("2026-01-31")), parsed("2026-01-01"));
	cr_assert_eq(cw_date_month_start(parsed("2026-02-01")), parsed("2026-02-01"));
	cr_assert_eq(cw_date_month_start(parsed("2024-02-29")), parsed("2024-02-01"));
	cr_assert_eq(cw_date_next_month_start(parsed("2026-01-31")), parsed("2026-02-01"));
	cr_assert_eq(cw_date_next_month_start(parsed("2026-01-01")), parsed("2026-02-01"));
	cr_assert_eq(cw_date_next_month_start(parsed("2026-02-28")), parsed("2026-03-01"));
	cr_assert_eq(cw_date_next_month_start(parsed("2026-12-01")), parsed("2027-01-01"),
		"December rolls over to January of the next year");
	cr_assert_eq(cw_date_next_month_start(parsed("2026-12-31")), parsed("2027-01-01"));
	cr_assert_eq(cw_date_month_start(parsed("2026-12-31")), parsed("2026-12-01"));
	cr_assert_eq(cw_date_next_month_start(parsed("2026-11-30")), parsed("2026-12-01"));
}
