/*
 * The audit trail's reach (SPEC §2, issue 15): an entity edited behind the
 * engine's back (--deep), truncation against an anchor from `audit head`,
 * the date a write used under --today, concurrent writers that cannot fork
 * the chain, and an old plain chain upgraded in place to a keyed one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <openssl/evp.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "schema.h"
#include "cwtest.h"

static cwt t;

static void setup(void)
{
	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "commissioner", "add", "County Council", "--lead",
		NULL), 0, "%s", t.err);
	cwt_letterhead(&t, "alice", "County Council");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "carol", "--role", "contracts", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Elm House", "--type",
		"care_home_nursing", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "--json", "concern", "log", "--provider", "Elm House",
		"--source", "complaint", "--team", "commissioning", "--likelihood", "4", "--impact", "4",
		"--summary", "MAR charts incomplete", NULL), 0, "%s", t.err);
}

static void fini(void)
{
	cwt_teardown(&t);
}

TestSuite(audit_reach, .init = setup, .fini = fini);

Test(audit_reach, deep_finds_a_row_edited_behind_the_engine)
{
	char id[40];

	snprintf(id, sizeof(id), "%s", cwt_str(&t, "id"));
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_sql(&t, "UPDATE concerns SET likelihood = 1"), 0);
	/* the chain itself is untouched, */
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
	/* but the row is not what its latest entry sealed */
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 4, "%s", t.out);
	cr_assert_not_null(strstr(t.err, id), "the concern is named: %s", t.err);
	cr_assert_not_null(strstr(t.err, "concern"), "%s", t.err);
}

Test(audit_reach, deep_passes_after_ordinary_changes)
{
	char id[40];

	snprintf(id, sizeof(id), "%s", cwt_str(&t, "id"));
	cr_assert_eq(cwt_run(&t, "carol", "concern", "rate", id, "--likelihood", "2", NULL), 0,
		"%s", t.err);
	cr_assert_eq(cwt_run(&t, "carol", "case", "open", "--provider", "Elm House", "--reason",
		"pattern of concerns", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 0, "%s", t.err);
}

Test(audit_reach, a_row_added_behind_the_engine_has_no_entry)
{
	cr_assert_eq(cwt_sql(&t, "INSERT INTO providers (id, name, name_key, type, created)"
		" VALUES ('0000dddd-0000-4000-8000-000000000004', 'Decoy', 'decoy',"
		" 'care_home_nursing', '2026-11-22')"), 0);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 4);
	cr_assert_not_null(strstr(t.err, "0000dddd-0000-4000-8000-000000000004"), "%s", t.err);
}

Test(audit_reach, head_is_an_anchor_that_catches_truncation)
{
	char anchor[120], sql[96];
	long n = cwt_count(&t, "audit");

	cr_assert_eq(cwt_run(&t, "alice", "audit", "head", NULL), 0, "%s", t.err);
	cr_assert_eq(strlen(t.out), strlen("N:") + 64 + 1 + (n >= 10), "'%s'", t.out);
	cr_assert_eq(atol(t.out), n, "%s", t.out);
	snprintf(anchor, sizeof(anchor), "%.*s", (int)strcspn(t.out, "\n"), t.out);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--anchor", anchor, NULL), 0,
		"%s", t.err);
	/* writes after the anchor do not matter */
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Oak Lodge", "--type",
		"domiciliary", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--anchor", anchor, NULL), 0,
		"%s", t.err);

	/* the anchor printed on the last piece of paper */
	cr_assert_eq(cwt_run(&t, "alice", "audit", "head", NULL), 0, "%s", t.err);
	cr_assert_eq(atol(t.out), n + 1, "%s", t.out);
	snprintf(anchor, sizeof(anchor), "%.*s", (int)strcspn(t.out, "\n"), t.out);

	/* the newest entry and what it recorded removed */
	snprintf(sql, sizeof(sql), "DELETE FROM audit WHERE seq > %ld", n);
	cr_assert_eq(cwt_sql(&t, sql), 0);
	cr_assert_eq(cwt_sql(&t, "DELETE FROM providers WHERE name = 'Oak Lodge'"), 0);
	/* a shorter chain is sound on its own; the anchor says it was cut */
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--anchor", anchor, NULL), 4);
	cr_assert_not_null(strstr(t.err, "cut short"), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--anchor", "12:zz", NULL), 2);
}

