/* The watch list: inclusion, ordering, agreed vs computed level, QA trend,
 * formats and confidentiality (SPEC §3, §9). */
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/csv.h"
#include "cwtest.h"

static cwt t;

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "kim", "--role", "contracts", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "sam", "--role", "safeguarding", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "quinn", "--role", "qa", NULL), 0);
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(watchlist, .init = setup, .fini = teardown);

static void provider(const char *name)
{
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", name, "--type", "care_home_residential",
		NULL), 0, "%s", t.err);
}

static void concern(const char *p, const char *l, const char *i, const char *received)
{
	cr_assert_eq(cwt_run(&t, "kim", "concern", "log", "--provider", p, "--source", "complaint",
		"--team", "commissioning", "--likelihood", l, "--impact", i, "--summary", "s",
		"--received", received, NULL), 0, "%s", t.err);
}

/* The provider names of the watch list, in order, joined by commas. */
static const char *order(void)
{
	static char buf[1024];
	size_t i;
	json_t *r;

	cr_assert_eq(cwt_run(&t, "quinn", "--json", "watchlist", NULL), 0, "%s", t.err);
	cr_assert(json_is_array(t.json));
	buf[0] = '\0';
	json_array_foreach(t.json, i, r) {
		if (i)
			strcat(buf, ",");
		strcat(buf, json_string_value(json_object_get(r, "provider")));
	}
	return buf;
}

/* Tick every open task, of open and closed cases alike. */
static void tick_all(void)
{
	json_t *list, *x;
	size_t i;

	cr_assert_eq(cwt_run(&t, "kim", "--json", "task", "list", "--open", NULL), 0, "%s", t.err);
	list = json_incref(t.json);
	json_array_foreach(list, i, x)
		cr_assert_eq(cwt_run(&t, "kim", "task", "done",
			json_string_value(json_object_get(x, "id")), NULL), 0, "%s", t.err);
	json_decref(list);
}

static json_t *row(const char *name)
{
	size_t i;
	json_t *r;

	json_array_foreach(t.json, i, r)
		if (strcmp(json_string_value(json_object_get(r, "provider")), name) == 0)
			return r;
	return NULL;
}

Test(watchlist, inclusion_and_ordering)
{
	provider("Green Only");
	provider("Yellow One");
	provider("Amber Low");
	provider("Amber High");
	provider("Red Home");
	provider("Case No Concern");
	concern("Green Only", "1", "3", "2026-11-01");
	concern("Yellow One", "2", "2", "2026-11-01");
	concern("Amber Low", "2", "4", "2026-11-01");
	concern("Amber High", "3", "3", "2026-11-01");
	concern("Red Home", "3", "4", "2026-11-01");
	cr_assert_eq(cwt_run(&t, "kim", "case", "open", "--provider", "Case No Concern",
		"--reason", "r", NULL), 0, "%s", t.err);
	/* Red first; within amber the higher score; a case with no concern
	 * after every band; the green-only provider is left off. */
	cr_assert_str_eq(order(), "Red Home,Amber High,Amber Low,Yellow One,Case No Concern");
	cr_assert_str_eq(json_string_value(json_object_get(row("Red Home"), "band")), "red");
	cr_assert_eq(json_integer_value(json_object_get(row("Red Home"), "max_score")), 12);
	cr_assert_eq(json_integer_value(json_object_get(row("Amber High"), "amber")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(row("Case No Concern"), "stage")),
		"quality_assurance");
}

Test(watchlist, ties_are_ordered_by_name)
{
	provider("Beta");
	provider("alpha");
	concern("Beta", "2", "3", "2026-11-01");
	concern("alpha", "3", "2", "2026-11-01");
	cr_assert_str_eq(order(), "alpha,Beta");
}

