/*
 * The monthly QA meeting's record beyond the watch-list snapshot that
 * cw_qa_record keeps: apologies, decisions and actions, and reading the
 * meetings back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/qa.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/watchlist.h"
#include "store.h"
#include "valid.h"

static const char SQL_DETAILS[] =
	"UPDATE qa_meetings SET apologies = ?2, decisions = ?3 WHERE id = ?1";
static const char SQL_ACTION[] =
	"INSERT INTO qa_actions (qa_id, text, owner, due) VALUES (?1, ?2, ?3, ?4)";
/* An action with its number in its meeting and its latest progress, if any. */
#define QA_ACTION_COLS \
	"SELECT a.text, a.owner, a.due, row_number() OVER (ORDER BY a.id)," \
	" p.status, p.note, p.date, p.actor FROM qa_actions a" \
	" LEFT JOIN qa_action_progress p ON p.id =" \
	"  (SELECT max(x.id) FROM qa_action_progress x WHERE x.action_id = a.id)"
static const char SQL_ACTIONS[] = QA_ACTION_COLS " WHERE a.qa_id = ?1 ORDER BY a.id";
static const char SQL_NTH_ACTION[] =
	"SELECT id, text FROM qa_actions WHERE qa_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2";
static const char SQL_PROGRESS[] =
	"INSERT INTO qa_action_progress (action_id, date, status, note, actor)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_IDS[] = "SELECT id FROM qa_meetings ORDER BY date DESC";
static const char SQL_FIND[] =
	"SELECT id FROM qa_meetings WHERE date = ?1 OR (length(?1) >= 4 AND id LIKE ?1 || '%')";

/* "TEXT|OWNER|DUE" as {text, owner, due}. */
static int parse_action(const char *spec, json_t **out)
{
	const char *b1 = spec ? strchr(spec, '|') : NULL, *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
	char text[CW_NAME_MAX * 4], owner[CW_NAME_MAX + 1], due[CW_DATE_STRLEN];
	cw_date d;
	int err;

	if (!b2 || strchr(b2 + 1, '|') || b1 == spec || b2 == b1 + 1 || !b2[1])
		return cw_error_at("action", CW_EINVALID, "action '%.80s' is not TEXT|OWNER|DUE",
			spec ? spec : "");
	snprintf(text, sizeof(text), "%.*s", (int)(b1 - spec), spec);
	snprintf(owner, sizeof(owner), "%.*s", (int)(b2 - b1 - 1), b1 + 1);
	if ((err = cw_check_text("action", text, sizeof(text) - 1, true)) != CW_OK ||
	    (err = cw_check_name("action owner", owner)) != CW_OK)
		return err;
	if (cw_date_parse(b2 + 1, &d) != CW_OK)
		return cw_error_at("action", CW_EINVALID, "action '%.80s': due '%.20s' is not a date"
			" (YYYY-MM-DD or DD/MM/YYYY)", spec, b2 + 1);
	*out = json_pack("{s:s,s:s,s:s}", "text", text, "owner", owner, "due",
		cw_date_format(d, due));
	return CW_OK;
}

static int text_list(const char *what, const char *const *v, size_t n, size_t max,
	json_t **out)
{
	json_t *list = json_array();
	int err;

	for (size_t i = 0; i < n; i++) {
		if ((err = cw_check_text(what, v[i], max, true)) != CW_OK) {
			json_decref(list);
			return err;
		}
		json_array_append_new(list, json_string(v[i]));
	}
	*out = list;
	return CW_OK;
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
}

