/*
 * carewatch_growth: the watch list's growth table (docs/BENCHMARKS.md).
 *
 *   carewatch_growth --providers N --concerns M [--history-x K] [--reps R]
 *                    [--db PATH] [--keep] [--seed S] [--today YYYY-MM-DD]
 *
 * Generates the world (tests/bench/gen.c) unless --db names one already
 * generated, then times three sides in one process, R rounds each (the
 * order rotated every round): the library's watch list as typed rows
 * (cw_watchlist_rows, what a front door reads), the raw-SQL watch list
 * (raw_watchlist.c), and the list as --json prints it (cw_watchlist's
 * JSON tree, json_dumps, freeing). It prints one Markdown row: min and
 * median CPU time (user + system) of the library and the raw SQL, their
 * ratios, the JSON side's median and its ratio to the raw SQL, and the
 * peak RSS of a child
 * that ran only the library's watch list. With --history-x K it then adds
 * (K - 1) times the resolved history to the same file and measures again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "bench.h"
#include "raw_watchlist.h"
#include "carewatch/error.h"
#include "carewatch/rules.h"
#include "carewatch/watchlist.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* CPU seconds of this process: on a machine shared with other builds, wall
 * time mostly measures the others; CPU time measures the work. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what)
{
	fprintf(stderr, "growth: %s: %s\n", what, cw_errmsg());
	exit(3);
}

/* The library's watch list as typed rows (cw_watchlist_rows), freed. */
static double lib_once(cw_db *db, size_t *rows)
{
	cw_watch_list *l = NULL;
	double t0 = cpu_s();

	if (cw_db_begin(db, false) != CW_OK || cw_watchlist_rows(db, &l) != CW_OK)
		fail("watch list");
	cw_db_commit(db);
	*rows = cw_watch_list_count(l);
	cw_watch_list_free(l);
	return cpu_s() - t0;
}

/* The same list as --json prints it: cw_watchlist's tree, dumped and freed. */
static double json_once(cw_db *db)
{
	json_t *out = NULL;
	char *text;
	double t0 = cpu_s();

	if (cw_db_begin(db, false) != CW_OK || cw_watchlist(db, &out) != CW_OK)
		fail("watch list as JSON");
	cw_db_commit(db);
	text = json_dumps(out, JSON_INDENT(2));
	json_decref(out);
	free(text);
	return cpu_s() - t0;
}

/* Peak RSS (MB) of a child that opens the database and runs the watch list once. */
static double lib_rss(const char *path, const cw_rules *r, cw_date today)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		cw_db *db = NULL;
		size_t rows;

		if (cw_db_open(&db, path, r, today, false) != CW_OK)
			_exit(1);
		lib_once(db, &rows);
		cw_db_close(db);
		_exit(0);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return -1;
	return (double)ru.ru_maxrss / 1024.0;
}

/*
 * The child's peak RSS starts from this process's at fork (and Linux keeps
 * it across exec), so it is taken before this process has opened anything:
 * generation and history run in children too.
 */
