/*
 * Hostile input, as a table: each row is one invocation of the built binary
 * and the exit code it must give.
 *
 * Error rows (exit 2-5) must fail the way SPEC §8 says: exactly one line on
 * stderr starting "carewatch: ", nothing on stdout, nothing written (the
 * audit trail and the entity tables keep their row counts) and, with
 * --json, stdout is exactly one JSON value {"error": {"code", "message"}}
 * whose code matches the exit code.
 *
 * Success rows hold text that looks dangerous (SQL, shell, printf
 * metacharacters) but is valid: it must be stored literally and read back
 * unchanged, and the tables it names must still be there.
 *
 * Placeholders in a row, filled in at run time:
 *   @BIG     the longest single argument Linux passes to a program
 *            (MAX_ARG_STRLEN - 1 = 131071 bytes). A 2 MB string cannot be
 *            one argv word (execve fails with E2BIG), so the 2 MB summary
 *            and name come in through import files (@CSV2MB_*).
 *   @NAME200 / @TEXT20000   exactly the longest name and text allowed,
 *   @NAME201 / @TEXT20001   one byte more
 *   @CID     the id of a concern logged in setup
 *   @ID      (read-back only) the id the row's own command printed
 *   @VAL     (read-back only) the row's literal
 *   other @WORDS name scratch files and directories made in setup
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <criterion/criterion.h>
#include "cwtest.h"

#define MAX_ARGS 24
#define BIG_LEN 131071

struct row {
	const char *what;
	int code;
	const char *as;                 /* acting user (--as); NULL: none given */
	const char *config;             /* CAREWATCH_CONFIG, or NULL */
	const char *argv[MAX_ARGS];
	/* success rows: the key of the JSON output that must hold `literal` */
	const char *key;
	const char *literal;
	/* and a command that reads it back (the same key must hold it there) */
	const char *back[8];
};

/* An error row: exit code, actor, rules file, what it is, then the argv. */
#define E(code_, as_, config_, what_, ...) \
	{ .what = what_, .code = code_, .as = as_, .config = config_, .argv = { __VA_ARGS__ } }
/* concern log with the options that are fine, and the ones under test */
#define LOG_OK_BUT(...) "--provider", "Elm House", "--source", "monitoring_visit", \
	"--team", "commissioning", __VA_ARGS__

