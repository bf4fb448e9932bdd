#ifndef CW_PLACEMENT_H
#define CW_PLACEMENT_H
/*
 * Placement control (SPEC §2, §6): per provider and commissioner, new
 * placements are open, suspended (an embargo, mandatory or voluntary) or
 * restricted by the conditions of a restart. Decisions are made with
 * `case suspend` / `case restart` (engine/domain/case_embargo.c); this module keeps
 * their history, answers `placement check` and records placements made.
 *
 * Periods: a weekly cap counts the ISO week (Monday to Sunday) of the
 * placement's date, a monthly cap its calendar month. Caps count only
 * placements made since the restart that set them. An hours cap counts hours
 * of new packages, so a package checked against it must give its hours.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

/* NULL-terminated word lists the commands take. */
extern const char *const cw_placement_kinds[];  /* admission, package */
extern const char *const cw_embargo_kinds[];    /* mandatory, voluntary */
extern const char *const cw_cap_periods[];      /* week, month */

typedef struct {
	const char *provider;      /* name, id or id prefix */
	const char *commissioner;  /* name, id or id prefix */
	const char *kind;          /* NULL: admission */
	bool has_hours;
	double hours;              /* hours of care a week the package adds */
	bool respite;              /* a respite (short-stay) placement */
	bool has_date;
	cw_date date;              /* default: today */
} cw_placement_args;

/*
 * May a placement be made? On CW_OK (allowed) and on CW_EREFUSED (refused,
 * with the reason as the last error) *out is the decision
 * {allowed, reason, warnings[], used, cap, unit, per, period, provider,
 * commissioner, kind, date, status, control}; `used`/`cap` describe the cap
 * that applies (null when none), `control` says the control in words
 * (cw_placement_words), and a suspension adds its `embargo` kind and `since`.
 * Other statuses leave *out untouched: CW_EINVALID for bad input (hours on
 * an admission, a package without hours under an hours cap), CW_ENOTFOUND
 * for an unknown provider or commissioner. Read-only.
 */
int cw_placement_check(cw_db *db, const cw_placement_args *a, json_t **out);

/*
 * Check as above, then record the placement. Needs "placement.write". A
 * refused check is CW_EREFUSED with the reason (nothing is written). On
 * success *out is the placement {id, provider_id, provider, commissioner_id,
 * commissioner, kind, hours, respite, date, recorded_by, warnings, used, cap,
 * control}: `used` as the check counted it, `control` in words counting this
 * placement too.
 */
int cw_placement_record(cw_db *db, const cw_placement_args *a, json_t **out);

/*
 * The placement control of every commissioner linked to the provider or
 * that has made a decision about it, by name, as a new array of
 * {commissioner, commissioner_id, lead, status, kind, since, until, reason,
 * meeting_date, decided_by, case_id, conditions, conditions_text} where
 * conditions is null or {max_admissions, per, max_packages_per_week,
 * max_hours_per_week, respite_allowed} and conditions_text says the same in
 * words. In effect today; a commissioner that never decided is "open".
 */
int cw_placement_controls(cw_db *db, const char *provider_id, json_t **out);

/*
 * The names of the commissioners that have placements with the provider
 * suspended today, as a new array of strings (for flags and the closure rule).
 */
int cw_placement_suspended_by(cw_db *db, const char *provider_id, json_t **out);

/*
 * Has a commissioner other than the lead placements with the provider
 * suspended today? (The other_commissioner_embargo flag, SPEC §4.)
 */
int cw_placement_other_embargo(cw_db *db, const char *provider_id, bool *out);

/*
 * Cancel a placement recorded in error: it stays, marked cancelled, and no
 * longer counts against any cap. Needs "placement.write" and a reason.
 * CW_EREFUSED when already cancelled. *out is the placement {id,
 * provider_id, provider, commissioner_id, commissioner, kind, hours,
 * respite, date, recorded_by, status, cancelled, corrections}.
 */
int cw_placement_cancel(cw_db *db, const char *ref, const char *reason, json_t **out);

/* The placements recorded with a provider (name, id or id prefix), newest
 * first, each as cw_placement_cancel gives it: what `placement cancel` names. */
int cw_placement_list(cw_db *db, const char *provider, json_t **out);

typedef struct {
	const char *provider;      /* name, id or id prefix */
	const char *commissioner;  /* name, id or id prefix */
	const char *reason;
} cw_placement_lift_args;

/*
 * Lift the commissioner's suspension or restriction on the provider, so a
 * cap never outlives the case: the control in effect ends today and
 * placements are open. Needs "placement.write" and the decision role
 * (CW_EREFUSED otherwise), and a reason. CW_EREFUSED when placements are
 * already open. Kept as a correction on the provider and audited. *out is
 * the commissioner's control now (see cw_placement_controls) with
 * `lifted` (the status it had).
 */
int cw_placement_lift(cw_db *db, const cw_placement_lift_args *a, json_t **out);

#endif
