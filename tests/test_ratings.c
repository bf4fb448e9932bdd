/* The regulator's ratings: import ratings (the CQC's real header), the
 * history it keeps, and the flags regulator_rating_poor / _stale. */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "flags.h"
#include "carewatch/rules.h"
#include "carewatch/error.h"
#include "cwtest.h"

static cwt t;

/* The columns of the Locations sheet of the CQC's "care directory with ratings". */
#define CQC_HEADER \
	"Location ID,Location ODS Code,Location Name,Care Home?,Location Type," \
	"Location Primary Inspection Category,Location Street Address,Location Address Line 2," \
	"Location City,Location Post Code,Location Local Authority,Location Region," \
	"Location NHS Region,Location ONSPD CCG Code,Location ONSPD CCG," \
	"Location Commissioning CCG Code,Location Commissioning CCG Name," \
	"Service / Population Group,Domain,Latest Rating,Publication Date,Report Type," \
	"Inherited Rating (Y/N),URL,Provider ID,Provider Name,Brand ID,Brand Name\r\n"

/* One row of that sheet. */
static const char *row(const char *id, const char *name, const char *group,
	const char *domain, const char *rating, const char *date)
{
	static char buf[8][1024];
	static int k;
	char *b = buf[k++ % 8];

	snprintf(b, 1024, "%s,VN1,%s,Y,Social Care Org,Residential social care,1 High Street,,"
		"Carewatch,CW1 1AA,Carewatch,South West,South West,E38000001,NHS Carewatch,"
		"E38000001,NHS Carewatch,%s,%s,%s,%s,Location,N,"
		"https://www.cqc.org.uk/location/%s,1-P%s,Care Homes Ltd,-,-\r\n",
		id, name, group, domain, rating, date, id, id);
	return b;
}

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "kim", "--role", "contracts", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "vic", "--role", "viewer", NULL), 0);
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", "Ash House", "--type",
		"care_home_residential", "--regulator-id", "1-101", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", "Birch Court", "--type",
		"care_home_nursing", "--regulator-id", "1-102", NULL), 0, "%s", t.err);
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(ratings, .init = setup, .fini = teardown);

static json_t *flags_of(const char *provider)
{
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", provider, NULL), 0, "%s", t.err);
	return json_object_get(t.json, "flags");
}

static bool has_flag(const json_t *flags, const char *name)
{
	size_t i;
	json_t *f;

	json_array_foreach(flags, i, f)
		if (strcmp(json_string_value(f), name) == 0)
			return true;
	return false;
}

Test(ratings, the_cqc_file_is_read_by_its_own_header)
{
	char text[16384];
	const char *path;

	snprintf(text, sizeof(text), "%s%s%s%s%s%s", CQC_HEADER,
		row("1-101", "Ash House", "Overall", "Overall", "Requires improvement", "15/03/2024"),
		row("1-101", "Ash House", "Overall", "Safe", "Inadequate", "15/03/2024"),
		row("1-102", "Birch Court", "Overall", "Overall", "Good", "01/02/2022"),
		row("1-999", "Somewhere Else", "Overall", "Overall", "Good", "01/06/2025"),
		row("1-103", "Not Yet Rated", "Overall", "Overall", "Not rated", ""));
	path = cwt_file(&t, "ratings.csv", text);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "ratings", path, NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "regulator"), "CQC");
	cr_assert_eq(json_integer_value(json_object_get(t.json, "recorded")), 2);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "matched")), 2);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "unrated")), 1);
	/* A location no provider has is counted and listed, not an error. */
	cr_assert_eq(json_integer_value(json_object_get(t.json, "unmatched_count")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(t.json, "unmatched"), 0), "location_id")), "1-999");
	cr_assert_eq(cwt_count(&t, "regulator_ratings"), 2);
	/* The human summary names the unmatched location too. */
	cr_assert_eq(cwt_run(&t, "alice", "import", "ratings", path, NULL), 0, "%s", t.err);
	cr_assert(strstr(t.out, "1-999") && strstr(t.out, "Somewhere Else"), "%s", t.out);

	/* Only the overall rating counts: Ash House is poor, not inadequate. */
	cr_assert(has_flag(flags_of("Ash House"), "regulator_rating_poor"));
	cr_assert(!has_flag(flags_of("Ash House"), "regulator_rating_stale"));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json,
		"regulator_rating"), "rating")), "Requires improvement");
	/* Good, but published more than 36 months before 2026-11-22. */
	cr_assert(has_flag(flags_of("Birch Court"), "regulator_rating_stale"));
	cr_assert(!has_flag(flags_of("Birch Court"), "regulator_rating_poor"));
	/* Flagged, so on the watch list, with no concern at all. */
	cr_assert_eq(cwt_run(&t, "vic", "--json", "watchlist", NULL), 0, "%s", t.err);
	cr_assert_eq(json_array_size(t.json), 2, "%s", t.out);
	cr_assert(has_flag(json_object_get(json_array_get(t.json, 0), "flags"),
		"regulator_rating_poor") || has_flag(json_object_get(json_array_get(t.json, 1), "flags"),
		"regulator_rating_poor"));
}

