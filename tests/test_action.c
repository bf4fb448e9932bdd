/* Scenario tests of the action plan, through the binary. */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s", t.code, t.err)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)

typedef char cid[64];

/* Oakwood with an amber concern (3 x 3) and an open case. */
static cid provider, concern, kase;

static void keep_id(char *out)
{
	cr_assert(t.json, "no JSON from the last run: %s", t.err);
	snprintf(out, sizeof(cid), "%s", json_string_value(json_object_get(t.json, "id")));
}

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "quinn", "--role", "qa");
	OK("bob", "--json", "provider", "add", "Oakwood", "--type", "care_home_nursing");
	keep_id(provider);
	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source",
		"monitoring_visit", "--team", "commissioning", "--likelihood", "3", "--impact", "3",
		"--summary", "care plans out of date", "--category", "records");
	keep_id(concern);
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "visit");
	keep_id(kase);
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(action, .init = setup, .fini = teardown, .timeout = 120);

static void add(const char *kind, const char *due, char *id)
{
	OK("bob", "--json", "action", "add", "--case", kase, "--concern", concern, "--kind", kind,
		"--improvement", "review every care plan", "--due", due, "--owner", "Home manager");
	keep_id(id);
}

static long plan_version(void)
{
	OK("bob", "--json", "case", "show", kase);
	return (long)json_integer_value(json_object_get(t.json, "plan_version"));
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

Test(action, add_shows_the_spec_keys_and_the_concern_current_rating)
{
	static const char *const keys[] = {
		"id", "case_id", "concern_id", "kind", "improvement", "owner", "due", "status",
		"completed", "overdue", "extensions", "evidence", "likelihood", "impact", "score",
		"band", NULL
	};
	const char *const *k;
	cid a;

	add("CA", "2026-12-31", a);
	for (k = keys; *k; k++)
		cr_assert(json_object_get(t.json, *k), "no key %s", *k);
	cr_assert_str_eq(cwt_str(&t, "case_id"), kase);
	cr_assert_str_eq(cwt_str(&t, "concern_id"), concern);
	cr_assert_str_eq(cwt_str(&t, "status"), "not_started");
	cr_assert(json_is_null(json_object_get(t.json, "completed")));
	cr_assert(json_is_false(json_object_get(t.json, "overdue")));
	cr_assert_eq(json_integer_value(json_object_get(t.json, "score")), 9);
	cr_assert_str_eq(cwt_str(&t, "band"), "amber");
	/* The item follows the concern as it is re-rated. */
	OK("bob", "concern", "rate", concern, "--likelihood", "1", "--note", "better");
	OK("bob", "--json", "action", "show", a);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "likelihood")), 1);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "impact")), 3);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "score")), 3);
	cr_assert_str_eq(cwt_str(&t, "band"), "green");
	OK("alice", "audit", "verify");
}

Test(action, add_is_refused_for_bad_input_other_providers_and_closed_cases)
{
	cid other, oc, pos, a;
	long n = cwt_count(&t, "actions");

	REFUSED(2, "bob", "action", "add", "--case", kase, "--concern", concern, "--kind", "XA",
		"--improvement", "x", "--due", "2026-12-31", "--owner", "M");
	REFUSED(2, "bob", "action", "add", "--case", kase, "--concern", concern, "--kind", "CA",
		"--improvement", "x", "--due", "2026-02-30", "--owner", "M");
	REFUSED(2, "bob", "action", "add", "--case", kase, "--concern", concern, "--kind", "CA",
		"--improvement", "x", "--due", "2026-12-31");
	REFUSED(2, "bob", "action", "add", "--case", kase, "--concern", concern, "--kind", "CA",
		"--improvement", " ", "--due", "2026-12-31", "--owner", "M");
	REFUSED(3, "bob", "action", "add", "--case", "abcdef12", "--concern", concern, "--kind", "CA",
		"--improvement", "x", "--due", "2026-12-31", "--owner", "M");
	REFUSED(5, "quinn", "action", "add", "--case", kase, "--concern", concern, "--kind", "CA",
		"--improvement", "x", "--due", "2026-12-31", "--owner", "M");
	/* A concern about another provider does not belong in this plan. */
	OK("bob", "--json", "provider", "add", "Birch", "--type", "domiciliary");
	OK("bob", "--json", "concern", "log", "--provider", "Birch", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "late calls");
	keep_id(other);
	REFUSED(4, "bob", "action", "add", "--case", kase, "--concern", other, "--kind", "CA",
		"--improvement", "x", "--due", "2026-12-31", "--owner", "M");
	cr_assert(strstr(t.err, "Birch"), "%s", t.err);
	/* Positive feedback has no risk to reduce. */
	OK("bob", "--json", "concern", "positive", "--provider", "Oakwood", "--team",
		"commissioning", "--summary", "lovely garden");
	keep_id(pos);
	REFUSED(4, "bob", "action", "add", "--case", kase, "--concern", pos, "--kind", "DA",
		"--improvement", "x", "--due", "2026-12-31", "--owner", "M");
	cr_assert_eq(cwt_count(&t, "actions"), n, "a refusal wrote an item");
	/* A closed case's plan no longer changes. */
	add("DA", "2026-12-31", a);
	OK("bob", "concern", "rate", concern, "--likelihood", "2");
	OK("bob", "--json", "case", "close", kase, "--outcome", "improved", "--rationale", "x",
		"--agreed-by", "Health Board");
	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "again");
	keep_id(oc);
	REFUSED(4, "bob", "action", "add", "--case", kase, "--concern", oc, "--kind", "CA",
		"--improvement", "x", "--due", "2026-12-31", "--owner", "M");
	cr_assert(strstr(t.err, "closed"), "%s", t.err);
	REFUSED(4, "bob", "action", "progress", a, "--status", "completed");
	REFUSED(4, "bob", "action", "extend", a, "--due", "2027-01-31", "--rationale", "x");
	OK("alice", "audit", "verify");
}

