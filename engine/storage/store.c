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
#include "carewatch/audit.h"
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

int cw_db_secure_files(const char *path, char **changed)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	cw_buf list = CW_BUF_INIT;
	size_t k;

	*changed = NULL;
	for (k = 0; k < sizeof(suffix) / sizeof(suffix[0]); k++) {
		char file[4096];
		struct stat sb;

		snprintf(file, sizeof(file), "%s%s", path, suffix[k]);
		if (lstat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 077))
			continue;
		if (chmod(file, 0600) != 0) {
			cw_buf_free(&list);
			return cw_error(CW_EINVALID, "'%s' can be read by others (mode %04o) and cannot"
				" be made owner-only: %s; fix its permissions (chmod 600) first", file,
				(unsigned)(sb.st_mode & 07777), strerror(errno));
		}
		cw_buf_printf(&list, "%s'%s' from %04o", list.len ? ", " : "", file,
			(unsigned)(sb.st_mode & 07777));
	}
	if (list.len)
		*changed = cw_buf_detach(&list);
	cw_buf_free(&list);
	return CW_OK;
}

/* A file carewatch never initialised (user_version 0) that has tables. */
static const char SQL_FOREIGN_TABLES[] =
	"SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_master"
	" WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 5)"
	" WHERE (SELECT user_version FROM pragma_user_version) = 0";

/* Another application's database must not get our tables (nor our journal
 * mode): checked before anything is written. A file that is not SQLite at
 * all is left to the checks after. */
static int refuse_foreign(cw_db *db, const char *path)
{
	sqlite3_stmt *st;
	const char *names;
	int err = CW_OK;

	if (sqlite3_prepare_v2(db->sql, SQL_FOREIGN_TABLES, -1, &st, NULL) != SQLITE_OK)
		return CW_OK;
	names = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (names && *names)
		err = cw_error(CW_EINVALID, "'%s' is another application's database (tables: %s);"
			" carewatch will not add its own to it", path, names);
	sqlite3_finalize(st);
	return err;
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
	if ((err = refuse_foreign(db, path)) != CW_OK)
		goto fail;
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
static const char SQL_USER_COUNT[] = "SELECT count(*) FROM users";
static const char SQL_USER_INSERT[] =
	"INSERT INTO users (id, name, roles, created, name_key) VALUES (?1, ?2, ?3, ?4, ?5)";

int cw_db_check_user_name(const char *name)
{
	if (!name || !*name)
		return cw_error(CW_EINVALID, "no acting user: give --as USER");
	return cw_check_entity_name("user name", name);
}

int cw_db_init(cw_db *db, const char *actor)
{
	sqlite3_stmt *st = NULL;
	char id[CW_ID_LEN];
	int version, v, err, users;

	if ((err = cw_db_check_user_name(actor)) != CW_OK)
		return err;
	if ((err = user_version(db, &version)) != CW_OK)
		return err;
	for (v = version + 1; v <= cw_schema_count(); v++)
		if ((err = exec(db, cw_schema_migration(v))) != CW_OK)
			return err;
	/* Keys follow the folding rule of this program, whatever wrote them. */
	if (version > 0 && (err = cw_store_refold_names(db)) != CW_OK)
		return err;
	if (version < cw_schema_count()) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", cw_schema_count());
		if ((err = exec(db, pragma)) != CW_OK)
			return err;
	}
	if ((err = cw_store_prepare(db, SQL_USER_COUNT, &st)) != CW_OK)
		return err;
	users = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	cw_store_done(st);
	if (users == 0) {
		char today[CW_DATE_STRLEN];

		cw_db_new_id(db, id);
		if ((err = cw_store_prepare(db, SQL_USER_INSERT, &st)) != CW_OK)
			return err;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, actor);
		cw_store_bind_text(st, 3, "admin");
		cw_store_bind_text(st, 4, cw_date_format(db->today, today));
		cw_store_bind_fold(st, 5, actor);
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			return err;
		if ((err = cw_db_set_actor(db, actor)) != CW_OK)
			return err;
		if (version == 0 &&
		    (err = cw_audit_append(db, "db.init", NULL,
				json_pack("{s:i}", "schema", cw_schema_count()))) != CW_OK)
			return err;
		return cw_audit_append(db, "user.add", id,
			json_pack("{s:s,s:s}", "name", actor, "roles", "admin"));
	}
	if ((err = cw_db_set_actor(db, actor)) != CW_OK)
		return err;
	if (version < cw_schema_count())
		return cw_audit_append(db, "db.upgrade", NULL,
			json_pack("{s:i,s:i}", "from", version, "to", cw_schema_count()));
	return CW_OK;
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
	if (db->granted) {
		size_t n = strlen(perm);
		const char *p = db->granted;

		while ((p = strstr(p, perm)) != NULL) {
			if ((p == db->granted || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
				return true;
			p += n;
		}
	}
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
