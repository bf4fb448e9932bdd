/*
 * History as it stood (SPEC §2): the record read as it was at the end of a
 * day. Every table that holds dated facts is shadowed, for the length of
 * one read, by a temporary view of the same name (SQLite looks in the temp
 * schema first), so the engine's own queries and getters, unchanged, see
 * the past: concerns received and logged by then with the likelihood then
 * in force and not yet resolved; action items added by then with the
 * status, due date, evidence and extensions of that day; cases opened by
 * then at the stage they had; meetings, QA meetings, tasks, placement
 * decisions and placements of that day or before.
 *
 * The limits are the record's: what was corrected in place (a summary, an
 * owner) shows as it is now, and facts are dated by the day, so a change
 * made later on the same day counts as of that day.
 *
 * A view's columns are the table's own (read from the schema, so a column
 * a later migration adds is there too), some replaced by their value as at
 * the day. The date goes into the view's text: views take no parameters,
 * and a cw_date formats as digits and dashes only.
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "carewatch/buf.h"
#include "carewatch/error.h"
#include "store.h"

struct column {
	const char *name, *expr;    /* the column, and what it is as at @D */
};

struct shadow {
	const char *table, *where;  /* the rows that existed at @D */
	struct column cols[12];
};

/* The item's status row in force at @D (the latest by then). */
#define STATUS_AT(col) "(SELECT h." col " FROM main.action_status h WHERE h.action_id = t.id" \
	" AND h.on_date <= @D ORDER BY h.on_date DESC, h.id DESC LIMIT 1)"

/* The day an audit entry was made for (entries before the keyed chain have
 * only their UTC time), and an entry that changed case t's action plan. */
#define AUDIT_DAY "COALESCE(au.date_used, substr(au.at, 1, 10))"
#define PLAN_CHANGE "au.action LIKE 'action.%' AND " AUDIT_DAY " <= @D AND au.entity IN" \
	" (SELECT a.id FROM main.actions a WHERE a.case_id = t.id)"

