#ifndef CW_STORE_H
#define CW_STORE_H
/*
 * The storage seam, private to the engine. All SQL lives in engine/store*.c
 * as named statements; the rest of the engine calls these helpers.
 */
#include <sqlite3.h>
#include <jansson.h>
#include "carewatch/db.h"

/* A prepared statement from the session's cache, reset and unbound. Do not
 * finalize it; call cw_store_done() when finished with it. */
int cw_store_prepare(cw_db *db, const char *sql, sqlite3_stmt **out);
void cw_store_done(sqlite3_stmt *st);

/* Map a SQLite result code to a cw_status with a message (busy, I/O...). */
int cw_store_error(cw_db *db, int rc);

/* Step a statement that returns no rows. */
int cw_store_exec_stmt(cw_db *db, sqlite3_stmt *st);

/* Bind helpers: NULL strings bind as NULL. */
void cw_store_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Bind the case-folded form of a name (engine/internal/fold.h), for name_key columns. */
void cw_store_bind_fold(sqlite3_stmt *st, int i, const char *s);
void cw_store_bind_date(sqlite3_stmt *st, int i, cw_date d);  /* as YYYY-MM-DD */

/* Column helpers: text column as a JSON string or null; int as integer. */
json_t *cw_store_col_json_text(sqlite3_stmt *st, int i);
const char *cw_store_col_text(sqlite3_stmt *st, int i);  /* "" for NULL */
/* A date column; false for NULL or damaged text (counts as not there). */
bool cw_store_col_date(sqlite3_stmt *st, int i, cw_date *out);

sqlite3 *cw_store_handle(cw_db *db);

/*
 * Lend the actor extra permissions (comma-separated; a string constant) for
 * one engine operation, NULL to take them back. Import uses it: an admin
 * may import providers and concerns without holding the casework roles.
 */
void cw_store_grant(cw_db *db, const char *perms);


#endif