Test(audit_reach, a_write_under_today_records_both_dates)
{
	json_t *last;

	cr_assert_eq(cwt_run(&t, "alice", "--json", "audit", NULL), 0, "%s", t.err);
	last = json_array_get(t.json, json_array_size(t.json) - 1);
	cr_assert_str_eq(json_string_value(json_object_get(last, "date_used")), "2026-11-22");
	cr_assert_not_null(json_string_value(json_object_get(last, "clock_date")));
	cr_assert_str_neq(json_string_value(json_object_get(last, "clock_date")), "2026-11-22",
		"this test needs a clock that is not 2026-11-22");
}

/* ---- concurrent writers, each with its own handle ---- */

#define THREADS 4
#define PER_THREAD 15

struct writer {
	const char *path;
	int id, failures;
};

static int one_entry(cw_db *db, void *arg)
{
	struct writer *w = arg;

	return cw_audit_append(db, "test.concurrent", NULL, json_pack("{s:i}", "writer", w->id));
}

static void *write_entries(void *arg)
{
	struct writer *w = arg;
	cw_rules *r = NULL;
	cw_db *db = NULL;
	int i;

	if (cw_rules_load(&r, NULL) != CW_OK ||
	    cw_db_open(&db, w->path, r, cw_date_today_utc(), false) != CW_OK) {
		w->failures = PER_THREAD;
		goto done;
	}
	for (i = 0; i < PER_THREAD; i++)
		if (cw_db_run_as(db, "alice", true, one_entry, w) != CW_OK)
			w->failures++;
done:
	cw_db_close(db);
	cw_rules_free(r);
	cw_error_clear();
	return NULL;
}

