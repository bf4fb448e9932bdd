/*
 * The benchmark's raw-SQL watch list (tests/bench/raw_watchlist.c) is the
 * denominator of the watch list's figure, so it must compute the same
 * facts as cw_watchlist: on the demo area over a year of dates and on a
 * small generated area (from their last recorded day on: an earlier day is
 * read through the as-at views), every listed row's facts equal the raw ones, and
 * every provider the raw facts put on the list is on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/rules.h"
#include "carewatch/watchlist.h"
#include "bench.h"
#include "raw_watchlist.h"
#include "cwtest.h"

static cwt t;

TestSuite(raw_watchlist, .timeout = 300);

static const char *band_or_null(cw_band b)
{
	return b == CW_BAND_NONE ? NULL : cw_band_name(b);
}

static const char *str(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

static long num(const json_t *row, const char *key)
{
	return (long)json_integer_value(json_object_get(row, key));
}

static bool has_flag(const json_t *row, const char *flag)
{
	const json_t *f;
	size_t i;

	json_array_foreach(json_object_get(row, "flags"), i, f)
		if (strcmp(json_string_value(f), flag) == 0)
			return true;
	return false;
}

#define SAME_S(row, key, want) cr_assert_str_eq(str(row, key) ? str(row, key) : "", want, \
	"%s on %s: %s is \"%s\", raw SQL says \"%s\"", r->name, day, key, \
	str(row, key) ? str(row, key) : "", want)
#define SAME_I(row, key, want) cr_assert_eq(num(row, key), (long)(want), \
	"%s on %s: %s is %ld, raw SQL says %ld", r->name, day, key, num(row, key), (long)(want))
#define SAME_B(what, got, want) cr_assert_eq(got, want, "%s on %s: %s is %d, raw SQL says %d", \
	r->name, day, what, got, want)

/* The raw facts as the watch list states them: bands and inclusion. */
struct settled {
	cw_band computed, agreed, effective;
	bool repeated, pova, included;
};

static void settle(const cw_rules *rules, const struct rawwl_row *r, struct settled *s)
{
	static const cw_band order[] = { CW_BAND_RED, CW_BAND_AMBER, CW_BAND_YELLOW, CW_BAND_GREEN };

	memset(s, 0, sizeof(*s));
	for (int k = 3; k >= 0; k--)
		if (r->band[k] > 0)
			s->computed = order[k];
	if (r->agreed[0] && cw_band_parse(r->agreed, &s->agreed) != CW_OK) {
		s->agreed = CW_BAND_NONE;
		cw_error_clear();
	}
	s->effective = s->agreed != CW_BAND_NONE && strcmp(r->agreed_on, r->last_received) >= 0
		? s->agreed : s->computed;
	s->repeated = r->group_window >= cw_rules_int(rules, "flags.repeated_concerns.count");
	s->pova = r->group_pova >= cw_rules_int(rules, "flags.large_scale_pova.count");
	/* What puts a provider on the list by the facts the raw SQL has; flags
	 * it does not compute (ratings, time limits) only ever add to this. */
	s->included = r->case_id[0] || r->tasks > 0 || s->repeated || s->pova || r->regulator_open ||
		r->other_embargo || r->band[0] > 0 ||
		(!(s->agreed == CW_BAND_GREEN && s->effective == CW_BAND_GREEN) &&
		 (s->computed >= CW_BAND_YELLOW || s->agreed >= CW_BAND_YELLOW));
}

static void same_row(const cw_rules *rules, const json_t *row, const struct rawwl_row *r,
	const struct rawwl *w, const char *day)
{
	static const char *const keys[] = { "red", "amber", "yellow", "green" };
	struct settled s;
	const json_t *pls = json_object_get(row, "placements"), *pl;
	size_t i;

	settle(rules, r, &s);
	SAME_S(row, "provider", r->name);
	SAME_S(row, "type", r->type);
	SAME_I(row, "open_concerns", r->open);
	SAME_I(row, "max_score", r->max_score);
	for (int k = 0; k < 4; k++)
		SAME_I(row, keys[k], r->band[k]);
	SAME_I(row, "pova_referrals", r->pova);
	SAME_I(row, "new_since_last_qa", r->new_since_qa);
	SAME_S(row, "computed_band", band_or_null(s.computed) ? band_or_null(s.computed) : "");
	SAME_S(row, "agreed_band", band_or_null(s.agreed) ? band_or_null(s.agreed) : "");
	SAME_S(row, "band", band_or_null(s.effective) ? band_or_null(s.effective) : "");
	SAME_S(row, "case_id", r->case_id);
	SAME_S(row, "stage", r->stage);
	SAME_I(row, "overdue_actions", r->overdue);
	SAME_I(row, "open_tasks", r->tasks);
	SAME_S(row, "next_review", r->next_review);
	SAME_S(row, "ppm_trend", r->ppm_trend);
	SAME_S(row, "last_ppm", r->last_ppm);
	if (!w->qa_held) {
		cr_assert(json_is_null(json_object_get(row, "trend")), "%s on %s: a trend before any QA",
			r->name, day);
	} else {
		cw_band before = CW_BAND_NONE;

		if (r->snapshot_band[0] && cw_band_parse(r->snapshot_band, &before) != CW_OK)
			cw_error_clear();
		SAME_S(row, "trend", !r->in_snapshot ? "new" : s.effective > before ? "increased"
			: s.effective < before ? "decreased" : "same");
	}
	SAME_B("red_concern", has_flag(row, "red_concern"), r->band[0] > 0);
	SAME_B("repeated_concerns", has_flag(row, "repeated_concerns"), s.repeated);
	SAME_B("large_scale_pova", has_flag(row, "large_scale_pova"), s.pova);
	SAME_B("regulator_notice", has_flag(row, "regulator_notice"), r->regulator_open);
	SAME_B("overdue_actions flag", has_flag(row, "overdue_actions"), r->overdue > 0);
	SAME_B("other_commissioner_embargo", has_flag(row, "other_commissioner_embargo"),
		r->other_embargo);
	cr_assert_eq((int)json_array_size(pls), r->npl, "%s on %s: %zu placements, raw SQL %d",
		r->name, day, json_array_size(pls), r->npl);
	json_array_foreach(pls, i, pl) {
		SAME_S(pl, "commissioner", r->pl[i].commissioner);
		SAME_S(pl, "status", r->pl[i].status);
		SAME_S(pl, "kind", r->pl[i].kind);
		SAME_S(pl, "since", r->pl[i].since);
	}
}

