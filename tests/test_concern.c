/* Scenario tests for concerns: scoring, POVA rules, confidentiality,
 * re-rating, resolving and permissions, through the binary. */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

#define POVA_REF "POVA-2026-017"
#define SUBJECT_REF "SU-0042"

static cwt t;

static void setup(void)
{
	static const char *const users[][2] = {
		{ "carol", "contracts" }, { "sam", "safeguarding" }, { "dora", "director" },
		{ "quinn", "qa" }, { "vic", "viewer" },
	};
	size_t i;

	cwt_setup(&t, "alice");
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		cr_assert_eq(cwt_run(&t, "alice", "user", "add", users[i][0], "--role", users[i][1],
			NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Elm House", "--type",
		"care_home_nursing", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Oak Lodge", "--type",
		"care_home_residential", NULL), 0, "%s", t.err);
}

static void fini(void)
{
	cwt_teardown(&t);
}

TestSuite(concern, .init = setup, .fini = fini);

static json_int_t jint(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "%s is not an integer", key);
	return json_integer_value(v);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Log a concern about Elm House as `as`; exit code, id into `id`. */
static int log_concern(const char *as, const char *l, const char *i, char id[64])
{
	int code = cwt_run(&t, as, "--json", "concern", "log", "--provider", "Elm House",
		"--source", "monitoring_visit", "--team", "commissioning", "--likelihood", l,
		"--impact", i, "--summary", "Medication records incomplete", NULL);

	snprintf(id, 64, "%s", code == 0 ? cwt_str(&t, "id") : "");
	return code;
}

static void log_pova(char id[64])
{
	cr_assert_eq(cwt_run(&t, "sam", "--json", "concern", "log", "--provider", "Elm House",
		"--source", "pova_referral", "--team", "safeguarding", "--likelihood", "3",
		"--impact", "3", "--summary", "Unexplained bruising", "--pova-ref", POVA_REF,
		"--subject", SUBJECT_REF, NULL), 0, "%s", t.err);
	snprintf(id, 64, "%s", cwt_str(&t, "id"));
}

static void verify_audit(void)
{
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
}

Test(concern, log_scores_on_the_4x4_matrix)
{
	char red[64], amber[64];

	cr_assert_eq(log_concern("carol", "3", "4", red), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "score"), 12);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	cr_assert_eq(jint(t.json, "likelihood"), 3);
	cr_assert_eq(jint(t.json, "impact"), 4);
	cr_assert_eq(jint(t.json, "first_likelihood"), 3);
	cr_assert_str_eq(cwt_str(&t, "provider"), "Elm House");
	cr_assert_eq(strlen(cwt_str(&t, "provider_id")), 36);
	cr_assert_str_eq(cwt_str(&t, "received"), "2026-11-22");   /* today by default */
	cr_assert_str_eq(cwt_str(&t, "source"), "monitoring_visit");
	cr_assert_str_eq(cwt_str(&t, "team"), "commissioning");
	cr_assert_str_eq(cwt_str(&t, "status"), "open");
	cr_assert_str_eq(cwt_str(&t, "logged_by"), "carol");
	cr_assert(json_is_null(json_object_get(t.json, "category")));
	cr_assert(json_is_null(json_object_get(t.json, "pova_ref")));
	cr_assert(json_is_null(json_object_get(t.json, "subject_ref")));
	cr_assert(json_is_false(json_object_get(t.json, "positive")));

	cr_assert_eq(log_concern("carol", "2", "4", amber), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "score"), 8);
	cr_assert_str_eq(cwt_str(&t, "band"), "amber");
	cr_assert_eq(log_concern("carol", "1", "3", amber), 0);
	cr_assert_str_eq(cwt_str(&t, "band"), "green");
	cr_assert_eq(log_concern("carol", "2", "3", amber), 0);
	cr_assert_str_eq(cwt_str(&t, "band"), "yellow");
	cr_assert_eq(cwt_count(&t, "concerns"), 4);
	cr_assert_eq(cwt_count(&t, "concern_ratings"), 4);

	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "Oak Lodge",
		"--source", "complaint", "--team", "care_management", "--likelihood", "2",
		"--impact", "2", "--summary", "Call bell slow", "--category", "staffing",
		"--received", "2026-10-01", "--json", NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "received"), "2026-10-01");
	cr_assert_str_eq(cwt_str(&t, "category"), "staffing");
	verify_audit();
}

