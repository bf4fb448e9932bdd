/*
 * Hardening of the command line's edges (issue 15): numbers, files and
 * output a hostile or unlucky environment gives carewatch.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s%s", t.code, t.err, t.out)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(text, what) cr_assert(strstr((text), (what)), "no '%s' in: %s", (what), (text))

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	cwt_letterhead(&t, "alice", "County Council");
	OK("bob", "provider", "add", "Oakwood", "--type", "domiciliary",
		"--commissioner", "County Council");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(harden, .init = setup, .fini = teardown, .timeout = 120);

Test(harden, numbers_are_decimal_only)
{
	static const char *const bad[] = { "0x10", "0X1p4", "1e2", "inf", "nan", "1.5.2", ".",
		"+3", " 3", "3 ", "", NULL };
	const char *const *p;
	long before = cwt_count(&t, "placements");

	for (p = bad; *p; p++) {
		REFUSED(2, "bob", "placement", "record", "--provider", "Oakwood",
			"--commissioner", "County Council", "--kind", "package", "--hours", *p);
		HAS(t.err, "--hours");
	}
	cr_assert_eq(cwt_count(&t, "placements"), before);
	REFUSED(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "0x3", "--impact", "2", "--summary", "s");
	REFUSED(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "0b10", "--summary", "s");
	REFUSED(2, "bob", "risk", "score", "0x3", "2");
	OK("bob", "--json", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "County Council", "--kind", "package", "--hours", "12.5");
	OK("bob", "--json", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "County Council", "--kind", "package", "--hours", "7");
}

static void log_concern(const char *summary)
{
	OK("bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "4", "--impact", "4", "--summary", summary);
}

/* Every line of `text` that starts with `what`. */
static int lines_starting(const char *text, const char *what)
{
	const char *p;
	int n = 0;

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += strncmp(p, what, strlen(what)) == 0;
	return n;
}

#define FENCE "ok\n```\n# Owned\n| x | y |\n---\n~~~\n- item"

Test(harden, markdown_output_cannot_be_rewritten_by_a_value)
{
	char kase[64];
	const char *outs[2];
	char *copy[2];
	int i;

	log_concern(FENCE);
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "r");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	OK("bob", "document", "ppm-agenda", "--case", kase, "--format", "markdown");
	copy[0] = strdup(t.out);
	OK("bob", "watchlist", "--format", "markdown");
	copy[1] = strdup(t.out);
	for (i = 0; i < 2; i++) {
		outs[i] = copy[i];
		cr_assert_eq(lines_starting(outs[i], "```"), 0, "a fence: %s", outs[i]);
		cr_assert_eq(lines_starting(outs[i], "~~~"), 0, "a fence: %s", outs[i]);
		cr_assert_eq(lines_starting(outs[i], "# Owned"), 0, "a heading: %s", outs[i]);
		cr_assert_eq(lines_starting(outs[i], "- item"), 0, "a list item: %s", outs[i]);
		HAS(outs[i], "ok<br>\\`\\`\\`<br>\\# Owned<br>\\| x \\| y \\|<br>---<br>\\~\\~\\~<br>- item");
		free(copy[i]);
	}
}

Test(harden, text_output_keeps_a_value_under_its_label)
{
	char id[64];

	log_concern("first line\nstatus  resolved\r\nthird\rfourth");
	snprintf(id, sizeof(id), "%s", "");
	OK("bob", "--json", "concern", "list");
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(json_array_get(t.json, 0),
		"id")));
	OK("bob", "concern", "show", id);
	cr_assert_eq(lines_starting(t.out, "status  resolved"), 0, "a forged label: %s", t.out);
	cr_assert_eq(lines_starting(t.out, "third"), 0, "%s", t.out);
	cr_assert_null(strchr(t.out, '\r'), "a carriage return reached the terminal: %s", t.out);
	HAS(t.out, "first line\n");
	HAS(t.out, " status  resolved\n");
	HAS(t.out, " fourth\n");
	/* Text written before the rules refused bidirectional controls is shown escaped. */
	cr_assert_eq(cwt_sql(&t, "UPDATE concerns SET summary = 'abc' || char(0x202e) || 'fed'"
		" || char(27) || '[2J'"), 0);
	OK("bob", "concern", "show", id);
	HAS(t.out, "abc\\u{202E}fed\\u{001B}[2J");
	cr_assert_null(strstr(t.out, "\xe2\x80\xae"), "%s", t.out);
	OK("bob", "concern", "list");
	cr_assert_null(strstr(t.out, "\xe2\x80\xae"), "%s", t.out);
	cr_assert_null(strchr(t.out, 27), "%s", t.out);
}

