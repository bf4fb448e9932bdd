/*
 * No way around the guards (issue 14): each guard at its edge, under
 * "must" and under "should", through the binary.
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
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(guards_walk, .init = setup, .fini = teardown, .timeout = 120);

static void keep_id(char *out)
{
	cr_assert(t.json, "no JSON from the last run: %s", t.err);
	snprintf(out, sizeof(cid), "%s", cwt_str(&t, "id"));
	cr_assert(out[0], "no id in the last output");
}

static void concern(const char *prov, const char *l, const char *i, char *id)
{
	OK("bob", "--json", "concern", "log", "--provider", prov, "--source", "complaint",
		"--team", "commissioning", "--likelihood", l, "--impact", i,
		"--summary", "medication errors");
	keep_id(id);
}

static bool unmet_has(const char *text)
{
	json_t *u = json_object_get(json_object_get(t.json, "error"), "unmet"), *v;
	size_t i;

	json_array_foreach(u, i, v)
		if (strstr(json_string_value(v), text))
			return true;
	return false;
}

/* The details of the last audit entry of `action` about `entity`. */
static json_t *audit_details(const char *entity, const char *action)
{
	json_t *e, *found = NULL;
	size_t i;

	OK("alice", "--json", "audit", "--entity", entity);
	json_array_foreach(t.json, i, e)
		if (strcmp(json_string_value(json_object_get(e, "action")), action) == 0)
			found = json_object_get(e, "details");
	cr_assert(found, "no %s audit entry for %s", action, entity);
	return found;
}

Test(guards_walk, a_red_concern_is_resolved_by_the_decision_role_only_under_must)
{
	cid red12, red16, amber;

	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_residential");
	concern("Oakwood", "3", "4", red12);   /* the lowest red score */
	concern("Oakwood", "4", "4", red16);
	concern("Oakwood", "3", "3", amber);   /* 9: the highest amber */
	REFUSED(4, "bob", "--json", "concern", "resolve", red12, "--note", "fixed");
	cr_assert(unmet_has(red12), "%s", t.err);
	cr_assert(unmet_has("score 12"), "%s", t.err);
	cr_assert(!strstr(t.err, "--override"), "must is not overridable: %s", t.err);
	REFUSED(4, "bob", "concern", "resolve", red16, "--note", "fixed", "--override", "trust me");
	OK("bob", "--json", "concern", "show", red16);
	cr_assert_str_eq(cwt_str(&t, "status"), "open");
	/* Amber is resolved by anyone with the permission. */
	OK("bob", "concern", "resolve", amber, "--note", "fixed");
	/* Re-rated out of red first: bob may resolve it. */
	OK("bob", "concern", "rate", red12, "--likelihood", "2", "--note", "better");
	OK("bob", "concern", "resolve", red12, "--note", "fixed");
	/* The decision role resolves a red one with its rationale. */
	OK("dora", "--json", "concern", "resolve", red16, "--note", "closed at PPM: home sold");
	cr_assert_str_eq(cwt_str(&t, "status"), "resolved");
	OK("alice", "audit", "verify");
}

Test(guards_walk, a_red_concern_under_should_needs_an_override_that_is_kept)
{
	cid red;
	json_t *d;

	cwt_rules(&t, cwt_file(&t, "should.cfg", "guards = { resolve_red = \"should\"; };\n"));
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_residential");
	concern("Oakwood", "3", "4", red);
	REFUSED(4, "bob", "--json", "concern", "resolve", red, "--note", "fixed");
	cr_assert(strstr(t.err, "--override"), "the message offers an override: %s", t.err);
	cr_assert(unmet_has(red));
	REFUSED(2, "bob", "concern", "resolve", red, "--note", "fixed", "--override", " ");
	OK("bob", "--json", "concern", "resolve", red, "--note", "fixed",
		"--override", "director agreed by phone");
	cr_assert_str_eq(cwt_str(&t, "status"), "resolved");
	d = audit_details(red, "concern.resolve");
	cr_assert_str_eq(json_string_value(json_object_get(d, "override")),
		"director agreed by phone");
	cr_assert_eq(json_array_size(json_object_get(d, "overridden")), 1);
}

/* Oakwood, its case escalated (so the escalation's notification tasks are
 * open), a red concern, an unfinished corrective item; two commissioners. */
static void escalated_case(char *kase, char *red)
{
	cid a;

	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("alice", "commissioner", "add", "Health Board");
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_residential");
	concern("Oakwood", "4", "4", red);
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	keep_id(kase);
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "--json", "action", "add", "--case", kase, "--concern", red, "--kind", "CA",
		"--improvement", "night staffing", "--due", "2026-12-31", "--owner", "Manager");
	keep_id(a);
}

