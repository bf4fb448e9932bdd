/*
 * The placement check of SPEC §6 (rules/caps.c) called directly on typed
 * facts, at the edges of each rule: periods, caps reached or not, hours
 * that would exceed, respite, embargoes, other commissioners, closed.
 */
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/error.h"
#include "caps.h"

static cw_date ymd(int y, int m, int d)
{
	return cw_date_from_ymd(y, m, d);
}

static const char *day(cw_date d)
{
	static char buf[4][CW_DATE_STRLEN];
	static int i;

	return cw_date_format(d, buf[i++ % 4]);
}

/* A restart on Tuesday 10 November 2026 with the given conditions. */
static cw_placement_control restricted(cw_placement_conditions c)
{
	cw_placement_control ctl = { .id = 7, .status = "restricted", .has_since = true,
		.since = ymd(2026, 11, 10), .cond = c };

	return ctl;
}

static const cw_placement_control open_ctl = { .status = "open", .cond.respite_allowed = true };

/* A request for an admission by the County Council to Oakwood. */
static cw_caps_request request(const cw_placement_control *ctl, const char *kind)
{
	cw_caps_request q = { .provider = "Oakwood", .commissioner = "County Council",
		.kind = kind, .ctl = ctl };

	return q;
}

static cw_caps_decision decide(const cw_caps_request *q)
{
	cw_caps_decision d;

	cr_assert_eq(cw_caps_decide(q, &d), CW_OK, "%s", cw_errmsg());
	return d;
}

Test(caps, open_allows_with_no_cap_to_report)
{
	cw_caps_request q = request(&open_ctl, "admission");
	cw_caps_decision d = decide(&q);

	cr_assert(d.allowed);
	cr_assert_str_eq(d.reason, "allowed: placements with Oakwood are open for County Council");
	cr_assert_eq(d.binding, -1);
	cr_assert_eq(d.nwarnings, 0);
	cw_caps_decision_free(&d);
}

Test(caps, weekly_period_is_the_iso_week_counted_from_the_restart)
{
	cw_placement_control ctl = restricted((cw_placement_conditions){ .has_admissions = true,
		.max_admissions = 2, .per = "week", .respite_allowed = true });
	cw_cap caps[3];

	/* Wednesday 11 November: the week of the restart, counted from the restart. */
	cr_assert_eq(cw_caps_applying(&ctl, "admission", ymd(2026, 11, 11), caps), 1);
	cr_assert_str_eq(day(caps[0].from), "2026-11-09");
	cr_assert_str_eq(day(caps[0].to), "2026-11-15");
	cr_assert_str_eq(day(caps[0].count_from), "2026-11-10");
	cr_assert_eq(caps[0].unit, CW_CAP_ADMISSIONS);
	cr_assert_str_eq(cw_cap_counts_kind(caps[0].unit), "admission");
	/* Sunday 22 November and Monday 23: two weeks. */
	cw_caps_applying(&ctl, "admission", ymd(2026, 11, 22), caps);
	cr_assert_str_eq(day(caps[0].from), "2026-11-16");
	cr_assert_str_eq(day(caps[0].to), "2026-11-22");
	cr_assert_str_eq(day(caps[0].count_from), "2026-11-16");
	cw_caps_applying(&ctl, "admission", ymd(2026, 11, 23), caps);
	cr_assert_str_eq(day(caps[0].from), "2026-11-23");
	/* An admissions cap says nothing about packages. */
	cr_assert_eq(cw_caps_applying(&ctl, "package", ymd(2026, 11, 23), caps), 0);
	/* Nor does anything but a restricted control. */
	cr_assert_eq(cw_caps_applying(&open_ctl, "admission", ymd(2026, 11, 23), caps), 0);
}

Test(caps, monthly_period_is_the_calendar_month)
{
	cw_placement_control ctl = restricted((cw_placement_conditions){ .has_admissions = true,
		.max_admissions = 5, .per = "month", .respite_allowed = true });
	cw_cap caps[3];

	cw_caps_applying(&ctl, "admission", ymd(2026, 12, 31), caps);
	cr_assert_str_eq(day(caps[0].from), "2026-12-01");
	cr_assert_str_eq(day(caps[0].to), "2026-12-31");
	cr_assert_str_eq(caps[0].per, "month");
	cw_caps_applying(&ctl, "admission", ymd(2026, 11, 30), caps);
	cr_assert_str_eq(day(caps[0].from), "2026-11-01");
	cr_assert_str_eq(day(caps[0].count_from), "2026-11-10");
}

Test(caps, a_count_cap_allows_below_it_and_refuses_at_it)
{
	cw_placement_control ctl = restricted((cw_placement_conditions){ .has_admissions = true,
		.max_admissions = 2, .per = "week", .respite_allowed = true });
	cw_caps_request q = request(&ctl, "admission");
	cw_caps_decision d;
	cw_cap caps[3];

	q.ncaps = cw_caps_applying(&ctl, "admission", ymd(2026, 11, 18), caps);
	q.caps = caps;
	caps[0].used = 1;
	d = decide(&q);
	cr_assert(d.allowed, "%s", d.reason);
	cr_assert_eq(d.binding, 0);
	cr_assert_str_eq(d.reason, "allowed within the conditions set by County Council on 2026-11-10");
	cw_caps_decision_free(&d);
	caps[0].used = 2;
	d = decide(&q);
	cr_assert(!d.allowed);
	cr_assert_eq(d.binding, 0);
	cr_assert_str_eq(d.reason, "the cap of 2 admissions per week set on 2026-11-10 for"
		" County Council is reached: 2 recorded in the week 2026-11-16 to 2026-11-22");
	cw_caps_decision_free(&d);
}

