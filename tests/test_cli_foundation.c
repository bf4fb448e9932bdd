/* The command line as a user drives it: init, actors, usage errors, risk
 * score, rules files, audit verify, error output and exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

static void fini(void)
{
	cwt_teardown(&t);
}

/* The path of a file of config/ in the source tree. */
static const char *config_path(const char *name)
{
	static char path[4096];
	char *slash;

	snprintf(path, sizeof(path), "%s", __FILE__);
	slash = strrchr(path, '/');
	if (slash)
		slash[1] = '\0';
	else
		path[0] = '\0';
	strncat(path, "../config/", sizeof(path) - strlen(path) - 1);
	strncat(path, name, sizeof(path) - strlen(path) - 1);
	return path;
}

static bool exists(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0;
}

static int count_char(const char *s, char c)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == c;
	return n;
}

/* An error: stderr is exactly one line "carewatch: ...". */
static void one_error_line(void)
{
	cr_assert_eq(strncmp(t.err, "carewatch: ", 11), 0, "stderr: '%s'", t.err);
	cr_assert_eq(count_char(t.err, '\n'), 1, "stderr should be one line: '%s'", t.err);
	cr_assert_eq(t.err[strlen(t.err) - 1], '\n', "stderr: '%s'", t.err);
}

/* With --json: stdout is exactly one JSON object {"error": {code, message}}. */
static void json_error(const char *code)
{
	json_t *e, *j;
	json_error_t je;

	cr_assert_not_null(t.json, "stdout is not JSON: '%s'", t.out);
	/* exactly one value: strict parse of the whole text */
	j = json_loads(t.out, 0, &je);
	cr_assert_not_null(j, "stdout is not exactly one JSON value: %s: '%s'", je.text, t.out);
	json_decref(j);
	cr_assert(json_is_object(t.json));
	cr_assert_eq(json_object_size(t.json), 1, "only the error key: '%s'", t.out);
	e = json_object_get(t.json, "error");
	cr_assert(json_is_object(e), "'%s'", t.out);
	cr_assert_str_eq(json_string_value(json_object_get(e, "code")), code);
	cr_assert_not_null(json_string_value(json_object_get(e, "message")));
}

TestSuite(cli, .fini = fini);

Test(cli, init_creates_owner_only_db)
{
	struct stat sb;

	cwt_setup(&t, NULL);
	cr_assert_not(exists(t.db));
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 0, "%s", t.err);
	cr_assert_eq(stat(t.db, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600, "mode %o", (unsigned)(sb.st_mode & 0777));
	{
		char side[400];
		const char *suffix[] = { "-wal", "-shm" };
		size_t i;

		for (i = 0; i < 2; i++) {
			snprintf(side, sizeof(side), "%s%s", t.db, suffix[i]);
			if (stat(side, &sb) == 0)
				cr_assert_eq(sb.st_mode & 0777, 0600, "%s mode %o", side,
					(unsigned)(sb.st_mode & 0777));
		}
	}
}

Test(cli, init_is_idempotent_and_makes_actor_admin)
{
	json_t *u;

	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_count(&t, "users"), 1);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "user", "list", NULL), 0, "%s", t.err);
	cr_assert(json_is_array(t.json), "'%s'", t.out);
	cr_assert_eq(json_array_size(t.json), 1);
	u = json_array_get(t.json, 0);
	cr_assert_str_eq(json_string_value(json_object_get(u, "name")), "alice");
	cr_assert_eq(json_array_size(json_object_get(u, "roles")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(u, "roles"), 0)), "admin");
	{
		long audit = cwt_count(&t, "audit");

		cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 0, "second init: %s", t.err);
		cr_assert_eq(cwt_count(&t, "users"), 1, "init must not add users again");
		cr_assert_eq(cwt_count(&t, "audit"), audit, "a no-op init writes nothing");
		cr_assert_eq(cwt_run(&t, "alice", "--json", "init", NULL), 0, "%s", t.err);
		cr_assert_str_eq(cwt_str(&t, "actor"), "alice");
	}
	/* the admin may add users */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "bob", "--role", "qa", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_count(&t, "users"), 2);
}

Test(cli, init_by_another_non_user_refused)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "mallory", "init", NULL), 5, "out: %s err: %s", t.out, t.err);
	one_error_line();
	cr_assert_eq(cwt_count(&t, "users"), 1);
}

Test(cli, non_user_refused)
{
	long audit;

	cwt_setup(&t, "alice");
	audit = cwt_count(&t, "audit");
	cr_assert_eq(cwt_run(&t, "mallory", "user", "list", NULL), 5, "%s", t.err);
	one_error_line();
	cr_assert_not_null(strstr(t.err, "mallory"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "mallory", "--json", "audit", "verify", NULL), 5);
	json_error("forbidden");
	cr_assert_eq(cwt_run(&t, "mallory", "user", "add", "eve", "--role", "admin", NULL), 5);
	cr_assert_eq(cwt_count(&t, "users"), 1);
	cr_assert_eq(cwt_count(&t, "audit"), audit);
	/* names are compared without regard to case */
	cr_assert_eq(cwt_run(&t, "ALICE", "user", "list", NULL), 0, "%s", t.err);
}

