/*
 * Several users at once against one database (SPEC §10): 8 writers each
 * log 100 concerns while a reader lists providers and concerns in a loop.
 * Every command must succeed, or fail cleanly (exit 1, one "busy" line);
 * afterwards the concerns are exactly the successful logs (none lost, none
 * doubled), the file is intact and the audit chain verifies.
 *
 * The test process runs the commands itself, several at a time, through
 * posix_spawn and waitpid(-1): no forked copy of the test runs any code.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "cwtest.h"

#define WRITERS 8
#define PER_WRITER 100
#define READER WRITERS          /* the reader's slot */
#define MAX_PROBLEMS 20

extern char **environ;

static cwt t;

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "carol", "--role", "contracts", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "vic", "--role", "viewer", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Elm House", "--type",
		"care_home_nursing", NULL), 0, "%s", t.err);
}

static void fini(void)
{
	cwt_teardown(&t);
}

TestSuite(reliability_concurrency, .init = setup, .fini = fini);

struct slot {
	pid_t pid;
	int next;        /* writers: index of the next command to start */
	char out[320], err[320];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n, cap = 4096, len = 0;

	buf = malloc(cap + 1);
	cr_assert_not_null(buf);
	if (f) {
		while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
			len += n;
			if (len == cap) {
				cap *= 2;
				buf = realloc(buf, cap + 1);
				cr_assert_not_null(buf);
			}
		}
		fclose(f);
	}
	buf[len] = '\0';
	return buf;
}

