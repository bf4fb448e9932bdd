#ifndef CW_FLAGS_H
#define CW_FLAGS_H
/*
 * Flags (SPEC §4, and the time limits of §11): prompts the engine raises
 * for people to judge, never decisions. One pure function,
 * cw_flags_evaluate(), turns the facts about a provider into its flags with
 * the thresholds of the rules file; engine/domain/flags.c gathers those facts from
 * the database, and every output that shows flags (provider show/list, case
 * show/list, the watch list) goes through cw_flags_provider(), so they
 * always agree.
 *
 * Windows. A window of `days` days ends today and includes it: it runs from
 * today - days + 1 to today. With days = 90, a concern received 89 days ago
 * is inside and one received exactly 90 days ago is outside.
 * cw_flags_window_start() is that first day, for the SQL that gathers facts.
 *
 * Deadlines. A time limit of N days after a date D is missed from D + N + 1:
 * on the Nth day the deadline is still being met.
 *
 * Group roll-up (SPEC §2). Concerns of every provider in the same provider
 * group (providers.grp_key) count toward repeated_concerns and
 * large_scale_pova of each provider of the group, because a series of
 * referrals across homes run by one organisation is itself a pattern. The
 * other flags are the provider's own.
 *
 * The flags, in the order they are listed:
 * - red_concern: an open scored concern of the provider in the red band.
 * - repeated_concerns: >= flags.repeated_concerns.count concerns (not
 *   positive feedback; open or resolved) received in the last
 *   flags.repeated_concerns.days days, across the group.
 * - large_scale_pova: >= flags.large_scale_pova.count POVA referrals
 *   received in the last flags.large_scale_pova.days days, across the group.
 * - regulator_notice: an open concern whose source is the regulator.
 * - overdue_actions: an item of the open case's plan past its due date and
 *   not completed.
 * - review_overdue: the case is in provider_performance or embargo and no
 *   PPM has been held within review_days.<band> of the last PPM (or of the
 *   escalation, when none has been held since); <band> is the agreed level
 *   when the case's last meeting set one newer than every open concern,
 *   else the computed level. A band whose interval is 0 has no review.
 * - first_ppm_overdue: escalated more than time_limits.escalation_to_first_ppm
 *   days ago and no PPM held since.
 * - provider_letter_overdue: the first PPM since the escalation was held more
 *   than time_limits.ppm_to_provider_letter days ago and the letter to the
 *   provider (task "ppm-commenced-provider") is not yet done.
 * - suggest_escalation: no open case, or the case is in quality_assurance,
 *   and any of red_concern, repeated_concerns, large_scale_pova.
 * - other_commissioner_embargo: another commissioner has suspended
 *   placements with the provider.
 * - provider_not_engaging: the provider did not attend any of the last
 *   flags.provider_not_engaging.meetings PPMs of the open case; with fewer
 *   meetings recorded than that, no flag. Suggests the
 *   lack-of-engagement-provider letter.
 * - regulator_rating_poor: the regulator's latest overall rating (import
 *   ratings; the one published last) is one of
 *   flags.regulator_rating_poor.ratings (compared without regard to case).
 * - regulator_rating_stale: that rating was published more than
 *   flags.regulator_rating_stale.months months ago: on the same day of the
 *   month N months on it is not yet stale (a rating of 31 January is stale
 *   from 1 March when the later month is shorter). No rating: no flag.
 * - no_health_board_attendee (protocol 8.4): the latest PPM of the open
 *   case, about a nursing home, had no attendee from health (an
 *   organisation that is a health-board commissioner, or whose name or
 *   role says health or NHS).
 * - pova_no_safeguarding (8.13): two or more POVA referrals received since
 *   the PPM before the latest one (or the escalation) up to the latest
 *   one, and no safeguarding attendee at it (organisation or role).
 * - first_chair_not_contracts (8.2): the chair of the case's first PPM
 *   does not hold the contracts role.
 */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "carewatch/date.h"
#include "carewatch/db.h"
#include "carewatch/rules.h"

typedef enum {
	CW_FLAG_RED_CONCERN,
	CW_FLAG_REPEATED_CONCERNS,
	CW_FLAG_LARGE_SCALE_POVA,
	CW_FLAG_REGULATOR_NOTICE,
	CW_FLAG_OVERDUE_ACTIONS,
	CW_FLAG_REVIEW_OVERDUE,
	CW_FLAG_FIRST_PPM_OVERDUE,
	CW_FLAG_PROVIDER_LETTER_OVERDUE,
	CW_FLAG_SUGGEST_ESCALATION,
	CW_FLAG_OTHER_COMMISSIONER_EMBARGO,
	CW_FLAG_PROVIDER_NOT_ENGAGING,
	CW_FLAG_REGULATOR_RATING_POOR,
	CW_FLAG_REGULATOR_RATING_STALE,
	CW_FLAG_NO_HEALTH_BOARD_ATTENDEE,
	CW_FLAG_POVA_NO_SAFEGUARDING,
	CW_FLAG_FIRST_CHAIR_NOT_CONTRACTS,
	CW_FLAG_COUNT
} cw_flag;