int cw_qa_record_meeting(cw_db *db, const cw_qa_args *a, json_t **out)
{
	json_t *apologies = NULL, *decisions = NULL, *actions = json_array(), *rec = NULL, *x;
	char *ap = NULL, *de = NULL;
	const char *id;
	cw_stmt *st = NULL;
	size_t i;
	int err;

	if ((err = cw_db_require(db, "qa.record")) != CW_OK ||
	    (err = text_list("apology", a->apologies, a->napologies, CW_NAME_MAX,
			&apologies)) != CW_OK ||
	    (err = text_list("decision", a->decisions, a->ndecisions, CW_TEXT_MAX,
			&decisions)) != CW_OK)
		goto done;
	for (i = 0; i < a->nactions; i++) {
		if ((err = parse_action(a->actions[i], &x)) != CW_OK)
			goto done;
		json_array_append_new(actions, x);
	}
	if ((err = cw_qa_record(db, a->date, a->present, a->npresent, &rec)) != CW_OK)
		goto done;
	id = json_string_value(json_object_get(rec, "id"));
	ap = dump(apologies);
	de = dump(decisions);
	if ((err = cw_store_prepare(db, SQL_DETAILS, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, ap);
	cw_store_bind_text(st, 3, de);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	json_array_foreach(actions, i, x) {
		if ((err = cw_store_prepare(db, SQL_ACTION, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, json_string_value(json_object_get(x, "text")));
		cw_store_bind_text(st, 3, json_string_value(json_object_get(x, "owner")));
		cw_store_bind_text(st, 4, json_string_value(json_object_get(x, "due")));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
	}
	if ((err = cw_audit_append(db, "qa.minutes", id, json_pack("{s:O,s:O,s:O}",
			"apologies", apologies, "decisions", decisions, "actions", actions))) != CW_OK)
		goto done;
	err = cw_qa_show(db, id, out);
done:
	free(ap);
	free(de);
	json_decref(apologies);
	json_decref(decisions);
	json_decref(actions);
	json_decref(rec);
	return err;
}

static json_t *col_list(cw_stmt *st, int i)
{
	json_t *v = cw_store_col_is_null(st, i) ? NULL
		: json_loads(cw_store_col_text(st, i), 0, NULL);

	return json_is_array(v) ? v : (json_decref(v), json_array());
}

static json_t *action_json(cw_db *db, cw_stmt *st, void *arg)
{
	char today[CW_DATE_STRLEN];

	bool done = !cw_store_col_is_null(st, 4) && strcmp(cw_store_col_text(st, 4), "done") == 0;
	json_t *a;

	(void)arg;
	cw_date_format(cw_db_today(db), today);
	a = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "n", (json_int_t)cw_store_col_int(st, 3),
		"text", cw_store_col_text(st, 0), "owner", cw_store_col_text(st, 1),
		"due", cw_store_col_text(st, 2),
		"status", cw_store_col_is_null(st, 4) ? "open" : cw_store_col_text(st, 4),
		"overdue", !done && strcmp(cw_store_col_text(st, 2), today) < 0);
	if (!cw_store_col_is_null(st, 4))
		json_object_set_new(a, "progress", json_pack("{s:s?,s:s,s:s}", "note",
			cw_store_col_is_null(st, 5) ? NULL : cw_store_col_text(st, 5),
			"date", cw_store_col_text(st, 6), "by", cw_store_col_text(st, 7)));
	return a;
}

static int get(cw_db *db, const char *id, void *arg, json_t **out)
{
	static const char SQL_ONE[] =
		"SELECT id, date, present, apologies, decisions, created_by, created,"
		" (SELECT count(*) FROM qa_snapshot s WHERE s.qa_id = q.id) FROM qa_meetings q"
		" WHERE id = ?1";
	cw_stmt *st = NULL;
	json_t *m, *actions = NULL;
	int err;

	(void)arg;
	if ((err = cw_store_get(db, SQL_ONE, id, "QA meeting", &st)) != CW_OK)
		return err;
	m = json_pack("{s:s,s:s,s:o,s:o,s:o,s:n,s:I,s:s,s:s}", "id", cw_store_col_text(st, 0),
		"date", cw_store_col_text(st, 1), "present", col_list(st, 2),
		"apologies", col_list(st, 3), "decisions", col_list(st, 4), "actions",
		"providers", (json_int_t)cw_store_col_int(st, 7),
		"created_by", cw_store_col_text(st, 5), "created", cw_store_col_text(st, 6));
	cw_store_done(st);
	if ((err = cw_store_prepare(db, SQL_ACTIONS, &st)) != CW_OK ||
	    (cw_store_bind_text(st, 1, id), err = cw_store_rows(db, st, action_json, NULL,
			&actions)) != CW_OK) {
		json_decref(m);
		return err;
	}
	json_object_set_new(m, "actions", actions);
	*out = m;
	return CW_OK;
}

static json_t *closure_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:s}", "ref", cw_store_col_text(st, 0),
		"provider", cw_store_col_text(st, 1), "outcome", cw_store_col_text(st, 2),
		"closed", cw_store_col_text(st, 3));
}

