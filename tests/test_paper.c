/*
 * The paperwork as a council would post it (issue 17) and the meeting
 * guards (issue 14): the letterhead from the lead commissioner, letters
 * that agree with the record, the protocol's meeting record and its
 * amendments, and meetings that cannot be walked around.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s%s", t.code, t.err, t.out)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(text, what) cr_assert(has((text), (what)), "no '%s' in: %s", (what), (text))
#define HASNT(text, what) cr_assert(!has((text), (what)), "'%s' in: %s", (what), (text))

typedef char cid[64];

/* Whitespace runs as one blank: text letters are wrapped. */
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

static bool has(const char *text, const char *what)
{
	char *a = flat(text), *b = flat(what);
	bool found = strstr(text, what) || strstr(a, b);

	free(a);
	free(b);
	return found;
}

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "sam", "--role", "safeguarding");
	OK("alice", "user", "add", "quinn", "--role", "qa");
	OK("alice", "commissioner", "add", "Vale Council", "--lead");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(paper, .init = setup, .fini = teardown, .timeout = 240);

static void letterhead(void)
{
	OK("alice", "commissioner", "edit", "Vale Council", "--address",
		"Civic Offices, 2 High Street, Valeton, VA1 2BC", "--phone", "01000 111222",
		"--email", "care.contracts@vale.example.gov.uk", "--department", "Adult Services",
		"--signatory", "Ceri Morgan", "--signatory-title", "Head of Commissioning");
}

/* A provider with a case opened and escalated on 1 November 2026. */
static void escalated(const char *provider, const char *type, cid kase)
{
	t.today = "2026-11-01";
	OK("bob", "provider", "add", provider, "--type", type,
		"--commissioner", "Vale Council", "--commissioner", "Health Board");
	OK("bob", "--json", "case", "open", "--provider", provider, "--reason", "complaints");
	snprintf(kase, sizeof(cid), "%s", cwt_str(&t, "id"));
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	t.today = "2026-11-22";
}

static const char *letter(const char *name, const char *kase)
{
	OK("bob", "letter", name, "--case", kase);
	cr_assert(!strstr(t.out, "{{"), "%s left a placeholder:\n%s", name, t.out);
	return t.out;
}

/* Tick the open task of `kase` whose who_to_tell starts with `who` in `event`. */
static void tick(const char *kase, const char *event, const char *who)
{
	cid id = "";
	json_t *x;
	size_t i;

	OK("bob", "--json", "task", "list", "--case", kase, "--open");
	json_array_foreach(t.json, i, x)
		if (strcmp(json_string_value(json_object_get(x, "event")), event) == 0 &&
		    strncmp(json_string_value(json_object_get(x, "who_to_tell")), who, strlen(who)) == 0 &&
		    json_is_null(json_object_get(x, "letter")))
			snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(x, "id")));
	cr_assert(id[0], "no open %s task for %s", event, who);
	OK("bob", "task", "done", id);
}

Test(paper, no_letter_or_document_without_the_councils_details)
{
	cid kase, comm;
	const char *text;

	escalated("Oakwood", "care_home_residential", kase);
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-20", "--chair", "bob",
		"--attendee", "Bob|Vale Council|chair", "--trend", "same", "--next", "2026-12-20");
	REFUSED(4, "bob", "letter", "ppm-commenced-service-user", "--case", kase);
	HAS(t.err, "'Vale Council' has no address, telephone, email, department, signatory,"
		" signatory's title recorded");
	cr_assert_eq(strlen(t.out), 0, "nothing printed: %s", t.out);
	REFUSED(4, "bob", "document", "ppm-record", "--case", kase);
	HAS(t.err, "commissioner edit 'Vale Council' --address");
	/* Part of it is still not enough, and the message names only what is missing. */
	OK("alice", "--json", "commissioner", "edit", "Vale Council", "--address", "Civic Offices",
		"--phone", "01000 111222", "--email", "care.contracts@vale.example.gov.uk",
		"--department", "Adult Services");
	snprintf(comm, sizeof(comm), "%s", cwt_str(&t, "id"));
	REFUSED(4, "bob", "letter", "ppm-commenced-provider", "--case", kase);
	HAS(t.err, "has no signatory, signatory's title recorded");
	/* No lead commissioner at all is refused too, and nothing about details is invented. */
	REFUSED(2, "alice", "commissioner", "edit", "Vale Council");
	HAS(t.err, "nothing to change");
	REFUSED(3, "alice", "commissioner", "edit", "Nowhere Council", "--phone", "1");
	letterhead();
	text = letter("ppm-commenced-provider", kase);
	HAS(text, "Vale Council\nAdult Services\nCivic Offices\n2 High Street\nValeton\nVA1 2BC\n"
		"Telephone: 01000 111222\nEmail: care.contracts@vale.example.gov.uk\n");
	HAS(text, "Yours sincerely,\n\n\nCeri Morgan\nHead of Commissioning\nVale Council\n");
	HASNT(text, "Carewatch County Council");
	OK("bob", "document", "ppm-record", "--case", kase, "--format", "html");
	HAS(t.out, "Vale Council<br>Adult Services");
	/* The edit is audited with before and after. */
	OK("alice", "--json", "audit", "--entity", comm);
	HAS(t.out, "commissioner.edit");
	HAS(t.out, "\"before\"");
	HAS(t.out, "Head of Commissioning");
	OK("alice", "audit", "verify");
}

