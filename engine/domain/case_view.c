/*
 * Reading cases: their JSON (SPEC §8), history and flags. Naming a case is
 * engine/domain/case_ref.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/words.h"
#include "flags.h"
#include "carewatch/placement.h"
#include "carewatch/task.h"
#include "lookup.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "case_ref.h"
#include "case_view.h"

#define CASE_COLS \
	"SELECT c.id, c.provider_id, p.name, c.stage, c.opened, c.reason, c.opened_by," \
	" c.\"trigger\", c.trigger_note, u.name, c.escalated, c.outcome, c.closed," \
	" c.close_rationale, c.agreed_by, c.plan_version, c.plan_started, c.plan_updated, c.ref" \
	" FROM cases c JOIN providers p ON p.id = c.provider_id" \
	" LEFT JOIN users u ON u.id = c.chair"
static const char SQL_CASE_BY_ID[] = CASE_COLS " WHERE c.id = ?1";
static const char SQL_CASE_IDS[] =
	"SELECT c.id FROM cases c JOIN providers p ON p.id = c.provider_id"
	" WHERE ?1 IS NULL OR c.stage = ?1"
	" ORDER BY c.stage = 'closed', p.name COLLATE NOCASE, c.opened, c.id";
static const char SQL_EVENTS[] =
	"SELECT on_date, actor, command, from_stage, to_stage, rationale, override"
	" FROM case_events WHERE case_id = ?1 ORDER BY id";
static const char SQL_CASE_REF[] = "SELECT ref FROM cases WHERE id = ?1";
static const char SQL_PLAN_COUNTS[] =
	"SELECT count(*), coalesce(sum(CASE WHEN status <> 'completed' THEN 1 ELSE 0 END), 0),"
	" coalesce(sum(CASE WHEN status <> 'completed' AND due < ?2 THEN 1 ELSE 0 END), 0)"
	" FROM actions WHERE case_id = ?1";

/*
 * The suspensions and conditions an earlier case of the provider left in
 * force: a new case does not take them over silently. They stand (a
 * decision ends only by a restart or a lift) and are named with the case
 * that made them, so the people opening the new case see them.
 */
static int earlier_conditions(cw_db *db, const char *case_id, const json_t *placements,
	json_t **out)
{
	json_t *list = json_array(), *p;
	cw_stmt *st = NULL;
	size_t i;
	int err;

	json_array_foreach(placements, i, p) {
		const char *from = json_string_value(json_object_get(p, "case_id"));
		json_t *e;

		if (!from || strcmp(from, case_id) == 0 ||
		    strcmp(json_string_value(json_object_get(p, "status")), "open") == 0)
			continue;
		if ((err = cw_store_get(db, SQL_CASE_REF, from, "case", &st)) != CW_OK) {
			cw_store_done(st);
			json_decref(list);
			return err;
		}
		e = json_deep_copy(p);
		json_object_set_new(e, "case_ref", cw_store_col_json_text(st, 0));
		cw_store_done(st);
		json_array_append_new(list, e);
	}
	*out = list;
	return CW_OK;
}

/*
 * The provider's flags, from the one flag engine (engine/domain/flags.c). The
 * engine reads the provider's open case itself, so the flags of a case, of
 * its provider and of the watch list cannot disagree; `stage` is what the
 * caller believes and is not needed.
 */
int cw_case_flags(cw_db *db, const char *provider_id, const char *stage, json_t **out)
{
	(void)stage;
	return cw_flags_provider(db, provider_id, out);
}

/* The letters the flags suggest writing (SPEC §4), as a new array. */
static json_t *suggested_letters(const json_t *flags)
{
	json_t *letters = json_array(), *f;
	size_t i;

	json_array_foreach(flags, i, f)
		if (strcmp(json_string_value(f), "provider_not_engaging") == 0)
			json_array_append_new(letters, json_string("lack-of-engagement-provider"));
	return letters;
}

static int events_json(cw_db *db, const char *id, json_t *obj)
{
	cw_stmt *st = NULL;
	json_t *events = json_array(), *overrides = json_array();
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_EVENTS, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		json_array_append_new(events, json_pack("{s:s,s:s,s:s,s:o,s:s,s:o,s:o}",
			"date", cw_store_col_text(st, 0), "actor", cw_store_col_text(st, 1),
			"command", cw_store_col_text(st, 2), "from", cw_store_col_json_text(st, 3),
			"to", cw_store_col_text(st, 4), "rationale", cw_store_col_json_text(st, 5),
			"override", cw_store_col_json_text(st, 6)));
		if (!cw_store_col_is_null(st, 6))
			json_array_append_new(overrides, json_pack("{s:s,s:s,s:s,s:s}",
				"date", cw_store_col_text(st, 0), "actor", cw_store_col_text(st, 1),
				"command", cw_store_col_text(st, 2), "reason", cw_store_col_text(st, 6)));
	}
	cw_store_done(st);
	if (rc != CW_OK) {
		err = rc;
		goto done;
	}
	json_object_set(obj, "events", events);
	json_object_set(obj, "overrides", overrides);
