/* Scenario tests of cases and their stage machine, through the binary. */
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

TestSuite(case_, .init = setup, .fini = teardown, .timeout = 120);

static void keep_id(char *out)
{
	cr_assert(t.json, "no JSON from the last run: %s", t.err);
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "id"));
	cr_assert(out[0], "no id in the last output");
}

/* The reference of what the last run made: refusals name items by it, and
 * every command takes it wherever it takes an id. */
static void keep_ref(char *out)
{
	cr_assert(t.json, "no JSON from the last run: %s", t.err);
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "ref"));
	cr_assert(out[0], "no ref in the last output");
}

static void provider(const char *name, char *id)
{
	OK("bob", "--json", "provider", "add", name, "--type", "care_home_residential");
	keep_id(id);
}

static void concern(const char *prov, const char *l, const char *i, char *id)
{
	OK("bob", "--json", "concern", "log", "--provider", prov, "--source", "complaint",
		"--team", "commissioning", "--likelihood", l, "--impact", i,
		"--summary", "medication errors");
	keep_ref(id);
}

static void open_case(const char *prov, char *id)
{
	OK("bob", "--json", "case", "open", "--provider", prov, "--reason", "complaints");
	keep_id(id);
}

static void escalate(const char *c)
{
	OK("bob", "case", "escalate", c, "--trigger", "pattern_of_issues", "--chair", "bob");
}

/* Put a clean case into `stage`; embargo is the lead commissioner's suspension. */
static void to_stage(const char *c, const char *stage)
{
	if (strcmp(stage, "quality_assurance") == 0)
		return;
	if (strcmp(stage, "closed") == 0) {
		OK("bob", "case", "close", c, "--outcome", "improved", "--rationale", "done",
			"--agreed-by", "Health Board");
		return;
	}
	escalate(c);
	if (strcmp(stage, "embargo") == 0) {
		/* The lead is added by the first embargo of a test; later ones find it. */
		if (RUN("alice", "commissioner", "add", "County Council", "--lead") != 0)
			cr_assert_eq(t.code, 4, "%s", t.err);
		OK("dora", "case", "suspend", c, "--commissioner", "County Council",
			"--kind", "mandatory", "--reason", "unsafe staffing");
	}
}

static json_t *unmet(void)
{
	return json_object_get(json_object_get(t.json, "error"), "unmet");
}

static bool unmet_has(const char *text)
{
	size_t i;
	json_t *v;

	json_array_foreach(unmet(), i, v)
		if (strstr(json_string_value(v), text))
			return true;
	return false;
}

static bool has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static void audit_ok(void)
{
	OK("alice", "audit", "verify");
}

struct cmd {
	const char *name;
	const char *outcome;   /* close only */
};

static const struct cmd commands[] = {
	{ "escalate", NULL }, { "deescalate", NULL },
	{ "close", "improved" }, { "close", "single_agency_monitoring" },
	{ "close", "contract_terminated" }, { "close", "service_closed" },
};

static const char *const stages[] = {
	"quality_assurance", "provider_performance", "embargo", "closed"
};

/* Allowed[stage][command], from SPEC §2. */
static const bool allowed[4][6] = {
	/* esc    deesc  impr   sam    term   svc */
	{ true,  false, true,  true,  false, false },  /* quality_assurance */
	{ false, true,  true,  true,  true,  true },   /* provider_performance */
	{ false, false, false, false, true,  true },   /* embargo */
	{ false, false, false, false, false, false },  /* closed */
};

static const char *const expected_to[] = {
	"provider_performance", "quality_assurance", "closed", "closed", "closed", "closed"
};

static int run_cmd(const char *c, const struct cmd *k)
{
	if (strcmp(k->name, "escalate") == 0)
		return RUN("dora", "--json", "case", "escalate", c, "--trigger", "unable_to_improve",
			"--chair", "dora");
	if (strcmp(k->name, "deescalate") == 0)
		return RUN("dora", "--json", "case", "deescalate", c, "--rationale", "better");
	return RUN("dora", "--json", "case", "close", c, "--outcome", k->outcome,
		"--rationale", "the end", "--agreed-by", "Health Board,Regulator",
		"--override", "letters in hand");
}

