/* Commissioners, and the one lead commissioner that runs the protocol. */
#include <stdio.h>
#include "carewatch/commissioner.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "store.h"
#include "valid.h"

const char *const cw_commissioner_kinds[] = {
	"local_authority", "health_board", "other", NULL
};

static const char SQL_EXISTS[] = "SELECT name FROM commissioners WHERE name_key = ?1";
static const char SQL_LEAD[] =
	"SELECT name FROM commissioners WHERE is_lead = 1 LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO commissioners (id, name, kind, is_lead, created, name_key)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_LIST[] =
	"SELECT id, name, kind, is_lead FROM commissioners ORDER BY name COLLATE NOCASE";
static const char SQL_BY_ID[] =
	"SELECT id, name, kind, is_lead FROM commissioners WHERE id = ?1";

static json_t *row_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:b}",
		"id", cw_store_col_text(st, 0),
		"name", cw_store_col_text(st, 1),
		"kind", cw_store_col_text(st, 2),
		"lead", cw_store_col_int(st, 3) != 0);
}

int cw_commissioner_add(cw_db *db, const char *name, const char *kind,
	bool lead, json_t **out)
{
	cw_stmt *st = NULL;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN], other[CW_NAME_MAX + 1];
	int err, rc;

	if (!kind)
		kind = "local_authority";
	if ((err = cw_db_require(db, "commissioner.write")) != CW_OK ||
	    (err = cw_check_entity_name("commissioner name", name)) != CW_OK ||
	    (err = cw_check_enum("commissioner kind", kind, cw_commissioner_kinds)) != CW_OK)
		goto done;
	if ((err = cw_store_first_text(db, SQL_EXISTS, name, other, sizeof(other))) != CW_OK)
		goto done;
	if (other[0]) {
		err = cw_error(CW_EREFUSED, "a commissioner named '%s' already exists", other);
		goto done;
	}
	/*
	 * The lead commissioner runs the protocol and alone moves a case into
	 * and out of embargo, so there must never be two. The command holds the
	 * write lock, so the check and the insert cannot interleave with another.
	 */
	if (lead) {
		if ((err = cw_store_first_text(db, SQL_LEAD, NULL, other, sizeof(other))) != CW_OK)
			goto done;
		if (other[0]) {
			err = cw_error(CW_EREFUSED,
				"'%s' is already the lead commissioner; there can be only one", other);
			goto done;
		}
	}
	cw_db_new_id(db, id);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, name);
	cw_store_bind_text(st, 3, kind);
	cw_store_bind_int(st, 4, lead ? 1 : 0);
	cw_store_bind_text(st, 5, cw_date_format(cw_db_today(db), today));
	cw_store_bind_fold(st, 6, name);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	if ((err = cw_audit_append(db, "commissioner.add", id, json_pack("{s:s,s:s,s:b}",
			"name", name, "kind", kind, "lead", lead))) != CW_OK)
		goto done;
	if ((err = cw_store_prepare(db, SQL_BY_ID, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	rc = cw_store_step(db, st);
	if (rc == CW_ROW)
		*out = row_json(db, st, NULL);
	else
		err = rc == CW_OK
			? cw_error(CW_EINTERNAL, "the new commissioner was not stored")
			: rc;
	cw_store_done(st);
done:
	return err;
}

int cw_commissioner_list(cw_db *db, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_LIST, &st)) != CW_OK)
		return err;
	return cw_store_rows(db, st, row_json, NULL, out);
}
