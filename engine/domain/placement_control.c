/*
 * Placement-control decisions: their history per provider and commissioner,
 * what is in effect on a day, and the rows `case suspend` / `case restart`
 * write. A decision is never edited; a restart only closes the control it
 * ends (end_date) and starts the next one.
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/placement.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "placement_internal.h"

#define CONTROL_COLS \
	"SELECT id, status, kind, reason, meeting_date, start_date, end_date, decided_by," \
	" case_id, max_admissions, admissions_per, max_packages, max_hours, respite_allowed" \
	" FROM placement_controls"
/* The decision in effect on a day: the latest one started on or before it. */
static const char SQL_CONTROL_ON[] = CONTROL_COLS
	" WHERE provider_id = ?1 AND commissioner_id = ?2 AND start_date <= ?3"
	" ORDER BY start_date DESC, id DESC LIMIT 1";
/* Every commissioner that contracts with the provider or has decided about it. */
static const char SQL_COMMISSIONERS[] =
	"SELECT c.id, c.name, c.is_lead FROM commissioners c WHERE c.id IN"
	" (SELECT commissioner_id FROM provider_commissioners WHERE provider_id = ?1"
	"  UNION SELECT commissioner_id FROM placement_controls WHERE provider_id = ?1)"
	" ORDER BY c.is_lead DESC, c.name COLLATE NOCASE";
/* The same for every provider, in provider order. */
static const char SQL_ALL_COMMISSIONERS[] =
	"SELECT l.provider_id, c.id, c.name, c.is_lead FROM"
	" (SELECT provider_id, commissioner_id FROM provider_commissioners"
	"  UNION SELECT provider_id, commissioner_id FROM placement_controls) l"
	" JOIN commissioners c ON c.id = l.commissioner_id"
	" ORDER BY l.provider_id, c.is_lead DESC, c.name COLLATE NOCASE";
static const char SQL_INSERT_CONTROL[] =
	"INSERT INTO placement_controls (provider_id, commissioner_id, status, kind, reason,"
	" meeting_date, start_date, decided_by, case_id, max_admissions, admissions_per,"
	" max_packages, max_hours, respite_allowed, override, created)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?7)";
static const char SQL_END_SUSPENSION[] =
	"UPDATE placement_controls SET end_date = ?2 WHERE id = ?1";
/* Decisions on a case, the lead's first, then the latest. */
static const char SQL_CASE_DECISIONS[] =
	"SELECT pc.commissioner_id, c.name, c.is_lead, pc.status, pc.id"
	" FROM placement_controls pc JOIN commissioners c ON c.id = pc.commissioner_id"
	" WHERE pc.case_id = ?1 ORDER BY c.is_lead DESC, pc.start_date DESC, pc.id DESC";
static const char SQL_CONTROL_BY_ID[] = CONTROL_COLS " WHERE id = ?1";

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static json_t *col_int_or_null(cw_stmt *st, int i)
{
	return cw_store_col_is_null(st, i) ? json_null()
		: json_integer(cw_store_col_int(st, i));
}

static json_t *conditions_json(cw_stmt *st)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:b}",
		"max_admissions", col_int_or_null(st, 9),
		"per", cw_store_col_json_text(st, 10),
		"max_packages_per_week", col_int_or_null(st, 11),
		"max_hours_per_week", cw_store_col_is_null(st, 12) ? json_null()
			: json_real(cw_store_col_double(st, 12)),
		"respite_allowed", cw_store_col_int(st, 13) != 0);
}

/* A row of CONTROL_COLS as the control object of placement.h. */
static json_t *control_json(cw_stmt *st)
{
	const char *status = cw_store_col_text(st, 1);

	return json_pack("{s:I,s:s,s:o,s:o,s:o,s:s,s:o,s:s,s:o,s:o}",
		"control_id", (json_int_t)cw_store_col_int(st, 0), "status", status,
		"kind", cw_store_col_json_text(st, 2), "reason", cw_store_col_json_text(st, 3),
		"meeting_date", cw_store_col_json_text(st, 4), "since", cw_store_col_text(st, 5),
		"until", cw_store_col_json_text(st, 6), "decided_by", cw_store_col_text(st, 7),
		"case_id", cw_store_col_json_text(st, 8),
		"conditions", strcmp(status, "restricted") == 0 ? conditions_json(st) : json_null());
}

int cw_placement_control_on(cw_db *db, const char *pid, const char *cid, cw_date day,
	json_t **out)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_CONTROL_ON, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_text(st, 2, cid);
	cw_store_bind_date(st, 3, day);
	rc = cw_store_step(db, st);
	if (rc == CW_ROW)
		*out = control_json(st);
	else if (rc == CW_OK)
		*out = json_pack("{s:n,s:s,s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:n}", "control_id",
			"status", "open", "kind", "reason", "meeting_date", "since", "until",
			"decided_by", "case_id", "conditions");
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

