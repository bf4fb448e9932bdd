/*
 * Scenario tests of letters: a real case is walked through the protocol with
 * the CLI and every letter is written from it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/error.h"
#include "carewatch/letter.h"
#include "cwscenario.h"

static cwt t;

#undef HAS  /* cwscenario.h's, but unwrapped first */
#define HAS(text, what) cr_assert(has((text), (what)), "no '%s' in: %s", (what), (text))

/* Whitespace runs as one blank: text letters are wrapped at 78 columns. */
static char *flat(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	for (; *s; s++)
		if (*s == ' ' || *s == '\n') {
			if (o == out || o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = *s;
		}
	*o = '\0';
	return out;
}

/* `what` in `text` as it is, or once both are unwrapped. */
static bool has(const char *text, const char *what)
{
	char *a, *b;
	bool found;

	if (strstr(text, what))
		return true;
	a = flat(text);
	b = flat(what);
	found = strstr(a, b) != NULL;
	free(a);
	free(b);
	return found;
}


static const char *const letters[] = {
	"ppm-commenced-provider", "ppm-commenced-service-user", "embargo-placed-provider",
	"embargo-placed-service-user", "embargo-lifted-provider", "embargo-lifted-service-user",
	"process-closed-provider", "contract-terminated-provider", "lack-of-engagement-provider",
	"concerns-provider", NULL
};

static cid kase;

static void open_case(const char *provider)
{
	OK("bob", "provider", "add", provider, "--type", "care_home_residential",
		"--commissioner", "County Council", "--commissioner", "Health Board");
	OK("bob", "--json", "case", "open", "--provider", provider, "--reason", "complaints");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
}

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "quinn", "--role", "qa");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	cwt_letterhead(&t, "alice", "County Council");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(letter, .init = setup, .fini = teardown, .timeout = 120);

/* A provider performance meeting the provider did not attend, next one set. */
static void meeting(const char *date, const char *next)
{
	OK("bob", "meeting", "record", "--case", kase, "--date", date, "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same", "--next", next);
}

static const char *letter(const char *name, const char *format)
{
	OK("bob", "letter", name, "--case", kase, "--format", format);
	cr_assert(!strstr(t.out, "{{"), "%s left a placeholder:\n%s", name, t.out);
	cr_assert(!strstr(t.out, "}}"), "%s left a placeholder:\n%s", name, t.out);
	return t.out;
}

