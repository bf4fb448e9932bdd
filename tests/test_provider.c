/* Scenario tests for commissioners and providers, through the binary. */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "carol", "--role", "contracts", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "vic", "--role", "viewer", NULL), 0,
		"%s", t.err);
}

static void fini(void)
{
	cwt_teardown(&t);
}

TestSuite(provider, .init = setup, .fini = fini);

/* Add a provider as carol and copy its id into `id`. */
static void add_provider(const char *name, const char *type, char id[64])
{
	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "add", name, "--type", type, NULL),
		0, "provider add %s: %s", name, t.err);
	snprintf(id, 64, "%s", cwt_str(&t, "id"));
	cr_assert_eq(strlen(id), 36);
}

static bool has_string(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Find the object whose "name" is `name` in the last JSON array output. */
static json_t *by_name(const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(t.json, i, v)
		if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
			return v;
	return NULL;
}

static void log_concern(const char *provider, const char *source, const char *l,
	const char *i, char id[64])
{
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "log", "--provider", provider,
		"--source", source, "--team", "commissioning", "--likelihood", l, "--impact", i,
		"--summary", "a concern", NULL), 0, "concern log: %s", t.err);
	snprintf(id, 64, "%s", cwt_str(&t, "id"));
}

Test(provider, commissioner_add_and_one_lead)
{
	json_t *c;

	cr_assert_eq(cwt_run(&t, "alice", "--json", "commissioner", "add",
		"Carewatch County Council", "--lead", NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "kind"), "local_authority");
	cr_assert(json_is_true(json_object_get(t.json, "lead")));
	cr_assert_eq(strlen(cwt_str(&t, "id")), 36);

	/* A second lead is refused, naming the current one, and nothing is written. */
	cr_assert_eq(cwt_run(&t, "alice", "--json", "commissioner", "add", "Vale Health Board",
		"--kind", "health_board", "--lead", NULL), 4);
	cr_assert_not_null(strstr(t.err, "Carewatch County Council"), "%s", t.err);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "refused");
	cr_assert_eq(cwt_count(&t, "commissioners"), 1);

	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "Vale Health Board",
		"--kind", "health_board", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "VALE HEALTH BOARD", NULL), 4);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "X", "--kind", "county", NULL), 2);
	/* Commissioners are the administrator's: a contracts user may not add one. */
	cr_assert_eq(cwt_run(&t, "carol", "commissioner", "add", "Northshire Council", NULL), 5);
	cr_assert_eq(cwt_count(&t, "commissioners"), 2);

	cr_assert_eq(cwt_run(&t, "vic", "--json", "commissioner", "list", NULL), 0, "%s", t.err);
	cr_assert_eq(json_array_size(t.json), 2);
	c = by_name("Vale Health Board");
	cr_assert_not_null(c);
	cr_assert_str_eq(json_string_value(json_object_get(c, "kind")), "health_board");
	cr_assert(json_is_false(json_object_get(c, "lead")));
	cr_assert_eq(cwt_run(&t, "vic", "commissioner", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, "health_board"));
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
}