int cw_placement_commissioners(cw_db *db, const char *pid, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *list = json_array();
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_COMMISSIONERS, &st)) != CW_OK) {
		json_decref(list);
		return err;
	}
	cw_store_bind_text(st, 1, pid);
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "id", cw_store_col_text(st, 0),
			"name", cw_store_col_text(st, 1), "lead", cw_store_col_int(st, 2) != 0));
	cw_store_done(st);
	if (rc != CW_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return CW_OK;
}

/* The conditions as one line of words, or null when there are none. */
static json_t *words_text(const json_t *conditions)
{
	json_t *words = cw_placement_conditions_words(conditions), *w;
	cw_buf b = CW_BUF_INIT;
	json_t *text;
	size_t i;

	json_array_foreach(words, i, w)
		cw_buf_printf(&b, "%s%s", i ? "; " : "", json_string_value(w));
	text = b.len ? json_string(cw_buf_cstr(&b)) : json_null();
	cw_buf_free(&b);
	json_decref(words);
	return text;
}

/* The control in effect today for one commissioner row {id, name, lead}. */
static int control_for(cw_db *db, const char *provider_id, const json_t *c, json_t **out)
{
	json_t *ctl;
	int err;

	if ((err = cw_placement_control_on(db, provider_id, jstr(c, "id"), cw_db_today(db),
			&ctl)) != CW_OK)
		return err;
	json_object_set_new(ctl, "commissioner", json_string(jstr(c, "name")));
	json_object_set_new(ctl, "commissioner_id", json_string(jstr(c, "id")));
	json_object_set(ctl, "lead", json_object_get(c, "lead"));
	json_object_set_new(ctl, "conditions_text", words_text(json_object_get(ctl, "conditions")));
	*out = ctl;
	return CW_OK;
}

int cw_placement_controls(cw_db *db, const char *provider_id, json_t **out)
{
	json_t *list = NULL, *res = json_array(), *c, *ctl;
	size_t i;
	int err;

	if ((err = cw_placement_commissioners(db, provider_id, &list)) != CW_OK)
		goto done;
	json_array_foreach(list, i, c) {
		if ((err = control_for(db, provider_id, c, &ctl)) != CW_OK)
			goto done;
		json_array_append_new(res, ctl);
	}
	*out = res;
	res = NULL;
done:
	json_decref(list);
	json_decref(res);
	return err;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cw_placement_controls_many(cw_db *db, const char **ids, size_t n, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *res = json_object(), *c = NULL, *ctl;
	int rc = CW_OK, err = CW_OK;

	if (n)
		qsort(ids, n, sizeof(*ids), by_string);
	for (size_t i = 0; i < n; i++)
		json_object_set_new(res, ids[i], json_array());
	if (n && (err = cw_store_prepare(db, SQL_ALL_COMMISSIONERS, &st)) != CW_OK)
		goto done;
	while (n && (rc = cw_store_step(db, st)) == CW_ROW) {
		const char *pid = cw_store_col_text(st, 0);

		if (!bsearch(&pid, ids, n, sizeof(*ids), by_string))
			continue;
		c = json_pack("{s:s,s:s,s:b}", "id", cw_store_col_text(st, 1),
			"name", cw_store_col_text(st, 2), "lead", cw_store_col_int(st, 3) != 0);
		err = control_for(db, pid, c, &ctl);
		json_decref(c);
		if (err != CW_OK)
			goto done;
		json_array_append_new(json_object_get(res, pid), ctl);
	}
	if (rc != CW_OK) {
		err = rc;
		goto done;
	}
	*out = res;
	res = NULL;
done:
	cw_store_done(st);
	json_decref(res);
	return err;
}

int cw_placement_suspended_by(cw_db *db, const char *provider_id, json_t **out)
{
	json_t *controls = NULL, *names = json_array(), *c;
	size_t i;
	int err;

	if ((err = cw_placement_controls(db, provider_id, &controls)) != CW_OK) {
		json_decref(names);
		return err;
	}
	json_array_foreach(controls, i, c)
		if (strcmp(jstr(c, "status"), "suspended") == 0)
			json_array_append_new(names, json_string(jstr(c, "commissioner")));
	json_decref(controls);
	*out = names;
	return CW_OK;
}

static int insert_control(cw_db *db, const char *pid, const char *cid, const char *case_id,
	const char *status, const char *kind, const char *reason, const cw_case_suspend_args *s,
	const cw_case_restart_args *r, const char *override)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_INSERT_CONTROL, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_text(st, 2, cid);
	cw_store_bind_text(st, 3, status);
	cw_store_bind_text(st, 4, kind);
	cw_store_bind_text(st, 5, reason);
	if (s && s->has_meeting)
		cw_store_bind_date(st, 6, s->meeting);
	cw_store_bind_date(st, 7, cw_db_today(db));
	cw_store_bind_text(st, 8, cw_db_actor(db));
	cw_store_bind_text(st, 9, case_id);
	if (r && r->has_admissions) {
		cw_store_bind_int(st, 10, r->max_admissions);
		cw_store_bind_text(st, 11, r->per);
	}
	if (r && r->has_packages)
		cw_store_bind_int(st, 12, r->max_packages);
	if (r && r->has_hours)
		cw_store_bind_double(st, 13, r->max_hours);
	cw_store_bind_int(st, 14, r && r->no_respite ? 0 : 1);
	cw_store_bind_text(st, 15, override);
	return cw_store_exec_stmt(db, st);
}

