#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "carewatch/user.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "lookup.h"

static const char SQL_EXISTS[] = "SELECT 1 FROM users WHERE name_key = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO users (id, name, roles, created, name_key) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_LIST[] =
	"SELECT id, name, roles, created, deactivated, deactivated_reason FROM users"
	" ORDER BY name COLLATE NOCASE";
static const char SQL_BY_ID[] =
	"SELECT id, name, roles, created, deactivated, deactivated_reason FROM users WHERE id = ?1";
static const char SQL_SET_ROLES[] = "UPDATE users SET roles = ?2 WHERE id = ?1";
static const char SQL_DEACTIVATE[] =
	"UPDATE users SET deactivated = ?2, deactivated_reason = ?3 WHERE id = ?1";
static const char SQL_END_SESSIONS[] =
	"UPDATE sessions SET ended = ?2 WHERE user_id = ?1 AND ended IS NULL";
static const char SQL_END_CALENDAR[] = "DELETE FROM calendar_tokens WHERE user_id = ?1";
/* Active admins other than ?1: a change that leaves none locks everyone out. */
static const char SQL_OTHER_ADMINS[] =
	"SELECT roles FROM users WHERE id <> ?1 AND deactivated IS NULL";

static json_t *row_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	bool off = !cw_store_col_is_null(st, 4);

	return json_pack("{s:s,s:s,s:o,s:s,s:b,s:o,s:o}",
		"id", cw_store_col_text(st, 0),
		"name", cw_store_col_text(st, 1),
		"roles", cw_store_col_json_list(st, 2),
		"created", cw_store_col_text(st, 3),
		"active", !off,
		"deactivated", off ? json_string(cw_store_col_text(st, 4)) : json_null(),
		"deactivated_reason", off ? json_string(cw_store_col_text(st, 5)) : json_null());
}

/* The user `id` as JSON. */
static int user_get(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_BY_ID, id, "user", &st)) == CW_OK)
		*out = row_json(db, st, NULL);
	cw_store_done(st);
	return err;
}

/* Check each role against the rules and return them normalised, deduplicated. */
static int normalise_roles(cw_db *db, const char *roles, cw_buf *out)
{
	const char *p = roles;

	if (!roles || !*roles)
		return cw_error_at("role", CW_EINVALID, "no role given (R[,R...])");
	while (p) {
		const char *it;
		char role[64];
		size_t n;

		p = cw_list_next(p, &it, &n);
		if (n == 0 || n >= sizeof(role))
			return cw_error_at("role", CW_EINVALID, "'%s' is not a valid list of roles", roles);
		memcpy(role, it, n);
		role[n] = '\0';
		if (!cw_rules_role_known(cw_db_rules(db), role))
			return cw_error_at("role", CW_EINVALID, "'%s' is not a role (roles: contracts,"
				" safeguarding, director, qa, admin, viewer, or those of the rules file)",
				role);
		if (!cw_list_has(cw_buf_cstr(out), role))
			cw_buf_printf(out, "%s%s", out->len ? "," : "", role);
	}
	return CW_OK;
}

int cw_user_add(cw_db *db, const char *name, const char *roles, json_t **out)
{
	cw_stmt *st = NULL;
	cw_buf norm = CW_BUF_INIT;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "user.write")) != CW_OK ||
	    (err = cw_check_entity_name("user name", name)) != CW_OK ||
	    (err = normalise_roles(db, roles, &norm)) != CW_OK)
		goto done;
	if ((err = cw_store_prepare(db, SQL_EXISTS, &st)) != CW_OK)
		goto done;
	cw_store_bind_fold(st, 1, name);
	if (cw_store_step(db, st) == CW_ROW) {
		cw_store_done(st);
		err = cw_error(CW_EREFUSED, "a user named '%s' already exists", name);
		goto done;
	}
	cw_store_done(st);
	cw_db_new_id(db, id);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, name);
	cw_store_bind_text(st, 3, cw_buf_cstr(&norm));
	cw_store_bind_text(st, 4, cw_date_format(cw_db_today(db), today));
	cw_store_bind_fold(st, 5, name);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	if ((err = cw_audit_append(db, "user.add", id, json_pack("{s:s,s:s}",
			"name", name, "roles", cw_buf_cstr(&norm)))) != CW_OK)
		goto done;
	err = user_get(db, id, out);
done:
	cw_buf_free(&norm);
	return err;
}

int cw_user_list(cw_db *db, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_LIST, &st)) != CW_OK)
		return err;
	return cw_store_rows(db, st, row_json, NULL, out);
}

