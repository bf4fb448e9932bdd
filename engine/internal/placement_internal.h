#ifndef CW_PLACEMENT_INTERNAL_H
#define CW_PLACEMENT_INTERNAL_H
/*
 * Writing placement-control decisions, for the stage machine only
 * (engine/domain/case_embargo.c), and reading them back for letters.
 */
#include <jansson.h>
#include "carewatch/case.h"

/*
 * The control in effect for (provider, commissioner) on `day`: the latest
 * decision started on or before it, as {control_id, status, kind, reason,
 * meeting_date, since, until, decided_by, case_id, conditions}; with no
 * decision, status "open" and the rest null.
 */
int cw_placement_control_on(cw_db *db, const char *pid, const char *cid, cw_date day,
	json_t **out);

/* Commissioners linked to the provider or with a decision about it, as a
 * new array of {id, name, lead}, the lead first. */
int cw_placement_commissioners(cw_db *db, const char *pid, json_t **out);

/* A suspension by `commissioner_id` from today, recorded against the case. */
int cw_placement_suspend(cw_db *db, const char *provider_id, const char *commissioner_id,
	const char *case_id, const cw_case_suspend_args *a, const char *override);

/*
 * End the commissioner's control in effect today (a suspension, or an
 * earlier restart's conditions): its end_date is set and a new control
 * starts, `restricted` when `a` sets any condition, else `open`.
 */
int cw_placement_restart(cw_db *db, const char *provider_id, const char *commissioner_id,
	const char *case_id, const cw_case_restart_args *a, const char *override);

/*
 * The latest decision of `status` ("suspended", or NULL for a restart:
 * "restricted" or "open" following a suspension) recorded on the case,
 * the lead commissioner's first, as {commissioner, lead, status, kind,
 * reason, meeting_date, since, until, decided_by, conditions}; *out is NULL
 * when there is none.
 */
int cw_placement_case_decision(cw_db *db, const char *case_id, const char *status,
	json_t **out);

/* Conditions ({max_admissions, ...} or null) as phrases, a new array of strings. */
json_t *cw_placement_conditions_words(const json_t *conditions);

#endif
