/*
 * Scenario tests of documents: a real case (opened, escalated, an action
 * extended with evidence, two meetings, a suspension and a restart) and
 * every document rendered from it in every format.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/document.h"
#include "carewatch/error.h"
#include "cwscenario.h"

static cwt t;

static cid kase;

static const char *const docs[] = { "ppm-agenda", "ppm-attendance", "ppm-record", "action-plan",
	"suspension-form", "restart-form", NULL };
static const char *const formats[] = { "markdown", "html", "text", NULL };
#define HOSTILE "<script>alert(1)</script> a | b ** c"

static void keep_id(cid out)
{
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "id"));
}

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "sam", "--role", "safeguarding");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	cwt_letterhead(&t, "alice", "County Council");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(document, .init = setup, .fini = teardown, .timeout = 240);

/* Tick off the open task of `event` whose description starts with `what`. */
static void tick(const char *event, const char *what)
{
	cid id = "";
	json_t *x;
	size_t i;

	OK("bob", "--json", "task", "list", "--case", kase, "--open");
	json_array_foreach(t.json, i, x)
		if (strcmp(json_string_value(json_object_get(x, "event")), event) == 0 &&
		    strncmp(json_string_value(json_object_get(x, "description")), what,
			strlen(what)) == 0)
			snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(x, "id")));
	cr_assert(*id, "no open %s task '%s'", event, what);
	OK("bob", "task", "done", id);
}

/* The walk up to the suspension; `restart` goes on to the restart. */
static void walk(bool restart)
{
	cid k, p, a;

	t.today = "2026-11-01";
	OK("bob", "provider", "add", HOSTILE, "--type", "care_home_residential",
		"--commissioner", "County Council", "--commissioner", "Health Board");
	OK("bob", "--json", "case", "open", "--provider", HOSTILE, "--reason", "complaints");
	keep_id(kase);
	t.today = "2026-11-03";
	OK("bob", "--json", "concern", "log", "--provider", HOSTILE, "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "3", "--summary", "meds | late");
	keep_id(k);
	OK("sam", "--json", "concern", "log", "--provider", HOSTILE, "--source", "pova_referral",
		"--team", "safeguarding", "--likelihood", "4", "--impact", "4", "--summary", "bruising",
		"--pova-ref", "POVA-SECRET-77", "--subject", "SU-SECRET-9");
	keep_id(p);
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "--json", "action", "add", "--case", kase, "--concern", k, "--kind", "CA",
		"--improvement", "audit medication", "--due", "2026-11-20", "--owner", "Manager <Jo>");
	keep_id(a);
	t.today = "2026-11-09";
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-09", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--attendee", "Jo|Provider|manager",
		"--trend", "same", "--overall", "red", "--next", "2026-11-16", "--decisions", "embargo");
	t.today = "2026-11-12";
	OK("bob", "action", "extend", a, "--due", "2026-12-01", "--rationale", "sickness");
	OK("bob", "action", "progress", a, "--status", "ongoing", "--evidence", "audit 1 done");
	t.today = "2026-11-16";
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "mandatory",
		"--reason", "unsafe staffing", "--meeting", "2026-11-09");
	tick("embargo_placed", "Inform the regulator");
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-16", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--attendee", "Ann|Health Board|nurse",
		"--trend", "decreased", "--next", "2026-12-14", "--provider-attended");
	if (!restart)
		return;
	t.today = "2026-12-10";
	OK("bob", "action", "progress", a, "--status", "completed", "--evidence", "audits weekly");
	OK("sam", "concern", "rate", p, "--likelihood", "1", "--note", "better");
	t.today = "2026-12-14";
	OK("dora", "case", "restart", kase, "--commissioner", "County Council", "--reason",
		"staffing restored", "--max-admissions", "2", "--per", "week", "--no-respite");
}

static const char *doc(const char *as, const char *name, const char *format)
{
	OK(as, "document", name, "--case", kase, "--format", format);
	cr_assert(!strstr(t.out, "{{"), "%s left a placeholder:\n%s", name, t.out);
	cr_assert(!strstr(t.out, "}}"), "%s left a placeholder:\n%s", name, t.out);
	cr_assert(strlen(t.out) > 100, "%s is empty", name);
	return t.out;
}