Test(paper, letters_say_what_the_checklist_says)
{
	cid kase;
	const char *text;

	letterhead();
	escalated("Oakwood", "care_home_residential", kase);
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-20", "--chair", "bob",
		"--attendee", "Bob|Vale Council|chair", "--trend", "increased");
	OK("dora", "case", "suspend", kase, "--commissioner", "Vale Council", "--kind", "mandatory",
		"--reason", "night staffing", "--meeting", "2026-11-20");
	text = letter("embargo-placed-provider", kase);
	HAS(text, "The regulator and the other commissioners will be informed.");
	HASNT(text, "have been informed");
	tick(kase, "embargo_placed", "the regulator");
	text = letter("embargo-placed-provider", kase);
	HAS(text, "The regulator has been informed, and the other commissioners will be.");
	tick(kase, "embargo_placed", "the other commissioners");
	text = letter("embargo-placed-provider", kase);
	HAS(text, "The regulator and the other commissioners have been informed.");
	/* The service users' letter, recorded as sent: its task ticked, dated. */
	text = letter("embargo-placed-service-user", kase);
	HAS(text, "Dear Sir or Madam,");
	HAS(text, "suspended new placements and new packages of care with the service from 22"
		" November 2026");
	OK("bob", "--json", "letter", "embargo-placed-service-user", "--case", kase, "--record-sent");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "task"),
		"done")), "2026-11-22");
	OK("bob", "--json", "task", "list", "--case", kase);
	HAS(t.out, "embargo-placed-service-user");
	REFUSED(4, "bob", "letter", "embargo-placed-service-user", "--case", kase, "--record-sent");
	HAS(t.err, "already recorded as sent");
	/* No task for a letter whose event has not happened. */
	REFUSED(3, "bob", "letter", "embargo-lifted-service-user", "--case", kase, "--record-sent");
	/* The restart's letters. */
	t.today = "2026-12-01";
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-12-01", "--chair", "bob",
		"--attendee", "Bob|Vale Council|chair", "--trend", "decreased");
	OK("dora", "case", "restart", kase, "--commissioner", "Vale Council", "--reason", "better",
		"--meeting", "2026-12-01");
	text = letter("embargo-lifted-service-user", kase);
	HAS(text, "has been lifted from 1 December 2026");
	text = letter("embargo-lifted-provider", kase);
	HAS(text, "at the meeting held on 1 December 2026");
	HAS(text, "The regulator and the other commissioners will be informed.");
	OK("bob", "letter", "embargo-lifted-provider", "--case", kase, "--record-sent");
	OK("bob", "--json", "task", "list", "--case", kase, "--open");
	HASNT(t.out, "embargo-lifted-provider");
	/* The concerns letter asks for a reply by a date. */
	OK("bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint", "--team",
		"commissioning", "--likelihood", "2", "--impact", "3", "--summary", "call bells unanswered");
	OK("bob", "letter", "concerns-provider", "--case", kase, "--respond-by", "2026-12-15");
	HAS(t.out, "- call bells unanswered (received 1 December 2026, risk yellow)");
	HAS(t.out, "by 15 December 2026");
	OK("bob", "letter", "concerns-provider", "--case", kase);
	HAS(t.out, "by 15 December 2026");   /* today + 14 */
}

