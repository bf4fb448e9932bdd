/* The audit chain through the library: append, verify, tampering, redaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "carewatch/audit.h"
#include "carewatch/user.h"
#include "carewatch/error.h"
#include "store.h"

static char dir[64];
static char path[128];
static cw_rules *rules;
static cw_db *db;

#define ENTRIES 6   /* db.init, user.add (alice), rules.pin and three of ours */

static void setup(void)
{
	int i;

	snprintf(dir, sizeof(dir), "/tmp/cwaudit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/carewatch.db", dir);
	cr_assert_eq(cw_rules_load(&rules, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_open(&db, path, rules, cw_date_from_ymd(2026, 11, 22), true), CW_OK,
		"%s", cw_errmsg());
	cr_assert_eq(cw_db_begin(db, true), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_init(db, "alice"), CW_OK, "%s", cw_errmsg());
	for (i = 1; i <= 3; i++)
		cr_assert_eq(cw_audit_append(db, "test.event", "0000aaaa-0000-4000-8000-000000000001",
			json_pack("{s:i,s:s}", "n", i, "note", "entry")), CW_OK, "%s", cw_errmsg());
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
	if (strncmp(dir, "/tmp/cwaudit-", 13) == 0 && system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

/* Tamper as an outsider would: a separate connection to the file. */
static void tamper(const char *sql)
{
	sqlite3 *s;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(path, &s), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(s, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql,
		msg ? msg : "");
	cr_assert_eq(sqlite3_changes(s) > 0 || strncmp(sql, "SELECT", 6) == 0, 1,
		"the tampering changed nothing: %s", sql);
	sqlite3_close(s);
}

/* Expect a broken chain, first failing at `seq`. */
static void broken_at(long long seq)
{
	json_t *out = NULL;
	char want[64];
	int err;

	cw_error_clear();
	err = cw_audit_verify(db, &out);
	cr_assert_eq(err, CW_EREFUSED, "verify should refuse (got %d: %s)", err, cw_errmsg());
	snprintf(want, sizeof(want), "entry %lld", seq);
	cr_assert_not_null(strstr(cw_errmsg(), want), "message '%s' should name %s",
		cw_errmsg(), want);
	if (out) {
		cr_assert(json_is_false(json_object_get(out, "ok")));
		cr_assert_eq(json_integer_value(json_object_get(out, "first_bad")), seq);
		json_decref(out);
	}
}

TestSuite(audit, .init = setup, .fini = teardown);

Test(audit, verify_intact)
{
	json_t *out = NULL;

	cr_assert_eq(cw_audit_verify(db, &out), CW_OK, "%s", cw_errmsg());
	cr_assert(json_is_true(json_object_get(out, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(out, "entries")), ENTRIES);
	json_decref(out);
}

Test(audit, list_in_order_with_fields)
{
	json_t *list = NULL, *e;
	size_t i;

	cr_assert_eq(cw_audit_list(db, NULL, &list), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(json_array_size(list), ENTRIES);
	json_array_foreach(list, i, e) {
		cr_assert_eq(json_integer_value(json_object_get(e, "seq")), (json_int_t)i + 1);
		cr_assert_str_eq(json_string_value(json_object_get(e, "actor")), "alice");
		cr_assert_not_null(json_string_value(json_object_get(e, "at")));
		cr_assert_not_null(json_string_value(json_object_get(e, "action")));
	}
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "action")),
		"db.init");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "action")),
		"user.add");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 2), "action")),
		"rules.pin");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_array_get(list, 5),
		"details"), "n")), 3);
	json_decref(list);

	/* by entity, by id prefix */
	cr_assert_eq(cw_audit_list(db, "0000aaaa", &list), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(json_array_size(list), 3);
	json_decref(list);
}

/*
 * UUIDs are case-insensitive and cw_lookup() accepts "ABCD..." for
 * "abcd...": `audit --entity` should find the same entries when the id or
 * prefix is typed in capitals.
 */