/* Tags of a known set balance; void elements stand alone; nothing else. The
 * pictures of risk are SVG, whose empty elements close themselves ("/>"). */
static void well_formed(const char *html)
{
	static const char *const known[] = { "html", "head", "title", "style", "body", "main",
		"h1", "h2", "h3", "p", "table", "tr", "th", "td", "ul", "li", "span", "section",
		"figure", "svg", "desc", "g", "rect", "text", "line", "polyline", "circle", NULL };
	const char *stack[64], *p = html;
	int depth = 0;

	for (; (p = strchr(p, '<')); p++) {
		char name[16] = "";
		bool close = p[1] == '/';
		size_t n = 0;
		const char *q = p + 1 + close;

		if (p[1] == '!')
			continue;
		while (n < sizeof(name) - 1 && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
			name[n++] = *q++;
		name[n] = '\0';
		if (strcmp(name, "meta") == 0 || strcmp(name, "br") == 0)
			continue;
		const char *const *k;
		for (k = known; *k && strcmp(*k, name) != 0; k++)
			;
		cr_assert(*k, "unknown tag <%s> at: %.60s", name, p);
		if (!close && strchr(p, '>') && strchr(p, '>')[-1] == '/')
			continue;
		if (!close) {
			cr_assert(depth < 64);
			stack[depth++] = *k;
		} else {
			cr_assert(depth > 0 && strcmp(stack[depth - 1], *k) == 0,
				"</%s> does not close <%s> at: %.60s", name, depth ? stack[depth - 1] : "",
				p);
			depth--;
		}
	}
	cr_assert_eq(depth, 0, "unclosed <%s>", depth ? stack[depth - 1] : "");
}

/* The text layout: no Markdown syntax, and lines a terminal shows whole. */
static void plain_text(const char *text)
{
	const char *line = text;

	cr_assert(!strstr(text, "|---"), "a markdown table in text:\n%s", text);
	cr_assert(!strstr(text, "- **"), "markdown bold labels in text:\n%s", text);
	cr_assert(!strstr(text, "<br>"), "a line break tag in text:\n%s", text);
	cr_assert(!strstr(text, "\\"), "a markdown escape in text:\n%s", text);
	for (const char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		size_t cols = 0;

		for (const char *p = line; p < nl; p++)
			cols += ((unsigned char)*p & 0xC0) != 0x80;
		/* Only the hostile name has words long enough to overflow: none here do. */
		cr_assert(cols <= 78, "a line of %zu columns: %.*s", cols, (int)(nl - line), line);
		cr_assert(nl == line || nl[-1] != ' ', "trailing blank: %.*s", (int)(nl - line),
			line);
	}
}

Test(document, every_document_in_every_format_from_a_real_case)
{
	const char *text;

	walk(true);
	t.today = "2026-12-15";
	for (const char *const *d = docs; *d; d++)
		for (const char *const *f = formats; *f; f++) {
			text = doc("bob", *d, *f);
			if (strcmp(*f, "html") == 0) {
				HAS(text, "<!DOCTYPE html>");
				HAS(text, "@page { size: A4");
				HAS(text, "&lt;script&gt;alert(1)&lt;/script&gt; a | b ** c");
				cr_assert(!strstr(text, "<script>"), "%s", text);
				cr_assert(!strstr(text, "POVA-SECRET"), "%s", text);
				well_formed(text);
			} else if (strcmp(*f, "markdown") == 0) {
				HAS(text, "\\<script\\>alert(1)\\</script\\> a \\| b \\*\\* c");
			} else {
				HAS(text, HOSTILE);
				plain_text(text);
			}
			/* Headed from the lead commissioner's record. */
			HAS(text, "County Council");
			HAS(text, "Social Care, Health and Housing");
		}
	text = doc("bob", "action-plan", "markdown");
	HAS(text, "| meds \\| late | A-0001 audit medication | CA | 1 December 2026<br>extended on"
		" 12 November 2026 from 20 November 2026 (sickness) | Manager \\<Jo\\> |");
	HAS(text, "| completed on 10 December 2026: audits weekly |");
	HAS(text, "12 November 2026: audit 1 done");
	HAS(text, "Embargo:** from 16 November 2026 to 14 December 2026");
	text = doc("bob", "action-plan", "html");
	HAS(text, "band-amber");
	text = doc("bob", "ppm-attendance", "markdown");
	HAS(text, "| Ann | Health Board | nurse | | |");
	HAS(text, "confidential to the members of the meeting");
	HAS(text, "16 November 2026");
	text = doc("bob", "ppm-record", "markdown");
	HAS(text, "8. Current overall level of risk | not set, trend decreased");
	/* The plan as it stood at the meeting: completed later, on 10 December. */
	HAS(text, "| A-0001 CA audit medication: ongoing: audit 1 done<br><br>Information sharing: none recorded |");
	HAS(text, "Meeting of 9 November 2026");
	text = doc("bob", "suspension-form", "markdown");
	HAS(text, "unsafe staffing");
	HAS(text, "recommendation originated:** 9 November 2026");
	HAS(text, "- **Date the provider performance process commenced:** 1 November 2026");
	HAS(text, "| Inform the regulator that new placements / packages of care have been"
		" suspended (the regulator) | [x] | [x] 16 November 2026 |");
	HAS(text, "| Inform the other commissioners that an embargo has been placed on the service"
		" (the other commissioners: Health Board) | [x] | [ ] |");
	HAS(text, "Decided by (director), print name:** dora");
	HAS(text, "- **Date:** 16 November 2026");
	/* Outstanding on the day of the suspension, though completed since. */
	HAS(text, "- CA: audit medication, by 1 December 2026\n");
	text = doc("bob", "suspension-form", "html");
	HAS(text, "suspended (the regulator)</td><td class=\"tick\">&#9745;</td>"
		"<td class=\"tick\">&#9745; 16 November 2026</td>");
	text = doc("bob", "action-plan", "text");
	HAS(text, "   By when:             1 December 2026\n"
		"                        extended on 12 November 2026 from 20 November 2026\n"
		"                        (sickness)\n");
	HAS(text, "   Evidence:\n                        12 November 2026: audit 1 done\n");
	HAS(text, "   Progress:            completed on 10 December 2026: audits weekly\n");
	text = doc("bob", "suspension-form", "text");
	HAS(text, "   Decided by (director):  dora\n");
	HAS(text, "   [x] Inform the regulator that new placements / packages of care have been\n"
		"       suspended (the regulator), done 16 November 2026\n");
	HAS(text, "   [ ] Inform the other commissioners");
	text = doc("bob", "restart-form", "markdown");
	HAS(text, "| Conditions on the number of new admissions | [x] |"
		" no more than 2 new admissions per week |");
	HAS(text, "| Conditions on hours or number of new packages of care | [ ] | none |");
	HAS(text, "| Conditions on using respite care | [x] | no respite placements |");
	HAS(text, "- **Decided by (director), print name:** dora");
	text = doc("bob", "restart-form", "text");
	HAS(text, "   [x] Conditions on the number of new admissions: no more than 2 new\n"
		"       admissions per week\n");
	HAS(text, "staffing restored");
	HAS(text, "14 December 2026");
}

Test(document, the_agenda_and_its_confidential_references)
{
	walk(false);
	t.today = "2026-11-17";
	OK("sam", "concern", "log", "--provider", HOSTILE, "--source", "pova_referral",
		"--team", "safeguarding", "--likelihood", "2", "--impact", "2", "--summary", "fall",
		"--pova-ref", "POVA-SECRET-88", "--subject", "SU-SECRET-10");
	for (const char *const *f = formats; *f; f++) {
		const char *text = doc("bob", "ppm-agenda", *f);

		cr_assert(!strstr(text, "POVA-SECRET"), "%s", text);
		cr_assert(strstr(text, "confidential]") || strstr(text, "confidential\\]"), "%s", text);
		HAS(text, "14 December 2026");
		HAS(text, "1 December 2026");
		text = doc("sam", "ppm-agenda", *f);
		HAS(text, "POVA");
		HAS(text, "SECRET-88");
		text = doc("dora", "ppm-agenda", *f);
		HAS(text, "SECRET-88");
	}
	/* The next meeting is set for 14 December: its sheet has no one on it yet. */
	const char *sheet = doc("bob", "ppm-attendance", "markdown");
	HAS(sheet, "- **Date/time:** 14 December 2026");
	cr_assert(!strstr(sheet, "Ann"), "%s", sheet);
	HAS(doc("bob", "ppm-attendance", "html"), "<td class=\"sign\"></td><td></td>");
	/* The latest recorded one, named: its attendees, no blank rows. */
	OK("bob", "--json", "meeting", "list", "--case", kase);
	cid m;
	snprintf(m, sizeof(m), "%s", json_string_value(json_object_get(json_array_get(t.json, 1),
		"id")));
	OK("bob", "document", "ppm-attendance", "--case", kase, "--meeting", m);
	HAS(t.out, "| Ann | Health Board | nurse | |");
	cr_assert(!strstr(t.out, "| | | | |"), "%s", t.out);
	REFUSED(2, "bob", "document", "action-plan", "--case", kase, "--meeting", m);
	HAS(t.err, "--meeting is for ppm-attendance and ppm-record");
	/* The record of a meeting holds what came before it, not after. */
	const char *rec = doc("sam", "ppm-record", "markdown");
	cr_assert(!strstr(rec, "SECRET-88"), "a later referral in the record:\n%s", rec);
	HAS(rec, "A-0001 CA audit medication: ongoing: audit 1 done");
	rec = doc("sam", "ppm-record", "text");
	HAS(rec, "   None.\n");
	/* The restart form needs a restart; the record a meeting. */
	REFUSED(3, "bob", "document", "restart-form", "--case", kase);
	HAS(t.err, "case restart");
	REFUSED(2, "bob", "document", "minutes", "--case", kase);
	HAS(t.err, "ppm-agenda");
	REFUSED(2, "bob", "document", "ppm-agenda", "--case", kase, "--format", "pdf");
	REFUSED(3, "bob", "document", "ppm-record", "--case", kase, "--meeting", "ffffffff");
}

Test(document, before_any_meeting_or_embargo)
{
	const char *text;

	t.today = "2026-11-01";
	OK("bob", "provider", "add", "Oakwood", "--type", "domiciliary");
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	keep_id(kase);
	REFUSED(3, "bob", "document", "ppm-record", "--case", kase);
	HAS(t.err, "no provider performance meeting");
	/* Before any meeting the sheet is for the next one, rows blank to sign. */
	text = doc("bob", "ppm-attendance", "markdown");
	HAS(text, "- **Date/time:** to be arranged");
	HAS(text, "- **Venue:** to be confirmed");
	HAS(text, "| | | | | |\n| | | | | |\n");
	REFUSED(3, "bob", "document", "ppm-record", "--case", kase, "--meeting", "next");
	HAS(t.err, "has not been held");
	REFUSED(3, "bob", "document", "suspension-form", "--case", kase);
	HAS(t.err, "case suspend");
	REFUSED(3, "bob", "document", "ppm-agenda", "--case", "ffffffff");
	HAS(doc("bob", "ppm-agenda", "markdown"), "to be arranged");
	HAS(doc("bob", "action-plan", "html"), "no items yet");
}

Test(document, a_placeholder_with_no_value_is_an_error_naming_it)
{
	walk(false);
	cwt_file(&t, "action-plan.md", "{{provider.name}} {{provider.manager}}\n");
	cwt_rules(&t, cwt_file(&t, "local.cfg", "documents_dir = \".\";\n"));
	REFUSED(2, "bob", "document", "action-plan", "--case", kase);
	HAS(t.err, "provider.manager");
	OK("bob", "--json", "document", "ppm-agenda", "--case", kase);
	cr_assert_str_eq(cwt_str(&t, "source"), "built-in");
	/* A partial is found in documents_dir too, in the document's format. */
	cwt_file(&t, "action-plan.md", "{{> form-sign}}{{> form-sign}}");
	cwt_file(&t, "_form-sign.md", "signed for {{provider.name}}\n");
	cwt_rules(&t, cwt_file(&t, "local.cfg", "documents_dir = \".\";\n"));
	OK("bob", "document", "action-plan", "--case", kase);
#define SIGNED "signed for \\<script\\>alert(1)\\</script\\> a \\| b \\*\\* c\n"
	cr_assert_str_eq(t.out, SIGNED SIGNED);
	cwt_file(&t, "action-plan.md", "{{> nosuch}}");
	cwt_rules(&t, cwt_file(&t, "local.cfg", "documents_dir = \".\";\n"));
	REFUSED(2, "bob", "document", "action-plan", "--case", kase);
	HAS(t.err, "{{> nosuch}}: there is no partial documents/_nosuch.md");
	cwt_file(&t, "action-plan.md", "{{> ../x}}");
	cwt_rules(&t, cwt_file(&t, "local.cfg", "documents_dir = \".\";\n"));
	REFUSED(2, "bob", "document", "action-plan", "--case", kase);
	HAS(t.err, "a partial is named with a-z, 0-9 and '-'");
}

Test(document, progress_without_evidence_names_the_status_once)
{
	t.today = "2026-11-01";
	OK("bob", "provider", "add", "Oakwood", "--type", "domiciliary");
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	keep_id(kase);
	OK("bob", "--json", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "3", "--summary", "late");
	cid c;
	keep_id(c);
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-01", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same");
	t.today = "2026-11-02";
	OK("bob", "action", "add", "--case", kase, "--concern", c, "--kind", "DA",
		"--improvement", "train staff", "--due", "2026-12-01", "--owner", "Jo");
	HAS(doc("bob", "action-plan", "markdown"), "| none | not started |\n");
	HAS(doc("bob", "action-plan", "text"), "   Progress:            not started\n");
	HAS(doc("bob", "ppm-agenda", "text"), "     progress: not started\n");
	HAS(doc("bob", "ppm-agenda", "html"), "<td>not started</td>");
	/* The item came after the meeting: its record does not show it. */
	HAS(doc("bob", "ppm-record", "markdown"), "| no action plan items<br>Information sharing: none recorded |");
	HAS(doc("bob", "ppm-record", "text"), "   No action plan items.\n");
}