Test(provider, add_list_show)
{
	char elm[64], oak[64];
	json_t *p, *comms;

	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "Carewatch County Council",
		"--lead", NULL), 0);
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "Vale Health Board",
		"--kind", "health_board", NULL), 0);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "add", "Elm House",
		"--type", "care_home_nursing", "--regulator-id", "CH-1001", "--in-house",
		"--group", "Oakfield Care Group", "--commissioner", "Vale Health Board",
		"--commissioner", "carewatch county council", "--commissioner", "Vale Health Board",
		NULL), 0, "%s", t.err);
	snprintf(elm, sizeof(elm), "%s", cwt_str(&t, "id"));
	cr_assert_str_eq(cwt_str(&t, "name"), "Elm House");
	cr_assert_str_eq(cwt_str(&t, "type"), "care_home_nursing");
	cr_assert_str_eq(cwt_str(&t, "regulator_id"), "CH-1001");
	cr_assert(json_is_true(json_object_get(t.json, "in_house")));
	cr_assert_str_eq(cwt_str(&t, "group"), "Oakfield Care Group");
	cr_assert_str_eq(cwt_str(&t, "status"), "active");
	cr_assert(json_is_null(json_object_get(t.json, "case_id")));
	cr_assert(json_is_null(json_object_get(t.json, "stage")));
	cr_assert(json_is_null(json_object_get(t.json, "band")));
	cr_assert_eq(json_array_size(json_object_get(t.json, "flags")), 0);
	/* A commissioner named twice is linked once; names come sorted. */
	comms = json_object_get(t.json, "commissioners");
	cr_assert_eq(json_array_size(comms), 2);
	cr_assert_str_eq(json_string_value(json_array_get(comms, 0)), "Carewatch County Council");
	cr_assert_str_eq(json_string_value(json_array_get(comms, 1)), "Vale Health Board");
	cr_assert_eq(cwt_count(&t, "provider_commissioners"), 2);

	/* The group keeps the spelling it was first given. */
	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "add", "Oakfield Lodge",
		"--type", "care_home_residential", "--group", "OAKFIELD care group", NULL), 0, "%s", t.err);
	snprintf(oak, sizeof(oak), "%s", cwt_str(&t, "id"));
	cr_assert_str_eq(cwt_str(&t, "group"), "Oakfield Care Group");
	cr_assert(json_is_null(json_object_get(t.json, "regulator_id")));
	cr_assert(json_is_false(json_object_get(t.json, "in_house")));
	cr_assert_eq(json_array_size(json_object_get(t.json, "commissioners")), 0);

	/* Everyone may read. */
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "list", NULL), 0, "%s", t.err);
	cr_assert_eq(json_array_size(t.json), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "name")),
		"Elm House");
	p = by_name("Oakfield Lodge");
	cr_assert_not_null(p);
	cr_assert_str_eq(json_string_value(json_object_get(p, "id")), oak);
	cr_assert_eq(cwt_run(&t, "vic", "provider", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, "Elm House"));
	cr_assert_not_null(strstr(t.out, "care_home_residential"));

	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", "elm house", NULL), 0,
		"%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "id"), elm);
	cr_assert_eq(json_integer_value(json_object_get(t.json, "open_concerns")), 0);
	p = json_object_get(t.json, "group_providers");
	cr_assert_eq(json_array_size(p), 1);
	cr_assert(has_string(p, "Oakfield Lodge"));
	cr_assert_eq(cwt_run(&t, "vic", "provider", "show", elm, NULL), 0);
	cr_assert_not_null(strstr(t.out, "Oakfield Lodge"));
	cr_assert_not_null(strstr(t.out, "CH-1001"));
	cr_assert_eq(cwt_run(&t, "carol", "audit", "verify", NULL), 0, "%s", t.err);
}

Test(provider, add_refusals_write_nothing)
{
	char id[64];

	add_provider("Oak House", "care_home_residential", id);
	/* Names are unique without regard to case. */
	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "add", "OAK HOUSE",
		"--type", "domiciliary", NULL), 4);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "refused");
	cr_assert_not_null(strstr(t.err, "already exists"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Birch", "--type", "castle", NULL), 2);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Birch", NULL), 2);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Birch", "--type", "other",
		"--commissioner", "Nowhere Council", NULL), 3);
	cr_assert_eq(cwt_run(&t, "vic", "provider", "add", "Birch", "--type", "other", NULL), 5);
	cr_assert_eq(cwt_run(&t, "alice", "provider", "add", "Birch", "--type", "other", NULL), 5);
	cr_assert_eq(cwt_count(&t, "providers"), 1);
	cr_assert_eq(cwt_count(&t, "provider_commissioners"), 0);
}

Test(provider, unknown_provider_is_not_found)
{
	json_t *e;

	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "show", "Nowhere House", NULL), 3);
	e = json_object_get(t.json, "error");
	cr_assert_not_null(e, "stdout: %s", t.out);
	cr_assert_str_eq(json_string_value(json_object_get(e, "code")), "not_found");
	cr_assert_not_null(strstr(json_string_value(json_object_get(e, "message")), "Nowhere House"));
	cr_assert_eq(strncmp(t.err, "carewatch: ", 11), 0);
	cr_assert_eq(strchr(t.err, '\n'), t.err + strlen(t.err) - 1, "one line: %s", t.err);
}

