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
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "schema.h"
#include "valid.h"
#include "fold.h"
#include "names.h"

#define BUSY_TIMEOUT_MS 10000

/* cw_stmt is SQLite's statement under the name the rest of the engine
 * knows; only this file converts between the two. */
#define ST(s) ((sqlite3_stmt *)(void *)(s))
#define CW_STMT(s) ((cw_stmt *)(void *)(s))

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

/* A row written in the current transaction (SQLite's update hook), for
 * the audit trail to seal. */
struct changed_row {
	char table[32];
	long long rowid;
};

struct cw_db {
	sqlite3 *sql;
	char *path;
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
	struct changed_row *changed;
	size_t nchanged, capchanged;
	cw_db_fn before_commit;   /* seals what was written (init.c sets it) */
	unsigned char key[CW_AUDIT_KEY_LEN];
	bool has_key;
	cw_rules *owned_rules;  /* loaded by cw_db_rules_load */
	char *rules_text;       /* ...and what init would pin */
	char *rules_source;
	bool as_at;             /* reading the past (engine/storage/store_asat.c) */
};

int cw_db_schema_version(void)
{
	return cw_schema_count();
}

sqlite3 *cw_store_handle(cw_db *db)
{
	return db->sql;
}

bool *cw_store_as_at_flag(cw_db *db)
{
	return &db->as_at;
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
			*out = CW_STMT(db->cache[i].st);
			return CW_OK;
		}
	rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return cw_store_error(db, rc);
	db->cache = cw_reallocarray(db->cache, db->ncache + 1, sizeof(*db->cache));
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].st = st;
	db->ncache++;
	*out = CW_STMT(st);
	return CW_OK;
}

void cw_store_done(cw_stmt *st)
{
	if (st) {
		sqlite3_reset(ST(st));
		sqlite3_clear_bindings(ST(st));
	}
}

int cw_store_step(cw_db *db, cw_stmt *st)
{
	int rc = sqlite3_step(ST(st));

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
	int rc = sqlite3_step(ST(st));

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
	sqlite3_bind_int64(ST(st), i, v);
}

void cw_store_bind_double(cw_stmt *st, int i, double v)
{
	sqlite3_bind_double(ST(st), i, v);
}

void cw_store_bind_null(cw_stmt *st, int i)
{
	sqlite3_bind_null(ST(st), i);
}