/* The agreed level wins while it is newer than every open concern. */
Test(watchlist, agreed_level_newer_than_every_concern_wins)
{
	provider("Agreed Home");
	provider("Amber Peer");
	concern("Agreed Home", "3", "4", "2026-10-01");
	concern("Amber Peer", "3", "3", "2026-10-01");
	t.today = "2026-11-05";   /* escalated before the meeting below */
	cr_assert_eq(cwt_run(&t, "kim", "case", "open", "--provider", "Agreed Home", "--reason", "r",
		NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "case", "escalate", "Agreed Home", "--trigger",
		"single_or_repeated_concern", "--chair", "kim", NULL), 0, "%s", t.err);
	t.today = "2026-11-22";
	cr_assert_eq(cwt_run(&t, "kim", "meeting", "record", "--case", "Agreed Home", "--date",
		"2026-11-10", "--chair", "kim", "--attendee", "Kim|County|Chair", "--trend", "decreased",
		"--overall", "yellow", NULL), 0, "%s", t.err);
	order();
	cr_assert_str_eq(json_string_value(json_object_get(row("Agreed Home"), "band")), "yellow");
	cr_assert_str_eq(json_string_value(json_object_get(row("Agreed Home"), "computed_band")), "red");
	cr_assert_str_eq(json_string_value(json_object_get(row("Agreed Home"), "agreed_band")), "yellow");
	cr_assert_str_eq(order(), "Amber Peer,Agreed Home");
	/* A concern received after the meeting: the computed level rules again. */
	concern("Agreed Home", "1", "1", "2026-11-15");
	cr_assert_str_eq(order(), "Agreed Home,Amber Peer");
}

/* Agreed green, no case, no flag: "all clear, remove from the list". */
Test(watchlist, agreed_green_without_case_or_flag_is_left_off)
{
	provider("Cleared Home");
	concern("Cleared Home", "3", "3", "2026-10-01");
	t.today = "2026-11-05";   /* escalated before the meeting below */
	cr_assert_eq(cwt_run(&t, "kim", "case", "open", "--provider", "Cleared Home", "--reason", "r",
		NULL), 0);
	cr_assert_eq(cwt_run(&t, "kim", "case", "escalate", "Cleared Home", "--trigger",
		"unable_to_improve", "--chair", "kim", NULL), 0, "%s", t.err);
	t.today = "2026-11-22";
	cr_assert_eq(cwt_run(&t, "kim", "meeting", "record", "--case", "Cleared Home", "--date",
		"2026-11-10", "--chair", "kim", "--attendee", "Kim|County|Chair", "--trend", "decreased",
		"--overall", "green", NULL), 0, "%s", t.err);
	cr_assert(strstr(order(), "Cleared Home"), "on the list while the case is open");
	cr_assert_eq(cwt_run(&t, "kim", "case", "close", "Cleared Home", "--outcome",
		"single_agency_monitoring", "--rationale", "r", "--agreed-by", "County",
		"--override", "agreed at the meeting", NULL), 0, "%s", t.err);
	/* Its notification duties outlive the case: on the list until ticked. */
	cr_assert(strstr(order(), "Cleared Home"), "closed with open tasks: %s", order());
	cr_assert(json_integer_value(json_object_get(row("Cleared Home"), "open_tasks")) > 0);
	tick_all();
	cr_assert_null(strstr(order(), "Cleared Home"), "%s", order());
}

Test(watchlist, qa_record_gives_trend_and_new_since)
{
	provider("Steady");
	provider("Rising");
	concern("Steady", "2", "3", "2026-10-01");
	concern("Rising", "2", "2", "2026-10-01");
	cr_assert_eq(cwt_run(&t, "quinn", "qa", "record", "--date", "2026-11-01", "--present", "Quinn",
		NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "quinn", "qa", "record", "--date", "2026-11-01", NULL), 4);
	cr_assert_eq(cwt_run(&t, "kim", "qa", "record", "--date", "2026-11-02", NULL), 5);
	cr_assert_eq(cwt_run(&t, "quinn", "qa", "record", "--date", "2026-12-01", NULL), 2);
	concern("Rising", "3", "3", "2026-11-05");
	provider("Newcomer");
	concern("Newcomer", "2", "2", "2026-11-06");
	order();
	cr_assert_str_eq(json_string_value(json_object_get(row("Steady"), "trend")), "same");
	cr_assert_str_eq(json_string_value(json_object_get(row("Rising"), "trend")), "increased");
	cr_assert_str_eq(json_string_value(json_object_get(row("Newcomer"), "trend")), "new");
	cr_assert_eq(json_integer_value(json_object_get(row("Rising"), "new_since_last_qa")), 1);
	cr_assert_eq(json_integer_value(json_object_get(row("Steady"), "new_since_last_qa")), 0);
}