/*
 * SPEC §7: once the database exists, "an actor that is not a user is
 * refused (exit 5) for every command but --help/--version". The commands
 * that need no database (rules show, risk score) ran for anyone.
 * (If that is intended, the spec needs an exception and this test goes.)
 */
Test(cli, non_user_refused_for_commands_without_db)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "mallory", "risk", "score", "4", "4", NULL), 5, "out %s", t.out);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "mallory", "rules", "show", NULL), 5);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "risk", "score", "4", "4", NULL), 0, "%s", t.err);
}

Test(cli, help_needs_no_user_and_no_db)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "nobody", "--help", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, "usage"), "%s", t.out);
	cr_assert_eq(cwt_run(&t, "nobody", "user", "list", "--help", NULL), 0, "%s", t.err);
	cr_assert_neq(strlen(t.out), 0);
	cr_assert_eq(cwt_run(&t, "nobody", "user", "add", "--help", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, "--role"), "%s", t.out);
	cr_assert_eq(cwt_run(&t, "nobody", "user", "--help", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "nobody", "audit", "verify", "--help", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "nobody", "--version", NULL), 0, "%s", t.err);
	cr_assert_not(exists(t.db), "--help must not create the database");
	/* and with a database, for a non-user */
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 0);
	cr_assert_eq(cwt_run(&t, "nobody", "user", "list", "--help", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "nobody", "--version", NULL), 0, "%s", t.err);
}

Test(cli, user_add_errors_write_nothing)
{
	long users, audit;

	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "Bob", "--role", "qa", NULL), 0, "%s", t.err);
	users = cwt_count(&t, "users");
	audit = cwt_count(&t, "audit");

	/* duplicate in another case: refused by a rule */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "bOB", "--role", "qa", NULL), 4);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "--json", "user", "add", "BOB", "--role", "qa", NULL), 4);
	json_error("refused");
	/* unknown role */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dave", "--role", "wizard", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dave", "--role", "qa,wizard", NULL), 2);
	/* missing required option, missing name */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dave", NULL), 2);
	one_error_line();
	cr_assert_not_null(strstr(t.err, "--role"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "--role", "qa", NULL), 2);
	one_error_line();
	/* repeated option */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dave", "--role", "qa", "--role", "qa", NULL), 2);
	one_error_line();
	/* unknown option */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dave", "--role", "qa", "--colour", "red", NULL), 2);
	one_error_line();
	/* bad names */
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "", "--role", "qa", NULL), 2);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "da\tve", "--role", "qa", NULL), 2);
	/* not an admin */
	cr_assert_eq(cwt_run(&t, "Bob", "user", "add", "dave", "--role", "qa", NULL), 5);
	one_error_line();
	cr_assert_eq(cwt_count(&t, "users"), users, "nothing written");
	cr_assert_eq(cwt_count(&t, "audit"), audit, "nothing written");
}

/* SPEC §8: names unique without regard to case, beyond ASCII too. */
Test(cli, duplicate_non_ascii_name_other_case_refused)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "Zo\u00eb", "--role", "qa", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "ZO\u00cb", "--role", "qa", NULL), 4,
		"ZO\u00cb duplicates Zo\u00eb: %s", t.out);
	cr_assert_eq(cwt_count(&t, "users"), 2);
}

Test(cli, usage_errors)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "frobnicate", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "user", "frobnicate", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "user", "list", "--bogus", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "user", "list", "-x", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "user", "list", "extra", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "--bogus", "user", "list", NULL), 2);
	one_error_line();
	/* a global option given twice */
	cr_assert_eq(cwt_run(&t, "alice", "--as", "alice", "user", "list", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "--today", "2026-01-01", "--today", "2026-01-02",
		"user", "list", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "--json", "frobnicate", NULL), 2);
	json_error("invalid");
}

Test(cli, risk_score)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "4", "4", NULL), 0, "%s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "score")), 16, "%s", t.out);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "3", "3", NULL), 0, "%s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "score")), 9);
	cr_assert_str_eq(cwt_str(&t, "band"), "amber");
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "1", "3", NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "band"), "green");
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "2", "3", NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "band"), "yellow");
	/* text output */
	cr_assert_eq(cwt_run(&t, NULL, "risk", "score", "4", "4", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, "16"), "%s", t.out);
	cr_assert_not_null(strstr(t.out, "red"), "%s", t.out);
	cr_assert_not(exists(t.db), "risk score needs no database");
}