/* Close a fresh case with `outcome` (as `as`) and return the closure letter. */
static const char *closed_with(const char *provider, const char *outcome, const char *as)
{
	cid kase;

	escalated(provider, "domiciliary", kase);
	OK(as, "case", "close", kase, "--outcome", outcome, "--rationale", "as agreed",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	if (strcmp(outcome, "contract_terminated") == 0) {
		OK("bob", "--json", "task", "list", "--case", kase);
		HAS(t.out, "contract-terminated-provider");
		letter("contract-terminated-provider", kase);
		HAS(t.out, "has terminated its contract with");
		HAS(t.out, "in accordance with the contractual notice period, with effect from 22"
			" November 2026");
	} else {
		OK("bob", "--json", "task", "list", "--case", kase);
		HASNT(t.out, "contract-terminated-provider");
		REFUSED(3, "bob", "letter", "contract-terminated-provider", "--case", kase);
		HAS(t.err, "outcome contract_terminated");
	}
	return letter("process-closed-provider", kase);
}

Test(paper, the_closure_letter_follows_the_outcome)
{
	const char *text;

	letterhead();
	text = closed_with("Improved Care", "improved", "bob");
	HAS(text, "improvements required have been made and sustained");
	HAS(text, "our contract monitoring will continue as for any other provider");
	text = closed_with("Single Care", "single_agency_monitoring", "bob");
	HAS(text, "monitored from now on by one agency");
	HAS(text, "Our contract monitoring officers will continue to monitor the service");
	text = closed_with("Ended Care", "contract_terminated", "dora");
	HAS(text, "The contract for the service has been terminated.");
	HAS(text, "No new placements or packages of care will be made");
	HASNT(text, "contract monitoring will continue");
	text = closed_with("Closed Care", "service_closed", "dora");
	HAS(text, "The service has closed.");
	HAS(text, "no longer monitored under the protocol");
	HASNT(text, "contract monitoring will continue");
	HAS(text, "The other commissioners will be informed.");
}

static void full_meeting(const char *kase)
{
	OK("bob", "--json", "meeting", "record", "--case", kase, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "Bob Hill|Vale Council|chair|01000 222333",
		"--attendee", "Ann Lee|Health Board|nurse", "--trend", "same", "--overall", "amber",
		"--next", "2026-12-18", "--time", "14:30", "--venue", "Room 4, Civic Offices",
		"--apology", "Jo Price, Regulator", "--minutes-to", "All attendees",
		"--minutes-to", "Head of Service", "--provider-attendance", "part",
		"--sharing", "Outline of concerns|the GP practice|this week|visiting clinicians report",
		"--disagreements", "The board disagreed about the level of risk",
		"--legal-advice", "Contract termination options", "--media-advice", "Press statement",
		"--next-attendees", "the registered manager", "--decisions", "Action plan agreed");
}

Test(paper, the_meeting_record_in_every_document_and_format)
{
	static const char *const formats[] = { "markdown", "html", "text", NULL };
	static const char *const record[] = { "Room 4, Civic Offices", "14:30",
		"Jo Price, Regulator", "All attendees and Head of Service", "part of the meeting",
		"Outline of concerns", "the GP practice", "visiting clinicians report",
		"The board disagreed about the level of risk", "Contract termination options",
		"Press statement", "the registered manager", NULL };
	cid kase;
	json_t *m;

	letterhead();
	escalated("Oakwood", "care_home_residential", kase);
	full_meeting(kase);
	/* JSON round trip. */
	OK("bob", "--json", "meeting", "list", "--case", kase);
	m = json_array_get(t.json, 0);
	cr_assert_str_eq(json_string_value(json_object_get(m, "venue")), "Room 4, Civic Offices");
	cr_assert_str_eq(json_string_value(json_object_get(m, "time")), "14:30");
	cr_assert_str_eq(json_string_value(json_object_get(m, "provider_attendance")), "part");
	cr_assert(json_is_true(json_object_get(m, "provider_attended")));
	cr_assert_eq(json_array_size(json_object_get(m, "minutes_to")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(m,
		"sharing"), 0), "why")), "visiting clinicians report");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(m, "advice"), "media")),
		"Press statement");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(m,
		"attendees"), 0), "contact")), "01000 222333");
	for (const char *const *f = formats; *f; f++) {
		OK("bob", "document", "ppm-record", "--case", kase, "--format", *f);
		for (const char *const *r = record; *r; r++)
			HAS(t.out, *r);
		OK("bob", "document", "ppm-attendance", "--case", kase, "--meeting", "M-0001",
			"--format", *f);
		HAS(t.out, "01000 222333");
		HAS(t.out, "20 November 2026 at 14:30");
		HAS(t.out, "Room 4, Civic Offices");
		OK("bob", "document", "ppm-agenda", "--case", kase, "--format", *f);
		HAS(t.out, "20 November 2026 at 14:30");
		HAS(t.out, "the registered manager");
		HAS(t.out, "The board disagreed about the level of risk");
	}
	/* Appendix N: the post-meeting letter carries venue, date, what was agreed, the next
	 * meeting and who must attend. */
	letter("ppm-commenced-provider", kase);
	HAS(t.out, "held at Room 4, Civic Offices on 20 November 2026 at 14:30");
	HAS(t.out, "At the meeting it was agreed: Action plan agreed");
	HAS(t.out, "due to be held on 18 December 2026. The meeting asks that the registered"
		" manager attend.");
	/* Bad input names the field, writes nothing. */
	REFUSED(2, "bob", "meeting", "record", "--case", kase, "--date", "2026-11-21", "--chair", "bob",
		"--attendee", "A|B|C", "--trend", "same", "--sharing", "what|whom|when");
	HAS(t.err, "WHAT|WITH WHOM|WHEN|WHY");
	REFUSED(2, "bob", "meeting", "record", "--case", kase, "--date", "2026-11-21", "--chair", "bob",
		"--attendee", "A|B|C", "--trend", "same", "--time", "25:00");
	REFUSED(2, "bob", "meeting", "record", "--case", kase, "--date", "2026-11-21", "--chair", "bob",
		"--attendee", "A|B|C", "--trend", "same", "--provider-attendance", "most");
	cr_assert_eq(cwt_count(&t, "meetings"), 1);
}