Test(case_, every_stage_by_every_command_follows_the_table)
{
	size_t s, k;

	for (s = 0; s < 4; s++)
		for (k = 0; k < 6; k++) {
			cid p, c;
			char name[96];
			long events;

			snprintf(name, sizeof(name), "Home %zu-%zu", s, k);
			provider(name, p);
			open_case(p, c);
			to_stage(c, stages[s]);
			events = cwt_count(&t, "case_events");
			if (allowed[s][k]) {
				cr_assert_eq(run_cmd(c, &commands[k]), 0, "%s from %s: %s",
					commands[k].name, stages[s], t.err);
				cr_assert_str_eq(cwt_str(&t, "stage"), expected_to[k]);
				cr_assert_eq(cwt_count(&t, "case_events"), events + 1);
				continue;
			}
			cr_assert_eq(run_cmd(c, &commands[k]), 4, "%s %s from %s: exit %d %s",
				commands[k].name, commands[k].outcome ? commands[k].outcome : "",
				stages[s], t.code, t.err);
			cr_assert(strstr(t.err, "is in stage "), "%s", t.err);
			cr_assert(strstr(t.err, stages[s]), "%s", t.err);
			cr_assert_eq(cwt_count(&t, "case_events"), events, "a refusal wrote an event");
			if (s == 3)
				cr_assert(strstr(t.err, "nothing is allowed from closed"), "%s", t.err);
		}
	/* The message says what IS allowed from the stage. */
	{
		cid p, c;

		provider("Elms", p);
		open_case(p, c);
		to_stage(c, "embargo");
		REFUSED(4, "dora", "case", "escalate", c, "--trigger", "other", "--note", "x",
			"--chair", "dora");
		cr_assert(strstr(t.err, "allowed from embargo: case close (outcome:"
			" contract_terminated|service_closed)"), "%s", t.err);
		provider("Ash", p);
		open_case(p, c);
		REFUSED(4, "dora", "case", "deescalate", c, "--rationale", "x");
		cr_assert(strstr(t.err, "case escalate"), "%s", t.err);
	}
	audit_ok();
}

Test(case_, a_provider_has_at_most_one_open_case)
{
	cid p, c, c2;
	size_t s;

	provider("Oakwood", p);
	open_case("Oakwood", c);
	for (s = 0; s < 3; s++) {
		if (s == 1)
			escalate(c);
		if (s == 2) {
			char sql[256];

			snprintf(sql, sizeof(sql), "UPDATE cases SET stage = 'embargo' WHERE id = '%s'", c);
			cr_assert_eq(cwt_sql(&t, sql), 0);
		}
		REFUSED(4, "bob", "case", "open", "--provider", "Oakwood", "--reason", "again");
		cr_assert(strstr(t.err, c), "the refusal names the open case: %s", t.err);
		cr_assert(strstr(t.err, stages[s]), "%s", t.err);
	}
	/* Back to a closable stage, close, and a new case may open. */
	OK("dora", "case", "close", c, "--outcome", "service_closed", "--rationale", "x");
	REFUSED(4, "bob", "case", "open", "--provider", "Oakwood", "--reason", "again");
	cr_assert(strstr(t.err, "is closed"), "a closed service gets no new case: %s", t.err);

	provider("Birch", p);
	open_case("Birch", c);
	to_stage(c, "closed");
	open_case("Birch", c2);
	cr_assert_str_neq(c, c2);
	cr_assert_eq(cwt_count(&t, "cases"), 3);
	audit_ok();
}

Test(case_, escalation_needs_a_valid_trigger_a_note_for_other_and_a_user_chair)
{
	cid p, c;
	long events;

	provider("Oakwood", p);
	open_case("Oakwood", c);
	events = cwt_count(&t, "case_events");
	REFUSED(2, "bob", "case", "escalate", c, "--trigger", "other", "--chair", "bob");
	cr_assert(strstr(t.err, "--note"), "%s", t.err);
	REFUSED(2, "bob", "case", "escalate", c, "--trigger", "other", "--chair", "bob",
		"--note", "   ");
	REFUSED(2, "bob", "case", "escalate", c, "--trigger", "bored", "--chair", "bob");
	REFUSED(2, "bob", "case", "escalate", c, "--trigger", "unable_to_improve");
	REFUSED(3, "bob", "case", "escalate", c, "--trigger", "unable_to_improve",
		"--chair", "nobody");
	REFUSED(3, "bob", "case", "escalate", "ffffffff", "--trigger", "unable_to_improve",
		"--chair", "bob");
	cr_assert_eq(cwt_count(&t, "case_events"), events);
	OK("bob", "--json", "case", "escalate", c, "--trigger", "other", "--chair", "sam",
		"--note", "the manager left");
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance");
	cr_assert_str_eq(cwt_str(&t, "trigger"), "other");
	cr_assert_str_eq(cwt_str(&t, "trigger_note"), "the manager left");
	cr_assert_str_eq(cwt_str(&t, "chair"), "sam");
	cr_assert_str_eq(cwt_str(&t, "escalated"), "2026-11-22");
	audit_ok();
}

