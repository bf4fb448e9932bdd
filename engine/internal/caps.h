#ifndef CW_CAPS_H
#define CW_CAPS_H
/*
 * The placement check of SPEC §6 as a pure function (rules/caps.c): from
 * the deciding commissioner's placement control, the other commissioners'
 * suspensions and the placements already counted in each cap's period, to
 * the decision. No SQL and no JSON: engine/domain/placement.c gathers the
 * facts (cw_caps_applying() says which periods to count), builds the JSON
 * of the decision and records the placement.
 *
 * Periods: a weekly cap counts the ISO week (Monday to Sunday) of the
 * placement's date, a monthly cap its calendar month, and neither counts
 * placements made before the control started (the restart that set it).
 */
#include <stdbool.h>
#include <stddef.h>
#include "carewatch/date.h"
#include "carewatch/db.h"

/* A restart's conditions; a cap is set when its has_ flag is. */
typedef struct {
	bool has_admissions;
	long max_admissions;
	char per[8];                 /* admissions per "week" or "month" */
	bool has_packages;
	long max_packages;           /* new packages of care per ISO week */
	bool has_hours;
	double max_hours;            /* new hours of care per ISO week */
	bool respite_allowed;
} cw_placement_conditions;

/* A placement-control decision for (provider, commissioner), as the engine
 * keeps it (engine/domain/placement_control.c). */
typedef struct {
	long long id;                /* 0: no decision recorded, placements open */
	char status[12];             /* open, suspended, restricted */
	char kind[12];               /* suspensions: mandatory, voluntary; else "" */
	char *reason;                /* malloc'd; NULL with no decision */
	bool has_meeting, has_since, has_until;
	cw_date meeting;             /* the PPM that recommended it */
	cw_date since;               /* start_date */
	cw_date until;               /* end_date: the day a restart ended it */
	char decided_by[256];
	char case_id[CW_ID_LEN];     /* "" when none */
	cw_placement_conditions cond;  /* restricted only; else all unset */
} cw_placement_control;

void cw_placement_control_free(cw_placement_control *c);

typedef enum { CW_CAP_ADMISSIONS, CW_CAP_PACKAGES, CW_CAP_HOURS } cw_cap_unit;

/* "admissions", "packages", "hours". */
const char *cw_cap_unit_name(cw_cap_unit u);

/* One cap that applies to a placement, and its period. */
typedef struct {
	cw_cap_unit unit;
	double cap;
	const char *per;             /* "week" or "month" */
	cw_date from, to;            /* the period, both days included */
	cw_date count_from;          /* from, or the control's start when later */
	double used;                 /* the engine fills it: placements (or hours) of
	                              * the cap's kind on count_from .. to */
} cw_cap;

/* The placement kind a cap counts: "admission" or "package". */
const char *cw_cap_counts_kind(cw_cap_unit u);

/*
 * The caps of a restricted control that apply to a placement of `kind`
 * ("admission", "package") on `date`, in the order admissions, packages,
 * hours; returns how many (at most 3). None unless ctl is restricted.
 */
size_t cw_caps_applying(const cw_placement_control *ctl, const char *kind, cw_date date,
	cw_cap out[3]);

/* Another commissioner's control on the date, for embargoes it honours. */
typedef struct {
	const char *name;
	const cw_placement_control *ctl;
} cw_caps_other;

/* Everything the check looks at. Pointers are borrowed. */
typedef struct {
	const char *provider, *commissioner;  /* names, for the reasons */
	bool provider_closed;
	const char *kind;                     /* admission, package */
	bool respite;
	bool has_hours;
	double hours;                         /* hours of care a week the package adds */
	const cw_placement_control *ctl;      /* the deciding commissioner's control */
	const cw_caps_other *others;
	size_t nothers;
	bool honour_others;                   /* embargo.honour_other_commissioners */
	const cw_cap *caps;                   /* from cw_caps_applying, used filled in */
	size_t ncaps;
} cw_caps_request;

typedef struct {
	bool allowed;
	char reason[768];
	char **warnings;                      /* malloc'd strings */
	size_t nwarnings;
	int binding;                          /* index of the cap reported as used/cap:
	                                       * the refusing one, else the first when
	                                       * allowed; -1 for none */
} cw_caps_decision;

/*
 * Decide. CW_OK with *out filled (allowed or not), or CW_EINVALID with the
 * last error set when a package under an hours cap gives no hours (then
 * *out is left empty). Pure: no SQL, no printing.
 */
int cw_caps_decide(const cw_caps_request *q, cw_caps_decision *out);
void cw_caps_decision_free(cw_caps_decision *d);

#endif