static const struct shadow shadows[] = {
	{ "concerns", "t.received <= @D AND t.created <= @D", {
		{ "likelihood", "CASE WHEN t.likelihood IS NULL THEN NULL ELSE COALESCE("
			"(SELECT r.likelihood FROM main.concern_ratings r WHERE r.concern_id = t.id"
			" AND r.rated_on <= @D ORDER BY r.rated_on DESC, r.id DESC LIMIT 1),"
			" t.first_likelihood) END" },
		{ "status", "CASE WHEN t.resolved > @D THEN 'open' ELSE t.status END" },
		{ "resolved", "CASE WHEN t.resolved > @D THEN NULL ELSE t.resolved END" },
		{ "resolve_note", "CASE WHEN t.resolved > @D THEN NULL ELSE t.resolve_note END" },
	} },
	{ "concern_ratings", "t.rated_on <= @D", { { NULL, NULL } } },
	{ "actions", "t.created <= @D", {
		{ "status", "COALESCE(" STATUS_AT("status") ", 'not_started')" },
		{ "completed", "(SELECT CASE WHEN h.status = 'completed' THEN h.on_date END"
			" FROM main.action_status h WHERE h.action_id = t.id AND h.on_date <= @D"
			" ORDER BY h.on_date DESC, h.id DESC LIMIT 1)" },
		{ "due", "COALESCE((SELECT e.from_due FROM main.action_extensions e"
			" WHERE e.action_id = t.id AND e.made > @D ORDER BY e.id LIMIT 1), t.due)" },
	} },
	{ "action_status", "t.on_date <= @D", { { NULL, NULL } } },
	{ "action_extensions", "t.made <= @D", { { NULL, NULL } } },
	{ "action_evidence", "t.on_date <= @D", { { NULL, NULL } } },
	{ "cases", "t.opened <= @D", {
		{ "stage", "COALESCE((SELECT e.to_stage FROM main.case_events e WHERE"
			" e.case_id = t.id AND e.on_date <= @D ORDER BY e.on_date DESC, e.id DESC"
			" LIMIT 1), t.stage)" },
		{ "escalated", "CASE WHEN t.escalated > @D THEN NULL ELSE t.escalated END" },
		{ "outcome", "CASE WHEN t.closed > @D THEN NULL ELSE t.outcome END" },
		{ "close_rationale", "CASE WHEN t.closed > @D THEN NULL ELSE t.close_rationale END" },
		{ "agreed_by", "CASE WHEN t.closed > @D THEN NULL ELSE t.agreed_by END" },
		{ "closed", "CASE WHEN t.closed > @D THEN NULL ELSE t.closed END" },
		/* The plan's version then: one audit entry per change of the plan. */
		{ "plan_version", "CASE WHEN t.plan_updated > @D THEN (SELECT count(*) FROM"
			" main.audit au WHERE " PLAN_CHANGE ") ELSE t.plan_version END" },
		{ "plan_updated", "CASE WHEN t.plan_updated > @D THEN (SELECT max(" AUDIT_DAY ")"
			" FROM main.audit au WHERE " PLAN_CHANGE ") ELSE t.plan_updated END" },
		{ "plan_started", "CASE WHEN t.plan_started > @D THEN NULL ELSE t.plan_started END" },
	} },
	{ "case_events", "t.on_date <= @D", { { NULL, NULL } } },
	{ "meetings", "t.date <= @D", { { NULL, NULL } } },
	{ "qa_meetings", "t.date <= @D", { { NULL, NULL } } },
	{ "tasks", "t.created <= @D", {
		{ "done", "CASE WHEN t.done > @D THEN NULL ELSE t.done END" },
		{ "done_by", "CASE WHEN t.done > @D THEN NULL ELSE t.done_by END" },
	} },
	{ "placement_controls", "t.start_date <= @D", {
		{ "end_date", "CASE WHEN t.end_date > @D THEN NULL ELSE t.end_date END" },
	} },
	{ "placements", "t.on_date <= @D", { { NULL, NULL } } },
	{ "regulator_ratings", "t.published <= @D", { { NULL, NULL } } },
};
#define NSHADOWS (sizeof(shadows) / sizeof(shadows[0]))

/* `text` with every @D replaced by the quoted date. */
static void put_dated(cw_buf *b, const char *text, const char *date)
{
	const char *at;

	while ((at = strstr(text, "@D")) != NULL) {
		cw_buf_put(b, text, (size_t)(at - text));
		cw_buf_printf(b, "'%s'", date);
		text = at + 2;
	}
	cw_buf_puts(b, text);
}

static const char *replaced(const struct shadow *s, const char *col)
{
	for (size_t i = 0; i < sizeof(s->cols) / sizeof(s->cols[0]) && s->cols[i].name; i++)
		if (strcmp(s->cols[i].name, col) == 0)
			return s->cols[i].expr;
	return NULL;
}

static int sql_error(sqlite3 *h, const char *what)
{
	return cw_error(CW_EINTERNAL, "history as it stood: %s: %s", what, sqlite3_errmsg(h));
}

