/*
 * Eight threads on one database file, each with its own cw_db, doing what
 * a server's request handlers would: log concerns and re-rate them (writes),
 * list concerns and providers and read the watch list (reads), every call
 * one unit of work through cw_db_run_as. Nothing may be lost or doubled,
 * and the audit chain must verify. Built under ThreadSanitizer with
 * -DCW_TSAN=ON (build-tsan), where it must run without a report.
 *
 * A plain program, not a Criterion suite: Criterion cannot start under
 * ThreadSanitizer (Snaipe/Criterion#274). It exits 0 when all holds.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "carewatch/audit.h"
#include "carewatch/concern.h"
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/provider.h"
#include "carewatch/rules.h"
#include "carewatch/user.h"
#include "carewatch/watchlist.h"

/* A failed check names itself and ends the run. */
#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		exit(1); \
	} \
} while (0)

#define THREADS 8
#define ROUNDS 12

static char dir[64], path[128];
static cw_rules *rules;
#define TODAY cw_date_from_ymd(2026, 11, 22)

struct worker {
	int n;
	int writes_ok, reads_ok;
	int failures;
	char failure[256];
};

struct call {
	struct worker *w;
	int round;
	char concern_id[CW_ID_LEN];
	json_t *out;
};

static int do_log(cw_db *db, void *arg)
{
	struct call *c = arg;
	char summary[80];
	cw_concern_log_args a = { 0 };
	int err;

	snprintf(summary, sizeof(summary), "thread %d round %d", c->w->n, c->round);
	a.provider = c->round % 2 ? "Elm House" : "Oak Lodge";
	a.source = "monitoring_visit";
	a.team = "commissioning";
	a.summary = summary;
	a.likelihood = 2;
	a.impact = 3;
	if ((err = cw_concern_log(db, &a, &c->out)) == CW_OK)
		snprintf(c->concern_id, sizeof(c->concern_id), "%s",
			json_string_value(json_object_get(c->out, "id")));
	return err;
}

static int do_rate(cw_db *db, void *arg)
{
	struct call *c = arg;
	cw_concern_rate_args a = { 4, true, false, "worse on a second visit" };

	return cw_concern_rate(db, c->concern_id, &a, &c->out);
}

static int do_read(cw_db *db, void *arg)
{
	struct call *c = arg;

	switch (c->round % 3) {
	case 0:
		return cw_concern_list(db, NULL, &c->out);
	case 1:
		return cw_provider_list(db, &c->out);
	default:
		return cw_watchlist(db, &c->out);
	}
}

static void note_failure(struct worker *w, const char *what)
{
	if (w->failures++ == 0)
		snprintf(w->failure, sizeof(w->failure), "thread %d %s: %s (%s)", w->n, what,
			cw_errmsg(), cw_status_name(cw_error_code()));
}

static bool run(struct worker *w, cw_db *db, const char *as, bool write, cw_db_fn fn,
	struct call *c, const char *what)
{
	int err = cw_db_run_as(db, as, write, fn, c);

	json_decref(c->out);
	c->out = NULL;
	if (err != CW_OK) {
		note_failure(w, what);
		return false;
	}
	return true;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	cw_db *db = NULL;
	int r;

	if (cw_db_open(&db, path, rules, TODAY, false) != CW_OK) {
		note_failure(w, "open");
		return NULL;
	}
	for (r = 0; r < ROUNDS; r++) {
		struct call c = { w, r, "", NULL };

		if (run(w, db, "carol", true, do_log, &c, "log"))
			w->writes_ok++;
		if (c.concern_id[0] && run(w, db, "carol", true, do_rate, &c, "rate"))
			w->writes_ok++;
		if (run(w, db, "vic", false, do_read, &c, "read"))
			w->reads_ok++;
	}
	cw_db_close(db);
	return NULL;
}

static int setup_unit(cw_db *db, void *arg)
{
	static const char *const names[] = { "Elm House", "Oak Lodge" };
	json_t *out = NULL;
	size_t i;
	int err;

	(void)arg;
	if ((err = cw_db_init(db, "alice")) != CW_OK ||
	    (err = cw_user_add(db, "carol", "contracts", &out)) != CW_OK)
		return err;
	json_decref(out);
	if ((err = cw_user_add(db, "vic", "viewer", &out)) != CW_OK)
		return err;
	json_decref(out);
	if ((err = cw_db_set_actor(db, "carol")) != CW_OK)
		return err;
	for (i = 0; i < 2; i++) {
		cw_provider_add_args a = { names[i], "care_home_nursing", NULL, false, NULL, NULL, 0 };

		if ((err = cw_provider_add(db, &a, &out)) != CW_OK)
			return err;
		json_decref(out);
	}
	return CW_OK;
}