/* Everything the flag rules look at, as of `today`. Arrays are borrowed. */
typedef struct {
	cw_date today;
	const char *stage;            /* the open case's stage; NULL: no open case */

	/* The provider's own open, scored concerns. */
	const cw_band *open_bands;
	size_t nopen;
	bool regulator_open;          /* an open concern's source is the regulator */

	/* Dates received of the group's concerns (positive feedback left out),
	 * and of its POVA referrals. Dates outside a window are ignored, so the
	 * engine may pass more than it needs. */
	const cw_date *received;
	size_t nreceived;
	const cw_date *pova_received;
	size_t npova;
	/* Or the counts in the two windows, when the engine counted them in
	 * SQL (engine/domain/flags_all.c); then the dates above are unused. */
	bool windows_counted;
	size_t nrepeated_window, npova_window;

	int overdue_actions;          /* items of the open case's plan overdue today */

	/* The open case's escalation and its PPMs since that escalation. */
	bool escalated_set;
	cw_date escalated;
	bool ppm_since_escalation;
	cw_date first_ppm;            /* the first and the last of them */
	cw_date last_ppm;
	cw_band review_band;          /* the band whose interval applies */
	bool provider_letter_pending; /* the letter to the provider is not done */

	/* provider_attended of the open case's latest PPMs, newest first. */
	const bool *attended;
	size_t nattended;

	/* Another commissioner has placements suspended (placement control). */
	bool other_commissioner_embargo;

	/* The regulator's latest overall rating (engine/domain/ratings.c). */
	bool rating_set;
	char rating[48];
	cw_date rating_published;

	/* The meeting prompts of protocol 8.2, 8.4 and 8.13 (cw_flags_sql_prompts). */
	bool no_health_board_attendee;
	bool pova_no_safeguarding;
	bool first_chair_not_contracts;
} cw_flag_facts;

/*
 * The meeting prompts of the open cases in stage 2 (?1: one case id, or
 * NULL for all): rows of case_id and the three facts above as 0 or 1.
 * Defined in engine/domain/flags.c, shared with flags_all.c.
 */
extern const char cw_flags_sql_prompts[];

typedef struct {
	bool on[CW_FLAG_COUNT];
} cw_flag_set;

/* "red_concern", ...; NULL for a value out of range. */
const char *cw_flag_name(cw_flag f);

/* The first day of a window of `days` days ending today (see above). */
cw_date cw_flags_window_start(cw_date today, int days);

/* Apply the flag rules of `r` to `f`. Pure: no SQL, no printing. */
void cw_flags_evaluate(const cw_flag_facts *f, const cw_rules *r, cw_flag_set *out);

/* The numbers of the rules the flags use, read once for many providers
 * (each rules lookup walks libconfig's tree by name). */
typedef struct {
	int repeated_days, repeated_count, pova_days, pova_count;
	int engage_meetings, first_ppm_days, letter_days, stale_months;
} cw_flag_limits;

void cw_flag_limits_read(const cw_rules *r, cw_flag_limits *out);
/* cw_flags_evaluate with limits read beforehand. */
void cw_flags_evaluate_with(const cw_flag_facts *f, const cw_rules *r,
	const cw_flag_limits *lim, cw_flag_set *out);

/* The flags that are on, as a new JSON array of names in cw_flag order. */
json_t *cw_flag_set_json(const cw_flag_set *s);

/*
 * The flags of a provider (by exact id) as a new JSON array of names,
 * from the facts in the database as of the session's today. The provider's
 * open case, if any, is looked up here. CW_EINTERNAL on a storage error.
 * Defined in engine/domain/flags.c.
 */
int cw_flags_provider(cw_db *db, const char *provider_id, json_t **out);

/* The same, as a flag set (for callers that test single flags). */
int cw_flags_provider_set(cw_db *db, const char *provider_id, cw_flag_set *out);

/*
 * The flags of every provider at once, for the watch list: the same facts
 * as cw_flags_provider(), gathered with one query per fact for all
 * providers (so the cost follows what is open and what is in the windows,
 * not the number of providers times the queries) and evaluated with the
 * same cw_flags_evaluate(). Defined in engine/domain/flags_all.c.
 */
typedef struct cw_flags_all cw_flags_all;

/* Gather and evaluate; CW_EINTERNAL on a storage error. */
int cw_flags_all_load(cw_db *db, cw_flags_all **out);

/* The flags of a provider (by exact id); NULL when it did not exist at load. */
const cw_flag_set *cw_flags_all_get(const cw_flags_all *a, const char *provider_id);

/* The provider's open concerns (not positive feedback) as the watch list
 * counts them: how many, the highest score, how many in each band (red,
 * amber, yellow, green) and the newest received date ("" with none). */
typedef struct {
	int n, max_score, bands[4];
	char last[CW_DATE_STRLEN];
} cw_flags_open;

/* NULL for an unknown provider. */
const cw_flags_open *cw_flags_all_open(const cw_flags_all *a, const char *provider_id);

/* The provider's own POVA referrals received in the large-scale window
 * (the watch list's pova_referrals); 0 for an unknown provider. */
int cw_flags_all_pova(const cw_flags_all *a, const char *provider_id);

/* How many providers, and the id of the i-th (in id order). */
size_t cw_flags_all_count(const cw_flags_all *a);
const char *cw_flags_all_id(const cw_flags_all *a, size_t i);

void cw_flags_all_free(cw_flags_all *a);

#endif
