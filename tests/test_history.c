/*
 * History as it stood (SPEC §2): every dated document is printed, the
 * record is changed in every way that could leak into it (re-rate,
 * resolve, progress, complete, extend, add concerns and actions, record
 * later meetings, tick tasks, restart), and the document printed again
 * must be the same byte for byte, but for the "Printed" date and the
 * audit anchor (the chain's head when printed: it grows with every change
 * by design, so it is masked). The watch list, the QA agenda and a
 * provider with --today in the past likewise. Then the guards of the
 * action plan and of closure at their edges.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define OK CWT_OK
#define REFUSED CWT_EXIT
#define HAS CWT_HAS
#define HASNT(text, what) cr_assert(!strstr((text), (what)), "'%s' in: %s", (what), (text))

typedef char cid[64];

/* bob works the cases, dora decides; the council leads, the board also buys. */
static void setup(void)
{
	static const char *const people[][2] = { { "bob", "contracts" }, { "dora", "director" } };

	cwt_setup(&t, "alice");
	for (size_t i = 0; i < 2; i++)
		OK("alice", "user", "add", people[i][0], "--role", people[i][1]);
	OK("alice", "commissioner", "add", "County Council", "--lead");
	cwt_letterhead(&t, "alice", "County Council");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(history, .init = setup, .fini = teardown, .timeout = 240);

static void keep(cid out, const char *key)
{
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, key));
}

static void concern(const char *l, const char *i, const char *summary, cid out)
{
	OK("bob", "--json", "concern", "log", "--provider", "Elm House", "--source", "complaint",
		"--team", "commissioning", "--likelihood", l, "--impact", i, "--summary", summary);
	keep(out, "ref");
}

static void action(const char *concern_ref, const char *kind, const char *due,
	const char *what, cid out)
{
	OK("bob", "--json", "action", "add", "--case", "Elm House", "--concern", concern_ref,
		"--kind", kind, "--improvement", what, "--due", due, "--owner", "Manager");
	keep(out, "ref");
}

static void meeting(const char *date, const char *overall, const char *next)
{
	OK("bob", "meeting", "record", "--case", "Elm House", "--date", date, "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same", "--overall", overall,
		"--next", next);
}

/* Tick every open task. */
static void tick_all(void)
{
	json_t *list, *x;
	size_t i;

	OK("bob", "--json", "task", "list", "--open");
	list = json_incref(t.json);
	json_array_foreach(list, i, x)
		OK("bob", "task", "done", json_string_value(json_object_get(x, "id")));
	json_decref(list);
}

/*
 * A copy of `text` with what may change between two printings masked: the
 * audit anchor ("SEQ:" and 64 hex digits) and the long form of `printed`.
 */
static char *masked(const char *text, const char *printed)
{
	char *s = strdup(text), *p;
	size_t n;

	for (p = s; (p = strchr(p, ':')); p++) {
		char *q = p + 1, *b = p;

		for (n = 0; isxdigit((unsigned char)q[n]); n++)
			;
		if (n != 64)
			continue;
		while (b > s && isdigit((unsigned char)b[-1]))
			b--;
		memset(b, '#', (size_t)(q + n - b));
	}
	if (printed)
		for (p = s; (p = strstr(p, printed)); p += strlen(printed))
			memset(p, '#', strlen(printed));
	return s;
}

struct print {
	const char *args[8];   /* after "document" or as the whole command */
	char *text;            /* masked */
};

static const char *const formats[] = { "markdown", "html", "text" };

/* Run a command (NULL-terminated args) and keep its masked output. */
static char *print(const char *const *args, const char *printed)
{
	cr_assert_eq(cwt_runv(&t, "bob", args), 0, "%s: exit %d: %s", args[0], t.code, t.err);
	cr_assert(strlen(t.out) > 50, "%s printed nothing", args[0]);
	return masked(t.out, printed);
}

