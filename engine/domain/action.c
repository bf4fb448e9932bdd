/*
 * The action plan: items, their extensions and evidence. Every change
 * raises the case's plan version in the same transaction as its audit entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/action.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "case_ref.h"

const char *const cw_action_kinds[] = { "CA", "DA", NULL };
const char *const cw_action_statuses[] = { "not_started", "ongoing", "completed", NULL };

static const char SQL_BY_ID[] =
	"SELECT a.id, a.case_id, a.concern_id, a.kind, a.improvement, a.owner, a.due,"
	" a.status, a.completed, a.created, a.created_by, c.likelihood, c.impact, c.status,"
	" a.ref, c.ref, k.ref, k.provider_id, p.name"
	" FROM actions a JOIN concerns c ON c.id = a.concern_id JOIN cases k ON k.id = a.case_id"
	" JOIN providers p ON p.id = k.provider_id WHERE a.id = ?1";
static const char SQL_IDS_OF_CASE[] =
	"SELECT id FROM actions WHERE case_id = ?1 ORDER BY due, created, id";
static const char SQL_EXTENSIONS[] =
	"SELECT made, from_due, to_due, rationale, actor FROM action_extensions"
	" WHERE action_id = ?1 ORDER BY id";
static const char SQL_EVIDENCE[] =
	"SELECT on_date, text, actor FROM action_evidence WHERE action_id = ?1 ORDER BY id";
static const char SQL_CONCERN[] =
	"SELECT provider_id, status, positive, likelihood IS NOT NULL FROM concerns WHERE id = ?1";
static const char SQL_PROVIDER_NAME[] = "SELECT name FROM providers WHERE id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO actions (id, case_id, concern_id, kind, improvement, owner, due, status,"
	" created, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'not_started', ?8, ?9)";
static const char SQL_SET_DUE[] = "UPDATE actions SET due = ?2 WHERE id = ?1";
static const char SQL_SET_STATUS[] =
	"UPDATE actions SET status = ?2, completed = ?3 WHERE id = ?1";
static const char SQL_STATUS_HISTORY[] =
	"INSERT INTO action_status (action_id, on_date, status, actor) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_INSERT_EXTENSION[] =
	"INSERT INTO action_extensions (action_id, made, from_due, to_due, rationale, actor)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_INSERT_EVIDENCE[] =
	"INSERT INTO action_evidence (action_id, on_date, text, actor) VALUES (?1, ?2, ?3, ?4)";
/* plan_started is the date of the first item; plan_updated of the last change. */
static const char SQL_PLAN_BUMP[] =
	"UPDATE cases SET plan_version = plan_version + 1, plan_updated = ?2,"
	" plan_started = COALESCE(plan_started, ?2) WHERE id = ?1";

/* What a change needs to know about an item. */
struct item {
	char id[CW_ID_LEN];
	char case_id[CW_ID_LEN];
	char due[CW_DATE_STRLEN];
	char status[16];
	char completed[CW_DATE_STRLEN];
};

static bool is_overdue(cw_db *db, const char *status, const char *due)
{
	cw_date d;

	return strcmp(status, "completed") != 0 && cw_date_parse(due, &d) == CW_OK &&
		cw_db_today(db) > d;
}

static json_t *extension_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:s,s:s}",
		"made", cw_store_col_text(st, 0), "from", cw_store_col_text(st, 1),
		"to", cw_store_col_text(st, 2), "rationale", cw_store_col_text(st, 3),
		"by", cw_store_col_text(st, 4));
}

static json_t *evidence_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s}",
		"date", cw_store_col_text(st, 0), "text", cw_store_col_text(st, 1),
		"by", cw_store_col_text(st, 2));
}