Test(paper, an_amended_meeting_keeps_before_and_after)
{
	cid kase, mid;
	long rows;
	json_t *a;

	letterhead();
	escalated("Oakwood", "care_home_residential", kase);
	full_meeting(kase);
	snprintf(mid, sizeof(mid), "%s", cwt_str(&t, "id"));
	rows = cwt_count(&t, "meeting_attendees");
	REFUSED(2, "bob", "meeting", "amend", "M-0001", "--venue", "Room 5");
	HAS(t.err, "--reason");
	REFUSED(2, "bob", "meeting", "amend", "M-0001", "--venue", "Room 4, Civic Offices",
		"--reason", "no change");
	HAS(t.err, "nothing to change");
	REFUSED(4, "bob", "meeting", "amend", "M-0001", "--date", "2026-10-31", "--reason", "wrong");
	HAS(t.err, "before case");
	REFUSED(4, "bob", "meeting", "amend", "M-0001", "--chair", "quinn", "--reason", "wrong");
	OK("bob", "--json", "meeting", "amend", "M-0001", "--venue", "Room 5, Civic Offices",
		"--attendee", "Bob Hill|Vale Council|chair", "--reason", "the room was changed");
	cr_assert_str_eq(cwt_str(&t, "venue"), "Room 5, Civic Offices");
	cr_assert_eq(json_array_size(json_object_get(t.json, "attendees")), 1);
	a = json_array_get(json_object_get(t.json, "amendments"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(a, "reason")), "the room was changed");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "before"), "venue")),
		"Room 4, Civic Offices");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "after"), "venue")),
		"Room 5, Civic Offices");
	cr_assert_null(json_object_get(json_object_get(a, "after"), "trend"), "only what changed");
	/* Nothing deleted: the replaced attendees are kept, marked. */
	cr_assert_eq(cwt_count(&t, "meeting_attendees"), rows + 1);
	for (const char *f = "markdown"; f; f = strcmp(f, "markdown") == 0 ? "text" : NULL) {
		OK("bob", "document", "ppm-record", "--case", kase, "--format", f);
		HAS(t.out, strcmp(f, "text") == 0
			? "Amended on 22 November 2026 by bob: the room was changed"
			: "**Amended** on 22 November 2026 by bob: the room was changed");
		HAS(t.out, "Room 5, Civic Offices");
		HASNT(t.out, "Ann Lee");
	}
	OK("alice", "--json", "audit", "--entity", mid);
	HAS(t.out, "meeting.amend");
	HAS(t.out, "Room 4, Civic Offices");
	OK("alice", "audit", "verify");
	/* A second meeting on the same date is refused, naming the first. */
	REFUSED(4, "bob", "meeting", "record", "--case", kase, "--date", "2026-11-20", "--chair", "bob",
		"--attendee", "A|B|C", "--trend", "same");
	HAS(t.err, "M-0001");
	HAS(t.err, "meeting amend");
}