/* Would an active admin remain if `id` had `roles` (NULL: were deactivated)? */
static int admin_remains(cw_db *db, const char *id, const char *roles, bool *out)
{
	cw_stmt *st = NULL;
	int err;

	*out = roles && cw_list_has(roles, "admin");
	if (*out)
		return CW_OK;
	if ((err = cw_store_prepare(db, SQL_OTHER_ADMINS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	while ((err = cw_store_step(db, st)) == CW_ROW)
		if (cw_list_has(cw_store_col_text(st, 0), "admin"))
			*out = true;
	cw_store_done(st);
	return err;
}

/* Find the user an admin names, with their current row. */
static int user_target(cw_db *db, const char *name, char id[CW_ID_LEN], json_t **user)
{
	int err;

	if ((err = cw_db_require(db, "user.write")) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_USER, name, id)) != CW_OK)
		return err;
	return user_get(db, id, user);
}

int cw_user_edit(cw_db *db, const char *name, const char *roles, json_t **out)
{
	cw_buf norm = CW_BUF_INIT, before = CW_BUF_INIT;
	json_t *user = NULL, *r;
	cw_stmt *st = NULL;
	char id[CW_ID_LEN];
	size_t i;
	bool admin;
	int err;

	if ((err = user_target(db, name, id, &user)) != CW_OK ||
	    (err = normalise_roles(db, roles, &norm)) != CW_OK)
		goto done;
	json_array_foreach(json_object_get(user, "roles"), i, r)
		cw_buf_printf(&before, "%s%s", i ? "," : "", json_string_value(r));
	if (strcmp(cw_buf_cstr(&before), cw_buf_cstr(&norm)) == 0) {
		err = cw_error_at("role", CW_EREFUSED, "%s already has the roles %s; nothing changed",
			json_string_value(json_object_get(user, "name")), cw_buf_cstr(&norm));
		goto done;
	}
	if ((err = admin_remains(db, id, cw_buf_cstr(&norm), &admin)) != CW_OK)
		goto done;
	if (!admin) {
		err = cw_error_at("role", CW_EREFUSED, "that would leave no active admin; give"
			" another user the admin role first");
		goto done;
	}
	if ((err = cw_store_prepare(db, SQL_SET_ROLES, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, cw_buf_cstr(&norm));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_audit_append(db, "user.edit", id, json_pack("{s:s,s:s,s:s}",
			"name", json_string_value(json_object_get(user, "name")),
			"before", cw_buf_cstr(&before), "after", cw_buf_cstr(&norm)))) != CW_OK)
		goto done;
	err = user_get(db, id, out);
done:
	json_decref(user);
	cw_buf_free(&norm);
	cw_buf_free(&before);
	return err;
}

int cw_user_deactivate(cw_db *db, const char *name, const char *reason, json_t **out)
{
	json_t *user = NULL;
	cw_stmt *st = NULL;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN];
	const char *uname;
	bool admin;
	int err;

	if ((err = user_target(db, name, id, &user)) != CW_OK ||
	    (err = cw_check_text("reason", reason, CW_TEXT_MAX, true)) != CW_OK)
		goto done;
	uname = json_string_value(json_object_get(user, "name"));
	if (!json_is_true(json_object_get(user, "active"))) {
		err = cw_error(CW_EREFUSED, "%s was already deactivated on %s", uname,
			json_string_value(json_object_get(user, "deactivated")));
		goto done;
	}
	if (cw_db_actor(db) && strcmp(cw_db_actor(db), uname) == 0) {
		err = cw_error(CW_EREFUSED, "you cannot deactivate yourself; ask another admin");
		goto done;
	}
	if ((err = admin_remains(db, id, NULL, &admin)) != CW_OK)
		goto done;
	if (!admin) {
		err = cw_error(CW_EREFUSED, "%s is the only active admin; give another user the"
			" admin role first", uname);
		goto done;
	}
	if ((err = cw_store_prepare(db, SQL_DEACTIVATE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, cw_date_format(cw_db_today(db), today));
	cw_store_bind_text(st, 3, reason);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	/* Their sessions and calendar feed end with them. */
	if ((err = cw_store_prepare(db, SQL_END_SESSIONS, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_int(st, 2, (long long)time(NULL));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_store_prepare(db, SQL_END_CALENDAR, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_audit_append(db, "user.deactivate", id, json_pack("{s:s,s:s,s:s}",
			"name", uname, "before", "active", "after", "deactivated",
			"reason", reason))) != CW_OK)
		goto done;
	err = user_get(db, id, out);
done:
	json_decref(user);
	return err;
}

int cw_lookup_chair(cw_db *db, const char *chair, char out[CW_ID_LEN])
{
	static const char *const casework[] = { "contracts", "safeguarding", "director", NULL };
	static const char SQL[] = "SELECT roles, deactivated FROM users WHERE id = ?1";
	const char *const *r;
	cw_stmt *st = NULL;
	char roles[512], off[CW_DATE_STRLEN] = "";
	int err;

	if ((err = cw_lookup(db, CW_KIND_USER, chair, out)) != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL, out, "user", &st)) != CW_OK)
		return err;
	snprintf(roles, sizeof(roles), "%s", cw_store_col_text(st, 0));
	if (!cw_store_col_is_null(st, 1))
		snprintf(off, sizeof(off), "%s", cw_store_col_text(st, 1));
	cw_store_done(st);
	/* A deactivated user keeps their past records, but chairs nothing new. */
	if (off[0])
		return cw_error_at("chair", CW_EREFUSED, "the chair '%s' was deactivated on %s",
			chair, off);
	for (r = casework; *r && !cw_list_has(roles, *r); r++)
		;
	if (*r)
		return CW_OK;
	return cw_error_at("chair", CW_EREFUSED, "the chair '%s' holds no casework role (roles:"
		" %s): a chair is a contracts, safeguarding or director user", chair, roles);
}
