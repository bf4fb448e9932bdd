/* Import (all or nothing, errors by line and column) and export (RFC 4180). */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/csv.h"
#include "cwtest.h"
#include "carewatch/buf.h"

static cwt t;

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "sam", "--role", "safeguarding,contracts", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "kim", "--role", "contracts", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "County", "--lead", NULL), 0);
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(import, .init = setup, .fini = teardown);

static const char PROVIDERS[] =
	"name,type,regulator-id,in-house,group,commissioner\n"
	"Elm House,care_home_nursing,CH-1,no,Oak Group,County\n"
	"\"Ash, \"\"The\"\" Court\",care_home_residential,,yes,oak group,\n";

Test(import, providers_all_good)
{
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "providers",
		cwt_file(&t, "p.csv", PROVIDERS), NULL), 0, "%s", t.err);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "imported")), 2);
	cr_assert_eq(cwt_count(&t, "providers"), 2);
	cr_assert_eq(cwt_run(&t, "kim", "--json", "provider", "show", "Ash, \"The\" Court", NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "group"), "Oak Group");
	cr_assert(json_is_true(json_object_get(t.json, "in_house")));
}

Test(import, twenty_good_lines)
{
	char csv[4096] = "provider,source,team,likelihood,impact,summary,received\n";
	int i;

	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	for (i = 0; i < 20; i++) {
		char line[160];

		snprintf(line, sizeof(line), "Elm House,complaint,commissioning,%d,%d,Concern %d,2026-10-%02d\n",
			i % 4 + 1, (i / 4) % 4 + 1, i, i + 1);
		strcat(csv, line);
	}
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "concerns", cwt_file(&t, "c.csv", csv),
		NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_count(&t, "concerns"), 20);
	/* The ids of what was imported (no longer read back row by row). */
	cr_assert_eq(json_array_size(json_object_get(t.json, "ids")), 20);
	cr_assert_eq(json_string_length(json_array_get(json_object_get(t.json, "ids"), 19)), 36);
	/* Every row has its audit entry and the chain holds (issue 19). */
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 0, "%s%s", t.out, t.err);
}

/* 1,200 rows: read record by record, all imported; the result counts
 * them rather than listing 1,200 ids (memory flat in the file, issue 19). */
static char *many_rows(int n, const char *last)
{
	cw_buf b = CW_BUF_INIT;

	cw_buf_puts(&b, "provider,source,team,likelihood,impact,summary,received\n");
	for (int i = 0; i < n; i++)
		cw_buf_printf(&b, "Elm House,complaint,commissioning,%d,%d,Concern %d,2026-10-%02d\n",
			i % 4 + 1, (i / 4) % 4 + 1, i, i % 28 + 1);
	if (last)
		cw_buf_puts(&b, last);
	return cw_buf_detach(&b);
}

Test(import, a_large_file_is_counted_not_listed)
{
	char *csv = many_rows(1200, NULL);

	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "concerns", cwt_file(&t, "c.csv", csv),
		NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_count(&t, "concerns"), 1200);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "imported")), 1200);
	cr_assert_null(json_object_get(t.json, "ids"));
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 0, "%s%s", t.out, t.err);
	free(csv);
}

/* A quote out of place on the last line, after 1,100 good rows already
 * written: the file is refused whole and nothing of it stays. */
Test(import, a_broken_last_line_undoes_the_rows_before_it)
{
	char *csv = many_rows(1100, "Elm House,complaint,commissioning,1,1,Bad \"quote,2026-10-01\n");
	long audit;

	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	audit = cwt_count(&t, "audit");
	cr_assert_eq(cwt_run(&t, "alice", "import", "concerns", cwt_file(&t, "c.csv", csv), NULL), 2);
	cr_assert(strstr(t.err, "line 1102"), "%s", t.err);
	cr_assert(strstr(t.err, "malformed CSV"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "concerns"), 0);
	cr_assert_eq(cwt_count(&t, "audit"), audit);
	free(csv);
}

