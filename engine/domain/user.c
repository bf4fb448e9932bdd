#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	"SELECT id, name, roles, created FROM users ORDER BY name COLLATE NOCASE";
static const char SQL_BY_ID[] =
	"SELECT id, name, roles, created FROM users WHERE id = ?1";

static json_t *row_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:o,s:s}",
		"id", cw_store_col_text(st, 0),
		"name", cw_store_col_text(st, 1),
		"roles", cw_store_col_json_list(st, 2),
		"created", cw_store_col_text(st, 3));
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
	if ((err = cw_store_prepare(db, SQL_BY_ID, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	if (cw_store_step(db, st) == CW_ROW)
		*out = row_json(db, st, NULL);
	else
		err = cw_error(CW_EINTERNAL, "the new user was not stored");
	cw_store_done(st);
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

int cw_lookup_chair(cw_db *db, const char *chair, char out[CW_ID_LEN])
{
	static const char *const casework[] = { "contracts", "safeguarding", "director", NULL };
	static const char SQL[] = "SELECT roles FROM users WHERE id = ?1";
	const char *const *r;
	cw_stmt *st = NULL;
	char roles[512];
	int err;

	if ((err = cw_lookup(db, CW_KIND_USER, chair, out)) != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL, out, "user", &st)) != CW_OK)
		return err;
	snprintf(roles, sizeof(roles), "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	for (r = casework; *r && !cw_list_has(roles, *r); r++)
		;
	if (*r)
		return CW_OK;
	return cw_error_at("chair", CW_EREFUSED, "the chair '%s' holds no casework role (roles:"
		" %s): a chair is a contracts, safeguarding or director user", chair, roles);
}
