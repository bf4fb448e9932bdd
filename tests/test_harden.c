/*
 * Hardening of the command line's edges (issue 15): numbers, files and
 * output a hostile or unlucky environment gives carewatch.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
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
