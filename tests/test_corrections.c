/*
 * Corrections, never deletion (SPEC §2): each correction through the binary
 * keeps before and after (on `show` and in the audit entry), deletes
 * nothing (every table's row count only grows), refuses a missing reason
 * (exit 2) and an unknown id (exit 3) with nothing written; and what a
 * withdrawn, closed, cancelled or lifted record no longer counts for.
 */
#include <stdio.h>
#include <sqlite3.h>
#include "cwscenario.h"

static cwt t;
static cid kase;

/* Oakwood, contracted by the County Council (lead), with a case at
 * provider_performance; bob works in contracts, dora is the director. */
static void setup(void)
{
	cwt_setup(&t, "alice");
	t.today = "2026-11-18";
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_nursing",
		"--commissioner", "County Council");
	OK("bob", "provider", "add", "Elm House", "--type", "domiciliary");
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "ref"));
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(corrections, .init = setup, .fini = teardown, .timeout = 120);

/* The row count of every table of the database, as {table: count}. */
static json_t *counts(void)
{
	json_t *c = json_object();
	sqlite3 *db;
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_open_v2(t.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
		" AND name NOT LIKE 'sqlite_%'", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		json_object_set_new(c, name, json_integer(cwt_count(&t, name)));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return c;
}

/* Every table has at least as many rows as before; `same` asks for exactly
 * as many (a refusal writes nothing). The snapshot is consumed. */
static void rows_kept(json_t *before, bool same)
{
	json_t *after = counts(), *n;
	const char *table;

	json_object_foreach(before, table, n) {
		long was = (long)json_integer_value(n);
		long now = (long)json_integer_value(json_object_get(after, table));

		if (same)
			cr_assert_eq(now, was, "table %s: %ld rows, was %ld", table, now, was);
		else
			cr_assert_geq(now, was, "table %s lost rows: %ld, was %ld", table, now, was);
	}
	json_decref(after);
	json_decref(before);
}

static void log_concern(const char *provider, const char *l, const char *i, cid out)
{
	OK("bob", "--json", "concern", "log", "--provider", provider, "--source", "complaint",
		"--team", "commissioning", "--likelihood", l, "--impact", i, "--summary",
		"medication errors");
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "ref"));
}

static void add_action(const char *concern, const char *due, cid out)
{
	OK("bob", "--json", "action", "add", "--case", kase, "--concern", concern, "--kind", "CA",
		"--improvement", "audit medication", "--due", due, "--owner", "Manager");
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "ref"));
}

/* The correction of `field` in the last JSON's `corrections` (NULL: none). */
static json_t *correction(const char *field)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(t.json, "corrections"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "field")), field) == 0)
			return c;
	return NULL;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A correction as `show` gives it: before, after, reason, by and when. */
static void assert_fix(const char *field, const char *before, const char *after,
	const char *reason, const char *by)
{
	json_t *c = correction(field);

	cr_assert(c, "no correction of %s in: %s", field, t.out);
	cr_assert_str_eq(jstr(c, "before"), before);
	cr_assert_str_eq(jstr(c, "after"), after);
	cr_assert_str_eq(jstr(c, "reason"), reason);
	cr_assert_str_eq(jstr(c, "by"), by);
	cr_assert_str_eq(jstr(c, "at"), t.today);
}

/* The audit entry `action` of the entity `family show ref` names carries the
 * reason and before/after (family NULL: `ref` is the id itself). */
static void assert_audited(const char *family, const char *ref, const char *action,
	const char *before, const char *after, const char *reason)
{
	cid id;

	snprintf(id, sizeof(id), "%s", ref);
	if (family) {
		OK("bob", "--json", family, "show", ref);
		snprintf(id, sizeof(id), "%s", cwt_str(&t, "id"));
	}
	OK("alice", "--json", "audit", "--entity", id);
	HAS(t.out, action);
	HAS(t.out, before);
	HAS(t.out, after);
	HAS(t.out, reason);
}