/* OWASP CSV injection: cells a spreadsheet would run are written as text,
 * and an export imports back unchanged. */
Test(harden, csv_cells_cannot_run_as_formulas)
{
	static const char *const formulas[] = { "=HYPERLINK(\"http://evil\",\"x\")", "+1+1",
		"-2+3", "@SUM(A1)", "\tx", "\r=1" };
	size_t i;
	long before;

	OK("bob", "provider", "add", "=cmd|' /C calc'!A0", "--type", "other");
	OK("bob", "concern", "log", "--provider", "=cmd|' /C calc'!A0", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "4", "--impact", "4", "--summary", "x");
	for (i = 0; i < sizeof(formulas) / sizeof(formulas[0]); i++)
		log_concern(formulas[i]);
	OK("bob", "export", "concerns");
	for (i = 0; i < sizeof(formulas) / sizeof(formulas[0]); i++) {
		char cell[80];

		snprintf(cell, sizeof(cell), ",\"'%s\",", formulas[i]);
		/* the CSV doubles quotes inside a cell */
		if (i == 0)
			snprintf(cell, sizeof(cell), ",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",");
		HAS(t.out, cell);
	}
	OK("bob", "watchlist", "--format", "csv");
	HAS(t.out, "\"'=cmd|' /C calc'!A0\"");
	/* The import reads a neutralised cell back as it was; other quotes stay. */
	before = cwt_count(&t, "concerns");
	OK("alice", "import", "concerns", cwt_file(&t, "back.csv",
		"provider,source,team,likelihood,impact,summary\n"
		"Oakwood,complaint,commissioning,1,1,'=1+1\n"
		"Oakwood,complaint,commissioning,1,1,'plain\n"
		"Oakwood,complaint,commissioning,1,1,''=2\n"));
	cr_assert_eq(cwt_count(&t, "concerns"), before + 3);
	OK("bob", "--json", "concern", "list");
	{
		bool formula = false, plain = false, twice = false;
		json_t *c;

		json_array_foreach(t.json, i, c) {
			const char *s = json_string_value(json_object_get(c, "summary"));

			formula |= strcmp(s, "=1+1") == 0;
			plain |= strcmp(s, "'plain") == 0;
			twice |= strcmp(s, "''=2") == 0;   /* not one added quote: kept */
		}
		cr_assert(formula && plain && twice, "%s", t.out);
	}
	OK("alice", "export", "concerns");
	HAS(t.out, "\"'=1+1\"");
	HAS(t.out, "\"'plain\"");
	HAS(t.out, "\"''=2\"");
}

/* ------------------------------------------------------------------ files */

/* Start carewatch in the background, stdout to `out` (a path), stderr to a
 * file in the scratch dir. */
static pid_t spawn_cw(const char *out, const char *const *args)
{
	const char *argv[32];
	char envdb[340], errp[300];
	char *envp[] = { envdb, "CAREWATCH_USER=", "CAREWATCH_TODAY=2026-11-22",
		"PATH=/usr/bin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int n = 0;

	argv[n++] = CW_BINARY;
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(envdb, sizeof(envdb), "CAREWATCH_DB=%s", t.db);
	snprintf(errp, sizeof(errp), "%s/bg-stderr", t.dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_eq(posix_spawn(&pid, CW_BINARY, &fa, NULL, (char **)argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Its exit code, waiting at most `ms`; -1 (after killing it) when it hangs. */
static int wait_for(pid_t pid, int ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status, i;

	for (i = 0; i < ms / 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static char *bg_stderr(void)
{
	static char buf[2048];
	char p[300];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/bg-stderr", t.dir);
	f = fopen(p, "r");
	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A FIFO named as the import file, with nobody writing to it: the import
 * used to open it inside its transaction and wait there for ever, holding
 * the write lock, so every other writer failed "busy" after 10 s. */
Test(harden, a_fifo_import_never_holds_the_write_lock)
{
	char fifo[300];
	const char *args[] = { "--as", "alice", "import", "concerns", fifo, NULL };
	pid_t pid;
	int code;

	snprintf(fifo, sizeof(fifo), "%s/concerns.csv", t.dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	pid = spawn_cw("/dev/null", args);
	/* Meanwhile another process writes. */
	OK("bob", "provider", "add", "Birch View", "--type", "other");
	code = wait_for(pid, 5000);
	cr_assert_eq(code, 2, "the import of a FIFO %s (exit %d): %s",
		code < 0 ? "hung" : "did not fail as invalid input", code, bg_stderr());
	HAS(bg_stderr(), "a FIFO, not a regular file");
	/* Devices and directories are refused the same way, at once. */
	REFUSED(2, "alice", "import", "concerns", "/dev/zero");
	HAS(t.err, "a device");
	REFUSED(2, "alice", "import", "providers", t.dir);
	HAS(t.err, "a directory");
}

Test(harden, a_fifo_rules_file_or_a_symlinked_template_is_refused)
{
	char fifo[300], kase[64];
	const char *args[] = { "--as", "bob", "--config", fifo, "provider", "list", NULL };
	pid_t pid;
	int code;

	snprintf(fifo, sizeof(fifo), "%s/rules.cfg", t.dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	pid = spawn_cw("/dev/null", args);
	code = wait_for(pid, 5000);
	cr_assert_eq(code, 2, "a FIFO rules file: %s (%d)", code < 0 ? "hung" : "exit", code);
	HAS(bg_stderr(), "a FIFO");

	/* A replacement template that is a symbolic link is refused, not followed. */
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "r");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	char target[300], link[300];
	snprintf(target, sizeof(target), "%s", cwt_file(&t, "elsewhere.md", "{{provider.name}}\n"));
	snprintf(link, sizeof(link), "%s/action-plan.md", t.dir);
	cr_assert_eq(symlink(target, link), 0);
	t.config = cwt_file(&t, "local.cfg", "documents_dir = \".\";\n");
	REFUSED(2, "bob", "document", "action-plan", "--case", kase);
	HAS(t.err, "symbolic link");
	unlink(link);
	cr_assert_eq(mkfifo(link, 0600), 0);
	REFUSED(2, "bob", "document", "action-plan", "--case", kase);
	HAS(t.err, "a FIFO");
	t.config = NULL;
}

Test(harden, init_makes_a_readable_database_owner_only)
{
	struct stat sb;

	cr_assert_eq(chmod(t.db, 0644), 0);
	OK("alice", "init");
	HAS(t.err, "owner-only (0600)");
	HAS(t.err, "from 0644");
	cr_assert_eq(stat(t.db, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600, "mode %o", sb.st_mode & 0777);
	/* already owner-only: nothing said */
	OK("alice", "init");
	cr_assert_str_eq(t.err, "");
}

Test(harden, init_refuses_another_applications_database)
{
	sqlite3 *db;
	char other[300];

	snprintf(other, sizeof(other), "%s/other.db", t.dir);
	cr_assert_eq(sqlite3_open(other, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE invoices (n INTEGER)", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	snprintf(t.db, sizeof(t.db), "%s", other);
	REFUSED(2, "alice", "init");
	HAS(t.err, "another application's database (tables: invoices)");
	cr_assert_eq(cwt_count(&t, "invoices"), 0);
	cr_assert_eq(cwt_count(&t, "users"), -1, "carewatch added its tables");
}

/* A change that committed but whose output was lost says so, naming it,
 * so that a script does not retry and duplicate it. */
Test(harden, saved_but_unprinted_changes_say_so)
{
	const char *args[] = { "--as", "bob", "--json", "provider", "add", "Full Disk House",
		"--type", "other", NULL };
	int code;
	char *err;

	code = wait_for(spawn_cw("/dev/full", args), 20000);
	cr_assert_eq(code, 1, "exit %d", code);
	err = bg_stderr();
	HAS(err, "provider add was saved as ");
	HAS(err, "do not run it again");
	OK("bob", "--json", "provider", "show", "Full Disk House");
	HAS(err, cwt_str(&t, "id"));
}