Test(watchlist, csv_is_rfc4180_and_table_fits_100_columns)
{
	cw_csv_table *tab = NULL;
	const char *line;

	provider("Comma, \"Quoted\" Home");
	concern("Comma, \"Quoted\" Home", "3", "3", "2026-11-01");
	cr_assert_eq(cwt_run(&t, "quinn", "watchlist", "--format", "csv", NULL), 0, "%s", t.err);
	cr_assert_eq(cw_csv_parse(t.out, strlen(t.out), "csv", &tab), 0);
	cr_assert_eq(tab->nrows, 2);
	cr_assert_str_eq(tab->rows[1].fields[1], "Comma, \"Quoted\" Home");
	cw_csv_free(tab);
	cr_assert_eq(cwt_run(&t, "quinn", "watchlist", NULL), 0);
	cr_assert_null(strstr(t.out, "\033["), "no colours into a pipe");
	for (line = t.out; *line; ) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		cr_assert_lt(n, 100, "line too wide: %.*s", (int)n, line);
		line += n + (nl ? 1 : 0);
	}
}

Test(watchlist, five_pova_referrals_flag_large_scale_pova)
{
	int i;

	provider("Pova Home");
	for (i = 0; i < 5; i++) {
		char ref[16];

		snprintf(ref, sizeof(ref), "POVA-%d", i);
		cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Pova Home", "--source",
			"pova_referral", "--team", "safeguarding", "--likelihood", "1", "--impact", "2",
			"--summary", "referral", "--pova-ref", ref, "--subject", "SU-1", "--received",
			"2026-10-01", NULL), 0, "%s", t.err);
	}
	order();
	cr_assert_eq(json_integer_value(json_object_get(row("Pova Home"), "pova_referrals")), 5);
	cr_assert(strstr(t.out, "large_scale_pova"), "%s", t.out);
}

/* POVA references never reach a role that may not see them, in any format. */
Test(watchlist, confidential_in_every_format)
{
	static const char *const formats[] = { "table", "csv", "json", "markdown" };
	size_t i;

	provider("Pova Home");
	cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Pova Home", "--source",
		"pova_referral", "--team", "safeguarding", "--likelihood", "3", "--impact", "4",
		"--summary", "referral", "--pova-ref", "POVA-SECRET", "--subject", "SU-SECRET",
		"--received", "2026-11-20", NULL), 0, "%s", t.err);
	for (i = 0; i < 4; i++) {
		cr_assert_eq(cwt_run(&t, "quinn", "watchlist", "--format", formats[i], NULL), 0, "%s", t.err);
		cr_assert_null(strstr(t.out, "SECRET"), "%s leaks: %s", formats[i], t.out);
		cr_assert_eq(cwt_run(&t, "quinn", "--json", "watchlist", "--format", formats[i], NULL), 0);
		cr_assert_null(strstr(t.out, "SECRET"), "%s --json leaks", formats[i]);
	}
	cr_assert_eq(cwt_run(&t, "quinn", "watchlist", "--format", "markdown", NULL), 0);
	cr_assert(strstr(t.out, "\\[confidential\\]"), "%s", t.out);
	cr_assert_eq(cwt_run(&t, "sam", "watchlist", "--format", "markdown", NULL), 0);
	cr_assert(strstr(t.out, "POVA-SECRET"), "safeguarding sees it");
}