Test(concern, rating_outside_the_matrix_writes_nothing)
{
	char id[64];
	long before = cwt_count(&t, "concerns");

	cr_assert_eq(log_concern("carol", "0", "3", id), 2);
	cr_assert_eq(log_concern("carol", "5", "3", id), 2);
	cr_assert_not_null(strstr(t.err, "likelihood"), "%s", t.err);
	cr_assert_eq(log_concern("carol", "3", "5", id), 2);
	cr_assert_eq(log_concern("carol", "3", "0", id), 2);
	cr_assert_eq(log_concern("carol", "three", "3", id), 2);
	cr_assert_eq(log_concern("carol", "-1", "3", id), 2);
	cr_assert_eq(cwt_count(&t, "concerns"), before);
	cr_assert_eq(cwt_count(&t, "concern_ratings"), 0);
}

Test(concern, nhs_5x5_rules)
{
	char id[64], bad[64];

	cwt_rules(&t, CW_SOURCE_DIR "/config/nhs-5x5.cfg");
	cr_assert_eq(log_concern("carol", "5", "5", id), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "score"), 25);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	cr_assert_eq(log_concern("carol", "3", "4", id), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "score"), 12);
	cr_assert_str_eq(cwt_str(&t, "band"), "amber");   /* red starts at 15 here */
	cr_assert_eq(log_concern("carol", "6", "1", bad), 2);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, "--likelihood", "5", "--json",
		NULL), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "score"), 20);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	/* The same concern read under the 4x4 rules cannot be re-rated to 5. */
	cwt_rules(&t, NULL);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, "--likelihood", "5", NULL), 2);
	cr_assert_eq(cwt_count(&t, "concerns"), 2);
}

