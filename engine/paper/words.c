/* Stored words as people read them (include/carewatch/words.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "carewatch/words.h"
#include "carewatch/buf.h"
#include "carewatch/date.h"
#include "carewatch/error.h"

static const struct {
	const char *name, *words, *abbrev, *label;
} stages[] = {
	{ "quality_assurance", "quality assurance", "QA", "Quality assurance" },
	{ "provider_performance", "provider performance", "PPM", "Provider performance" },
	{ "embargo", "embargo", "embargo", "Embargo" },
	{ "closed", "closed", "closed", "Closed" },
};
#define NSTAGES (sizeof(stages) / sizeof(stages[0]))

/* The row of a stored stage name; NSTAGES when it names none. */
static size_t stage_row(const char *stage)
{
	size_t i;

	for (i = 0; stage && i < NSTAGES; i++)
		if (strcmp(stage, stages[i].name) == 0)
			break;
	return stage ? i : NSTAGES;
}

const char *cw_stage_words(const char *stage)
{
	size_t i = stage_row(stage);

	return i < NSTAGES ? stages[i].words : stage;
}

const char *cw_stage_abbrev(const char *stage)
{
	size_t i = stage_row(stage);

	return i < NSTAGES ? stages[i].abbrev : stage;
}

const char *cw_stage_parse(const char *s)
{
	size_t i;

	for (i = 0; s && i < NSTAGES; i++)
		if (strcasecmp(s, stages[i].name) == 0 || strcasecmp(s, stages[i].words) == 0 ||
		    strcasecmp(s, stages[i].abbrev) == 0)
			return stages[i].name;
	/* The meeting names people say: "ppm" above, "qa meeting" rarely. */
	cw_error_at("stage", CW_EINVALID, "stage '%.40s' is not one of: quality_assurance (qa),"
		" provider_performance (ppm), embargo, closed", s ? s : "");
	return NULL;
}

const cw_word_pair cw_flag_legend[] = {
	{ "red_concern", "an open concern is in the red band" },
	{ "repeated_concerns", "repeated concerns received recently (across the provider's group)" },
	{ "large_scale_pova", "POVA referrals reach the threshold to consider a large-scale"
		" investigation" },
	{ "regulator_notice", "an open concern comes from the regulator" },
	{ "overdue_actions", "an action-plan item is overdue" },
	{ "review_overdue", "no provider performance meeting within the review interval" },
	{ "first_ppm_overdue", "the first provider performance meeting is overdue" },
	{ "provider_letter_overdue", "the letter to the provider after the meeting is overdue" },
	{ "suggest_escalation", "consider escalating to provider performance" },
	{ "other_commissioner_embargo", "another commissioner has suspended placements" },
	{ "provider_not_engaging", "the provider did not attend the last meetings" },
	{ "regulator_rating_poor", "the regulator's latest rating is poor" },
	{ "regulator_rating_stale", "the regulator's latest rating is out of date" },
	{ "no_health_board_attendee", "no health-board attendee at the last meeting about a"
		" nursing home" },
	{ "pova_no_safeguarding", "two or more POVA referrals since the last meeting and no"
		" safeguarding attendee" },
	{ "first_chair_not_contracts", "the first meeting was not chaired by a contracting"
		" manager" },
	{ NULL, NULL }
};

const char *cw_flag_words(const char *flag)
{
	const cw_word_pair *p;

	for (p = cw_flag_legend; flag && p->name; p++)
		if (strcmp(flag, p->name) == 0)
			return p->words;
	return "";
}

char *cw_count_words(long n, const char *one, const char *many)
{
	cw_buf b = CW_BUF_INIT;

	cw_buf_printf(&b, "%ld %s", n, n == 1 ? one : many);
	return cw_buf_detach(&b);
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	"Aug", "Sep", "Oct", "Nov", "Dec" };