/* The item's extensions and evidence, oldest first, into `obj`. */
static int history_json(cw_db *db, const char *id, json_t *obj)
{
	cw_stmt *st = NULL;
	json_t *list = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_EXTENSIONS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if ((err = cw_store_rows(db, st, extension_json, NULL, &list)) != CW_OK)
		return err;
	json_object_set_new(obj, "extensions", list);
	if ((err = cw_store_prepare(db, SQL_EVIDENCE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if ((err = cw_store_rows(db, st, evidence_json, NULL, &list)) != CW_OK)
		return err;
	json_object_set_new(obj, "evidence", list);
	return CW_OK;
}

static int item_json(cw_db *db, const char *id, json_t **out)
{
	const cw_rules *r = cw_db_rules(db);
	cw_stmt *st = NULL;
	json_t *obj;
	int err, l, i;
	const char *band;

	if ((err = cw_store_get(db, SQL_BY_ID, id, "action", &st)) != CW_OK)
		return err;
	l = (int)cw_store_col_int(st, 11);
	i = (int)cw_store_col_int(st, 12);
	band = cw_band_name(cw_rules_band(r, cw_rules_score(l, i)));
	obj = json_pack("{s:s,s:o,s:s,s:o,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:i,s:i,"
		"s:i,s:s?,s:s,s:s,s:s}",
		"id", cw_store_col_text(st, 0), "ref", cw_store_col_json_text(st, 14),
		"case_id", cw_store_col_text(st, 1), "case_ref", cw_store_col_json_text(st, 16),
		"concern_id", cw_store_col_text(st, 2), "concern_ref", cw_store_col_json_text(st, 15),
		"provider_id", cw_store_col_text(st, 17), "provider", cw_store_col_text(st, 18),
		"kind", cw_store_col_text(st, 3),
		"improvement", cw_store_col_text(st, 4), "owner", cw_store_col_text(st, 5),
		"due", cw_store_col_text(st, 6), "status", cw_store_col_text(st, 7),
		"completed", cw_store_col_json_text(st, 8),
		"overdue", is_overdue(db, cw_store_col_text(st, 7), cw_store_col_text(st, 6)),
		"likelihood", l, "impact", i, "score", cw_rules_score(l, i), "band", band,
		"concern_status", cw_store_col_text(st, 13),
		"created", cw_store_col_text(st, 9), "created_by", cw_store_col_text(st, 10));
	cw_store_done(st);
	if ((err = history_json(db, id, obj)) != CW_OK) {
		json_decref(obj);
		return err;
	}
	*out = obj;
	return CW_OK;
}

/* Load an item by id or prefix; its case must still be open to change it. */
static int item_load(cw_db *db, const char *ref, bool for_change, struct item *it)
{
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	int err;

	memset(it, 0, sizeof(*it));
	if ((err = cw_lookup(db, CW_KIND_ACTION, ref, it->id)) != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL_BY_ID, it->id, NULL, &st)) == CW_OK) {
		snprintf(it->case_id, sizeof(it->case_id), "%s", cw_store_col_text(st, 1));
		snprintf(it->due, sizeof(it->due), "%s", cw_store_col_text(st, 6));
		snprintf(it->status, sizeof(it->status), "%s", cw_store_col_text(st, 7));
		snprintf(it->completed, sizeof(it->completed), "%s", cw_store_col_text(st, 8));
	}
	cw_store_done(st);
	if (err != CW_OK)
		return err == CW_ENOTFOUND ? cw_error(CW_ENOTFOUND, "no action '%s'", ref) : err;
	if (!for_change)
		return CW_OK;
	if ((err = cw_case_resolve(db, it->case_id, &c)) != CW_OK)
		return err;
	if (strcmp(c.stage, "closed") == 0)
		return cw_error(CW_EREFUSED, "case %s is closed: its action plan can no longer change",
			cw_case_name(&c));
	return CW_OK;
}

static int plan_bump(cw_db *db, const char *case_id)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_PLAN_BUMP, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	return cw_store_exec_stmt(db, st);
}

/* A dated row of the item's status history (action_status). */
static int status_history(cw_db *db, const char *id, const char *status)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_STATUS_HISTORY, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	cw_store_bind_text(st, 3, status);
	cw_store_bind_text(st, 4, cw_db_actor(db));
	return cw_store_exec_stmt(db, st);
}

/*
 * Every change to an item's status or due date goes through here (progress,
 * complete, extend; a withdrawal too), so its history is written once: a
 * new status gets a dated row in action_status, which is what a record
 * printed later reads. NULL keeps `status` or `due` as it is. A completion
 * keeps its first date; leaving "completed" clears it.
 */
