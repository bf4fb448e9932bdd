/*
 * Scenario tests of provider performance meetings and of the flag engine,
 * through the binary: recording and listing meetings, their refusals, and
 * every flag appearing exactly when its rule says, the same on
 * `provider show`, `provider list`, `case show`, `case list` and the watch
 * list.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s", t.code, t.err)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)

typedef char cid[64];

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "quinn", "--role", "qa");
	OK("alice", "user", "add", "sam", "--role", "safeguarding");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(meeting, .init = setup, .fini = teardown, .timeout = 180);

static void keep_id(char *out)
{
	cr_assert(t.json, "no JSON from the last run: %s", t.err);
	snprintf(out, sizeof(cid), "%s", json_string_value(json_object_get(t.json, "id")));
	cr_assert(out[0], "no id in the last output");
}

static void provider(const char *name, const char *group)
{
	if (group)
		OK("bob", "provider", "add", name, "--type", "care_home_residential", "--group", group);
	else
		OK("bob", "provider", "add", name, "--type", "care_home_residential");
}

static void concern_on(const char *prov, const char *source, const char *l, const char *i,
	const char *received, char *id)
{
	if (strcmp(source, "pova_referral") == 0) {
		static int n;
		char ref[32];

		snprintf(ref, sizeof(ref), "POVA-%d", ++n);
		OK("sam", "--json", "concern", "log", "--provider", prov, "--source", source,
			"--team", "safeguarding", "--likelihood", l, "--impact", i, "--summary", "s",
			"--received", received, "--pova-ref", ref, "--subject", "SU-1");
	} else {
		OK("bob", "--json", "concern", "log", "--provider", prov, "--source", source,
			"--team", "commissioning", "--likelihood", l, "--impact", i, "--summary", "s",
			"--received", received);
	}
	if (id)
		keep_id(id);
}

static void concern(const char *prov, const char *received)
{
	concern_on(prov, "complaint", "1", "2", received, NULL);
}

/* On the default day, a case is opened and escalated on 1 November, so the
 * meetings the tests record after it are not before its escalation. */
static void open_case(const char *prov, char *id)
{
	const char *today = t.today;

	if (strcmp(today, "2026-11-22") == 0)
		t.today = "2026-11-01";
	OK("bob", "--json", "case", "open", "--provider", prov, "--reason", "concerns");
	keep_id(id);
	t.today = today;
}

static void escalate(const char *c)
{
	const char *today = t.today;

	if (strcmp(today, "2026-11-22") == 0)
		t.today = "2026-11-01";
	OK("bob", "case", "escalate", c, "--trigger", "pattern_of_issues", "--chair", "bob");
	t.today = today;
}