/* ---- The engine's API, called directly (no binary) ---- */

/* Render a document through the engine as bob; the text in *text (a copy). */
static int render(const char *name, const char *meeting, cw_format format, char **text)
{
	cw_document_args a = { .name = name, .case_ref = kase, .meeting = meeting, .format = format };
	cw_db *db = cwt_engine(&t, "bob");
	json_t *out = NULL;
	int err = cw_document_render(db, &a, &out);

	*text = out ? strdup(json_string_value(json_object_get(out, "text"))) : NULL;
	if (out) {
		cr_assert_str_eq(json_string_value(json_object_get(out, "document")), name);
		cr_assert_str_eq(json_string_value(json_object_get(out, "provider")), HOSTILE);
	}
	json_decref(out);
	cw_db_close(db);
	return err;
}

Test(document, the_engine_renders_the_embargo_forms_from_typed_decisions)
{
	char *text = NULL;

	walk(false);
	cr_assert_eq(render("restart-form", NULL, CW_FORMAT_TEXT, &text), CW_ENOTFOUND);
	HAS(cw_errmsg(), "have not been restarted");
	cr_assert_null(text);
	/* Then as the walk goes on: a cap of 2 admissions a week and no respite. */
	cwt_teardown(&t);
	setup();
	walk(true);
	cr_assert_eq(render("suspension-form", NULL, CW_FORMAT_TEXT, &text), CW_OK, "%s",
		cw_errmsg());
	HAS(text, "Commissioner:           County Council\n");
	HAS(text, "Embargo:                mandatory, from 16 November 2026\n");
	HAS(text, "                        9 November 2026\n");
	HAS(text, "Reason:                 unsafe staffing\n");
	/* Outstanding on the day of the suspension, though completed since. */
	HAS(text, "   - CA: audit medication, by 1 December 2026\n");
	HAS(text, "   Decided by (director):  dora\n");
	free(text);
	cr_assert_eq(render("restart-form", NULL, CW_FORMAT_TEXT, &text), CW_OK, "%s",
		cw_errmsg());
	HAS(text, "Restart from:           14 December 2026\n");
	HAS(text, "                        16 November 2026\n");
	HAS(text, "   [x] Conditions on the number of new admissions: no more than 2 new\n"
		"       admissions per week\n");
	HAS(text, "   [ ] Conditions on hours or number of new packages of care: none\n");
	HAS(text, "   [x] Conditions on using respite care: no respite placements\n");
	free(text);

	/* The page shell: landscape for the action plan only. */
	cr_assert_eq(render("action-plan", NULL, CW_FORMAT_HTML, &text), CW_OK, "%s", cw_errmsg());
	HAS(text, "<title>Action plan: &lt;script&gt;");
	HAS(text, "@page { size: A4 landscape; }");
	HAS(text, "</style>\n</head>\n<body>\n<main class=\"doc\">\n");
	cr_assert(strstr(text, "</main>\n</body>\n</html>\n"), "%s", text);
	free(text);
	cr_assert_eq(render("restart-form", NULL, CW_FORMAT_HTML, &text), CW_OK, "%s", cw_errmsg());
	cr_assert_null(strstr(text, "landscape"));
	free(text);

	/* Refusals: an unknown document, a meeting where none applies, an unknown case. */
	cr_assert_eq(render("minutes", NULL, CW_FORMAT_TEXT, &text), CW_EINVALID);
	HAS(cw_errmsg(), "ppm-agenda");
	cr_assert_eq(render("action-plan", "next", CW_FORMAT_TEXT, &text), CW_EINVALID);
	snprintf(kase, sizeof(kase), "ffffffff");
	cr_assert_eq(render("action-plan", NULL, CW_FORMAT_TEXT, &text), CW_ENOTFOUND);
	cr_assert_null(text);
}