Test(provider, hostile_name_stored_literally)
{
	const char *name = "x'); DROP TABLE providers;--";
	char id[64];

	add_provider(name, "other", id);
	cr_assert_eq(cwt_count(&t, "providers"), 1);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", name, NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "name"), name);
	cr_assert_str_eq(cwt_str(&t, "id"), id);
	cr_assert_eq(cwt_run(&t, "vic", "provider", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, name), "%s", t.out);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "list", NULL), 0);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "name")), name);
}

Test(provider, id_prefix_lookup)
{
	char id[64], prefix[8];

	add_provider("Willow Bank", "domiciliary", id);
	snprintf(prefix, sizeof(prefix), "%.4s", id);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", prefix, NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "name"), "Willow Bank");
	/* Three characters are not a prefix; the full id is. */
	snprintf(prefix, sizeof(prefix), "%.3s", id);
	cr_assert_eq(cwt_run(&t, "vic", "provider", "show", prefix, NULL), 3);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", id, NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "name"), "Willow Bank");
}

Test(provider, ambiguous_prefix_is_invalid)
{
	/* Two ids that share a prefix, which random ids would not give us. */
	cr_assert_eq(cwt_sql(&t,
		"INSERT INTO providers (id, name, name_key, type, created) VALUES"
		" ('abcd0000-0000-4000-8000-000000000001', 'Ash One', 'ash one', 'other', '2026-11-22'),"
		" ('abcd0000-0000-4000-8000-000000000002', 'Ash Two', 'ash two', 'other', '2026-11-22')"), 0);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", "abcd", NULL), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "error"),
		"code")), "invalid");
	cr_assert_not_null(strstr(t.err, "abcd0000-0000-4000-8000-000000000001"), "%s", t.err);
	cr_assert_not_null(strstr(t.err, "abcd0000-0000-4000-8000-000000000002"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show",
		"abcd0000-0000-4000-8000-000000000002", NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "name"), "Ash Two");
	/* A concern logged against an ambiguous prefix is refused and not written. */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "log", "--provider", "abcd", "--source",
		"complaint", "--team", "other", "--likelihood", "1", "--impact", "1",
		"--summary", "x", NULL), 2);
	cr_assert_eq(cwt_count(&t, "concerns"), 0);
}

Test(provider, band_and_flags_follow_open_concerns)
{
	char id[64], red[64], amber[64], reg[64];
	json_t *flags;

	add_provider("Elm House", "care_home_nursing", id);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "positive", "--provider", "Elm House",
		"--team", "care_management", "--summary", "Warm welcome", NULL), 0, "%s", t.err);
	/* Positive feedback has no score, so no band. */
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", "Elm House", NULL), 0);
	cr_assert(json_is_null(json_object_get(t.json, "band")));
	cr_assert_eq(json_integer_value(json_object_get(t.json, "open_concerns")), 0);

	log_concern("Elm House", "monitoring_visit", "2", "4", amber);   /* 8 amber */
	log_concern("Elm House", "complaint", "3", "4", red);            /* 12 red */
	log_concern("Elm House", "regulator", "1", "2", reg);            /* 2 green */
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", "Elm House", NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "band"), "red");
	cr_assert_eq(json_integer_value(json_object_get(t.json, "open_concerns")), 3);
	flags = json_object_get(t.json, "flags");
	cr_assert(has_string(flags, "red_concern"));
	cr_assert(has_string(flags, "regulator_notice"));

	/* Only open concerns count. */
	/* Re-rated out of red first (resolve_red), then resolved. */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", red, "--likelihood", "1", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "resolve", red, "--note", "fixed", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "concern", "resolve", reg, "--note", "closed", NULL), 0);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "list", NULL), 0);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "band")),
		"amber");
	flags = json_object_get(json_array_get(t.json, 0), "flags");
	cr_assert(!has_string(flags, "red_concern"));
	cr_assert(!has_string(flags, "regulator_notice"));
	/* Resolved concerns were still received: three in 90 days repeat. */
	cr_assert(has_string(flags, "repeated_concerns"));
	/* A re-rating moves the band. */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", amber, "--likelihood", "1", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "provider", "show", id, NULL), 0);
	cr_assert_str_eq(cwt_str(&t, "band"), "yellow");
	cr_assert_eq(cwt_run(&t, "vic", "provider", "list", NULL), 0);
	cr_assert_not_null(strstr(t.out, "yellow"), "%s", t.out);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
}