Test(corrections, concern_edit_keeps_before_and_after_and_deletes_nothing)
{
	json_t *before;
	cid c;

	log_concern("Oakwood", "2", "2", c);
	before = counts();
	OK("bob", "--json", "concern", "edit", c, "--summary", "medicines stored unlocked",
		"--team", "safeguarding", "--received", "16/11/2026", "--reason", "typed from the wrong form");
	cr_assert_str_eq(cwt_str(&t, "summary"), "medicines stored unlocked");
	cr_assert_str_eq(cwt_str(&t, "received"), "2026-11-16");
	OK("bob", "--json", "concern", "show", c);
	assert_fix("summary", "medication errors", "medicines stored unlocked",
		"typed from the wrong form", "bob");
	assert_fix("team", "commissioning", "safeguarding", "typed from the wrong form", "bob");
	assert_fix("received", "2026-11-18", "2026-11-16", "typed from the wrong form", "bob");
	cr_assert_null(correction("source"), "an unchanged field is no correction");
	OK("bob", "concern", "show", c);
	HAS(t.out, "corrections:");
	HAS(t.out, "medication errors");
	assert_audited("concern", c, "concern.edit", "medication errors", "medicines stored unlocked",
		"typed from the wrong form");
	rows_kept(before, false);
	cr_assert_eq(cwt_count(&t, "corrections"), 3);
	/* The rating is not an edit's: likelihood is `rate`, impact never changes. */
	REFUSED(2, "bob", "concern", "edit", c, "--impact", "4", "--reason", "x");
	REFUSED(2, "bob", "concern", "edit", c, "--reason", "nothing given");
	/* The POVA references go with the source: withdraw and log again instead. */
	REFUSED(4, "bob", "concern", "edit", c, "--source", "pova_referral", "--reason", "x");
	HAS(t.err, "--replaces");
	OK("alice", "audit", "verify", "--deep");
}

Test(corrections, every_correction_refuses_a_missing_reason_and_an_unknown_id)
{
	static const char *const missing[][8] = {
		{ "concern", "edit", "C-0001", "--summary", "x", NULL },
		{ "concern", "withdraw", "C-0001", NULL },
		{ "action", "edit", "A-0001", "--owner", "x", NULL },
		{ "action", "withdraw", "A-0001", NULL },
		{ "provider", "edit", "Oakwood", "--type", "other", NULL },
		{ "provider", "close", "Oakwood", NULL },
		{ "placement", "lift", "--provider", "Oakwood", "--commissioner", "County Council", NULL },
	};
	static const char *const unknown[][8] = {
		{ "concern", "edit", "C-0099", "--summary", "x", "--reason", "r", NULL },
		{ "concern", "withdraw", "C-0099", "--reason", "r", NULL },
		{ "action", "edit", "A-0099", "--owner", "x", "--reason", "r", NULL },
		{ "action", "withdraw", "A-0099", "--reason", "r", NULL },
		{ "provider", "edit", "Nowhere", "--type", "other", "--reason", "r", NULL },
		{ "provider", "close", "Nowhere", "--reason", "r", NULL },
		{ "placement", "cancel", "deadbeef", "--reason", "r", NULL },
	};
	json_t *before;
	cid c, a;
	size_t i;

	log_concern("Oakwood", "2", "2", c);
	add_action(c, "2026-12-01", a);
	before = counts();
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		cr_assert_eq(cwt_runv(&t, "dora", missing[i]), 2, "%s %s without a reason: exit %d",
			missing[i][0], missing[i][1], t.code);
		HAS(t.err, "reason");
	}
	REFUSED(2, "bob", "placement", "cancel", "deadbeef");
	HAS(t.err, "reason");
	REFUSED(2, "bob", "concern", "withdraw", c, "--reason", "");
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		cr_assert_eq(cwt_runv(&t, "dora", unknown[i]), 3, "%s %s of an unknown id: exit %d: %s",
			unknown[i][0], unknown[i][1], t.code, t.err);
	REFUSED(3, "dora", "placement", "lift", "--provider", "Nowhere", "--commissioner",
		"County Council", "--reason", "r");
	rows_kept(before, true);
}

