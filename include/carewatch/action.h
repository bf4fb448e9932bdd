#ifndef CW_ACTION_H
#define CW_ACTION_H
/*
 * The action plan of a case (SPEC §2): items that each address a concern of
 * the case's provider, with an owner, a due date, a status, dated evidence
 * and the history of their extensions. Every change raises the case's
 * plan_version and sets its plan_updated to today, in the same transaction
 * as its audit entry. A closed case's plan no longer changes (CW_EREFUSED).
 *
 * On success *out is the item as JSON (SPEC §8: id, case_id, concern_id,
 * kind, improvement, owner, due, status, completed, overdue, extensions
 * [{made, from, to, rationale, by}], evidence [{date, text, by}], and the
 * concern's CURRENT likelihood, impact, score and band), owned by the caller.
 * An item is overdue when it is not completed and today is after its due
 * date (on the due date itself it is not).
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

extern const char *const cw_action_kinds[];     /* "CA", "DA" */
extern const char *const cw_action_statuses[];  /* not_started, ongoing, completed */

typedef struct {
	const char *case_ref;
	const char *concern;      /* id or prefix */
	const char *kind;         /* CA | DA */
	const char *improvement;
	const char *owner;        /* the person responsible (free text) */
	cw_date due;
} cw_action_add_args;

/*
 * Add an item. Needs action.write. The concern must be an open, scored
 * concern of the case's provider (CW_EREFUSED otherwise).
 */
int cw_action_add(cw_db *db, const cw_action_add_args *a, json_t **out);

/*
 * Move the due date, keeping {made, from, to, rationale}. A blank rationale
 * or an unchanged date is CW_EINVALID; a completed item is CW_EREFUSED.
 */
int cw_action_extend(cw_db *db, const char *ref, cw_date due, const char *rationale,
	json_t **out);

/*
 * Set the status (completed records today as the completion date; leaving
 * completed clears it) and optionally add a dated evidence entry. Setting
 * the status it already has, with no evidence, changes nothing.
 */
int cw_action_progress(cw_db *db, const char *ref, const char *status,
	const char *evidence, json_t **out);

/* One item; the items of a case by due date (only the overdue ones). */
int cw_action_show(cw_db *db, const char *ref, json_t **out);

/* Corrections (SPEC §2): each needs a reason and keeps before and after in
 * the item's `corrections` and the audit entry. */
typedef struct {
	const char *improvement;  /* NULL: unchanged */
	const char *owner;        /* NULL: unchanged */
	const char *reason;
} cw_action_edit_args;

/* Correct an item's improvement or owner. Needs "action.write"; CW_EINVALID
 * when nothing would change; CW_EREFUSED when the case is closed. */
int cw_action_edit(cw_db *db, const char *ref, const cw_action_edit_args *a, json_t **out);

/*
 * Withdraw an item recorded in error: status `withdrawn`. It counts for
 * nothing from then on (overdue, closure, restart, watch list) and stays on
 * the plan as withdrawn; it can no longer progress or be extended. Needs
 * "action.write"; CW_EREFUSED when already withdrawn or the case is closed.
 */
int cw_action_withdraw(cw_db *db, const char *ref, const char *reason, json_t **out);
int cw_action_list(cw_db *db, const char *case_ref, bool overdue_only, json_t **out);

#endif
