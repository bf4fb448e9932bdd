/*
 * Scenario tests of placement control (SPEC §2, §6) through the binary:
 * suspending and restarting for the lead and for other commissioners, the
 * placement check and its caps at period boundaries, and recording.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/error.h"
#include "carewatch/placement.h"
#include "cwscenario.h"

static cwt t;

static cid kase;

static void keep_id(char *out)
{
	cr_assert(t.json, "no JSON from the last run: %s", t.err);
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "id"));
	cr_assert(out[0], "no id in the last output");
}

/* Oakwood, contracted by the County Council (lead) and the Health Board,
 * with a case at provider_performance. "Today" is Wednesday 18 November. */
static void setup(void)
{
	cwt_setup(&t, "alice");
	t.today = "2026-11-18";
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "vic", "--role", "viewer");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_nursing",
		"--commissioner", "County Council", "--commissioner", "Health Board");
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	keep_id(kase);
	t.today = "2026-11-10";   /* escalated before the meeting that recommends the embargo */
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	t.today = "2026-11-18";
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-16", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "increased");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(placement, .init = setup, .fini = teardown, .timeout = 120);

static void suspend(const char *commissioner)
{
	OK("dora", "--json", "case", "suspend", kase, "--commissioner", commissioner,
		"--kind", "mandatory", "--reason", "unsafe staffing levels", "--meeting", "2026-11-16");
}

static const char *stage(void)
{
	OK("bob", "--json", "case", "show", kase);
	return cwt_str(&t, "stage");
}

/* The placements entry of a commissioner in the last case JSON. */
static json_t *control(const char *commissioner)
{
	size_t i;
	json_t *p;

	json_array_foreach(json_object_get(t.json, "placements"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "commissioner")), commissioner) == 0)
			return p;
	cr_assert_fail("no placements entry for %s", commissioner);
	return NULL;
}

static const char *ctl_str(const char *commissioner, const char *key)
{
	const char *s = json_string_value(json_object_get(control(commissioner), key));

	return s ? s : "";
}

static int check(const char *commissioner, const char *date)
{
	return RUN("bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", commissioner, "--date", date);
}

static void admit(const char *date)
{
	OK("bob", "placement", "record", "--provider", "Oakwood", "--commissioner", "County Council",
		"--date", date);
}

static bool allowed(void)
{
	return json_is_true(json_object_get(t.json, "allowed"));
}

