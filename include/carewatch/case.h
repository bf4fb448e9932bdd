#ifndef CW_CASE_H
#define CW_CASE_H
/*
 * Cases: one provider's passage through the protocol (SPEC §2). Every
 * transition is a row of one table in engine/domain/case.c, is checked against the
 * guards of rules/guards.c with the strengths of the rules file, and leaves
 * a case_events row and an audit entry in the same transaction.
 *
 * Cases are named by id or id prefix; as a convenience, also by the exact
 * name of their provider (its open case, else its latest).
 *
 * On success *out is the case as JSON (SPEC §8 keys plus reason, escalated,
 * agreed_by, plan_version, plan_started, plan_updated, events, overrides,
 * and suggested_letters: the letter templates its flags suggest, e.g.
 * "lack-of-engagement-provider" for provider_not_engaging), owned by the
 * caller.
 */
#include <jansson.h>
#include "carewatch/db.h"

/* NULL-terminated lists of the words the commands take. */
extern const char *const cw_case_stages[];    /* quality_assurance ... closed */
extern const char *const cw_case_triggers[];  /* SPEC §4 */
extern const char *const cw_case_outcomes[];  /* improved ... service_closed */

/*
 * Open a case in quality_assurance for `provider` (name, id or prefix).
 * Needs case.open. CW_EREFUSED when the provider already has an open case
 * (named in the message) or is closed; CW_ENOTFOUND for an unknown provider.
 */
int cw_case_open(cw_db *db, const char *provider, const char *reason, json_t **out);

/*
 * quality_assurance -> provider_performance. Needs case.escalate. `trigger`
 * is one of cw_case_triggers; "other" needs a `note` (CW_EINVALID). `chair`
 * must be a user (CW_ENOTFOUND).
 */
int cw_case_escalate(cw_db *db, const char *ref, const char *trigger,
	const char *chair, const char *note, json_t **out);

/*
 * provider_performance -> quality_assurance. Needs case.deescalate; guard
 * deescalate_no_red. `override` (may be NULL) lifts failing "should" guards
 * and is recorded.
 */
int cw_case_deescalate(cw_db *db, const char *ref, const char *rationale,
	const char *override, json_t **out);

typedef struct {
	const char *outcome;    /* one of cw_case_outcomes */
	const char *rationale;
	const char *agreed_by;  /* "ORG[,ORG...]" or NULL */
	const char *override;   /* or NULL */
} cw_case_close_args;

/*
 * Close a case. improved / single_agency_monitoring: from quality_assurance
 * or provider_performance, under the closure rule (SPEC §5); refusals list
 * every unmet condition (cw_error_unmet). contract_terminated /
 * service_closed: from provider_performance or embargo, by the decision
 * role (CW_EFORBIDDEN under "must"); they also mark the provider closed.
 */
int cw_case_close(cw_db *db, const char *ref, const cw_case_close_args *a, json_t **out);

typedef struct {
	const char *commissioner;  /* name, id or id prefix */
	const char *kind;          /* one of cw_embargo_kinds (placement.h) */
	const char *reason;
	bool has_meeting;
	cw_date meeting;           /* the PPM that recommended it: a recorded meeting of
	                              the case on or before today (else CW_EREFUSED) */
	const char *override;      /* or NULL */
} cw_case_suspend_args;

typedef struct {
	const char *commissioner;
	const char *reason;
	bool has_admissions;       /* at most max_admissions per `per` */
	long max_admissions;
	const char *per;           /* "week" or "month"; given with max_admissions */
	bool has_packages;         /* at most max_packages new packages per week */
	long max_packages;
	bool has_hours;            /* at most max_hours new hours of care per week */
	double max_hours;
	bool no_respite;           /* no respite placements */
	const char *override;
	bool has_meeting;
	cw_date meeting;           /* the PPM that recommended it (recorded, of this case) */
} cw_case_restart_args;

/*
 * Suspend new placements with the case's provider for one commissioner.
 * Needs case.escalate and the decision role (guard decision_role: under
 * "must" CW_EFORBIDDEN). For the lead commissioner the case moves
 * provider_performance -> embargo; for any other the stage stays and only
 * that body's decision is recorded (allowed from any open stage). Refused
 * (CW_EREFUSED) when the commissioner has already suspended placements.
 * Creates the "embargo placed" tasks (lead only).
 */
int cw_case_suspend(cw_db *db, const char *ref, const cw_case_suspend_args *a, json_t **out);

/*
 * Restart placements for one commissioner, with conditions (the control
 * becomes "restricted") or without ("open"); records the end of the
 * embargo. Needs case.deescalate, the decision role and, with the strengths
 * of the rules, every corrective item completed and no red concern (each
 * failing item or concern named). The lead's restart from embargo moves the
 * case to provider_performance and creates the "embargo lifted" tasks; any
 * other restart leaves the stage. The commissioner must have placements
 * suspended, or restricted (a later restart changes or lifts conditions):
 * else CW_EREFUSED. CW_EINVALID when --max-admissions and --per are not
 * given together or a cap is not positive.
 */
int cw_case_restart(cw_db *db, const char *ref, const cw_case_restart_args *a, json_t **out);

/* One case with its history; cases (optionally in one stage, named as
 * cw_stage_parse() takes it: "ppm" too), open ones first. */
int cw_case_show(cw_db *db, const char *ref, json_t **out);
int cw_case_list(cw_db *db, const char *stage, json_t **out);

/*
 * The flags (SPEC §4) of a provider, as a new JSON array of flag names: the
 * same as cw_flags_provider() (carewatch/flags.h), where the rules live and
 * are extended. The provider's open case is read from the database, so
 * `stage` (what the caller believes it is; NULL: no open case) is unused.
 */
int cw_case_flags(cw_db *db, const char *provider_id, const char *stage, json_t **out);

#endif