Test(letter, every_letter_of_a_case_walked_through_the_protocol)
{
	const char *const *l;
	const char *text;

	t.today = "2026-11-02";
	open_case("Oakwood");
	/* Nothing has happened yet: each letter says which fact is missing (exit 3). */
	for (l = letters; *l; l++) {
		if (strcmp(*l, "concerns-provider") == 0)
			continue;   /* protocol 9.3: written in stage 1 as well */
		REFUSED(3, "bob", "letter", *l, "--case", kase);
		HAS(t.err, "cannot be written yet");
	}
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	text = letter("ppm-commenced-service-user", "text");
	HAS(text, "Re: Oakwood");
	HAS(text, "2 November 2026");
	HAS(text, "County Council and Health Board");
	REFUSED(3, "bob", "letter", "ppm-commenced-provider", "--case", kase);
	HAS(t.err, "no provider performance meeting of case");

	t.today = "2026-11-09";
	meeting("2026-11-09", "2026-12-07");
	text = letter("ppm-commenced-provider", "text");
	HAS(text, "County Council\nSocial Care, Health and Housing\nCounty Hall\nMarket Street\n");
	HAS(text, "9 November 2026");
	HAS(text, "The Registered Manager\nOakwood\n");
	HAS(text, "Re: Oakwood - Provider Performance Monitoring Protocol");
	HAS(text, "commenced on 2 November 2026");
	HAS(text, "residential care home");
	HAS(text, "held on 9 November 2026");
	HAS(text, "due to be held on 7 December 2026");
	HAS(text, "Yours sincerely,");
	HAS(text, "please contact us: telephone 01234 567890, email contracts@carewatch.example.gov.uk.");
	HAS(text, "Yours sincerely,\n\n\nJo Bloggs\nHead of Commissioning\nCounty Council\n");
	text = letter("lack-of-engagement-provider", "text");
	HAS(text, "7 December 2026");
	HAS(text, "on behalf of bob, chair of the provider performance meetings");
	HAS(text, "not been represented at the last provider performance meeting.");
	HAS(text, "\nJo Bloggs\nHead of Commissioning\n");
	REFUSED(3, "bob", "letter", "embargo-placed-provider", "--case", kase);
	HAS(t.err, "case suspend");

	t.today = "2026-11-16";
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "mandatory",
		"--reason", "staffing below safe levels at night", "--meeting", "2026-11-09");
	text = letter("embargo-placed-provider", "text");
	HAS(text, "County Council has decided to suspend new placements");
	HAS(text, "with effect from 16 November 2026");
	HAS(text, "at the meeting held on 9 November 2026");
	HAS(text, "mandatory embargo");
	HAS(text, "staffing below safe levels at night");
	REFUSED(3, "bob", "letter", "embargo-lifted-provider", "--case", kase);
	HAS(t.err, "case restart");

	t.today = "2026-12-14";
	OK("dora", "case", "restart", kase, "--commissioner", "County Council", "--reason",
		"night staffing restored", "--max-admissions", "2", "--per", "week", "--max-hours", "12",
		"--no-respite");
	text = letter("embargo-lifted-provider", "text");
	HAS(text, "may restart from 14 December 2026");
	HAS(text, "in place since 16 November 2026");
	HAS(text, "- no more than 2 new admissions per week\n");
	HAS(text, "- no more than 12 new hours of care per week\n");
	HAS(text, "- no respite placements\n");
	HAS(text, "night staffing restored");
	REFUSED(3, "bob", "letter", "process-closed-provider", "--case", kase);

	t.today = "2027-01-11";
	OK("bob", "case", "close", kase, "--outcome", "improved", "--rationale", "sustained",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	text = letter("process-closed-provider", "text");
	HAS(text, "closed on 11 January 2027");
	HAS(text, "no longer being considered under the Provider Performance Monitoring Protocol");
	HAS(text, "partners agree that the process can close");
	/* Every letter still renders from the closed case, as text and as a page. */
	for (l = letters; *l; l++) {
		if (strcmp(*l, "ppm-commenced-provider") == 0 ||
		    strcmp(*l, "lack-of-engagement-provider") == 0)
			continue;   /* they need a next meeting, and this one has passed */
		if (strcmp(*l, "contract-terminated-provider") == 0) {
			REFUSED(3, "bob", "letter", *l, "--case", kase);
			HAS(t.err, "outcome contract_terminated");
			continue;   /* the contract was not terminated */
		}
		letter(*l, "text");
		text = letter(*l, "html");
		HAS(text, "<!DOCTYPE html>");
		HAS(text, "<style>");
		HAS(text, "class=\"subject\">Re: ");
		HAS(text, "</html>");
	}
	REFUSED(3, "bob", "letter", "ppm-commenced-provider", "--case", kase);
	HAS(t.err, "not yet set");
	/* Each letter written is in the audit trail. */
	OK("alice", "--json", "audit", "--entity", kase);
	HAS(t.out, "letter.write");
	OK("alice", "audit", "verify");
}

Test(letter, json_output_and_the_list_of_templates)
{
	open_case("Oakwood");
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "--json", "letter", "ppm-commenced-service-user", "--case", "Oakwood");
	cr_assert_str_eq(cwt_str(&t, "template"), "ppm-commenced-service-user");
	cr_assert_str_eq(cwt_str(&t, "case_id"), kase);
	cr_assert_str_eq(cwt_str(&t, "format"), "text");
	cr_assert_str_eq(cwt_str(&t, "source"), "built-in");
	HAS(cwt_str(&t, "text"), "Dear Sir or Madam,");
	REFUSED(2, "bob", "letter", "dear-john", "--case", kase);
	for (const char *const *l = letters; *l; l++)
		HAS(t.err, *l);
	REFUSED(2, "bob", "letter", "ppm-commenced-service-user", "--case", kase, "--format", "pdf");
	REFUSED(2, "bob", "letter", "ppm-commenced-service-user");
	REFUSED(3, "bob", "letter", "ppm-commenced-service-user", "--case", "ffffffff");
	REFUSED(5, "quinn", "letter", "ppm-commenced-service-user", "--case", kase);
}

