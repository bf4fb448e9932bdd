/*
 * The session handle and the SQLite file behind it: opening (owner-only),
 * pragmas, migrations, transactions, the statement cache and id lookup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include <sqlite3.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "schema.h"
#include "valid.h"
#include "fold.h"
#include "names.h"

#define BUSY_TIMEOUT_MS 10000

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct cw_db {
	sqlite3 *sql;
	const cw_rules *rules;
	cw_date today;
	char *actor;
	char *roles;
	const char *granted;   /* permissions lent for one engine operation */
	struct stmt_slot *cache;
	size_t ncache;
	bool in_txn;
	bool seeded;
	unsigned long long seed;
	int last_failure;      /* extended result code of the last failure */
};

int cw_db_schema_version(void)
{
	return cw_schema_count();
}

sqlite3 *cw_store_handle(cw_db *db)
{
	return db->sql;
}

int cw_store_error(cw_db *db, int rc)
{
	int ext = db && db->sql ? sqlite3_extended_errcode(db->sql) : rc;

	if (db)
		db->last_failure = ext;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return cw_error(CW_EINTERNAL,
			"the database is busy (another user is writing); nothing was written, try again");
	if ((ext & 0xff) == SQLITE_CONSTRAINT)
		return cw_error(CW_EINTERNAL, "database constraint failed: %s",
			sqlite3_errmsg(db->sql));
	return cw_error(CW_EINTERNAL, "database error: %s",
		db && db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
}

int cw_store_prepare(cw_db *db, const char *sql, cw_stmt **out)
{
	size_t i;
	sqlite3_stmt *st;
	int rc;

	/* Statements are string constants, so the pointer identifies them. */
	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql) {
			*out = db->cache[i].st;
			return CW_OK;
		}
	rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return cw_store_error(db, rc);
	db->cache = cw_reallocarray(db->cache, db->ncache + 1, sizeof(*db->cache));
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].st = st;
	db->ncache++;
	*out = st;
	return CW_OK;
}

void cw_store_done(cw_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

int cw_store_step(cw_db *db, cw_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return CW_ROW;
	if (rc == SQLITE_DONE)
		return CW_OK;
	return cw_store_error(db, rc);
}

int cw_store_changes(cw_db *db)
{
	return sqlite3_changes(db->sql);
}

int cw_store_exec_stmt(cw_db *db, cw_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		int err = cw_store_error(db, rc);

		cw_store_done(st);
		return err;
	}
	cw_store_done(st);
	return CW_OK;
}

void cw_store_bind_int(cw_stmt *st, int i, long long v)
{
	sqlite3_bind_int64(st, i, v);
}

void cw_store_bind_double(cw_stmt *st, int i, double v)
{
	sqlite3_bind_double(st, i, v);
}

void cw_store_bind_null(cw_stmt *st, int i)
{
	sqlite3_bind_null(st, i);
}