static bool has_string(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* The row of a list (the last JSON output) whose `key` is `value`. */
static json_t *row_where(const char *key, const char *value)
{
	size_t i;
	json_t *r;

	json_array_foreach(t.json, i, r) {
		const char *v = json_string_value(json_object_get(r, key));

		if (v && strcmp(v, value) == 0)
			return r;
	}
	return NULL;
}

/*
 * The provider's flags, after checking that provider show, provider list,
 * case show and case list (when it has an open case) and the watch list
 * (when it is on it) all give the same ones. A new reference.
 */
static json_t *flags_of(const char *prov)
{
	json_t *flags, *r;
	const char *case_id;
	cid c = "";

	OK("quinn", "--json", "provider", "show", prov);
	flags = json_incref(json_object_get(t.json, "flags"));
	cr_assert(json_is_array(flags), "provider show has flags");
	case_id = json_string_value(json_object_get(t.json, "case_id"));
	if (case_id)
		snprintf(c, sizeof(c), "%s", case_id);
	OK("quinn", "--json", "provider", "list");
	r = row_where("name", prov);
	cr_assert(json_equal(json_object_get(r, "flags"), flags), "provider list agrees");
	if (c[0]) {
		OK("quinn", "--json", "case", "show", c);
		cr_assert(json_equal(json_object_get(t.json, "flags"), flags), "case show agrees");
		OK("quinn", "--json", "case", "list");
		r = row_where("id", c);
		cr_assert(json_equal(json_object_get(r, "flags"), flags), "case list agrees");
	}
	OK("quinn", "--json", "watchlist");
	if ((r = row_where("provider", prov)))
		cr_assert(json_equal(json_object_get(r, "flags"), flags), "the watch list agrees");
	else
		cr_assert_eq(json_array_size(flags), 0, "a flagged provider is on the watch list");
	return flags;
}

static bool flagged(const char *prov, const char *flag)
{
	json_t *flags = flags_of(prov);
	bool on = has_string(flags, flag);

	json_decref(flags);
	return on;
}

static void audit_ok(void)
{
	OK("alice", "audit", "verify");
}

Test(meeting, record_and_list)
{
	cid c, m1;
	json_t *people, *p;

	provider("Elm House", NULL);
	open_case("Elm House", c);
	escalate(c);
	OK("bob", "--json", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "Bob Jones|County Council|Chair",
		"--attendee", " Sam Lee | Safeguarding | Coordinator ", "--trend", "increased",
		"--overall", "amber", "--next", "2026-12-18", "--provider-attended",
		"--decisions", "Action plan agreed");
	keep_id(m1);
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "case_id")), c);
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "date")), "2026-11-20");
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "chair")), "bob");
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "overall")), "amber");
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "trend")), "increased");
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "decisions")), "Action plan agreed");
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "next")), "2026-12-18");
	cr_assert(json_is_true(json_object_get(t.json, "provider_attended")));
	people = json_object_get(t.json, "attendees");
	cr_assert_eq(json_array_size(people), 2);
	p = json_array_get(people, 1);
	cr_assert_str_eq(json_string_value(json_object_get(p, "name")), "Sam Lee");
	cr_assert_str_eq(json_string_value(json_object_get(p, "org")), "Safeguarding");
	cr_assert_str_eq(json_string_value(json_object_get(p, "role")), "Coordinator");
	cr_assert(json_is_true(json_object_get(p, "acknowledged")), "recording is acknowledging");

	/* Safeguarding may record one too; no level set, no next date. */
	OK("sam", "--json", "meeting", "record", "--case", "Elm House", "--date", "2026-11-10",
		"--chair", "sam", "--attendee", "Sam|Safeguarding|Chair", "--trend", "same");
	cr_assert(json_is_null(json_object_get(t.json, "overall")));
	cr_assert(json_is_null(json_object_get(t.json, "next")));
	cr_assert(json_is_false(json_object_get(t.json, "provider_attended")));
	/* The same meeting twice is refused. */
	REFUSED(4, "sam", "meeting", "record", "--case", c, "--date", "2026-11-10",
		"--chair", "sam", "--attendee", "Sam|Safeguarding|Chair", "--trend", "same");

	OK("quinn", "--json", "meeting", "list", "--case", c);
	cr_assert_eq(json_array_size(t.json), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "date")),
		"2026-11-10", "oldest first");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 1), "id")), m1);
	OK("quinn", "meeting", "list", "--case", c);
	cr_assert(strstr(t.out, "2026-11-20") && strstr(t.out, "amber"), "%s", t.out);
	/* A QA member may read but not record. */
	REFUSED(5, "quinn", "meeting", "record", "--case", c, "--date", "2026-11-21",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same");
	cr_assert_eq(cwt_count(&t, "meetings"), 2);
	cr_assert_eq(cwt_count(&t, "meeting_attendees"), 3);
	audit_ok();
}