static void setup(void)
{
	cw_db *db = NULL;

	snprintf(dir, sizeof(dir), "/tmp/cwthreads-XXXXXX");
	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/carewatch.db", dir);
	CHECK(cw_rules_load(&rules, NULL) == CW_OK, "%s", cw_errmsg());
	CHECK(cw_db_open(&db, path, rules, TODAY, true) == CW_OK, "%s", cw_errmsg());
	CHECK(cw_db_run(db, true, setup_unit, NULL) == CW_OK, "%s", cw_errmsg());
	cw_db_close(db);
}

static void teardown(void)
{
	char cmd[160];

	cw_rules_free(rules);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (strncmp(dir, "/tmp/cwthreads-", 15) == 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static int read_all(cw_db *db, void *arg)
{
	json_t **out = arg;
	int err;

	if ((err = cw_concern_list(db, NULL, &out[0])) != CW_OK)
		return err;
	return cw_audit_verify(db, &out[1]);
}

static void eight_sessions_on_one_file(void)
{
	struct worker w[THREADS];
	pthread_t tid[THREADS];
	json_t *got[2] = { NULL, NULL }, *c;
	cw_db *db = NULL;
	size_t i;
	int n, seen[THREADS][ROUNDS];

	/* Each thread its own connection; SQLite must not be single-threaded. */
	CHECK(sqlite3_threadsafe() != 0, "this SQLite is built single-threaded");
	memset(w, 0, sizeof(w));
	memset(seen, 0, sizeof(seen));
	for (n = 0; n < THREADS; n++) {
		w[n].n = n;
		CHECK(pthread_create(&tid[n], NULL, worker_main, &w[n]) == 0, "thread %d", n);
	}
	for (n = 0; n < THREADS; n++)
		pthread_join(tid[n], NULL);
	for (n = 0; n < THREADS; n++) {
		CHECK(w[n].failures == 0, "%d failures, first: %s", w[n].failures, w[n].failure);
		CHECK(w[n].writes_ok == 2 * ROUNDS, "thread %d: %d writes of %d", n,
			w[n].writes_ok, 2 * ROUNDS);
		CHECK(w[n].reads_ok == ROUNDS, "thread %d: %d reads of %d", n,
			w[n].reads_ok, ROUNDS);
	}

	/* None lost, none doubled, every re-rating stored, the chain intact. */
	CHECK(cw_db_open(&db, path, rules, TODAY, false) == CW_OK, "%s", cw_errmsg());
	CHECK(cw_db_run_as(db, "alice", false, read_all, got) == CW_OK, "%s", cw_errmsg());
	CHECK(json_array_size(got[0]) == (size_t)(THREADS * ROUNDS), "%zu concerns stored",
		json_array_size(got[0]));
	json_array_foreach(got[0], i, c) {
		int t, r;

		CHECK(sscanf(json_string_value(json_object_get(c, "summary")),
			"thread %d round %d", &t, &r) == 2, "concern %zu", i);
		CHECK(t >= 0 && t < THREADS && r >= 0 && r < ROUNDS, "thread %d round %d", t, r);
		CHECK(seen[t][r]++ == 0, "thread %d round %d stored twice", t, r);
		CHECK(json_integer_value(json_object_get(c, "likelihood")) == 4,
			"thread %d round %d was not re-rated", t, r);
	}
	CHECK(json_is_true(json_object_get(got[1], "ok")), "the audit chain does not verify");
	/* init (db.init, its admin, the rules pinned), 2 users, 2 providers, then
	 * a log and a rating per round */
	CHECK(json_integer_value(json_object_get(got[1], "entries")) ==
		3 + 2 + 2 + 2 * THREADS * ROUNDS, "%lld audit entries",
		(long long)json_integer_value(json_object_get(got[1], "entries")));
	json_decref(got[0]);
	json_decref(got[1]);
	cw_db_close(db);
}

int main(void)
{
	/* Multi-thread mode: each connection stays on its thread, so SQLite
	 * needs no mutex of its own on it, and its global mutexes are fewer
	 * edges to hide a race of ours from the sanitizer. */
	CHECK(sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK, "multi-thread mode");
	CHECK(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK, "memstatus off");
	setup();
	eight_sessions_on_one_file();
	teardown();
	printf("test_threads: %d threads x %d rounds: nothing lost\n", THREADS, ROUNDS);
	return 0;
}