Test(case_, deescalation_with_a_red_concern_is_refused_under_must)
{
	cid p, c, red;

	provider("Oakwood", p);
	concern("Oakwood", "4", "3", red);
	open_case("Oakwood", c);
	escalate(c);
	REFUSED(4, "bob", "--json", "case", "deescalate", c, "--rationale", "better");
	cr_assert_eq(json_array_size(unmet()), 1);
	cr_assert(unmet_has(red));
	cr_assert(unmet_has("is red (score 12)"));
	cr_assert(!strstr(t.err, "--override"), "must is not overridable: %s", t.err);
	REFUSED(4, "bob", "case", "deescalate", c, "--rationale", "better", "--override", "trust me");
	OK("bob", "--json", "case", "show", c);
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance");
	cr_assert_eq(json_array_size(json_object_get(t.json, "overrides")), 0);
	audit_ok();
}

Test(case_, deescalation_under_should_needs_and_records_an_override)
{
	cid p, c, red;
	json_t *ov, *events, *last, *audit;
	size_t i;
	bool found = false;

	cwt_rules(&t, cwt_file(&t, "should.cfg", "guards = { deescalate_no_red = \"should\"; };\n"));
	provider("Oakwood", p);
	concern("Oakwood", "4", "4", red);
	open_case("Oakwood", c);
	escalate(c);
	REFUSED(4, "bob", "--json", "case", "deescalate", c, "--rationale", "better");
	cr_assert(strstr(t.err, "--override"), "the message offers an override: %s", t.err);
	cr_assert(unmet_has(red));
	REFUSED(2, "bob", "case", "deescalate", c, "--rationale", "better", "--override", " ");
	OK("bob", "--json", "case", "deescalate", c, "--rationale", "better",
		"--override", "panel agreed on 2026-11-20");
	cr_assert_str_eq(cwt_str(&t, "stage"), "quality_assurance");
	OK("bob", "--json", "case", "show", c);
	ov = json_object_get(t.json, "overrides");
	cr_assert_eq(json_array_size(ov), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ov, 0), "reason")),
		"panel agreed on 2026-11-20");
	events = json_object_get(t.json, "events");
	last = json_array_get(events, json_array_size(events) - 1);
	cr_assert_str_eq(json_string_value(json_object_get(last, "override")),
		"panel agreed on 2026-11-20");
	cr_assert_str_eq(json_string_value(json_object_get(last, "actor")), "bob");
	OK("bob", "--json", "audit", "--entity", c);
	audit = t.json;
	for (i = 0; i < json_array_size(audit); i++) {
		json_t *e = json_array_get(audit, i);
		json_t *d = json_object_get(e, "details");

		if (strcmp(json_string_value(json_object_get(e, "action")), "case.deescalate") == 0) {
			cr_assert_str_eq(json_string_value(json_object_get(d, "override")),
				"panel agreed on 2026-11-20");
			cr_assert_eq(json_array_size(json_object_get(d, "overridden")), 1);
			found = true;
		}
	}
	cr_assert(found, "no case.deescalate audit entry");
	/* Text output shows the override too. */
	OK("bob", "case", "show", c);
	cr_assert(strstr(t.out, "overrides:"), "%s", t.out);
	cr_assert(strstr(t.out, "panel agreed on 2026-11-20"), "%s", t.out);
	audit_ok();
}

Test(case_, closure_refusal_lists_every_unmet_condition_by_id)
{
	cid p, c, red, amber, a;

	provider("Oakwood", p);
	concern("Oakwood", "4", "4", red);
	concern("Oakwood", "3", "3", amber);
	open_case("Oakwood", c);
	escalate(c);
	OK("bob", "--json", "action", "add", "--case", c, "--concern", amber, "--kind", "CA",
		"--improvement", "audit medication", "--due", "2026-12-31", "--owner", "Manager");
	keep_ref(a);
	REFUSED(4, "bob", "--json", "case", "close", c, "--outcome", "improved",
		"--rationale", "better");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"), "code")),
		"refused");
	/* Three must conditions, and the escalation's notification tasks (should). */
	cr_assert_eq(json_array_size(unmet()), 3 + 4, "%s", t.out);
	cr_assert(unmet_has("notification task"), "%s", t.out);
	cr_assert(unmet_has("is red (score 16)"));
	cr_assert(unmet_has(red));
	{
		char want[256];

		snprintf(want, sizeof(want), "action %s (not completed): likelihood of concern %s"
			" has fallen by 0, needs 1", a, amber);
		cr_assert(unmet_has(want), "%s", t.out);
	}
	cr_assert(unmet_has("--agreed-by"));
	/* Same for the other improving outcome, as text on stderr. */
	REFUSED(4, "bob", "case", "close", c, "--outcome", "single_agency_monitoring",
		"--rationale", "better");
	cr_assert(strstr(t.err, red) && strstr(t.err, a) && strstr(t.err, "--agreed-by"), "%s", t.err);
	OK("bob", "--json", "case", "show", c);
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance");
	audit_ok();
}