Test(action, extensions_keep_their_history_and_need_a_rationale)
{
	cid a;
	json_t *ext, *e;
	long ev;

	add("CA", "2026-12-01", a);
	ev = cwt_count(&t, "action_extensions");
	REFUSED(2, "bob", "action", "extend", a, "--due", "2026-12-15");
	REFUSED(2, "bob", "action", "extend", a, "--due", "2026-12-15", "--rationale", "");
	REFUSED(2, "bob", "action", "extend", a, "--due", "2026-12-15", "--rationale", "  \t ");
	REFUSED(2, "bob", "action", "extend", a, "--due", "2026-12-01", "--rationale", "same");
	REFUSED(2, "bob", "action", "extend", a, "--due", "tomorrow", "--rationale", "x");
	REFUSED(3, "bob", "action", "extend", "abcdef12", "--due", "2026-12-15", "--rationale", "x");
	cr_assert_eq(cwt_count(&t, "action_extensions"), ev);
	OK("bob", "action", "extend", a, "--due", "2026-12-15", "--rationale", "manager on leave");
	t.today = "2026-11-29";
	OK("bob", "--json", "action", "extend", a, "--due", "2027-01-10",
		"--rationale", "new system goes live in January");
	cr_assert_str_eq(cwt_str(&t, "due"), "2027-01-10");
	ext = json_object_get(t.json, "extensions");
	cr_assert_eq(json_array_size(ext), 2);
	e = json_array_get(ext, 0);
	cr_assert_str_eq(str(e, "made"), "2026-11-22");
	cr_assert_str_eq(str(e, "from"), "2026-12-01");
	cr_assert_str_eq(str(e, "to"), "2026-12-15");
	cr_assert_str_eq(str(e, "rationale"), "manager on leave");
	e = json_array_get(ext, 1);
	cr_assert_str_eq(str(e, "made"), "2026-11-29");
	cr_assert_str_eq(str(e, "from"), "2026-12-15");
	cr_assert_str_eq(str(e, "to"), "2027-01-10");
	/* A completed item has nothing left to extend. */
	OK("bob", "action", "progress", a, "--status", "completed");
	REFUSED(4, "bob", "action", "extend", a, "--due", "2027-02-10", "--rationale", "x");
	OK("alice", "audit", "verify");
}

Test(action, overdue_starts_the_day_after_the_due_date)
{
	cid a, b;

	add("CA", "2026-11-30", a);
	add("DA", "2026-12-31", b);
	t.today = "2026-11-30";
	OK("bob", "--json", "action", "show", a);
	cr_assert(json_is_false(json_object_get(t.json, "overdue")), "due today is not overdue");
	OK("bob", "--json", "action", "list", "--case", kase, "--overdue");
	cr_assert_eq(json_array_size(t.json), 0);
	t.today = "2026-12-01";
	OK("bob", "--json", "action", "show", a);
	cr_assert(json_is_true(json_object_get(t.json, "overdue")), "the day after is overdue");
	OK("bob", "--json", "action", "list", "--case", kase, "--overdue");
	cr_assert_eq(json_array_size(t.json), 1);
	cr_assert_str_eq(str(json_array_get(t.json, 0), "id"), a);
	OK("bob", "--json", "action", "list", "--case", kase);
	cr_assert_eq(json_array_size(t.json), 2);
	OK("bob", "--json", "case", "show", kase);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "overdue_actions")), 1);
	/* Completed items are never overdue. */
	OK("bob", "action", "progress", a, "--status", "completed");
	OK("bob", "--json", "action", "list", "--case", kase, "--overdue");
	cr_assert_eq(json_array_size(t.json), 0);
	OK("bob", "action", "list", "--case", kase);
	cr_assert(strstr(t.out, "OVERDUE"), "%s", t.out);
}