Test(paper, meeting_guards_at_their_edges)
{
	cid kase;

	letterhead();
	escalated("Oakwood", "care_home_residential", kase);
	/* A chair holds a casework role. */
	REFUSED(4, "bob", "meeting", "record", "--case", kase, "--date", "2026-11-20",
		"--chair", "quinn", "--attendee", "A|B|C", "--trend", "same");
	HAS(t.err, "holds no casework role");
	/* A deactivated user chairs nothing new, whatever their roles. */
	OK("alice", "user", "add", "ruth", "--role", "contracts");
	OK("alice", "user", "deactivate", "ruth", "--reason", "left the council");
	REFUSED(4, "bob", "meeting", "record", "--case", kase, "--date", "2026-11-20",
		"--chair", "ruth", "--attendee", "A|B|C", "--trend", "same");
	HAS(t.err, "was deactivated on");
	OK("bob", "provider", "add", "Elm", "--type", "domiciliary");
	OK("bob", "case", "open", "--provider", "Elm", "--reason", "r");
	REFUSED(4, "bob", "case", "escalate", "Elm", "--trigger", "pattern_of_issues",
		"--chair", "quinn");
	OK("bob", "case", "escalate", "Elm", "--trigger", "pattern_of_issues", "--chair", "sam");
	/* Not before the escalation; on its day is allowed. */
	REFUSED(4, "bob", "meeting", "record", "--case", kase, "--date", "2026-10-31",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same");
	HAS(t.err, "before case");
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-01", "--chair", "dora",
		"--attendee", "A|B|C", "--trend", "same");
	/* --meeting names a recorded meeting of this case. */
	REFUSED(4, "dora", "case", "suspend", kase, "--commissioner", "Vale Council", "--kind",
		"mandatory", "--reason", "r", "--meeting", "2026-11-02");
	HAS(t.err, "no provider performance meeting of case");
	cr_assert_eq(cwt_count(&t, "placement_controls"), 0);
	OK("dora", "case", "suspend", kase, "--commissioner", "Vale Council", "--kind",
		"mandatory", "--reason", "r", "--meeting", "2026-11-01");
	REFUSED(4, "dora", "case", "restart", kase, "--commissioner", "Vale Council", "--reason", "r",
		"--meeting", "2026-11-22");
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-21", "--chair", "sam",
		"--attendee", "A|B|C", "--trend", "decreased");
	OK("dora", "case", "restart", kase, "--commissioner", "Vale Council", "--reason", "r",
		"--meeting", "2026-11-21");
	/* The restart form names that meeting and has the staff and partners row. */
	OK("bob", "document", "restart-form", "--case", kase, "--format", "text");
	HAS(t.out, "21 November 2026");
	HAS(t.out, "Inform staff and other partners");
	OK("bob", "document", "suspension-form", "--case", kase, "--format", "text");
	HAS(t.out, "Inform staff and other partners");
}

/* The provider's flags, both as `provider show` gathers them and as the watch list does. */
static bool flagged(const char *provider, const char *flag)
{
	bool one = false, all = false;
	json_t *f, *row;
	size_t i, j;

	OK("bob", "--json", "provider", "show", provider);
	json_array_foreach(json_object_get(t.json, "flags"), i, f)
		one |= strcmp(json_string_value(f), flag) == 0;
	OK("bob", "--json", "watchlist");
	json_array_foreach(t.json, i, row)
		if (strcmp(json_string_value(json_object_get(row, "provider")), provider) == 0)
			json_array_foreach(json_object_get(row, "flags"), j, f)
				all |= strcmp(json_string_value(f), flag) == 0;
	cr_assert_eq(one, all, "provider show and the watch list disagree on %s", flag);
	return one;
}