/* CIW publishes no standard file we could check; this is the layout the importer documents. */
Test(ratings, a_ciw_register_in_the_documented_layout)
{
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", "Ty Celyn", "--type",
		"care_home_residential", "--regulator-id", "SIN-00012345-ABCD", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "ratings", cwt_file(&t, "ciw.csv",
		"Service ID,Service Name,Overall Rating,Publication Date\r\n"
		"SIN-00012345-ABCD,Ty Celyn,Poor,2026-06-30\r\n"), NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "regulator"), "CIW");
	cr_assert(has_flag(flags_of("Ty Celyn"), "regulator_rating_poor"));
}

Test(ratings, a_title_block_above_the_header_is_skipped)
{
	char text[8192];

	snprintf(text, sizeof(text), "Care directory with ratings,,\r\n,,\r\nProduced 1 November"
		" 2026,,\r\n,,\r\n%s%s", CQC_HEADER,
		row("1-101", "Ash House", "Overall", "Overall", "Inadequate", "2026-10-01"));
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "ratings",
		cwt_file(&t, "r.csv", text), NULL), 0, "%s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "recorded")), 1);
}

Test(ratings, a_malformed_date_names_line_and_column_and_writes_nothing)
{
	char text[8192];

	snprintf(text, sizeof(text), "%s%s%s", CQC_HEADER,
		row("1-101", "Ash House", "Overall", "Overall", "Good", "15/03/2024"),
		row("1-102", "Birch Court", "Overall", "Overall", "Good", "31/02/2024"));
	cr_assert_eq(cwt_run(&t, "alice", "import", "ratings", cwt_file(&t, "bad.csv", text),
		NULL), 2, "%s", t.out);
	cr_assert(strstr(t.err, "bad.csv: line 3, column 21 (Publication Date)"), "%s", t.err);
	cr_assert(strstr(t.err, "31/02/2024"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "regulator_ratings"), 0);
}

Test(ratings, a_file_without_the_columns_is_refused)
{
	cr_assert_eq(cwt_run(&t, "alice", "import", "ratings",
		cwt_file(&t, "x.csv", "Name,Postcode\r\nAsh,CW1\r\n"), NULL), 2);
	cr_assert(strstr(t.err, "no header found"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "vic", "import", "ratings",
		cwt_file(&t, "y.csv", CQC_HEADER), NULL), 5, "%s", t.err);
}

Test(ratings, a_second_import_adds_history_and_keeps_the_first)
{
	char one[8192], two[8192];

	snprintf(one, sizeof(one), "%s%s", CQC_HEADER,
		row("1-101", "Ash House", "Overall", "Overall", "Good", "01/01/2025"));
	snprintf(two, sizeof(two), "%s%s", CQC_HEADER,
		row("1-101", "Ash House", "Overall", "Overall", "Inadequate", "01/10/2026"));
	cr_assert_eq(cwt_run(&t, "alice", "import", "ratings", cwt_file(&t, "1.csv", one), NULL), 0);
	cr_assert(!has_flag(flags_of("Ash House"), "regulator_rating_poor"));
	cr_assert_eq(cwt_run(&t, "alice", "import", "ratings", cwt_file(&t, "2.csv", two), NULL), 0);
	cr_assert(has_flag(flags_of("Ash House"), "regulator_rating_poor"));
	cr_assert_eq(json_array_size(json_object_get(t.json, "regulator_ratings")), 2, "%s", t.out);
	/* Read by a person: in words, newest first, the older one kept under it. */
	cr_assert_eq(cwt_run(&t, "vic", "provider", "show", "Ash House", NULL), 0, "%s", t.err);
	cr_assert(strstr(t.out, "regulator_rating   Inadequate (CQC, published 2026-10-01)\n"),
		"%s", t.out);
	cr_assert(strstr(t.out, "Inadequate (CQC, published 2026-10-01)\n"
		"                   Good (CQC, published 2025-01-01)\n"), "%s", t.out);
	cr_assert_null(strstr(t.out, "{\""), "no raw JSON: %s", t.out);
	/* The same file again adds nothing. */
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "ratings",
		cwt_file(&t, "2.csv", two), NULL), 0);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "unchanged")), 1);
	cr_assert_eq(cwt_count(&t, "regulator_ratings"), 2);
	/* The older file imported later does not hide the newer rating. */
	cr_assert_eq(cwt_run(&t, "alice", "import", "ratings", cwt_file(&t, "1.csv", one), NULL), 0);
	cr_assert(has_flag(flags_of("Ash House"), "regulator_rating_poor"));
}

