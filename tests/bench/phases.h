#ifndef CW_BENCH_PHASES_H
#define CW_BENCH_PHASES_H
#include "bench.h"
#include "raw_watchlist.h"

/* The operations measured one at a time. */
enum { OP_WATCHLIST, OP_SHOW, OP_PLACEMENT, OP_LOG };

/* What a phase works on; read-only in the child. */
struct phase_arg {
	const char *db_path;
	const struct world *w;
	int what;             /* OP_* */
	long reps;            /* samples at most (rows, for an import) */
	long min_reps;        /* samples at least, whatever the budget */
	double budget_s;      /* stop sampling once this much time is spent */
	uint32_t stream;      /* which generated rows */
	long offset;          /* from which index in the stream */
	const char *out_path; /* where a plans/profile phase writes Markdown */
	const char *db_path2; /* ph_pair_ab: the second database */
	bool raw_side;        /* ph_pair_ab: time the raw operation, not the library's */
	bool watchlist_only;  /* ph_plans: the watch list's statements only */
};

/* The library side: rules and the database opened once, acting as BENCH_USER. */
struct lib_ctx {
	cw_rules *rules;
	cw_db *db;
};

/* The raw side: one connection with the engine's pragmas, statements prepared once. */
struct raw_ctx {
	sqlite3 *h;
	sqlite3_stmt *ins, *rat, *look, *show[4], *pc[4];
	struct rawwl wl;              /* the raw-SQL watch list (raw_watchlist.c) */
	struct rawwl_params wlp;
};

int lib_ctx_open(const struct phase_arg *a, struct lib_ctx *l, struct phase_out *o);
void lib_ctx_close(struct lib_ctx *l);
int raw_ctx_open(const char *path, cw_date today, struct raw_ctx *r);
void raw_ctx_close(struct raw_ctx *r);

/* Operation `i` of kind `what`: its wall time in seconds (< 0: failed,
 * message in o). `rows` (may be NULL) receives the rows it returned. */
double op_lib(struct lib_ctx *l, const struct phase_arg *a, int what, long i, long *rows,
	struct phase_out *o);
double op_raw(struct raw_ctx *r, const struct phase_arg *a, int what, long i, long *rows);
/* The generated rows and lookups the operations use. */
void op_row(const struct phase_arg *a, long i, struct concern_row *c);
long op_lookup_provider(const struct phase_arg *a, long i);

/* Library and raw alternating in one process: st (library), st2 (raw). */
void ph_pair(const void *arg, struct phase_out *o);
/* The same operation on db_path (st) and db_path2 (st2), alternating. */
void ph_pair_ab(const void *arg, struct phase_out *o);
/* One side only, for its memory. */
void ph_lib_only(const void *arg, struct phase_out *o);
void ph_raw_only(const void *arg, struct phase_out *o);
void ph_lib_import(const void *arg, struct phase_out *o);
void ph_raw_import(const void *arg, struct phase_out *o);
void ph_plans(const void *arg, struct phase_out *o);
void ph_profile_watchlist(const void *arg, struct phase_out *o);

#endif