Test(audit, list_by_entity_ignores_case)
{
	json_t *list = NULL;

	cr_assert_eq(cw_audit_list(db, "0000AAAA", &list), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(json_array_size(list), 3, "upper-case prefix");
	json_decref(list);
	cr_assert_eq(cw_audit_list(db, "0000AAAA-0000-4000-8000-000000000001", &list), CW_OK);
	cr_assert_eq(json_array_size(list), 3, "upper-case full id");
	json_decref(list);
}

Test(audit, edited_details_detected)
{
	tamper("UPDATE audit SET details = '{\"n\":99,\"note\":\"entry\"}' WHERE seq = 3");
	broken_at(3);
}

Test(audit, edited_first_entry_detected)
{
	tamper("UPDATE audit SET actor = 'mallory' WHERE seq = 1");
	broken_at(1);
}

Test(audit, edited_last_entry_detected)
{
	tamper("UPDATE audit SET action = 'test.other' WHERE seq = 6");
	broken_at(6);
}

Test(audit, edited_entity_detected)
{
	tamper("UPDATE audit SET entity = NULL WHERE seq = 4");
	broken_at(4);
}

Test(audit, edited_time_detected)
{
	tamper("UPDATE audit SET at = '2000-01-01T00:00:00Z' WHERE seq = 2");
	broken_at(2);
}

Test(audit, deleted_middle_entry_detected)
{
	tamper("DELETE FROM audit WHERE seq = 3");
	broken_at(4);
}

Test(audit, deleted_first_entry_detected)
{
	tamper("DELETE FROM audit WHERE seq = 1");
	broken_at(2);
}

Test(audit, renumbered_after_delete_detected)
{
	/* delete and close the gap, so the sequence looks whole */
	tamper("DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3");
	broken_at(3);
}

/* The audit key beside the database, as the one who holds it would read it. */
static void read_key(unsigned char key[32])
{
	char kpath[160], text[80];
	FILE *f;
	int i;

	snprintf(kpath, sizeof(kpath), "%s.key", path);
	cr_assert_not_null(f = fopen(kpath, "r"), "no key file %s", kpath);
	cr_assert_not_null(fgets(text, sizeof(text), f));
	fclose(f);
	for (i = 0; i < 32; i++) {
		unsigned v;

		cr_assert_eq(sscanf(text + 2 * i, "%2x", &v), 1);
		key[i] = (unsigned char)v;
	}
}

/*
 * The hash of a keyed entry as carewatch computes it (engine/storage/audit.c),
 * to forge one: HMAC-SHA-256 under `key` of the canonical array.
 */
static void forge_hash(sqlite3_stmt *st, const char *details, const unsigned char key[32],
	char out[65])
{
	/* columns: seq, at, actor, action, entity, details, prev_hash, hash, seal, date_used */
	json_t *fields = json_pack("[I,s,s,s,s?,s,s,s?,s?]",
		(json_int_t)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
		(const char *)sqlite3_column_text(st, 4),
		details ? details : (const char *)sqlite3_column_text(st, 5),
		(const char *)sqlite3_column_text(st, 6), (const char *)sqlite3_column_text(st, 8),
		(const char *)sqlite3_column_text(st, 9));
	char *text = json_dumps(fields, JSON_COMPACT | JSON_ENSURE_ASCII);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	cr_assert_not_null(text);
	cr_assert_not_null(HMAC(EVP_sha256(), key, 32, (const unsigned char *)text, strlen(text),
		md, &n));
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	free(text);
	json_decref(fields);
}

#define SQL_ENTRY "SELECT seq, at, actor, action, entity, details, prev_hash, hash, seal," \
	" date_used FROM audit WHERE seq = "

Test(audit, rehashed_edit_detected_at_next_link)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	unsigned char key[32];
	char hash[65], sql[512];
	const char *forged = "{\"n\":99,\"note\":\"entry\"}";

	/* even with the key, an edit rehashed in place breaks the next link */
	read_key(key);
	cr_assert_eq(sqlite3_open(path, &s), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(s, SQL_ENTRY "3", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	forge_hash(st, forged, key, hash);
	sqlite3_finalize(st);
	sqlite3_close(s);
	snprintf(sql, sizeof(sql), "UPDATE audit SET details = '%s', hash = '%s' WHERE seq = 3",
		forged, hash);
	tamper(sql);
	/* entry 3 now checks out on its own; entry 4 still links to the old hash */
	broken_at(4);
}

Test(audit, forged_hash_matches_real_one)
{
	/* guards the tests that forge: the recipe reproduces an untouched entry */
	sqlite3 *s;
	sqlite3_stmt *st;
	unsigned char key[32];
	char hash[65];

	read_key(key);
	cr_assert_eq(sqlite3_open(path, &s), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(s, SQL_ENTRY "3", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	forge_hash(st, NULL, key, hash);
	cr_assert_str_eq(hash, (const char *)sqlite3_column_text(st, 7));
	sqlite3_finalize(st);
	sqlite3_close(s);
}

/*
 * Rewrite the whole chain from entry 1 with `key` (NULL: plain SHA-256 and
 * `keyed` cleared), entry 3's details changed, every link recomputed.
 */
static void recompute_chain(const unsigned char *key)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	long long seq;

	cr_assert_eq(sqlite3_open(path, &s), SQLITE_OK);
	for (seq = 1; seq <= ENTRIES; seq++) {
		char sql[600], hash[65], q[160];

		snprintf(sql, sizeof(sql), "UPDATE audit SET prev_hash = '%s' WHERE seq = %lld",
			prev, seq);
		cr_assert_eq(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(s));
		snprintf(q, sizeof(q), SQL_ENTRY "%lld", seq);
		cr_assert_eq(sqlite3_prepare_v2(s, q, -1, &st, NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
		if (key) {
			forge_hash(st, seq == 3 ? "{\"n\":99}" : NULL, key, hash);
		} else {
			json_t *f = json_pack("[I,s,s,s,s?,s,s]", (json_int_t)seq,
				(const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2),
				(const char *)sqlite3_column_text(st, 3),
				(const char *)sqlite3_column_text(st, 4),
				seq == 3 ? "{\"n\":99}" : (const char *)sqlite3_column_text(st, 5), prev);
			char *text = json_dumps(f, JSON_COMPACT | JSON_ENSURE_ASCII);
			unsigned char md[32];
			unsigned int n = 0, i;

			cr_assert(EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL));
			for (i = 0; i < n; i++)
				snprintf(hash + 2 * i, 3, "%02x", md[i]);
			free(text);
			json_decref(f);
		}
		sqlite3_finalize(st);
		snprintf(sql, sizeof(sql), "UPDATE audit SET hash = '%s', keyed = %d"
			"%s WHERE seq = %lld", hash, key ? 1 : 0,
			seq == 3 ? ", details = '{\"n\":99}'" : "", seq);
		cr_assert_eq(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(s));
		/* the next entry links to this one as rewritten */
		memcpy(prev, hash, sizeof(prev));
		/* a prev_hash is unique: move the next one aside first */
		if (seq < ENTRIES) {
			snprintf(sql, sizeof(sql), "UPDATE audit SET prev_hash = 'x' || prev_hash"
				" WHERE seq = %lld", seq + 1);
			cr_assert_eq(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
		}
	}
	sqlite3_close(s);
}

Test(audit, whole_chain_recomputed_with_a_guessed_key_detected)
{
	unsigned char guess[32];

	memset(guess, 0x42, sizeof(guess));
	recompute_chain(guess);
	broken_at(1);
}

Test(audit, whole_chain_recomputed_unkeyed_detected)
{
	recompute_chain(NULL);
	/* every plain hash checks out; a keyed database's chain cannot end plain */
	broken_at(ENTRIES);
}

Test(audit, whole_chain_recomputed_with_the_key_passes)
{
	/* guards the two above: the rewrite itself is sound, only the key is missing */
	unsigned char key[32];
	json_t *out = NULL;

	read_key(key);
	recompute_chain(key);
	cr_assert_eq(cw_audit_verify(db, &out), CW_OK, "%s", cw_errmsg());
	json_decref(out);
}

Test(audit, key_file_is_owner_read_only)
{
	char kpath[160];
	struct stat sb;

	snprintf(kpath, sizeof(kpath), "%s.key", path);
	cr_assert_eq(stat(kpath, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0400, "mode %o", sb.st_mode & 0777);
}

Test(audit, empty_audit_table_detected)
{
	tamper("DELETE FROM audit");
	broken_at(1);
	cr_assert_not_null(strstr(cw_errmsg(), "empty"), "%s", cw_errmsg());
}

Test(audit, truncation_detected_against_an_anchor)
{
	json_t *head = NULL, *out = NULL;
	cw_audit_verify_opts o = { 0 };
	char anchor[96];

	cr_assert_eq(cw_audit_head(db, &head), CW_OK, "%s", cw_errmsg());
	snprintf(anchor, sizeof(anchor), "%s", json_string_value(json_object_get(head, "anchor")));
	cr_assert_eq(json_integer_value(json_object_get(head, "seq")), ENTRIES);
	json_decref(head);
	o.anchor = anchor;
	cr_assert_eq(cw_audit_check(db, &o, &out), CW_OK, "%s", cw_errmsg());
	json_decref(out);

	tamper("DELETE FROM audit WHERE seq = 6");
	/* what is left is a sound keyed chain: only the anchor knows better */
	cr_assert_eq(cw_audit_verify(db, &out), CW_OK, "%s", cw_errmsg());
	json_decref(out);
	cr_assert_eq(cw_audit_check(db, &o, &out), CW_EREFUSED);
	cr_assert_not_null(strstr(cw_errmsg(), "entry 6"), "%s", cw_errmsg());
	json_decref(out);
}

Test(audit, anchor_on_a_rewritten_entry_detected)
{
	json_t *out = NULL;
	cw_audit_verify_opts o = { .anchor = NULL };
	char anchor[96];

	/* an anchor whose hash is not the entry's: the chain was rewritten since */
	snprintf(anchor, sizeof(anchor), "3:%064d", 7);
	o.anchor = anchor;
	cr_assert_eq(cw_audit_check(db, &o, &out), CW_EREFUSED);
	cr_assert_not_null(strstr(cw_errmsg(), "entry 3"), "%s", cw_errmsg());
	json_decref(out);
	o.anchor = "3:nothex";
	cr_assert_eq(cw_audit_check(db, &o, &out), CW_EINVALID);
}

Test(audit, chain_must_start_with_init)
{
	unsigned char key[32];

	/* even rewritten with the key, a chain that does not start at init fails */
	read_key(key);
	tamper("UPDATE audit SET action = 'user.add' WHERE seq = 1");
	recompute_chain(key);
	broken_at(1);
	cr_assert_not_null(strstr(cw_errmsg(), "init"), "%s", cw_errmsg());
}

Test(audit, entity_without_an_entry_detected)
{
	json_t *out = NULL;

	tamper("INSERT INTO users (id, name, name_key, roles, created) VALUES"
		" ('0000cccc-0000-4000-8000-000000000003', 'mallory', 'mallory', 'admin', '2026-11-22')");
	cr_assert_eq(cw_audit_verify(db, &out), CW_EREFUSED);
	cr_assert_not_null(strstr(cw_errmsg(), "0000cccc-0000-4000-8000-000000000003"), "%s",
		cw_errmsg());
	json_decref(out);
}

Test(audit, appending_continues_the_chain)
{
	json_t *out = NULL;

	cr_assert_eq(cw_db_begin(db, true), CW_OK);
	cr_assert_eq(cw_audit_append(db, "test.more", NULL, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_commit(db), CW_OK);
	cr_assert_eq(cw_audit_verify(db, &out), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(json_integer_value(json_object_get(out, "entries")), ENTRIES + 1);
	json_decref(out);
}

Test(audit, pova_refs_redacted_without_confidential_read)
{
	json_t *list = NULL, *d, *u = NULL;

	cr_assert_eq(cw_db_begin(db, true), CW_OK);
	cr_assert_eq(cw_user_add(db, "sam", "safeguarding", &u), CW_OK, "%s", cw_errmsg());
	json_decref(u);
	cr_assert_eq(cw_user_add(db, "carol", "contracts", &u), CW_OK, "%s", cw_errmsg());
	json_decref(u);
	cr_assert_eq(cw_audit_append(db, "concern.log", "0000bbbb-0000-4000-8000-000000000002",
		json_pack("{s:s,s:s,s:s,s:{s:s},s:[{s:s}],s:n}",
			"summary", "medication errors",
			"pova_ref", "POVA-2026-0042", "subject_ref", "SU-17",
			"before", "pova_ref", "POVA-OLD",
			"history", "subject_ref", "SU-OLD",
			"empty")), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_commit(db), CW_OK);

	/* alice is admin only: no confidential.read */
	cr_assert_not(cw_db_sees_confidential(db));
	cr_assert_eq(cw_audit_list(db, "0000bbbb", &list), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(json_array_size(list), 1);
	d = json_object_get(json_array_get(list, 0), "details");
	cr_assert_str_eq(json_string_value(json_object_get(d, "pova_ref")), CW_CONFIDENTIAL);
	cr_assert_str_eq(json_string_value(json_object_get(d, "subject_ref")), CW_CONFIDENTIAL);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "before"),
		"pova_ref")), CW_CONFIDENTIAL, "nested objects are redacted too");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(d, "history"), 0), "subject_ref")), CW_CONFIDENTIAL,
		"objects inside arrays are redacted too");
	cr_assert_str_eq(json_string_value(json_object_get(d, "summary")), "medication errors");
	json_decref(list);

	/* the whole list too, not just by entity */
	cr_assert_eq(cw_audit_list(db, NULL, &list), CW_OK);
	{
		char *text = json_dumps(list, 0);

		cr_assert_null(strstr(text, "POVA-2026-0042"), "leaked: %s", text);
		cr_assert_null(strstr(text, "SU-17"), "leaked: %s", text);
		free(text);
	}
	json_decref(list);

	/* contracts: still no confidential.read */
	cr_assert_eq(cw_db_set_actor(db, "carol"), CW_OK);
	cr_assert_eq(cw_audit_list(db, "0000bbbb", &list), CW_OK);
	d = json_object_get(json_array_get(list, 0), "details");
	cr_assert_str_eq(json_string_value(json_object_get(d, "pova_ref")), CW_CONFIDENTIAL);
	json_decref(list);

	/* safeguarding sees them */
	cr_assert_eq(cw_db_set_actor(db, "sam"), CW_OK);
	cr_assert(cw_db_sees_confidential(db));
	cr_assert_eq(cw_audit_list(db, "0000bbbb", &list), CW_OK);
	d = json_object_get(json_array_get(list, 0), "details");
	cr_assert_str_eq(json_string_value(json_object_get(d, "pova_ref")), "POVA-2026-0042");
	cr_assert_str_eq(json_string_value(json_object_get(d, "subject_ref")), "SU-17");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "before"),
		"pova_ref")), "POVA-OLD");
	json_decref(list);

	/* redaction is for display only: the chain is intact */
	{
		json_t *out = NULL;

		cr_assert_eq(cw_audit_verify(db, &out), CW_OK, "%s", cw_errmsg());
		json_decref(out);
	}
}