static void same(const char *what, const char *before, const char *after)
{
	if (strcmp(before, after) == 0)
		return;
	cr_assert_fail("%s changed after the record moved on:\n--- then ---\n%s\n--- now ---\n%s",
		what, before, after);
}

/*
 * The walk: a case escalated with two concerns and two actions, a meeting,
 * a suspension. Printed on 17 March (the dated documents about 10 and 12
 * March; the others as at 17 March with --today), then everything moves on
 * and they are printed again on 30 April.
 */
Test(history, every_dated_document_prints_the_same_facts_later)
{
	cid c1, c2, c3, a1, a2, a3, x;
	const char *dated[][2] = {
		{ "ppm-record", "M-0001" }, { "suspension-form", NULL },
	};
	const char *as_at[] = { "ppm-agenda", "action-plan", "ppm-attendance" };
	char *before[32], *after, *text;
	size_t nb = 0, i, f, k;

	t.today = "2026-03-02";
	OK("bob", "provider", "add", "Elm House", "--type", "care_home_nursing",
		"--commissioner", "County Council", "--commissioner", "Health Board");
	OK("bob", "case", "open", "--provider", "Elm House", "--reason", "complaints");
	t.today = "2026-03-03";
	concern("3", "4", "medication errors", c1);
	concern("2", "2", "records gaps", c2);
	t.today = "2026-03-04";
	OK("bob", "case", "escalate", "Elm House", "--trigger", "single_or_repeated_concern",
		"--chair", "bob");
	t.today = "2026-03-05";
	action(c1, "CA", "2026-03-31", "audit medication", a1);
	action(c2, "DA", "2026-04-15", "update care plans", a2);
	t.today = "2026-03-06";
	OK("bob", "action", "progress", a1, "--status", "ongoing", "--evidence", "audit 1 done");
	OK("bob", "concern", "rate", c1, "--likelihood", "4", "--note", "worse");
	t.today = "2026-03-10";
	meeting("2026-03-10", "red", "2026-04-07");
	t.today = "2026-03-12";
	OK("dora", "case", "suspend", "Elm House", "--commissioner", "County Council", "--kind",
		"mandatory", "--reason", "unsafe medication", "--meeting", "2026-03-10");

	/* First printing, 17 March. */
	t.today = "2026-03-17";
	for (i = 0; i < 2; i++)
		for (f = 0; f < 3; f++) {
			const char *args[] = { "document", dated[i][0], "--case", "Elm House",
				"--format", formats[f], dated[i][1] ? "--meeting" : NULL, dated[i][1], NULL };

			before[nb++] = print(args, "17 March 2026");
		}
	/* What the record said then, so the comparison is not of two empty pages. */
	text = before[0];
	HAS(text, c1);
	HAS(text, "(16 red)");
	HAS(text, "records gaps (4 yellow)");
	HAS(text, "audit medication: ongoing: audit 1 done");
	HAS(before[3], "audit medication");
	for (i = 0; i < 3; i++)
		for (f = 0; f < 3; f++) {
			const char *args[] = { "document", as_at[i], "--case", "Elm House", "--format",
				formats[f], NULL };

			before[nb++] = print(args, NULL);
		}
	{
		const char *wl[] = { "--json", "watchlist", NULL };
		const char *qa[] = { "watchlist", "--format", "markdown", NULL };
		const char *qh[] = { "watchlist", "--format", "html", NULL };
		const char *pv[] = { "--json", "provider", "show", "Elm House", NULL };

		before[nb++] = print(wl, NULL);
		HAS(before[nb - 1], "\"red\": 1");
		before[nb++] = print(qa, NULL);
		before[nb++] = print(qh, NULL);
		before[nb++] = print(pv, NULL);
	}

	/* The record moves on in every way that could leak. */
	t.today = "2026-03-20";
	OK("bob", "concern", "rate", c1, "--likelihood", "2", "--note", "audits working");
	OK("bob", "action", "progress", a1, "--status", "completed", "--evidence", "all audits");
	OK("bob", "concern", "resolve", c2, "--note", "records fixed");
	OK("bob", "action", "extend", a2, "--due", "2026-05-15", "--rationale", "staff away");
	concern("2", "3", "staffing short", c3);
	tick_all();
	t.today = "2026-03-24";
	meeting("2026-03-24", "amber", "2026-04-21");
	action(c3, "DA", "2026-04-30", "recruit nurses", a3);
	t.today = "2026-03-26";
	OK("dora", "case", "restart", "Elm House", "--commissioner", "County Council", "--reason",
		"improved", "--max-admissions", "2", "--per", "week");
	/* The restart form, printed the next day. */
	t.today = "2026-03-27";
	for (f = 0; f < 3; f++) {
		const char *args[] = { "document", "restart-form", "--case", "Elm House", "--format",
			formats[f], NULL };

		before[nb++] = print(args, "27 March 2026");
	}
	HAS(before[nb - 3], "no more than 2 new admissions per week");
	t.today = "2026-04-02";
	tick_all();
	OK("bob", "concern", "rate", c3, "--likelihood", "3", "--note", "agency staff leaving");
	OK("bob", "action", "progress", a2, "--status", "ongoing", "--evidence", "half done");
	OK("bob", "action", "progress", a3, "--status", "completed");
	concern("1", "1", "late lunch", x);
	meeting("2026-04-02", "yellow", "2026-05-01");
	OK("dora", "case", "suspend", "Elm House", "--commissioner", "Health Board", "--kind",
		"voluntary", "--reason", "their own review");

	/* The record now is another: the current watch list says so. */
	t.today = "2026-04-30";
	OK("bob", "--json", "watchlist");
	HASNT(t.out, "\"red\": 1");

	/* Printed again on 30 April: the same facts. */
	k = 0;
	for (i = 0; i < 2; i++)
		for (f = 0; f < 3; f++) {
			const char *args[] = { "document", dated[i][0], "--case", "Elm House",
				"--format", formats[f], dated[i][1] ? "--meeting" : NULL, dated[i][1], NULL };

			after = print(args, "30 April 2026");
			same(dated[i][0], before[k++], after);
			free(after);
		}
	t.today = "2026-03-17";
	for (i = 0; i < 3; i++)
		for (f = 0; f < 3; f++) {
			const char *args[] = { "document", as_at[i], "--case", "Elm House", "--format",
				formats[f], NULL };

			after = print(args, NULL);
			same(as_at[i], before[k++], after);
			free(after);
		}
	{
		const char *wl[] = { "--json", "watchlist", NULL };
		const char *qa[] = { "watchlist", "--format", "markdown", NULL };
		const char *qh[] = { "watchlist", "--format", "html", NULL };
		const char *pv[] = { "--json", "provider", "show", "Elm House", NULL };
		const char *const *cmds[] = { wl, qa, qh, pv };

		for (i = 0; i < 4; i++) {
			after = print(cmds[i], NULL);
			same(cmds[i][1], before[k++], after);
			free(after);
		}
	}
	t.today = "2026-04-30";
	for (f = 0; f < 3; f++) {
		const char *args[] = { "document", "restart-form", "--case", "Elm House", "--format",
			formats[f], NULL };

		after = print(args, "30 April 2026");
		same("restart-form", before[k++], after);
		free(after);
	}
	cr_assert_eq(k, nb);
	for (i = 0; i < nb; i++)
		free(before[i]);
	/* A database upgraded from before the status history reads the same. */
	OK("alice", "audit", "verify");
}

