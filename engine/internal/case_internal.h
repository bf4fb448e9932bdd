#ifndef CW_CASE_INTERNAL_H
#define CW_CASE_INTERNAL_H
/* The stage machine (engine/domain/case.c), shared by engine/domain/case*.c. */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "guards.h"
#include "case_ref.h"

/* Which commissioners a row of the stage machine is for (see engine/domain/case.c). */
enum cw_scope { SCOPE_ANY, SCOPE_LEAD, SCOPE_OTHER };

/* A row of the stage machine: the one table in engine/domain/case.c. */
struct cw_transition {
	const char *from;             /* NULL: the provider has no open case */
	const char *command;
	const char *const *outcomes;  /* close: the outcomes the row takes */
	const char *to;               /* NULL: the stage stays (another body's decision) */
	const char *perm;
	const cw_guard *const *guards;
	enum cw_scope scope;
	const char *event;            /* tasks it creates (engine/domain/task.c), or NULL */
};

/* A command asked of the stage machine. */
struct cw_move {
	const char *command;
	const char *outcome;        /* close */
	bool lead;                  /* suspend / restart for the lead commissioner */
	bool agreed_by;             /* close: --agreed-by named an organisation */
	const char *commissioner;   /* suspend / restart: the deciding body's name */
	bool restricted;            /* restart: that body's placements are restricted */
	const char *override;
};

/* The permission a command needs (the same on every row of the command). */
const char *cw_case_command_perm(const char *command);

/*
 * Find the row for the move from the case's stage and check its guards.
 * On CW_OK, *rowp is the transition to make and *overridden lists the
 * conditions an override lifted (NULL when none). Refusals set the last
 * error with every unmet condition.
 */
int cw_case_check(cw_db *db, const struct cw_case_ref *c, const struct cw_move *m,
	const struct cw_transition **rowp, json_t **overridden);

/*
 * The case_events row, the audit entry and the tasks of a transition made
 * in this transaction. `details` (stolen) carries what the command adds;
 * `override` is kept only when it lifted something (`overridden`, stolen).
 */
int cw_case_record(cw_db *db, const struct cw_case_ref *c, const struct cw_transition *row,
	const char *rationale, const char *override, json_t *overridden, json_t *details);

/* cw_case_record, then the case as it now stands into `*out`: how every move ends. */
int cw_case_record_show(cw_db *db, const struct cw_case_ref *c, const struct cw_transition *row,
	const char *rationale, const char *override, json_t *overridden, json_t *details,
	json_t **out);

#endif
