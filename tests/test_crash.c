/*
 * Crash safety (SPEC §10: every command is one transaction, written whole or
 * not at all): commands are killed with SIGKILL at seeded pseudo-random
 * moments, and afterwards the database still opens, PRAGMA integrity_check
 * is ok, every command that reported success (exit 0 seen) is there, no
 * command is there by halves, and the audit chain verifies.
 *
 * Three ways of dying:
 *  - a driver process loops `concern log` and is killed, with whatever
 *    carewatch it is running, at a random moment (its process group);
 *  - single `concern log` commands are killed a random few milliseconds
 *    after they start, so that kills land inside open/commit/fsync;
 * *  - `import concerns` of a few thousand lines is killed part way: the
 *    import is all-or-nothing, so either every line is there or none.
 *
 * The test process makes itself a child subreaper so that the carewatch
 * processes orphaned by a killed driver are reaped here, and none is still
 * running (holding a lock) when the database is checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "cwtest.h"

#define ROUNDS 5
#define SEED 20261122u
#define MAX_DRIVER_COMMANDS 5000

static cwt t;
static unsigned long long rng_state;

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "carol", "--role", "contracts", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Elm House", "--type",
		"care_home_nursing", NULL), 0, "%s", t.err);
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	rng_state = SEED;
}

static void fini(void)
{
	cwt_teardown(&t);
}

TestSuite(reliability_crash, .init = setup, .fini = fini);

/* splitmix64: a small seeded generator, so every run kills at the same offsets. */
static unsigned long long rng(void)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static long rng_between(long lo, long hi)
{
	return lo + (long)(rng() % (unsigned long long)(hi - lo + 1));
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Start carewatch as `as` with `args`; output to /dev/null. No Criterion
 * asserts: the driver calls this in a forked child. */
static pid_t spawn_cw(const char *as, const char *const *args)
{
	const char *argv[32];
	char envdb[340], envtoday[64];
	char *envp[6];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int n = 0, e = 0;

	argv[n++] = CW_BINARY;
	argv[n++] = "--as";
	argv[n++] = as;
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(envdb, sizeof(envdb), "CAREWATCH_DB=%s", t.db);
	snprintf(envtoday, sizeof(envtoday), "CAREWATCH_TODAY=%s", t.today);
	envp[e++] = envdb;
	envp[e++] = envtoday;
	envp[e++] = "CAREWATCH_USER=";
	envp[e++] = "PATH=/usr/bin:/bin";
	envp[e] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, CW_BINARY, &fa, NULL, (char **)argv, envp) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static void summary_of(int round, int i, char *buf, size_t n)
{
	snprintf(buf, n, "crash round %d concern %04d", round, i);
}

static pid_t start_log(int round, int i)
{
	char summary[80];
	const char *args[] = {
		"concern", "log", "--provider", "Elm House", "--source", "monitoring_visit",
		"--team", "commissioning", "--likelihood", "3", "--impact", "2",
		"--summary", summary, NULL
	};

	summary_of(round, i, summary, sizeof(summary));
	return spawn_cw("carol", args);
}

/*
 * The driver (a forked child): log concerns one after another and append
 * "<i> <exit code>" to the record file once each command has exited, so the
 * record holds exactly the commands whose outcome was seen.
 */
static void drive(int round, const char *record)
{
	int fd = open(record, O_WRONLY | O_CREAT | O_APPEND, 0600);
	int i;

	if (fd < 0)
		_exit(100);
	for (i = 0; i < MAX_DRIVER_COMMANDS; i++) {
		pid_t pid = start_log(round, i);
		int status;
		char line[32];
		int n;

		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			_exit(101);
		n = snprintf(line, sizeof(line), "%d %d\n", i,
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		if (write(fd, line, (size_t)n) != n)
			_exit(102);
	}
	_exit(0);
}

/* Lines in the driver's record so far: the commands whose outcome it has seen. */
static int recorded(const char *record)
{
	FILE *f = fopen(record, "r");
	int c, n = 0;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Reap every child and orphan until none is left (we are their subreaper). */
static void reap_all(void)
{
	for (;;) {
		pid_t pid = waitpid(-1, NULL, 0);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0) {
			cr_assert_eq(errno, ECHILD);
			return;
		}
	}
}

/* The database, its WAL and shared-memory files are owner-only, also after a crash. */
static void check_modes(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	size_t k;

	for (k = 0; k < sizeof(suffix) / sizeof(suffix[0]); k++) {
		char path[340];
		struct stat sb;

		snprintf(path, sizeof(path), "%s%s", t.db, suffix[k]);
		if (stat(path, &sb) != 0) {
			cr_assert_neq(k, 0, "the database file is gone");
			continue;
		}
		cr_assert_eq(sb.st_mode & 077, 0, "%s has mode %o", path, sb.st_mode & 0777);
	}
}

static sqlite3 *open_db(void)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open_v2(t.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static long query_long(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		sqlite3_errmsg(db));
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * After a crash: the database opens for carewatch (which recovers the WAL
 * itself, before anything else touches the file), the file is intact, no
 * concern is there by halves, and the audit chain verifies.
 */
static void check_after_crash(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	check_modes();
	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "list", NULL), 0,
		"the database does not open after a crash: %s", t.err);
	cr_assert_eq(json_array_size(t.json), 1);

	db = open_db();
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	/* Whole or not at all: every concern has its audit entry and its first rating. */
	cr_assert_eq(query_long(db, "SELECT count(*) FROM concerns c WHERE NOT EXISTS"
		" (SELECT 1 FROM audit a WHERE a.entity = c.id)", NULL), 0,
		"a concern was stored without its audit entry");
	cr_assert_eq(query_long(db, "SELECT count(*) FROM concerns c WHERE NOT EXISTS"
		" (SELECT 1 FROM concern_ratings r WHERE r.concern_id = c.id)", NULL), 0,
		"a concern was stored without its rating");
	sqlite3_close(db);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert(json_is_true(json_object_get(t.json, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(t.json, "entries")), cwt_count(&t, "audit"));
}

/* Every command the record says exited 0 is stored, exactly once. */
static int check_record(int round, const char *record)
{
	FILE *f = fopen(record, "r");
	sqlite3 *db = open_db();
	int i, code, seen = 0, ok = 0;
	char pattern[80];

	cr_assert_not_null(f);
	while (fscanf(f, "%d %d", &i, &code) == 2) {
		char summary[80];
		long n;

		seen++;
		cr_assert_eq(code, 0, "round %d: command %d exited %d without being killed",
			round, i, code);
		summary_of(round, i, summary, sizeof(summary));
		n = query_long(db, "SELECT count(*) FROM concerns WHERE summary = ?1", summary);
		cr_assert_eq(n, 1, "round %d: '%s' reported success but is stored %ld times",
			round, summary, n);
		ok++;
	}
	fclose(f);
	/* At most the one command in flight at the kill is there without a record. */
	snprintf(pattern, sizeof(pattern), "crash round %d concern %%", round);
	cr_assert_leq(query_long(db, "SELECT count(*) FROM concerns WHERE summary LIKE ?1",
		pattern), ok + 1, "round %d: more concerns than commands", round);
	sqlite3_close(db);
	return seen;
}

Test(reliability_crash, driver_killed_at_random_moments, .timeout = 240)
{
	int round, total = 0;

	for (round = 0; round < ROUNDS; round++) {
		char record[320];
		int need = (int)rng_between(1, 3);
		long delay_us = rng_between(0, 300000);
		pid_t driver;

		snprintf(record, sizeof(record), "%s/record%d", t.dir, round);
		driver = fork();
		cr_assert_geq(driver, 0);
		if (driver == 0) {
			setpgid(0, 0);
			drive(round, record);
		}
		setpgid(driver, driver);   /* both sides, so there is no race */
		/* The kill waits for a seeded number of finished commands, then a
		 * seeded delay: a slow (loaded, sanitized) machine changes how many
		 * commands finish, never whether enough did to prove something. */
		while (recorded(record) < need) {
			cr_assert_eq(waitpid(driver, NULL, WNOHANG), 0, "the driver stopped early");
			sleep_us(2000);
		}
		sleep_us(delay_us);
		cr_assert_eq(kill(-driver, SIGKILL), 0, "kill: %s", strerror(errno));
		reap_all();
		check_after_crash();
		total += check_record(round, record);
		cr_log_info("round %d: killed after %ld ms, %d commands had finished", round,
			delay_us / 1000, total);
	}
	cr_assert_geq(total, ROUNDS, "too few commands finished before the kills to prove much");
}

/* Kill single commands a few milliseconds in: open, write, commit, fsync. */
Test(reliability_crash, commands_killed_in_flight, .timeout = 240)
{
	int i, finished = 0, killed = 0;

	for (i = 0; i < 60; i++) {
		pid_t pid = start_log(9, i);
		char summary[80];
		sqlite3 *db;
		long n;
		int status;

		cr_assert_gt(pid, 0);
		sleep_us(rng_between(0, 12000));
		kill(pid, SIGKILL);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		check_after_crash();
		summary_of(9, i, summary, sizeof(summary));
		db = open_db();
		n = query_long(db, "SELECT count(*) FROM concerns WHERE summary = ?1", summary);
		sqlite3_close(db);
		if (WIFEXITED(status)) {
			cr_assert_eq(WEXITSTATUS(status), 0, "command %d exited %d", i,
				WEXITSTATUS(status));
			cr_assert_eq(n, 1, "'%s' exited 0 but is stored %ld times", summary, n);
			finished++;
		} else {
			cr_assert_leq(n, 1, "'%s' is stored %ld times", summary, n);
			killed++;
		}
	}
	cr_log_info("%d commands killed, %d finished first", killed, finished);
	cr_assert_gt(killed, 10, "the kills did not land inside commands");
}

/* An import killed part way leaves all of its lines or none (SPEC §10). */
Test(reliability_crash, import_killed_is_all_or_nothing, .timeout = 240)
{
	enum { LINES = 3000 };
	char *csv = malloc(LINES * 120 + 200);
	size_t len;
	int round, i;

	cr_assert_not_null(csv);
	for (round = 0; round < ROUNDS; round++) {
		const char *args[] = { "import", "concerns", NULL, NULL };
		long before = cwt_count(&t, "concerns"), after, delay_us;
		char name[32];
		pid_t pid;
		int status;

		len = (size_t)sprintf(csv, "provider,source,team,likelihood,impact,summary,received\n");
		for (i = 0; i < LINES; i++)
			len += (size_t)sprintf(csv + len, "Elm House,complaint,commissioning,%d,%d,"
				"import round %d line %d,2026-10-%02d\n", i % 4 + 1, (i / 4) % 4 + 1,
				round, i, i % 28 + 1);
		snprintf(name, sizeof(name), "import%d.csv", round);
		args[2] = cwt_file(&t, name, csv);
		delay_us = rng_between(0, 100000);
		pid = spawn_cw("alice", args);
		cr_assert_gt(pid, 0);
		sleep_us(delay_us);
		kill(pid, SIGKILL);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		check_after_crash();
		after = cwt_count(&t, "concerns");
		if (WIFEXITED(status))
			cr_assert_eq(WEXITSTATUS(status), 0, "import exited %d", WEXITSTATUS(status));
		cr_assert(after == before || after == before + LINES,
			"round %d: an import killed after %ld us left %ld of %d lines", round,
			delay_us / 1000, after - before, LINES);
		if (WIFEXITED(status))
			cr_assert_eq(after, before + LINES, "the import reported success but is not there");
		cr_log_info("import round %d: %s after %ld ms, %ld lines stored", round,
			WIFEXITED(status) ? "finished" : "killed", delay_us / 1000, after - before);
	}
	free(csv);
}