done:
	json_decref(events);
	json_decref(overrides);
	return err;
}

int cw_case_to_json(cw_db *db, const char *id, bool full, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *obj = NULL, *flags = NULL, *placements = NULL;
	char pid[CW_ID_LEN], stage[32];
	long long counts[3] = { 0, 0, 0 };
	long open_tasks = 0;
	int rc, err, i;

	if ((err = cw_store_get(db, SQL_CASE_BY_ID, id, "case", &st)) != CW_OK) {
		cw_store_done(st);
		return err;
	}
	snprintf(pid, sizeof(pid), "%s", cw_store_col_text(st, 1));
	snprintf(stage, sizeof(stage), "%s", cw_store_col_text(st, 3));
	obj = json_pack("{s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		"id", cw_store_col_text(st, 0), "ref", cw_store_col_json_text(st, 18), "provider_id", pid,
		"provider", cw_store_col_text(st, 2), "stage", stage,
		"opened", cw_store_col_text(st, 4), "reason", cw_store_col_text(st, 5),
		"opened_by", cw_store_col_text(st, 6),
		"trigger", cw_store_col_json_text(st, 7), "trigger_note", cw_store_col_json_text(st, 8),
		"chair", cw_store_col_json_text(st, 9), "escalated", cw_store_col_json_text(st, 10),
		"outcome", cw_store_col_json_text(st, 11), "closed", cw_store_col_json_text(st, 12),
		"close_rationale", cw_store_col_json_text(st, 13),
		"agreed_by", cw_store_col_json_list(st, 14));
	json_object_set_new(obj, "plan_version", json_integer(cw_store_col_int(st, 15)));
	json_object_set_new(obj, "plan_started", cw_store_col_json_text(st, 16));
	json_object_set_new(obj, "plan_updated", cw_store_col_json_text(st, 17));
	cw_store_done(st);
	if ((err = cw_store_prepare(db, SQL_PLAN_COUNTS, &st)) != CW_OK)
		goto fail;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		for (i = 0; i < 3; i++)
			counts[i] = cw_store_col_int(st, i);
	cw_store_done(st);
	if (rc != CW_ROW) {
		err = rc != CW_OK ? rc : cw_error(CW_EINTERNAL, "case %s: no plan counts", id);
		goto fail;
	}
	json_object_set_new(obj, "actions", json_integer((json_int_t)counts[0]));
	json_object_set_new(obj, "open_actions", json_integer((json_int_t)counts[1]));
	json_object_set_new(obj, "overdue_actions", json_integer((json_int_t)counts[2]));
	if ((err = cw_placement_controls(db, pid, &placements)) != CW_OK)
		goto fail;
	json_object_set_new(obj, "placements", placements);
	if ((err = earlier_conditions(db, id, placements, &flags)) != CW_OK)
		goto fail;
	json_object_set_new(obj, "earlier_conditions", flags);
	flags = NULL;
	if ((err = cw_task_open_count(db, id, &open_tasks)) != CW_OK)
		goto fail;
	if ((err = cw_case_flags(db, pid, strcmp(stage, "closed") ? stage : NULL, &flags)) != CW_OK)
		goto fail;
	json_object_set_new(obj, "flags", flags);
	json_object_set_new(obj, "open_tasks", json_integer(open_tasks));
	if (full)
		json_object_set_new(obj, "suggested_letters", suggested_letters(flags));
	if (full && (err = events_json(db, id, obj)) != CW_OK)
		goto fail;
	*out = obj;
	return CW_OK;
fail:
	json_decref(obj);
	return err;
}

int cw_case_show(cw_db *db, const char *ref, json_t **out)
{
	struct cw_case_ref c;
	int err;

	if ((err = cw_case_resolve(db, ref, &c)) != CW_OK)
		return err;
	return cw_case_to_json(db, c.id, true, out);
}

/* A case of the list: its JSON without the history. */
static int list_item(cw_db *db, const char *id, void *arg, json_t **out)
{
	(void)arg;
	return cw_case_to_json(db, id, false, out);
}

int cw_case_list(cw_db *db, const char *stage, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	/* People say "qa" and "ppm" (words.h). */
	if (stage && !(stage = cw_stage_parse(stage)))
		return CW_EINVALID;
	if ((err = cw_store_prepare(db, SQL_CASE_IDS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, stage);
	return cw_store_map_ids(db, st, list_item, NULL, out);
}
