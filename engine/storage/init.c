/*
 * `init`: bring the file's schema up to date and make sure it has a first
 * user (an admin), with the audit entries that say so. Kept apart from
 * store.c so the session layer does not depend on the audit trail, which
 * is itself written through the session.
 */
#include <stdbool.h>
#include <stdio.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/audit.h"
#include "store.h"
#include "names.h"

static int seal_pending(cw_db *db, void *arg)
{
	(void)arg;
	return cw_audit_seal_pending(db);
}

/* The session, with the audit trail sealing what each unit wrote. */
int cw_db_open(cw_db **out, const char *path, const cw_rules *rules,
	cw_date today, bool create)
{
	int err = cw_store_open(out, path, rules, today, create);

	if (err == CW_OK)
		cw_store_before_commit(*out, seal_pending);
	return err;
}

static const char SQL_USER_COUNT[] = "SELECT count(*) FROM users";
static const char SQL_AUDIT_LAST_KEYED[] =
	"SELECT keyed FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_USER_INSERT[] =
	"INSERT INTO users (id, name, roles, created, name_key) VALUES (?1, ?2, ?3, ?4, ?5)";

static int count_users(cw_db *db, long long *out)
{
	cw_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = cw_store_prepare(db, SQL_USER_COUNT, &st)) != CW_OK)
		return rc;
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		*out = cw_store_col_int(st, 0);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

/* A chain not yet keyed (new, or written before keys): *plain true. */
static int chain_plain(cw_db *db, bool *plain)
{
	cw_stmt *st = NULL;
	int rc;

	if ((rc = cw_store_prepare(db, SQL_AUDIT_LAST_KEYED, &st)) != CW_OK)
		return rc;
	rc = cw_store_step(db, st);
	*plain = rc != CW_ROW || cw_store_col_int(st, 0) == 0;
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

/* The first user of a new file is its admin. */
static int add_first_admin(cw_db *db, const char *actor, int version)
{
	cw_stmt *st = NULL;
	char id[CW_ID_LEN];
	int err;

	cw_db_new_id(db, id);
	if ((err = cw_store_prepare(db, SQL_USER_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, actor);
	cw_store_bind_text(st, 3, "admin");
	cw_store_bind_date(st, 4, cw_db_today(db));
	cw_store_bind_fold(st, 5, actor);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_db_set_actor(db, actor)) != CW_OK)
		return err;
	if (version == 0 &&
	    (err = cw_audit_append(db, "db.init", NULL,
			json_pack("{s:i}", "schema", cw_db_schema_version()))) != CW_OK)
		return err;
	return cw_audit_append(db, "user.add", id,
		json_pack("{s:s,s:s}", "name", actor, "roles", "admin"));
}

int cw_db_init(cw_db *db, const char *actor)
{
	long long users;
	int version, err;
	bool plain;

	if ((err = cw_db_check_user_name(actor)) != CW_OK ||
	    (err = cw_store_migrate(db, &version)) != CW_OK ||
	    /* Keys follow the folding rule of this program, whatever wrote them. */
	    (version > 0 && (err = cw_store_refold_names(db)) != CW_OK) ||
	    /* A plain chain is keyed from here; a keyed chain whose key is
	     * missing is not given a new one (cw_store_key_create says so). */
	    (err = chain_plain(db, &plain)) != CW_OK ||
	    (plain && (err = cw_store_key_create(db)) != CW_OK) ||
	    (err = count_users(db, &users)) != CW_OK)
		return err;
	if (users == 0) {
		if ((err = add_first_admin(db, actor, version)) != CW_OK)
			return err;
		return cw_db_rules_pin_initial(db);
	}
	if ((err = cw_db_set_actor(db, actor)) != CW_OK)
		return err;
	if (version < cw_db_schema_version() &&
	    (err = cw_audit_append(db, "db.upgrade", NULL, json_pack("{s:i,s:i,s:b}",
			"from", version, "to", cw_db_schema_version(), "keyed", plain))) != CW_OK)
		return err;
	/* The entries before the key cannot say what each row was: seal every
	 * row as it stands, so a later edit behind the engine's back shows. */
	if (plain && version > 0 && (err = cw_audit_seal_all(db)) != CW_OK)
		return err;
	return cw_db_rules_pin_initial(db);
}