static void pova(const char *provider, const char *received, const char *ref)
{
	OK("sam", "concern", "log", "--provider", provider, "--source", "pova_referral", "--team",
		"safeguarding", "--likelihood", "2", "--impact", "2", "--summary", "referral",
		"--received", received, "--pova-ref", ref, "--subject", "SU-1");
}

Test(paper, meeting_prompts_at_their_edges)
{
	cid nursing, home;

	escalated("Elm Nursing", "care_home_nursing", nursing);
	escalated("Ash Home", "care_home_residential", home);
	/* 8.4: a nursing home's meeting without health. */
	OK("bob", "meeting", "record", "--case", nursing, "--date", "2026-11-05", "--chair", "bob",
		"--attendee", "Bob|Vale Council|chair", "--trend", "same");
	OK("bob", "meeting", "record", "--case", home, "--date", "2026-11-05", "--chair", "sam",
		"--attendee", "Bob|Vale Council|chair", "--trend", "same");
	cr_assert(flagged("Elm Nursing", "no_health_board_attendee"));
	cr_assert(!flagged("Ash Home", "no_health_board_attendee"), "not a nursing home");
	OK("bob", "meeting", "amend", "M-0001", "--attendee", "Bob|Vale Council|chair",
		"--attendee", "Ann|Health Board|nurse", "--reason", "Ann signed in late");
	cr_assert(!flagged("Elm Nursing", "no_health_board_attendee"));
	/* 8.2: the first meeting's chair is a contracting manager. */
	cr_assert(!flagged("Elm Nursing", "first_chair_not_contracts"));
	cr_assert(flagged("Ash Home", "first_chair_not_contracts"));
	/* 8.13: two POVA referrals since the last meeting and no safeguarding attendee. */
	pova("Elm Nursing", "2026-11-05", "P-1");   /* on the day of that meeting: before it */
	pova("Elm Nursing", "2026-11-06", "P-2");
	OK("bob", "meeting", "record", "--case", nursing, "--date", "2026-11-20", "--chair", "bob",
		"--attendee", "Ann|Health Board|nurse", "--trend", "same");
	cr_assert(!flagged("Elm Nursing", "pova_no_safeguarding"), "one referral since the last");
	pova("Elm Nursing", "2026-11-19", "P-3");
	cr_assert(flagged("Elm Nursing", "pova_no_safeguarding"));
	OK("bob", "meeting", "amend", "M-0003", "--attendee", "Ann|Health Board|nurse",
		"--attendee", "Sam|Vale Council|Safeguarding lead", "--reason", "Sam attended");
	cr_assert(!flagged("Elm Nursing", "pova_no_safeguarding"));
}

Test(paper, qa_minutes_round_trip)
{
	json_t *a;

	OK("quinn", "--json", "qa", "record", "--date", "2026-11-20", "--present", "Quinn",
		"--apology", "Jo Price", "--decision", "Keep Elm on the list", "--action",
		"Visit Elm|Quinn|2026-11-21", "--action", "Call Ash|Jo Price|30/11/2026");
	OK("quinn", "--json", "qa", "show", "2026-11-20");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t.json, "apologies"), 0)),
		"Jo Price");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t.json, "decisions"), 0)),
		"Keep Elm on the list");
	cr_assert_eq(json_array_size(json_object_get(t.json, "actions")), 2);
	a = json_array_get(json_object_get(t.json, "actions"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "due")), "2026-11-30");
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(t.json, "actions"), 0),
		"overdue")));
	OK("quinn", "qa", "list");
	HAS(t.out, "2026-11-20");
	OK("quinn", "qa", "show", "2026-11-20");
	HAS(t.out, "2. Call Ash (Jo Price, by 2026-11-30): open");
	/* The same date again is refused, naming the record; bad actions are invalid. */
	REFUSED(4, "quinn", "qa", "record", "--date", "2026-11-20");
	HAS(t.err, "qa show 2026-11-20");
	REFUSED(2, "quinn", "qa", "record", "--date", "2026-11-21", "--action", "Visit|Quinn");
	REFUSED(2, "quinn", "qa", "record", "--date", "2026-11-21", "--action", "Visit|Quinn|soon");
	cr_assert_eq(cwt_count(&t, "qa_meetings"), 1);
	REFUSED(3, "quinn", "qa", "show", "2026-01-01");
	OK("alice", "audit", "verify");
}

