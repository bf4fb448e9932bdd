#ifndef CW_CONCERN_H
#define CW_CONCERN_H
/*
 * Concerns about providers and positive feedback. A concern is scored on
 * the rules' risk matrix; its impact never changes once recorded, and every
 * re-rating of its likelihood is kept. POVA referral and service-user
 * references are redacted by the engine for actors who may not see them.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/date.h"

/* The vocabularies of SPEC §2, NULL-terminated. */
extern const char *const cw_concern_sources[];
extern const char *const cw_concern_teams[];

typedef struct {
	const char *provider;     /* name, id or id prefix */
	const char *source;       /* one of cw_concern_sources */
	const char *team;         /* one of cw_concern_teams */
	const char *category;     /* free word; NULL: none */
	const char *summary;
	long likelihood;
	long impact;
	bool received_given;      /* false: received today */
	cw_date received;
	const char *pova_ref;     /* required for pova_referral, refused otherwise */
	const char *subject_ref;  /* likewise */
	const char *replaces;     /* a withdrawn concern this one is logged again for; NULL: none */
} cw_concern_log_args;

/*
 * Log a concern. Needs "concern.write", and "concern.pova" for the source
 * pova_referral. CW_EINVALID for a rating outside the matrix, a received
 * date after today, a POVA reference missing (pova_referral) or given
 * (any other source), or bad text; CW_ENOTFOUND for an unknown provider.
 * Records the first rating in the rating history. With `replaces`, the
 * concern is the withdrawn one logged again (against the right provider):
 * CW_EREFUSED unless that one is withdrawn and not already replaced; both
 * `show`s name the other. *out is the concern.
 */
int cw_concern_log(cw_db *db, const cw_concern_log_args *a, json_t **out);
/* The same, giving only the new concern's id: no read-back (bulk import). */
int cw_concern_log_id(cw_db *db, const cw_concern_log_args *a, char id[CW_ID_LEN]);

typedef struct {
	const char *provider;
	const char *team;
	const char *summary;
	bool received_given;
	cw_date received;
} cw_concern_positive_args;

/*
 * Record positive feedback about a provider: a concern with `positive`
 * true and no likelihood, impact, score or band. Needs "concern.positive".
 */
int cw_concern_positive(cw_db *db, const cw_concern_positive_args *a, json_t **out);

typedef struct {
	const char *provider;  /* NULL: every provider */
	bool open_only;
	const char *band;      /* NULL: any; else only scored concerns in it */
} cw_concern_filter;

/* Concerns matching `f` (NULL: all), newest received first. */
int cw_concern_list(cw_db *db, const cw_concern_filter *f, json_t **out);

/* Open scored concerns (no positive feedback) counted per cell of the
 * matrix, of one provider (as providers are named) or of all (NULL): a new
 * array of {likelihood, impact, count}, cells with none left out. */
int cw_concern_matrix_counts(cw_db *db, const char *provider, json_t **out);

/* The ids of the providers with an open concern (not positive feedback)
 * brought by `team`: a new array of strings. */
int cw_concern_team_providers(cw_db *db, const char *team, json_t **out);

/* The concern with exactly this id (no prefix lookup); CW_ENOTFOUND if none. */
int cw_concern_get(cw_db *db, const char *id, json_t **out);

/* The concern named by `ref` (id or prefix) with its `ratings` history
 * [{date, actor, likelihood, impact, score, band, note}], oldest first. */
int cw_concern_show(cw_db *db, const char *ref, json_t **out);

typedef struct {
	long likelihood;
	bool likelihood_given;  /* false: refused, a re-rating needs one */
	bool impact_given;   /* an impact was offered: always refused */
	const char *note;    /* NULL: none */
} cw_concern_rate_args;

/*
 * Re-rate a concern's likelihood. Needs "concern.write". CW_EREFUSED when an
 * impact is given (impact never changes once recorded), when the concern is
 * resolved, or when it is positive feedback. *out is the concern as shown.
 */
int cw_concern_rate(cw_db *db, const char *ref, const cw_concern_rate_args *a,
	json_t **out);

/* Resolve an open concern with a note. Needs "concern.write"; CW_EREFUSED
 * when it is already resolved, or still rated red and the actor lacks the
 * decision role (guard resolve_red: under "should", `override` (a reason,
 * kept in the audit entry) lets it through). *out is the concern. */
int cw_concern_resolve(cw_db *db, const char *ref, const char *note, json_t **out);
int cw_concern_resolve_override(cw_db *db, const char *ref, const char *note,
	const char *override, json_t **out);

/* Corrections (SPEC §2): each needs a reason, keeps before and after in
 * the concern's `corrections` and in the audit entry, deletes nothing. */
typedef struct {
	const char *summary;      /* NULL: unchanged */
	const char *category;
	const char *source;       /* to or from pova_referral: refused (withdraw and log again) */
	const char *team;
	bool received_given;
	cw_date received;         /* never after today */
	const char *reason;
} cw_concern_edit_args;

/*
 * Correct a concern's summary, category, source, team or received date
 * (never its rating: likelihood is `rate`, impact never changes). Needs
 * "concern.write". CW_EINVALID when nothing would change. *out as `show`.
 */
int cw_concern_edit(cw_db *db, const char *ref, const cw_concern_edit_args *a, json_t **out);

/*
 * Withdraw a concern recorded in error (e.g. against the wrong provider):
 * its status becomes `withdrawn`, and it counts for nothing from then on
 * (level, flags, watch list, closure) but stays visible. Needs
 * "concern.write"; an open concern in the red band needs the decision role
 * too (else CW_EREFUSED, as for resolving it). CW_EREFUSED when it is
 * already withdrawn. *out as `show`.
 */
int cw_concern_withdraw(cw_db *db, const char *ref, const char *reason, json_t **out);

#endif