/* The pure rules at their edges. */
static bool rule(const cw_rules *r, const char *rating, cw_date published, cw_date today,
	cw_flag flag)
{
	cw_flag_facts f;
	cw_flag_set s;

	memset(&f, 0, sizeof(f));
	f.today = today;
	f.rating_set = rating != NULL;
	snprintf(f.rating, sizeof(f.rating), "%s", rating ? rating : "");
	f.rating_published = published;
	cw_flags_evaluate(&f, r, &s);
	return s.on[flag];
}

Test(ratings_rules, stale_after_the_same_day_n_months_on)
{
	cw_rules *r = NULL;
	cw_date p = cw_date_from_ymd(2023, 11, 22), leap = cw_date_from_ymd(2020, 2, 29);

	cr_assert_eq(cw_rules_load_string(&r, "", "defaults"), 0);
	cr_assert(!rule(r, "Good", p, cw_date_from_ymd(2026, 11, 22), CW_FLAG_REGULATOR_RATING_STALE));
	cr_assert(rule(r, "Good", p, cw_date_from_ymd(2026, 11, 23), CW_FLAG_REGULATOR_RATING_STALE));
	/* 29 February: 36 months on is the last day of February. */
	cr_assert(!rule(r, "Good", leap, cw_date_from_ymd(2023, 2, 28), CW_FLAG_REGULATOR_RATING_STALE));
	cr_assert(rule(r, "Good", leap, cw_date_from_ymd(2023, 3, 1), CW_FLAG_REGULATOR_RATING_STALE));
	cr_assert(!rule(r, NULL, 0, cw_date_from_ymd(2026, 1, 1), CW_FLAG_REGULATOR_RATING_STALE));
	cw_rules_free(r);
}

Test(ratings_rules, poor_is_a_configurable_list)
{
	cw_rules *r = NULL;
	cw_date d = cw_date_from_ymd(2026, 1, 1);

	cr_assert_eq(cw_rules_load_string(&r, "", "defaults"), 0);
	cr_assert(rule(r, "Inadequate", d, d, CW_FLAG_REGULATOR_RATING_POOR));
	cr_assert(rule(r, "requires improvement", d, d, CW_FLAG_REGULATOR_RATING_POOR));
	cr_assert(!rule(r, "Good", d, d, CW_FLAG_REGULATOR_RATING_POOR));
	cr_assert(!rule(r, NULL, d, d, CW_FLAG_REGULATOR_RATING_POOR));
	cw_rules_free(r);
	cr_assert_eq(cw_rules_load_string(&r, "flags = { regulator_rating_poor = { ratings ="
		" [ \"Good\" ]; }; regulator_rating_stale = { months = 12; }; };", "mine"), 0,
		"%s", cw_errmsg());
	cr_assert(rule(r, "Good", d, d, CW_FLAG_REGULATOR_RATING_POOR));
	cr_assert(!rule(r, "Inadequate", d, d, CW_FLAG_REGULATOR_RATING_POOR));
	cr_assert(rule(r, "Good", d - 400, d, CW_FLAG_REGULATOR_RATING_STALE));
	cw_rules_free(r);
	cr_assert_neq(cw_rules_load_string(&r, "flags = { regulator_rating_stale = { months = 0; };"
		" };", "zero"), 0);
}
