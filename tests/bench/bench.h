#ifndef CW_BENCH_H
#define CW_BENCH_H
/*
 * carewatch_bench: a deterministic data generator and a driver that times
 * the library and the CLI beside the same work done with raw SQLite in the
 * same run, and reports ratios (the machine is shared and noisy, so only
 * ratios taken in one run mean much). Not a test: ctest never runs it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "carewatch/db.h"
#include "carewatch/date.h"

/* ---- deterministic randomness (splitmix64) ---------------------------- */

typedef struct {
	uint64_t s;
} bench_rng;

uint64_t rng_next(bench_rng *r);
/* A stream for one entity: the same (seed, stream, index) gives the same
 * values whatever order entities are generated in. */
bench_rng rng_for(uint64_t seed, uint32_t stream, uint64_t index);
double rng_unit(bench_rng *r);                   /* [0, 1) */
long rng_below(bench_rng *r, long n);            /* [0, n) */
int rng_weighted(bench_rng *r, const int *w, int n);
void rng_uuid(bench_rng *r, char out[CW_ID_LEN]);

/* ---- the generated world ---------------------------------------------- */

#define BENCH_ADMIN "bench-admin"
#define BENCH_USER "bench"          /* admin, contracts, safeguarding, director, qa */
#define BENCH_CHAIR "chair-morgan"  /* contracts: chairs provider performance meetings */
#define BENCH_LEAD "Carewatch County Council"
#define BENCH_HEALTH "Carewatch Health Board"
#define BENCH_OTHER_LA "Northshire Council"

struct world {
	long providers;
	long concerns;       /* the base history */
	long span_days;      /* history runs from today - span_days to today */
	uint64_t seed;
	cw_date today;
	char today_s[CW_DATE_STRLEN];
};

/* The history span of a scale: England's ~25.6 concerns per location a year. */
long world_span_days(long providers, long concerns);

/* Provider i's name and id, the same every time (no database needed). */
void gen_provider_name(const struct world *w, long i, char *buf, size_t n);
void gen_provider_id(const struct world *w, long i, char out[CW_ID_LEN]);

/* One generated concern, as the engine would store it. */
struct concern_row {
	long provider;                 /* index */
	char id[CW_ID_LEN];
	const char *source, *team, *category;
	char summary[160];
	int likelihood, impact;        /* 0 for positive feedback */
	bool positive, open;
	cw_date received, resolved;
	char pova_ref[32], subject_ref[32];
};

enum {
	STREAM_PROVIDER = 1, STREAM_CONCERN, STREAM_HISTORY, STREAM_IMPORT,
	STREAM_LOG, STREAM_CASES, STREAM_LOOKUP, STREAM_GROUP
};

/*
 * Concern `i` of a stream. `base_day`/`days`: received uniformly in
 * [base_day - days, base_day]; `may_be_open` false makes it resolved history.
 */
void gen_concern(const struct world *w, uint32_t stream, long i, cw_date base_day,
	long days, bool may_be_open, struct concern_row *c);

struct gen_summary {
	long providers, groups, concerns, open, positive, pova;
	long cases, escalated, embargoes, other_embargoes, restricted, closed_cases;
	long actions, placements, meetings, qa_meetings, refused;
	double seconds_raw, seconds_lib;
};

/*
 * Create the database at `path` with the real schema (cw_db_open + cw_db_init),
 * users and commissioners through the library, then providers, groups and
 * the concern history with raw prepared statements into the same tables
 * (name_key folded as the engine folds it; one first rating per concern;
 * no audit rows for bulk history), then cases, escalations, action plans,
 * embargoes, restarts, placements and closures through the library.
 */
int gen_world(const char *path, const struct world *w, struct gen_summary *s);
/* gen_world's raw part: providers, groups, commissioner links, concerns, ratings. */
int gen_fill_raw(const char *path, const struct world *w, struct gen_summary *s);

