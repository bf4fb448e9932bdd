/*
 * Durable writes (issue 19): each command is its own process, and the WAL
 * is kept when it closes (no checkpoint on close), so the next command
 * appends to it rather than re-creating it, and a command's commit costs
 * one fdatasync. Whatever is in the WAL is still what the next reader sees.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define M "Morgan Hale"

TestSuite(durable, .timeout = 120);

static long wal_size(void)
{
	char wal[400];
	struct stat sb;

	snprintf(wal, sizeof(wal), "%s-wal", t.db);
	return stat(wal, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The database file itself: a checkpoint is what writes to it. */
static void main_file(struct stat *sb)
{
	cr_assert_eq(stat(t.db, sb), 0);
}

Test(durable, the_wal_outlives_each_command_and_its_commits_are_read)
{
	long before, after;
	struct stat m0, m1;

	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "admin", "init", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "admin", "user", "add", M, "--role", "admin,contracts", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, M, "provider", "add", "Oak House", "--type", "domiciliary", NULL),
		0, "%s", t.err);
	before = wal_size();
	main_file(&m0);
	cr_assert_gt(before, 0, "no WAL left after a command (size %ld)", before);
	cr_assert_eq(cwt_run(&t, M, "concern", "log", "--provider", "Oak House", "--source",
		"complaint", "--team", "commissioning", "--likelihood", "2", "--impact", "2",
		"--summary", "late visits", NULL), 0, "%s", t.err);
	after = wal_size();
	/* Appended to, not checkpointed away and started again. */
	cr_assert_gt(after, before, "the WAL went from %ld to %ld bytes", before, after);
	main_file(&m1);
	cr_assert(m1.st_size == m0.st_size && m1.st_mtim.tv_sec == m0.st_mtim.tv_sec &&
		m1.st_mtim.tv_nsec == m0.st_mtim.tv_nsec,
		"the command checkpointed the WAL into the database on its way out");
	cr_assert_eq(cwt_count(&t, "concerns"), 1);
	cr_assert_eq(cwt_run(&t, M, "--json", "concern", "list", NULL), 0, "%s", t.err);
	cr_assert(strstr(t.out, "late visits"), "%s", t.out);
	cwt_teardown(&t);
}