/* A broken line 3 is named, and nothing of the file is imported. */
Test(import, broken_line_three_imports_nothing)
{
	long audit;

	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	audit = cwt_count(&t, "audit");
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "concerns", cwt_file(&t, "c.csv",
		"provider,source,team,likelihood,impact,summary\n"
		"Elm House,complaint,commissioning,2,3,fine\n"
		"Elm House,complaint,commissioning,7,3,bad likelihood\n"
		"Elm House,complaint,commissioning,2,3,fine too\n"), NULL), 2);
	cr_assert(strstr(t.err, "line 3, column 4 (likelihood)"), "%s", t.err);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"), "code")),
		"invalid");
	cr_assert_eq(cwt_count(&t, "concerns"), 0);
	cr_assert_eq(cwt_count(&t, "audit"), audit);
}

Test(import, errors_name_line_and_column)
{
	static const struct { const char *csv, *want; } cases[] = {
		{ "provider,source,team,likelihood,impact,summary\nNobody,complaint,commissioning,1,1,x\n",
		  "line 2, column 1 (provider)" },
		{ "provider,source,team,likelihood,impact,summary\nElm House,rumour,commissioning,1,1,x\n",
		  "line 2, column 2 (source)" },
		{ "provider,team,source,likelihood,impact,summary\nElm House,commissioning,complaint,1,x,s\n",
		  "line 2, column 5 (impact)" },
		{ "provider,source,team,likelihood,impact,summary,received\n"
		  "Elm House,complaint,commissioning,1,1,x,2026-02-30\n", "line 2, column 7 (received)" },
		{ "provider,source,team,likelihood,impact,summary\nElm House,complaint,commissioning,1,1,\n",
		  "line 2, column 6 (summary)" },
		{ "provider,source,team,likelihood,impact,summary,colour\n", "line 1, column 7: unknown column" },
		{ "provider,source,team,likelihood,impact\n", "no 'summary' column" },
		{ "provider,source,team,likelihood,impact,summary\nElm House,complaint,commissioning,1,1\n",
		  "line 2: 5 fields, but the header has 6" },
		{ "provider,source,team,likelihood,impact,summary\n"
		  "Elm House,complaint,commissioning,1,1,\"never closed\n", "line 2: malformed CSV" },
		{ "provider,source,team,likelihood,impact,summary\n"
		  "Elm House,complaint,commissioning,1,1,ok\n"
		  "Elm House,complaint,commissioning,1,1,a \"quote\" inside\n", "line 3: malformed CSV" },
		{ "provider,source,team,likelihood,impact,summary\n"
		  "Elm House,pova_referral,safeguarding,1,1,no refs\n", "line 2:" },
		{ "", "empty" },
	};
	size_t i;

	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(cwt_run(&t, "alice", "import", "concerns",
			cwt_file(&t, "c.csv", cases[i].csv), NULL), 2, "case %zu: %s", i, t.err);
		cr_assert(strstr(t.err, cases[i].want), "case %zu: %s", i, t.err);
		cr_assert_eq(strchr(t.err, '\n'), t.err + strlen(t.err) - 1, "one line: %s", t.err);
		cr_assert_eq(cwt_count(&t, "concerns"), 0);
	}
}

Test(import, duplicate_provider_is_named)
{
	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv",
		"name,type\nElm House,other\nELM HOUSE,other\n"), NULL), 4);
	cr_assert(strstr(t.err, "line 3, column 1 (name)"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "providers"), 0);
	/* a duplicate of a provider already there: refused (exit 4) as on provider add */
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", "Oak Lodge", "--type", "other", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "import", "providers", cwt_file(&t, "q.csv",
		"name,type\nBirch View,other\n oak  lodge ,other\n"), NULL), 4);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "refused");
	cr_assert_eq(cwt_count(&t, "providers"), 1);
}