/*
 * A row written after the unit's last audit entry is sealed when the unit
 * commits (the before-commit hook), so the deep check passes; without the
 * seal the row's hash would match no entry and the deep check would refuse.
 */
Test(audit, a_write_after_the_last_entry_is_sealed_at_commit)
{
	cw_audit_verify_opts deep = { .deep = true };
	json_t *out = NULL, *list = NULL, *last;
	cw_stmt *st = NULL;

	cr_assert_eq(cw_db_begin(db, true), CW_OK);
	cr_assert_eq(cw_audit_append(db, "test.more", NULL, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_store_prepare(db, "UPDATE users SET roles = 'admin,viewer' WHERE name = 'alice'",
		&st), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_store_exec_stmt(db, st), CW_OK, "%s", cw_errmsg());  /* consumes st */
	cr_assert_eq(cw_db_commit(db), CW_OK, "%s", cw_errmsg());

	cr_assert_eq(cw_audit_list(db, NULL, &list), CW_OK, "%s", cw_errmsg());
	last = json_array_get(list, json_array_size(list) - 1);
	cr_assert_str_eq(json_string_value(json_object_get(last, "action")), "audit.seal",
		"the commit should have sealed the late write");
	json_decref(list);
	cr_assert_eq(cw_audit_check(db, &deep, &out), CW_OK, "%s", cw_errmsg());
	json_decref(out);
}