/* "30 Nov", with the year when `year`. */
static void short_date(cw_buf *b, const char *iso, bool year)
{
	cw_date d;
	int y, m, dd;

	if (!iso || cw_date_parse(iso, &d) != CW_OK) {
		cw_buf_puts(b, iso ? iso : "?");
		return;
	}
	cw_date_to_ymd(d, &y, &m, &dd);
	cw_buf_printf(b, year ? "%d %s %d" : "%d %s", dd, months[m - 1], y);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "2 admissions", "1 admission", "7.5 hours". */
static void amount(cw_buf *b, const json_t *v, const char *unit)
{
	double x = json_number_value(v);
	size_t n = strlen(unit);

	if (n > 1 && x == 1 && unit[n - 1] == 's')
		cw_buf_printf(b, "%g %.*s", x, (int)(n - 1), unit);
	else
		cw_buf_printf(b, "%g %s", x, unit);
}

static void cap_words(cw_buf *b, const json_t *p)
{
	const json_t *period = json_object_get(p, "period");
	const char *per = jstr(p, "per"), *unit = jstr(p, "unit");
	const char *from = jstr(period, "from"), *to = jstr(period, "to");

	amount(b, json_object_get(p, "cap"), unit ? unit : "placements");
	cw_buf_printf(b, " a %s, %g used", per ? per : "period",
		json_number_value(json_object_get(p, "used")));
	if (from && to) {
		cw_buf_puts(b, " (");
		short_date(b, from, strncmp(from, to, 4) != 0);
		cw_buf_puts(b, " \u2013 ");
		short_date(b, to, strncmp(from, to, 4) != 0);
		cw_buf_puts(b, ")");
	}
}

char *cw_placement_words(const json_t *p, bool who)
{
	const char *status = jstr(p, "status"), *since = jstr(p, "since");
	/* A check names the embargo's kind apart from the placement's. */
	const char *kind = jstr(p, "embargo") ? jstr(p, "embargo") : jstr(p, "kind");
	const json_t *cond = json_object_get(p, "conditions_text");
	cw_buf b = CW_BUF_INIT;

	if (!json_is_string(cond))
		cond = json_object_get(p, "conditions");
	if (who && jstr(p, "commissioner"))
		cw_buf_printf(&b, "%s: ", jstr(p, "commissioner"));
	cw_buf_puts(&b, status ? status : "open");
	if (status && strcmp(status, "restricted") == 0) {
		if (json_is_number(json_object_get(p, "cap"))) {
			cw_buf_puts(&b, ": ");
			cap_words(&b, p);
		} else if (json_is_string(cond)) {
			cw_buf_printf(&b, ": %s", json_string_value(cond));
		}
	} else if (status && strcmp(status, "suspended") == 0 && (kind || since)) {
		cw_buf_puts(&b, ":");
		if (kind && strcmp(kind, "admission") != 0 && strcmp(kind, "package") != 0)
			cw_buf_printf(&b, " %s", kind);
		cw_buf_puts(&b, " embargo");
		if (since) {
			cw_buf_puts(&b, " since ");
			short_date(&b, since, true);
		}
	}
	return cw_buf_detach(&b);
}

/* ---- short labels (cw_words_*) ---- */

struct word {
	const char *id, *words;
};

static const struct word flags[] = {
	{ "red_concern", "Red concern" },
	{ "repeated_concerns", "Repeated concerns" },
	{ "large_scale_pova", "Large-scale POVA" },
	{ "regulator_notice", "Regulator notice" },
	{ "overdue_actions", "Overdue actions" },
	{ "review_overdue", "Review overdue" },
	{ "suggest_escalation", "Consider escalation" },
	{ "other_commissioner_embargo", "Another commissioner's embargo" },
	{ "provider_not_engaging", "Provider not engaging" },
	{ "first_ppm_overdue", "First meeting overdue" },
	{ "provider_letter_overdue", "Letter to provider overdue" },
	{ "regulator_rating_poor", "Poor regulator rating" },
	{ "regulator_rating_stale", "Stale regulator rating" },
	{ "no_health_board_attendee", "No health-board attendee" },
	{ "pova_no_safeguarding", "No safeguarding attendee" },
	{ "first_chair_not_contracts", "First chair not contracts" },
	{ NULL, NULL }
};

static const struct word teams[] = {
	{ "commissioning", "Commissioning" },
	{ "safeguarding", "Safeguarding" },
	{ "care_management", "Care management" },
	{ "supporting_people", "Supporting People" },
	{ "health", "Health" },
	{ "other", "Other" },
	{ NULL, NULL }
};

static const char *lookup(const struct word *t, const char *id)
{
	if (!id)
		return "";
	for (; t->id; t++)
		if (strcmp(t->id, id) == 0)
			return t->words;
	return id;
}

const char *cw_words_stage(const char *stage)
{
	size_t i = stage_row(stage);

	return i < NSTAGES ? stages[i].label : stage ? stage : "";
}

const char *cw_words_flag(const char *flag)
{
	return lookup(flags, flag);
}

const char *cw_words_team(const char *team)
{
	return lookup(teams, team);
}
