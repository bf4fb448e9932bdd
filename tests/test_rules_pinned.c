/*
 * The rules in force belong to the database (SPEC §7, §11): init pins
 * them, `rules set` replaces them (admin, audited with the file's SHA-256
 * and what changed), `rules check` only validates, and a rules file of a
 * user's own (--config, CAREWATCH_CONFIG) is refused. dates.today_override
 * says whether --today may change the date a write records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define EVIL "permissions = { viewer = [ \"provider.write\", \"user.write\", \"case.decide\"," \
	" \"confidential.read\", \"rules.write\" ]; };\n"

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "vic", "--role", "viewer", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "carol", "--role", "contracts", NULL), 0,
		"%s", t.err);
}

static void fini(void)
{
	cwt_teardown(&t);
}

TestSuite(rules_pinned, .init = setup, .fini = fini);

static void file_sha256(const char *path, char out[65])
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);
	size_t n;
	unsigned char md[32];
	unsigned int len = 0, i;

	cr_assert_not_null(f);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	cr_assert(EVP_Digest(buf, n, md, &len, EVP_sha256(), NULL));
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	free(buf);
}

Test(rules_pinned, a_viewer_with_its_own_rules_file_is_refused)
{
	char evil[300];
	long users = cwt_count(&t, "users");

	snprintf(evil, sizeof(evil), "%s", cwt_file(&t, "evil.cfg", EVIL));
	/* --config */
	cr_assert_eq(cwt_run(&t, "vic", "--config", evil, "user", "add", "mallory", "--role",
		"admin", NULL), 2, "the escalation worked: %s", t.out);
	cr_assert_not_null(strstr(t.err, "rules set"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "users"), users);
	/* CAREWATCH_CONFIG */
	t.config = evil;
	cr_assert_eq(cwt_run(&t, "vic", "provider", "add", "Decoy", "--type", "domiciliary", NULL),
		2, "%s", t.out);
	cr_assert_not_null(strstr(t.err, "rules set"), "%s", t.err);
	/* reads too: the rules shown are the database's */
	cr_assert_eq(cwt_run(&t, "vic", "rules", "show", NULL), 2, "%s", t.out);
	cr_assert_eq(cwt_run(&t, "vic", "risk", "score", "1", "1", NULL), 2, "%s", t.out);
	t.config = NULL;
	cr_assert_eq(cwt_count(&t, "providers"), 0);
	/* and `rules set` is the admin's */
	cr_assert_eq(cwt_run(&t, "vic", "rules", "set", evil, NULL), 5, "%s", t.out);
	cr_assert_eq(cwt_run(&t, "vic", "user", "add", "mallory", "--role", "admin", NULL), 5);
	cr_assert_eq(cwt_count(&t, "users"), users);
}

Test(rules_pinned, init_pins_the_default_and_show_says_when_and_by_whom)
{
	char sha[65];
	json_t *pinned;

	file_sha256(CW_SOURCE_DIR "/config/carewatch.cfg", sha);
	cr_assert_eq(cwt_run(&t, "vic", "--json", "rules", "show", NULL), 0, "%s", t.err);
	pinned = json_object_get(t.json, "pinned");
	cr_assert_str_eq(json_string_value(json_object_get(pinned, "sha256")), sha);
	cr_assert_str_eq(json_string_value(json_object_get(pinned, "set_by")), "alice");
	cr_assert_str_eq(json_string_value(json_object_get(pinned, "source")), "built-in");
	cr_assert_not_null(json_string_value(json_object_get(pinned, "set_at")));
	cr_assert_eq(cwt_run(&t, "vic", "rules", "show", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, "pinned in the database"), "%s", t.out);
	cr_assert_not_null(strstr(t.out, sha), "%s", t.out);
}

Test(rules_pinned, rules_set_replaces_them_audited)
{
	char path[300], sha[65];
	json_t *last, *changed;
	size_t i;
	bool found = false;

	snprintf(path, sizeof(path), "%s", cwt_file(&t, "should.cfg",
		"guards = { close_no_red = \"should\"; };\n"));
	file_sha256(path, sha);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "rules", "set", path, NULL), 0, "%s", t.err);
	cr_assert_str_eq(cwt_str(&t, "sha256"), sha);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", NULL), 0, "%s", t.err);
	last = json_array_get(t.json, json_array_size(t.json) - 1);
	cr_assert_str_eq(json_string_value(json_object_get(last, "action")), "rules.set");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(last, "details"),
		"sha256")), sha);
	changed = json_object_get(json_object_get(last, "details"), "changed");
	for (i = 0; i < json_array_size(changed); i++)
		found |= strcmp(json_string_value(json_array_get(changed, i)), "guards.close_no_red") == 0;
	cr_assert(found, "the diff summary names the setting");
	cr_assert_eq(json_array_size(changed), 1, "only what changed");
	/* in force now */
	cr_assert_eq(cwt_run(&t, "vic", "--json", "rules", "show", NULL), 0, "%s", t.err);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "guards"),
		"close_no_red")), "should");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t.json, "pinned"),
		"sha256")), sha);
	/* a bad file is refused, naming the line, and nothing changes */
	snprintf(path, sizeof(path), "%s", cwt_file(&t, "bad.cfg", "\nguards = { close_no_red = 3; };\n"));
	cr_assert_eq(cwt_run(&t, "alice", "rules", "set", path, NULL), 2, "%s", t.out);
	cr_assert_not_null(strstr(t.err, "bad.cfg:2"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "rules_pinned"), 2);
}