Test(concern, pova_references_required_and_refused)
{
	cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Elm House", "--source",
		"pova_referral", "--team", "safeguarding", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--pova-ref", POVA_REF, NULL), 2);
	cr_assert_not_null(strstr(t.err, "--subject"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Elm House", "--source",
		"pova_referral", "--team", "safeguarding", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--subject", SUBJECT_REF, NULL), 2);
	cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Elm House", "--source",
		"complaint", "--team", "safeguarding", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--pova-ref", POVA_REF, NULL), 2);
	cr_assert_eq(cwt_run(&t, "sam", "concern", "log", "--provider", "Elm House", "--source",
		"whistleblower", "--team", "safeguarding", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--subject", SUBJECT_REF, NULL), 2);
	cr_assert_eq(cwt_count(&t, "concerns"), 0);
}

/* The concern `id` in the last JSON array output. */
static json_t *find(const char *id)
{
	json_t *c;
	size_t i;

	json_array_foreach(t.json, i, c)
		if (strcmp(jstr(c, "id"), id) == 0)
			return c;
	cr_assert_fail("concern %s is not in the list", id);
	return NULL;
}

/* Nothing the actor may not see reaches stdout, in any format. */
static void assert_redacted_for(const char *user, const char *id)
{
	json_t *c;

	cr_assert_eq(cwt_run(&t, user, "--json", "concern", "list", NULL), 0, "%s", t.err);
	c = find(id);
	cr_assert_str_eq(jstr(c, "pova_ref"), "[confidential]");
	cr_assert_str_eq(jstr(c, "subject_ref"), "[confidential]");
	cr_assert_null(strstr(t.out, POVA_REF));
	cr_assert_null(strstr(t.out, SUBJECT_REF));
	cr_assert_eq(cwt_run(&t, user, "concern", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, "[confidential]"), "%s", t.out);
	cr_assert_null(strstr(t.out, POVA_REF));
	cr_assert_eq(cwt_run(&t, user, "--json", "concern", "show", id, NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "pova_ref"), "[confidential]");
	cr_assert_str_eq(cwt_str(&t, "subject_ref"), "[confidential]");
	cr_assert_null(strstr(t.out, POVA_REF));
	cr_assert_null(strstr(t.out, SUBJECT_REF));
	cr_assert_eq(cwt_run(&t, user, "concern", "show", id, NULL), 0);
	cr_assert_not_null(strstr(t.out, "[confidential]"), "%s", t.out);
	cr_assert_null(strstr(t.out, POVA_REF));
	cr_assert_null(strstr(t.out, SUBJECT_REF));
	cr_assert_eq(cwt_run(&t, user, "--json", "audit", NULL), 0, "%s", t.err);
	cr_assert_null(strstr(t.out, POVA_REF));
	cr_assert_null(strstr(t.out, SUBJECT_REF));
}

Test(concern, pova_references_are_confidential)
{
	char pova[64], plain[64];
	json_t *c;

	log_pova(pova);
	/* The one who logged it may see it, so the entity printed shows it. */
	cr_assert_str_eq(cwt_str(&t, "pova_ref"), POVA_REF);
	cr_assert_str_eq(cwt_str(&t, "subject_ref"), SUBJECT_REF);
	cr_assert_str_eq(cwt_str(&t, "source"), "pova_referral");
	cr_assert_eq(log_concern("carol", "1", "1", plain), 0);

	assert_redacted_for("carol", pova);
	assert_redacted_for("vic", pova);
	assert_redacted_for("quinn", pova);

	/* A concern that is not POVA-linked keeps null, not "[confidential]". */
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "show", plain, NULL), 0);
	cr_assert(json_is_null(json_object_get(t.json, "pova_ref")));
	cr_assert(json_is_null(json_object_get(t.json, "subject_ref")));

	/* Safeguarding and the director see the references. */
	cr_assert_eq(cwt_run(&t, "sam", "--json", "concern", "list", NULL), 0);
	c = find(pova);
	cr_assert_str_eq(jstr(c, "pova_ref"), POVA_REF);
	cr_assert_str_eq(jstr(c, "subject_ref"), SUBJECT_REF);
	cr_assert_eq(cwt_run(&t, "sam", "concern", "show", pova, NULL), 0);
	cr_assert_not_null(strstr(t.out, POVA_REF));
	cr_assert_not_null(strstr(t.out, SUBJECT_REF));
	cr_assert_eq(cwt_run(&t, "dora", "--json", "concern", "show", pova, NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "pova_ref"), POVA_REF);
	cr_assert_eq(cwt_run(&t, "dora", "concern", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, POVA_REF));
	verify_audit();
}

Test(concern, impact_never_changes_and_ratings_are_kept)
{
	char id[64];
	json_t *r;

	cr_assert_eq(log_concern("carol", "3", "4", id), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "rate", id, "--likelihood", "3",
		"--impact", "2", NULL), 4);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "refused");
	cr_assert_not_null(strstr(t.err, "impact"), "%s", t.err);
	/* Even the same impact: it is never re-recorded. */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, "--likelihood", "2",
		"--impact", "4", NULL), 4);
	/* An impact alone is refused as a rule (4), not as a usage slip (2). */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, "--impact", "1", NULL), 4);
	/* No likelihood at all is a usage slip. */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, NULL), 2);
	cr_assert_eq(cwt_count(&t, "concern_ratings"), 1);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "show", id, NULL), 0);
	cr_assert_eq(jint(t.json, "impact"), 4);
	cr_assert_eq(jint(t.json, "likelihood"), 3);

	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "rate", id, "--likelihood", "2",
		"--note", "Action plan started", NULL), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "score"), 8);
	cr_assert_eq(cwt_run(&t, "sam", "--json", "concern", "rate", id,
		"--likelihood", "1", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "show", id, NULL), 0, "%s", t.err);
	cr_assert_eq(jint(t.json, "likelihood"), 1);
	cr_assert_eq(jint(t.json, "first_likelihood"), 3);
	cr_assert_eq(jint(t.json, "impact"), 4);
	cr_assert_eq(jint(t.json, "score"), 4);
	cr_assert_str_eq(cwt_str(&t, "band"), "yellow");
	r = json_object_get(t.json, "ratings");
	cr_assert_eq(json_array_size(r), 3);
	cr_assert_eq(jint(json_array_get(r, 0), "likelihood"), 3);
	cr_assert_str_eq(jstr(json_array_get(r, 0), "band"), "red");
	cr_assert_eq(jint(json_array_get(r, 1), "likelihood"), 2);
	cr_assert_str_eq(jstr(json_array_get(r, 1), "note"), "Action plan started");
	cr_assert_str_eq(jstr(json_array_get(r, 1), "actor"), "carol");
	cr_assert_str_eq(jstr(json_array_get(r, 1), "date"), "2026-11-22");
	cr_assert_eq(jint(json_array_get(r, 2), "likelihood"), 1);
	cr_assert_eq(jint(json_array_get(r, 2), "impact"), 4);
	cr_assert_eq(jint(json_array_get(r, 2), "score"), 4);
	cr_assert_str_eq(jstr(json_array_get(r, 2), "actor"), "sam");
	cr_assert(json_is_null(json_object_get(json_array_get(r, 2), "note")));
	cr_assert_eq(cwt_run(&t, "vic", "concern", "show", id, NULL), 0);
	cr_assert_not_null(strstr(t.out, "Action plan started"), "%s", t.out);
	/* A viewer may read but not re-rate. */
	cr_assert_eq(cwt_run(&t, "vic", "concern", "rate", id, "--likelihood", "2", NULL), 5);
	cr_assert_eq(cwt_count(&t, "concern_ratings"), 3);
	verify_audit();
}