static void measure(const char *path, const struct world *w, long extra, int reps)
{
	double rss;

	cw_rules *rules = NULL;
	cw_db *db = NULL;
	sqlite3 *h = NULL;
	struct rawwl rw;
	struct rawwl_params p;
	double *lib = calloc((size_t)reps, sizeof(double)), *raw = calloc((size_t)reps, sizeof(double));
	double *dump = calloc((size_t)reps, sizeof(double));
	size_t rows = 0;
	double load[3] = { 0 };

	if (cw_rules_load(&rules, NULL) != CW_OK) {
		fprintf(stderr, "growth: rules: %s\n", cw_errmsg());
		exit(3);
	}
	rss = lib_rss(path, rules, w->today);
	if (cw_db_open(&db, path, rules, w->today, false) != CW_OK ||
	    raw_open(path, &h) != 0 || rawwl_open(&rw, h) != 0) {
		fprintf(stderr, "growth: open: %s\n", cw_errmsg());
		exit(3);
	}
	rawwl_params_from(rules, w->today, &p);
	lib_once(db, &rows);          /* warm both caches */
	rawwl_run(&rw, h, &p);
	for (int i = 0; i < reps; i++) {
		double t0;

		/* Rotate the order every round: raw first, then typed first, then JSON. */
		for (int k = 0; k < 3; k++) {
			switch ((i + k) % 3) {
			case 0:
				t0 = cpu_s();
				rawwl_run(&rw, h, &p);
				raw[i] = cpu_s() - t0;
				break;
			case 1:
				lib[i] = lib_once(db, &rows);
				break;
			default:
				dump[i] = json_once(db);
			}
		}
	}
	qsort(lib, (size_t)reps, sizeof(double), cmp_double);
	qsort(raw, (size_t)reps, sizeof(double), cmp_double);
	qsort(dump, (size_t)reps, sizeof(double), cmp_double);
	getloadavg(load, 3);
	/* the JSON columns: cw_watchlist + json_dumps + freeing, its median */
	printf("| %ld | %ld | %zu | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f |\n",
		w->providers, w->concerns + extra, rows, lib[0] * 1e3, lib[reps / 2] * 1e3,
		raw[0] * 1e3, raw[reps / 2] * 1e3, lib[0] / raw[0], lib[reps / 2] / raw[reps / 2],
		dump[reps / 2] * 1e3, dump[reps / 2] / raw[reps / 2],
		rss, load[0]);
	fflush(stdout);
	rawwl_close(&rw);
	sqlite3_close(h);
	cw_db_close(db);
	cw_rules_free(rules);
	free(lib);
	free(raw);
	free(dump);
}

enum { GEN, HISTORY };

/* Generation or added history, in a child so this process stays small. */
static int in_child(int what, const char *path, const struct world *w, long n)
{
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct gen_summary s;
		double t0 = now_s(), secs = 0;

		if (what == GEN) {
			if (gen_world(path, w, &s) != CW_OK)
				_exit(1);
			fprintf(stderr, "growth: generated %ld providers, %ld concerns in %.0f s\n",
				w->providers, w->concerns, now_s() - t0);
		} else {
			if (gen_history(path, w, n, &secs) != 0)
				_exit(1);
			fprintf(stderr, "growth: added %ld resolved concerns in %.0f s\n", n, secs);
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "growth: %s failed\n", what == GEN ? "generation" : "adding history");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct world w = { 0 };
	const char *db = NULL, *today = "2025-06-30";
	char path[512];
	long history_x = 1;
	int reps = 7;
	bool keep = false, generate = true;

	w.seed = 42;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--keep") == 0) {
			keep = true;
			continue;
		}
		if (!v) {
			fprintf(stderr, "growth: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--providers") == 0)
			w.providers = atol(v);
		else if (strcmp(a, "--concerns") == 0)
			w.concerns = atol(v);
		else if (strcmp(a, "--history-x") == 0)
			history_x = atol(v);
		else if (strcmp(a, "--reps") == 0)
			reps = atoi(v);
		else if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "--seed") == 0)
			w.seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--today") == 0)
			today = v;
		else {
			fprintf(stderr, "growth: unknown option %s\n", a);
			return 2;
		}
	}
	if (w.providers < 1 || w.concerns < 1 || reps < 1 || history_x < 1 ||
	    cw_date_parse(today, &w.today) != CW_OK) {
		fprintf(stderr, "usage: carewatch_growth --providers N --concerns M [--history-x K]"
			" [--reps R] [--db PATH] [--keep] [--seed S] [--today YYYY-MM-DD]\n");
		return 2;
	}
	cw_date_format(w.today, w.today_s);
	w.span_days = world_span_days(w.providers, w.concerns);
	if (db) {
		generate = access(db, F_OK) != 0;
		snprintf(path, sizeof(path), "%s", db);
	} else {
		snprintf(path, sizeof(path), "/tmp/carewatch-growth-%ld.db", (long)getpid());
	}
	if (generate && in_child(GEN, path, &w, 0) != 0)
		return 3;
	measure(path, &w, 0, reps);
	if (history_x > 1) {
		long n = (history_x - 1) * w.concerns;

		if (in_child(HISTORY, path, &w, n) != 0)
			return 3;
		measure(path, &w, n, reps);
	}
	if (!keep && !db)
		gen_remove_db(path);
	return 0;
}
