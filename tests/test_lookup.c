/* Naming entities: by name (any case), full id, unique prefix of 4 or more. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "lookup.h"
#include "carewatch/user.h"
#include "carewatch/error.h"
#include "store.h"

static char dir[64];
static char path[128];
static cw_rules *rules;
static cw_db *db;
static char bob_id[CW_ID_LEN], carol_id[CW_ID_LEN];

/* Two users whose ids share the prefix "abcd1234" (inserted directly). */
#define TWIN1 "abcd1234-1111-4111-8111-111111111111"
#define TWIN2 "abcd1234-2222-4222-8222-222222222222"

static void add_user(const char *name, const char *roles, char id[CW_ID_LEN])
{
	json_t *u = NULL;

	cr_assert_eq(cw_user_add(db, name, roles, &u), CW_OK, "%s", cw_errmsg());
	cr_assert_not_null(json_string_value(json_object_get(u, "id")));
	snprintf(id, CW_ID_LEN, "%s", json_string_value(json_object_get(u, "id")));
	json_decref(u);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/cwlookup-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/carewatch.db", dir);
	cr_assert_eq(cw_rules_load(&rules, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_open(&db, path, rules, cw_date_from_ymd(2026, 11, 22), true), CW_OK,
		"%s", cw_errmsg());
	/* repeatable ids, so the prefixes below are the same on every run */
	cw_db_seed_ids(db, 42);
	cr_assert_eq(cw_db_begin(db, true), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_init(db, "alice"), CW_OK, "%s", cw_errmsg());
	add_user("Bob", "qa", bob_id);
	add_user("Carol Jones", "contracts,qa", carol_id);
	cr_assert_eq(sqlite3_exec(cw_store_handle(db),
		"INSERT INTO users (id, name, name_key, roles, created) VALUES"
		" ('" TWIN1 "', 'Twin One', 'twin one', 'viewer', '2026-11-22'),"
		" ('" TWIN2 "', 'Twin Two', 'twin two', 'viewer', '2026-11-22')", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(cw_db_commit(db), CW_OK, "%s", cw_errmsg());
}

static void teardown(void)
{
	char cmd[160];

	cw_db_close(db);
	db = NULL;
	cw_rules_free(rules);
	rules = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (strncmp(dir, "/tmp/cwlookup-", 14) == 0 && system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(lookup, .init = setup, .fini = teardown);

static void finds(const char *ref, const char *want)
{
	char out[CW_ID_LEN];
	int err;

	memset(out, 'x', sizeof(out));
	cw_error_clear();
	err = cw_lookup(db, CW_KIND_USER, ref, out);
	cr_assert_eq(err, CW_OK, "'%s' should be found (%d: %s)", ref, err, cw_errmsg());
	cr_assert_str_eq(out, want, "'%s'", ref);
}

static void not_found(const char *ref)
{
	char out[CW_ID_LEN];
	int err;

	cw_error_clear();
	err = cw_lookup(db, CW_KIND_USER, ref, out);
	cr_assert_eq(err, CW_ENOTFOUND, "'%s' should not be found (got %d: %s)", ref, err,
		cw_errmsg());
	cr_assert_not_null(strstr(cw_errmsg(), "user"), "message names the kind: %s", cw_errmsg());
}

/* How many of the stored user ids start with `prefix`. */
static int ids_with_prefix(const char *prefix)
{
	sqlite3_stmt *st;
	int n = 0;

	cr_assert_eq(sqlite3_prepare_v2(cw_store_handle(db), "SELECT id FROM users", -1, &st,
		NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strncmp((const char *)sqlite3_column_text(st, 0), prefix, strlen(prefix)) == 0)
			n++;
	sqlite3_finalize(st);
	return n;
}

Test(lookup, by_exact_name_any_case)
{
	finds("Bob", bob_id);
	finds("bob", bob_id);
	finds("BOB", bob_id);
	finds("carol jones", carol_id);
	finds("CAROL JONES", carol_id);
	not_found("Carol");        /* names are whole, not prefixes */
	/* One key after Unicode normalisation: outer spaces, inner runs,
	 * full-width letters (NFKC) and full case folding. */
	finds("Bob ", bob_id);
	finds("  carol   jones ", carol_id);
	finds("\xef\xbc\xa2ob", bob_id);            /* U+FF22 FULLWIDTH B */
	finds("CAROL\xc2\xa0JONES", carol_id);       /* a no-break space */
	not_found("Bob\xe2\x80\x8b");               /* a zero-width space is not nothing */
}

Test(lookup, by_full_id)
{
	char upper[CW_ID_LEN];
	size_t i;

	finds(bob_id, bob_id);
	finds(carol_id, carol_id);
	finds(TWIN1, TWIN1);
	finds(TWIN2, TWIN2);
	for (i = 0; i < strlen(bob_id) + 1; i++)
		upper[i] = (char)toupper((unsigned char)bob_id[i]);
	finds(upper, bob_id);
}

Test(lookup, by_unique_prefix)
{
	char prefix[CW_ID_LEN];
	size_t n;

	for (n = 4; n <= 12; n++) {
		memcpy(prefix, bob_id, n);
		prefix[n] = '\0';
		if (ids_with_prefix(prefix) != 1)
			continue;   /* (seeded ids: deterministic) */
		finds(prefix, bob_id);
	}
	memcpy(prefix, bob_id, 8);
	prefix[8] = '\0';
	cr_assert_eq(ids_with_prefix(prefix), 1, "8 characters should be unique here");
	finds(prefix, bob_id);
	finds("abcd1234-1", TWIN1);
	finds("ABCD1234-2", TWIN2);
}

Test(lookup, short_prefix_not_found)
{
	char prefix[4];

	memcpy(prefix, bob_id, 3);
	prefix[3] = '\0';
	cr_assert_eq(ids_with_prefix(prefix), 1, "the 3-character prefix is unique, yet too short");
	not_found(prefix);
	not_found("abc");
	not_found("a");
}

Test(lookup, ambiguous_prefix_lists_matches)
{
	const char *refs[] = { "abcd", "abcd1234", "ABCD1234-" };
	size_t i;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		char out[CW_ID_LEN];
		int err;

		cw_error_clear();
		err = cw_lookup(db, CW_KIND_USER, refs[i], out);
		cr_assert_eq(err, CW_EINVALID, "'%s' is ambiguous (got %d: %s)", refs[i], err,
			cw_errmsg());
		cr_assert_not_null(strstr(cw_errmsg(), TWIN1), "'%s': %s", refs[i], cw_errmsg());
		cr_assert_not_null(strstr(cw_errmsg(), TWIN2), "'%s': %s", refs[i], cw_errmsg());
	}
}

Test(lookup, unknown_not_found)
{
	char out[CW_ID_LEN];

	not_found("nobody");
	not_found("ffff0000");
	not_found("00000000-0000-4000-8000-000000000000");
	not_found("abcd1234-1111-4111-8111-1111111111112");   /* longer than an id */
	not_found("abce");
	cw_error_clear();
	cr_assert_eq(cw_lookup(db, CW_KIND_USER, "", out), CW_EINVALID);
	cr_assert_eq(cw_lookup(db, CW_KIND_USER, NULL, out), CW_EINVALID);
}

/* An ambiguous prefix is a usage error; the upper bound of the range does
 * not spill over: "abcd1234-1" must not match "abcd1234-2...". */
Test(lookup, prefix_range_is_exact)
{
	finds("abcd1234-11", TWIN1);
	finds("abcd1234-22", TWIN2);
	not_found("abcd1234-3");
	not_found("abcd1234-0");
}

/*
 * SPEC §8: names are unique "compared without regard to case". SQLite's
 * NOCASE folds ASCII only, so "ZOË" and "Zoë" were two different users.
 */
Test(lookup, non_ascii_names_compared_without_case)
{
	json_t *u = NULL;
	char zoe[CW_ID_LEN];

	cr_assert_eq(cw_db_begin(db, true), CW_OK);
	add_user("Zo\u00eb", "qa", zoe);
	finds("zo\u00eb", zoe);
	finds("ZO\u00cb", zoe);
	cr_assert_eq(cw_user_add(db, "ZO\u00cb", "qa", &u), CW_EREFUSED,
		"a second user 'ZO\u00cb' beside 'Zo\u00eb'");
	json_decref(u);
	cw_db_rollback(db);
}

Test(lookup, kind_names)
{
	cr_assert_str_eq(cw_kind_name(CW_KIND_USER), "user");
	cr_assert_str_eq(cw_kind_name(CW_KIND_PROVIDER), "provider");
	cr_assert_str_eq(cw_kind_name(CW_KIND_CASE), "case");
}

Test(lookup, duplicate_name_other_case_refused)
{
	json_t *u = NULL;

	cr_assert_eq(cw_db_begin(db, true), CW_OK);
	cr_assert_eq(cw_user_add(db, "bOB", "qa", &u), CW_EREFUSED, "%s", cw_errmsg());
	cr_assert_null(u);
	cw_db_rollback(db);
}