/* The next meeting reviews the last one's actions (Appendix D): progress is
 * reported one dated row at a time, and the agenda shows the latest. */
Test(paper, qa_actions_carry_their_progress_to_the_agenda)
{
	json_t *a;
	long rows;

	OK("quinn", "qa", "record", "--date", "2026-11-02", "--action", "Visit Elm|Quinn|2026-11-10",
		"--action", "Call Ash|Jo Price|2026-12-30");
	OK("quinn", "--json", "qa", "progress", "2026-11-02", "--action", "1", "--status",
		"ongoing", "--note", "visit booked");
	a = json_array_get(json_object_get(t.json, "actions"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(a, "status")), "ongoing");
	cr_assert(json_is_true(json_object_get(a, "overdue")), "ongoing past its date is overdue");
	OK("quinn", "--json", "qa", "progress", "2026-11-02", "--action", "1", "--status", "done",
		"--note", "visited; records in order");
	a = json_array_get(json_object_get(t.json, "actions"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(a, "status")), "done");
	cr_assert(json_is_false(json_object_get(a, "overdue")), "a done action is not overdue");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "progress"), "note")),
		"visited; records in order");
	cr_assert_eq(cwt_count(&t, "qa_action_progress"), 2, "the earlier report is kept");
	OK("quinn", "watchlist", "--format", "markdown");
	HAS(t.out, "- 1. Visit Elm — Quinn, by 2026-11-10: done (2026-11-22: visited; records in"
		" order)");
	HAS(t.out, "- 2. Call Ash — Jo Price, by 2026-12-30: open");
	OK("quinn", "watchlist", "--format", "html");
	HAS(t.out, "1. Visit Elm: Quinn, by 2026-11-10: done (2026-11-22: visited; records in order)");
	/* Bad input writes nothing. */
	rows = cwt_count(&t, "qa_action_progress");
	REFUSED(2, "quinn", "qa", "progress", "2026-11-02", "--action", "1", "--status", "finished");
	REFUSED(3, "quinn", "qa", "progress", "2026-11-02", "--action", "3", "--status", "done");
	REFUSED(2, "quinn", "qa", "progress", "2026-11-02", "--action", "0", "--status", "done");
	REFUSED(3, "quinn", "qa", "progress", "2026-01-01", "--action", "1", "--status", "done");
	REFUSED(5, "bob", "qa", "progress", "2026-11-02", "--action", "1", "--status", "done");
	cr_assert_eq(cwt_count(&t, "qa_action_progress"), rows);
	OK("alice", "audit", "verify", "--deep");
}

Test(paper, the_qa_agenda_reports_closures_and_its_own_actions)
{
	cid kase;

	letterhead();
	OK("quinn", "qa", "record", "--date", "2026-11-02", "--action", "Visit Elm|Quinn|2026-11-10");
	escalated("Closed Care", "domiciliary", kase);
	OK("bob", "case", "close", kase, "--outcome", "single_agency_monitoring", "--rationale",
		"as agreed", "--agreed-by", "Health Board", "--override", "letters in hand");
	OK("quinn", "watchlist", "--format", "markdown");
	HAS(t.out, "- 1. Visit Elm — Quinn, by 2026-11-10: open (**past its date**)");
	HAS(t.out, "**Closed Care**: closed 2026-11-22, single agency monitoring");
	OK("quinn", "watchlist", "--format", "html");
	HAS(t.out, "Closed Care: closed 2026-11-22, single agency monitoring");
	/* After the next QA meeting, that closure has been reported and its actions replace these. */
	OK("quinn", "qa", "record", "--date", "2026-11-22");
	OK("quinn", "watchlist", "--format", "markdown");
	HASNT(t.out, "Closed Care**: closed");
	HASNT(t.out, "Visit Elm");
}