static void restart_complete_plan(void)
{
	OK("dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "action plan completed", "--max-admissions", "2", "--per", "week");
}

Test(placement, a_director_suspends_and_the_check_refuses_naming_kind_and_date)
{
	OK("bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "County Council");
	cr_assert(allowed());
	suspend("County Council");
	cr_assert_str_eq(cwt_str(&t, "stage"), "embargo");
	cr_assert_str_eq(ctl_str("County Council", "status"), "suspended");
	cr_assert_str_eq(ctl_str("County Council", "kind"), "mandatory");
	cr_assert_str_eq(ctl_str("County Council", "since"), "2026-11-18");
	cr_assert_str_eq(ctl_str("Health Board", "status"), "open");
	cr_assert(json_is_null(json_object_get(control("County Council"), "conditions")));

	/* Refused with exit 4, still one JSON decision on stdout. */
	REFUSED(4, "bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "County Council");
	cr_assert(!allowed());
	cr_assert(json_is_array(json_object_get(t.json, "warnings")));
	cr_assert(json_object_get(t.json, "used") && json_object_get(t.json, "cap"));
	HAS(cwt_str(&t, "reason"), "mandatory embargo since 2026-11-18");
	HAS(cwt_str(&t, "reason"), "County Council");
	HAS(t.err, "mandatory embargo since 2026-11-18");
	/* As text too. */
	REFUSED(4, "bob", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "County Council");
	HAS(t.out, "allowed");
	HAS(t.out, "mandatory embargo since 2026-11-18");
	/* Before the embargo started, placements were open. */
	cr_assert_eq(check("County Council", "2026-11-17"), 0, "%s", t.err);
	/* A second suspension by the same body is refused: for the lead the case is
	 * already in embargo, for another body its embargo is already in place. */
	REFUSED(4, "dora", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "voluntary", "--reason", "again");
	HAS(t.err, "in stage embargo");
	OK("dora", "case", "suspend", kase, "--commissioner", "Health Board",
		"--kind", "voluntary", "--reason", "agreed with the provider");
	REFUSED(4, "dora", "case", "suspend", kase, "--commissioner", "Health Board",
		"--kind", "mandatory", "--reason", "again");
	HAS(t.err, "Health Board has already suspended");
	cr_assert_eq(cwt_count(&t, "placement_controls"), 2);
	OK("alice", "audit", "verify");
}

Test(placement, only_the_decision_role_may_suspend_or_restart)
{
	REFUSED(5, "bob", "--json", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "unsafe");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "forbidden");
	HAS(t.err, "decision role 'director'");
	REFUSED(5, "vic", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "unsafe");
	cr_assert_eq(cwt_count(&t, "placement_controls"), 0);
	cr_assert_str_eq(stage(), "provider_performance");
	suspend("County Council");
	REFUSED(5, "bob", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better");
	cr_assert_eq(cwt_count(&t, "placement_controls"), 1);
	cr_assert_str_eq(stage(), "embargo");
}

Test(placement, bad_suspend_and_restart_options_are_invalid)
{
	REFUSED(2, "dora", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "partial", "--reason", "x");
	REFUSED(2, "dora", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "x", "--meeting", "2026-12-01");
	REFUSED(3, "dora", "case", "suspend", kase, "--commissioner", "Nobody",
		"--kind", "mandatory", "--reason", "x");
	suspend("County Council");
	REFUSED(2, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "x", "--max-admissions", "2");
	HAS(t.err, "--per");
	REFUSED(2, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "x", "--per", "week");
	HAS(t.err, "--max-admissions");
	REFUSED(2, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "x", "--max-admissions", "0", "--per", "week");
	REFUSED(2, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "x", "--max-hours", "0");
	cr_assert_str_eq(stage(), "embargo");
}

Test(placement, lead_suspend_is_refused_outside_provider_performance)
{
	cid c;

	OK("bob", "provider", "add", "Birch", "--type", "domiciliary");
	OK("bob", "--json", "case", "open", "--provider", "Birch", "--reason", "x");
	keep_id(c);
	REFUSED(4, "dora", "case", "suspend", c, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "x");
	HAS(t.err, "is in stage quality_assurance");
	HAS(t.err, "lead commissioner");
	/* Another body may record its own embargo at stage 1: the stage stays. */
	OK("dora", "--json", "case", "suspend", c, "--commissioner", "Health Board",
		"--kind", "voluntary", "--reason", "provider limits its own admissions");
	cr_assert_str_eq(cwt_str(&t, "stage"), "quality_assurance");
	/* Restart needs an embargo of that body; the lead has none at this stage. */
	REFUSED(4, "dora", "case", "restart", c, "--commissioner", "County Council",
		"--reason", "x");
	OK("dora", "case", "restart", c, "--commissioner", "Health Board", "--reason", "lifted");
	REFUSED(4, "dora", "case", "restart", c, "--commissioner", "Health Board", "--reason", "x");
	HAS(t.err, "nothing to restart");
}

Test(placement, restart_needs_corrective_actions_done_then_caps_admissions_per_iso_week)
{
	cid k, a;

	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "3", "--summary", "meds");
	keep_id(k);
	OK("bob", "--json", "action", "add", "--case", kase, "--concern", k, "--kind", "CA",
		"--improvement", "audit medication", "--due", "2026-12-01", "--owner", "Manager");
	snprintf(a, sizeof(a), "%s", cwt_str(&t, "ref"));   /* what a refusal names */
	suspend("County Council");
	REFUSED(4, "dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better", "--max-admissions", "2", "--per", "week");
	HAS(t.out, a);
	HAS(t.err, "corrective action");
	cr_assert_str_eq(stage(), "embargo");
	OK("bob", "action", "progress", a, "--status", "completed");
	restart_complete_plan();
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance");
	cr_assert_str_eq(ctl_str("County Council", "status"), "restricted");
	cr_assert_str_eq(ctl_str("County Council", "since"), "2026-11-18");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(control("County Council"),
		"conditions"), "max_admissions")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(control("County Council"),
		"conditions"), "per")), "week");
	/* The restart ended the embargo: its end date is recorded. */
	cr_assert_eq(cwt_count(&t, "placement_controls WHERE status = 'suspended'"
		" AND end_date = '2026-11-18'"), 1);
	OK("alice", "--json", "audit", "--entity", kase);
	HAS(t.out, "case.restart");

	/* Week of Monday 16 to Sunday 22 November: two admissions, then the cap. */
	cr_assert_eq(check("County Council", "2026-11-19"), 0, "%s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "used")), 0);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "cap")), 2);
	admit("2026-11-19");
	admit("2026-11-20");
	cr_assert_eq(check("County Council", "2026-11-22"), 4, "Sunday is in the same week: %s", t.out);
	HAS(cwt_str(&t, "reason"), "cap of 2 admissions per week");
	HAS(cwt_str(&t, "reason"), "2 recorded");
	cr_assert_eq(json_integer_value(json_object_get(t.json, "used")), 2);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "cap")), 2);
	cr_assert_eq(check("County Council", "2026-11-23"), 0, "Monday starts a new week: %s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "used")), 0);
	/* Packages are not admissions: no admissions cap applies to them. */
	OK("bob", "--json", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package", "--date", "2026-11-22");
	OK("alice", "audit", "verify");
}

Test(placement, restart_is_refused_while_a_concern_is_red)
{
	cid k;

	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source", "regulator",
		"--team", "commissioning", "--likelihood", "4", "--impact", "4", "--summary", "falls");
	snprintf(k, sizeof(k), "%s", cwt_str(&t, "ref"));   /* what a refusal names */
	suspend("County Council");
	REFUSED(4, "dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better");
	HAS(t.out, k);
	HAS(t.err, "is red");
	cr_assert(!strstr(t.err, "--override"), "must is not overridable: %s", t.err);
	/* Under "should" the override is taken, and recorded. */
	cwt_rules(&t, cwt_file(&t, "should.cfg", "guards = { restart_no_red = \"should\"; };\n"));
	REFUSED(4, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better");
	HAS(t.err, "--override");
	OK("dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better", "--override", "regulator agrees the risk is managed");
	cr_assert_eq(json_array_size(json_object_get(t.json, "overrides")), 1);
	cr_assert_str_eq(ctl_str("County Council", "status"), "open");
}

Test(placement, month_cap_turns_over_on_the_first)
{
	t.today = "2026-10-05";
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "unsafe");
	OK("dora", "case", "restart", kase, "--commissioner", "County Council", "--reason", "ok",
		"--max-admissions", "1", "--per", "month");
	admit("2026-10-10");
	cr_assert_eq(check("County Council", "2026-10-31"), 4, "%s", t.out);
	HAS(cwt_str(&t, "reason"), "per month");
	HAS(cwt_str(&t, "reason"), "2026-10-01 to 2026-10-31");
	cr_assert_eq(check("County Council", "2026-11-01"), 0, "%s", t.err);
	/* An admission before the restart does not count against its cap. */
	cr_assert_eq(cwt_count(&t, "placements"), 1);
}