Test(concern, resolve_and_what_cannot_be_rated)
{
	char id[64], pos[64];

	cr_assert_eq(log_concern("carol", "2", "2", id), 0);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "resolve", id, NULL), 2);   /* --note needed */
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "resolve", id, "--note",
		"Records audited and complete", NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "status"), "resolved");
	cr_assert_str_eq(cwt_str(&t, "resolved"), "2026-11-22");
	cr_assert_eq(cwt_run(&t, "carol", "concern", "resolve", id, "--note", "again", NULL), 4);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, "--likelihood", "1", NULL), 4);
	cr_assert_eq(cwt_count(&t, "concern_ratings"), 1);

	cr_assert_eq(cwt_run(&t, "quinn", "--json", "concern", "positive", "--provider",
		"Oak Lodge", "--team", "care_management", "--summary", "Residents praise the garden",
		NULL), 0, "%s", t.err);
	snprintf(pos, sizeof(pos), "%s", cwt_str(&t, "id"));
	cr_assert(json_is_true(json_object_get(t.json, "positive")));
	cr_assert(json_is_null(json_object_get(t.json, "likelihood")));
	cr_assert(json_is_null(json_object_get(t.json, "impact")));
	cr_assert(json_is_null(json_object_get(t.json, "score")));
	cr_assert(json_is_null(json_object_get(t.json, "band")));
	cr_assert_str_eq(cwt_str(&t, "source"), "other");
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", pos, "--likelihood", "1", NULL), 4);
	cr_assert_eq(cwt_count(&t, "concern_ratings"), 1);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", "ffff0000", "--likelihood", "1", NULL), 3);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "show", "nope", NULL), 3);
	verify_audit();
}