static const struct row rows[] = {
	/* --- the command line itself --- */
	E(2, "alice", NULL, "no command", NULL),
	E(2, "alice", NULL, "unknown command", "frobnicate"),
	E(2, "alice", NULL, "unknown subcommand", "provider", "delete", "Elm House"),
	E(2, "alice", NULL, "--db given twice", "--db", "a.db", "--db", "b.db", "user", "list"),
	E(2, NULL, NULL, "--as with an empty value", "--as", "", "user", "list"),
	E(2, "alice", NULL, "--today is an impossible date", "--today", "2026-02-30", "user", "list"),
	E(2, "alice", NULL, "--db is a directory", "--db", "@DIR", "user", "list"),
	E(2, "alice", NULL, "--db is not a database", "--db", "@GARBAGE", "user", "list"),
	E(5, "mallory", NULL, "actor is not a user", "provider", "list"),
	E(5, "carol\xc0\x80x", NULL, "actor name is not UTF-8", "provider", "list"),
	E(2, "alice", NULL, "init with an argument", "init", "now"),

	/* --- users --- */
	E(2, "alice", NULL, "user add without --role", "user", "add", "zed"),
	E(2, "alice", NULL, "user add with --role twice", "user", "add", "zed", "--role", "qa", "--role", "viewer"),
	E(2, "alice", NULL, "user add with an unknown role", "user", "add", "zed", "--role", "superuser"),
	E(2, "alice", NULL, "user add with an empty name", "user", "add", "", "--role", "viewer"),
	E(2, "alice", NULL, "user add with a control character", "user", "add", "ze\x01" "d", "--role", "viewer"),
	E(2, "alice", NULL, "user add with a 128 KiB name", "user", "add", "@BIG", "--role", "viewer"),
	E(2, "alice", NULL, "user add with bytes that are not UTF-8", "user", "add", "z\xff\xfe" "d", "--role", "viewer"),
	E(5, "vic", NULL, "user add by a viewer", "user", "add", "zed", "--role", "admin"),
	E(2, "alice", NULL, "user list with an argument", "user", "list", "everyone"),

	/* --- commissioners --- */
	E(2, "alice", NULL, "commissioner add without a name", "commissioner", "add"),
	E(2, "alice", NULL, "commissioner add with an unknown kind", "commissioner", "add", "X", "--kind", "county"),
	E(2, "alice", NULL, "commissioner add --lead=yes", "commissioner", "add", "X", "--lead=yes"),
	E(4, "alice", NULL, "commissioner add, a duplicate in another case", "commissioner", "add", "COUNTY"),
	E(2, "alice", NULL, "commissioner list --bogus", "commissioner", "list", "--bogus"),

	/* --- providers --- */
	E(2, "carol", NULL, "provider add without --type", "provider", "add", "Ash Court"),
	E(2, "carol", NULL, "provider add with an unknown type", "provider", "add", "Ash Court", "--type", "castle"),
	E(2, "carol", NULL, "provider add with an empty name", "provider", "add", "", "--type", "other"),
	E(2, "carol", NULL, "provider add with a blank name", "provider", "add", "   ", "--type", "other"),
	E(2, "carol", NULL, "provider add with a newline in the name", "provider", "add", "Ash\nCourt", "--type", "other"),
	E(2, "carol", NULL, "provider add with a 128 KiB name", "provider", "add", "@BIG", "--type", "other"),
	E(2, "carol", NULL, "provider add with a 201-byte name", "provider", "add", "@NAME201", "--type", "other"),
	E(2, "carol", NULL, "provider add with bytes that are not UTF-8", "provider", "add", "Ash \xed\xa0\x80 Court", "--type", "other"),
	E(4, "carol", NULL, "provider add, a duplicate in another case", "provider", "add", "ELM HOUSE", "--type", "other"),
	E(5, "vic", NULL, "provider add by a viewer", "provider", "add", "Ash Court", "--type", "other"),
	E(3, "carol", NULL, "provider add with an unknown commissioner", "provider", "add", "Ash Court", "--type", "other", "--commissioner", "Nowhere"),
	E(2, "carol", NULL, "provider add with two names", "provider", "add", "Ash", "Court", "--type", "other"),
	E(3, "vic", NULL, "provider show of an unknown provider", "provider", "show", "Nowhere House"),
	E(3, "vic", NULL, "provider show with SQL in the name", "provider", "show", "' OR '1'='1"),
	E(3, "vic", NULL, "provider show with an overlong NUL after the name", "provider", "show", "Elm House\xc0\x80" "x"),
	E(2, "vic", NULL, "provider show with an empty name", "provider", "show", ""),
	E(2, "vic", NULL, "provider show without a name", "provider", "show"),
	E(2, "vic", NULL, "provider list with an argument", "provider", "list", "all"),

	/* --- concern log: options --- */
	E(2, "carol", NULL, "concern log without --summary", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2")),
	E(2, "carol", NULL, "concern log with --likelihood twice", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--likelihood", "3", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "concern log with an unknown option", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--urgent")),
	E(2, "carol", NULL, "concern log with a positional word", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "extra")),
	E(2, "carol", NULL, "concern log with an option missing its value", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary")),
	/* --- concern log: numbers --- */
	E(2, "carol", NULL, "likelihood 0", "concern", "log", LOG_OK_BUT("--likelihood", "0", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood 5 on a 4x4 matrix", "concern", "log", LOG_OK_BUT("--likelihood", "5", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood -1", "concern", "log", LOG_OK_BUT("--likelihood", "-1", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood abc", "concern", "log", LOG_OK_BUT("--likelihood", "abc", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood 3.5", "concern", "log", LOG_OK_BUT("--likelihood", "3.5", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood 0x3", "concern", "log", LOG_OK_BUT("--likelihood", "0x3", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood with a leading space", "concern", "log", LOG_OK_BUT("--likelihood", " 3", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood with a trailing newline", "concern", "log", LOG_OK_BUT("--likelihood", "3\n", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood that overflows", "concern", "log", LOG_OK_BUT("--likelihood", "99999999999999999999", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "likelihood that wraps to 3 in 32 bits", "concern", "log", LOG_OK_BUT("--likelihood", "4294967299", "--impact", "2", "--summary", "s")),
	E(2, "carol", NULL, "impact that overflows negatively", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "-99999999999999999999", "--summary", "s")),
	E(2, "carol", NULL, "impact empty", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "", "--summary", "s")),
	/* --- concern log: dates, enums, text --- */
	E(2, "carol", NULL, "received 2026-02-30", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--received", "2026-02-30")),
	E(2, "carol", NULL, "received 2026-13-01", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--received", "2026-13-01")),
	E(2, "carol", NULL, "received 2026-1-1", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--received", "2026-1-1")),
	E(2, "carol", NULL, "received 2026-01-01T00:00", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--received", "2026-01-01T00:00")),
	E(2, "carol", NULL, "received 0000-01-01", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--received", "0000-01-01")),
	E(2, "carol", NULL, "unknown source", "concern", "log", "--provider", "Elm House", "--source", "rumour", "--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "s"),
	E(2, "carol", NULL, "unknown team", "concern", "log", "--provider", "Elm House", "--source", "complaint", "--team", "COMMISSIONING", "--likelihood", "2", "--impact", "2", "--summary", "s"),
	E(2, "carol", NULL, "summary of 128 KiB", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "@BIG")),
	E(2, "carol", NULL, "summary one byte over the limit", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "@TEXT20001")),
	E(2, "carol", NULL, "summary that is not UTF-8", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "caf\xe9 au lait")),
	E(2, "carol", NULL, "summary with a terminal escape", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "ok\x1b[2J\x1b[31mred")),
	E(2, "carol", NULL, "summary empty", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "")),
	E(2, "carol", NULL, "summary blank", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", " \t\n ")),
	E(2, "carol", NULL, "category with a newline", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--category", "staff\ning")),
	E(3, "carol", NULL, "unknown provider", "concern", "log", "--provider", "Nowhere House", "--source", "complaint", "--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "s"),
	E(3, "carol", NULL, "provider named with an overlong NUL", "concern", "log", "--provider", "Elm House\xc0\x80" "junk", "--source", "complaint", "--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "s"),
	E(2, "sam", NULL, "pova_referral without --pova-ref", "concern", "log", "--provider", "Elm House", "--source", "pova_referral", "--team", "safeguarding", "--likelihood", "2", "--impact", "2", "--summary", "s", "--subject", "SU-1"),
	E(2, "carol", NULL, "--pova-ref on a monitoring visit", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--pova-ref", "P-1", "--subject", "SU-1")),
	E(5, "vic", NULL, "concern log by a viewer", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s")),

	/* --- concern positive / list / show / rate / resolve --- */
	E(2, "carol", NULL, "positive without --team", "concern", "positive", "--provider", "Elm House", "--summary", "good"),
	E(2, "carol", NULL, "positive with a likelihood", "concern", "positive", "--provider", "Elm House", "--team", "commissioning", "--summary", "good", "--likelihood", "2"),
	E(3, "carol", NULL, "positive about an unknown provider", "concern", "positive", "--provider", "Nowhere", "--team", "commissioning", "--summary", "good"),
	E(2, "vic", NULL, "list with an unknown band", "concern", "list", "--band", "purple"),
	E(3, "vic", NULL, "list of an unknown provider", "concern", "list", "--provider", "Nowhere"),
	E(2, "vic", NULL, "list --open=yes", "concern", "list", "--open=yes"),
	E(3, "vic", NULL, "show of an unknown id", "concern", "show", "ffffffff"),
	E(3, "vic", NULL, "show with SQL as the id", "concern", "show", "' OR 1=1 --"),
	E(3, "vic", NULL, "show with a LIKE wildcard as the id", "concern", "show", "%%%%"),
	E(2, "vic", NULL, "show without an id", "concern", "show"),
	E(4, "carol", NULL, "rate changing the impact", "concern", "rate", "@CID", "--likelihood", "1", "--impact", "1"),
	E(2, "carol", NULL, "rate without --likelihood", "concern", "rate", "@CID"),
	E(2, "carol", NULL, "rate to likelihood 9", "concern", "rate", "@CID", "--likelihood", "9"),
	E(2, "carol", NULL, "rate with a non-numeric likelihood", "concern", "rate", "@CID", "--likelihood", "high"),
	E(3, "carol", NULL, "rate an unknown concern", "concern", "rate", "0000dead", "--likelihood", "1"),
	E(5, "vic", NULL, "rate by a viewer", "concern", "rate", "@CID", "--likelihood", "1"),
	E(2, "carol", NULL, "resolve without --note", "concern", "resolve", "@CID"),
	E(2, "carol", NULL, "resolve with an empty note", "concern", "resolve", "@CID", "--note", ""),
	E(2, "carol", NULL, "resolve with a 128 KiB note", "concern", "resolve", "@CID", "--note", "@BIG"),
	E(5, "vic", NULL, "resolve by a viewer", "concern", "resolve", "@CID", "--note", "done"),

	/* --- risk score, rules show, audit --- */
	E(2, "vic", NULL, "risk score off the matrix", "risk", "score", "5", "1"),
	E(2, "vic", NULL, "risk score that overflows", "risk", "score", "99999999999999999999", "1"),
	E(2, "vic", NULL, "risk score of words", "risk", "score", "high", "low"),
	E(2, "vic", NULL, "risk score with one number", "risk", "score", "1"),
	E(2, "vic", NULL, "risk score with three numbers", "risk", "score", "1", "2", "3"),
	E(2, "vic", "@RULES_LIST_AS_INT", "rules file: a list given a number", "rules", "show"),
	E(2, "vic", "@RULES_INT_AS_STRING", "rules file: a number given a string", "rules", "show"),
	E(2, "vic", "@RULES_INT_AS_FLOAT", "rules file: a whole number given a fraction", "rules", "show"),
	E(2, "vic", "@RULES_UNKNOWN", "rules file: an unknown setting", "rules", "show"),
	E(2, "vic", "@RULES_SYNTAX", "rules file: a syntax error", "rules", "show"),
	E(2, "vic", "@RULES_GAP", "rules file: bands leave a gap", "rules", "show"),
	E(2, "vic", "@RULES_PERM", "rules file: an unknown permission", "rules", "show"),
	E(2, "vic", "@DIR", "rules file: a directory", "rules", "show"),
	E(2, "vic", "@MISSING", "rules file: missing", "rules", "show"),
	E(2, "vic", "@RULES_INCLUDE_DIR", "rules file: @include of a directory", "rules", "show"),
	E(2, "vic", NULL, "rules file via --config: wrong type", "--config", "@RULES_LIST_AS_INT", "provider", "list"),
	E(2, "carol", "@RULES_INT_AS_STRING", "a bad rules file stops a write", "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s")),
	E(2, "vic", NULL, "rules show with an argument", "rules", "show", "all"),
	E(2, "alice", NULL, "audit with a 128 KiB entity", "audit", "--entity", "@BIG"),
	E(2, "alice", NULL, "audit verify with an argument", "audit", "verify", "now"),
	E(2, "alice", NULL, "audit with an unknown option", "audit", "--since", "2026-01-01"),

	/* --- import: the 2 MB summary and name --- */
	E(2, "alice", NULL, "import of a 2 MB summary", "import", "concerns", "@CSV2MB_SUMMARY"),
	E(2, "alice", NULL, "import of a 2 MB provider name", "import", "providers", "@CSV2MB_NAME"),
	E(2, "alice", NULL, "import of a missing file", "import", "concerns", "@MISSING"),
	E(2, "alice", NULL, "import of a directory", "import", "concerns", "@DIR"),

	/* --- valid but dangerous-looking text: stored literally --- */
	{ .what = "SQL in a provider name", .as = "carol",
		.argv = { "provider", "add", "x'); DROP TABLE providers;--", "--type", "other", NULL },
		.key = "name", .literal = "x'); DROP TABLE providers;--",
		.back = { "provider", "show", "@VAL", NULL } },
	{ .what = "shell metacharacters in a provider name", .as = "carol",
		.argv = { "provider", "add", "$(rm -rf ~) `id` | & ; < > * ? ~ #!", "--type", "other", NULL },
		.key = "name", .literal = "$(rm -rf ~) `id` | & ; < > * ? ~ #!",
		.back = { "provider", "show", "@VAL", NULL } },
	{ .what = "printf directives and quotes in a provider name", .as = "carol",
		.argv = { "provider", "add", "O'Brien \"Care\" \\ %s%n%x %%", "--type", "other", NULL },
		.key = "name", .literal = "O'Brien \"Care\" \\ %s%n%x %%",
		.back = { "provider", "show", "@ID", NULL } },
	{ .what = "a name that starts with a dash, after --", .as = "carol",
		.argv = { "provider", "add", "--type", "other", "--", "-Dash Lodge", NULL },
		.key = "name", .literal = "-Dash Lodge",
		.back = { "provider", "show", "@ID", NULL } },
	{ .what = "Welsh and accented letters", .as = "carol",
		.argv = { "provider", "add", "T\xc5\xb7 Derw \xe2\x80\x94 Zo\xc3\xab's", "--type", "other", NULL },
		.key = "name", .literal = "T\xc5\xb7 Derw \xe2\x80\x94 Zo\xc3\xab's",
		.back = { "provider", "show", "T\xc5\xb6 DERW \xe2\x80\x94 ZO\xc3\x8b'S", NULL } },
	{ .what = "a name of exactly 200 bytes", .as = "carol",
		.argv = { "provider", "add", "@NAME200", "--type", "other", NULL },
		.key = "name", .literal = "@NAME200",
		.back = { "provider", "show", "@VAL", NULL } },
	{ .what = "SQL in a regulator id", .as = "carol",
		.argv = { "provider", "add", "Birch Court", "--type", "other", "--regulator-id", "1-1'; UPDATE users SET roles='admin';--", NULL },
		.key = "regulator_id", .literal = "1-1'; UPDATE users SET roles='admin';--",
		.back = { "provider", "show", "Birch Court", NULL } },
	{ .what = "SQL in a summary", .as = "carol",
		.argv = { "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "'; DELETE FROM audit; --") },
		.key = "summary", .literal = "'; DELETE FROM audit; --",
		.back = { "concern", "show", "@ID", NULL } },
	{ .what = "newlines and tabs in a summary", .as = "carol",
		.argv = { "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "line one\n\tline two\nline three") },
		.key = "summary", .literal = "line one\n\tline two\nline three",
		.back = { "concern", "show", "@ID", NULL } },
	{ .what = "a summary of exactly 20000 bytes", .as = "carol",
		.argv = { "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "@TEXT20000") },
		.key = "summary", .literal = "@TEXT20000",
		.back = { "concern", "show", "@ID", NULL } },
	{ .what = "SQL in a category", .as = "carol",
		.argv = { "concern", "log", LOG_OK_BUT("--likelihood", "2", "--impact", "2", "--summary", "s", "--category", "staffing' OR '1'='1") },
		.key = "category", .literal = "staffing' OR '1'='1",
		.back = { "concern", "show", "@ID", NULL } },
	{ .what = "SQL in a user name", .as = "alice",
		.argv = { "user", "add", "bobby'); DROP TABLE users;--", "--role", "viewer", NULL },
		.key = "name", .literal = "bobby'); DROP TABLE users;--",
		.back = { "user", "list", NULL } },
	{ .what = "printf directives in a commissioner name", .as = "alice",
		.argv = { "commissioner", "add", "%s%s%s%n Health Board", "--kind", "health_board", NULL },
		.key = "name", .literal = "%s%s%s%n Health Board",
		.back = { "commissioner", "list", NULL } },
	{ .what = "SQL in a resolve note", .as = "carol",
		.argv = { "concern", "resolve", "@CID", "--note", "done'); DROP TABLE concerns;--", NULL },
		.key = "resolve_note", .literal = "done'); DROP TABLE concerns;--",
		.back = { "concern", "show", "@ID", NULL } },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static cwt t;
static char *big, *name200, *name201, *text20000, *text20001;
static char cid[64];
static char dir_path[300], garbage_path[300], missing_path[300];

static const char *const written_tables[] = {
	"audit", "users", "commissioners", "providers", "concerns", "concern_ratings", NULL
};

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	cr_assert_not_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Scratch files the rows name by placeholder. */
static struct { const char *key; char *path; } files[16];
static size_t nfiles;

static void add_file(const char *key, const char *name, const char *content)
{
	cr_assert_lt(nfiles, sizeof(files) / sizeof(files[0]));
	files[nfiles].key = key;
	files[nfiles].path = strdup(cwt_file(&t, name, content));
	cr_assert_not_null(files[nfiles].path);
	nfiles++;
}

static void setup(void)
{
	static const char *const users[][2] = {
		{ "carol", "contracts" }, { "sam", "safeguarding" }, { "vic", "viewer" },
	};
	size_t i;
	char *csv, *cell;

	cwt_setup(&t, "alice");
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		cr_assert_eq(cwt_run(&t, "alice", "user", "add", users[i][0], "--role", users[i][1],
			NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "County", "--lead", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Elm House", "--type",
		"care_home_nursing", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "log", "--provider", "Elm House",
		"--source", "monitoring_visit", "--team", "commissioning", "--likelihood", "3",
		"--impact", "3", "--summary", "Medication records incomplete", NULL), 0, "%s", t.err);
	snprintf(cid, sizeof(cid), "%s", cwt_str(&t, "id"));
	cr_assert_eq(strlen(cid), 36);

	big = repeat('x', BIG_LEN);
	name200 = repeat('n', 200);
	name201 = repeat('n', 201);
	text20000 = repeat('t', 20000);
	text20001 = repeat('t', 20001);
	snprintf(dir_path, sizeof(dir_path), "%s/a-directory", t.dir);
	cr_assert_eq(mkdir(dir_path, 0700), 0);
	snprintf(missing_path, sizeof(missing_path), "%s/no-such-file", t.dir);
	snprintf(garbage_path, sizeof(garbage_path), "%s", cwt_file(&t, "garbage.db",
		"this is not an SQLite database, just text\n"));

	add_file("@RULES_LIST_AS_INT", "r1.cfg", "matrix = { likelihood = 4; };\n");
	add_file("@RULES_INT_AS_STRING", "r2.cfg",
		"flags = { repeated_concerns = { count = \"three\"; }; };\n");
	add_file("@RULES_INT_AS_FLOAT", "r3.cfg", "review_days = { red = 28.5; };\n");
	add_file("@RULES_UNKNOWN", "r4.cfg", "colour = \"red\";\n");
	add_file("@RULES_SYNTAX", "r5.cfg", "bands = { green = { min = 1 ;; \n");
	add_file("@RULES_GAP", "r6.cfg", "bands = { yellow = { min = 5; max = 6; }; };\n");
	add_file("@RULES_PERM", "r7.cfg", "permissions = { viewer = [ \"everything\" ]; };\n");
	{
		char inc[400];

		/* libconfig opens an @include'd path itself; a directory there must
		 * be refused like any bad rules file, not end the process. */
		snprintf(inc, sizeof(inc), "@include \"%s\"\n", dir_path);
		add_file("@RULES_INCLUDE_DIR", "r8.cfg", inc);
	}

	/* The 2 MB strings: a summary and a provider name in import files. */
	cell = repeat('s', 2 * 1024 * 1024);
	csv = malloc(strlen(cell) + 256);
	cr_assert_not_null(csv);
	sprintf(csv, "provider,source,team,likelihood,impact,summary\n"
		"Elm House,complaint,commissioning,2,2,%s\n", cell);
	add_file("@CSV2MB_SUMMARY", "big-summary.csv", csv);
	sprintf(csv, "name,type\n%s,other\n", cell);
	add_file("@CSV2MB_NAME", "big-name.csv", csv);
	free(csv);
	free(cell);
}

static void fini(void)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		free(files[i].path);
	nfiles = 0;
	free(big);
	free(name200);
	free(name201);
	free(text20000);
	free(text20001);
	cwt_teardown(&t);
}

TestSuite(hostile, .init = setup, .fini = fini);

static const char *fill(const char *a, const char *id, const char *val)
{
	size_t i;

	if (!a || a[0] != '@')
		return a;
	if (strcmp(a, "@BIG") == 0) return big;
	if (strcmp(a, "@NAME200") == 0) return name200;
	if (strcmp(a, "@NAME201") == 0) return name201;
	if (strcmp(a, "@TEXT20000") == 0) return text20000;
	if (strcmp(a, "@TEXT20001") == 0) return text20001;
	if (strcmp(a, "@CID") == 0) return cid;
	if (strcmp(a, "@DIR") == 0) return dir_path;
	if (strcmp(a, "@GARBAGE") == 0) return garbage_path;
	if (strcmp(a, "@MISSING") == 0) return missing_path;
	if (strcmp(a, "@ID") == 0 && id) return id;
	if (strcmp(a, "@VAL") == 0 && val) return val;
	for (i = 0; i < nfiles; i++)
		if (strcmp(a, files[i].key) == 0)
			return files[i].path;
	return a;
}

/* Run a row's argv (placeholders filled), optionally with --json first. */
static int run_row(const struct row *r, bool json)
{
	const char *args[MAX_ARGS + 2];
	int n = 0, i;

	t.config = fill(r->config, NULL, NULL);
	if (json)
		args[n++] = "--json";
	for (i = 0; r->argv[i]; i++)
		args[n++] = fill(r->argv[i], NULL, NULL);
	args[n] = NULL;
	return cwt_runv(&t, r->as, args);
}

static void counts(long out[])
{
	size_t i;

	for (i = 0; written_tables[i]; i++)
		out[i] = cwt_count(&t, written_tables[i]);
}

static const char *code_name(int code)
{
	static const char *const names[] = { "ok", "internal", "invalid", "not_found",
		"refused", "forbidden" };

	return code >= 0 && code <= 5 ? names[code] : "?";
}

/* Collect failures rather than stop at the first, so one run shows them all. */
static int failures;

#define EXPECT(cond, ...) do { \
		if (!(cond)) { \
			cr_log_error("row %zu '%s': " __VA_ARGS__); \
			failures++; \
			return; \
		} \
	} while (0)

static bool one_carewatch_line(const char *err)
{
	const char *nl = strchr(err, '\n');

	return strncmp(err, "carewatch: ", 11) == 0 && nl && nl[1] == '\0' && nl - err > 11;
}

static void check_error_row(size_t k, const struct row *r)
{
	long before[8], after[8];
	const json_t *e;
	size_t i;
	int code;

	counts(before);
	code = run_row(r, false);
	EXPECT(code == r->code, "exit %d, expected %d; stderr: %.300s", k, r->what, code, r->code, t.err);
	EXPECT(one_carewatch_line(t.err), "stderr is not one 'carewatch: ' line: '%.300s'", k,
		r->what, t.err);
	EXPECT(t.out[0] == '\0', "stdout is not empty on an error: '%.300s'", k, r->what, t.out);

	code = run_row(r, true);
	EXPECT(code == r->code, "with --json: exit %d, expected %d", k, r->what, code, r->code);
	EXPECT(one_carewatch_line(t.err), "with --json: stderr is not one 'carewatch: ' line: '%.300s'",
		k, r->what, t.err);
	EXPECT(t.json != NULL, "with --json: stdout is not exactly one JSON value: '%.300s'", k,
		r->what, t.out);
	EXPECT(json_is_object(t.json) && json_object_size(t.json) == 1,
		"with --json: not {\"error\": ...}: '%.300s'", k, r->what, t.out);
	e = json_object_get(t.json, "error");
	EXPECT(json_is_string(json_object_get(e, "code")) &&
		strcmp(json_string_value(json_object_get(e, "code")), code_name(r->code)) == 0,
		"with --json: error.code is not '%s': '%.300s'", k, r->what, code_name(r->code), t.out);
	EXPECT(json_is_string(json_object_get(e, "message")) &&
		*json_string_value(json_object_get(e, "message")),
		"with --json: error.message is missing: '%.300s'", k, r->what, t.out);

	counts(after);
	for (i = 0; written_tables[i]; i++)
		EXPECT(before[i] == after[i], "%s went from %ld to %ld rows", k, r->what,
			written_tables[i], before[i], after[i]);
}

/* The value at `key` of `j`, or of the element of array `j` that has it equal to `want`. */
static const char *find_value(const json_t *j, const char *key, const char *want)
{
	size_t i;
	const json_t *e;

	if (json_is_object(j))
		return json_string_value(json_object_get(j, key));
	json_array_foreach(j, i, e) {
		const char *s = json_string_value(json_object_get(e, key));

		if (s && strcmp(s, want) == 0)
			return s;
	}
	return NULL;
}

static void check_success_row(size_t k, const struct row *r)
{
	const char *want = fill(r->literal, NULL, NULL);
	const char *got, *args[10];
	char id[64];
	long audit_before = cwt_count(&t, "audit");
	int code, n = 0, i;

	code = run_row(r, true);
	EXPECT(code == 0, "exit %d, expected 0; stderr: %.300s", k, r->what, code, t.err);
	EXPECT(t.json != NULL, "stdout is not JSON: '%.300s'", k, r->what, t.out);
	got = find_value(t.json, r->key, want);
	EXPECT(got && strcmp(got, want) == 0, "%s came back as '%.100s'", k, r->what, r->key,
		got ? got : "(none)");
	snprintf(id, sizeof(id), "%s", cwt_str(&t, "id"));
	EXPECT(cwt_count(&t, "audit") > audit_before, "nothing was audited", k, r->what);

	/* Read it back from storage: the literal survives the round trip. */
	args[n++] = "--json";
	for (i = 0; r->back[i]; i++)
		args[n++] = fill(r->back[i], id, want);
	args[n] = NULL;
	code = cwt_runv(&t, "vic", args);
	EXPECT(code == 0, "read back: exit %d: %.300s", k, r->what, code, t.err);
	got = find_value(t.json, r->key, want);
	EXPECT(got && strcmp(got, want) == 0, "read back: %s is '%.100s'", k, r->what, r->key,
		got ? got : "(none)");
}

Test(hostile, every_row_of_the_table, .timeout = 300)
{
	size_t k, nerr = 0, nok = 0;

	cr_assert_geq(NROWS, 40);
	failures = 0;
	for (k = 0; k < NROWS; k++) {
		if (rows[k].code == 0) {
			check_success_row(k, &rows[k]);
			nok++;
		} else {
			check_error_row(k, &rows[k]);
			nerr++;
		}
	}
	t.config = NULL;
	cr_log_info("%zu error rows, %zu success rows, %d failed", nerr, nok, failures);
	cr_assert_eq(failures, 0, "%d of %zu rows failed (see the log above)", failures, NROWS);
}

/* After all of it, the tables the hostile names mention are still there and whole. */
Test(hostile, tables_survive_and_the_chain_verifies, .timeout = 300)
{
	size_t k;

	for (k = 0; k < NROWS; k++)
		run_row(&rows[k], true);
	t.config = NULL;
	for (k = 0; written_tables[k]; k++)
		cr_assert_geq(cwt_count(&t, written_tables[k]), 1, "%s is gone", written_tables[k]);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_sql(&t, "PRAGMA quick_check"), 0);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", "x'); DROP TABLE providers;--",
		NULL), 0, "%s", t.err);
}