Test(rules_pinned, rules_check_validates_without_using)
{
	char good[300], bad[300];

	snprintf(good, sizeof(good), "%s", cwt_file(&t, "good.cfg", EVIL));
	snprintf(bad, sizeof(bad), "%s", cwt_file(&t, "bad.cfg", "matrix = { likelihood = 7; };\n"));
	cr_assert_eq(cwt_run(&t, "vic", "--json", "rules", "check", good, NULL), 0, "%s", t.err);
	cr_assert(json_is_true(json_object_get(t.json, "ok")));
	cr_assert_eq(cwt_run(&t, "vic", "rules", "check", bad, NULL), 2);
	cr_assert_not_null(strstr(t.err, "bad.cfg:1"), "%s", t.err);
	/* checked, not used: vic is still a viewer */
	cr_assert_eq(cwt_run(&t, "vic", "provider", "add", "Decoy", "--type", "domiciliary", NULL), 5);
	cr_assert_eq(cwt_count(&t, "rules_pinned"), 1);
}

Test(rules_pinned, init_pins_the_file_it_was_given)
{
	cwt u;

	cwt_setup(&u, NULL);
	u.config = CW_SOURCE_DIR "/config/nhs-5x5.cfg";
	cr_assert_eq(cwt_run(&u, "alice", "init", NULL), 0, "%s", u.err);
	u.config = NULL;
	cr_assert_eq(cwt_run(&u, "alice", "--json", "risk", "score", "5", "5", NULL), 0, "%s", u.err);
	cr_assert_eq(json_integer_value(json_object_get(u.json, "score")), 25);
	/* init again is idempotent; with another file it is refused like any command */
	cr_assert_eq(cwt_run(&u, "alice", "init", NULL), 0, "%s", u.err);
	u.config = CW_SOURCE_DIR "/config/carewatch.cfg";
	cr_assert_eq(cwt_run(&u, "alice", "init", NULL), 2, "%s", u.out);
	cwt_teardown(&u);
}

static const char *clock_date(char buf[16])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, 16, "%Y-%m-%d", &tm);
	return buf;
}

Test(rules_pinned, today_override_read_only_and_refuse)
{
	char today[16];
	json_t *last;

	cr_assert_str_neq(clock_date(today), "2026-11-22", "needs a clock that is not the test date");
	cwt_rules(&t, cwt_file(&t, "ro.cfg", "dates = { today_override = \"read_only\"; };\n"));
	cr_assert_eq(cwt_run(&t, "carol", "--json", "provider", "add", "Elm House", "--type",
		"domiciliary", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "positive", "--provider", "Elm House",
		"--team", "commissioning", "--summary", "kind staff", NULL), 0, "%s", t.err);
	/* the write used the clock's date, not --today */
	cr_assert_str_eq(cwt_str(&t, "received"), today);
	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", NULL), 0, "%s", t.err);
	last = json_array_get(t.json, json_array_size(t.json) - 1);
	cr_assert_null(json_object_get(last, "date_used"), "no other date was used");
	/* reads may still look at another day */
	cr_assert_eq(cwt_run(&t, "carol", "watchlist", NULL), 0, "%s", t.err);

	cwt_rules(&t, cwt_file(&t, "refuse.cfg", "dates = { today_override = \"refuse\"; };\n"));
	/* (rules set itself ran under the read_only rules, on the clock's date) */
	cr_assert_eq(cwt_run(&t, "carol", "concern", "positive", "--provider", "Elm House",
		"--team", "commissioning", "--summary", "again", NULL), 2, "%s", t.out);
	cr_assert_not_null(strstr(t.err, "today_override"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "concerns"), 1);
	cr_assert_eq(cwt_run(&t, "carol", "watchlist", NULL), 0, "%s", t.err);
	t.today = NULL;
	cr_assert_eq(cwt_run(&t, "carol", "concern", "positive", "--provider", "Elm House",
		"--team", "commissioning", "--summary", "again", NULL), 0, "%s", t.err);

	cr_assert_eq(cwt_run(&t, "alice", "rules", "check",
		cwt_file(&t, "odd.cfg", "dates = { today_override = \"sometimes\"; };\n"), NULL), 2);
	cr_assert_not_null(strstr(t.err, "today_override"), "%s", t.err);
}