Test(cli, risk_score_out_of_range)
{
	static const char *const bad[][2] = {
		{ "0", "3" }, { "5", "1" }, { "1", "5" }, { "1", "0" }, { "-1", "2" },
		{ "x", "1" }, { "1", "x" }, { "99999999999999999999", "1" }, { "4294967297", "1" },
		{ "", "1" }, { "2.5", "1" }, { "+2", "1" }, { " 2", "1" }, { "2 ", "1" }, { "0x2", "1" },
	};
	size_t i;

	cwt_setup(&t, NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(cwt_run(&t, NULL, "risk", "score", bad[i][0], bad[i][1], NULL), 2,
			"risk score '%s' '%s': out %s", bad[i][0], bad[i][1], t.out);
		one_error_line();
		cr_assert_eq(strlen(t.out), 0, "nothing on stdout: '%s'", t.out);
		cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", bad[i][0], bad[i][1], NULL), 2);
		json_error("invalid");
		one_error_line();
	}
	cr_assert_eq(cwt_run(&t, NULL, "risk", "score", "4", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, NULL, "risk", "score", "4", "4", "4", NULL), 2);
	one_error_line();
}

Test(cli, nhs_rules_file)
{
	cwt_setup(&t, NULL);
	t.config = config_path("nhs-5x5.cfg");
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "5", "5", NULL), 0, "%s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "score")), 25);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "4", "3", NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "band"), "amber");
	cr_assert_eq(cwt_run(&t, NULL, "risk", "score", "6", "1", NULL), 2);
	/* --config on the command line, the same */
	t.config = NULL;
	cr_assert_eq(cwt_run(&t, NULL, "--json", "--config", config_path("nhs-5x5.cfg"),
		"risk", "score", "5", "5", NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	/* and without it, 5 is out of range */
	cr_assert_eq(cwt_run(&t, NULL, "risk", "score", "5", "5", NULL), 2);
}

Test(cli, broken_rules_file_stops_everything)
{
	const char *cfg;
	char want[400];

	cwt_setup(&t, NULL);
	cfg = cwt_file(&t, "broken.cfg", "# rules\nflags = {\n  repeated_concerns = { count = ; };\n};\n");
	t.config = cfg;
	snprintf(want, sizeof(want), "%s:3", cfg);
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 2, "%s", t.err);
	one_error_line();
	cr_assert_not_null(strstr(t.err, want), "'%s' should contain '%s'", t.err, want);
	cr_assert_not(exists(t.db), "nothing runs: the database is not created");
	cr_assert_eq(cwt_run(&t, "alice", "risk", "score", "1", "1", NULL), 2);
	one_error_line();
	cr_assert_eq(strlen(t.out), 0);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "risk", "score", "1", "1", NULL), 2);
	json_error("invalid");

	/* a file that parses but says something wrong */
	t.config = cwt_file(&t, "unknown.cfg", "\n\ncolour = 1;\n");
	snprintf(want, sizeof(want), "%s:3", t.config);
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 2);
	one_error_line();
	cr_assert_not_null(strstr(t.err, want), "'%s' should contain '%s'", t.err, want);
	cr_assert_not(exists(t.db));

	/* a file that cannot be read */
	t.config = "/nonexistent/carewatch.cfg";
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 2);
	one_error_line();
	cr_assert_not(exists(t.db));
}

Test(cli, broken_rules_file_on_existing_db_writes_nothing)
{
	long audit;

	cwt_setup(&t, "alice");
	audit = cwt_count(&t, "audit");
	t.config = cwt_file(&t, "bad.cfg", "guards = { close_no_red = \"maybe\"; };\n");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "bob", "--role", "qa", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_count(&t, "users"), 1);
	cr_assert_eq(cwt_count(&t, "audit"), audit);
}

Test(cli, bad_today)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "--today", "2026-02-30", "user", "list", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "--today", "2026-02-30", "risk", "score", "1", "1", NULL), 2);
	one_error_line();
	t.today = "26-11-22";
	cr_assert_eq(cwt_run(&t, "alice", "user", "list", NULL), 2);
	one_error_line();
	t.today = "2026-11-22";
	cr_assert_eq(cwt_run(&t, "alice", "--today", "2026-02-28", "user", "list", NULL), 0, "%s", t.err);
}

Test(cli, rules_show_json)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, NULL, "--json", "rules", "show", NULL), 0, "%s", t.err);
	cr_assert(json_is_object(t.json), "not JSON: %.200s", t.out);
	cr_assert(json_is_object(json_object_get(t.json, "matrix")));
	cr_assert(json_is_object(json_object_get(t.json, "bands")));
	cr_assert(json_is_object(json_object_get(t.json, "permissions")));
	cr_assert_eq(cwt_run(&t, NULL, "rules", "show", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, "Almost certain"), "%.300s", t.out);
	/* with the NHS file: 5 labels */
	t.config = config_path("nhs-5x5.cfg");
	cr_assert_eq(cwt_run(&t, NULL, "--json", "rules", "show", NULL), 0, "%s", t.err);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(t.json, "matrix"),
		"likelihood")), 5);
}