int cw_placement_suspend(cw_db *db, const char *provider_id, const char *commissioner_id,
	const char *case_id, const cw_case_suspend_args *a, const char *override)
{
	return insert_control(db, provider_id, commissioner_id, case_id, "suspended", a->kind,
		a->reason, a, NULL, override);
}

int cw_placement_restart(cw_db *db, const char *provider_id, const char *commissioner_id,
	const char *case_id, const cw_case_restart_args *a, const char *override)
{
	json_t *ctl = NULL;
	cw_stmt *st = NULL;
	bool restricted = a->has_admissions || a->has_packages || a->has_hours || a->no_respite;
	int err;

	if ((err = cw_placement_control_on(db, provider_id, commissioner_id, cw_db_today(db),
			&ctl)) != CW_OK)
		return err;
	/* The guard has seen it suspended or restricted; that control ends today. */
	if (json_is_integer(json_object_get(ctl, "control_id"))) {
		if ((err = cw_store_prepare(db, SQL_END_SUSPENSION, &st)) != CW_OK)
			goto done;
		cw_store_bind_int(st, 1, json_integer_value(json_object_get(ctl, "control_id")));
		cw_store_bind_date(st, 2, cw_db_today(db));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
	}
	err = insert_control(db, provider_id, commissioner_id, case_id,
		restricted ? "restricted" : "open", NULL, a->reason, NULL, a, override);
done:
	json_decref(ctl);
	return err;
}

int cw_placement_case_decision(cw_db *db, const char *case_id, const char *status,
	json_t **out)
{
	cw_stmt *st = NULL;
	long long found = 0;
	char name[CW_NAME_MAX + 1] = "";
	bool lead = false;
	int rc, err;

	*out = NULL;
	if ((err = cw_store_prepare(db, SQL_CASE_DECISIONS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	while (!found && (rc = cw_store_step(db, st)) == CW_ROW) {
		const char *s = cw_store_col_text(st, 3);

		if (status ? strcmp(s, status) == 0 : strcmp(s, "suspended") != 0) {
			found = cw_store_col_int(st, 4);
			snprintf(name, sizeof(name), "%s", cw_store_col_text(st, 1));
			lead = cw_store_col_int(st, 2) != 0;
		}
	}
	if (found)
		rc = CW_OK;
	cw_store_done(st);
	if (rc != CW_OK)
		return rc;
	if (!found)
		return CW_OK;
	if ((err = cw_store_prepare(db, SQL_CONTROL_BY_ID, &st)) != CW_OK)
		return err;
	cw_store_bind_int(st, 1, found);
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		*out = control_json(st);
		json_object_set_new(*out, "commissioner", json_string(name));
		json_object_set_new(*out, "lead", json_boolean(lead));
	}
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

json_t *cw_placement_conditions_words(const json_t *c)
{
	json_t *words = json_array(), *v;

	if (!json_is_object(c))
		return words;
	if (json_is_integer(v = json_object_get(c, "max_admissions")))
		json_array_append_new(words, json_sprintf("no more than %lld new admission%s per %s",
			(long long)json_integer_value(v), json_integer_value(v) == 1 ? "" : "s",
			jstr(c, "per")));
	if (json_is_integer(v = json_object_get(c, "max_packages_per_week")))
		json_array_append_new(words, json_sprintf("no more than %lld new package%s of care"
			" per week", (long long)json_integer_value(v),
			json_integer_value(v) == 1 ? "" : "s"));
	if (json_is_number(v = json_object_get(c, "max_hours_per_week")))
		json_array_append_new(words, json_sprintf("no more than %g new hours of care per week",
			json_number_value(v)));
	if (json_is_false(json_object_get(c, "respite_allowed")))
		json_array_append_new(words, json_string("no respite placements"));
	return words;
}

int cw_placement_other_embargo(cw_db *db, const char *provider_id, bool *out)
{
	json_t *controls = NULL, *c;
	size_t i;
	int err;

	*out = false;
	if ((err = cw_placement_controls(db, provider_id, &controls)) != CW_OK)
		return err;
	json_array_foreach(controls, i, c)
		if (!json_is_true(json_object_get(c, "lead")) &&
		    strcmp(jstr(c, "status"), "suspended") == 0)
			*out = true;
	json_decref(controls);
	return CW_OK;
}