Test(corrections, a_withdrawn_concern_no_longer_makes_the_provider_red)
{
	json_t *before;
	cid c;

	log_concern("Oakwood", "4", "4", c);
	OK("bob", "--json", "provider", "show", "Oakwood");
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	/* Withdrawing is no way around resolve_red: a red concern, the decision role. */
	REFUSED(4, "bob", "concern", "withdraw", c, "--reason", "logged against the wrong home");
	HAS(t.err, "decision role");
	before = counts();
	OK("dora", "--json", "concern", "withdraw", c, "--reason", "logged against the wrong home");
	cr_assert_str_eq(cwt_str(&t, "status"), "withdrawn");
	assert_fix("status", "open", "withdrawn", "logged against the wrong home", "dora");
	rows_kept(before, false);
	OK("bob", "--json", "provider", "show", "Oakwood");
	cr_assert(json_is_null(json_object_get(t.json, "band")), "still banded: %s", t.out);
	cr_assert_eq(json_array_size(json_object_get(t.json, "flags")), 0, "flags: %s", t.out);
	/* ...and on the provider's timeline data, naming the concern. */
	HAS(t.out, "\"label\": \"C-0001\"");
	/* It stays visible, as withdrawn. */
	OK("bob", "concern", "list", "--provider", "Oakwood");
	HAS(t.out, "withdrawn");
	OK("bob", "watchlist", "--format", "json");
	cr_assert(json_is_null(json_object_get(json_array_get(t.json, 0), "band")) &&
		json_integer_value(json_object_get(json_array_get(t.json, 0), "red")) == 0 &&
		json_integer_value(json_object_get(json_array_get(t.json, 0), "new_since_last_qa")) == 0,
		"the watch list still counts it: %s", t.out);
	REFUSED(4, "dora", "concern", "withdraw", c, "--reason", "again");
	REFUSED(4, "bob", "concern", "rate", c, "--likelihood", "1");
	assert_audited("concern", c, "concern.withdraw", "open", "withdrawn", "logged against the wrong home");

	/* Logged again against the right provider, the two name each other. */
	OK("bob", "--json", "concern", "log", "--provider", "Elm House", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "4", "--impact", "4", "--summary",
		"medication errors", "--replaces", c);
	cr_assert_str_eq(cwt_str(&t, "ref"), "C-0002");
	OK("bob", "--json", "concern", "show", "C-0002");
	cr_assert_str_eq(cwt_str(&t, "replaces"), c);
	OK("bob", "--json", "concern", "show", c);
	cr_assert_str_eq(cwt_str(&t, "replaced_by"), "C-0002");
	/* Only a withdrawn concern is logged again, and only once. */
	REFUSED(4, "bob", "concern", "log", "--provider", "Elm House", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "1", "--impact", "1", "--summary", "x",
		"--replaces", c);
	REFUSED(4, "bob", "concern", "log", "--provider", "Elm House", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "1", "--impact", "1", "--summary", "x",
		"--replaces", "C-0002");
	OK("alice", "audit", "verify", "--deep");
}

static bool has_flag(const json_t *o, const char *flag)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(o, "flags"), i, f)
		if (json_string_value(f) && strcmp(json_string_value(f), flag) == 0)
			return true;
	return false;
}

/* A withdrawn concern no longer counts towards a flag's window or what is
 * new since the last QA meeting. */
Test(corrections, a_withdrawn_concern_leaves_the_windows)
{
	cid a, b, c;

	OK("alice", "user", "add", "quinn", "--role", "qa");
	OK("quinn", "qa", "record", "--date", "2026-11-17");
	log_concern("Oakwood", "1", "2", a);
	log_concern("Oakwood", "1", "2", b);
	log_concern("Oakwood", "1", "2", c);
	OK("bob", "--json", "provider", "show", "Oakwood");
	cr_assert(has_flag(t.json, "repeated_concerns"), "no flag to lose: %s", t.out);
	OK("bob", "watchlist", "--format", "json");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(t.json, 0),
		"new_since_last_qa")), 3, "%s", t.out);
	cr_assert(has_flag(json_array_get(t.json, 0), "repeated_concerns"), "%s", t.out);
	OK("bob", "concern", "withdraw", c, "--reason", "the same complaint twice");
	OK("bob", "--json", "provider", "show", "Oakwood");
	cr_assert(!has_flag(t.json, "repeated_concerns"), "still flagged: %s", t.out);
	OK("bob", "watchlist", "--format", "json");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(t.json, 0),
		"new_since_last_qa")), 2, "%s", t.out);
	cr_assert(!has_flag(json_array_get(t.json, 0), "repeated_concerns"), "%s", t.out);
}

