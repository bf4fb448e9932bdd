#ifndef CWAPI_H
#define CWAPI_H
/*
 * Helpers for the engine API tests (test_*_api.c): a scratch database
 * opened through cw_db_open, and each engine call made as one unit of work
 * as a given user, committed when it succeeds and rolled back when it
 * fails, as the command line and a server do. The result of the last call
 * is kept in `out`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/provider.h"
#include "carewatch/concern.h"
#include "carewatch/case.h"
#include "carewatch/rules.h"
#include "carewatch/user.h"
#include "store.h"

typedef struct {
	char dir[64];
	char path[128];
	cw_rules *rules;
	cw_db *db;
	json_t *out;        /* the last call's result, or NULL */
} cwa;

/* Start a unit of work as `who`; end it with cwa_end(status). */
static inline void cwa_begin(cwa *a, const char *who)
{
	json_decref(a->out);
	a->out = NULL;
	cr_assert_eq(cw_db_begin(a->db, true), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_set_actor(a->db, who), CW_OK, "%s", cw_errmsg());
}

static inline int cwa_end(cwa *a, int status)
{
	if (status == CW_OK)
		status = cw_db_commit(a->db);
	if (status != CW_OK)
		cw_db_rollback(a->db);
	cw_db_clear_actor(a->db);
	return status;
}

/* One engine call as one unit of work: CWA(&t, "bob", cw_case_show(t.db, id, &t.out)).
 * `out` is released before the call: copy what the call needs from it first. */
#define CWA(a, who, call) (cwa_begin((a), (who)), cwa_end((a), (call)))
/* The same, which must succeed. */
#define CWA_OK(a, who, call) do { \
	int cwa_rc_ = CWA(a, who, call); \
	cr_assert_eq(cwa_rc_, CW_OK, "%s: %s", #call, cw_errmsg()); \
} while (0)

/* The string at `key` of the last result ("" when absent). */
static inline const char *cwa_str(const cwa *a, const char *key)
{
	const char *s = json_string_value(json_object_get(a->out, key));

	return s ? s : "";
}

static inline long long cwa_int(const cwa *a, const char *key)
{
	const json_t *v = json_object_get(a->out, key);

	cr_assert(json_is_integer(v), "%s is not an integer", key);
	return json_integer_value(v);
}

/* Rows in a table, read past the engine (to prove nothing was written). */
static inline long cwa_count(cwa *a, const char *table)
{
	char sql[128];
	sqlite3_stmt *st;
	long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	cr_assert_eq(sqlite3_prepare_v2(cw_store_handle(a->db), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Users alice (admin), bob (contracts), dora (director), quinn (qa); the
 * database's today is 2026-11-22. */
static inline void cwa_setup(cwa *a)
{
	static const char *const users[][2] = {
		{ "bob", "contracts" }, { "dora", "director" }, { "quinn", "qa" },
	};
	size_t i;

	memset(a, 0, sizeof(*a));
	snprintf(a->dir, sizeof(a->dir), "/tmp/cwapi-XXXXXX");
	cr_assert_not_null(mkdtemp(a->dir));
	snprintf(a->path, sizeof(a->path), "%s/carewatch.db", a->dir);
	cr_assert_eq(cw_rules_load(&a->rules, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_open(&a->db, a->path, a->rules, cw_date_from_ymd(2026, 11, 22), true),
		CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_begin(a->db, true), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_init(a->db, "alice"), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_commit(a->db), CW_OK, "%s", cw_errmsg());
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		CWA_OK(a, "alice", cw_user_add(a->db, users[i][0], users[i][1], &a->out));
}

static inline void cwa_teardown(cwa *a)
{
	char cmd[128];

	json_decref(a->out);
	cw_db_close(a->db);
	cw_rules_free(a->rules);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", a->dir);
	if (strncmp(a->dir, "/tmp/cwapi-", 11) == 0 && system(cmd) != 0)
		cr_log_warn("could not remove %s", a->dir);
	memset(a, 0, sizeof(*a));
}

/* A provider added by bob; its id into `id`. */
static inline void cwa_provider(cwa *a, const char *name, char id[CW_ID_LEN])
{
	cw_provider_add_args p = { name, "care_home_residential", NULL, false, NULL, NULL, 0 };

	CWA_OK(a, "bob", cw_provider_add(a->db, &p, &a->out));
	snprintf(id, CW_ID_LEN, "%s", cwa_str(a, "id"));
}

/* A scored concern about the provider, logged by bob; its id into `id`. */
static inline void cwa_concern(cwa *a, const char *provider, long l, long i, char id[CW_ID_LEN])
{
	cw_concern_log_args c = { 0 };

	c.provider = provider;
	c.source = "complaint";
	c.team = "commissioning";
	c.summary = "medication errors";
	c.likelihood = l;
	c.impact = i;
	CWA_OK(a, "bob", cw_concern_log(a->db, &c, &a->out));
	snprintf(id, CW_ID_LEN, "%s", cwa_str(a, "id"));
}

/* A case opened for the provider (and escalated to provider_performance). */
static inline void cwa_case(cwa *a, const char *provider, bool escalate, char id[CW_ID_LEN])
{
	CWA_OK(a, "bob", cw_case_open(a->db, provider, "complaints", &a->out));
	snprintf(id, CW_ID_LEN, "%s", cwa_str(a, "id"));
	if (escalate)
		CWA_OK(a, "bob", cw_case_escalate(a->db, id, "pattern_of_issues", "bob", NULL,
			&a->out));
}

#endif