/* The watch list on a past day: concerns logged later not counted, ratings
 * and resolutions as they were. */
Test(history, the_watch_list_as_it_stood)
{
	cid c1, c2, c3;

	t.today = "2026-03-02";
	OK("bob", "provider", "add", "Elm House", "--type", "care_home_nursing",
		"--commissioner", "County Council");
	concern("3", "4", "medication errors", c1);
	concern("2", "2", "records gaps", c2);
	t.today = "2026-03-10";
	OK("bob", "concern", "rate", c1, "--likelihood", "1", "--note", "better");
	OK("bob", "concern", "resolve", c2, "--note", "fixed");
	concern("2", "3", "staffing short", c3);

	t.today = "2026-03-05";
	OK("bob", "--json", "watchlist");
	cr_assert_eq(json_array_size(t.json), 1, "%s", t.out);
	{
		json_t *r = json_array_get(t.json, 0);

		cr_assert_eq(json_integer_value(json_object_get(r, "open_concerns")), 2, "%s", t.out);
		cr_assert_eq(json_integer_value(json_object_get(r, "max_score")), 12, "%s", t.out);
		cr_assert_str_eq(json_string_value(json_object_get(r, "band")), "red");
	}
	OK("bob", "--json", "provider", "show", "Elm House");
	cr_assert_eq(json_integer_value(json_object_get(t.json, "open_concerns")), 2, "%s", t.out);
	t.today = "2026-03-10";
	OK("bob", "--json", "watchlist");
	{
		json_t *r = json_array_get(t.json, 0);

		cr_assert_eq(json_integer_value(json_object_get(r, "open_concerns")), 2, "%s", t.out);
		cr_assert_eq(json_integer_value(json_object_get(r, "max_score")), 6, "%s", t.out);
	}
	/* Before anything was logged, nothing to watch. */
	t.today = "2026-03-01";
	OK("bob", "--json", "watchlist");
	cr_assert_eq(json_array_size(t.json), 0, "%s", t.out);
}