int cw_qa_feedback(cw_db *db, json_t **out)
{
	static const char SQL_CLOSED[] =
		"SELECT coalesce(c.ref, c.id), p.name, replace(coalesce(c.outcome, ''), '_', ' '),"
		" c.closed FROM cases c JOIN providers p ON p.id = c.provider_id"
		" WHERE c.stage = 'closed' AND c.closed > coalesce((SELECT max(date) FROM qa_meetings),"
		" '') ORDER BY c.closed, c.seq";
	static const char SQL_LAST_ACTIONS[] = QA_ACTION_COLS " WHERE a.qa_id ="
		" (SELECT id FROM qa_meetings ORDER BY date DESC LIMIT 1) ORDER BY a.id";
	cw_stmt *st = NULL;
	json_t *closures = NULL, *actions = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_CLOSED, &st)) != CW_OK ||
	    (err = cw_store_rows(db, st, closure_json, NULL, &closures)) != CW_OK ||
	    (err = cw_store_prepare(db, SQL_LAST_ACTIONS, &st)) != CW_OK ||
	    (err = cw_store_rows(db, st, action_json, NULL, &actions)) != CW_OK) {
		json_decref(closures);
		return err;
	}
	*out = json_pack("{s:o,s:o}", "closures", closures, "actions", actions);
	return CW_OK;
}

int cw_qa_list(cw_db *db, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_IDS, &st)) != CW_OK)
		return err;
	return cw_store_map_ids(db, st, get, NULL, out);
}

/* The QA meeting a person names by its date or an id prefix. */
static int find(cw_db *db, const char *ref, char id[CW_ID_LEN])
{
	cw_stmt *st = NULL;
	int rc, n = 0, err;

	if ((err = cw_store_prepare(db, SQL_FIND, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, ref ? ref : "");
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		if (n++ == 0)
			snprintf(id, CW_ID_LEN, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	if (rc != CW_OK)
		return rc;
	if (n != 1)
		return cw_error(n ? CW_EINVALID : CW_ENOTFOUND, "%s QA meeting '%.40s' (give its"
			" date or id)", n ? "more than one" : "no", ref ? ref : "");
	return CW_OK;
}

int cw_qa_show(cw_db *db, const char *ref, json_t **out)
{
	char id[CW_ID_LEN] = "";
	int err;

	if ((err = find(db, ref, id)) != CW_OK)
		return err;
	return get(db, id, NULL, out);
}

int cw_qa_progress(cw_db *db, const char *ref, long n, const char *status, const char *note,
	json_t **out)
{
	cw_stmt *st = NULL;
	char id[CW_ID_LEN] = "", today[CW_DATE_STRLEN], text[CW_TEXT_MAX + 1];
	long long action = 0;
	int err;

	if ((err = cw_db_require(db, "qa.record")) != CW_OK)
		return err;
	if (!status || (strcmp(status, "ongoing") != 0 && strcmp(status, "done") != 0))
		return cw_error_at("status", CW_EINVALID, "status '%.40s' is not ongoing or done",
			status ? status : "");
	if ((err = cw_check_text("note", note, CW_TEXT_MAX, false)) != CW_OK ||
	    (err = find(db, ref, id)) != CW_OK)
		return err;
	if (n < 1)
		return cw_error_at("action", CW_EINVALID, "action %ld: actions are numbered from 1", n);
	if ((err = cw_store_prepare(db, SQL_NTH_ACTION, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_int(st, 2, n - 1);
	if ((err = cw_store_step(db, st)) == CW_ROW) {
		action = cw_store_col_int(st, 0);
		snprintf(text, sizeof(text), "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (err != CW_ROW && err != CW_OK)
		return err;
	if (!action)
		return cw_error_at("action", CW_ENOTFOUND, "the QA meeting %.40s has no action %ld",
			ref, n);
	if ((err = cw_store_prepare(db, SQL_PROGRESS, &st)) != CW_OK)
		return err;
	cw_store_bind_int(st, 1, action);
	cw_store_bind_text(st, 2, cw_date_format(cw_db_today(db), today));
	cw_store_bind_text(st, 3, status);
	if (note && *note)
		cw_store_bind_text(st, 4, note);
	else
		cw_store_bind_null(st, 4);
	cw_store_bind_text(st, 5, cw_db_actor(db) ? cw_db_actor(db) : "");
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_audit_append(db, "qa.progress", id, json_pack("{s:I,s:s,s:s,s:s?}",
			"action", (json_int_t)n, "text", text, "status", status, "note",
			note && *note ? note : NULL))) != CW_OK)
		return err;
	return get(db, id, NULL, out);
}