Test(case_, a_red_item_can_never_be_closed_away)
{
	cid p, c, red, a;

	provider("Oakwood", p);
	concern("Oakwood", "4", "4", red);
	open_case("Oakwood", c);
	escalate(c);
	OK("bob", "--json", "action", "add", "--case", c, "--concern", red, "--kind", "CA",
		"--improvement", "fix it", "--due", "2026-12-01", "--owner", "Manager");
	keep_id(a);
	OK("bob", "action", "progress", a, "--status", "completed");
	/* The plan is complete and partners agree, yet the concern is still red. */
	REFUSED(4, "bob", "--json", "case", "close", c, "--outcome", "improved",
		"--rationale", "plan done", "--agreed-by", "Health Board", "--override", "please");
	cr_assert(unmet_has(red), "%s", t.out);
	/* Re-rated below red, it may close. */
	OK("bob", "concern", "rate", red, "--likelihood", "2", "--note", "audit passed");
	OK("bob", "--json", "case", "close", c, "--outcome", "improved",
		"--rationale", "plan done", "--agreed-by", "Health Board, Regulator",
		"--override", "letters in hand");
	cr_assert_str_eq(cwt_str(&t, "stage"), "closed");
	cr_assert_str_eq(cwt_str(&t, "outcome"), "improved");
	cr_assert_str_eq(cwt_str(&t, "closed"), "2026-11-22");
	cr_assert_eq(json_array_size(json_object_get(t.json, "agreed_by")), 2);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t.json, "agreed_by"), 1)),
		"Regulator");
	audit_ok();
}

Test(case_, an_unfinished_item_passes_once_its_likelihood_has_fallen)
{
	cid p, c, k1, k2, a1, a2;

	provider("Oakwood", p);
	concern("Oakwood", "3", "3", k1);
	concern("Oakwood", "3", "2", k2);
	open_case("Oakwood", c);
	OK("bob", "--json", "action", "add", "--case", c, "--concern", k1, "--kind", "DA",
		"--improvement", "training", "--due", "2026-12-01", "--owner", "Manager");
	keep_ref(a1);
	OK("bob", "--json", "action", "add", "--case", c, "--concern", k2, "--kind", "CA",
		"--improvement", "records", "--due", "2026-12-01", "--owner", "Manager");
	keep_ref(a2);
	OK("bob", "action", "progress", a1, "--status", "ongoing");
	OK("bob", "concern", "rate", k1, "--likelihood", "2");
	REFUSED(4, "bob", "--json", "case", "close", c, "--outcome", "improved",
		"--rationale", "x", "--agreed-by", "Health Board");
	cr_assert_eq(json_array_size(unmet()), 1, "%s", t.out);
	cr_assert(unmet_has(a2));
	cr_assert(!unmet_has(a1));
	/* A resolved concern needs no fall. */
	OK("bob", "concern", "resolve", k2, "--note", "fixed");
	OK("bob", "case", "close", c, "--outcome", "improved", "--rationale", "x",
		"--agreed-by", "Health Board");
	audit_ok();
}

Test(case_, closure_rules_under_should_can_be_overridden)
{
	cid p, c, red;
	json_t *ov;

	cwt_rules(&t, cwt_file(&t, "should.cfg",
		"guards = { close_no_red = \"should\"; close_partner_agreement = \"should\"; };\n"));
	provider("Oakwood", p);
	concern("Oakwood", "4", "4", red);
	open_case("Oakwood", c);
	REFUSED(4, "bob", "--json", "case", "close", c, "--outcome", "improved", "--rationale", "x");
	cr_assert_eq(json_array_size(unmet()), 2);
	cr_assert(strstr(t.err, "--override"), "%s", t.err);
	cr_assert(strstr(t.err, "close_no_red"), "%s", t.err);
	OK("bob", "--json", "case", "close", c, "--outcome", "improved", "--rationale", "x",
		"--override", "director's judgement recorded at PPM");
	cr_assert_str_eq(cwt_str(&t, "stage"), "closed");
	ov = json_object_get(t.json, "overrides");
	cr_assert_eq(json_array_size(ov), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ov, 0), "command")), "close");
	audit_ok();
}