Test(cli, audit_verify)
{
	long audit;

	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert(json_is_true(json_object_get(t.json, "ok")), "%s", t.out);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "entries")), cwt_count(&t, "audit"));
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "bob", "--role", "viewer", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);

	audit = cwt_count(&t, "audit");
	cr_assert_eq(cwt_sql(&t, "UPDATE audit SET details='{}' WHERE seq=1"), 0);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 4, "out %s err %s", t.out, t.err);
	one_error_line();
	cr_assert_not_null(strstr(t.err, "entry 1"), "names the entry: %s", t.err);
	cr_assert_eq(cwt_run(&t, "bob", "--json", "audit", "verify", NULL), 4);
	json_error("refused");
	cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(t.json,
		"error"), "message")), "entry 1"), "%s", t.out);
	cr_assert_eq(cwt_count(&t, "audit"), audit);
}

Test(cli, audit_list)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", NULL), 0, "%s", t.err);
	cr_assert(json_is_array(t.json), "%s", t.out);
	cr_assert_eq((long)json_array_size(t.json), cwt_count(&t, "audit"));
	cr_assert_eq(cwt_run(&t, "alice", "audit", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, "db.init"), "%s", t.out);
}

Test(cli, missing_db_is_not_created_by_other_commands)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "alice", "user", "list", NULL), 2, "%s", t.err);
	one_error_line();
	cr_assert_not_null(strstr(t.err, "init"), "tells the user to run init: %s", t.err);
	cr_assert_not(exists(t.db));
}

/*
 * SPEC §8: "Errors: one line on stderr". User text echoed in a message
 * (here a likelihood, a role, a command name with a line break in it) must
 * not break the message over several lines.
 */
Test(cli, error_is_one_line_even_with_newlines_in_input)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "risk", "score", "1\n2", "1", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dave", "--role", "qa\nadmin", NULL), 2);
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "frob\nnicate", NULL), 2);
	one_error_line();
}

/*
 * SPEC §8: with --json, an error is exactly one JSON value on stdout. User
 * text that is not UTF-8, echoed in the message, must not make the error
 * object unprintable (stdout was empty).
 */
Test(cli, json_error_printed_for_non_utf8_input)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "--json", "risk", "score", "\xff", "1", NULL), 2);
	json_error("invalid");
	one_error_line();
	cr_assert_eq(cwt_run(&t, "alice", "--json", "user", "add", "dave", "--role", "q\xff" "a", NULL), 2);
	json_error("invalid");
	cr_assert_eq(cwt_run(&t, "alice", "--json", "fr\xffob", NULL), 2);
	json_error("invalid");
}

/*
 * SPEC §8/§11: a rules file that cannot be read is invalid input, reported
 * as "carewatch: ..." (exit 2). A directory given as the rules file made
 * libconfig's scanner print "input in flex scanner failed" and exit(2)
 * from inside the library: no "carewatch:" line, no JSON error object.
 */
Test(cli, rules_file_that_is_a_directory)
{
	cwt_setup(&t, NULL);
	t.config = t.dir;
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 2, "%s", t.err);
	one_error_line();
	cr_assert_not(exists(t.db));
	cr_assert_eq(cwt_run(&t, NULL, "--json", "risk", "score", "1", "1", NULL), 2);
	json_error("invalid");
}

/* SPEC §8: a usage error (no command at all) is one line on stderr too. */
Test(cli, no_command_is_one_error_line)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, NULL, NULL), 2);
	one_error_line();
}

/*
 * `init` makes the acting user the first admin: a name that `user add`
 * refuses (control characters) must not get in that way either.
 */
Test(cli, init_refuses_invalid_actor_name)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "ali\tce", "init", NULL), 2, "out %s err %s", t.out, t.err);
	one_error_line();
}

/* Not UTF-8: init failed with exit 1 ("cannot encode an audit entry"), an
 * internal failure, for what is invalid input (exit 2). */
Test(cli, init_refuses_non_utf8_actor_name)
{
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "ali\xff" "ce", "init", NULL), 2, "out %s err %s", t.out, t.err);
	one_error_line();
}

/* Longer than any name `user add` accepts (CW_NAME_MAX, 200 bytes). */
Test(cli, init_refuses_overlong_actor_name)
{
	char name[301];

	memset(name, 'a', 300);
	name[300] = '\0';
	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, name, "init", NULL), 2, "err %s", t.err);
	one_error_line();
}