Test(import, unreadable_file_is_invalid)
{
	cr_assert_eq(cwt_run(&t, "alice", "import", "concerns", "/nonexistent/x.csv", NULL), 2);
	cr_assert_eq(cwt_run(&t, "alice", "import", "concerns", t.dir, NULL), 2);
	cr_assert_eq(cwt_run(&t, "alice", "import", "widgets", cwt_file(&t, "p.csv", PROVIDERS), NULL), 2);
}

Test(import, needs_the_import_permission)
{
	cr_assert_eq(cwt_run(&t, "kim", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 5);
	cr_assert_eq(cwt_count(&t, "providers"), 0);
}

/* Commas, quotes and newlines inside fields survive export and a re-read. */
Test(import, csv_round_trip_of_awkward_text)
{
	static const char *const awkward[] = {
		"comma, inside", "quote \" inside", "new\nline", "\"quoted\"", " lead and trail ",
		"Tŷ ünïcödé", "=SUM(A1)",
	};
	cw_csv_table *tab = NULL;
	size_t i, j;
	int found = 0;

	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	for (i = 0; i < sizeof(awkward) / sizeof(awkward[0]); i++)
		cr_assert_eq(cwt_run(&t, "kim", "concern", "log", "--provider", "Elm House", "--source",
			"complaint", "--team", "commissioning", "--likelihood", "2", "--impact", "2",
			"--summary", awkward[i], NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "export", "concerns", NULL), 0, "%s", t.err);
	cr_assert_eq(cw_csv_parse(t.out, strlen(t.out), "export", &tab), 0);
	cr_assert_eq(tab->nrows, 1 + sizeof(awkward) / sizeof(awkward[0]));
	cr_assert_str_eq(tab->rows[0].fields[8], "summary");
	for (i = 0; i < sizeof(awkward) / sizeof(awkward[0]); i++)
		for (j = 1; j < tab->nrows; j++)
			if (strcmp(tab->rows[j].fields[8], awkward[i]) == 0) {
				found++;
				break;
			}
	cr_assert_eq(found, (int)(sizeof(awkward) / sizeof(awkward[0])));
	cr_assert(strstr(t.out, "\r\n"), "RFC 4180 records end in CRLF");
	cw_csv_free(tab);
}

Test(import, export_redacts_for_roles_without_confidential_read)
{
	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Elm House", "--source",
		"pova_referral", "--team", "safeguarding", "--likelihood", "3", "--impact", "4",
		"--summary", "x", "--pova-ref", "POVA-77", "--subject", "SU-9", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "export", "concerns", NULL), 0);
	cr_assert_null(strstr(t.out, "POVA-77"));
	cr_assert_null(strstr(t.out, "SU-9"));
	cr_assert(strstr(t.out, "[confidential]"));
	cr_assert_eq(cwt_run(&t, "kim", "export", "concerns", "--format", "json", NULL), 0);
	cr_assert_null(strstr(t.out, "POVA-77"));
	cr_assert_eq(cwt_run(&t, "sam", "export", "concerns", NULL), 0);
	cr_assert(strstr(t.out, "POVA-77"));
}

Test(import, export_cases_and_actions)
{
	cr_assert_eq(cwt_run(&t, "alice", "import", "providers", cwt_file(&t, "p.csv", PROVIDERS), NULL), 0);
	cr_assert_eq(cwt_run(&t, "kim", "case", "open", "--provider", "Elm House", "--reason", "r", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "export", "cases", NULL), 0, "%s", t.err);
	cr_assert(strstr(t.out, "\"quality_assurance\""), "%s", t.out);
	cr_assert_eq(cwt_run(&t, "kim", "--json", "export", "actions", NULL), 0, "%s", t.err);
	cr_assert(json_is_array(t.json));
	cr_assert_eq(cwt_run(&t, "kim", "export", "widgets", NULL), 2);
}
