/*
 * Output people can read (issue 17): lists fitted to the terminal keep
 * every full name, the watch list explains itself, placement controls in
 * words, "did you mean" for names, counts that agree with their nouns, and
 * stages by their short names.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/words.h"
#include "cwtest.h"

static cwt t;

/* Run as `as`; the exit code must be `want`. */
static void expect(int want, const char *as, const char *const *argv)
{
	int got = cwt_runv(&t, as, argv);

	cr_assert_eq(got, want, "%s: exit %d, not %d: %s%s", argv[0], got, want, t.err, t.out);
}

static void contains(const char *text, const char *what, bool want)
{
	cr_assert_eq(strstr(text, what) != NULL, want, "'%s' %s in: %s", what,
		want ? "not" : "wrongly", text);
}

#define OK(as, ...) expect(0, as, (const char *const[]){ __VA_ARGS__, NULL })
#define REFUSED(want, as, ...) expect(want, as, (const char *const[]){ __VA_ARGS__, NULL })
#define HAS(text, what) contains((text), (what), true)
#define HASNT(text, what) contains((text), (what), false)

static const char long_name[] = "The Rosewood Care Home for Older People of the Vale";
static const char long_summary[] =
	"Medication administration records incomplete on three units during the night shift";

/* Rosewood (in a group) with a red concern; Elm House with an open case at
 * provider_performance. "Today" is Sunday 22 November. */
