#ifndef CW_RULES_H
#define CW_RULES_H
/*
 * The rules layer: the risk matrix, bands, flag thresholds, guard strengths
 * and the permission table, read from a libconfig file laid over the
 * compiled-in default (config/carewatch.cfg). Pure functions: no SQL, no
 * printing. A rules handle is immutable once loaded.
 */
#include <stdbool.h>
#include <jansson.h>

typedef struct cw_rules cw_rules;

/* Bands in rising order of risk; CW_BAND_NONE means "no scored concern". */
typedef enum {
	CW_BAND_NONE = 0,
	CW_BAND_GREEN,
	CW_BAND_YELLOW,
	CW_BAND_AMBER,
	CW_BAND_RED
} cw_band;

typedef enum { CW_MUST = 0, CW_SHOULD = 1 } cw_strength;

/*
 * Load the default rules and, when `path` is not NULL, lay the user's file
 * over them: the file names only what it changes. Unknown settings, wrong
 * types and inconsistent values (bands that do not cover the matrix, an
 * unknown permission) are refused with CW_EINVALID and "file:line: reason".
 */
int cw_rules_load(cw_rules **out, const char *path);

/* Same, from text in memory (`name` is used in messages). For tests and fuzzing. */
int cw_rules_load_string(cw_rules **out, const char *text, const char *name);

void cw_rules_free(cw_rules *r);

/*
 * The templates pinned with these rules (SPEC §11): an object of template
 * path ("letters/x.txt") to its text. Once set, templates come from it or
 * the built-in copies, never from letters_dir/documents_dir on disk.
 * cw_rules_set_templates steals the reference; NULL when none is pinned.
 */
void cw_rules_set_templates(cw_rules *r, json_t *templates);
const json_t *cw_rules_templates(const cw_rules *r);

/* Matrix. Likelihood 1..likelihood_max, impact 1..impact_max. */
int cw_rules_likelihood_max(const cw_rules *r);
int cw_rules_impact_max(const cw_rules *r);
const char *cw_rules_likelihood_label(const cw_rules *r, int l);  /* NULL if out of range */
const char *cw_rules_impact_label(const cw_rules *r, int i);
/* CW_OK, or CW_EINVALID naming the value and the allowed range. */
int cw_rules_check_likelihood(const cw_rules *r, long l);
int cw_rules_check_impact(const cw_rules *r, long i);
int cw_rules_score(int likelihood, int impact);

/* A rating on the matrix in force: {likelihood, likelihood_label, impact,
 * impact_label, score, band}. CW_EINVALID for a value off the matrix. */
int cw_rules_rating(const cw_rules *r, long likelihood, long impact, json_t **out);
cw_band cw_rules_band(const cw_rules *r, int score);

const char *cw_band_name(cw_band b);          /* "red"...; NULL for NONE */
int cw_band_parse(const char *s, cw_band *out); /* CW_OK or CW_EINVALID */

/*
 * Named settings. `key` is a libconfig path such as "flags.repeated_concerns.count";
 * every key exists in the default file, so an unknown key is a programming
 * error and aborts.
 */
int cw_rules_int(const cw_rules *r, const char *key);
bool cw_rules_bool(const cw_rules *r, const char *key);
const char *cw_rules_string(const cw_rules *r, const char *key);
/* Is `value` (compared without regard to ASCII case) in the list at `key`? */
bool cw_rules_list_has(const cw_rules *r, const char *key, const char *value);
/* Strength of a guard under "guards", e.g. "close_no_red". */
cw_strength cw_rules_guard(const cw_rules *r, const char *guard);
/* Review interval in days for a band (0 when the band has none). */
int cw_rules_review_days(const cw_rules *r, cw_band b);

/* Permissions: does any role in `roles` (comma-separated) grant `perm`? */
bool cw_rules_may(const cw_rules *r, const char *roles, const char *perm);
/* Is `role` a role the rules know? */
bool cw_rules_role_known(const cw_rules *r, const char *role);

/* The effective rules as JSON (new reference) and as libconfig text (malloc'd). */
json_t *cw_rules_to_json(const cw_rules *r);
char *cw_rules_to_text(const cw_rules *r);

#endif
