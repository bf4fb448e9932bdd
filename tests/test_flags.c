/* Unit tests of the flag rules (rules/flags.c) at their edges: no database. */
#include <string.h>
#include <criterion/criterion.h>
#include "flags.h"
#include "carewatch/rules.h"

static cw_rules *r;
static cw_date today;

static void setup(void)
{
	cr_assert_eq(cw_rules_load_string(&r, "", "defaults"), 0);
	today = cw_date_from_ymd(2026, 11, 22);
}

static void teardown(void)
{
	cw_rules_free(r);
}

TestSuite(flags, .init = setup, .fini = teardown);

static cw_flag_facts facts(const char *stage)
{
	cw_flag_facts f;

	memset(&f, 0, sizeof(f));
	f.today = today;
	f.stage = stage;
	return f;
}

static bool on(const cw_flag_facts *f, cw_flag flag)
{
	cw_flag_set s;

	cw_flags_evaluate(f, r, &s);
	return s.on[flag];
}

Test(flags, window_starts_days_minus_one_before_today)
{
	cr_assert_eq(cw_flags_window_start(today, 90), today - 89);
	cr_assert_eq(cw_flags_window_start(today, 1), today);
}

Test(flags, three_concerns_in_90_days_repeat_two_do_not)
{
	cw_date d[3] = { today, today - 10, today - 50 };
	cw_flag_facts f = facts(NULL);

	f.received = d;
	f.nreceived = 2;
	cr_assert(!on(&f, CW_FLAG_REPEATED_CONCERNS));
	f.nreceived = 3;
	cr_assert(on(&f, CW_FLAG_REPEATED_CONCERNS));
}

/* With days = 90 the window is today-89 ... today. */
Test(flags, a_concern_received_90_days_ago_is_outside_89_inside)
{
	cw_date d[3] = { today, today - 1, today - 90 };
	cw_flag_facts f = facts(NULL);

	f.received = d;
	f.nreceived = 3;
	cr_assert(!on(&f, CW_FLAG_REPEATED_CONCERNS), "day 90 is outside the window");
	d[2] = today - 89;
	cr_assert(on(&f, CW_FLAG_REPEATED_CONCERNS), "day 89 is inside the window");
	/* A date after today (an earlier --today) is not yet received. */
	d[2] = today + 1;
	cr_assert(!on(&f, CW_FLAG_REPEATED_CONCERNS));
}

Test(flags, four_pova_referrals_do_not_flag_five_do)
{
	cw_date d[5] = { today, today - 100, today - 200, today - 300, today - 364 };
	cw_flag_facts f = facts(NULL);

	f.pova_received = d;
	f.npova = 4;
	cr_assert(!on(&f, CW_FLAG_LARGE_SCALE_POVA));
	f.npova = 5;
	cr_assert(on(&f, CW_FLAG_LARGE_SCALE_POVA));
	d[4] = today - 365;   /* 365 days ago: outside the 365-day window */
	cr_assert(!on(&f, CW_FLAG_LARGE_SCALE_POVA));
}

Test(flags, thresholds_come_from_the_rules)
{
	cw_rules *custom = NULL;
	cw_date d[2] = { today, today - 29 };
	cw_flag_facts f = facts(NULL);
	cw_flag_set s;

	cr_assert_eq(cw_rules_load_string(&custom,
		"flags = { repeated_concerns = { count = 2; days = 30; }; };", "custom"), 0);
	f.received = d;
	f.nreceived = 2;
	cw_flags_evaluate(&f, custom, &s);
	cr_assert(s.on[CW_FLAG_REPEATED_CONCERNS]);
	d[1] = today - 30;
	cw_flags_evaluate(&f, custom, &s);
	cr_assert(!s.on[CW_FLAG_REPEATED_CONCERNS]);
	cw_rules_free(custom);
}