void cw_store_bind_text(cw_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(ST(st), i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(ST(st), i);
}

void cw_store_bind_fold(cw_stmt *st, int i, const char *s)
{
	char *f;

	if (!s) {
		sqlite3_bind_null(ST(st), i);
		return;
	}
	f = cw_fold(s);
	sqlite3_bind_text(ST(st), i, f, -1, free);
}

void cw_store_bind_date(cw_stmt *st, int i, cw_date d)
{
	char buf[CW_DATE_STRLEN];

	sqlite3_bind_text(ST(st), i, cw_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

bool cw_store_col_is_null(cw_stmt *st, int i)
{
	return sqlite3_column_type(ST(st), i) == SQLITE_NULL;
}

long long cw_store_col_int(cw_stmt *st, int i)
{
	return sqlite3_column_int64(ST(st), i);
}

double cw_store_col_double(cw_stmt *st, int i)
{
	return sqlite3_column_double(ST(st), i);
}

json_t *cw_store_col_json_int(cw_stmt *st, int i)
{
	if (sqlite3_column_type(ST(st), i) == SQLITE_NULL)
		return json_null();
	return json_integer(sqlite3_column_int64(ST(st), i));
}

json_t *cw_store_col_json_text(cw_stmt *st, int i)
{
	if (sqlite3_column_type(ST(st), i) == SQLITE_NULL)
		return json_null();
	return json_string((const char *)sqlite3_column_text(ST(st), i));
}

const char *cw_store_col_text(cw_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(ST(st), i);

	return t ? (const char *)t : "";
}

bool cw_store_col_date(cw_stmt *st, int i, cw_date *out)
{
	const char *s = (const char *)sqlite3_column_text(ST(st), i);

	return s && cw_date_valid(s) && cw_date_parse(s, out) == CW_OK;
}

json_t *cw_store_row_json(cw_stmt *st, int from)
{
	json_t *row = json_array();
	int i, n = sqlite3_column_count(ST(st));

	for (i = from; i < n; i++)
		switch (sqlite3_column_type(ST(st), i)) {
		case SQLITE_NULL:
			json_array_append_new(row, json_null());
			break;
		case SQLITE_INTEGER:
			json_array_append_new(row, json_integer(sqlite3_column_int64(ST(st), i)));
			break;
		case SQLITE_FLOAT:
			json_array_append_new(row, json_real(sqlite3_column_double(ST(st), i)));
			break;
		default:
			json_array_append_new(row, json_string(cw_store_col_text(st, i)));
		}
	return row;
}

static void on_change(void *arg, int op, const char *dbname, const char *table,
	sqlite3_int64 rowid)
{
	cw_db *db = arg;
	struct changed_row *c;

	(void)dbname;
	if (op == SQLITE_DELETE || strlen(table) >= sizeof(c->table) ||
	    strcmp(table, "audit") == 0)
		return;
	if (db->nchanged && db->changed[db->nchanged - 1].rowid == rowid &&
	    strcmp(db->changed[db->nchanged - 1].table, table) == 0)
		return;
	if (db->nchanged == db->capchanged) {
		db->capchanged = db->capchanged ? 2 * db->capchanged : 16;
		db->changed = cw_reallocarray(db->changed, db->capchanged, sizeof(*db->changed));
	}
	c = &db->changed[db->nchanged++];
	snprintf(c->table, sizeof(c->table), "%s", table);
	c->rowid = rowid;
}

int cw_store_take_changes(cw_db *db, cw_store_change_fn fn, void *arg)
{
	size_t i, n = db->nchanged;
	int err = CW_OK;

	/* Taken first: fn may write, and those writes are its own business. */
	struct changed_row *rows = db->changed;

	db->changed = NULL;
	db->nchanged = db->capchanged = 0;
	for (i = 0; i < n && err == CW_OK; i++)
		err = fn(db, rows[i].table, rows[i].rowid, arg);
	free(rows);
	return err;
}

static void forget_changes(cw_db *db)
{
	free(db->changed);
	db->changed = NULL;
	db->nchanged = db->capchanged = 0;
}

/* The audit key lives beside the database, never in it. */
static char *key_path(const cw_db *db)
{
	cw_buf b = CW_BUF_INIT;

	cw_buf_printf(&b, "%s.key", db->path);
	return cw_buf_detach(&b);
}

char *cw_store_key_path(cw_db *db)
{
	return key_path(db);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int key_read(cw_db *db)
{
	char *path = key_path(db), text[2 * CW_AUDIT_KEY_LEN + 2];
	FILE *f = fopen(path, "r");
	size_t n, i;
	int err = CW_OK;

	if (!f) {
		err = cw_error(CW_EINTERNAL, "the audit key '%s' cannot be read (%s): restore it"
			" from its backup", path, strerror(errno));
		goto done;
	}
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	if (n != 2 * CW_AUDIT_KEY_LEN) {
		err = cw_error(CW_EINTERNAL, "the audit key '%s' is damaged", path);
		goto done;
	}
	for (i = 0; i < CW_AUDIT_KEY_LEN; i++) {
		int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			err = cw_error(CW_EINTERNAL, "the audit key '%s' is damaged", path);
			goto done;
		}
		db->key[i] = (unsigned char)(hi << 4 | lo);
	}
	db->has_key = true;
done:
	free(path);
	return err;
}

int cw_store_key(cw_db *db, const unsigned char **key)
{
	int err;

	if (!db->has_key && (err = key_read(db)) != CW_OK)
		return err;
	*key = db->key;
	return CW_OK;
}

int cw_store_key_create(cw_db *db)
{
	char *path = key_path(db), text[2 * CW_AUDIT_KEY_LEN + 2];
	unsigned char k[CW_AUDIT_KEY_LEN];
	struct stat sb;
	int fd, err = CW_OK;
	size_t i;

	if (stat(path, &sb) == 0)
		goto done;   /* kept: an existing key still checks the old entries */
	if (RAND_bytes(k, sizeof(k)) != 1) {
		err = cw_error(CW_EINTERNAL, "no random bytes for the audit key");
		goto done;
	}
	for (i = 0; i < sizeof(k); i++)
		snprintf(text + 2 * i, 3, "%02x", k[i]);
	text[2 * sizeof(k)] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0400);
	if (fd < 0 || write(fd, text, 2 * sizeof(k) + 1) != (ssize_t)(2 * sizeof(k) + 1) ||
	    fsync(fd) != 0) {
		err = cw_error(CW_EINTERNAL, "cannot create the audit key '%s': %s", path,
			strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		goto done;
	}
	close(fd);
	memcpy(db->key, k, sizeof(k));
	db->has_key = true;
done:
	OPENSSL_cleanse(k, sizeof(k));
	free(path);
	return err;
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

int cw_store_open(cw_db **out, const char *path, const cw_rules *rules,
	cw_date today, bool create)
{
	cw_db *db = cw_calloc(1, sizeof(*db));
	struct stat sb;
	int rc, err, version;

	db->rules = rules;
	db->today = today;
	db->path = cw_strdup(path);
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
	sqlite3_update_hook(db->sql, on_change, db);
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

void cw_store_before_commit(cw_db *db, cw_db_fn fn)
{
	db->before_commit = fn;
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
	free(db->path);
	free(db->changed);
	cw_store_own_rules(db, NULL, NULL, NULL);
	OPENSSL_cleanse(db->key, sizeof(db->key));
	free(db);
}

static const char SQL_USER_BY_NAME[] =
	"SELECT name, roles FROM users WHERE name_key = ?1";

int cw_db_check_user_name(const char *name)
{
	if (!name || !*name)
		return cw_error(CW_EINVALID, "no acting user (as: the user who acts)");
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
	cw_stmt *st;
	int err;

	cw_db_clear_actor(db);
	if ((err = cw_store_prepare(db, SQL_USER_BY_NAME, &st)) != CW_OK)
		return err;
	cw_store_bind_fold(st, 1, name ? name : "");
	if ((err = cw_store_step(db, st)) != CW_ROW) {
		cw_store_done(st);
		if (err != CW_OK)
			return err;
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

	forget_changes(db);
	if (err == CW_OK)
		db->in_txn = true;
	return err;
}

int cw_db_commit(cw_db *db)
{
	int err;

	/* Rows written after the command's last audit entry are sealed now. */
	if (db->nchanged && db->before_commit && (err = db->before_commit(db, NULL)) != CW_OK)
		return err;
	err = exec(db, "COMMIT");

	if (err == CW_OK)
		db->in_txn = false;
	return err;
}

void cw_db_rollback(cw_db *db)
{
	if (db && db->in_txn) {
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		db->in_txn = false;
		forget_changes(db);
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

/*
 * Whether a write may record another date than the clock's is the pinned
 * rules' call (dates.today_override): allow, read_only (the write uses the
 * clock's date) or refuse.
 */
static int today_for_write(cw_db *db, cw_date *saved)
{
	const char *rule = db->rules ? cw_rules_string(db->rules, "dates.today_override") : "allow";
	cw_date clock = cw_date_today_utc();
	char used[CW_DATE_STRLEN];

	*saved = db->today;
	if (db->today == clock || strcmp(rule, "allow") == 0)
		return CW_OK;
	if (strcmp(rule, "refuse") == 0)
		return cw_error_at("today", CW_EINVALID,
			"a change dated %s (not today) is refused by the rules"
			" (dates.today_override = \"refuse\")", cw_date_format(db->today, used));
	db->today = clock;
	return CW_OK;
}

int cw_db_run(cw_db *db, bool write, cw_db_fn fn, void *arg)
{
	cw_date saved;
	int err;

	if (db->in_txn)
		return run_nested(db, fn, arg);
	if (write && (err = today_for_write(db, &saved)) != CW_OK)
		return err;
	if ((err = cw_db_begin(db, write)) != CW_OK)
		goto done;
	err = fn(db, arg);
	if (err == CW_OK)
		err = cw_db_commit(db);
	if (err != CW_OK)
		cw_db_rollback(db);
done:
	if (write)
		db->today = saved;
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

void cw_store_own_rules(cw_db *db, cw_rules *r, char *text, char *source)
{
	cw_rules_free(db->owned_rules);
	free(db->rules_text);
	free(db->rules_source);
	db->owned_rules = r;
	db->rules = r;
	db->rules_text = text;
	db->rules_source = source;
}

void cw_store_rules_origin(cw_db *db, const char **text, const char **source)
{
	*text = db->rules_text;
	*source = db->rules_source;
}

static const char SQL_HAS_TABLE[] =
	"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1";

int cw_store_has_table(cw_db *db, const char *name, bool *out)
{
	cw_stmt *st;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_HAS_TABLE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, name);
	rc = cw_store_step(db, st);
	cw_store_done(st);
	*out = rc == CW_ROW;
	return rc == CW_ROW || rc == CW_OK ? CW_OK : rc;
}
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

json_t *cw_store_col_json_list(cw_stmt *st, int i)
{
	return cw_list_json(cw_store_col_text(st, i));
}

int cw_store_rows(cw_db *db, cw_stmt *st, cw_store_row_fn fn, void *arg, json_t **out)
{
	json_t *list = json_array(), *row;
	int rc;

	while ((rc = cw_store_step(db, st)) == CW_ROW)
		if ((row = fn(db, st, arg)) != NULL)
			json_array_append_new(list, row);
	cw_store_done(st);
	if (rc != CW_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return CW_OK;
}

static json_t *text_of_row(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_string(cw_store_col_text(st, 0));
}

int cw_store_text_list(cw_db *db, cw_stmt *st, json_t **out)
{
	return cw_store_rows(db, st, text_of_row, NULL, out);
}

int cw_store_first_text(cw_db *db, const char *sql, const char *name, char *out, size_t n)
{
	cw_stmt *st = NULL;
	int rc;

	out[0] = '\0';
	if ((rc = cw_store_prepare(db, sql, &st)) != CW_OK)
		return rc;
	if (name)
		cw_store_bind_fold(st, 1, name);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		snprintf(out, n, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
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