/* Start carewatch with `args` (NULL-terminated), stdout and stderr to files. */
static pid_t spawn(const char *const *args, const char *out, const char *err)
{
	const char *argv[32];
	char envdb[340], envtoday[64];
	char *envp[6];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int n = 0, e = 0;

	argv[n++] = CW_BINARY;
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
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_eq(posix_spawn(&pid, CW_BINARY, &fa, NULL, (char **)argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static void summary_of(int writer, int i, char *buf, size_t n)
{
	snprintf(buf, n, "concurrent writer %d concern %03d", writer, i);
}

static pid_t start_writer(struct slot *s, int writer)
{
	char summary[80];
	const char *args[] = {
		"--as", "carol", "concern", "log", "--provider", "Elm House",
		"--source", "monitoring_visit", "--team", "commissioning",
		"--likelihood", "2", "--impact", "3", "--summary", summary, NULL
	};

	summary_of(writer, s->next, summary, sizeof(summary));
	return spawn(args, s->out, s->err);
}

static pid_t start_reader(struct slot *s, int round)
{
	static const char *const providers[] = { "--as", "vic", "--json", "provider", "list", NULL };
	static const char *const concerns[] = { "--as", "vic", "--json", "concern", "list", NULL };

	return spawn(round % 2 ? concerns : providers, s->out, s->err);
}

/* A failure is clean when it is exit 1 with one "carewatch: ...busy..." line. */
static bool clean_busy_failure(int code, const char *err)
{
	const char *nl = strchr(err, '\n');

	return code == 1 && strncmp(err, "carewatch: ", 11) == 0 && strstr(err, "busy") &&
		nl && nl[1] == '\0';
}

struct tally {
	int ok, busy, reads, read_busy;
	long last_seen;          /* concerns the reader saw last time */
	int problems;
	char problem[MAX_PROBLEMS][300];
};

static void problem(struct tally *ty, const char *what, int code, const char *err)
{
	if (ty->problems < MAX_PROBLEMS)
		snprintf(ty->problem[ty->problems], sizeof(ty->problem[0]), "%s: exit %d: %.200s",
			what, code, err);
	ty->problems++;
}

static void check_read(struct tally *ty, int round, int code, const char *out, const char *err)
{
	json_t *j;

	ty->reads++;
	if (code != 0) {
		if (clean_busy_failure(code, err))
			ty->read_busy++;
		else
			problem(ty, "reader", code, err);
		return;
	}
	j = json_loads(out, JSON_DECODE_ANY, NULL);
	if (!json_is_array(j)) {
		problem(ty, "reader: stdout is not one JSON array", code, out);
	} else if (round % 2 == 0) {
		if (json_array_size(j) != 1)
			problem(ty, "reader: provider list does not hold exactly Elm House", code, out);
	} else {
		/* A reader sees a committed prefix of history: never fewer than before. */
		if ((long)json_array_size(j) < ty->last_seen)
			problem(ty, "reader: the concern list shrank", code, "");
		ty->last_seen = (long)json_array_size(j);
	}
	json_decref(j);
}

static long count_summary(sqlite3 *db, const char *summary)
{
	sqlite3_stmt *st;
	long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM concerns WHERE summary = ?1",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, summary, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void check_integrity(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_open_v2(t.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(reliability_concurrency, eight_writers_and_a_reader, .timeout = 240)
{
	static int result[WRITERS][PER_WRITER];
	struct slot slots[WRITERS + 1];
	struct tally ty = { 0 };
	int running = 0, writers_left = WRITERS, reader_round = 0, w, i;
	long audit_before, audit_per_log, concerns_ok = 0;
	struct timespec t0, t1;
	sqlite3 *db;

	/* How many audit entries one concern log writes, measured, not assumed. */
	audit_before = cwt_count(&t, "audit");
	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "Elm House",
		"--source", "complaint", "--team", "commissioning", "--likelihood", "1",
		"--impact", "1", "--summary", "the serial one", NULL), 0, "%s", t.err);
	audit_per_log = cwt_count(&t, "audit") - audit_before;
	cr_assert_gt(audit_per_log, 0);
	audit_before = cwt_count(&t, "audit");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(slots, 0, sizeof(slots));
	for (w = 0; w <= WRITERS; w++) {
		snprintf(slots[w].out, sizeof(slots[w].out), "%s/slot%d.out", t.dir, w);
		snprintf(slots[w].err, sizeof(slots[w].err), "%s/slot%d.err", t.dir, w);
		slots[w].pid = w == READER ? start_reader(&slots[w], reader_round)
			: start_writer(&slots[w], w);
		running++;
	}
	while (running > 0) {
		int status, code;
		pid_t pid = waitpid(-1, &status, 0);
		char *out, *err;

		if (pid < 0 && errno == EINTR)
			continue;
		cr_assert_gt(pid, 0, "waitpid: %s", strerror(errno));
		for (w = 0; w <= WRITERS && slots[w].pid != pid; w++)
			;
		cr_assert_leq(w, WRITERS, "reaped an unknown child %d", (int)pid);
		running--;
		slots[w].pid = 0;
		code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		out = slurp(slots[w].out);
		err = slurp(slots[w].err);
		if (w == READER) {
			check_read(&ty, reader_round, code, out, err);
			if (writers_left > 0) {
				slots[w].pid = start_reader(&slots[w], ++reader_round);
				running++;
			}
		} else {
			result[w][slots[w].next] = code;
			if (code == 0)
				ty.ok++;
			else if (clean_busy_failure(code, err))
				ty.busy++;
			else
				problem(&ty, "writer", code, err);
			if (++slots[w].next < PER_WRITER) {
				slots[w].pid = start_writer(&slots[w], w);
				running++;
			} else {
				writers_left--;
			}
		}
		free(out);
		free(err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_log_info("%d logs ok, %d busy, %d reads (%d busy) in %.1f s", ty.ok, ty.busy,
		ty.reads, ty.read_busy, (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);

	for (i = 0; i < ty.problems && i < MAX_PROBLEMS; i++)
		cr_log_error("%s", ty.problem[i]);
	cr_assert_eq(ty.problems, 0, "%d commands failed uncleanly (first: %s)", ty.problems,
		ty.problem[0]);
	cr_assert_eq(ty.ok + ty.busy, WRITERS * PER_WRITER);
	cr_assert_gt(ty.reads, 1, "the reader never overlapped the writers");
	/* The busy timeout is 10 s: under this load nobody should have given up. */
	cr_assert_eq(ty.busy, 0, "%d writers gave up on a busy database", ty.busy);

	/* None lost, none doubled: each successful log is there exactly once,
	 * each clean failure wrote nothing. */
	cr_assert_eq(sqlite3_open_v2(t.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	for (w = 0; w < WRITERS; w++)
		for (i = 0; i < PER_WRITER; i++) {
			char summary[80];
			long n;

			summary_of(w, i, summary, sizeof(summary));
			n = count_summary(db, summary);
			cr_assert_eq(n, result[w][i] == 0 ? 1 : 0, "'%s' (exit %d) is stored %ld times",
				summary, result[w][i], n);
			concerns_ok += result[w][i] == 0;
		}
	sqlite3_close(db);
	cr_assert_eq(cwt_count(&t, "concerns"), concerns_ok + 1);   /* + the serial one */
	cr_assert_eq(cwt_count(&t, "audit") - audit_before, concerns_ok * audit_per_log);
	cr_assert_geq(ty.last_seen, 0);

	check_integrity();
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert(json_is_true(json_object_get(t.json, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(t.json, "entries")), cwt_count(&t, "audit"));
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "list", NULL), 0, "%s", t.err);
	cr_assert_eq((long)json_array_size(t.json), concerns_ok + 1);
}