Test(flags, red_regulator_overdue_and_embargo_are_plain_facts)
{
	cw_band bands[2] = { CW_BAND_AMBER, CW_BAND_YELLOW };
	cw_flag_facts f = facts(NULL);
	cw_flag_set s;

	f.open_bands = bands;
	f.nopen = 2;
	cw_flags_evaluate(&f, r, &s);
	cr_assert(!s.on[CW_FLAG_RED_CONCERN]);
	cr_assert(!s.on[CW_FLAG_REGULATOR_NOTICE]);
	cr_assert(!s.on[CW_FLAG_OVERDUE_ACTIONS]);
	cr_assert(!s.on[CW_FLAG_OTHER_COMMISSIONER_EMBARGO]);
	bands[1] = CW_BAND_RED;
	f.regulator_open = true;
	f.overdue_actions = 1;
	f.other_commissioner_embargo = true;
	cw_flags_evaluate(&f, r, &s);
	cr_assert(s.on[CW_FLAG_RED_CONCERN]);
	cr_assert(s.on[CW_FLAG_REGULATOR_NOTICE]);
	cr_assert(s.on[CW_FLAG_OVERDUE_ACTIONS]);
	cr_assert(s.on[CW_FLAG_OTHER_COMMISSIONER_EMBARGO]);
}