static int item_set(cw_db *db, const struct item *it, const char *status, const char *due)
{
	cw_stmt *st = NULL;
	const char *completed = NULL;
	char today[CW_DATE_STRLEN];
	int err;

	if (due) {
		if ((err = cw_store_prepare(db, SQL_SET_DUE, &st)) != CW_OK)
			return err;
		cw_store_bind_text(st, 1, it->id);
		cw_store_bind_text(st, 2, due);
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			return err;
	}
	if (!status || strcmp(status, it->status) == 0)
		return CW_OK;
	if (strcmp(status, "completed") == 0)
		completed = cw_date_format(cw_db_today(db), today);
	if ((err = cw_store_prepare(db, SQL_SET_STATUS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, it->id);
	cw_store_bind_text(st, 2, status);
	cw_store_bind_text(st, 3, completed);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		return err;
	return status_history(db, it->id, status);
}

/* The concern must be an open, scored concern of the case's provider. */
static int check_concern(cw_db *db, const struct cw_case_ref *c, const char *concern_id)
{
	cw_stmt *st = NULL;
	char pid[CW_ID_LEN] = "";
	int rc, err = CW_OK;

	if ((err = cw_store_get(db, SQL_CONCERN, concern_id, "concern", &st)) != CW_OK)
		return err;
	snprintf(pid, sizeof(pid), "%s", cw_store_col_text(st, 0));
	if (strcmp(pid, c->provider_id) != 0)
		err = CW_EREFUSED;   /* named below, once the statement is done */
	else if (cw_store_col_int(st, 2) || !cw_store_col_int(st, 3))
		err = cw_error(CW_EREFUSED, "concern %s is positive feedback: an action item"
			" addresses a scored concern", concern_id);
	else if (strcmp(cw_store_col_text(st, 1), "open") != 0)
		err = cw_error(CW_EREFUSED, "concern %s is %s: an action item addresses an"
			" open concern", concern_id, cw_store_col_text(st, 1));
	cw_store_done(st);
	if (err == CW_EREFUSED && strcmp(pid, c->provider_id) != 0) {
		char name[CW_NAME_MAX + 1] = "";

		if ((rc = cw_store_get(db, SQL_PROVIDER_NAME, pid, NULL, &st)) == CW_OK)
			snprintf(name, sizeof(name), "%s", cw_store_col_text(st, 0));
		cw_store_done(st);
		if (rc != CW_OK && rc != CW_ENOTFOUND)
			return rc;
		err = cw_error(CW_EREFUSED, "concern %s is about provider '%s', not the"
			" provider of case %s", concern_id, name, cw_case_name(c));
	}
	return err;
}

int cw_action_add(cw_db *db, const cw_action_add_args *a, json_t **out)
{
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	char id[CW_ID_LEN], concern[CW_ID_LEN], due[CW_DATE_STRLEN], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "action.write")) != CW_OK ||
	    (err = cw_check_enum("kind", a->kind, cw_action_kinds)) != CW_OK ||
	    (err = cw_check_text("improvement", a->improvement, CW_TEXT_MAX, true)) != CW_OK ||
	    (err = cw_check_name("owner", a->owner)) != CW_OK ||
	    (err = cw_case_resolve(db, a->case_ref, &c)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_CONCERN, a->concern, concern)) != CW_OK)
		return err;
	if (strcmp(c.stage, "closed") == 0)
		return cw_error(CW_EREFUSED, "case %s is closed: its action plan can no longer change",
			cw_case_name(&c));
	if ((err = check_concern(db, &c, concern)) != CW_OK)
		return err;
	if (a->due < cw_db_today(db))
		return cw_error_at("due", CW_EINVALID, "the due date %s is before today (%s):"
			" an action item is due on or after the day it is added",
			cw_date_format(a->due, due), cw_date_format(cw_db_today(db), today));
	cw_db_new_id(db, id);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, c.id);
	cw_store_bind_text(st, 3, concern);
	cw_store_bind_text(st, 4, a->kind);
	cw_store_bind_text(st, 5, a->improvement);
	cw_store_bind_text(st, 6, a->owner);
	cw_store_bind_text(st, 7, cw_date_format(a->due, due));
	cw_store_bind_text(st, 8, cw_date_format(cw_db_today(db), today));
	cw_store_bind_text(st, 9, cw_db_actor(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = status_history(db, id, "not_started")) != CW_OK ||
	    (err = plan_bump(db, c.id)) != CW_OK ||
	    (err = cw_audit_append(db, "action.add", id, json_pack(
			"{s:s,s:s,s:s,s:s,s:s,s:s}", "case_id", c.id, "concern_id", concern,
			"kind", a->kind, "improvement", a->improvement, "owner", a->owner,
			"due", due))) != CW_OK)
		return err;
	return item_json(db, id, out);
}