static void setup(void)
{
	static const char *const people[][2] = {
		{ "Morgan Hale", "contracts" }, { "Dafydd Rees", "director" }, { "quinn", "qa" },
	};
	size_t i;

	cwt_setup(&t, "alice");
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		OK("alice", "user", "add", people[i][0], "--role", people[i][1]);
	OK("alice", "commissioner", "add", "Carewatch County Council", "--lead");
	cwt_letterhead(&t, "alice", "Carewatch County Council");
	OK("alice", "commissioner", "add", "Vale Health Board", "--kind", "health_board");
	OK("Morgan Hale", "provider", "add", long_name, "--type", "care_home_nursing",
		"--group", "Rosewood Homes Group", "--commissioner", "Carewatch County Council");
	OK("Morgan Hale", "concern", "log", "--provider", long_name, "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "4", "--summary",
		long_summary);
	OK("Morgan Hale", "provider", "add", "Elm House", "--type", "care_home_residential",
		"--commissioner", "Carewatch County Council");
	t.today = "2026-11-10";   /* escalated before the meeting of 20 November */
	OK("Morgan Hale", "case", "open", "--provider", "Elm House", "--reason", "complaints");
	OK("Morgan Hale", "case", "escalate", "Elm House", "--trigger", "pattern_of_issues",
		"--chair", "Morgan Hale");
	t.today = "2026-11-22";
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(read, .init = setup, .fini = teardown, .timeout = 120);

/* `s` without white space, so wrapped lines read as one (a new string). */
static char *squeezed(const char *s)
{
	char *out = malloc(strlen(s) + 1), *p = out;

	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			*p++ = *s;
	*p = '\0';
	return out;
}

/*
 * Is `what` whole in the column headed `header` of the table in `text`,
 * each cell's wrapped lines joined? The column runs from its header to
 * the next header of the header line (ASCII text, as these tests use).
 */
static bool findable(const char *text, const char *header, const char *what)
{
	const char *head = strstr(text, header), *line, *end;
	size_t from, to, n;
	char *col, *a, *b;
	bool found;

	cr_assert(head, "no column %s in: %s", header, text);
	line = head;
	while (line > text && line[-1] != '\n')
		line--;
	from = (size_t)(head - line);
	end = head + strlen(header);
	while (*end == ' ')
		end++;
	to = *end && *end != '\n' ? (size_t)(end - line) : (size_t)-1;
	col = calloc(strlen(text) + 1, 1);
	for (line = strchr(line, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		const char *l = line + 1, *nl = strchr(l, '\n');

		n = nl ? (size_t)(nl - l) : strlen(l);
		if (n > from)
			strncat(col, l + from, (to == (size_t)-1 ? n : to < n ? to : n) - from);
		strcat(col, " ");
	}
	a = squeezed(col);
	b = squeezed(what);
	found = strstr(a, b) != NULL;
	free(col);
	free(a);
	free(b);
	return found;
}

static void no_line_wider(const char *text, size_t width)
{
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		cr_assert_leq(n, width, "wider than %zu: %.*s", width, (int)n, line);
		line += n + (nl ? 1 : 0);
	}
}

Test(read, lists_at_80_and_200_columns_keep_every_full_name)
{
	static const char *const widths[] = { "80", "200" };
	size_t i;

	for (i = 0; i < 2; i++) {
		t.columns = widths[i];
		OK("Morgan Hale", "provider", "list");
		cr_assert(findable(t.out, "NAME", long_name), "%s columns: %s", widths[i], t.out);
		HASNT(t.out, "~");
		if (i == 0)
			no_line_wider(t.out, 80);
		OK("Morgan Hale", "concern", "list");
		cr_assert(findable(t.out, "PROVIDER", long_name), "%s columns: %s", widths[i], t.out);
		cr_assert(findable(t.out, "SUMMARY", long_summary), "%s columns: %s", widths[i], t.out);
		OK("quinn", "watchlist");
		cr_assert(findable(t.out, "PROVIDER", long_name), "%s columns: %s", widths[i], t.out);
		no_line_wider(t.out, (size_t)atoi(widths[i]));
		OK("Morgan Hale", "case", "list");
		cr_assert(findable(t.out, "PROVIDER", "Elm House"), "%s", t.out);
	}
	/* Wide enough: each name on one line, as typed. */
	OK("Morgan Hale", "concern", "list");
	HAS(t.out, long_summary);
	OK("Morgan Hale", "provider", "list");
	HAS(t.out, long_name);
	/* show never cuts what the user typed, whatever the width. */
	t.columns = "40";
	OK("Morgan Hale", "concern", "show", "C-0001");
	HAS(t.out, long_summary);
}

Test(read, watch_list_explains_itself)
{
	static const char *const shown[] = {
		"Legend:", "NEXT REVIEW", "red, computed", "group: Rosewood Homes Group",
		"flags: an open concern is in the red band", "PPM",
	};
	size_t i;

	t.columns = "120";
	OK("quinn", "watchlist");
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		HAS(t.out, shown[i]);
	HASNT(t.out, "red_concern");
	/* A level the meeting agreed says so. */
	OK("Morgan Hale", "meeting", "record", "--case", "Elm House", "--date", "2026-11-20",
		"--chair", "Morgan Hale", "--attendee", "Morgan Hale|Council|Chair",
		"--trend", "same", "--overall", "amber");
	OK("quinn", "watchlist");
	HAS(t.out, "amber, agreed");
	/* The legend alone. */
	OK("quinn", "watchlist", "--legend");
	HAS(t.out, "Legend:");
	HAS(t.out, "agreed");
	HASNT(t.out, "Elm House");
}

Test(read, placement_controls_in_words)
{
	OK("Dafydd Rees", "case", "suspend", "Elm House", "--commissioner",
		"Carewatch County Council", "--kind", "mandatory", "--reason", "unsafe");
	REFUSED(4, "Morgan Hale", "placement", "check", "--provider", "Elm House",
		"--commissioner", "Carewatch County Council");
	HAS(t.out, "suspended: mandatory embargo");
	OK("Dafydd Rees", "case", "restart", "Elm House", "--commissioner",
		"Carewatch County Council", "--reason", "better", "--max-admissions", "2", "--per",
		"week");
	OK("Morgan Hale", "placement", "check", "--provider", "Elm House", "--commissioner",
		"Carewatch County Council");
	HAS(t.out, "restricted: 2 admissions a week, 0 used (16 Nov \u2013 22 Nov)");
	HASNT(t.out, "{\"");
	OK("Morgan Hale", "placement", "record", "--provider", "Elm House", "--commissioner",
		"Carewatch County Council");
	HAS(t.out, "restricted: 2 admissions a week, 1 used (16 Nov \u2013 22 Nov)");
	OK("Morgan Hale", "--json", "placement", "check", "--provider", "Elm House",
		"--commissioner", "Carewatch County Council");
	cr_assert_str_eq(cwt_str(&t, "control"),
		"restricted: 2 admissions a week, 1 used (16 Nov \u2013 22 Nov)");
	OK("quinn", "watchlist", "--format", "csv");
	HAS(t.out, "Carewatch County Council: restricted: no more than 2 new admissions per week");
	HASNT(t.out, "{\"\"");
}

Test(read, a_name_that_matches_nothing_suggests_the_nearest)
{
	REFUSED(3, "Morgan Hale", "provider", "show", "Elm Hous");
	HAS(t.err, "no provider 'Elm Hous'; did you mean 'Elm House'?");
	REFUSED(3, "Morgan Hale", "provider", "show", "Rosewood Care Home");
	HAS(t.err, long_name);
	REFUSED(3, "Morgan Hale", "placement", "check", "--provider", "Elm House",
		"--commissioner", "Vale Health");
	HAS(t.err, "did you mean 'Vale Health Board'?");
	REFUSED(3, "Morgan Hale", "meeting", "record", "--case", "Elm House", "--date", "2026-11-20",
		"--chair", "Morgan Hail", "--attendee", "Morgan Hale|Council|Chair", "--trend", "same");
	HAS(t.err, "the chair 'Morgan Hail' is not a carewatch user; did you mean 'Morgan Hale'?");
	OK("Morgan Hale", "case", "open", "--provider", long_name, "--reason", "red concern");
	REFUSED(3, "Morgan Hale", "case", "escalate", long_name, "--trigger", "pattern_of_issues",
		"--chair", "morgan hal");
	HAS(t.err, "no user 'morgan hal'; did you mean 'Morgan Hale'?");
	/* Nothing near: no suggestion. */
	REFUSED(3, "Morgan Hale", "provider", "show", "Zebra Crossing Lodge");
	HASNT(t.err, "did you mean");
}

Test(read, counts_agree_with_their_nouns)
{
	/* A close with one unmet condition (no partner agreement), then two (and
	 * a red concern). */
	OK("Morgan Hale", "provider", "add", "Ash Lodge", "--type", "care_home_residential");
	OK("Morgan Hale", "case", "open", "--provider", "Ash Lodge", "--reason", "a visit");
	OK("Morgan Hale", "case", "open", "--provider", long_name, "--reason", "red concern");
	REFUSED(4, "Dafydd Rees", "case", "close", "Ash Lodge", "--outcome", "improved",
		"--rationale", "done");
	HAS(t.err, "1 unmet condition: no partner agreement recorded (--agreed-by: ");
	REFUSED(4, "Dafydd Rees", "case", "close", long_name, "--outcome", "improved",
		"--rationale", "done");
	HAS(t.err, "2 unmet conditions: ");
	{
		char *one = cw_count_words(1, "unmet condition", "unmet conditions");
		char *two = cw_count_words(2, "unmet condition", "unmet conditions");

		cr_assert_str_eq(one, "1 unmet condition");
		cr_assert_str_eq(two, "2 unmet conditions");
		free(one);
		free(two);
	}
	OK("Morgan Hale", "--json", "concern", "log", "--provider", "Elm House", "--source",
		"complaint", "--team", "commissioning", "--likelihood", "2", "--impact", "2",
		"--summary", "minor");
	/* The PPM agenda: 1 item overdue, then 2. */
	t.today = "2026-11-10";
	OK("Morgan Hale", "action", "add", "--case", "Elm House", "--concern", "C-0002", "--kind",
		"CA", "--improvement", "audit", "--due", "2026-11-15", "--owner", "Manager");
	t.today = "2026-11-22";
	OK("Morgan Hale", "document", "ppm-agenda", "--case", "Elm House", "--format", "text");
	HAS(t.out, "1 action plan item overdue.");
	t.today = "2026-11-16";  /* an item is never due before the day it is added */
	OK("Morgan Hale", "action", "add", "--case", "Elm House", "--concern", "C-0002", "--kind",
		"CA", "--improvement", "train", "--due", "2026-11-21", "--owner", "Manager");
	t.today = "2026-11-22";
	OK("Morgan Hale", "document", "ppm-agenda", "--case", "Elm House", "--format", "text");
	HAS(t.out, "2 action plan items overdue.");
}

Test(read, stages_by_their_short_names)
{
	OK("Morgan Hale", "--json", "case", "list", "--stage", "ppm");
	cr_assert_eq(json_array_size(t.json), 1);
	OK("Morgan Hale", "--json", "case", "list", "--stage", "PPM");
	cr_assert_eq(json_array_size(t.json), 1);
	OK("Morgan Hale", "--json", "case", "list", "--stage", "qa");
	cr_assert_eq(json_array_size(t.json), 0);
	OK("Morgan Hale", "--json", "case", "list", "--stage", "provider_performance");
	cr_assert_eq(json_array_size(t.json), 1);
	REFUSED(2, "Morgan Hale", "case", "list", "--stage", "pp");
	HAS(t.err, "--stage 'pp' is not one of");
	/* Where a person reads them, stages and flags in words. */
	OK("Morgan Hale", "case", "show", "Elm House");
	HAS(t.out, "provider_performance (provider performance, PPM)");
	OK("Morgan Hale", "provider", "show", long_name);
	HAS(t.out, "- red_concern: an open concern is in the red band");
	cr_assert_str_eq(cw_stage_parse("quality assurance"), "quality_assurance");
	cr_assert_str_eq(cw_stage_abbrev("provider_performance"), "PPM");
	cr_assert_str_eq(cw_stage_words("provider_performance"), "provider performance");
	cr_assert_null(cw_stage_parse("nope"));
}