/* No PPM within review_days.<band> of the last one: overdue from day days+1. */
Test(flags, review_overdue_at_the_interval_of_each_band)
{
	static const struct { cw_band band; int days; } cases[] = {
		{ CW_BAND_RED, 28 }, { CW_BAND_AMBER, 42 }, { CW_BAND_YELLOW, 84 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cw_flag_facts f = facts("provider_performance");

		f.review_band = cases[i].band;
		f.escalated_set = true;
		f.escalated = today - 400;
		f.ppm_since_escalation = true;
		f.first_ppm = f.last_ppm = today - cases[i].days;
		cr_assert(!on(&f, CW_FLAG_REVIEW_OVERDUE), "%s at %d days",
			cw_band_name(cases[i].band), cases[i].days);
		f.last_ppm = today - cases[i].days - 1;
		cr_assert(on(&f, CW_FLAG_REVIEW_OVERDUE), "%s at %d days",
			cw_band_name(cases[i].band), cases[i].days + 1);
		f.stage = "embargo";
		cr_assert(on(&f, CW_FLAG_REVIEW_OVERDUE), "embargo is stage 2 too");
		f.stage = "quality_assurance";
		cr_assert(!on(&f, CW_FLAG_REVIEW_OVERDUE), "no PPMs are due at stage 1");
		f.stage = NULL;
		cr_assert(!on(&f, CW_FLAG_REVIEW_OVERDUE));
	}
}

Test(flags, review_is_measured_from_the_escalation_before_the_first_ppm)
{
	cw_flag_facts f = facts("provider_performance");

	f.review_band = CW_BAND_RED;
	f.escalated_set = true;
	f.escalated = today - 28;
	cr_assert(!on(&f, CW_FLAG_REVIEW_OVERDUE));
	f.escalated = today - 29;
	cr_assert(on(&f, CW_FLAG_REVIEW_OVERDUE));
	/* Green and no band have no review interval. */
	f.review_band = CW_BAND_GREEN;
	cr_assert(!on(&f, CW_FLAG_REVIEW_OVERDUE));
	f.review_band = CW_BAND_NONE;
	cr_assert(!on(&f, CW_FLAG_REVIEW_OVERDUE));
}

Test(flags, first_ppm_overdue_after_the_time_limit)
{
	cw_flag_facts f = facts("provider_performance");

	f.escalated_set = true;
	f.escalated = today - 28;   /* escalation_to_first_ppm = 28 */
	cr_assert(!on(&f, CW_FLAG_FIRST_PPM_OVERDUE));
	f.escalated = today - 29;
	cr_assert(on(&f, CW_FLAG_FIRST_PPM_OVERDUE));
	f.ppm_since_escalation = true;
	f.first_ppm = f.last_ppm = today - 1;
	cr_assert(!on(&f, CW_FLAG_FIRST_PPM_OVERDUE), "a PPM was held");
	f.ppm_since_escalation = false;
	f.stage = "quality_assurance";
	cr_assert(!on(&f, CW_FLAG_FIRST_PPM_OVERDUE), "de-escalated: no PPM is due");
}

Test(flags, provider_letter_overdue_after_the_time_limit)
{
	cw_flag_facts f = facts("provider_performance");

	f.escalated_set = true;
	f.escalated = today - 60;
	f.ppm_since_escalation = true;
	f.first_ppm = today - 5;    /* ppm_to_provider_letter = 5 */
	f.last_ppm = today - 5;
	f.provider_letter_pending = true;
	cr_assert(!on(&f, CW_FLAG_PROVIDER_LETTER_OVERDUE));
	f.first_ppm = today - 6;
	cr_assert(on(&f, CW_FLAG_PROVIDER_LETTER_OVERDUE));
	f.provider_letter_pending = false;
	cr_assert(!on(&f, CW_FLAG_PROVIDER_LETTER_OVERDUE), "the letter was sent");
}

/* attended[] is newest first. */
Test(flags, not_engaging_only_after_missing_the_last_two)
{
	bool attended[3] = { true, false, false };
	cw_flag_facts f = facts("provider_performance");

	f.attended = attended;
	f.nattended = 3;
	cr_assert(!on(&f, CW_FLAG_PROVIDER_NOT_ENGAGING), "attended the last one");
	attended[0] = false;
	attended[1] = false;
	attended[2] = true;
	cr_assert(on(&f, CW_FLAG_PROVIDER_NOT_ENGAGING), "missed exactly the last two");
	f.nattended = 2;
	cr_assert(on(&f, CW_FLAG_PROVIDER_NOT_ENGAGING));
	f.nattended = 1;
	cr_assert(!on(&f, CW_FLAG_PROVIDER_NOT_ENGAGING), "one meeting is too early to say");
	f.nattended = 0;
	cr_assert(!on(&f, CW_FLAG_PROVIDER_NOT_ENGAGING));
}

Test(flags, not_engaging_counts_the_meetings_the_rules_say)
{
	cw_rules *three = NULL;
	bool attended[3] = { false, false, true };
	cw_flag_facts f = facts("provider_performance");
	cw_flag_set s;

	cr_assert_eq(cw_rules_load_string(&three,
		"flags = { provider_not_engaging = { meetings = 3; }; };", "three"), 0);
	f.attended = attended;
	f.nattended = 3;
	cw_flags_evaluate(&f, three, &s);
	cr_assert(!s.on[CW_FLAG_PROVIDER_NOT_ENGAGING]);
	attended[2] = false;
	cw_flags_evaluate(&f, three, &s);
	cr_assert(s.on[CW_FLAG_PROVIDER_NOT_ENGAGING]);
	cw_rules_free(three);
}

Test(flags, suggest_escalation_only_with_no_case_or_at_stage_one)
{
	static const char *const stages[] = {
		NULL, "quality_assurance", "provider_performance", "embargo"
	};
	static const bool suggested[] = { true, true, false, false };
	cw_band red[1] = { CW_BAND_RED };
	cw_date d[5] = { today, today, today, today, today };
	size_t i;

	for (i = 0; i < 4; i++) {
		cw_flag_facts f = facts(stages[i]);

		cr_assert(!on(&f, CW_FLAG_SUGGEST_ESCALATION), "nothing to suggest");
		f.open_bands = red;
		f.nopen = 1;
		cr_assert_eq(on(&f, CW_FLAG_SUGGEST_ESCALATION), suggested[i], "red, stage %s",
			stages[i] ? stages[i] : "(none)");
		f.nopen = 0;
		f.received = d;
		f.nreceived = 3;
		cr_assert_eq(on(&f, CW_FLAG_SUGGEST_ESCALATION), suggested[i], "repeated");
		f.nreceived = 0;
		f.pova_received = d;
		f.npova = 5;
		cr_assert_eq(on(&f, CW_FLAG_SUGGEST_ESCALATION), suggested[i], "pova");
		/* The other flags are not reasons to suggest escalation. */
		f.npova = 0;
		f.regulator_open = true;
		f.overdue_actions = 2;
		cr_assert(!on(&f, CW_FLAG_SUGGEST_ESCALATION));
	}
}

Test(flags, json_lists_the_names_in_order)
{
	cw_flag_set s;
	json_t *a;
	int k;

	for (k = 0; k < CW_FLAG_COUNT; k++)
		cr_assert_not_null(cw_flag_name((cw_flag)k));
	cr_assert_null(cw_flag_name(CW_FLAG_COUNT));
	memset(&s, 0, sizeof(s));
	s.on[CW_FLAG_SUGGEST_ESCALATION] = true;
	s.on[CW_FLAG_RED_CONCERN] = true;
	a = cw_flag_set_json(&s);
	cr_assert_eq(json_array_size(a), 2);
	cr_assert_str_eq(json_string_value(json_array_get(a, 0)), "red_concern");
	cr_assert_str_eq(json_string_value(json_array_get(a, 1)), "suggest_escalation");
	json_decref(a);
}