Test(letter, html_escapes_every_value)
{
	const char *text;

	open_case("<script>alert(1)</script> & Sons");
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	text = letter("ppm-commenced-service-user", "html");
	cr_assert(!strstr(text, "<script>"), "%s", text);
	HAS(text, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons");
	HAS(text, "<title>ppm-commenced-service-user: &lt;script&gt;");
	/* The template's own apostrophes are escaped too; the markup is the page's. */
	HAS(text, "everyone&#39;s priority");
	/* Plain text is the letter as it is. */
	text = letter("ppm-commenced-service-user", "text");
	HAS(text, "Re: <script>alert(1)</script> & Sons\n");
}

Test(letter, templates_can_be_replaced_from_the_letters_dir)
{
	open_case("Oakwood");
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	cwt_file(&t, "ppm-commenced-service-user.txt",
		"{{council.name}} to the families at {{provider.name}}: {{#case.escalated}}since"
		" {{case.escalated}}{{/case.escalated}}.\n");
	/* Relative to the rules file that names the directory. */
	cwt_rules(&t, cwt_file(&t, "local.cfg", "letters_dir = \".\";\n"));
	OK("bob", "--json", "letter", "ppm-commenced-service-user", "--case", kase);
	cr_assert_str_eq(cwt_str(&t, "text"), "County Council to the families at Oakwood:"
		" since 22 November 2026.\n");
	HAS(cwt_str(&t, "source"), "/ppm-commenced-service-user.txt");
	HAS(cwt_str(&t, "source"), "pinned");
	/* Pinned: the file changed on disk changes nothing until `rules set` again. */
	cwt_file(&t, "ppm-commenced-service-user.txt", "Changed behind our back.\n");
	OK("bob", "--json", "letter", "ppm-commenced-service-user", "--case", kase);
	cr_assert_str_eq(cwt_str(&t, "text"), "County Council to the families at Oakwood:"
		" since 22 November 2026.\n");
	cwt_rules(&t, cwt_file(&t, "local.cfg", "letters_dir = \".\";\n"));
	OK("bob", "--json", "letter", "ppm-commenced-service-user", "--case", kase);
	cr_assert_str_eq(cwt_str(&t, "text"), "Changed behind our back.\n");
	/* The others still come from the built-in copies. */
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "mandatory",
		"--reason", "unsafe");
	OK("bob", "--json", "letter", "embargo-placed-provider", "--case", kase);
	cr_assert_str_eq(cwt_str(&t, "source"), "built-in");
	/* Without the setting, the built-in copy again. */
	cwt_rules(&t, NULL);
	OK("bob", "--json", "letter", "ppm-commenced-service-user", "--case", kase);
	cr_assert_str_eq(cwt_str(&t, "source"), "built-in");
	HAS(cwt_str(&t, "text"), "Dear Sir or Madam,");
}

Test(letter, a_placeholder_with_no_value_is_an_error_not_a_gap)
{
	open_case("Oakwood");
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	cwt_file(&t, "embargo-placed-provider.txt", "Dear {{provider.name}}, {{provider.manager}}\n");
	cwt_file(&t, "ppm-commenced-service-user.txt", "Dear {{provider.name}}, {{#x}}\n");
	cwt_file(&t, "process-closed-provider.txt", "{{provider.regulator_id}}\n");
	/* cwt_file's path is a static buffer: the rules file is written last. */
	cwt_rules(&t, cwt_file(&t, "local.cfg", "letters_dir = \".\";\n"));
	/* A placeholder that names no fact is invalid input (exit 2), named. */
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "voluntary",
		"--reason", "agreed");
	REFUSED(2, "bob", "letter", "embargo-placed-provider", "--case", kase);
	HAS(t.err, "{{provider.manager}}");
	cr_assert_eq(strlen(t.out), 0, "nothing is printed: %s", t.out);
	/* A broken template is invalid input too. */
	REFUSED(2, "bob", "letter", "ppm-commenced-service-user", "--case", kase);
	HAS(t.err, "never closed");
	/* A fact that is absent (no regulator id) is missing, said so (exit 3). */
	REFUSED(3, "bob", "letter", "process-closed-provider", "--case", kase);
	HAS(t.err, "no regulator id");
}

/* ---- The engine's API, called directly (no binary) ---- */

struct render {
	cw_letter_args a;
	json_t *out;
};

static int render_unit(cw_db *db, void *arg)
{
	struct render *r = arg;

	return cw_letter_render(db, &r->a, &r->out);
}

/* Render a letter through the engine as `as`; the text in *text (a copy). */
static int render(const char *as, const char *name, cw_format format, char **text)
{
	struct render r = { { .name = name, .case_ref = kase, .format = format }, NULL };
	cw_db *db = cwt_engine(&t, NULL);
	int err = cw_db_run_as(db, as, true, render_unit, &r);

	*text = r.out ? strdup(json_string_value(json_object_get(r.out, "text"))) : NULL;
	if (r.out)
		cr_assert_str_eq(json_string_value(json_object_get(r.out, "case_id")), kase);
	json_decref(r.out);
	cw_db_close(db);
	return err;
}