Test(audit_reach, concurrent_writers_keep_one_chain)
{
	pthread_t th[THREADS];
	struct writer w[THREADS];
	long before = cwt_count(&t, "audit");
	int i;

	for (i = 0; i < THREADS; i++) {
		w[i] = (struct writer){ .path = t.db, .id = i };
		cr_assert_eq(pthread_create(&th[i], NULL, write_entries, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(w[i].failures, 0, "writer %d failed %d times", i, w[i].failures);
	}
	cr_assert_eq(cwt_count(&t, "audit"), before + THREADS * PER_THREAD);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", "--deep", NULL), 0, "%s", t.err);
}

Test(audit_reach, the_schema_refuses_a_fork)
{
	/* A second entry after the same one (what two writers that read the
	 * same last entry would append) is refused by the file itself. */
	sqlite3 *s;
	char *msg = NULL;
	int rc;

	cr_assert_eq(sqlite3_open(t.db, &s), SQLITE_OK);
	rc = sqlite3_exec(s, "INSERT INTO audit (seq, at, actor, action, details, prev_hash, hash)"
		" SELECT 1000, at, actor, 'test.fork', '{}', prev_hash, 'x' FROM audit"
		" WHERE seq = (SELECT max(seq) FROM audit)", NULL, NULL, &msg);
	cr_assert_eq(rc & 0xff, SQLITE_CONSTRAINT, "a fork was accepted (%d %s)", rc,
		msg ? msg : "");
	sqlite3_free(msg);
	sqlite3_close(s);
}

/* ---- an old plain chain upgraded in place ---- */

static void plain_hash(long long seq, const char *at, const char *actor, const char *action,
	const char *entity, const char *details, const char *prev, char out[65])
{
	json_t *f = json_pack("[I,s,s,s,s?,s,s]", (json_int_t)seq, at, actor, action, entity,
		details, prev);
	char *text = json_dumps(f, JSON_COMPACT | JSON_ENSURE_ASCII);
	unsigned char md[32];
	unsigned int n = 0, i;

	cr_assert(EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL));
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	free(text);
	json_decref(f);
}

/* The schema version just before the migration that keyed the chain. */
static int version_before_keys(void)
{
	int v;

	for (v = 1; v <= cw_schema_count(); v++)
		if (strstr(cw_schema_migration(v), "audit_one_successor"))
			return v - 1;
	cr_assert_fail("no keying migration");
	return 0;
}

static void old_database(const char *path)
{
	static const char *const entries[][4] = {
		{ "db.init", NULL, "{\"schema\":6}" },
		{ "user.add", "0000aaaa-0000-4000-8000-000000000001",
			"{\"name\":\"alice\",\"roles\":\"admin\"}" },
		{ "provider.add", "0000bbbb-0000-4000-8000-000000000002", "{\"name\":\"Elm House\"}" },
	};
	sqlite3 *s;
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	char sql[1024];
	int v, old = version_before_keys();
	size_t i;

	cr_assert_eq(sqlite3_open(path, &s), SQLITE_OK);
	for (v = 1; v <= old; v++)
		cr_assert_eq(sqlite3_exec(s, cw_schema_migration(v), NULL, NULL, NULL), SQLITE_OK,
			"%s", sqlite3_errmsg(s));
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;"
		"INSERT INTO users (id, name, name_key, roles, created) VALUES"
		" ('0000aaaa-0000-4000-8000-000000000001', 'alice', 'alice', 'admin', '2026-01-01');"
		"INSERT INTO providers (id, name, name_key, type, created) VALUES"
		" ('0000bbbb-0000-4000-8000-000000000002', 'Elm House', 'elm house',"
		" 'care_home_nursing', '2026-01-01');", old);
	cr_assert_eq(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(s));
	for (i = 0; i < 3; i++) {
		char hash[65];

		plain_hash((long long)i + 1, "2026-01-01T00:00:00Z", "alice", entries[i][0],
			entries[i][1], entries[i][2], prev, hash);
		snprintf(sql, sizeof(sql), "INSERT INTO audit (seq, at, actor, action, entity, details,"
			" prev_hash, hash) VALUES (%zu, '2026-01-01T00:00:00Z', 'alice', '%s', %s%s%s,"
			" '%s', '%s', '%s')", i + 1, entries[i][0], entries[i][1] ? "'" : "",
			entries[i][1] ? entries[i][1] : "NULL", entries[i][1] ? "'" : "",
			entries[i][2], prev, hash);
		cr_assert_eq(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK, "%s",
			sqlite3_errmsg(s));
		memcpy(prev, hash, sizeof(prev));
	}
	sqlite3_close(s);
}

Test(audit_reach, an_old_plain_chain_is_keyed_from_its_upgrade)
{
	char path[290];
	cw_rules *r = NULL;
	cw_db *db = NULL;
	json_t *out = NULL, *list = NULL;
	cw_audit_verify_opts deep = { .deep = true };
	size_t i;

	snprintf(path, sizeof(path), "%.250s/old.db", t.dir);
	old_database(path);
	cr_assert_eq(cw_rules_load(&r, NULL), CW_OK);
	cr_assert_eq(cw_db_open(&db, path, r, cw_date_today_utc(), true), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_begin(db, true), CW_OK);
	cr_assert_eq(cw_db_init(db, "alice"), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_commit(db), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_audit_check(db, &deep, &out), CW_OK, "%s", cw_errmsg());
	json_decref(out);
	cr_assert_eq(cw_audit_list(db, NULL, &list), CW_OK);
	cr_assert_gt(json_array_size(list), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 3), "action")),
		"db.upgrade", "the upgrade is itself an entry");
	json_decref(list);
	for (i = 0; i < 2; i++) {
		/* the old entries kept their plain hashes; what follows is keyed */
		cwt tt = t;

		snprintf(tt.db, sizeof(tt.db), "%s", path);
		cr_assert_eq(cwt_count(&tt, i ? "audit WHERE keyed = 0" : "audit WHERE keyed = 1"),
			i ? 3 : (long)cwt_count(&tt, "audit") - 3);
	}
	cw_db_close(db);
	/* the rows that stood before the upgrade are sealed too */
	{
		cwt tt = t;

		snprintf(tt.db, sizeof(tt.db), "%s", path);
		cr_assert_eq(cwt_sql(&tt, "UPDATE providers SET type = 'domiciliary'"), 0);
	}
	cr_assert_eq(cw_db_open(&db, path, r, cw_date_today_utc(), false), CW_OK);
	cr_assert_eq(cw_audit_check(db, &deep, &out), CW_EREFUSED);
	cr_assert_not_null(strstr(cw_errmsg(), "0000bbbb-0000-4000-8000-000000000002"), "%s",
		cw_errmsg());
	json_decref(out);
	cw_db_close(db);
	cw_rules_free(r);
}