/* The engine says which document is a workbook and which arguments a
 * document takes (not a letter's), before it reads the case. */
Test(document, the_engine_decides_which_document_is_a_workbook)
{
	cw_document_args a = { .name = "ppm-record", .case_ref = "nosuch",
		.format = CW_FORMAT_MARKDOWN };
	cw_db *db = cwt_engine(&t, "bob");
	json_t *out = NULL;

	cr_assert_eq(cw_document_workbook(db, &a, "plan.xlsx", &out), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "format");
	HAS(cw_errmsg(), "only the action plan is a workbook; print ppm-record as markdown,");
	cr_assert_eq(cw_document_workbook_check(&a), CW_EINVALID);
	/* The command line says so before it asks where the workbook goes. */
	REFUSED(2, "bob", "--json", "document", "ppm-record", "--case", "nosuch", "--format", "xlsx");
	HAS(t.err, "--format: only the action plan is a workbook");
	a.name = "action-plan";
	a.meeting = "next";
	cr_assert_eq(cw_document_workbook(db, &a, "plan.xlsx", &out), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "meeting");
	HAS(cw_errmsg(), "action-plan is not about one meeting");
	/* The action plan with nothing refused goes on to look the case up. */
	a.meeting = NULL;
	cr_assert_eq(cw_document_workbook(db, &a, "plan.xlsx", &out), CW_ENOTFOUND, "%s",
		cw_errmsg());
	cr_assert_null(out);
	a.record_sent = true;
	cr_assert_eq(cw_document_render(db, &a, &out), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "record_sent");
	a.record_sent = false;
	a.has_respond_by = true;
	cr_assert_eq(cw_document_render(db, &a, &out), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "respond_by");
	cr_assert_null(out);
	cw_db_close(db);
}