/* Add `n` resolved concerns received before the base history (older years). */
int gen_history(const char *path, const struct world *w, long n, double *seconds);

/* Mark every concern with rowid > `mark` resolved (undoes a phase's new open
 * concerns so later phases see the same open set). */
int gen_resolve_after(const char *path, sqlite3_int64 mark);
sqlite3_int64 gen_max_rowid(const char *path);
/* A copy of the database (SQLite's backup API); it keeps WAL mode. */
int gen_copy_db(const char *from, const char *to);
/* Remove a database and its -wal and -shm files. */
void gen_remove_db(const char *path);

/* ---- raw SQLite with the engine's pragmas ----------------------------- */

/* Open with WAL, synchronous=FULL, foreign_keys=ON, busy timeout 10 s. */
int raw_open(const char *path, sqlite3 **out);
void raw_exec(sqlite3 *db, const char *sql);   /* aborts on error */
sqlite3_stmt *raw_prepare(sqlite3 *db, const char *sql);

/* ---- timing and processes --------------------------------------------- */

double now_s(void);

#define BENCH_MAX_SAMPLES 4096

struct stats {
	long n;              /* samples */
	long failures;
	double total;        /* seconds over all samples */
	double p50, p99, mean, min, max;
	double rate;         /* rows or ops per second */
	long rows;
	long maxrss_kb;      /* peak resident set of the process(es) that did it */
	char note[160];
};

void stats_compute(struct stats *s, const double *lat, long n);

/* What a measured phase hands back from its child process. */
struct phase_out {
	struct stats st, st2;   /* st2: the raw side of a paired phase */
	int error;
	char message[512];
	long nlat, nlat2;
	unsigned char blob[512];   /* a struct handed back by a set-up task */
	double lat[BENCH_MAX_SAMPLES], lat2[BENCH_MAX_SAMPLES];
};

typedef void (*phase_fn)(const void *arg, struct phase_out *out);

/* Run `fn` in a child process; st.maxrss_kb is that child's peak RSS.
 * `st2` (may be NULL) receives the second series of a paired phase. */
int run_phase(phase_fn fn, const void *arg, struct stats *st, struct stats *st2,
	const char *label);
/* The same, copying the child's phase_out.blob (up to `bloblen` bytes) to `blob`. */
int run_phase_blob(phase_fn fn, const void *arg, struct stats *st, struct stats *st2,
	void *blob, size_t bloblen, const char *label);

/* A growable argv. */
struct argv_b {
	char *v[64];
	int n;
};

/* Builds the command line of run `i` (v[0] is the binary). */
typedef void (*argv_fn)(const void *ctx, long i, struct argv_b *a);

/* Spawn `reps` command lines (at least 3, then until `budget_s` is spent)
 * with stdout to /dev/null; latencies, failures and the largest child RSS
 * go into *st. Exit 4 (refused) counts as an answer, not a failure. */
int run_cli(argv_fn build, const void *ctx, long reps, double budget_s, struct stats *st,
	const char *errfile);
/* One run of argv; its exit status, or -1 when it could not run. */
int run_cli_once(char *const *argv, const char *errfile, double *secs, long *rss_kb);
void argv_add(struct argv_b *a, const char *s);
void argv_free(struct argv_b *a);

/* ---- query plans and statement profiles ------------------------------- */

struct sql_profile;
struct sql_profile *profile_start(sqlite3 *h);
void profile_stop(sqlite3 *h, struct sql_profile *p);
/* Markdown: calls and time per distinct statement, slowest first (top `max`). */
void profile_report(const struct sql_profile *p, FILE *f, size_t max);
/* EXPLAIN QUERY PLAN for every distinct read/write statement seen;
 * `indexed` counts statements whose every step is an index seek. */
void profile_plans(const struct sql_profile *p, sqlite3 *h, FILE *f, long *indexed, long *scans);
void profile_free(struct sql_profile *p);

#endif
