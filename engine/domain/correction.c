/*
 * The corrections table and the audit entry of a correction: one shape for
 * every `edit`, `withdraw`, `close`, `cancel` and `lift`.
 */
#include <string.h>
#include "correction.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "carewatch/rules.h"
#include "store.h"
#include "valid.h"

static const char SQL_INSERT[] =
	"INSERT INTO corrections (entity, entity_id, label, provider_id, field, before, after,"
	" reason, actor, on_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
#define FIX_COLS "SELECT field, before, after, reason, actor, on_date, entity, entity_id, label" \
	" FROM corrections"
static const char SQL_OF_ENTITY[] = FIX_COLS " WHERE entity_id = ?1 ORDER BY id";
static const char SQL_OF_PROVIDER[] = FIX_COLS " WHERE provider_id = ?1 ORDER BY id";

int cw_fix_check_reason(const char *reason)
{
	if (!reason || !*reason)
		return cw_error_at("reason", CW_EINVALID,
			"a correction needs a reason (--reason TEXT)");
	return cw_check_text("reason", reason, CW_TEXT_MAX, true);
}

int cw_fix_decision_role(cw_db *db, const char *what)
{
	const char *role = cw_rules_string(cw_db_rules(db), "decision_role");

	if (role && cw_list_has(cw_db_actor_roles(db), role))
		return CW_OK;
	return cw_error(CW_EREFUSED, "%s is for the decision role (%s)", what,
		role ? role : "none set");
}

void cw_fix_begin(cw_fix *f, const char *entity, const char *id, const char *label,
	const char *provider_id, const char *reason)
{
	f->entity = entity;
	f->id = id;
	f->label = label;
	f->provider_id = provider_id;
	f->reason = reason;
	f->changes = json_array();
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int cw_fix_field(cw_db *db, cw_fix *f, const char *field, const char *before,
	const char *after)
{
	cw_stmt *st = NULL;
	int err;

	if (same(before, after))
		return CW_OK;
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, f->entity);
	cw_store_bind_text(st, 2, f->id);
	cw_store_bind_text(st, 3, f->label);
	cw_store_bind_text(st, 4, f->provider_id);
	cw_store_bind_text(st, 5, field);
	cw_store_bind_text(st, 6, before);
	cw_store_bind_text(st, 7, after);
	cw_store_bind_text(st, 8, f->reason);
	cw_store_bind_text(st, 9, cw_db_actor(db));
	cw_store_bind_date(st, 10, cw_db_today(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		return err;
	json_array_append_new(f->changes, json_pack("{s:s,s:s?,s:s?}", "field", field,
		"before", before, "after", after));
	return CW_OK;
}

size_t cw_fix_count(const cw_fix *f)
{
	return json_array_size(f->changes);
}

int cw_fix_commit(cw_db *db, cw_fix *f, const char *action, json_t *extra)
{
	json_t *d = json_pack("{s:s,s:O}", "reason", f->reason, "changes", f->changes);

	if (extra) {
		json_object_update_missing(d, extra);
		json_decref(extra);
	}
	cw_fix_free(f);
	return cw_audit_append(db, action, f->id, d);
}

void cw_fix_free(cw_fix *f)
{
	json_decref(f->changes);
	f->changes = NULL;
}

static json_t *fix_json(cw_db *db, cw_stmt *st, void *arg)
{
	json_t *o = json_object();

	(void)db;
	json_object_set_new(o, "field", json_string(cw_store_col_text(st, 0)));
	json_object_set_new(o, "before", cw_store_col_json_text(st, 1));
	json_object_set_new(o, "after", cw_store_col_json_text(st, 2));
	json_object_set_new(o, "reason", json_string(cw_store_col_text(st, 3)));
	json_object_set_new(o, "by", json_string(cw_store_col_text(st, 4)));
	json_object_set_new(o, "at", json_string(cw_store_col_text(st, 5)));
	if (arg) {
		json_object_set_new(o, "entity", json_string(cw_store_col_text(st, 6)));
		json_object_set_new(o, "entity_id", json_string(cw_store_col_text(st, 7)));
		json_object_set_new(o, "label", json_string(cw_store_col_text(st, 8)));
	}
	return o;
}

static int history(cw_db *db, const char *sql, const char *id, bool wide, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	return cw_store_rows(db, st, fix_json, wide ? (void *)"wide" : NULL, out);
}

int cw_fix_history(cw_db *db, const char *entity_id, json_t **out)
{
	return history(db, SQL_OF_ENTITY, entity_id, false, out);
}

int cw_fix_provider_history(cw_db *db, const char *provider_id, json_t **out)
{
	return history(db, SQL_OF_PROVIDER, provider_id, true, out);
}
