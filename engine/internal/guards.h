#ifndef CW_GUARDS_H
#define CW_GUARDS_H
/*
 * The guards of the case stage machine (SPEC §2, §5) as pure functions from
 * a snapshot of a case to the conditions it does not meet. No SQL and no
 * printing: the engine builds the snapshot, the rules file gives each guard
 * its strength ("must" or "should"), and cw_guards_evaluate() turns the
 * unmet conditions into a verdict.
 *
 * Every guard lists EVERY unmet condition, each naming the concern, action
 * item or commissioner that fails, so a refusal tells the user all there is
 * to fix at once.
 */
#include <stdbool.h>
#include <stddef.h>
#include "carewatch/rules.h"

/* An open, scored concern linked to the case (the case's provider's). */
typedef struct {
	const char *id;
	int likelihood;        /* current */
	int first_likelihood;  /* as first rated */
	int impact;            /* never changes */
	cw_band band;          /* of likelihood x impact under the rules in force */
	const char *ref;       /* C-0042, what a refusal names; NULL: the id */
} cw_guard_concern;

/* An item of the case's action plan and where its concern stands. */
typedef struct {
	const char *id;
	bool corrective;       /* kind CA; false for DA */
	bool completed;
	const char *concern_id;
	bool concern_open;     /* a resolved concern's likelihood need not fall */
	int likelihood_fall;   /* first likelihood - current likelihood (< 0: rose) */
	const char *ref;       /* A-0007, what a refusal names; NULL: the id */
	const char *concern_ref;
} cw_guard_action;

typedef struct {
	const char *stage;
	const char *actor;                 /* for messages */
	const cw_guard_concern *concerns;
	size_t nconcerns;
	const cw_guard_action *actions;
	size_t nactions;
	bool agreed_by;                    /* --agreed-by named an organisation */
	const char *const *suspended_by;   /* commissioners with placements suspended */
	size_t nsuspended;
	bool decision_role;                /* the actor holds the rules' decision_role */
	const char *commissioner;          /* suspend / restart: the deciding body */
	bool commissioner_restricted;      /* its placements run under a restart's conditions */
	const char *lead;                  /* the lead commissioner's name, or NULL */
	const char *const *open_tasks;     /* the case's notification tasks not yet ticked */
	size_t nopen_tasks;
} cw_case_snapshot;

/* A list of unmet conditions (malloc'd strings). */
typedef struct {
	char **v;
	size_t n;
} cw_unmet;

void cw_unmet_add(cw_unmet *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cw_unmet_free(cw_unmet *u);

typedef void (*cw_guard_check)(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out);

typedef struct {
	const char *name;      /* strength is guards.<name>; NULL: statutory, always must */
	int must_status;       /* status when a must guard fails: CW_EREFUSED, or
	                        * CW_EFORBIDDEN for the decision role */
	cw_guard_check check;
} cw_guard;

/* No red concern (SPEC §2 de-escalation; §5 condition 1; restart). */
extern const cw_guard cw_guard_deescalate_no_red;
extern const cw_guard cw_guard_close_no_red;
extern const cw_guard cw_guard_restart_no_red;
/* §5.2: every unfinished item's concern has fallen by closure.likelihood_drop. */
extern const cw_guard cw_guard_close_likelihood_fallen;
/* §5.3: partner agreement recorded. */
extern const cw_guard cw_guard_close_partner_agreement;
/* §5.4: the lead commissioner has lifted its suspension (not configurable). */
extern const cw_guard cw_guard_close_no_suspension;
/* §5.4: another commissioner still suspends (its own decision: close_other_suspended). */
extern const cw_guard cw_guard_close_other_suspended;
/* §5.5: notification tasks still open (close_open_tasks). */
extern const cw_guard cw_guard_close_open_tasks;
/* Suspend, restart, terminate: the actor holds the decision role. */
extern const cw_guard cw_guard_decision_role;
/* Restart: every corrective (CA) item completed. */
extern const cw_guard cw_guard_restart_corrective_complete;
/* Resolving a concern still rated red: the decision role only (resolve_red). */
extern const cw_guard cw_guard_resolve_red;
/* Suspend: `commissioner` has not already suspended placements (statutory). */
extern const cw_guard cw_guard_suspend_not_suspended;
/* Restart: `commissioner` has placements suspended or restricted: something to lift. */
extern const cw_guard cw_guard_restart_suspended;

/* What a set of guards says about one snapshot. */
typedef struct {
	int status;          /* CW_OK: go ahead; else CW_EREFUSED or CW_EFORBIDDEN */
	cw_unmet must;       /* unmet conditions of must guards */
	cw_unmet should;     /* unmet conditions of should guards */
	cw_unmet overridable;/* names of the should guards that failed */
	bool needs_override; /* refused only because of should guards */
	bool overridden;     /* allowed because an override was given */
} cw_guard_verdict;

/*
 * Run every guard of `guards` (NULL-terminated) on `s`. A failing must guard
 * refuses with its must_status (CW_EFORBIDDEN outranks CW_EREFUSED); failing
 * should guards refuse (CW_EREFUSED, needs_override) unless `override_given`,
 * in which case the verdict is CW_OK with `overridden` set. Free the verdict
 * with cw_guard_verdict_free().
 */
void cw_guards_evaluate(const cw_guard *const *guards, const cw_case_snapshot *s,
	const cw_rules *r, bool override_given, cw_guard_verdict *v);
void cw_guard_verdict_free(cw_guard_verdict *v);

#endif