Test(caps, hours_refuse_only_when_the_package_would_exceed_the_cap)
{
	cw_placement_control ctl = restricted((cw_placement_conditions){ .has_packages = true,
		.max_packages = 3, .has_hours = true, .max_hours = 20, .respite_allowed = true });
	cw_caps_request q = request(&ctl, "package");
	cw_caps_decision d;
	cw_cap caps[3];

	q.ncaps = cw_caps_applying(&ctl, "package", ymd(2026, 11, 18), caps);
	cr_assert_eq(q.ncaps, 2);
	cr_assert_eq(caps[0].unit, CW_CAP_PACKAGES);
	cr_assert_eq(caps[1].unit, CW_CAP_HOURS);
	q.caps = caps;
	q.has_hours = true;
	q.hours = 5;
	caps[0].used = 2;
	caps[1].used = 15;      /* 15 + 5 = 20: at the cap, not over it */
	d = decide(&q);
	cr_assert(d.allowed, "%s", d.reason);
	cr_assert_eq(d.binding, 0, "allowed: the first cap is reported");
	cw_caps_decision_free(&d);
	q.hours = 5.5;
	d = decide(&q);
	cr_assert(!d.allowed);
	cr_assert_eq(d.binding, 1);
	cr_assert_str_eq(d.reason, "the cap of 20 new hours of care per week set on 2026-11-10 for"
		" County Council would be exceeded: 15 hours recorded in the week 2026-11-16 to"
		" 2026-11-22, and this package adds 5.5");
	cw_caps_decision_free(&d);
	/* The packages cap refuses first and is the one reported. */
	caps[0].used = 3;
	d = decide(&q);
	cr_assert(!d.allowed);
	cr_assert_eq(d.binding, 0);
	cr_assert(strstr(d.reason, "the cap of 3 packages per week"), "%s", d.reason);
	cw_caps_decision_free(&d);
	/* Under an hours cap a package must say its hours. */
	q.has_hours = false;
	cr_assert_eq(cw_caps_decide(&q, &d), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "caps new hours of care with Oakwood at 20 a week"), "%s",
		cw_errmsg());
}

Test(caps, respite_refused_under_a_no_respite_condition_with_no_cap_reported)
{
	cw_placement_control ctl = restricted((cw_placement_conditions){ .has_admissions = true,
		.max_admissions = 2, .per = "week", .respite_allowed = false });
	cw_caps_request q = request(&ctl, "admission");
	cw_caps_decision d;
	cw_cap caps[3];

	q.ncaps = cw_caps_applying(&ctl, "admission", ymd(2026, 11, 18), caps);
	q.caps = caps;
	d = decide(&q);
	cr_assert(d.allowed, "not respite: allowed");
	cw_caps_decision_free(&d);
	q.respite = true;
	d = decide(&q);
	cr_assert(!d.allowed);
	cr_assert_eq(d.binding, -1);
	cr_assert_str_eq(d.reason, "respite placements are not allowed under the conditions set on"
		" 2026-11-10 for County Council");
	cw_caps_decision_free(&d);
}

Test(caps, a_suspension_and_a_closed_provider_refuse)
{
	cw_placement_control ctl = { .id = 3, .status = "suspended", .kind = "mandatory",
		.reason = "unsafe staffing", .has_since = true, .since = ymd(2026, 11, 18) };
	cw_caps_request q = request(&ctl, "admission");
	cw_caps_decision d = decide(&q);

	cr_assert(!d.allowed);
	cr_assert_str_eq(d.reason, "County Council has suspended new placements with Oakwood:"
		" mandatory embargo since 2026-11-18 (unsafe staffing)");
	cw_caps_decision_free(&d);
	q.ctl = &open_ctl;
	q.provider_closed = true;
	d = decide(&q);
	cr_assert(!d.allowed);
	cr_assert_str_eq(d.reason, "provider Oakwood is closed (contract terminated or service"
		" closed): no new placements");
	cw_caps_decision_free(&d);
}

Test(caps, another_commissioners_embargo_warns_or_refuses_as_the_rules_say)
{
	cw_placement_control theirs = { .id = 4, .status = "suspended", .kind = "voluntary",
		.has_since = true, .since = ymd(2026, 11, 2) };
	cw_placement_control open_too = open_ctl;
	cw_caps_other others[] = { { "Open Board", &open_too }, { "Health Board", &theirs } };
	cw_caps_request q = request(&open_ctl, "admission");
	cw_caps_decision d;

	q.others = others;
	q.nothers = 2;
	d = decide(&q);
	cr_assert(d.allowed);
	cr_assert_eq(d.nwarnings, 1);
	cr_assert_str_eq(d.warnings[0], "Health Board has suspended new placements with Oakwood:"
		" voluntary embargo since 2026-11-02 (County Council decides for itself; the rules"
		" do not honour other commissioners' embargoes)");
	cw_caps_decision_free(&d);
	q.honour_others = true;
	d = decide(&q);
	cr_assert(!d.allowed);
	cr_assert_eq(d.nwarnings, 0);
	cr_assert(strstr(d.reason, "and the rules honour other commissioners' embargoes"), "%s",
		d.reason);
	cw_caps_decision_free(&d);
	/* Already refused: the first reason stands. */
	q.provider_closed = true;
	d = decide(&q);
	cr_assert(strstr(d.reason, "is closed"), "%s", d.reason);
	cw_caps_decision_free(&d);
}
