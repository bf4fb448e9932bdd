/*
 * carewatch_bench [--scale council|region|national|all] [--dir DIR]
 *                 [--carewatch PATH] [--seed N] [--today YYYY-MM-DD]
 *                 [--out FILE] [--keep] [--no-history] [--no-whatif]
 *
 * For each scale: generate the world, then time the library and the CLI
 * beside raw SQLite doing the same work in the same run, and print a
 * Markdown report of figures, ratios and targets (docs/BENCHMARKS.md).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "carewatch/error.h"
#include "driver.h"

#ifndef CW_BINARY
#define CW_BINARY "carewatch"
#endif

static const struct scale_def scales[] = {
	{ "council", 300, 5000, 5000, true },
	{ "region", 3000, 300000, 100000, true },
	{ "national", 25000, 6000000, 100000, false },
};

/* ---- set-up work, in child processes ----------------------------------- */

/*
 * Generation and the other set-up steps run in children of their own, so
 * the driver stays small: a child's peak RSS counts the pages it inherits
 * at fork, and Linux carries a process's high-water mark across exec, so a
 * bloated driver would inflate every figure of the memory table.
 */
enum { T_GEN, T_HISTORY, T_COPY, T_RESOLVE, T_MAXROWID, T_INDEXES, T_NOINDEXES, T_ANALYZE,
	T_NOSTAT };

struct task {
	int kind;
	const char *path, *path2;
	const struct world *w;
	long n;
	sqlite3_int64 mark;
};

static void whatif_apply_here(const char *path, bool create);