Test(guards_walk, another_commissioner_restarts_without_the_leads_restart_guards)
{
	cid kase, red;

	escalated_case(kase, red);
	OK("dora", "case", "suspend", kase, "--commissioner", "Health Board", "--kind", "mandatory",
		"--reason", "nursing cover");
	/* A red concern and an unfinished CA item: the board decides for itself. */
	OK("dora", "--json", "case", "restart", kase, "--commissioner", "Health Board",
		"--reason", "cover found");
	cr_assert_str_eq(cwt_str(&t, "stage"), "provider_performance");
	/* The decision role still applies to every body. */
	OK("dora", "case", "suspend", kase, "--commissioner", "Health Board", "--kind", "mandatory",
		"--reason", "again");
	REFUSED(5, "bob", "case", "restart", kase, "--commissioner", "Health Board",
		"--reason", "cover found");
	/* The lead's restart keeps the protocol's conditions. */
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "mandatory",
		"--reason", "unsafe");
	REFUSED(4, "dora", "--json", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better");
	cr_assert(unmet_has("C-0001") && unmet_has("is red"), "%s", t.out);
	cr_assert(unmet_has("corrective action"), "%s", t.out);
}

Test(guards_walk, closing_while_another_body_suspends_or_tasks_are_open_is_a_should)
{
	cid kase, red;
	json_t *d;

	escalated_case(kase, red);
	OK("bob", "concern", "rate", red, "--likelihood", "1", "--note", "audit passed");
	OK("dora", "case", "suspend", kase, "--commissioner", "Health Board", "--kind", "mandatory",
		"--reason", "nursing cover");
	REFUSED(4, "bob", "--json", "case", "close", kase, "--outcome", "improved",
		"--rationale", "better", "--agreed-by", "Health Board");
	cr_assert(unmet_has("commissioner Health Board still has placements suspended"), "%s",
		t.out);
	cr_assert(unmet_has("notification task"), "%s", t.out);
	cr_assert(strstr(t.err, "close_other_suspended") && strstr(t.err, "close_open_tasks"),
		"both are named as overridable: %s", t.err);
	/* Under must, an override does not help. */
	cwt_rules(&t, cwt_file(&t, "must.cfg", "guards = { close_other_suspended = \"must\"; };\n"));
	REFUSED(4, "bob", "--json", "case", "close", kase, "--outcome", "improved",
		"--rationale", "better", "--agreed-by", "Health Board", "--override", "board agrees");
	cr_assert(unmet_has("Health Board"), "%s", t.out);
	cwt_rules(&t, NULL);
	/* Every task ticked, only the board's suspension is left: still a should. */
	{
		json_t *v;
		size_t i;

		OK("bob", "--json", "task", "list", "--case", kase);
		d = json_deep_copy(t.json);
		json_array_foreach(d, i, v)
			OK("bob", "task", "done", json_string_value(json_object_get(v, "id")));
		json_decref(d);
	}
	REFUSED(4, "bob", "--json", "case", "close", kase, "--outcome", "improved",
		"--rationale", "better", "--agreed-by", "Health Board");
	cr_assert(!unmet_has("notification task"), "%s", t.out);
	OK("bob", "--json", "case", "close", kase, "--outcome", "improved",
		"--rationale", "better", "--agreed-by", "Health Board",
		"--override", "the board keeps its own embargo");
	cr_assert_str_eq(cwt_str(&t, "stage"), "closed");
	d = audit_details(kase, "case.close");
	cr_assert_str_eq(json_string_value(json_object_get(d, "override")),
		"the board keeps its own embargo");
	OK("alice", "audit", "verify");
}

Test(guards_walk, closing_as_improved_lifts_the_leads_cap)
{
	cid kase, red;
	json_t *d;

	escalated_case(kase, red);
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council", "--kind", "mandatory",
		"--reason", "unsafe");
	OK("bob", "concern", "rate", red, "--likelihood", "2", "--note", "audit passed");
	{
		json_t *v;
		size_t i;

		OK("bob", "--json", "action", "list", "--case", kase);
		d = json_deep_copy(t.json);
		json_array_foreach(d, i, v)
			OK("bob", "action", "progress", json_string_value(json_object_get(v, "id")),
				"--status", "completed");
		json_decref(d);
	}
	OK("dora", "case", "restart", kase, "--commissioner", "County Council",
		"--reason", "better", "--max-admissions", "1", "--per", "week");
	OK("bob", "placement", "record", "--provider", "Oakwood", "--commissioner", "County Council");
	REFUSED(4, "bob", "placement", "check", "--provider", "Oakwood", "--commissioner",
		"County Council");
	OK("bob", "case", "close", kase, "--outcome", "improved", "--rationale", "better",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	/* The cap ended with the case. */
	OK("bob", "placement", "check", "--provider", "Oakwood", "--commissioner", "County Council");
	d = audit_details(kase, "case.close");
	cr_assert_str_eq(json_string_value(json_object_get(d, "lifted")), "County Council");
}
