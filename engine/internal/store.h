#ifndef CW_STORE_H
#define CW_STORE_H
/*
 * The storage seam, private to the engine. Only engine/storage/store*.c
 * (and the migrations in schema.c) speak to SQLite; every other module
 * prepares, binds, steps and reads columns through these helpers, so the
 * "prepare / bind / step / check done" shape exists once and a second
 * backend replaces one file, not the domain code.
 *
 * SQL stays with the module that owns it, as named string constants: the
 * statement cache keys on the constant's address.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

/* A prepared statement of the backend, opaque outside engine/storage/store.c. */
typedef struct cw_stmt cw_stmt;
struct sqlite3;

/* cw_store_step: a row is ready to read. Never an exit status. */
#define CW_ROW 100

/* A prepared statement from the session's cache, reset and unbound. Do not
 * finalize it; call cw_store_done() when finished with it. */
int cw_store_prepare(cw_db *db, const char *sql, cw_stmt **out);
void cw_store_done(cw_stmt *st);

/*
 * Step a statement: CW_ROW when a row is ready, CW_OK when there are no
 * more, or a failure status with the last error set. The loop is
 *
 *	while ((rc = cw_store_step(db, st)) == CW_ROW) { ...read columns... }
 *	cw_store_done(st);
 *	if (rc != CW_OK) { err = rc; goto done; }
 */
int cw_store_step(cw_db *db, cw_stmt *st);

/* Step a statement that returns no rows (or whose rows are not wanted),
 * then cw_store_done it. */
int cw_store_exec_stmt(cw_db *db, cw_stmt *st);

/* How many rows the last INSERT, UPDATE or DELETE on this session changed. */
int cw_store_changes(cw_db *db);

/* Map a backend result code to a cw_status with a message (busy, I/O...). */
int cw_store_error(cw_db *db, int rc);

/* Bind helpers; parameters are numbered from 1. NULL strings bind NULL. */
void cw_store_bind_text(cw_stmt *st, int i, const char *s);
/* Bind the case-folded form of a name (engine/internal/fold.h), for name_key columns. */
void cw_store_bind_fold(cw_stmt *st, int i, const char *s);
void cw_store_bind_date(cw_stmt *st, int i, cw_date d);  /* as YYYY-MM-DD */
void cw_store_bind_int(cw_stmt *st, int i, long long v);
void cw_store_bind_double(cw_stmt *st, int i, double v);
void cw_store_bind_null(cw_stmt *st, int i);

/* Column helpers; columns are numbered from 0. */
bool cw_store_col_is_null(cw_stmt *st, int i);
const char *cw_store_col_text(cw_stmt *st, int i);  /* "" for NULL */
long long cw_store_col_int(cw_stmt *st, int i);     /* 0 for NULL */
double cw_store_col_double(cw_stmt *st, int i);     /* 0 for NULL */
/* A date column; false for NULL or damaged text (counts as not there). */
bool cw_store_col_date(cw_stmt *st, int i, cw_date *out);
/* JSON of a column: a string or null; an integer or null. */
json_t *cw_store_col_json_text(cw_stmt *st, int i);
json_t *cw_store_col_json_int(cw_stmt *st, int i);

/* Every column of the current row from column `from` on, as a JSON array
 * (text, integer, real or null): what the audit trail seals. */
json_t *cw_store_row_json(cw_stmt *st, int from);

/*
 * Rows inserted or updated in the current transaction, by table and rowid,
 * so the audit trail can seal what a command wrote. cw_store_take_changes
 * calls fn for each row noted since the last call and forgets them.
 */
typedef int (*cw_store_change_fn)(cw_db *db, const char *table, long long rowid, void *arg);
int cw_store_take_changes(cw_db *db, cw_store_change_fn fn, void *arg);

/*
 * The audit key: a secret kept in a file beside the database
 * ("PATH.key", created 0400 by init), never in it. cw_store_key reads it
 * (an error naming the file when it is missing); cw_store_key_create makes
 * one unless the file exists. cw_store_key_path is malloc'd.
 */
#define CW_AUDIT_KEY_LEN 32
int cw_store_key(cw_db *db, const unsigned char **key);
int cw_store_key_create(cw_db *db);
char *cw_store_key_path(cw_db *db);

/* The rules the session owns (engine/storage/pinned.c loads them) and, for
 * init to pin, their text and where they came from. Takes ownership. */
void cw_store_own_rules(cw_db *db, cw_rules *r, char *text, char *source);
void cw_store_rules_origin(cw_db *db, const char **text, const char **source);
/* Does the schema have this table yet? (Before init upgrades it, not always.) */
int cw_store_has_table(cw_db *db, const char *name, bool *out);
/* Pin the session's rules when the database has none pinned (init). */
int cw_db_rules_pin_initial(cw_db *db);