/* The typed rows (cw_watchlist_rows) are the same list, row for row. */
static void same_as_typed(cw_db *db, const json_t *list, const char *day)
{
	cw_watch_list *typed = NULL;

	cr_assert_eq(cw_db_begin(db, false), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_watchlist_rows(db, &typed), CW_OK, "%s", cw_errmsg());
	cw_db_rollback(db);
	cr_assert_eq(cw_watch_list_count(typed), json_array_size(list), "on %s", day);
	for (size_t i = 0; i < cw_watch_list_count(typed); i++) {
		const cw_watch_row *r = cw_watch_list_row(typed, i);
		json_t *j = cw_watch_row_json(r);

		cr_assert(json_equal(j, json_array_get(list, i)), "%s on %s: typed row differs",
			r->provider, day);
		cr_assert_eq((int)r->nflags, (int)json_array_size(json_object_get(j, "flags")));
		json_decref(j);
	}
	cr_assert_null(cw_watch_list_row(typed, cw_watch_list_count(typed)));
	cw_watch_list_free(typed);
}

/* Compare as of `today`; return how many rows were listed. */
static size_t compare(const char *path, const cw_rules *rules, cw_date today)
{
	cw_db *db = NULL;
	sqlite3 *h = NULL;
	struct rawwl w;
	struct rawwl_params p;
	json_t *list = NULL, *row;
	char day[CW_DATE_STRLEN];
	size_t i, listed = 0;

	cw_date_format(today, day);
	cr_assert_eq(cw_db_open(&db, path, rules, today, false), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_begin(db, false), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_watchlist(db, &list), CW_OK, "%s", cw_errmsg());
	cw_db_rollback(db);
	same_as_typed(db, list, day);
	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(rawwl_open(&w, h), 0);
	rawwl_params_from(rules, today, &p);
	cr_assert_eq(rawwl_run(&w, h, &p), 0);
	json_array_foreach(list, i, row) {
		const struct rawwl_row *r = rawwl_find(&w, str(row, "provider_id"));

		cr_assert_not_null(r, "%s listed on %s, unknown to the raw SQL", str(row, "provider"), day);
		same_row(rules, row, r, &w, day);
	}
	for (i = 0; i < w.n; i++) {
		struct settled s;
		const json_t *hit = NULL;
		size_t j;

		settle(rules, &w.rows[i], &s);
		json_array_foreach(list, j, row)
			if (strcmp(str(row, "provider_id"), w.rows[i].id) == 0)
				hit = row;
		if (s.included)
			cr_assert_not_null(hit, "%s on %s: the raw facts list it, the watch list does not",
				w.rows[i].name, day);
		listed += hit != NULL;
	}
	cr_assert_eq(listed, json_array_size(list));
	json_decref(list);
	rawwl_close(&w);
	sqlite3_close(h);
	cw_db_close(db);
	return listed;
}

Test(raw_watchlist, agrees_with_the_library_on_the_demo_area)
{
	cw_rules *r = NULL;
	cw_date today = cw_date_from_ymd(2026, 11, 22);
	size_t listed = 0;

	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "admin", "init", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "admin", "demo", NULL), 0, "%s", t.err);
	cr_assert_eq(cw_rules_load(&r, NULL), CW_OK, "%s", cw_errmsg());
	/*
	 * Every few days from the demo's last recorded day on. An earlier
	 * --today shows the list as it stood that day (the as-at views of
	 * store.h), which the raw SQL, reading the present tables, does not.
	 */
	for (int d = 0; d <= 400; d += 5)
		listed += compare(t.db, r, today + d);
	cr_assert_gt(listed, 100, "the demo area lists too little to compare (%zu)", listed);
	cw_rules_free(r);
	cwt_teardown(&t);
}

Test(raw_watchlist, agrees_with_the_library_on_a_generated_area)
{
	struct world w = { 0 };
	struct gen_summary s;
	cw_rules *r = NULL;
	char path[512];
	size_t listed;

	cwt_setup(&t, NULL);
	snprintf(path, sizeof(path), "%s.gen", t.db);
	w.providers = 200;
	w.concerns = 3000;
	w.span_days = world_span_days(w.providers, w.concerns);
	w.seed = 7;
	w.today = cw_date_from_ymd(2025, 6, 30);
	cw_date_format(w.today, w.today_s);
	cr_assert_eq(gen_world(path, &w, &s), CW_OK, "%s", cw_errmsg());
	cr_assert_gt(s.cases, 3);
	cr_assert_eq(cw_rules_load(&r, NULL), CW_OK, "%s", cw_errmsg());
	listed = compare(path, r, w.today);
	cr_assert_gt(listed, 10, "the generated area lists too little (%zu)", listed);
	compare(path, r, w.today + 40);
	compare(path, r, w.today + 100);
	cw_rules_free(r);
	cwt_teardown(&t);
}