static void task_run(const void *arg, struct phase_out *o)
{
	const struct task *t = arg;
	double t0 = now_s();
	struct gen_summary gs;
	sqlite3 *h;

	switch (t->kind) {
	case T_GEN:
		o->error = gen_world(t->path, t->w, &gs) != CW_OK;
		memcpy(o->blob, &gs, sizeof(gs));
		break;
	case T_HISTORY:
		o->error = gen_history(t->path, t->w, t->n, &o->st.total) != 0;
		break;
	case T_COPY:
		o->error = gen_copy_db(t->path, t->path2) != 0;
		break;
	case T_RESOLVE:
		o->error = gen_resolve_after(t->path, t->mark) != 0;
		break;
	case T_MAXROWID:
		o->st.rows = (long)gen_max_rowid(t->path);
		break;
	case T_INDEXES:
	case T_NOINDEXES:
		whatif_apply_here(t->path, t->kind == T_INDEXES);
		break;
	case T_ANALYZE:
		if (raw_open(t->path, &h) != 0) {
			o->error = 1;
			break;
		}
		raw_exec(h, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)");
		sqlite3_close(h);
		break;
	case T_NOSTAT:
		if (raw_open(t->path, &h) != 0) {
			o->error = 1;
			break;
		}
		if (sqlite3_exec(h, "DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4;"
				" PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
			o->error = 1;
		sqlite3_close(h);
		break;
	}
	if (!o->st.total)
		o->st.total = now_s() - t0;
}

static int task(int kind, const char *path, const char *path2, const struct world *w, long n,
	sqlite3_int64 mark, struct stats *st, void *blob, size_t bloblen)
{
	static const char *const names[] = { "generate", "history", "copy", "resolve",
		"max rowid", "indexes", "drop indexes", "analyze", "drop statistics" };
	struct task t = { kind, path, path2, w, n, mark };
	struct stats s;
	int rc = run_phase_blob(task_run, &t, &s, NULL, blob, bloblen, names[kind]);

	if (st)
		*st = s;
	return rc;
}

struct phase_arg bench_arg(const struct result *r, int what, long reps, double budget)
{
	struct phase_arg a;

	memset(&a, 0, sizeof(a));
	a.db_path = r->db;
	a.w = &r->w;
	a.what = what;
	a.reps = reps;
	a.min_reps = 3;
	a.budget_s = budget;
	a.stream = STREAM_LOG;
	return a;
}

static void progress(const char *scale, const char *what)
{
	fprintf(stderr, "[%s] %s\n", scale, what);
}

static long op_cap = BENCH_MAX_SAMPLES;

static bool measure_op(const struct opts *o, struct result *r, const char *path, int what,
	double budget, long min_reps, bool with_cli, struct opstats *s);

/* The same, with at most `cap` samples a side: writes add rows to the database. */
static bool measure_op_capped(const struct opts *o, struct result *r, int what, double budget,
	long min_reps, long cap, struct opstats *s)
{
	bool ok;

	op_cap = cap;
	ok = measure_op(o, r, NULL, what, budget, min_reps, true, s);
	op_cap = BENCH_MAX_SAMPLES;
	return ok;
}

static bool measure_op(const struct opts *o, struct result *r, const char *path, int what,
	double budget, long min_reps, bool with_cli, struct opstats *s)
{
	static const char *const names[] = { "watch list", "provider show", "placement check",
		"concern log" };
	struct phase_arg a = bench_arg(r, what, op_cap, budget);
	char label[96];

	memset(s, 0, sizeof(*s));
	if (path)
		a.db_path = path;
	a.min_reps = min_reps;
	snprintf(label, sizeof(label), "%s (paired)", names[what]);
	if (run_phase(ph_pair, &a, &s->lib, &s->raw, label) != 0)
		return false;
	/* memory: one side per process, a few operations each */
	a.reps = what == OP_WATCHLIST ? 2 : 5;
	a.min_reps = a.reps;
	a.budget_s = 0;
	a.offset = 1000000;
	snprintf(label, sizeof(label), "%s (library only)", names[what]);
	run_phase(ph_lib_only, &a, &s->mem_lib, NULL, label);
	a.offset = 1100000;
	snprintf(label, sizeof(label), "%s (raw only)", names[what]);
	run_phase(ph_raw_only, &a, &s->mem_raw, NULL, label);
	if (with_cli)
		cli_rounds(o, r, what, op_cap, budget, s);
	s->done = true;
	return true;
}

static void whatif_apply_here(const char *path, bool create)
{
	sqlite3 *h;
	size_t i;

	if (raw_open(path, &h) != 0)
		return;
	for (i = 0; i < bench_nwhatif; i++)
		raw_exec(h, create ? bench_whatif[i].create : bench_whatif[i].drop);
	raw_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(h);
}

static void whatif_apply(const char *path, bool create, double *secs)
{
	struct stats st;

	task(create ? T_INDEXES : T_NOINDEXES, path, NULL, NULL, 0, 0, &st, NULL, 0);
	if (secs)
		*secs = st.total;
}


/* The watch list on the 1x and the 10x database, alternating call by call. */
static void watchlist_ab(struct result *r, double budget, long min_reps, bool raw,
	struct stats *one, struct stats *ten)
{
	struct phase_arg a = bench_arg(r, OP_WATCHLIST, BENCH_MAX_SAMPLES, budget);

	a.min_reps = min_reps;
	a.db_path2 = r->db10;
	a.raw_side = raw;
	run_phase(ph_pair_ab, &a, one, ten, raw ? "raw-SQL watch list, 1x/10x" : "watch list, 1x/10x");
}

static void watchlist_mem(struct result *r, const char *path, struct stats *st)
{
	struct phase_arg a = bench_arg(r, OP_WATCHLIST, 2, 0);

	a.db_path = path;
	a.min_reps = 2;
	run_phase(ph_lib_only, &a, st, NULL, "watch list (library only)");
}

static void import_abba(struct result *r, long rows)
{
	struct phase_arg a = bench_arg(r, OP_LOG, rows / 2, 0);
	struct stats l1, l2, r1, r2;

	/* library, raw, raw, library: a drift in the machine's load cancels out */
	a.stream = STREAM_IMPORT;
	a.offset = 0;
	run_phase(ph_lib_import, &a, &l1, NULL, "import (library, 1)");
	a.offset = 1000000;
	run_phase(ph_raw_import, &a, &r1, NULL, "import (raw, 1)");
	a.offset = 2000000;
	run_phase(ph_raw_import, &a, &r2, NULL, "import (raw, 2)");
	a.offset = 3000000;
	run_phase(ph_lib_import, &a, &l2, NULL, "import (library, 2)");
	memset(&r->imp_lib, 0, sizeof(r->imp_lib));
	memset(&r->imp_raw, 0, sizeof(r->imp_raw));
	r->imp_lib.rows = l1.rows + l2.rows;
	r->imp_lib.total = l1.total + l2.total;
	r->imp_lib.rate = r->imp_lib.total > 0 ? (double)r->imp_lib.rows / r->imp_lib.total : 0;
	r->imp_lib.maxrss_kb = l1.maxrss_kb > l2.maxrss_kb ? l1.maxrss_kb : l2.maxrss_kb;
	r->imp_lib.failures = l1.failures + l2.failures;
	r->imp_raw.rows = r1.rows + r2.rows;
	r->imp_raw.total = r1.total + r2.total;
	r->imp_raw.rate = r->imp_raw.total > 0 ? (double)r->imp_raw.rows / r->imp_raw.total : 0;
	r->imp_raw.maxrss_kb = r1.maxrss_kb > r2.maxrss_kb ? r1.maxrss_kb : r2.maxrss_kb;
}

static void profile_watchlist(struct result *r, const char *path, long calls)
{
	struct phase_arg a = bench_arg(r, OP_WATCHLIST, calls, 0);
	struct stats ps;

	a.out_path = path;
	run_phase(ph_profile_watchlist, &a, &ps, NULL, "watch list profile");
}

/* The watch list's plans with the recommended indexes in place. */
static void whatif_plans(struct result *r, const char *path, const char *out)
{
	struct phase_arg a = bench_arg(r, OP_WATCHLIST, 1, 1.0);
	struct stats ps = { 0 };

	a.db_path = path;
	a.out_path = out;
	a.watchlist_only = true;
	run_phase(ph_plans, &a, &ps, NULL, "query plans with the indexes");
}

/* Then with the statistics SQLite's planner uses when it has them. */
static void whatif_analyze(const struct opts *o, struct result *r, const char *path,
	double budget, long min_reps)
{
	task(T_ANALYZE, path, NULL, NULL, 0, 0, NULL, NULL, 0);
	measure_op(o, r, path, OP_WATCHLIST, budget, min_reps, false, &r->apair);
	whatif_plans(r, path, r->plans_analyze);
}

static void run_scale(const struct opts *o, const struct scale_def *sc, struct result *r)
{
	struct phase_arg a;
	sqlite3_int64 mark;
	double t_scale = now_s();
	bool big = sc->concerns >= 1000000;
	double wl_budget = big ? 20.0 : 6.0;
	long wl_min = big ? 3 : 5;
	char line[200];

	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->w.providers = sc->providers;
	r->w.concerns = sc->concerns;
	r->w.span_days = world_span_days(sc->providers, sc->concerns);
	r->w.seed = o->seed;
	r->w.today = o->today;
	cw_date_format(o->today, r->w.today_s);
	snprintf(r->db, sizeof(r->db), "%s/%s.db", o->dir, sc->name);
	snprintf(r->plans, sizeof(r->plans), "%s/%s-plans.md", o->dir, sc->name);
	snprintf(r->plans_whatif, sizeof(r->plans_whatif), "%s/%s-plans-whatif.md", o->dir, sc->name);
	snprintf(r->plans_analyze, sizeof(r->plans_analyze), "%s/%s-plans-analyze.md", o->dir,
		sc->name);
	snprintf(r->profile, sizeof(r->profile), "%s/%s-watchlist-profile.md", o->dir, sc->name);
	snprintf(r->profile10, sizeof(r->profile10), "%s/%s-watchlist-profile-10x.md", o->dir,
		sc->name);
	gen_remove_db(r->db);

	snprintf(line, sizeof(line), "generating %ld providers, %ld concerns over %ld days",
		sc->providers, sc->concerns, r->w.span_days);
	progress(sc->name, line);
	if (task(T_GEN, r->db, NULL, &r->w, 0, 0, NULL, &r->gen, sizeof(r->gen)) != 0) {
		fprintf(stderr, "bench: generation failed at %s scale\n", sc->name);
		exit(1);
	}
	{
		struct stats st;

		task(T_MAXROWID, r->db, NULL, NULL, 0, 0, &st, NULL, 0);
		mark = st.rows;
	}

	progress(sc->name, "provider show and placement check");
	measure_op(o, r, NULL, OP_SHOW, 3.0, 50, true, &r->show);
	measure_op(o, r, NULL, OP_PLACEMENT, 3.0, 50, true, &r->pc);

	progress(sc->name, "watch list");
	r->watchlist_ok = measure_op(o, r, NULL, OP_WATCHLIST, wl_budget, wl_min, true, &r->wl);
	if (r->watchlist_ok)
		profile_watchlist(r, r->profile, big ? 2 : 10);

	progress(sc->name, "query plans");
	a = bench_arg(r, OP_LOG, 1, 1.0);
	a.out_path = r->plans;
	a.offset = 9000000;
	{
		struct stats ps = { 0 };

		run_phase(ph_plans, &a, &ps, NULL, "query plans");
		r->plan_indexed = ps.n;
		r->plan_scans = ps.rows;
	}

	if (r->watchlist_ok && o->history && sc->history) {
		long n = 9 * (r->gen.concerns - r->gen.open);
		struct stats hs;

		snprintf(line, sizeof(line), "copying the database and adding %ld resolved concerns"
			" (10x the resolved history) to the copy", n);
		progress(sc->name, line);
		snprintf(r->db10, sizeof(r->db10), "%s/%s-10x.db", o->dir, sc->name);
		gen_remove_db(r->db10);
		if (task(T_COPY, r->db, r->db10, NULL, 0, 0, NULL, NULL, 0) == 0 &&
		    task(T_HISTORY, r->db10, NULL, &r->w, n, 0, &hs, NULL, 0) == 0) {
			r->history_s = hs.total;
			r->history = true;
			r->history_rows = n;
			progress(sc->name, "watch list, 1x and 10x history, alternating");
			watchlist_ab(r, wl_budget, wl_min, false, &r->h_lib1, &r->h_lib10);
			watchlist_ab(r, wl_budget / 2, wl_min, true, &r->h_raw1, &r->h_raw10);
			watchlist_cli_ab(o, r, wl_budget, &r->h_cli1, &r->h_cli10);
			watchlist_mem(r, r->db, &r->h_mem1);
			watchlist_mem(r, r->db10, &r->h_mem10);
			measure_op(o, r, r->db10, OP_WATCHLIST, wl_budget, wl_min, false, &r->h10);
			profile_watchlist(r, r->profile10, big ? 2 : 10);
		}
	}
	if (r->watchlist_ok && o->whatif) {
		const char *on = r->history ? r->db10 : r->db;

		progress(sc->name, "watch list with the recommended indexes");
		whatif_apply(on, true, &r->whatif_index_s);
		if (r->history) {
			whatif_apply(r->db, true, NULL);
			watchlist_ab(r, wl_budget, wl_min, false, &r->w_lib1, &r->w_lib10);
			watchlist_ab(r, wl_budget / 2, wl_min, true, &r->w_raw1, &r->w_raw10);
		}
		measure_op(o, r, on, OP_WATCHLIST, wl_budget, wl_min, false, &r->wpair);
		whatif_plans(r, on, r->plans_whatif);
		whatif_analyze(o, r, on, wl_budget, wl_min);
		/* back to the engine's own schema for the writes below */
		whatif_apply(r->db, false, NULL);
		task(T_NOSTAT, r->db, NULL, NULL, 0, 0, NULL, NULL, 0);
		r->whatif = true;
	}
	if (!o->keep && r->db10[0])
		gen_remove_db(r->db10);

	progress(sc->name, "concern log");
	measure_op_capped(o, r, OP_LOG, 6.0, 50, 600, &r->log);
	task(T_RESOLVE, r->db, NULL, NULL, 0, mark, NULL, NULL, 0);

	snprintf(line, sizeof(line), "bulk import of %ld rows (2 x %ld, library and raw)",
		sc->import_rows, sc->import_rows / 2);
	progress(sc->name, line);
	import_abba(r, sc->import_rows);
	task(T_RESOLVE, r->db, NULL, NULL, 0, mark, NULL, NULL, 0);

	if (!o->keep && r->db10[0])
		gen_remove_db(r->db10);
	if (!o->keep)
		gen_remove_db(r->db);
	r->seconds = now_s() - t_scale;
	snprintf(line, sizeof(line), "done in %.0f s", r->seconds);
	progress(sc->name, line);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: carewatch_bench [--scale council|region|national|all] [--dir DIR]\n"
		"       [--carewatch PATH] [--seed N] [--today YYYY-MM-DD] [--out FILE.md]\n"
		"       [--keep] [--no-history] [--no-whatif]\n");
}

int main(int argc, char **argv)
{
	struct opts o = { "/tmp/carewatch-bench", CW_BINARY, NULL, 42, 0, false, true, true };
	const char *scale = "council", *today = "2025-06-30";
	struct result *res = calloc(3, sizeof(*res));
	bool run[3] = { false, false, false };
	FILE *out = stdout;
	double t0 = now_s();
	int i, nrun = 0;
	char todays[CW_DATE_STRLEN];
	double load0[3];

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--scale") == 0 && v) {
			scale = v;
			i++;
		} else if (strcmp(a, "--dir") == 0 && v) {
			o.dir = v;
			i++;
		} else if (strcmp(a, "--carewatch") == 0 && v) {
			o.bin = v;
			i++;
		} else if (strcmp(a, "--seed") == 0 && v) {
			o.seed = strtoull(v, NULL, 10);
			i++;
		} else if (strcmp(a, "--today") == 0 && v) {
			today = v;
			i++;
		} else if (strcmp(a, "--out") == 0 && v) {
			o.out = v;
			i++;
		} else if (strcmp(a, "--keep") == 0) {
			o.keep = true;
		} else if (strcmp(a, "--no-history") == 0) {
			o.history = false;
		} else if (strcmp(a, "--no-whatif") == 0) {
			o.whatif = false;
		} else if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (getloadavg(load0, 3) < 0)
		load0[0] = load0[1] = load0[2] = 0;
	if (cw_date_parse(today, &o.today) != CW_OK) {
		fprintf(stderr, "carewatch_bench: --today: %s\n", cw_errmsg());
		return 2;
	}
	for (i = 0; i < 3; i++)
		if (strcmp(scale, "all") == 0 || strcmp(scale, scales[i].name) == 0) {
			run[i] = true;
			nrun++;
		}
	if (!nrun) {
		usage(stderr);
		return 2;
	}
	if (access(o.bin, X_OK) != 0) {
		fprintf(stderr, "carewatch_bench: cannot run %s (give --carewatch PATH)\n", o.bin);
		return 2;
	}
	mkdir(o.dir, 0700);
	for (i = 0; i < 3; i++)
		if (run[i])
			run_scale(&o, &scales[i], &res[i]);
	if (o.out && !(out = fopen(o.out, "w"))) {
		perror(o.out);
		out = stdout;
	}
	fprintf(out, "## Results\n\n");
	report_machine(out, &o);
	{
		struct rusage ru;
		double load[3] = { 0, 0, 0 };

		getrusage(RUSAGE_SELF, &ru);
		if (getloadavg(load, 3) < 0)
			load[0] = load[1] = load[2] = 0;
		fprintf(out, "Total run: %.0f s. `carewatch` is %s. Today is %s. The driver's own peak"
			" RSS was %.1f MB (a floor under every CLI figure: Linux carries the high-water"
			" mark of the forking process across exec). Load average at the end: %.2f %.2f %.2f"
			" (at the start: %.2f %.2f %.2f).\n", now_s() - t0, o.bin,
			cw_date_format(o.today, todays), (double)ru.ru_maxrss / 1024.0,
			load[0], load[1], load[2], load0[0], load0[1], load0[2]);
	}
	{
		bool plans = true;

		/* Plans depend on the schema, not the data (no ANALYZE): print them once. */
		for (i = 0; i < 3; i++)
			if (run[i]) {
				report_scale(out, &res[i], plans);
				plans = false;
			}
	}
	if (out != stdout)
		fclose(out);
	free(res);
	return 0;
}