Test(placement, hours_and_package_caps_count_hours_and_packages)
{
	long before;

	suspend("County Council");
	OK("dora", "case", "restart", kase, "--commissioner", "County Council", "--reason", "ok",
		"--max-hours", "10", "--max-packages", "2", "--no-respite");
	/* Under an hours cap a package must say its hours; an admission has none. */
	REFUSED(2, "bob", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package");
	HAS(t.err, "--hours");
	REFUSED(2, "bob", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council", "--hours", "3");
	OK("bob", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package", "--hours", "6", "--date", "2026-11-18");
	REFUSED(4, "bob", "--json", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package", "--hours", "5", "--date", "2026-11-20");
	HAS(cwt_str(&t, "reason"), "10 new hours of care per week");
	cr_assert_eq(json_number_value(json_object_get(t.json, "used")), 6);
	cr_assert_eq(json_number_value(json_object_get(t.json, "cap")), 10);
	OK("bob", "--json", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package", "--hours", "4", "--date", "2026-11-20");
	OK("bob", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package", "--hours", "1.5", "--date", "2026-11-20");
	/* Two packages this week: the package cap is reached before the hours one. */
	before = cwt_count(&t, "placements");
	REFUSED(4, "bob", "--json", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--kind", "package", "--hours", "1", "--date", "2026-11-21");
	HAS(t.err, "cap of 2 packages per week");
	cr_assert_eq(cwt_count(&t, "placements"), before, "a refused record wrote a placement");
	/* Respite was not allowed by the restart. */
	REFUSED(4, "bob", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council", "--respite");
	HAS(t.err, "respite");
	OK("bob", "placement", "check", "--provider", "Oakwood", "--commissioner", "County Council");
}

Test(placement, a_health_board_embargo_warns_the_council_and_refuses_the_board)
{
	OK("dora", "--json", "case", "suspend", kase, "--commissioner", "Health Board",
		"--kind", "mandatory", "--reason", "nursing cover");
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance", "not the lead: stage stays");
	cr_assert_str_eq(ctl_str("Health Board", "status"), "suspended");
	cr_assert_str_eq(ctl_str("County Council", "status"), "open");
	{
		json_t *flags = json_object_get(t.json, "flags"), *f;
		size_t i;
		bool flagged = false;

		json_array_foreach(flags, i, f)
			flagged |= strcmp(json_string_value(f), "other_commissioner_embargo") == 0;
		cr_assert(flagged, "no other_commissioner_embargo flag: %s", t.out);
	}
	/* The board's own check is refused; the council's is allowed, with a warning. */
	cr_assert_eq(check("Health Board", "2026-11-18"), 4);
	HAS(cwt_str(&t, "reason"), "mandatory embargo since 2026-11-18");
	cr_assert_eq(check("County Council", "2026-11-18"), 0, "%s", t.err);
	cr_assert_eq(json_array_size(json_object_get(t.json, "warnings")), 1);
	HAS(json_string_value(json_array_get(json_object_get(t.json, "warnings"), 0)), "Health Board");
	/* The closure rule sees the board's embargo. */
	REFUSED(4, "bob", "case", "close", kase, "--outcome", "improved", "--rationale", "x",
		"--agreed-by", "Health Board");
	HAS(t.err, "Health Board still has placements suspended");
	/* With the rules honouring other commissioners, the council is refused too. */
	cwt_rules(&t, cwt_file(&t, "honour.cfg", "embargo = { honour_other_commissioners = true; };\n"));
	cr_assert_eq(check("County Council", "2026-11-18"), 4);
	HAS(cwt_str(&t, "reason"), "honour_other_commissioners");
	HAS(cwt_str(&t, "reason"), "Health Board");
	cwt_rules(&t, NULL);
	/* The board restarts; closing is possible again. */
	OK("dora", "case", "restart", kase, "--commissioner", "Health Board", "--reason", "cover found");
	OK("bob", "--json", "case", "close", kase, "--outcome", "improved", "--rationale", "x",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	cr_assert_str_eq(cwt_str(&t, "stage"), "closed");
	OK("alice", "audit", "verify");
}

Test(placement, record_writes_the_placement_or_nothing)
{
	long before = cwt_count(&t, "placements");

	OK("bob", "--json", "placement", "record", "--provider", "Oakwood", "--commissioner",
		"County Council", "--date", "2026-11-17");
	cr_assert_str_eq(cwt_str(&t, "kind"), "admission");
	cr_assert_str_eq(cwt_str(&t, "date"), "2026-11-17");
	cr_assert_str_eq(cwt_str(&t, "recorded_by"), "bob");
	cr_assert(cwt_str(&t, "id")[0]);
	cr_assert_eq(cwt_count(&t, "placements"), before + 1);
	suspend("County Council");
	REFUSED(4, "bob", "--json", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "County Council");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "refused");
	HAS(t.err, "mandatory embargo since 2026-11-18");
	cr_assert_eq(cwt_count(&t, "placements"), before + 1);
	/* Recording needs placement.write; checking is for everyone. */
	REFUSED(5, "vic", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "Health Board");
	REFUSED(0, "vic", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "Health Board");
	REFUSED(3, "bob", "placement", "check", "--provider", "Nowhere",
		"--commissioner", "Health Board");
	REFUSED(3, "bob", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "Nobody");
	REFUSED(2, "bob", "placement", "check", "--provider", "Oakwood");
	cr_assert_eq(cwt_count(&t, "placements"), before + 1);
	OK("alice", "audit", "verify");
}

Test(placement, a_closed_provider_takes_no_placements)
{
	OK("dora", "case", "close", kase, "--outcome", "contract_terminated", "--rationale", "ended");
	REFUSED(4, "bob", "--json", "placement", "check", "--provider", "Oakwood",
		"--commissioner", "Health Board");
	HAS(cwt_str(&t, "reason"), "closed");
	REFUSED(4, "bob", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "County Council");
	cr_assert_eq(cwt_count(&t, "placements"), 0);
}

Test(placement, a_later_restart_changes_or_lifts_the_conditions)
{
	long tasks;

	suspend("County Council");
	restart_complete_plan();
	tasks = cwt_count(&t, "tasks");
	/* Tighter conditions: the stage stays, the control is replaced. */
	OK("dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "slower pace", "--max-admissions", "1", "--per", "month");
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance");
	cr_assert_str_eq(ctl_str("County Council", "status"), "restricted");
	HAS(ctl_str("County Council", "conditions_text"), "1 new admission per month");
	admit("2026-11-19");
	cr_assert_eq(check("County Council", "2026-11-30"), 4);
	/* No conditions at all: placements are open again. */
	OK("dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "improvement sustained");
	cr_assert_str_eq(ctl_str("County Council", "status"), "open");
	cr_assert_eq(check("County Council", "2026-11-30"), 0, "%s", t.err);
	cr_assert_eq(cwt_count(&t, "tasks"), tasks, "changing conditions lifts no embargo");
	/* Open placements have nothing to restart. */
	REFUSED(4, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "again");
	HAS(t.err, "nothing to restart");
	OK("alice", "audit", "verify");
}

/* ---- The engine's API, called directly (no binary) ---- */

struct call {
	const cw_placement_args *a;
	bool record;
	json_t *out;
};

static int call_unit(cw_db *db, void *arg)
{
	struct call *c = arg;

	return c->record ? cw_placement_record(db, c->a, &c->out)
		: cw_placement_check(db, c->a, &c->out);
}

/* One engine operation as `as`, as a front door makes it: one transaction. */
static int call(cw_db *db, const char *as, bool record, const cw_placement_args *a,
	json_t **out)
{
	struct call c = { a, record, NULL };
	int err = cw_db_run_as(db, as, record, call_unit, &c);

	*out = c.out;
	return err;
}

static long long jint(const json_t *o, const char *k)
{
	cr_assert(json_is_integer(json_object_get(o, k)), "%s is not an integer", k);
	return json_integer_value(json_object_get(o, k));
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

Test(placement, the_engine_checks_records_and_refuses_at_the_cap)
{
	cw_placement_args a = { .provider = "Oakwood", .commissioner = "County Council" };
	cw_placement_args pkg = a;
	json_t *out = NULL;
	cw_db *db;
	int err;

	db = cwt_engine(&t, NULL);
	cr_assert_eq(call(db, "bob", false, &a, &out), CW_OK, "%s", cw_errmsg());
	cr_assert(json_is_true(json_object_get(out, "allowed")));
	cr_assert_str_eq(jstr(out, "status"), "open");
	cr_assert(json_is_null(json_object_get(out, "cap")));
	json_decref(out);
	cw_db_close(db);

	suspend("County Council");
	restart_complete_plan();
	db = cwt_engine(&t, NULL);
	/* Two admissions a week from Wednesday 18 November: the week is 16 to 22. */
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(call(db, "bob", true, &a, &out), CW_OK, "%s", cw_errmsg());
		cr_assert_eq(jint(out, "used"), i);
		cr_assert_eq(jint(out, "cap"), 2);
		cr_assert_str_eq(jstr(out, "recorded_by"), "bob");
		json_decref(out);
	}
	err = call(db, "bob", false, &a, &out);
	cr_assert_eq(err, CW_EREFUSED, "%d: %s", err, cw_errmsg());
	cr_assert(json_is_false(json_object_get(out, "allowed")));
	cr_assert_eq(jint(out, "used"), 2);
	cr_assert_str_eq(jstr(out, "unit"), "admissions");
	cr_assert_str_eq(jstr(json_object_get(out, "period"), "from"), "2026-11-16");
	cr_assert_str_eq(jstr(json_object_get(out, "period"), "to"), "2026-11-22");
	HAS(cw_errmsg(), "the cap of 2 admissions per week set on 2026-11-18");
	json_decref(out);
	/* Recording refused: nothing written, the decision's reason in the error. */
	cr_assert_eq(call(db, "bob", true, &a, &out), CW_EREFUSED);
	cr_assert_null(out);
	HAS(cw_errmsg(), "placement not recorded");
	cr_assert_eq(cwt_count(&t, "placements"), 2);
	/* The next week starts afresh; a package is not an admission. */
	a.has_date = true;
	a.date = cw_date_from_ymd(2026, 11, 23);
	cr_assert_eq(call(db, "bob", false, &a, &out), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(jint(out, "used"), 0);
	json_decref(out);
	pkg.kind = "package";
	cr_assert_eq(call(db, "bob", false, &pkg, &out), CW_OK, "%s", cw_errmsg());
	cr_assert(json_is_null(json_object_get(out, "cap")));
	json_decref(out);
	/* Bad input is refused before anything is read: hours on an admission. */
	a.has_hours = true;
	a.hours = 4;
	out = NULL;
	cr_assert_eq(call(db, "bob", false, &a, &out), CW_EINVALID);
	cr_assert_null(out);
	/* A viewer may check but not record. */
	a.has_hours = false;
	cr_assert_eq(call(db, "vic", true, &a, &out), CW_EFORBIDDEN);
	cw_db_close(db);
	cr_assert_eq(cwt_count(&t, "placements"), 2);
}

/*
 * Concurrent writers (SPEC §6 caps, issue 13): WRITERS threads, each with
 * its own session on the file, record an admission at once against a cap
 * of CAP a week. Exactly CAP succeed, the rest are refused by the cap, and
 * the control row's lock counter says CAP placements were recorded under it.
 */
#define WRITERS 6
#define CAP 3

struct writer {
	cwt *t;
	pthread_barrier_t *go;
	int status;
};

static void *writer(void *arg)
{
	struct writer *w = arg;
	cw_placement_args a = { .provider = "Oakwood", .commissioner = "County Council" };
	json_t *out = NULL;
	cw_db *db = cwt_engine(w->t, NULL);

	pthread_barrier_wait(w->go);
	w->status = call(db, "bob", true, &a, &out);
	json_decref(out);
	cw_db_close(db);
	return NULL;
}

Test(placement, concurrent_writers_never_overshoot_a_cap)
{
	pthread_t th[WRITERS];
	struct writer w[WRITERS];
	pthread_barrier_t go;
	int ok = 0, refused = 0;

	suspend("County Council");
	OK("dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "action plan completed", "--max-admissions", "3", "--per", "week");
	cw_db_close(cwt_engine(&t, NULL));   /* load the rules before the threads */
	pthread_barrier_init(&go, NULL, WRITERS);
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ &t, &go, -1 };
		cr_assert_eq(pthread_create(&th[i], NULL, writer, &w[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		ok += w[i].status == CW_OK;
		refused += w[i].status == CW_EREFUSED;
	}
	pthread_barrier_destroy(&go);
	cr_assert_eq(ok, CAP, "%d recorded, %d refused", ok, refused);
	cr_assert_eq(refused, WRITERS - CAP, "%d recorded, %d refused", ok, refused);
	cr_assert_eq(cwt_count(&t, "placements"), CAP);
	/* The lock was taken by every writer; only the committed ones count. */
	cr_assert_eq(cwt_count(&t, "placement_controls WHERE status = 'restricted'"
		" AND placements_recorded = 3"), 1, "the control's placements_recorded is not %d", CAP);
	OK("alice", "audit", "verify");
}