Test(concern, permissions)
{
	char id[64];

	cr_assert_eq(log_concern("vic", "2", "2", id), 5);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "positive", "--provider",
		"Elm House", "--team", "other", "--summary", "x", NULL), 5);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "forbidden");
	/* qa may log concerns but not POVA referrals; nor may contracts. */
	cr_assert_eq(cwt_run(&t, "quinn", "concern", "log", "--provider", "Elm House", "--source",
		"pova_referral", "--team", "other", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--pova-ref", POVA_REF, "--subject", SUBJECT_REF, NULL), 5);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "Elm House", "--source",
		"pova_referral", "--team", "other", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--pova-ref", POVA_REF, "--subject", SUBJECT_REF, NULL), 5);
	cr_assert_eq(cwt_count(&t, "concerns"), 0);
	cr_assert_eq(log_concern("quinn", "2", "2", id), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "vic", "concern", "resolve", id, "--note", "x", NULL), 5);
	cr_assert_eq(cwt_count(&t, "concerns"), 1);
	verify_audit();
}

Test(concern, received_date_rules)
{
	char id[64];

	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "Elm House", "--source",
		"complaint", "--team", "other", "--likelihood", "2", "--impact", "2", "--summary", "x",
		"--received", "2026-11-23", NULL), 2);
	cr_assert_not_null(strstr(t.err, "after today"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "Elm House", "--source",
		"complaint", "--team", "other", "--likelihood", "2", "--impact", "2", "--summary", "x",
		"--received", "2026-02-30", NULL), 2);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "positive", "--provider", "Elm House",
		"--team", "other", "--summary", "x", "--received", "2027-01-01", NULL), 2);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "Nowhere", "--source",
		"complaint", "--team", "other", "--likelihood", "2", "--impact", "2", "--summary", "x",
		"--json", NULL), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "not_found");
	cr_assert_eq(cwt_count(&t, "concerns"), 0);
	/* "Today" is what --today says. */
	t.today = "2027-01-05";
	cr_assert_eq(log_concern("carol", "1", "1", id), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "received"), "2027-01-05");
}

Test(concern, list_filters_and_prefix)
{
	char red[64], amber[64], oak[64], prefix[8];

	cr_assert_eq(log_concern("carol", "3", "4", red), 0);
	cr_assert_eq(log_concern("carol", "2", "4", amber), 0);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "log", "--provider", "Oak Lodge",
		"--source", "regulator", "--team", "health", "--likelihood", "4", "--impact", "4",
		"--summary", "Inspection rated inadequate", "--received", "2026-11-01", NULL), 0,
		"%s", t.err);
	snprintf(oak, sizeof(oak), "%s", cwt_str(&t, "id"));
	/* Still red: the decision role resolves it (resolve_red). */
	cr_assert_eq(cwt_run(&t, "dora", "concern", "resolve", red, "--note", "done", NULL), 0,
		"%s", t.err);

	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "list", NULL), 0, "%s", t.err);
	cr_assert_eq(json_array_size(t.json), 3);
	/* Newest received first. */
	cr_assert_str_eq(jstr(json_array_get(t.json, 2), "id"), oak);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "list", "--provider", "Elm House", NULL), 0);
	cr_assert_eq(json_array_size(t.json), 2);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "list", "--provider", "Elm House",
		"--open", NULL), 0);
	cr_assert_eq(json_array_size(t.json), 1);
	cr_assert_str_eq(jstr(json_array_get(t.json, 0), "id"), amber);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "list", "--band", "red", NULL), 0);
	cr_assert_eq(json_array_size(t.json), 2);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "list", "--band", "red", "--open",
		NULL), 0);
	cr_assert_eq(json_array_size(t.json), 1);
	cr_assert_str_eq(jstr(json_array_get(t.json, 0), "id"), oak);
	cr_assert_eq(cwt_run(&t, "vic", "concern", "list", "--band", "purple", NULL), 2);
	cr_assert_eq(cwt_run(&t, "vic", "concern", "list", "--provider", "Nowhere", NULL), 3);
	cr_assert_eq(cwt_run(&t, "vic", "concern", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, "Inspection"), "%s", t.out);

	snprintf(prefix, sizeof(prefix), "%.5s", oak);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "concern", "show", prefix, NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "id"), oak);
	cr_assert_str_eq(cwt_str(&t, "source"), "regulator");
	cr_assert_eq(json_array_size(json_object_get(t.json, "ratings")), 1);
	verify_audit();
}