Test(meeting, bad_input_is_refused_with_exit_2_and_nothing_written)
{
	static const char *const bad[] = {
		"Bob|County", "Bob|County|Chair|Tel|Extra", "Bob||Chair", "|County|Chair",
		"Bob|County| ", "Bob County Chair",
	};
	cid c;
	size_t i;

	provider("Elm House", NULL);
	open_case("Elm House", c);
	escalate(c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		REFUSED(2, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
			"--chair", "bob", "--attendee", "Good|One|Here", "--attendee", bad[i],
			"--trend", "same");
		cr_assert(strstr(t.err, bad[i]), "the message names '%s': %s", bad[i], t.err);
	}
	/* At least one attendee. */
	REFUSED(2, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--trend", "same");
	/* Not after today; the next one after this one; a band; a trend. */
	REFUSED(2, "bob", "meeting", "record", "--case", c, "--date", "2026-11-23",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same");
	REFUSED(2, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same", "--next", "2026-11-20");
	REFUSED(2, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same", "--overall", "purple");
	REFUSED(2, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "up");
	REFUSED(2, "bob", "--json", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B", "--trend", "same");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "invalid");
	cr_assert_eq(cwt_count(&t, "meetings"), 0);
	cr_assert_eq(cwt_count(&t, "meeting_attendees"), 0);
	audit_ok();
}

Test(meeting, unknown_chair_or_case_is_not_found)
{
	cid c;

	provider("Elm House", NULL);
	open_case("Elm House", c);
	escalate(c);
	REFUSED(3, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "nobody", "--attendee", "A|B|C", "--trend", "same");
	cr_assert(strstr(t.err, "nobody"), "%s", t.err);
	REFUSED(3, "bob", "meeting", "record", "--case", "ffffffff", "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same");
	REFUSED(3, "quinn", "meeting", "list", "--case", "ffffffff");
	cr_assert_eq(cwt_count(&t, "meetings"), 0);
}

Test(meeting, only_in_provider_performance_or_embargo)
{
	cid c, e;

	provider("Elm House", NULL);
	open_case("Elm House", c);
	REFUSED(4, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same");
	cr_assert(strstr(t.err, "quality_assurance"), "names the stage: %s", t.err);
	OK("bob", "case", "close", c, "--outcome", "improved", "--rationale", "fine",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	REFUSED(4, "bob", "meeting", "record", "--case", c, "--date", "2026-11-20",
		"--chair", "bob", "--attendee", "A|B|C", "--trend", "same");
	cr_assert(strstr(t.err, "closed"), "names the stage: %s", t.err);

	/* Under an embargo the PPMs go on. */
	provider("Oak Lodge", NULL);
	open_case("Oak Lodge", e);
	escalate(e);
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("dora", "case", "suspend", e, "--commissioner", "County Council", "--kind",
		"mandatory", "--reason", "unsafe staffing");
	OK("bob", "meeting", "record", "--case", e, "--date", "2026-11-20", "--chair", "dora",
		"--attendee", "Dora|County Council|Director", "--trend", "same");
	cr_assert_eq(cwt_count(&t, "meetings"), 1);
	audit_ok();
}

/* SPEC §2: concerns roll up to the provider group. */
Test(meeting, group_concerns_roll_up_to_every_provider_of_the_group)
{
	provider("North Home", "Oakfield Care");
	provider("South Home", "OAKFIELD CARE");
	provider("Lone Home", NULL);
	concern("North Home", "2026-11-01");
	concern("North Home", "2026-10-01");
	concern("South Home", "2026-09-01");
	concern("Lone Home", "2026-11-01");
	concern("Lone Home", "2026-11-02");
	cr_assert(flagged("North Home", "repeated_concerns"));
	cr_assert(flagged("South Home", "repeated_concerns"), "one concern, but three in the group");
	cr_assert(!flagged("Lone Home", "repeated_concerns"));
	cr_assert(flagged("South Home", "suggest_escalation"));
	audit_ok();
}

Test(meeting, repeated_concerns_window_edges)
{
	provider("Elm House", NULL);
	concern("Elm House", "2026-11-22");
	concern("Elm House", "2026-11-01");
	cr_assert(!flagged("Elm House", "repeated_concerns"), "two is not three");
	/* 2026-11-22 - 90 days = 2026-08-24: outside; 2026-08-25: inside. */
	concern("Elm House", "2026-08-24");
	cr_assert(!flagged("Elm House", "repeated_concerns"), "90 days ago is outside");
	cr_assert(!flagged("Elm House", "suggest_escalation"));
	concern("Elm House", "2026-08-25");
	cr_assert(flagged("Elm House", "repeated_concerns"), "89 days ago is inside");
	cr_assert(flagged("Elm House", "suggest_escalation"));
	/* A day later the oldest falls out of the window. */
	t.today = "2026-11-23";
	cr_assert(!flagged("Elm House", "repeated_concerns"));
	/* Positive feedback is not a concern. */
	OK("bob", "concern", "positive", "--provider", "Elm House", "--team", "other",
		"--summary", "kind staff");
	cr_assert(!flagged("Elm House", "repeated_concerns"));
	audit_ok();
}

Test(meeting, large_scale_pova_at_five_referrals)
{
	int i;

	provider("Elm House", "Group A");
	provider("Ash House", "Group A");
	for (i = 0; i < 4; i++)
		concern_on(i < 2 ? "Elm House" : "Ash House", "pova_referral", "1", "1",
			"2026-06-01", NULL);
	cr_assert(!flagged("Elm House", "large_scale_pova"), "four is not five");
	/* 365 days ago is outside the window. */
	concern_on("Elm House", "pova_referral", "1", "1", "2025-11-22", NULL);
	cr_assert(!flagged("Elm House", "large_scale_pova"));
	concern_on("Ash House", "pova_referral", "1", "1", "2025-11-23", NULL);
	cr_assert(flagged("Elm House", "large_scale_pova"));
	cr_assert(flagged("Ash House", "large_scale_pova"));
	cr_assert(flagged("Ash House", "suggest_escalation"));
	audit_ok();
}

Test(meeting, red_concern_regulator_and_suggest_escalation_follow_the_case)
{
	cid k, r, c;

	provider("Elm House", NULL);
	concern_on("Elm House", "complaint", "2", "4", "2026-11-01", k);   /* 8 amber */
	cr_assert(!flagged("Elm House", "red_concern"));
	cr_assert(!flagged("Elm House", "suggest_escalation"));
	OK("bob", "concern", "rate", k, "--likelihood", "3");               /* 12 red */
	cr_assert(flagged("Elm House", "red_concern"));
	cr_assert(flagged("Elm House", "suggest_escalation"), "no case: suggest");
	open_case("Elm House", c);
	cr_assert(flagged("Elm House", "suggest_escalation"), "stage 1: suggest");
	escalate(c);
	cr_assert(flagged("Elm House", "red_concern"));
	cr_assert(!flagged("Elm House", "suggest_escalation"), "already escalated");
	cr_assert(!flagged("Elm House", "regulator_notice"));
	concern_on("Elm House", "regulator", "1", "1", "2026-11-02", r);
	cr_assert(flagged("Elm House", "regulator_notice"));
	OK("bob", "concern", "resolve", r, "--note", "notice lifted");
	cr_assert(!flagged("Elm House", "regulator_notice"));
	OK("dora", "concern", "resolve", k, "--note", "fixed");
	cr_assert(!flagged("Elm House", "red_concern"));
	audit_ok();
}

Test(meeting, overdue_actions_from_the_day_after_the_due_date)
{
	cid k, c, a;

	provider("Elm House", NULL);
	concern_on("Elm House", "complaint", "2", "3", "2026-11-01", k);
	open_case("Elm House", c);
	escalate(c);
	OK("bob", "--json", "action", "add", "--case", c, "--concern", k, "--kind", "CA",
		"--improvement", "train staff", "--due", "2026-11-30", "--owner", "Manager");
	keep_id(a);
	cr_assert(!flagged("Elm House", "overdue_actions"));
	t.today = "2026-11-30";
	cr_assert(!flagged("Elm House", "overdue_actions"), "due today is not overdue");
	t.today = "2026-12-01";
	cr_assert(flagged("Elm House", "overdue_actions"));
	OK("bob", "action", "progress", a, "--status", "completed");
	cr_assert(!flagged("Elm House", "overdue_actions"));
	audit_ok();
}

static void ppm(const char *c, const char *date, const char *overall, bool attended)
{
	const char *argv[20];
	int n = 0;

	argv[n++] = "meeting";
	argv[n++] = "record";
	argv[n++] = "--case";
	argv[n++] = c;
	argv[n++] = "--date";
	argv[n++] = date;
	argv[n++] = "--chair";
	argv[n++] = "bob";
	argv[n++] = "--attendee";
	argv[n++] = "Bob|County Council|Chair";
	argv[n++] = "--trend";
	argv[n++] = "same";
	if (overall) {
		argv[n++] = "--overall";
		argv[n++] = overall;
	}
	if (attended)
		argv[n++] = "--provider-attended";
	argv[n] = NULL;
	cr_assert_eq(cwt_runv(&t, "bob", argv), 0, "%s", t.err);
}

/* Time limits (SPEC §11): first PPM, then the review interval of the band. */
Test(meeting, first_ppm_and_review_overdue)
{
	cid k, c;

	provider("Elm House", NULL);
	t.today = "2026-09-01";
	concern_on("Elm House", "complaint", "3", "4", "2026-09-01", k);   /* red */
	open_case("Elm House", c);
	escalate(c);
	t.today = "2026-09-29";   /* 28 days after the escalation */
	cr_assert(!flagged("Elm House", "first_ppm_overdue"));
	cr_assert(!flagged("Elm House", "review_overdue"));
	t.today = "2026-09-30";
	cr_assert(flagged("Elm House", "first_ppm_overdue"));
	cr_assert(flagged("Elm House", "review_overdue"), "red: 28 days from the escalation");
	ppm(c, "2026-09-30", NULL, true);
	cr_assert(!flagged("Elm House", "first_ppm_overdue"));
	cr_assert(!flagged("Elm House", "review_overdue"));
	t.today = "2026-10-28";   /* 28 days after the PPM */
	cr_assert(!flagged("Elm House", "review_overdue"));
	t.today = "2026-10-29";
	cr_assert(flagged("Elm House", "review_overdue"));
	/* The meeting agreed amber: 42 days from it. */
	ppm(c, "2026-10-29", "amber", true);
	t.today = "2026-12-10";
	cr_assert(!flagged("Elm House", "review_overdue"));
	t.today = "2026-12-11";
	cr_assert(flagged("Elm House", "review_overdue"));
	/* Back at stage 1 no PPM is due. */
	OK("dora", "concern", "resolve", k, "--note", "improved");
	OK("bob", "case", "deescalate", c, "--rationale", "improving");
	cr_assert(!flagged("Elm House", "review_overdue"));
	cr_assert(!flagged("Elm House", "first_ppm_overdue"));
	audit_ok();
}

/* The letter to the provider is due within ppm_to_provider_letter days of the first PPM. */
Test(meeting, provider_letter_overdue_until_the_task_is_done)
{
	cid c, task = "";
	size_t i;
	json_t *v;

	provider("Elm House", NULL);
	t.today = "2026-09-01";
	open_case("Elm House", c);
	escalate(c);
	t.today = "2026-09-10";
	ppm(c, "2026-09-10", NULL, true);
	t.today = "2026-09-15";   /* 5 days after the first PPM */
	cr_assert(!flagged("Elm House", "provider_letter_overdue"));
	t.today = "2026-09-16";
	cr_assert(flagged("Elm House", "provider_letter_overdue"));
	OK("bob", "--json", "task", "list", "--case", c, "--open");
	json_array_foreach(t.json, i, v)
		if (json_is_string(json_object_get(v, "letter")) && strcmp(json_string_value(
				json_object_get(v, "letter")), "ppm-commenced-provider") == 0)
			snprintf(task, sizeof(task), "%s", json_string_value(json_object_get(v, "id")));
	cr_assert(task[0], "the escalation made the letter task: %s", t.out);
	OK("bob", "task", "done", task);
	cr_assert(!flagged("Elm House", "provider_letter_overdue"));
	audit_ok();
}

Test(meeting, provider_not_engaging_after_missing_the_last_two)
{
	cid c;
	json_t *letters;

	provider("Elm House", NULL);
	t.today = "2026-08-20";
	open_case("Elm House", c);
	escalate(c);
	t.today = "2026-11-22";
	ppm(c, "2026-09-01", NULL, false);
	cr_assert(!flagged("Elm House", "provider_not_engaging"), "one meeting is too early");
	ppm(c, "2026-10-01", NULL, true);
	ppm(c, "2026-11-01", NULL, false);
	cr_assert(!flagged("Elm House", "provider_not_engaging"), "attended the one before");
	ppm(c, "2026-11-20", NULL, false);
	cr_assert(flagged("Elm House", "provider_not_engaging"));
	OK("bob", "--json", "case", "show", c);
	letters = json_object_get(t.json, "suggested_letters");
	cr_assert(has_string(letters, "lack-of-engagement-provider"), "%s", t.out);
	ppm(c, "2026-11-21", NULL, true);
	cr_assert(!flagged("Elm House", "provider_not_engaging"));
	OK("bob", "--json", "case", "show", c);
	cr_assert(!has_string(json_object_get(t.json, "suggested_letters"),
		"lack-of-engagement-provider"));
	audit_ok();
}

/* The provider JSON names its open case and stage (SPEC §8). */
Test(meeting, provider_shows_its_open_case)
{
	cid c;

	provider("Elm House", NULL);
	OK("quinn", "--json", "provider", "show", "Elm House");
	cr_assert(json_is_null(json_object_get(t.json, "case_id")));
	cr_assert(json_is_null(json_object_get(t.json, "stage")));
	open_case("Elm House", c);
	escalate(c);
	OK("quinn", "--json", "provider", "show", "Elm House");
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "case_id")), c);
	cr_assert_str_eq(json_string_value(json_object_get(t.json, "stage")), "provider_performance");
	OK("bob", "case", "close", c, "--outcome", "improved", "--rationale", "fine",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	OK("quinn", "--json", "provider", "list");
	cr_assert(json_is_null(json_object_get(json_array_get(t.json, 0), "case_id")),
		"a closed case is not open");
	audit_ok();
}