Test(corrections, a_withdrawn_action_is_not_overdue_and_does_not_block_closure)
{
	json_t *before;
	cid c, a;

	log_concern("Oakwood", "2", "3", c);
	add_action(c, "2026-11-20", a);
	OK("bob", "action", "edit", a, "--owner", "Deputy manager", "--improvement",
		"audit medication weekly", "--reason", "the plan names the deputy");
	OK("bob", "--json", "action", "show", a);
	assert_fix("owner", "Manager", "Deputy manager", "the plan names the deputy", "bob");
	assert_fix("improvement", "audit medication", "audit medication weekly",
		"the plan names the deputy", "bob");
	assert_audited("action", a, "action.edit", "Manager", "Deputy manager", "the plan names the deputy");
	t.today = "2026-11-25";
	OK("bob", "--json", "action", "list", "--case", kase, "--overdue");
	cr_assert_eq(json_array_size(t.json), 1, "not overdue: %s", t.out);
	/* Its concern's likelihood has not fallen: the item blocks closure. */
	REFUSED(4, "bob", "--json", "case", "close", kase, "--outcome", "improved", "--rationale",
		"better", "--agreed-by", "Health Board");
	HAS(t.out, a);
	before = counts();
	OK("bob", "--json", "action", "withdraw", a, "--reason", "entered twice");
	cr_assert_str_eq(cwt_str(&t, "status"), "withdrawn");
	cr_assert(json_is_false(json_object_get(t.json, "overdue")));
	assert_fix("status", "not_started", "withdrawn", "entered twice", "bob");
	rows_kept(before, false);
	OK("bob", "--json", "action", "list", "--case", kase, "--overdue");
	cr_assert_eq(json_array_size(t.json), 0, "a withdrawn item is overdue: %s", t.out);
	OK("bob", "action", "list", "--case", kase);
	HAS(t.out, "withdrawn");
	REFUSED(4, "bob", "action", "progress", a, "--status", "completed");
	REFUSED(4, "bob", "action", "extend", a, "--due", "2026-12-20", "--rationale", "x");
	REFUSED(4, "bob", "action", "withdraw", a, "--reason", "again");
	assert_audited("action", a, "action.withdraw", "not_started", "withdrawn", "entered twice");
	OK("bob", "case", "close", kase, "--outcome", "improved", "--rationale", "better",
		"--agreed-by", "Health Board", "--override", "letters sent by post");
	OK("alice", "audit", "verify", "--deep");
}

/* Oakwood's id (the audit trail is listed by id). */
static const char *provider_id(void)
{
	static cid id;

	OK("bob", "--json", "provider", "show", "Oakwood");
	snprintf(id, sizeof(id), "%s", cwt_str(&t, "id"));
	return id;
}

Test(corrections, provider_edit_and_close_keep_what_was)
{
	json_t *before;

	before = counts();
	OK("bob", "--json", "provider", "edit", "Oakwood", "--type", "care_home_residential",
		"--regulator-id", "1-234", "--group", "Acme Care", "--in-house", "--add-commissioner",
		"Health Board", "--remove-commissioner", "County Council", "--reason", "contract papers");
	cr_assert_str_eq(cwt_str(&t, "type"), "care_home_residential");
	cr_assert_str_eq(cwt_str(&t, "group"), "Acme Care");
	cr_assert(json_is_true(json_object_get(t.json, "in_house")));
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t.json, "commissioners"), 0)),
		"Health Board");
	cr_assert_eq(json_array_size(json_object_get(t.json, "commissioners")), 1);
	assert_fix("type", "care_home_nursing", "care_home_residential", "contract papers", "bob");
	assert_fix("regulator_id", "", "1-234", "contract papers", "bob");
	assert_fix("in_house", "no", "yes", "contract papers", "bob");
	assert_fix("group", "", "Acme Care", "contract papers", "bob");
	rows_kept(before, false);
	/* The link taken off is kept, with the day it went. */
	cr_assert_eq(cwt_count(&t, "provider_commissioners WHERE removed = '2026-11-18'"), 1);
	assert_audited("provider", "Oakwood", "provider.edit", "care_home_nursing", "care_home_residential",
		"contract papers");
	REFUSED(4, "bob", "provider", "edit", "Oakwood", "--remove-commissioner", "County Council",
		"--reason", "x");
	REFUSED(2, "bob", "provider", "edit", "Oakwood", "--type", "care_home_residential",
		"--reason", "the same");

	/* Closing is the decision role's, never after today, and refuses placements. */
	REFUSED(4, "bob", "provider", "close", "Oakwood", "--reason", "service closed");
	REFUSED(2, "dora", "provider", "close", "Oakwood", "--reason", "x", "--date", "2026-12-01");
	cr_assert_eq(RUN("bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "Health Board"), 0, "%s", t.err);
	before = counts();
	OK("dora", "--json", "provider", "close", "Oakwood", "--reason", "the home has closed",
		"--date", "2026-11-17");
	cr_assert_str_eq(cwt_str(&t, "status"), "closed");
	cr_assert_str_eq(cwt_str(&t, "closed"), "2026-11-17");
	assert_fix("status", "active", "closed", "the home has closed", "dora");
	rows_kept(before, false);
	REFUSED(4, "bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "Health Board");
	HAS(t.err, "closed");
	before = counts();
	REFUSED(4, "bob", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "Health Board");
	rows_kept(before, true);
	OK("bob", "--json", "provider", "list");
	HAS(t.out, "\"closed\"");
	REFUSED(4, "dora", "provider", "close", "Oakwood", "--reason", "again");
	OK("alice", "audit", "verify", "--deep");
}

/* The County Council restricts Oakwood to one admission a week. */
static void restrict_one_a_week(void)
{
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-18", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same", "--next", "2026-12-18");
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "mandatory",
		"--reason", "unsafe staffing levels", "--meeting", "2026-11-18");
	OK("dora", "case", "restart", kase, "--commissioner", "County Council", "--reason", "better",
		"--max-admissions", "1", "--per", "week");
}