/* A letter speaks of the case's latest meeting: naming one is refused. */
Test(letter, the_engine_refuses_a_meeting_for_a_letter)
{
	struct render r = { { .name = "concerns-provider", .case_ref = "nosuch",
		.meeting = "next", .format = CW_FORMAT_TEXT }, NULL };
	cw_db *db = cwt_engine(&t, NULL);

	cr_assert_eq(cw_db_run_as(db, "bob", true, render_unit, &r), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "meeting");
	cr_assert(strstr(cw_errmsg(), "a letter speaks of the case's latest meeting"), "%s",
		cw_errmsg());
	cr_assert_null(r.out);
	cw_db_close(db);
}

Test(letter, the_engine_writes_letters_from_its_getters)
{
	char *text = NULL, concern[64];

	/* The lead is not first by name: a third body sorts before it. */
	OK("alice", "commissioner", "add", "Abbey Trust", "--kind", "other");
	OK("bob", "provider", "add", "Oakwood", "--type", "domiciliary", "--commissioner",
		"Health Board", "--commissioner", "Abbey Trust", "--commissioner", "County Council");
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	cr_assert_eq(render("bob", "ppm-commenced-service-user", CW_FORMAT_TEXT, &text), CW_ENOTFOUND);
	cr_assert_null(text);
	HAS(cw_errmsg(), "has not been escalated");
	/* Escalated before the meetings below: none predates the escalation. */
	t.today = "2026-11-19";
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	t.today = "2026-11-22";
	cr_assert_eq(render("bob", "ppm-commenced-service-user", CW_FORMAT_TEXT, &text), CW_OK,
		"%s", cw_errmsg());
	HAS(text, "by County Council, Abbey Trust and Health Board,");
	HAS(text, "Since 19 November 2026 meetings");
	free(text);

	/* Two meetings missed by the provider; the next date set at the first only. */
	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2", "--summary", "late calls");
	snprintf(concern, sizeof(concern), "%s", cwt_str(&t, "id"));
	{   /* added on its due day, the day before: overdue now */
		const char *today = t.today;

		t.today = "2026-11-21";
		OK("bob", "action", "add", "--case", kase, "--concern", concern, "--kind", "CA",
			"--improvement", "rota", "--due", "2026-11-21", "--owner", "Manager");
		t.today = today;
	}
	OK("bob", "action", "add", "--case", kase, "--concern", concern, "--kind", "DA",
		"--improvement", "training", "--due", "2026-12-21", "--owner", "Manager");
	meeting("2026-11-20", "2026-12-18");
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-21", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same");
	cr_assert_eq(render("bob", "lack-of-engagement-provider", CW_FORMAT_TEXT, &text), CW_OK,
		"%s", cw_errmsg());
	HAS(text, "not been represented at the last 2 provider performance meetings.");
	HAS(text, " 1 of the 2 items of the action plan is past its target date");
	HAS(text, "the next provider performance meeting, on 18 December 2026,");
	free(text);
	/* The provider came to the latest, which moved the next one: none missed since. */
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-22", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same", "--provider-attended",
		"--next", "2026-12-11");
	cr_assert_eq(render("bob", "lack-of-engagement-provider", CW_FORMAT_HTML, &text), CW_OK,
		"%s", cw_errmsg());
	cr_assert_null(strstr(text, "not been represented"), "%s", text);
	HAS(text, "on 11 December 2026,");
	HAS(text, "<title>lack-of-engagement-provider: Oakwood</title>");
	HAS(text, "<article class=\"letter\">\n<p class=\"letterhead\">");
	cr_assert(strstr(text, "</article>\n</body>\n</html>\n"), "%s", text);
	free(text);

	/* Refusals: the permission, the letter's name, the case. */
	cr_assert_eq(render("quinn", "lack-of-engagement-provider", CW_FORMAT_TEXT, &text),
		CW_EFORBIDDEN);
	cr_assert_eq(render("bob", "dear-john", CW_FORMAT_TEXT, &text), CW_EINVALID);
	HAS(cw_errmsg(), "ppm-commenced-provider");
	snprintf(kase, sizeof(kase), "ffffffff");
	cr_assert_eq(render("bob", "lack-of-engagement-provider", CW_FORMAT_TEXT, &text),
		CW_ENOTFOUND);
}
