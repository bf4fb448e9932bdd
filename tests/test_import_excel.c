/*
 * A council's own spreadsheet (issue 14): Excel's "CSV UTF-8" (a byte-order
 * mark, CRLF, a newline inside a quoted cell), UK dates, and the same file
 * imported twice.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s", t.code, t.err)
#define EXIT(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(hay, needle) cr_assert(strstr(hay, needle), "no '%s' in: %s", needle, hay)

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts,admin");
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_residential");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(import_excel, .init = setup, .fini = teardown, .timeout = 60);

static const char EXCEL[] =
	"\xEF\xBB\xBFprovider,source,team,likelihood,impact,summary,received\r\n"
	"Oakwood,complaint,commissioning,3,3,\"Call bell\r\nnot answered\",01/11/2026\r\n"
	"Oakwood,complaint,safeguarding,2,4,Meds late,2026-11-02\r\n";

Test(import_excel, a_bom_crlf_and_a_newline_in_a_cell_import)
{
	const char *f = cwt_file(&t, "excel.csv", EXCEL);

	OK("bob", "--json", "import", "concerns", f);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "imported")), 2, "%s", t.out);
	OK("bob", "--json", "concern", "show", "C-0001");
	cr_assert_str_eq(cwt_str(&t, "received"), "2026-11-01");
	HAS(cwt_str(&t, "summary"), "Call bell");
	HAS(cwt_str(&t, "summary"), "not answered");
}

Test(import_excel, uk_dates_are_read_and_an_impossible_one_is_named)
{
	/* cwt_file's path is a static buffer: each file is used before the next. */
	OK("bob", "--json", "import", "concerns", cwt_file(&t, "uk.csv",
		"provider,source,team,likelihood,impact,summary,received\n"
		"Oakwood,complaint,commissioning,3,3,late,28/02/2026\n"));
	OK("bob", "--json", "concern", "show", "C-1");
	cr_assert_str_eq(cwt_str(&t, "received"), "2026-02-28");
	EXIT(2, "bob", "import", "concerns", cwt_file(&t, "bad.csv",
		"provider,source,team,likelihood,impact,summary,received\n"
		"Oakwood,complaint,commissioning,3,3,ok,27/02/2026\n"
		"Oakwood,complaint,commissioning,3,3,late,31/02/2026\n"));
	HAS(t.err, "line 3, column 7 (received)");
	HAS(t.err, "31/02/2026");
	cr_assert_eq(cwt_count(&t, "concerns"), 1);
	/* The command line's date options read them too; output stays ISO. */
	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "x",
		"--received", "05/03/2026");
	cr_assert_str_eq(cwt_str(&t, "received"), "2026-03-05");
	EXIT(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "x",
		"--received", "31/02/2026");
}

Test(import_excel, the_same_file_twice_is_refused_naming_the_line)
{
	const char *f = cwt_file(&t, "excel.csv", EXCEL);

	OK("bob", "import", "concerns", f);
	EXIT(4, "bob", "import", "concerns", f);
	HAS(t.err, "line 2");
	HAS(t.err, "already in the database as C-0001");
	cr_assert_eq(cwt_count(&t, "concerns"), 2);
	OK("bob", "--json", "import", "concerns", f, "--allow-duplicates");
	cr_assert_eq(cwt_count(&t, "concerns"), 4);
}

Test(import_excel, help_lists_the_columns_and_which_are_required)
{
	OK("bob", "import", "--help");
	HAS(t.out, "provider (required)");
	HAS(t.out, "received,");
	HAS(t.out, "name (required), type (required)");
	HAS(t.out, "--allow-duplicates");
}
