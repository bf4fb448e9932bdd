/* The guards of the stage machine, called directly on snapshots. */
#include <string.h>
#include <criterion/criterion.h>
#include "guards.h"
#include "carewatch/rules.h"
#include "carewatch/error.h"

static cw_rules *rules;

static void load(const char *text)
{
	if (text)
		cr_assert_eq(cw_rules_load_string(&rules, text, "test.cfg"), CW_OK, "%s", cw_errmsg());
	else
		cr_assert_eq(cw_rules_load(&rules, NULL), CW_OK, "%s", cw_errmsg());
}

static void fini(void)
{
	cw_rules_free(rules);
	rules = NULL;
}

TestSuite(guards, .fini = fini);

static bool has(const cw_unmet *u, const char *text)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strstr(u->v[i], text))
			return true;
	return false;
}

/* One red (16), one red (12), one amber (9): both reds are named. */
static const cw_guard_concern concerns[] = {
	{ "c-red16", 4, 4, 4, CW_BAND_RED, NULL },
	{ "c-amber", 3, 3, 3, CW_BAND_AMBER, NULL },
	{ "c-red12", 3, 4, 4, CW_BAND_RED, "C-0012" },
};

static const cw_guard_action actions[] = {
	{ "a-done", true, true, "c-red16", true, 0, NULL, NULL }, /* completed: fine */
	{ "a-flat", true, false, "c-red16", true, 0, NULL, NULL }, /* not fallen */
	{ "a-fell", false, false, "c-red12", true, 1, "A-0003", "C-0012" }, /* fallen by 1 */
	{ "a-rose", false, false, "c-amber", true, -1, NULL, NULL }, /* risen */
	{ "a-resolved", true, false, "c-gone", false, 0, NULL, NULL }, /* concern resolved: fine */
};

static cw_case_snapshot full_snapshot(void)
{
	static const char *const suspended[] = { "Health Board", "Northshire" };
	cw_case_snapshot s = {
		"provider_performance", "bob", concerns, 3, actions, 5,
		false, suspended, 2, false, NULL, false, NULL, NULL, 0
	};

	return s;
}

Test(guards, no_red_names_every_red_concern_with_its_score)
{
	cw_case_snapshot s = full_snapshot();
	cw_unmet u = { NULL, 0 };

	load(NULL);
	cw_guard_close_no_red.check(&s, rules, &u);
	cr_assert_eq(u.n, 2);
	cr_assert(has(&u, "concern c-red16 is red (score 16)"));
	/* A concern with a reference is named by it, one without by its id. */
	cr_assert(has(&u, "concern C-0012 is red (score 12)"));
	cr_assert(!has(&u, "c-amber"));
	cw_unmet_free(&u);
	cw_guard_deescalate_no_red.check(&s, rules, &u);
	cr_assert_eq(u.n, 2);
	cw_unmet_free(&u);
}

Test(guards, likelihood_fallen_names_each_unfinished_item_and_its_concern)
{
	cw_case_snapshot s = full_snapshot();
	cw_unmet u = { NULL, 0 };

	load(NULL);
	cw_guard_close_likelihood_fallen.check(&s, rules, &u);
	cr_assert_eq(u.n, 2, "got %zu", u.n);
	cr_assert(has(&u, "action a-flat (not completed): likelihood of concern c-red16"
		" has fallen by 0, needs 1"));
	cr_assert(has(&u, "action a-rose (not completed): likelihood of concern c-amber"
		" has risen by 1"));
	cr_assert(!has(&u, "a-done"));
	cr_assert(!has(&u, "A-0003"));
	cr_assert(!has(&u, "a-resolved"));
	cw_unmet_free(&u);
}

Test(guards, likelihood_drop_comes_from_the_rules)
{
	cw_case_snapshot s = full_snapshot();
	cw_unmet u = { NULL, 0 };

	load("closure = { likelihood_drop = 2; };");
	cw_guard_close_likelihood_fallen.check(&s, rules, &u);
	cr_assert_eq(u.n, 3);
	cr_assert(has(&u, "action A-0003 (not completed): likelihood of concern C-0012"
		" has fallen by 1, needs 2"));
	cw_unmet_free(&u);
}

