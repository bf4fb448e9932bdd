#ifndef CW_PLACEMENT_INTERNAL_H
#define CW_PLACEMENT_INTERNAL_H
/*
 * Placement-control decisions inside the engine, as typed records
 * (cw_placement_control, engine/internal/caps.h): written by the stage
 * machine only (engine/domain/case_embargo.c), read back by the placement
 * check, the case view, letters and documents. JSON is built where a
 * control leaves the engine (cw_placement_control_json).
 */
#include <jansson.h>
#include "carewatch/case.h"
#include "caps.h"

/*
 * The control in effect for (provider, commissioner) on `day`: the latest
 * decision started on or before it; with no decision, id 0 and status
 * "open". Free it with cw_placement_control_free().
 */
int cw_placement_control_on(cw_db *db, const char *pid, const char *cid, cw_date day,
	cw_placement_control *out);

/* A control as {control_id, status, kind, reason, meeting_date, since,
 * until, decided_by, case_id, conditions} (see placement.h). */
json_t *cw_placement_control_json(const cw_placement_control *c);
/* Conditions as {max_admissions, per, max_packages_per_week,
 * max_hours_per_week, respite_allowed}. */
json_t *cw_placement_conditions_json(const cw_placement_conditions *k);

/* A commissioning body linked to a provider or with a decision about it. */
typedef struct {
	char id[CW_ID_LEN];
	char name[256];
	bool lead;
} cw_placement_body;

typedef void (*cw_placement_control_fn)(void *arg, const char *provider_id,
	const cw_placement_body *b, const cw_placement_control *c);

/*
 * The control in effect today of each commissioner of many providers at
 * once (the watch list), in one query: fn is called for each, the lead
 * first, then by name; `ids` are exact provider ids, sorted in place.
 */
int cw_placement_controls_each(cw_db *db, const char **ids, size_t n,
	cw_placement_control_fn fn, void *arg);

/* A restriction's conditions as one line of words (malloc'd), or NULL when
 * the control is not restricted or has none. */
char *cw_placement_conditions_text(const cw_placement_control *c);

/* The provider's commissioners, the lead first, as a malloc'd array. */
int cw_placement_commissioners(cw_db *db, const char *pid, cw_placement_body **out, size_t *n);

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
 * Lift the commissioner's control in effect today (a suspension or a
 * restart's conditions): it ends today and placements are open again, on
 * `case_id` (NULL: none). `placement lift` and a case closed as improved
 * both lift through here.
 */
int cw_placement_lift_control(cw_db *db, const char *provider_id, const char *commissioner_id,
	const char *case_id, const char *reason);

/* A decision recorded on a case and the body that took it. */
typedef struct {
	cw_placement_control ctl;   /* ctl.id 0: there is none */
	char commissioner[256];
	bool lead;
} cw_placement_decision;

/*
 * The latest decision of `status` ("suspended", or NULL for a restart:
 * "restricted" or "open" following a suspension) recorded on the case,
 * the lead commissioner's first. Free out->ctl with cw_placement_control_free().
 */
int cw_placement_case_decision(cw_db *db, const char *case_id, const char *status,
	cw_placement_decision *out);

/* Conditions as phrases, a new array of strings. */
json_t *cw_placement_conditions_words(const cw_placement_conditions *c);

#endif
