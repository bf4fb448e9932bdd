#ifndef CW_DB_H
#define CW_DB_H
/*
 * A carewatch database session: the SQLite file, the rules in force, the
 * acting user and the date that "today" means. Every engine call takes one.
 * Entities cross the API as jansson objects carrying the keys of SPEC §8;
 * the engine builds them, so confidential fields are redacted before any
 * caller can see them.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/date.h"
#include "carewatch/rules.h"

typedef struct cw_db cw_db;

#define CW_ID_LEN 37   /* a UUID in text and its NUL */

/*
 * Open the database at `path`. With `create`, a missing file is created
 * owner-only (0600); without it, a missing file is CW_EINVALID telling the
 * user to run `carewatch init`. `rules` is borrowed and must outlive the
 * handle. The schema must be current unless `create` (init upgrades it).
 */
int cw_db_open(cw_db **out, const char *path, const cw_rules *rules,
	cw_date today, bool create);
void cw_db_close(cw_db *db);

/*
 * `init` on an existing database: the file and its -wal and -shm files are
 * made owner-only (0600) when group or others may read or write them. On
 * CW_OK *changed (malloc'd, or NULL when nothing changed) says which files
 * were tightened and from what; CW_EINVALID when one cannot be (not ours).
 */
int cw_db_secure_files(const char *path, char **changed);

/*
 * Create or upgrade the schema in place (idempotent) and, when there are no
 * users yet, make `actor` the first admin. Then acts as `actor`.
 */
int cw_db_init(cw_db *db, const char *actor);

/*
 * The rules in force (SPEC §11) belong to the database. cw_db_rules_load
 * makes the session use the database's pinned rules; a `config_path` of
 * the caller's own is then refused (CW_EINVALID) unless `flags` has
 * CW_RULES_CONFIG_OK. On a database with none pinned yet it loads
 * `config_path` (or the compiled-in default), and init pins that, with
 * the templates it replaces from letters_dir/documents_dir. Call it right
 * after cw_db_open; a bad rules file is refused before anything is written.
 */
#define CW_RULES_CONFIG_OK 0x1
int cw_db_rules_load(cw_db *db, const char *config_path, unsigned flags);

/* `rules set FILE` (permission rules.write): pin the file and its templates,
 * audited with its SHA-256 and the settings it changed; in force from the
 * next unit of work. `out`: {source, sha256, changed}. */
int cw_db_rules_set(cw_db *db, const char *path, json_t **out);

/* What is pinned: {version, source, sha256, templates, set_at, set_by}, or
 * JSON null for a database init has not pinned yet. */
int cw_db_rules_pinned(cw_db *db, json_t **out);

/* `rules check FILE`: validate a rules file and its templates, use nothing. */
int cw_db_rules_check(const char *path, json_t **out);

/* Is `name` acceptable as a user name? CW_OK or CW_EINVALID saying why. */
int cw_db_check_user_name(const char *name);

/*
 * Act as `name`: CW_EFORBIDDEN when it is not a user, and then the handle
 * acts as nobody (every permission check fails) until an actor is set, so
 * a long-lived handle never keeps a previous request's user by mistake.
 */
int cw_db_set_actor(cw_db *db, const char *name);
void cw_db_clear_actor(cw_db *db);

/* Fix the date "today" means for the calls that follow (per command, per
 * web request: a server running past midnight moves to the new day). */
void cw_db_set_today(cw_db *db, cw_date today);

/*
 * One unit of work, written whole or not at all: begin a transaction
 * (`write` takes the write lock at once), call fn(db, arg), commit when it
 * returns CW_OK and roll back otherwise. Called inside another unit it
 * runs in a savepoint, so a refused step leaves nothing and the outer unit
 * goes on. Returns fn's status, or the commit's failure.
 */
typedef int (*cw_db_fn)(cw_db *db, void *arg);
int cw_db_run(cw_db *db, bool write, cw_db_fn fn, void *arg);

/*
 * cw_db_run acting as `actor` (NULL: keep the current actor), which is set
 * inside the transaction and cleared after it. What a front door calls
 * once per command or request.
 */
int cw_db_run_as(cw_db *db, const char *actor, bool write, cw_db_fn fn, void *arg);

/* The parts of cw_db_run, for tests and tools that hold a transaction
 * open across several calls. */
int cw_db_begin(cw_db *db, bool write);
int cw_db_commit(cw_db *db);
void cw_db_rollback(cw_db *db);

/* A nested unit inside an open transaction, by hand: cw_db_unit_end keeps
 * its writes when `status` is CW_OK and undoes them otherwise; it returns
 * `status`. */
int cw_db_unit_begin(cw_db *db);
int cw_db_unit_end(cw_db *db, int status);

const cw_rules *cw_db_rules(const cw_db *db);
cw_date cw_db_today(const cw_db *db);
const char *cw_db_actor(const cw_db *db);        /* user name, or NULL */
const char *cw_db_actor_roles(const cw_db *db);  /* "contracts,qa" */

/* Does the actor hold `perm`? cw_db_require fails with CW_EFORBIDDEN. */
bool cw_db_may(const cw_db *db, const char *perm);
int cw_db_require(const cw_db *db, const char *perm);
/* May the actor see POVA referral and service-user references? */
bool cw_db_sees_confidential(const cw_db *db);

/* A new id. Random; after cw_db_seed_ids, a repeatable sequence (the demo). */
void cw_db_new_id(cw_db *db, char out[CW_ID_LEN]);
void cw_db_seed_ids(cw_db *db, unsigned long seed);

/* The schema version this program writes (PRAGMA user_version). */
int cw_db_schema_version(void);

/* The text that stands in for a field the actor may not see. */
#define CW_CONFIDENTIAL "[confidential]"

#endif