static int check(const char *date)
{
	return RUN("bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "County Council", "--date", date);
}

Test(corrections, a_cancelled_placement_frees_the_cap)
{
	json_t *before;
	cid p;

	restrict_one_a_week();
	OK("bob", "--json", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--date", "2026-11-19");
	snprintf(p, sizeof(p), "%s", cwt_str(&t, "id"));
	cr_assert_eq(check("2026-11-20"), 4, "the cap holds: %s", t.out);
	before = counts();
	OK("bob", "--json", "placement", "cancel", p, "--reason", "recorded for the wrong home");
	cr_assert_str_eq(cwt_str(&t, "status"), "cancelled");
	assert_fix("status", "recorded", "cancelled", "recorded for the wrong home", "bob");
	rows_kept(before, false);
	cr_assert_eq(cwt_count(&t, "placements"), 1, "the placement is kept");
	cr_assert_eq(check("2026-11-20"), 0, "a cancelled placement still counts: %s", t.out);
	OK("bob", "--json", "placement", "list", "--provider", "Oakwood");
	cr_assert_eq(json_array_size(t.json), 1, "%s", t.out);
	cr_assert_str_eq(jstr(json_array_get(t.json, 0), "id"), p);
	cr_assert_str_eq(jstr(json_array_get(t.json, 0), "status"), "cancelled");
	REFUSED(4, "bob", "placement", "cancel", p, "--reason", "again");
	assert_audited(NULL, p, "placement.cancel", "recorded", "cancelled", "recorded for the wrong home");
	OK("bob", "--json", "provider", "show", "Oakwood");
	HAS(t.out, "recorded for the wrong home");
	OK("alice", "audit", "verify", "--deep");
}

Test(corrections, placement_lift_ends_a_cap)
{
	json_t *before;

	restrict_one_a_week();
	OK("bob", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--date", "2026-11-19");
	cr_assert_eq(check("2026-11-20"), 4, "the cap holds: %s", t.out);
	before = counts();
	REFUSED(4, "bob", "placement", "lift", "--provider", "Oakwood", "--commissioner",
		"County Council", "--reason", "case improved");
	HAS(t.err, "decision role");
	rows_kept(before, true);
	before = counts();
	OK("dora", "--json", "placement", "lift", "--provider", "Oakwood", "--commissioner",
		"County Council", "--reason", "the home has improved");
	cr_assert_str_eq(cwt_str(&t, "status"), "open");
	cr_assert_str_eq(cwt_str(&t, "lifted"), "restricted");
	rows_kept(before, false);
	cr_assert_eq(check("2026-11-20"), 0, "the cap outlived its lifting: %s", t.out);
	OK("bob", "--json", "provider", "show", "Oakwood");
	assert_fix("placements (County Council)", "restricted", "open", "the home has improved",
		"dora");
	OK("alice", "--json", "audit", "--entity", provider_id());
	HAS(t.out, "placement.lift");
	HAS(t.out, "the home has improved");
	REFUSED(4, "dora", "placement", "lift", "--provider", "Oakwood", "--commissioner",
		"County Council", "--reason", "again");
	HAS(t.err, "nothing to lift");
	OK("alice", "audit", "verify", "--deep");
}

Test(corrections, closing_as_improved_lifts_the_lead_cap)
{
	restrict_one_a_week();
	cr_assert_eq(check("2026-11-19"), 0, "%s", t.err);
	OK("bob", "case", "close", kase, "--outcome", "improved", "--rationale", "better",
		"--agreed-by", "Health Board", "--override", "letters sent by post");
	OK("bob", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--date", "2026-11-19");
	cr_assert_eq(check("2026-11-19"), 0, "a cap outlived its case: %s", t.out);
	cr_assert(json_is_null(json_object_get(t.json, "cap")), "%s", t.out);
}
