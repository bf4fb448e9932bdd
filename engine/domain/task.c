/*
 * The notification checklist. What each event asks for is data (below),
 * drawn from the protocol's checklists: appendix L (who to tell when the
 * process commences and ends, and when an embargo is placed or lifted),
 * appendix J (the protection measures of a suspension) and section 11.6
 * (who to tell of a restart).
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/task.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "case_ref.h"
#include "task_internal.h"
#include "valid.h"

const char *const cw_task_events[] = {
	"process_commenced", "embargo_placed", "embargo_lifted", "process_ended", NULL
};

/*
 * "others" in who_to_tell is replaced by the names of the other
 * commissioners. A task with an outcome is made only when the case closes
 * with that outcome.
 */
struct task_def {
	const char *event;
	const char *description;
	const char *who;
	const char *letter;
	const char *outcome;
};

static const struct task_def defs[] = {
	{ "process_commenced", "Inform the other commissioners that the provider performance"
		" process has commenced", "others", NULL, NULL },
	{ "process_commenced", "Write to the provider explaining that the service has been"
		" placed under the Provider Performance Monitoring Protocol", "the provider",
		"ppm-commenced-provider", NULL },
	{ "process_commenced", "Write to service users / representatives advising that the"
		" provider performance monitoring process has commenced",
		"service users and their representatives", "ppm-commenced-service-user", NULL },
	{ "process_commenced", "Write to the provider setting out the concerns and asking for"
		" a written response by a date (protocol 9.3)", "the provider", "concerns-provider", NULL },
	{ "embargo_placed", "Inform the regulator that new placements / packages of care"
		" have been suspended", "the regulator", NULL, NULL },
	{ "embargo_placed", "Inform the other commissioners that an embargo has been placed"
		" on the service", "others", NULL, NULL },
	{ "embargo_placed", "Inform staff and other partners that new placements / packages"
		" of care have been suspended", "staff and partner agencies", NULL, NULL },
	{ "embargo_placed", "Write to the provider setting out the rationale for the embargo",
		"the provider", "embargo-placed-provider", NULL },
	{ "embargo_placed", "Write to service users / representatives explaining that an"
		" embargo has been placed", "service users and their representatives",
		"embargo-placed-service-user", NULL },
	{ "embargo_placed", "Review all existing service users' care",
		"care management", NULL, NULL },
	{ "embargo_placed", "Monitor existing placements / care packages",
		"contract monitoring", NULL, NULL },
	{ "embargo_placed", "Offer a review to self-funding service users",
		"self-funding service users", NULL, NULL },
	{ "embargo_lifted", "Inform the regulator that placements have restarted, with the"
		" conditions", "the regulator", NULL, NULL },
	{ "embargo_lifted", "Inform the other commissioners that the embargo has been lifted",
		"others", NULL, NULL },
	{ "embargo_lifted", "Inform staff and other partners that placements have restarted,"
		" with the conditions", "staff and partner agencies", NULL, NULL },
	{ "embargo_lifted", "Write to the provider setting out the conditions of the restart"
		" and the ongoing monitoring", "the provider", "embargo-lifted-provider", NULL },
	{ "embargo_lifted", "Write to service users / representatives explaining that the"
		" embargo has been lifted and monitoring continues",
		"service users and their representatives", "embargo-lifted-service-user", NULL },
	{ "process_ended", "Inform the other commissioners that the provider performance"
		" process has ended", "others", NULL, NULL },
	{ "process_ended", "Write to the provider confirming that the service is no longer"
		" under the Provider Performance Monitoring Protocol", "the provider",
		"process-closed-provider", NULL },
	{ "process_ended", "Write to the provider confirming that the contract is terminated,"
		" with its notice period", "the provider", "contract-terminated-provider",
		"contract_terminated" },
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

static const char SQL_INSERT[] =
	"INSERT INTO tasks (id, case_id, event, description, who_to_tell, letter, created)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/* The commissioners other than the lead that contract with or decided about the provider. */
static const char SQL_OTHERS[] =
	"SELECT c.name FROM commissioners c WHERE c.is_lead = 0 AND c.id IN"
	" (SELECT commissioner_id FROM provider_commissioners pc JOIN cases k"
	"  ON k.provider_id = pc.provider_id WHERE k.id = ?1 AND pc.removed IS NULL"
	"  UNION SELECT commissioner_id FROM placement_controls WHERE case_id = ?1)"
	" ORDER BY c.name COLLATE NOCASE";
#define TASK_COLS \
	"SELECT t.id, t.case_id, p.name, t.event, t.description, t.who_to_tell, t.letter," \
	" t.created, t.done, t.done_by, t.note FROM tasks t JOIN cases c ON c.id = t.case_id" \
	" JOIN providers p ON p.id = c.provider_id"
static const char SQL_LIST[] = TASK_COLS
	" WHERE (?1 IS NULL OR t.case_id = ?1) AND (?2 = 0 OR t.done IS NULL)"
	" ORDER BY t.seq";
static const char SQL_BY_ID[] = TASK_COLS " WHERE t.id = ?1";
static const char SQL_DONE[] =
	"UPDATE tasks SET done = ?2, done_by = ?3, note = ?4 WHERE id = ?1";
static const char SQL_OUTCOME[] = "SELECT coalesce(outcome, '') FROM cases WHERE id = ?1";
static const char SQL_OPEN_COUNT[] =
	"SELECT count(*) FROM tasks WHERE case_id = ?1 AND done IS NULL";

/* "the other commissioners: Health Board, Northshire", or the plain words. */
static int others(cw_db *db, const char *case_id, cw_buf *out)
{
	cw_stmt *st = NULL;
	size_t n = 0;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_OTHERS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	cw_buf_puts(out, "the other commissioners");
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		cw_buf_printf(out, "%s%s", n++ ? ", " : ": ", cw_store_col_text(st, 0));
	cw_store_done(st);
	return rc;
}

int cw_tasks_for_event(cw_db *db, const char *case_id, const char *event)
{
	cw_stmt *st = NULL;
	json_t *ids = json_array();
	cw_buf who = CW_BUF_INIT;
	char outcome[40];
	size_t i;
	int err = CW_OK;

	if ((err = others(db, case_id, &who)) != CW_OK)
		goto done;
	if ((err = cw_store_get(db, SQL_OUTCOME, case_id, "case", &st)) != CW_OK)
		goto done;
	snprintf(outcome, sizeof(outcome), "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	st = NULL;
	for (i = 0; i < NDEFS; i++) {
		char id[CW_ID_LEN];

		if (strcmp(defs[i].event, event) != 0 ||
		    (defs[i].outcome && strcmp(defs[i].outcome, outcome) != 0))
			continue;
		cw_db_new_id(db, id);
		if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, case_id);
		cw_store_bind_text(st, 3, event);
		cw_store_bind_text(st, 4, defs[i].description);
		cw_store_bind_text(st, 5, strcmp(defs[i].who, "others") == 0
			? cw_buf_cstr(&who) : defs[i].who);
		cw_store_bind_text(st, 6, defs[i].letter);
		cw_store_bind_date(st, 7, cw_db_today(db));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
		json_array_append_new(ids, json_string(id));
	}
	if (json_array_size(ids) == 0) {
		err = cw_error(CW_EINTERNAL, "no tasks are defined for event '%s'", event);
		goto done;
	}
	err = cw_audit_append(db, "task.create", case_id,
		json_pack("{s:s,s:O}", "event", event, "tasks", ids));
done:
	json_decref(ids);
	cw_buf_free(&who);
	return err;
}

static json_t *task_json(cw_db *db, cw_stmt *st, void *arg)
{
	bool done = !cw_store_col_is_null(st, 8);

	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:s}",
		"id", cw_store_col_text(st, 0), "case_id", cw_store_col_text(st, 1),
		"provider", cw_store_col_text(st, 2), "event", cw_store_col_text(st, 3),
		"description", cw_store_col_text(st, 4), "who_to_tell", cw_store_col_text(st, 5),
		"letter", cw_store_col_json_text(st, 6), "created", cw_store_col_text(st, 7),
		"done", cw_store_col_json_text(st, 8), "done_by", cw_store_col_json_text(st, 9),
		"note", cw_store_col_json_text(st, 10), "status", done ? "done" : "open");
}