Test(case_, ending_a_contract_needs_the_decision_role)
{
	cid p, c;

	provider("Oakwood", p);
	open_case("Oakwood", c);
	escalate(c);
	REFUSED(5, "bob", "--json", "case", "close", c, "--outcome", "contract_terminated",
		"--rationale", "ended");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"), "code")),
		"forbidden");
	cr_assert(strstr(t.err, "decision role 'director'"), "%s", t.err);
	OK("dora", "--json", "case", "close", c, "--outcome", "contract_terminated",
		"--rationale", "ended");
	cr_assert_str_eq(cwt_str(&t, "outcome"), "contract_terminated");
	OK("bob", "--json", "provider", "show", "Oakwood");
	cr_assert_str_eq(cwt_str(&t, "status"), "closed");
	audit_ok();
}

Test(case_, decision_role_under_should_is_overridable)
{
	cid p, c;

	cwt_rules(&t, cwt_file(&t, "should.cfg", "guards = { decision_role = \"should\"; };\n"));
	provider("Oakwood", p);
	open_case("Oakwood", c);
	escalate(c);
	REFUSED(4, "bob", "case", "close", c, "--outcome", "service_closed", "--rationale", "x");
	cr_assert(strstr(t.err, "--override"), "%s", t.err);
	OK("bob", "case", "close", c, "--outcome", "service_closed", "--rationale", "x",
		"--override", "director on leave; agreed by phone");
}

Test(case_, permissions)
{
	cid p, c;

	provider("Oakwood", p);
	REFUSED(5, "quinn", "case", "open", "--provider", "Oakwood", "--reason", "x");
	OK("sam", "--json", "case", "open", "--provider", "Oakwood", "--reason", "POVA referrals");
	keep_id(c);
	REFUSED(5, "quinn", "case", "escalate", c, "--trigger", "pova_risk_to_others", "--chair", "sam");
	OK("sam", "case", "escalate", c, "--trigger", "pova_risk_to_others", "--chair", "sam");
	REFUSED(5, "sam", "case", "deescalate", c, "--rationale", "x");
	REFUSED(5, "sam", "case", "close", c, "--outcome", "improved", "--rationale", "x",
		"--agreed-by", "Health Board");
	REFUSED(5, "nobody", "case", "show", c);
	OK("quinn", "case", "show", c);
	OK("quinn", "case", "list");
	audit_ok();
}

Test(case_, show_and_list_carry_the_spec_keys_and_flags)
{
	static const char *const keys[] = {
		"id", "provider_id", "provider", "stage", "opened", "trigger", "chair", "outcome",
		"closed", "placements", "flags", "open_tasks", "events", "overrides",
		"plan_version", "plan_updated", NULL
	};
	const char *const *k;
	cid p, c, red, q, c2;

	provider("Oakwood", p);
	concern("Oakwood", "4", "4", red);
	open_case("Oakwood", c);
	OK("bob", "--json", "case", "show", "Oakwood");
	for (k = keys; *k; k++)
		cr_assert(json_object_get(t.json, *k), "no key %s", *k);
	cr_assert_str_eq(cwt_str(&t, "id"), c);
	cr_assert_str_eq(cwt_str(&t, "provider"), "Oakwood");
	cr_assert(has_string(json_object_get(t.json, "flags"), "red_concern"));
	cr_assert(has_string(json_object_get(t.json, "flags"), "suggest_escalation"));
	escalate(c);
	OK("bob", "--json", "case", "show", c);
	cr_assert(has_string(json_object_get(t.json, "flags"), "red_concern"));
	cr_assert(!has_string(json_object_get(t.json, "flags"), "suggest_escalation"));
	cr_assert_eq(json_array_size(json_object_get(t.json, "events")), 2);

	provider("Quay", q);
	open_case("Quay", c2);
	OK("bob", "--json", "case", "list");
	cr_assert_eq(json_array_size(t.json), 2);
	OK("bob", "--json", "case", "list", "--stage", "provider_performance");
	cr_assert_eq(json_array_size(t.json), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "id")), c);
	REFUSED(2, "bob", "case", "list", "--stage", "limbo");
	/* A unique prefix names a case; an unknown one is not found. */
	{
		char prefix[9];

		memcpy(prefix, c2, 8);
		prefix[8] = '\0';
		OK("bob", "--json", "case", "show", prefix);
		cr_assert_str_eq(cwt_str(&t, "id"), c2);
	}
	REFUSED(3, "bob", "case", "show", "0000000");
	OK("bob", "case", "list");
	cr_assert(strstr(t.out, "Oakwood") && strstr(t.out, "Quay"), "%s", t.out);
}