void cw_store_bind_text(cw_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void cw_store_bind_fold(cw_stmt *st, int i, const char *s)
{
	char *f;

	if (!s) {
		sqlite3_bind_null(st, i);
		return;
	}
	f = cw_fold(s);
	sqlite3_bind_text(st, i, f, -1, free);
}

void cw_store_bind_date(cw_stmt *st, int i, cw_date d)
{
	char buf[CW_DATE_STRLEN];

	sqlite3_bind_text(st, i, cw_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

bool cw_store_col_is_null(cw_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

long long cw_store_col_int(cw_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

double cw_store_col_double(cw_stmt *st, int i)
{
	return sqlite3_column_double(st, i);
}

json_t *cw_store_col_json_int(cw_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(st, i));
}

json_t *cw_store_col_json_text(cw_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	return json_string((const char *)sqlite3_column_text(st, i));
}

const char *cw_store_col_text(cw_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

bool cw_store_col_date(cw_stmt *st, int i, cw_date *out)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s && cw_date_valid(s) && cw_date_parse(s, out) == CW_OK;
}

static int exec(cw_db *db, const char *sql)
{
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? CW_OK : cw_store_error(db, rc);
}

static int user_version(cw_db *db, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cw_store_error(db, rc);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? CW_OK : cw_store_error(db, rc);
}

int cw_db_open(cw_db **out, const char *path, const cw_rules *rules,
	cw_date today, bool create)
{
	cw_db *db = cw_calloc(1, sizeof(*db));
	struct stat sb;
	int rc, err, version;

	db->rules = rules;
	db->today = today;
	if (stat(path, &sb) != 0) {
		int fd;

		if (!create) {
			err = cw_error(CW_EINVALID,
				"no database at '%s': run 'carewatch init' first", path);
			goto fail;
		}
		/* Create it owner-only before SQLite touches it; SQLite gives the
		 * WAL and shared-memory files the same permissions. */
		fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			err = cw_error(CW_EINTERNAL, "cannot create '%s': %s", path, strerror(errno));
			goto fail;
		}
		close(fd);
	} else if (!S_ISREG(sb.st_mode)) {
		err = cw_error(CW_EINVALID, "'%s' is not a database file", path);
		goto fail;
	}
	rc = sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		err = cw_store_error(db, rc);
		goto fail;
	}
	sqlite3_busy_timeout(db->sql, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->sql, 1);
	if ((err = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			" PRAGMA foreign_keys=ON;")) != CW_OK) {
		if ((sqlite3_extended_errcode(db->sql) & 0xff) == SQLITE_NOTADB)
			err = cw_error(CW_EINVALID, "'%s' is not a carewatch database", path);
		goto fail;
	}
	if ((err = user_version(db, &version)) != CW_OK) {
		/* A file that is not SQLite at all reads as "not a database". */
		err = cw_error(CW_EINVALID, "'%s' is not a carewatch database: %s",
			path, cw_errmsg());
		goto fail;
	}
	if (version > cw_schema_count()) {
		err = cw_error(CW_EINTERNAL,
			"'%s' was written by a newer carewatch (schema %d, this program knows %d)",
			path, version, cw_schema_count());
		goto fail;
	}
	if (version < cw_schema_count() && !create) {
		err = cw_error(CW_EINVALID, version == 0
			? "'%s' is not initialised: run 'carewatch init'"
			: "'%s' has an older schema: run 'carewatch init' to upgrade it", path);
		goto fail;
	}
	*out = db;
	return CW_OK;
fail:
	cw_db_close(db);
	return err;
}

void cw_db_close(cw_db *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	if (db->sql)
		sqlite3_close(db->sql);
	free(db->actor);
	free(db->roles);
	free(db);
}

static const char SQL_USER_BY_NAME[] =
	"SELECT name, roles FROM users WHERE name_key = ?1";

int cw_db_check_user_name(const char *name)
{
	if (!name || !*name)
		return cw_error(CW_EINVALID, "no acting user: give --as USER");
	return cw_check_entity_name("user name", name);
}

void cw_db_clear_actor(cw_db *db)
{
	free(db->actor);
	free(db->roles);
	db->actor = NULL;
	db->roles = NULL;
}

int cw_db_set_actor(cw_db *db, const char *name)
{
	sqlite3_stmt *st;
	int err;

	cw_db_clear_actor(db);
	if ((err = cw_store_prepare(db, SQL_USER_BY_NAME, &st)) != CW_OK)
		return err;
	cw_store_bind_fold(st, 1, name ? name : "");
	if (sqlite3_step(st) != SQLITE_ROW) {
		cw_store_done(st);
		return cw_error(CW_EFORBIDDEN, "'%s' is not a carewatch user (ask an admin to add you)",
			name ? name : "");
	}
	db->actor = cw_strdup(cw_store_col_text(st, 0));
	db->roles = cw_strdup(cw_store_col_text(st, 1));
	cw_store_done(st);
	return CW_OK;
}

int cw_db_begin(cw_db *db, bool write)
{
	int err = exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN");

	if (err == CW_OK)
		db->in_txn = true;
	return err;
}

int cw_db_commit(cw_db *db)
{
	int err = exec(db, "COMMIT");

	if (err == CW_OK)
		db->in_txn = false;
	return err;
}

void cw_db_rollback(cw_db *db)
{
	if (db && db->in_txn) {
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		db->in_txn = false;
	}
}

int cw_db_unit_begin(cw_db *db)
{
	if (!db->in_txn)
		return cw_error(CW_EINTERNAL, "a nested unit of work needs an open transaction");
	return exec(db, "SAVEPOINT cw_unit");
}

int cw_db_unit_end(cw_db *db, int status)
{
	if (status != CW_OK)
		sqlite3_exec(db->sql, "ROLLBACK TO cw_unit", NULL, NULL, NULL);
	sqlite3_exec(db->sql, "RELEASE cw_unit", NULL, NULL, NULL);
	return status;
}

/* A unit inside another: a savepoint, so only its own writes are undone. */
static int run_nested(cw_db *db, cw_db_fn fn, void *arg)
{
	int err;

	if ((err = cw_db_unit_begin(db)) != CW_OK)
		return err;
	return cw_db_unit_end(db, fn(db, arg));
}

int cw_db_run(cw_db *db, bool write, cw_db_fn fn, void *arg)
{
	int err;

	if (db->in_txn)
		return run_nested(db, fn, arg);
	if ((err = cw_db_begin(db, write)) != CW_OK)
		return err;
	err = fn(db, arg);
	if (err == CW_OK)
		err = cw_db_commit(db);
	if (err != CW_OK)
		cw_db_rollback(db);
	return err;
}

struct run_as {
	const char *actor;
	cw_db_fn fn;
	void *arg;
};

static int run_as_unit(cw_db *db, void *arg)
{
	struct run_as *r = arg;
	int err;

	if (r->actor && (err = cw_db_set_actor(db, r->actor)) != CW_OK)
		return err;
	return r->fn(db, r->arg);
}

int cw_db_run_as(cw_db *db, const char *actor, bool write, cw_db_fn fn, void *arg)
{
	struct run_as r = { actor, fn, arg };
	int err = cw_db_run(db, write, run_as_unit, &r);

	if (actor)
		cw_db_clear_actor(db);
	return err;
}

const cw_rules *cw_db_rules(const cw_db *db) { return db->rules; }
cw_date cw_db_today(const cw_db *db) { return db->today; }

void cw_db_set_today(cw_db *db, cw_date today)
{
	db->today = today;
}
const char *cw_db_actor(const cw_db *db) { return db->actor; }
const char *cw_db_actor_roles(const cw_db *db) { return db->roles ? db->roles : ""; }

bool cw_db_may(const cw_db *db, const char *perm)
{
	if (db->granted && cw_list_has(db->granted, perm))
		return true;
	return db->roles && cw_rules_may(db->rules, db->roles, perm);
}

void cw_store_grant(cw_db *db, const char *perms)
{
	db->granted = perms;
}

int cw_db_require(const cw_db *db, const char *perm)
{
	if (cw_db_may(db, perm))
		return CW_OK;
	return cw_error(CW_EFORBIDDEN, "%s (roles: %s) does not have permission '%s'",
		db->actor ? db->actor : "this user", cw_db_actor_roles(db), perm);
}

bool cw_db_sees_confidential(const cw_db *db)
{
	return cw_db_may(db, "confidential.read");
}

static unsigned long long splitmix64(unsigned long long *x)
{
	unsigned long long z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void cw_db_new_id(cw_db *db, char out[CW_ID_LEN])
{
	uuid_t u;

	if (db && db->seeded) {
		unsigned long long a = splitmix64(&db->seed), b = splitmix64(&db->seed);
		int i;

		for (i = 0; i < 8; i++) {
			u[i] = (unsigned char)(a >> (8 * i));
			u[8 + i] = (unsigned char)(b >> (8 * i));
		}
		u[6] = (u[6] & 0x0f) | 0x40;   /* version 4 layout */
		u[8] = (u[8] & 0x3f) | 0x80;
	} else {
		uuid_generate_random(u);
	}
	uuid_unparse_lower(u, out);
}

void cw_db_seed_ids(cw_db *db, unsigned long seed)
{
	db->seeded = true;
	db->seed = seed;
}

/* ---- seam helpers: one-row reads, ids then JSON, conflicts, migrations ---- */

int cw_store_get(cw_db *db, const char *sql, const char *key, const char *what,
	cw_stmt **out)
{
	int rc;

	*out = NULL;
	if ((rc = cw_store_prepare(db, sql, out)) != CW_OK)
		return rc;
	cw_store_bind_text(*out, 1, key);
	if ((rc = cw_store_step(db, *out)) == CW_ROW)
		return CW_OK;
	cw_store_done(*out);
	if (rc != CW_OK)
		return rc;
	return what ? cw_error(CW_ENOTFOUND, "no %s '%s'", what, key ? key : "") : CW_ENOTFOUND;
}

int cw_store_map_ids(cw_db *db, cw_stmt *st, cw_store_id_fn fn, void *arg, json_t **out)
{
	json_t *ids = NULL, *list, *v;
	size_t i;
	int rc;

	if ((rc = cw_store_text_list(db, st, &ids)) != CW_OK)
		return rc;
	list = json_array();
	json_array_foreach(ids, i, v) {
		json_t *obj = NULL;

		if ((rc = fn(db, json_string_value(v), arg, &obj)) != CW_OK)
			break;
		if (obj)
			json_array_append_new(list, obj);
	}
	json_decref(ids);
	if (rc != CW_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return CW_OK;
}

int cw_store_text_list(cw_db *db, cw_stmt *st, json_t **out)
{
	json_t *list = json_array();
	int rc;

	while ((rc = cw_store_step(db, st)) == CW_ROW)
		json_array_append_new(list, json_string(cw_store_col_text(st, 0)));
	cw_store_done(st);
	if (rc != CW_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return CW_OK;
}

bool cw_store_conflict(cw_db *db)
{
	return db->last_failure == SQLITE_CONSTRAINT_UNIQUE ||
		db->last_failure == SQLITE_CONSTRAINT_PRIMARYKEY;
}

int cw_store_migrate(cw_db *db, int *from)
{
	char pragma[64];
	int v, err;

	if ((err = user_version(db, from)) != CW_OK)
		return err;
	for (v = *from + 1; v <= cw_schema_count(); v++)
		if ((err = exec(db, cw_schema_migration(v))) != CW_OK)
			return err;
	if (*from >= cw_schema_count())
		return CW_OK;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", cw_schema_count());
	return exec(db, pragma);
}