int cw_action_extend(cw_db *db, const char *ref, cw_date due, const char *rationale,
	json_t **out)
{
	cw_stmt *st = NULL;
	struct item it;
	char to[CW_DATE_STRLEN];
	int err;

	/* An extension without its reason is refused before anything is read. */
	if ((err = cw_db_require(db, "action.write")) != CW_OK ||
	    (err = cw_check_text("rationale", rationale, CW_TEXT_MAX, true)) != CW_OK ||
	    (err = item_load(db, ref, true, &it)) != CW_OK)
		return err;
	if (strcmp(it.status, "completed") == 0)
		return cw_error(CW_EREFUSED, "action %s was completed on %s: there is nothing to extend",
			it.id, it.completed);
	cw_date_format(due, to);
	if (strcmp(to, it.due) == 0)
		return cw_error_at("due", CW_EINVALID, "action %s is already due on %s", it.id, to);
	if (strcmp(to, it.due) < 0)
		return cw_error_at("due", CW_EINVALID, "action %s is due on %s: an extension moves"
			" the due date later, and %s is earlier", it.id, it.due, to);
	if ((err = cw_store_prepare(db, SQL_INSERT_EXTENSION, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, it.id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	cw_store_bind_text(st, 3, it.due);
	cw_store_bind_text(st, 4, to);
	cw_store_bind_text(st, 5, rationale);
	cw_store_bind_text(st, 6, cw_db_actor(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = item_set(db, &it, NULL, to)) != CW_OK ||
	    (err = plan_bump(db, it.case_id)) != CW_OK ||
	    (err = cw_audit_append(db, "action.extend", it.id, json_pack(
			"{s:s,s:s,s:s,s:s}", "case_id", it.case_id, "from", it.due,
			"to", to, "rationale", rationale))) != CW_OK)
		return err;
	return item_json(db, it.id, out);
}

int cw_action_progress(cw_db *db, const char *ref, const char *status,
	const char *evidence, json_t **out)
{
	cw_stmt *st = NULL;
	struct item it;
	char today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "action.write")) != CW_OK ||
	    (err = cw_check_enum("status", status, cw_action_statuses)) != CW_OK ||
	    (evidence && (err = cw_check_text("evidence", evidence, CW_TEXT_MAX, true)) != CW_OK) ||
	    (err = item_load(db, ref, true, &it)) != CW_OK)
		return err;
	if (strcmp(status, it.status) == 0 && !evidence)
		return item_json(db, it.id, out);   /* nothing changes, nothing is written */
	cw_date_format(cw_db_today(db), today);
	if ((err = item_set(db, &it, status, NULL)) != CW_OK)
		return err;
	if (evidence) {
		if ((err = cw_store_prepare(db, SQL_INSERT_EVIDENCE, &st)) != CW_OK)
			return err;
		cw_store_bind_text(st, 1, it.id);
		cw_store_bind_text(st, 2, today);
		cw_store_bind_text(st, 3, evidence);
		cw_store_bind_text(st, 4, cw_db_actor(db));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			return err;
	}
	if ((err = plan_bump(db, it.case_id)) != CW_OK ||
	    (err = cw_audit_append(db, "action.progress", it.id, json_pack(
			"{s:s,s:s,s:s,s:s?}", "case_id", it.case_id, "from", it.status,
			"to", status, "evidence", evidence))) != CW_OK)
		return err;
	return item_json(db, it.id, out);
}

int cw_action_show(cw_db *db, const char *ref, json_t **out)
{
	struct item it;
	int err;

	if ((err = item_load(db, ref, false, &it)) != CW_OK)
		return err;
	return item_json(db, it.id, out);
}

/* An item of the list; with `overdue_only` (arg), only the overdue ones. */
static int list_item(cw_db *db, const char *id, void *arg, json_t **out)
{
	const bool *overdue_only = arg;
	int err;

	if ((err = item_json(db, id, out)) != CW_OK)
		return err;
	if (*overdue_only && !json_is_true(json_object_get(*out, "overdue"))) {
		json_decref(*out);
		*out = NULL;
	}
	return CW_OK;
}

int cw_action_list(cw_db *db, const char *case_ref, bool overdue_only, json_t **out)
{
	return cw_case_items(db, case_ref, SQL_IDS_OF_CASE, list_item, &overdue_only, out);
}