Test(action, progress_records_completion_and_dated_evidence)
{
	cid a;
	json_t *ev;

	add("CA", "2026-12-31", a);
	REFUSED(2, "bob", "action", "progress", a, "--status", "done");
	REFUSED(2, "bob", "action", "progress", a);
	t.today = "2026-11-25";
	OK("bob", "--json", "action", "progress", a, "--status", "ongoing",
		"--evidence", "half the care plans reviewed");
	cr_assert_str_eq(cwt_str(&t, "status"), "ongoing");
	cr_assert(json_is_null(json_object_get(t.json, "completed")));
	t.today = "2026-12-02";
	OK("bob", "--json", "action", "progress", a, "--status", "completed",
		"--evidence", "all care plans reviewed");
	cr_assert_str_eq(cwt_str(&t, "completed"), "2026-12-02");
	ev = json_object_get(t.json, "evidence");
	cr_assert_eq(json_array_size(ev), 2);
	cr_assert_str_eq(str(json_array_get(ev, 0), "date"), "2026-11-25");
	cr_assert_str_eq(str(json_array_get(ev, 0), "text"), "half the care plans reviewed");
	cr_assert_str_eq(str(json_array_get(ev, 1), "date"), "2026-12-02");
	/* More evidence later keeps the completion date. */
	t.today = "2026-12-05";
	OK("bob", "--json", "action", "progress", a, "--status", "completed", "--evidence", "spot check");
	cr_assert_str_eq(cwt_str(&t, "completed"), "2026-12-02");
	/* Reopened, it is no longer completed. */
	OK("bob", "--json", "action", "progress", a, "--status", "ongoing");
	cr_assert(json_is_null(json_object_get(t.json, "completed")));
	OK("bob", "action", "show", a);
	cr_assert(strstr(t.out, "evidence:") && strstr(t.out, "spot check"), "%s", t.out);
	OK("alice", "audit", "verify");
}

Test(action, every_change_raises_the_plan_version)
{
	cid a;
	long v0, audit0;

	v0 = plan_version();
	cr_assert_eq(v0, 0);
	cr_assert(json_is_null(json_object_get(t.json, "plan_started")));
	audit0 = cwt_count(&t, "audit");
	t.today = "2026-11-23";
	add("CA", "2026-12-31", a);
	cr_assert_eq(plan_version(), 1);
	cr_assert_str_eq(cwt_str(&t, "plan_started"), "2026-11-23");
	cr_assert_str_eq(cwt_str(&t, "plan_updated"), "2026-11-23");
	t.today = "2026-11-24";
	OK("bob", "action", "extend", a, "--due", "2027-01-31", "--rationale", "x");
	cr_assert_eq(plan_version(), 2);
	t.today = "2026-11-25";
	OK("bob", "action", "progress", a, "--status", "ongoing");
	cr_assert_eq(plan_version(), 3);
	cr_assert_str_eq(cwt_str(&t, "plan_started"), "2026-11-23");
	cr_assert_str_eq(cwt_str(&t, "plan_updated"), "2026-11-25");
	/* The same status again, with nothing new, changes nothing. */
	OK("bob", "action", "progress", a, "--status", "ongoing");
	cr_assert_eq(plan_version(), 3);
	cr_assert_eq(cwt_count(&t, "audit"), audit0 + 3, "one audit entry per change");
	/* A refusal leaves the version alone. */
	REFUSED(2, "bob", "action", "extend", a, "--due", "2027-01-31", "--rationale", "x");
	cr_assert_eq(plan_version(), 3);
	OK("alice", "audit", "verify");
}

Test(action, list_needs_a_case_and_orders_by_due_date)
{
	cid a, b;

	add("DA", "2027-01-15", a);
	add("CA", "2026-12-15", b);
	REFUSED(2, "bob", "action", "list");
	OK("bob", "--json", "action", "list", "--case", "Oakwood");
	cr_assert_eq(json_array_size(t.json), 2);
	cr_assert_str_eq(str(json_array_get(t.json, 0), "id"), b);
	cr_assert_str_eq(str(json_array_get(t.json, 1), "id"), a);
	OK("quinn", "action", "list", "--case", kase);
}
