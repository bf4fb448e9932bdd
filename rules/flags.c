/*
 * The flag rules of SPEC §4 and the time limits of §11 as one pure
 * function from facts to flags (see include/carewatch/flags.h for each
 * rule and its edges). No SQL and no printing: engine/domain/flags.c gathers the
 * facts, so the rules can be tested at their edges without a database.
 */
#include <string.h>
#include "flags.h"

static const char *const flag_names[CW_FLAG_COUNT] = {
	[CW_FLAG_RED_CONCERN] = "red_concern",
	[CW_FLAG_REPEATED_CONCERNS] = "repeated_concerns",
	[CW_FLAG_LARGE_SCALE_POVA] = "large_scale_pova",
	[CW_FLAG_REGULATOR_NOTICE] = "regulator_notice",
	[CW_FLAG_OVERDUE_ACTIONS] = "overdue_actions",
	[CW_FLAG_REVIEW_OVERDUE] = "review_overdue",
	[CW_FLAG_FIRST_PPM_OVERDUE] = "first_ppm_overdue",
	[CW_FLAG_PROVIDER_LETTER_OVERDUE] = "provider_letter_overdue",
	[CW_FLAG_SUGGEST_ESCALATION] = "suggest_escalation",
	[CW_FLAG_OTHER_COMMISSIONER_EMBARGO] = "other_commissioner_embargo",
	[CW_FLAG_PROVIDER_NOT_ENGAGING] = "provider_not_engaging",
	[CW_FLAG_REGULATOR_RATING_POOR] = "regulator_rating_poor",
	[CW_FLAG_REGULATOR_RATING_STALE] = "regulator_rating_stale",
	[CW_FLAG_NO_HEALTH_BOARD_ATTENDEE] = "no_health_board_attendee",
	[CW_FLAG_POVA_NO_SAFEGUARDING] = "pova_no_safeguarding",
	[CW_FLAG_FIRST_CHAIR_NOT_CONTRACTS] = "first_chair_not_contracts",
};

const char *cw_flag_name(cw_flag f)
{
	return (unsigned)f < CW_FLAG_COUNT ? flag_names[f] : NULL;
}

cw_date cw_flags_window_start(cw_date today, int days)
{
	return today - days + 1;
}

/* How many of `dates` fall in the window of `days` days ending today. A
 * date after today (a run with an earlier --today) is not yet received. */
static size_t in_window(const cw_date *dates, size_t n, cw_date today, int days)
{
	cw_date from = cw_flags_window_start(today, days);
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (dates[i] >= from && dates[i] <= today)
			count++;
	return count;
}

/* Is a limit of `days` days after `from` missed today? On day `days` it is
 * still met. */
static bool missed(cw_date today, cw_date from, int days)
{
	return today - from > days;
}

/* Stage 2 and the embargo are where PPMs are held and time limits run. */
static bool in_stage_two(const char *stage)
{
	return stage && (strcmp(stage, "provider_performance") == 0 ||
		strcmp(stage, "embargo") == 0);
}

static bool review_overdue(const cw_flag_facts *f, const cw_rules *r)
{
	int days;
	cw_date from;

	/* The stage first: most providers have no case, and a lookup costs. */
	if (!in_stage_two(f->stage) || (days = cw_rules_review_days(r, f->review_band)) <= 0)
		return false;
	/* Measured from the last PPM; before the first one, from the escalation. */
	if (f->ppm_since_escalation)
		from = f->last_ppm;
	else if (f->escalated_set)
		from = f->escalated;
	else
		return false;
	return missed(f->today, from, days);
}

