/* Identifiers in words (include/carewatch/words.h): one table per vocabulary. */
#include <string.h>
#include "carewatch/words.h"

struct word {
	const char *id, *words;
};

static const struct word stages[] = {
	{ "quality_assurance", "Quality assurance" },
	{ "provider_performance", "Provider performance" },
	{ "embargo", "Embargo" },
	{ "closed", "Closed" },
	{ NULL, NULL }
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
	return lookup(stages, stage);
}

const char *cw_words_flag(const char *flag)
{
	return lookup(flags, flag);
}

const char *cw_words_team(const char *team)
{
	return lookup(teams, team);
}