int cw_task_list(cw_db *db, const char *case_ref, bool open_only, json_t **out)
{
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	int err;

	if ((case_ref && (err = cw_case_resolve(db, case_ref, &c)) != CW_OK) ||
	    (err = cw_store_prepare(db, SQL_LIST, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_ref ? c.id : NULL);
	cw_store_bind_int(st, 2, open_only ? 1 : 0);
	return cw_store_rows(db, st, task_json, NULL, out);
}

static int task_get(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_BY_ID, id, "task", &st)) == CW_OK)
		*out = task_json(db, st, NULL);
	cw_store_done(st);
	return err;
}

int cw_task_done(cw_db *db, const char *ref, json_t **out)
{
	return cw_task_done_note(db, ref, NULL, out);
}

int cw_task_done_note(cw_db *db, const char *ref, const char *note, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *task = NULL;
	char id[CW_ID_LEN];
	int err;

	if (note && !*note)
		note = NULL;
	if ((err = cw_db_require(db, "task.write")) != CW_OK ||
	    (note && (err = cw_check_text("note", note, CW_TEXT_MAX, false)) != CW_OK) ||
	    (err = cw_lookup(db, CW_KIND_TASK, ref, id)) != CW_OK ||
	    (err = task_get(db, id, &task)) != CW_OK)
		goto done;
	if (!json_is_null(json_object_get(task, "done"))) {
		err = cw_error(CW_EREFUSED, "task %s was already done on %s by %s", id,
			json_string_value(json_object_get(task, "done")),
			json_string_value(json_object_get(task, "done_by")));
		goto done;
	}
	if ((err = cw_store_prepare(db, SQL_DONE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	cw_store_bind_text(st, 3, cw_db_actor(db));
	cw_store_bind_text(st, 4, note);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_audit_append(db, "task.done", id, json_pack("{s:s,s:s,s:o}",
			"case_id", json_string_value(json_object_get(task, "case_id")),
			"description", json_string_value(json_object_get(task, "description")),
			"note", note ? json_string(note) : json_null()))) != CW_OK)
		goto done;
	json_decref(task);
	task = NULL;
	if ((err = task_get(db, id, &task)) != CW_OK)
		goto done;
	*out = task;
	task = NULL;
done:
	json_decref(task);
	return err;
}

int cw_task_open_count(cw_db *db, const char *case_id, long *out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_OPEN_COUNT, case_id, "case", &st)) == CW_OK)
		*out = (long)cw_store_col_int(st, 0);
	cw_store_done(st);
	return err;
}