/* CREATE TEMP VIEW <table> AS SELECT <columns as at the day> FROM main.<table> t WHERE ... */
static int shadow_create(sqlite3 *h, const struct shadow *s, const char *date)
{
	cw_buf b = CW_BUF_INIT, q = CW_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, n = 0, err = CW_OK;

	cw_buf_printf(&q, "PRAGMA main.table_info(%s)", s->table);
	if (sqlite3_prepare_v2(h, cw_buf_cstr(&q), -1, &st, NULL) != SQLITE_OK) {
		err = sql_error(h, s->table);
		goto done;
	}
	cw_buf_printf(&b, "CREATE TEMP VIEW %s AS SELECT ", s->table);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 1), *expr = replaced(s, col);

		cw_buf_puts(&b, n++ ? ", " : "");
		if (expr) {
			put_dated(&b, expr, date);
			cw_buf_printf(&b, " AS \"%s\"", col);
		} else {
			cw_buf_printf(&b, "t.\"%s\"", col);
		}
	}
	if (rc != SQLITE_DONE) {
		err = sql_error(h, s->table);
		goto done;
	}
	if (!n)     /* an older file without this table: nothing to shadow */
		goto done;
	cw_buf_printf(&b, " FROM main.%s t WHERE ", s->table);
	put_dated(&b, s->where, date);
	if (sqlite3_exec(h, cw_buf_cstr(&b), NULL, NULL, NULL) != SQLITE_OK)
		err = sql_error(h, s->table);
done:
	sqlite3_finalize(st);
	cw_buf_free(&b);
	cw_buf_free(&q);
	return err;
}

/* Drop the views, whatever fn left behind: a statement still stepping holds
 * the schema, so the session's statements are reset first. */
static void shadows_drop(sqlite3 *h)
{
	cw_buf b = CW_BUF_INIT;

	for (sqlite3_stmt *st = sqlite3_next_stmt(h, NULL); st; st = sqlite3_next_stmt(h, st))
		sqlite3_reset(st);
	for (size_t i = 0; i < NSHADOWS; i++)
		cw_buf_printf(&b, "DROP VIEW IF EXISTS temp.%s;", shadows[i].table);
	sqlite3_exec(h, cw_buf_cstr(&b), NULL, NULL, NULL);
	cw_buf_free(&b);
}

int cw_store_as_at(cw_db *db, cw_date day, cw_db_fn fn, void *arg)
{
	sqlite3 *h = cw_store_handle(db);
	cw_date today = cw_db_today(db);
	char date[CW_DATE_STRLEN];
	bool *active = cw_store_as_at_flag(db);
	int err = CW_OK;

	if (*active)    /* already reading the past: the outer day stands */
		return fn(db, arg);
	cw_date_format(day, date);
	*active = true;
	for (size_t i = 0; i < NSHADOWS && err == CW_OK; i++)
		err = shadow_create(h, &shadows[i], date);
	cw_db_set_today(db, day);
	if (err == CW_OK)
		err = fn(db, arg);
	cw_db_set_today(db, today);
	shadows_drop(h);
	*active = false;
	return err;
}

/* Every change has an audit entry dated with the day it was made for
 * (entries from before the keyed chain have none: then assume so). */
static const char SQL_LATER[] =
	"SELECT EXISTS (SELECT 1 FROM audit WHERE date_used IS NULL OR date_used > ?1)";

int cw_store_as_at_today(cw_db *db, cw_db_fn fn, void *arg)
{
	cw_stmt *st = NULL;
	int rc, err;
	bool later;

	if (cw_db_today(db) >= cw_date_today_utc())
		return fn(db, arg);
	/* Nothing recorded for a later day: the present is the past, read as is. */
	if ((err = cw_store_prepare(db, SQL_LATER, &st)) != CW_OK)
		return err;
	cw_store_bind_date(st, 1, cw_db_today(db));
	rc = cw_store_step(db, st);
	later = rc == CW_ROW && cw_store_col_int(st, 0);
	cw_store_done(st);
	if (rc != CW_ROW)
		return rc;
	return later ? cw_store_as_at(db, cw_db_today(db), fn, arg) : fn(db, arg);
}

struct getter {
	cw_store_get_fn fn;
	const char *key;
	json_t **out;
};

static int get_now(cw_db *db, void *arg)
{
	struct getter *g = arg;

	return g->fn(db, g->key, g->out);
}

int cw_store_as_at_today_get(cw_db *db, cw_store_get_fn fn, const char *key, json_t **out)
{
	struct getter g = { fn, key, out };

	return cw_store_as_at_today(db, get_now, &g);
}