/* Seal the rows written since the command's last audit entry (audit.c;
 * cw_db_open makes it the session's before-commit hook). */
int cw_audit_seal_pending(cw_db *db);

/*
 * The session without the layers above it (cw_db_open, engine/storage/
 * init.c, is this and the audit trail's hook), and the hook cw_db_commit
 * runs first when the unit wrote rows (its arg is NULL). Through the hook
 * the session calls the audit trail without depending on it.
 */
int cw_store_open(cw_db **out, const char *path, const cw_rules *rules,
	cw_date today, bool create);
void cw_store_before_commit(cw_db *db, cw_db_fn fn);

/* The SQLite handle, for the benchmark's raw-SQL baseline and tests that
 * tamper with the file. The engine never uses it outside engine/storage. */
struct sqlite3 *cw_store_handle(cw_db *db);

/*
 * Lend the actor extra permissions (comma-separated; a string constant) for
 * one engine operation, NULL to take them back. Import uses it: an admin
 * may import providers and concerns without holding the casework roles.
 */
void cw_store_grant(cw_db *db, const char *perms);

/*
 * History as it stood (engine/storage/store_asat.c): run fn with the record as it
 * stood at the end of `day` — today set to it, and the dated tables read
 * through views of that day — then as it is again. Only for reads. Inside
 * another, fn simply runs (the outer day stands). cw_store_as_at_today does
 * it for today when today is before the clock's date (`--today` in the
 * past), else just runs fn. cw_store_as_at_flag: the session's "reading
 * the past" flag, for store_asat.c.
 */
int cw_store_as_at(cw_db *db, cw_date day, cw_db_fn fn, void *arg);
int cw_store_as_at_today(cw_db *db, cw_db_fn fn, void *arg);
bool *cw_store_as_at_flag(cw_db *db);
/* cw_store_as_at_today for a getter: fn(db, key, out). */
typedef int (*cw_store_get_fn)(cw_db *db, const char *key, json_t **out);
int cw_store_as_at_today_get(cw_db *db, cw_store_get_fn fn, const char *key, json_t **out);

/* ---- seam helpers: one-row reads, ids then JSON, conflicts, migrations ---- */

/*
 * The one-row read: prepare `sql`, bind `key` to ?1 and step once. CW_OK
 * with the row ready to read (then cw_store_done it); CW_ENOTFOUND when
 * there is no row, with "no <what> '<key>'" as the last error when `what`
 * is given (NULL leaves the last error alone, for a caller to whom absence
 * is no failure or who words it itself); else the failure status. Either
 * way *out is the statement, safe to cw_store_done again.
 */
int cw_store_get(cw_db *db, const char *sql, const char *key, const char *what,
	cw_stmt **out);

/* The JSON of one id; leave *out NULL to leave the id out of the list. */
typedef int (*cw_store_id_fn)(cw_db *db, const char *id, void *arg, json_t **out);

/*
 * Ids first, then JSON: read column 0 of every row of `st` (prepared and
 * bound; done here), then call fn for each id in order and gather what it
 * gives into a new array. The ids are read to the end first because fn runs
 * statements of its own.
 */
int cw_store_map_ids(cw_db *db, cw_stmt *st, cw_store_id_fn fn, void *arg, json_t **out);

/* A column holding a comma-separated list (roles, organisations) as a JSON
 * array of its non-empty items; [] for NULL. */
json_t *cw_store_col_json_list(cw_stmt *st, int i);

/* The JSON of the row `st` is on; NULL leaves the row out. */
typedef json_t *(*cw_store_row_fn)(cw_db *db, cw_stmt *st, void *arg);

/* Every row of `st` (prepared and bound; done here) through fn, gathered
 * into a new array: the "step, build, append, check done" loop, once. */
int cw_store_rows(cw_db *db, cw_stmt *st, cw_store_row_fn fn, void *arg, json_t **out);

/* Column 0 of every row of `st` (prepared and bound; done here), as a new
 * array of strings. */
int cw_store_text_list(cw_db *db, cw_stmt *st, json_t **out);

/* Column 0 of the first row of `sql` with the case-folded `name` bound to
 * ?1 (nothing bound when NULL), into `out`; "" when there is no row. */
int cw_store_first_text(cw_db *db, const char *sql, const char *name, char *out, size_t n);

/* Did the last failure of this session break a UNIQUE constraint? A module
 * whose rule the schema states as a unique index turns that into a refusal. */
bool cw_store_conflict(cw_db *db);

/*
 * Bring the file's schema up to date (engine/storage/schema.c), in the
 * caller's transaction. *from is the version the file had (0: a new file).
 */
int cw_store_migrate(cw_db *db, int *from);

#endif