Test(watchlist, markdown_agenda_has_the_qa_sections)
{
	provider("Agenda | Home");
	concern("Agenda | Home", "3", "4", "2026-11-20");
	cr_assert_eq(cwt_run(&t, "kim", "concern", "positive", "--provider", "Agenda | Home", "--team",
		"care_management", "--summary", "Lovely garden", "--received", "2026-11-21", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "quinn", "watchlist", "--format", "markdown", NULL), 0, "%s", t.err);
	cr_assert(strstr(t.out, "Providers already under"));
	cr_assert(strstr(t.out, "New concerns"));
	cr_assert(strstr(t.out, "### commissioning"), "grouped by team: %s", t.out);
	cr_assert(strstr(t.out, "Positive feedback"));
	cr_assert(strstr(t.out, "Lovely garden"));
	cr_assert(strstr(t.out, "Overdue actions and tasks"));
	cr_assert(strstr(t.out, "Agenda \\| Home"), "a pipe is escaped in tables: %s", t.out);
	cr_assert(strstr(t.out, "2026-12-22"), "next meeting a month on: %s", t.out);
}

/* Each listed provider's placement controls, the lead commissioner first. */
Test(watchlist, placements_of_each_listed_provider)
{
	json_t *p, *c;
	char kase[64];

	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "dora", "--role", "director", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "Vale Health Board", "--kind",
		"health_board", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "County Council", "--lead", NULL),
		0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", "Linked Home", "--type", "domiciliary",
		"--commissioner", "Vale Health Board", "--commissioner", "County Council", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "kim", "provider", "add", "Lead Only", "--type", "domiciliary",
		"--commissioner", "County Council", NULL), 0, "%s", t.err);
	concern("Linked Home", "3", "3", "2026-11-01");   /* amber: a restart needs no red */
	concern("Lead Only", "3", "4", "2026-11-01");
	t.today = "2026-11-05";   /* escalated before the meeting below */
	cr_assert_eq(cwt_run(&t, "kim", "--json", "case", "open", "--provider", "Linked Home",
		"--reason", "complaints", NULL), 0, "%s", t.err);
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	cr_assert_eq(cwt_run(&t, "kim", "case", "escalate", kase, "--trigger", "pattern_of_issues",
		"--chair", "kim", NULL), 0, "%s", t.err);
	t.today = "2026-11-22";
	cr_assert_eq(cwt_run(&t, "kim", "meeting", "record", "--case", kase, "--date",
		"2026-11-20", "--chair", "kim", "--attendee", "Kim|County Council|chair", "--trend",
		"same", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "dora", "case", "suspend", kase, "--commissioner",
		"County Council", "--kind", "mandatory", "--reason", "unsafe", "--meeting", "2026-11-20",
		NULL), 0, "%s", t.err);

	order();
	p = json_object_get(row("Linked Home"), "placements");
	cr_assert_eq(json_array_size(p), 2, "%s", t.out);
	c = json_array_get(p, 0);
	cr_assert_str_eq(json_string_value(json_object_get(c, "commissioner")), "County Council");
	cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "suspended");
	cr_assert_str_eq(json_string_value(json_object_get(c, "kind")), "mandatory");
	cr_assert_str_eq(json_string_value(json_object_get(c, "since")), "2026-11-22");
	c = json_array_get(p, 1);
	cr_assert_str_eq(json_string_value(json_object_get(c, "commissioner")), "Vale Health Board");
	cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "open");
	cr_assert(json_is_null(json_object_get(c, "since")));
	p = json_object_get(row("Lead Only"), "placements");
	cr_assert_eq(json_array_size(p), 1, "%s", t.out);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(p, 0), "status")), "open");

	t.today = "2026-11-30";
	cr_assert_eq(cwt_run(&t, "dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better", "--max-admissions", "2", "--per", "week", NULL), 0, "%s", t.err);
	order();
	c = json_array_get(json_object_get(row("Linked Home"), "placements"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "restricted", "%s", t.out);
	cr_assert_str_eq(json_string_value(json_object_get(c, "conditions")),
		"no more than 2 new admissions per week");
}