/* Every printed page carries the anchor as it stood when it was printed. */
Test(audit_reach, papers_carry_the_anchor)
{
	char want[120], kase[40];

	cr_assert_eq(cwt_run(&t, "carol", "--json", "case", "open", "--provider", "Elm House",
		"--reason", "complaints", NULL), 0, "%s", t.err);
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	cr_assert_eq(cwt_run(&t, "carol", "case", "escalate", kase, "--trigger",
		"pattern_of_issues", "--chair", "carol", NULL), 0, "%s", t.err);

	cr_assert_eq(cwt_run(&t, "alice", "audit", "head", NULL), 0, "%s", t.err);
	snprintf(want, sizeof(want), "Audit anchor %.*s", (int)strcspn(t.out, "\n"), t.out);
	cr_assert_eq(cwt_run(&t, "carol", "document", "action-plan", "--case", kase, NULL), 0,
		"%s", t.err);
	cr_assert_not_null(strstr(t.out, want), "no '%s' in:\n%s", want, t.out);
	cr_assert_eq(cwt_run(&t, "carol", "document", "action-plan", "--case", kase,
		"--format", "html", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, want), "no '%s' in:\n%s", want, t.out);
	cr_assert_eq(cwt_run(&t, "alice", "watchlist", "--format", "markdown", NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, want), "no '%s' in:\n%s", want, t.out);
	cr_assert_eq(cwt_run(&t, "carol", "letter", "ppm-commenced-service-user", "--case", kase,
		NULL), 0, "%s", t.err);
	cr_assert_not_null(strstr(t.out, want), "no '%s' in:\n%s", want, t.out);
}

/* Without its key the trail cannot be written or checked: said so, nothing written. */
Test(audit_reach, a_missing_key_stops_writes_and_says_so)
{
	char key[320], moved[330];
	long providers = cwt_count(&t, "providers");

	snprintf(key, sizeof(key), "%.300s.key", t.db);
	snprintf(moved, sizeof(moved), "%s.away", key);
	cr_assert_eq(rename(key, moved), 0);
	cr_assert_eq(cwt_run(&t, "carol", "provider", "add", "Oak Lodge", "--type", "domiciliary",
		NULL), 1, "%s", t.out);
	cr_assert_not_null(strstr(t.err, ".key"), "%s", t.err);
	cr_assert_eq(cwt_count(&t, "providers"), providers);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 1, "%s", t.out);
	cr_assert_not_null(strstr(t.err, ".key"), "%s", t.err);
	/* reads go on */
	cr_assert_eq(cwt_run(&t, "carol", "provider", "list", NULL), 0, "%s", t.err);
	/* init does not paper over it with a new key */
	cr_assert_eq(cwt_run(&t, "alice", "init", NULL), 0, "%s", t.err);
	cr_assert_eq(access(key, F_OK), -1, "a new key was made");
	cr_assert_eq(rename(moved, key), 0);
	cr_assert_eq(cwt_run(&t, "alice", "audit", "verify", NULL), 0, "%s", t.err);
}
