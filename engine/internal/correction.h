#ifndef CW_CORRECTION_H
#define CW_CORRECTION_H
/*
 * Corrections, never deletion (SPEC §2): every command that puts a mistake
 * right goes through one cw_fix, so each changed field is kept as a row of
 * the corrections table (before, after, reason, by, at) and the command's
 * one audit entry carries the same before and after with the reason.
 */
#include <jansson.h>
#include "carewatch/db.h"

typedef struct {
	const char *entity;       /* "concern", "action", "provider", "placement" */
	const char *id;           /* the entity's id */
	const char *label;        /* how a person names it: C-0042, a provider's name */
	const char *provider_id;  /* whose timeline shows it */
	const char *reason;
	json_t *changes;          /* [{field, before, after}], built as fields change */
} cw_fix;

/* A reason is required for every correction (missing: CW_EINVALID naming `reason`). */
int cw_fix_check_reason(const char *reason);

/* Does the actor hold the decision role of the rules (default director)?
 * Else CW_EREFUSED: "<what> is for the decision role (ROLE)". */
int cw_fix_decision_role(cw_db *db, const char *what);

/* Start a correction; nothing is written yet. */
void cw_fix_begin(cw_fix *f, const char *entity, const char *id, const char *label,
	const char *provider_id, const char *reason);

/* Keep one field's change (NULL: no value). Equal values change nothing. */
int cw_fix_field(cw_db *db, cw_fix *f, const char *field, const char *before,
	const char *after);

/* How many fields have changed so far. */
size_t cw_fix_count(const cw_fix *f);

/*
 * Append the audit entry `action` for the entity: {reason, changes} and the
 * keys of `extra` (stolen, may be NULL). Frees what the fix holds.
 */
int cw_fix_commit(cw_db *db, cw_fix *f, const char *action, json_t *extra);
void cw_fix_free(cw_fix *f);

/* The corrections of one entity, oldest first, as a new array of
 * {field, before, after, reason, by, at}. */
int cw_fix_history(cw_db *db, const char *entity_id, json_t **out);

/* Every correction shown on a provider's timeline (its own, its concerns',
 * actions', placements'), oldest first, each also with {entity, entity_id, label}. */
int cw_fix_provider_history(cw_db *db, const char *provider_id, json_t **out);

#endif