/* An action plan's dates: due on or after the day added; an extension later. */
Test(history, due_dates_and_extensions_at_their_edges)
{
	cid c1, a1;
	long before;

	t.today = "2026-03-02";
	OK("bob", "provider", "add", "Elm House", "--type", "care_home_nursing",
		"--commissioner", "County Council");
	OK("bob", "case", "open", "--provider", "Elm House", "--reason", "complaints");
	concern("3", "3", "medication errors", c1);
	OK("bob", "case", "escalate", "Elm House", "--trigger", "single_or_repeated_concern",
		"--chair", "bob");
	before = cwt_count(&t, "actions");
	REFUSED(2, "bob", "action", "add", "--case", "Elm House", "--concern", c1, "--kind", "CA",
		"--improvement", "audit", "--due", "2026-03-01", "--owner", "Manager");
	HAS(t.err, "--due");
	HAS(t.err, "before today");
	cr_assert_eq(cwt_count(&t, "actions"), before, "a refused item was written");
	action(c1, "CA", "2026-03-02", "audit", a1);   /* due the day it is added: allowed */
	before = cwt_count(&t, "action_extensions");
	REFUSED(2, "bob", "action", "extend", a1, "--due", "2026-03-01", "--rationale", "r");
	HAS(t.err, "--due");
	HAS(t.err, "later");
	REFUSED(2, "bob", "action", "extend", a1, "--due", "2026-03-02", "--rationale", "r");
	HAS(t.err, "already due");
	cr_assert_eq(cwt_count(&t, "action_extensions"), before, "a refused extension was written");
	OK("bob", "action", "extend", a1, "--due", "2026-03-03", "--rationale", "one more day");
	OK("bob", "--json", "action", "show", a1);
	cr_assert_str_eq(cwt_str(&t, "due"), "2026-03-03");
	/* Every status change leaves a dated row; evidence alone does not. */
	before = cwt_count(&t, "action_status");
	OK("bob", "action", "progress", a1, "--status", "ongoing");
	OK("bob", "action", "progress", a1, "--status", "ongoing", "--evidence", "begun");
	OK("bob", "action", "progress", a1, "--status", "completed");
	cr_assert_eq(cwt_count(&t, "action_status"), before + 2);
}

/* Closing with notification tasks open: a `should` guard by default, a
 * wall when the rules make it `must`; the tasks outlive the case. */