static bool not_engaging(const cw_flag_facts *f, const cw_flag_limits *lim)
{
	size_t n = (size_t)lim->engage_meetings, i;

	/* Fewer meetings than the rule looks at: too early to say. */
	if (!f->attended || f->nattended < n || n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (f->attended[i])
			return false;
	return true;
}

/* The day `months` calendar months after `d`, kept inside the later month. */
static cw_date months_after(cw_date d, int months)
{
	int y, m, day, last;
	cw_date first;

	cw_date_to_ymd(d, &y, &m, &day);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	first = cw_date_from_ymd(y, m, 1);
	last = cw_date_next_month_start(first) - first;
	return first + (day < last ? day : last) - 1;
}

static bool rating_stale(const cw_flag_facts *f, const cw_flag_limits *lim)
{
	return f->rating_set &&
		f->today > months_after(f->rating_published, lim->stale_months);
}

void cw_flag_limits_read(const cw_rules *r, cw_flag_limits *out)
{
	out->repeated_days = cw_rules_int(r, "flags.repeated_concerns.days");
	out->repeated_count = cw_rules_int(r, "flags.repeated_concerns.count");
	out->pova_days = cw_rules_int(r, "flags.large_scale_pova.days");
	out->pova_count = cw_rules_int(r, "flags.large_scale_pova.count");
	out->engage_meetings = cw_rules_int(r, "flags.provider_not_engaging.meetings");
	out->first_ppm_days = cw_rules_int(r, "time_limits.escalation_to_first_ppm");
	out->letter_days = cw_rules_int(r, "time_limits.ppm_to_provider_letter");
	out->stale_months = cw_rules_int(r, "flags.regulator_rating_stale.months");
}

void cw_flags_evaluate(const cw_flag_facts *f, const cw_rules *r, cw_flag_set *out)
{
	cw_flag_limits lim;

	cw_flag_limits_read(r, &lim);
	cw_flags_evaluate_with(f, r, &lim, out);
}

void cw_flags_evaluate_with(const cw_flag_facts *f, const cw_rules *r,
	const cw_flag_limits *lim, cw_flag_set *out)
{
	bool *on = out->on;
	size_t i, repeated, pova;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < f->nopen; i++)
		if (f->open_bands[i] == CW_BAND_RED)
			on[CW_FLAG_RED_CONCERN] = true;
	repeated = f->windows_counted ? f->nrepeated_window
		: in_window(f->received, f->nreceived, f->today, lim->repeated_days);
	pova = f->windows_counted ? f->npova_window
		: in_window(f->pova_received, f->npova, f->today, lim->pova_days);
	on[CW_FLAG_REPEATED_CONCERNS] = repeated >= (size_t)lim->repeated_count;
	on[CW_FLAG_LARGE_SCALE_POVA] = pova >= (size_t)lim->pova_count;
	on[CW_FLAG_REGULATOR_NOTICE] = f->regulator_open;
	on[CW_FLAG_OVERDUE_ACTIONS] = f->overdue_actions > 0;
	on[CW_FLAG_REVIEW_OVERDUE] = review_overdue(f, r);
	on[CW_FLAG_FIRST_PPM_OVERDUE] = in_stage_two(f->stage) && f->escalated_set &&
		!f->ppm_since_escalation && missed(f->today, f->escalated, lim->first_ppm_days);
	on[CW_FLAG_PROVIDER_LETTER_OVERDUE] = in_stage_two(f->stage) &&
		f->ppm_since_escalation && f->provider_letter_pending &&
		missed(f->today, f->first_ppm, lim->letter_days);
	/* The engine never escalates by itself; it suggests, at stage 1 only. */
	on[CW_FLAG_SUGGEST_ESCALATION] =
		(!f->stage || strcmp(f->stage, "quality_assurance") == 0) &&
		(on[CW_FLAG_RED_CONCERN] || on[CW_FLAG_REPEATED_CONCERNS] ||
		 on[CW_FLAG_LARGE_SCALE_POVA]);
	on[CW_FLAG_OTHER_COMMISSIONER_EMBARGO] = f->other_commissioner_embargo;
	on[CW_FLAG_PROVIDER_NOT_ENGAGING] = not_engaging(f, lim);
	on[CW_FLAG_REGULATOR_RATING_POOR] = f->rating_set &&
		cw_rules_list_has(r, "flags.regulator_rating_poor.ratings", f->rating);
	on[CW_FLAG_REGULATOR_RATING_STALE] = rating_stale(f, lim);
	on[CW_FLAG_NO_HEALTH_BOARD_ATTENDEE] = in_stage_two(f->stage) && f->no_health_board_attendee;
	on[CW_FLAG_POVA_NO_SAFEGUARDING] = in_stage_two(f->stage) && f->pova_no_safeguarding;
	on[CW_FLAG_FIRST_CHAIR_NOT_CONTRACTS] = in_stage_two(f->stage) &&
		f->first_chair_not_contracts;
}

json_t *cw_flag_set_json(const cw_flag_set *s)
{
	json_t *a = json_array();
	int k;

	for (k = 0; k < CW_FLAG_COUNT; k++)
		if (s->on[k])
			json_array_append_new(a, json_string(flag_names[k]));
	return a;
}