Test(guards, partner_agreement_and_suspensions)
{
	cw_case_snapshot s = full_snapshot();
	cw_unmet u = { NULL, 0 };

	load(NULL);
	cw_guard_close_partner_agreement.check(&s, rules, &u);
	cr_assert_eq(u.n, 1);
	cr_assert(has(&u, "(agreed_by: "));
	cw_unmet_free(&u);
	s.agreed_by = true;
	cw_guard_close_partner_agreement.check(&s, rules, &u);
	cr_assert_eq(u.n, 0);
	/* The lead's suspension is one guard, another body's is another. */
	s.lead = "Northshire";
	cw_guard_close_no_suspension.check(&s, rules, &u);
	cr_assert_eq(u.n, 1);
	cr_assert(has(&u, "the lead commissioner Northshire still has placements suspended"));
	cw_unmet_free(&u);
	cw_guard_close_other_suspended.check(&s, rules, &u);
	cr_assert_eq(u.n, 1);
	cr_assert(has(&u, "commissioner Health Board still has placements suspended"));
	cw_unmet_free(&u);
}

Test(guards, open_tasks_are_named_and_a_should_guard_by_default)
{
	static const char *const tasks[] = { "Inform the regulator", "Letter to provider" };
	static const cw_guard *const g[] = { &cw_guard_close_open_tasks, NULL };
	cw_case_snapshot s = full_snapshot();
	cw_guard_verdict v;

	load(NULL);
	s.open_tasks = tasks;
	s.nopen_tasks = 1;
	cw_guards_evaluate(g, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert(v.needs_override);
	cr_assert(has(&v.should, "Inform the regulator"));
	cw_guard_verdict_free(&v);
	cw_guards_evaluate(g, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_OK);
	cr_assert(v.overridden);
	cw_guard_verdict_free(&v);
	s.nopen_tasks = 0;
	cw_guards_evaluate(g, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_OK);
	cr_assert(!v.overridden);
	cw_guard_verdict_free(&v);
	cw_rules_free(rules);
	load("guards = { close_open_tasks = \"must\"; };");
	s.nopen_tasks = 2;
	cw_guards_evaluate(g, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert_eq(v.must.n, 2);
	cw_guard_verdict_free(&v);
}

Test(guards, decision_role_and_corrective_items)
{
	cw_case_snapshot s = full_snapshot();
	cw_unmet u = { NULL, 0 };

	load(NULL);
	cw_guard_decision_role.check(&s, rules, &u);
	cr_assert_eq(u.n, 1);
	cr_assert(has(&u, "bob does not hold the decision role 'director'"));
	cw_unmet_free(&u);
	s.decision_role = true;
	cw_guard_decision_role.check(&s, rules, &u);
	cr_assert_eq(u.n, 0);
	/* Only CA items count, and only those not completed. */
	cw_guard_restart_corrective_complete.check(&s, rules, &u);
	cr_assert_eq(u.n, 2);
	cr_assert(has(&u, "corrective action a-flat is not completed"));
	cr_assert(has(&u, "corrective action a-resolved is not completed"));
	cr_assert(!has(&u, "a-fell"));
	cw_unmet_free(&u);
}

static const cw_guard *const close_guards[] = {
	&cw_guard_close_no_red, &cw_guard_close_likelihood_fallen,
	&cw_guard_close_partner_agreement, &cw_guard_close_no_suspension,
	&cw_guard_close_other_suspended, NULL
};

Test(guards, must_refuses_listing_every_unmet_condition)
{
	cw_case_snapshot s = full_snapshot();
	cw_guard_verdict v;

	load("guards = { close_other_suspended = \"must\"; };");
	cw_guards_evaluate(close_guards, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert_eq(v.must.n, 2 + 2 + 1 + 2);
	cr_assert_eq(v.should.n, 0);
	cr_assert(!v.needs_override);
	cw_guard_verdict_free(&v);
	/* An override does not lift a must. */
	cw_guards_evaluate(close_guards, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert(!v.overridden);
	cw_guard_verdict_free(&v);
}

Test(guards, should_needs_an_override_and_allows_with_one)
{
	cw_case_snapshot s = full_snapshot();
	cw_guard_verdict v;

	load("guards = { close_no_red = \"should\"; close_likelihood_fallen = \"should\";"
		" close_partner_agreement = \"should\"; };");
	s.nsuspended = 0;
	cw_guards_evaluate(close_guards, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert(v.needs_override);
	cr_assert_eq(v.should.n, 5);
	cr_assert_eq(v.overridable.n, 3);
	cr_assert(has(&v.overridable, "close_partner_agreement"));
	cw_guard_verdict_free(&v);
	cw_guards_evaluate(close_guards, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_OK);
	cr_assert(v.overridden);
	cr_assert_eq(v.should.n, 5, "the overridden conditions are kept for the audit trail");
	cw_guard_verdict_free(&v);
}

Test(guards, a_must_among_shoulds_still_refuses_and_lists_all)
{
	cw_case_snapshot s = full_snapshot();
	cw_guard_verdict v;

	load("guards = { close_partner_agreement = \"should\"; };");
	cw_guards_evaluate(close_guards, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert(!v.overridden);
	/* Two other commissioners' suspensions: 'should' by default. */
	cr_assert_eq(v.should.n, 1 + 2);
	cr_assert_eq(v.must.n, 4);
	cw_guard_verdict_free(&v);
}

Test(guards, the_leads_suspension_is_statutory_and_cannot_be_overridden)
{
	cw_case_snapshot s = full_snapshot();
	cw_guard_verdict v;

	s.lead = "Northshire";
	load("guards = { close_no_red = \"should\"; close_likelihood_fallen = \"should\";"
		" close_partner_agreement = \"should\"; };");
	cw_guards_evaluate(close_guards, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert_eq(v.must.n, 1);
	cr_assert(has(&v.must, "Northshire"));
	cr_assert(has(&v.should, "Health Board"), "another body's suspension is a 'should'");
	cw_guard_verdict_free(&v);
}

Test(guards, decision_role_must_is_forbidden_should_is_overridable)
{
	static const cw_guard *const end[] = { &cw_guard_decision_role, NULL };
	static const cw_guard *const both[] = { &cw_guard_close_no_red, &cw_guard_decision_role, NULL };
	cw_case_snapshot s = full_snapshot();
	cw_guard_verdict v;

	load(NULL);
	cw_guards_evaluate(end, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_EFORBIDDEN);
	cw_guard_verdict_free(&v);
	/* Permission outranks the other reasons, whatever the order. */
	cw_guards_evaluate(both, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_EFORBIDDEN);
	cr_assert_eq(v.must.n, 3);
	cw_guard_verdict_free(&v);
	fini();
	load("guards = { decision_role = \"should\"; };");
	cw_guards_evaluate(end, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_EREFUSED);
	cr_assert(v.needs_override);
	cw_guard_verdict_free(&v);
	cw_guards_evaluate(end, &s, rules, true, &v);
	cr_assert_eq(v.status, CW_OK);
	cr_assert(v.overridden);
	cw_guard_verdict_free(&v);
}

Test(guards, a_clean_case_passes_every_guard)
{
	cw_case_snapshot s = { "quality_assurance", "dora", NULL, 0, NULL, 0, true, NULL, 0, true, NULL, false, NULL, NULL, 0 };
	cw_guard_verdict v;

	load(NULL);
	cw_guards_evaluate(close_guards, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_OK);
	cr_assert(!v.overridden);
	cr_assert_eq(v.must.n + v.should.n, 0);
	cw_guard_verdict_free(&v);
	cw_guards_evaluate(NULL, &s, rules, false, &v);
	cr_assert_eq(v.status, CW_OK);
	cw_guard_verdict_free(&v);
}

Test(guards, a_commissioner_suspends_once_and_restarts_only_what_it_suspended)
{
	cw_case_snapshot s = full_snapshot();
	cw_unmet u = { NULL, 0 };

	load(NULL);
	s.commissioner = "County Council";
	cw_guard_suspend_not_suspended.check(&s, rules, &u);
	cr_assert_eq(u.n, 0);
	cw_guard_restart_suspended.check(&s, rules, &u);
	cr_assert_eq(u.n, 1);
	cr_assert(has(&u, "commissioner County Council has placements neither suspended nor"
		" restricted"));
	cw_unmet_free(&u);
	/* Restarting again changes or lifts the conditions of a restricted body. */
	s.commissioner_restricted = true;
	cw_guard_restart_suspended.check(&s, rules, &u);
	cr_assert_eq(u.n, 0);
	s.commissioner_restricted = false;
	s.commissioner = "Northshire";
	cw_guard_suspend_not_suspended.check(&s, rules, &u);
	cr_assert_eq(u.n, 1);
	cr_assert(has(&u, "commissioner Northshire has already suspended placements"));
	cw_unmet_free(&u);
	cw_guard_restart_suspended.check(&s, rules, &u);
	cr_assert_eq(u.n, 0);
	/* Facts, not policy: no strength in the rules can make them "should". */
	cr_assert_null(cw_guard_suspend_not_suspended.name);
	cr_assert_null(cw_guard_restart_suspended.name);
}