static void closable_case(void)
{
	t.today = "2026-03-02";
	OK("bob", "provider", "add", "Elm House", "--type", "care_home_nursing",
		"--commissioner", "County Council");
	OK("bob", "case", "open", "--provider", "Elm House", "--reason", "complaints");
	OK("bob", "case", "escalate", "Elm House", "--trigger", "single_or_repeated_concern",
		"--chair", "bob");   /* process commenced: tasks to tick */
}

Test(history, closing_with_open_tasks_should)
{
	closable_case();
	REFUSED(4, "bob", "case", "close", "Elm House", "--outcome", "improved", "--rationale",
		"better", "--agreed-by", "County Council");
	HAS(t.err, "close_open_tasks");
	HAS(t.err, "override");
	OK("bob", "case", "close", "Elm House", "--outcome", "improved", "--rationale", "better",
		"--agreed-by", "County Council", "--override", "letters go tomorrow");
	/* Closed, and still on the watch list with its duties counted. */
	OK("bob", "--json", "watchlist");
	cr_assert_eq(json_array_size(t.json), 1, "%s", t.out);
	cr_assert(json_integer_value(json_object_get(json_array_get(t.json, 0), "open_tasks")) >= 3,
		"%s", t.out);
	OK("bob", "watchlist", "--format", "markdown");
	HAS(t.out, "Elm House");
	tick_all();
	OK("bob", "--json", "watchlist");
	cr_assert_eq(json_array_size(t.json), 0, "ticked off, it leaves the list: %s", t.out);
}

Test(history, closing_with_open_tasks_must)
{
	cwt_rules(&t, cwt_file(&t, "must.cfg", "guards = { close_open_tasks = \"must\"; };\n"));
	closable_case();
	REFUSED(4, "bob", "case", "close", "Elm House", "--outcome", "improved", "--rationale",
		"better", "--agreed-by", "County Council", "--override", "no");
	HAS(t.err, "is not ticked");
	tick_all();
	OK("bob", "case", "close", "Elm House", "--outcome", "improved", "--rationale", "better",
		"--agreed-by", "County Council");
}

/* A new case does not take over an old case's conditions silently. */
Test(history, a_new_case_shows_the_conditions_still_in_force)
{
	t.today = "2026-03-02";
	OK("bob", "provider", "add", "Elm House", "--type", "care_home_nursing",
		"--commissioner", "County Council", "--commissioner", "Health Board");
	OK("bob", "case", "open", "--provider", "Elm House", "--reason", "complaints");
	OK("bob", "case", "escalate", "Elm House", "--trigger", "single_or_repeated_concern",
		"--chair", "bob");
	meeting("2026-03-02", "amber", "2026-03-30");
	OK("dora", "case", "suspend", "Elm House", "--commissioner", "Health Board", "--kind",
		"mandatory", "--reason", "their review", "--meeting", "2026-03-02");
	tick_all();
	OK("bob", "case", "close", "Elm House", "--outcome", "single_agency_monitoring",
		"--rationale", "better", "--agreed-by", "County Council", "--override",
		"the board decides for itself");
	tick_all();
	t.today = "2026-03-20";
	OK("bob", "case", "open", "--provider", "Elm House", "--reason", "new complaints");
	HAS(t.out, "in force from an earlier case");
	HAS(t.out, "Health Board");
	HAS(t.out, "K-0001");
	OK("bob", "--json", "case", "show", "Elm House");
	{
		json_t *e = json_object_get(t.json, "earlier_conditions");

		cr_assert_eq(json_array_size(e), 1, "%s", t.out);
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0),
			"commissioner")), "Health Board");
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0),
			"case_ref")), "K-0001");
	}
	/* Lifted by its commissioner, it is no longer in force and no longer shown. */
	OK("dora", "case", "restart", "Elm House", "--commissioner", "Health Board", "--reason",
		"review done");
	OK("bob", "--json", "case", "show", "Elm House");
	cr_assert_eq(json_array_size(json_object_get(t.json, "earlier_conditions")), 0, "%s", t.out);
}
