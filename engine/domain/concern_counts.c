/*
 * Open concerns counted rather than listed (include/carewatch/concern.h):
 * what the heat map and the watch list's team filter need, without building
 * the JSON of every open concern (17,000 of them in a region).
 */
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "store.h"
#include "lookup.h"

static const char SQL_MATRIX[] =
	"SELECT likelihood, impact, count(*) FROM concerns"
	" WHERE status = 'open' AND positive = 0 AND likelihood IS NOT NULL"
	" AND (?1 IS NULL OR provider_id = ?1) GROUP BY likelihood, impact";
static const char SQL_TEAM[] =
	"SELECT DISTINCT provider_id FROM concerns"
	" WHERE status = 'open' AND positive = 0 AND team = ?1";

static json_t *cell_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:I,s:I,s:I}", "likelihood", (json_int_t)cw_store_col_int(st, 0),
		"impact", (json_int_t)cw_store_col_int(st, 1),
		"count", (json_int_t)cw_store_col_int(st, 2));
}

int cw_concern_matrix_counts(cw_db *db, const char *provider, json_t **out)
{
	char pid[CW_ID_LEN];
	cw_stmt *st = NULL;
	int err;

	if ((provider && (err = cw_lookup(db, CW_KIND_PROVIDER, provider, pid)) != CW_OK) ||
	    (err = cw_store_prepare(db, SQL_MATRIX, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, provider ? pid : NULL);
	return cw_store_rows(db, st, cell_json, NULL, out);
}

int cw_concern_team_providers(cw_db *db, const char *team, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_TEAM, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, team);
	return cw_store_text_list(db, st, out);
}
