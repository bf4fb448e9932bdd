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
	" (SELECT commissioner_id FROM provider_commissioners WHERE provider_id = ?1 AND removed IS NULL"
	"  UNION SELECT commissioner_id FROM placement_controls WHERE provider_id = ?1)"
	" ORDER BY c.is_lead DESC, c.name COLLATE NOCASE";
/*
 * The same for every provider, in provider order, each with the decision in
 * effect on ?1 (NULL columns: none), found for all pairs in one pass over
 * the decisions rather than one statement per provider and commissioner.
 */
static const char SQL_ALL_COMMISSIONERS[] =
	"WITH pc AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY provider_id,"
	"  commissioner_id ORDER BY start_date DESC, id DESC) AS rn FROM placement_controls"
	"  WHERE start_date <= ?1) WHERE rn = 1)"
	" SELECT l.provider_id, c.id, c.name, c.is_lead, pc.id, pc.status, pc.kind, pc.reason,"
	"  pc.meeting_date, pc.start_date, pc.end_date, pc.decided_by, pc.case_id,"
	"  pc.max_admissions, pc.admissions_per, pc.max_packages, pc.max_hours, pc.respite_allowed"
	" FROM (SELECT provider_id, commissioner_id FROM provider_commissioners WHERE removed IS NULL"
	"  UNION SELECT provider_id, commissioner_id FROM placement_controls) l"
	" JOIN commissioners c ON c.id = l.commissioner_id"
	" LEFT JOIN pc ON pc.provider_id = l.provider_id AND pc.commissioner_id = l.commissioner_id"
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

/* The CONTROL_COLS starting at column `at` as a record. */
static void control_read_at(cw_stmt *st, int at, cw_placement_control *c)
{
	cw_placement_conditions *k = &c->cond;

	memset(c, 0, sizeof(*c));
	k->respite_allowed = true;   /* no conditions: nothing is barred */
	c->id = cw_store_col_int(st, at);
	snprintf(c->status, sizeof(c->status), "%s", cw_store_col_text(st, at + 1));
	snprintf(c->kind, sizeof(c->kind), "%s", cw_store_col_text(st, at + 2));
	c->reason = cw_strdup(cw_store_col_text(st, at + 3));
	c->has_meeting = cw_store_col_date(st, at + 4, &c->meeting);
	c->has_since = cw_store_col_date(st, at + 5, &c->since);
	c->has_until = cw_store_col_date(st, at + 6, &c->until);
	snprintf(c->decided_by, sizeof(c->decided_by), "%s", cw_store_col_text(st, at + 7));
	snprintf(c->case_id, sizeof(c->case_id), "%s", cw_store_col_text(st, at + 8));
	if (strcmp(c->status, "restricted") != 0)
		return;
	if ((k->has_admissions = !cw_store_col_is_null(st, at + 9)))
		k->max_admissions = (long)cw_store_col_int(st, at + 9);
	snprintf(k->per, sizeof(k->per), "%s", cw_store_col_text(st, at + 10));
	if ((k->has_packages = !cw_store_col_is_null(st, at + 11)))
		k->max_packages = (long)cw_store_col_int(st, at + 11);
	if ((k->has_hours = !cw_store_col_is_null(st, at + 12)))
		k->max_hours = cw_store_col_double(st, at + 12);
	k->respite_allowed = cw_store_col_int(st, at + 13) != 0;
}

/* A row of CONTROL_COLS as a record. */
static void control_read(cw_stmt *st, cw_placement_control *c)
{
	control_read_at(st, 0, c);
}

/* No decision: placements are open. */
static void control_open(cw_placement_control *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->status, sizeof(c->status), "open");
	c->cond.respite_allowed = true;
}

static json_t *date_json(bool has, cw_date d)
{
	char buf[CW_DATE_STRLEN];

	return has ? json_string(cw_date_format(d, buf)) : json_null();
}

static json_t *text_json(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *cw_placement_conditions_json(const cw_placement_conditions *k)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:b}",
		"max_admissions", k->has_admissions ? json_integer(k->max_admissions) : json_null(),
		"per", text_json(k->per),
		"max_packages_per_week", k->has_packages ? json_integer(k->max_packages) : json_null(),
		"max_hours_per_week", k->has_hours ? json_real(k->max_hours) : json_null(),
		"respite_allowed", k->respite_allowed);
}

json_t *cw_placement_control_json(const cw_placement_control *c)
{
	if (!c->id)
		return json_pack("{s:n,s:s,s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:n}", "control_id",
			"status", "open", "kind", "reason", "meeting_date", "since", "until",
			"decided_by", "case_id", "conditions");
	return json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:s,s:o,s:o}",
		"control_id", (json_int_t)c->id, "status", c->status, "kind", text_json(c->kind),
		"reason", c->reason ? c->reason : "", "meeting_date", date_json(c->has_meeting,
			c->meeting), "since", date_json(c->has_since, c->since),
		"until", date_json(c->has_until, c->until), "decided_by", c->decided_by,
		"case_id", text_json(c->case_id),
		"conditions", strcmp(c->status, "restricted") == 0
			? cw_placement_conditions_json(&c->cond) : json_null());
}

int cw_placement_control_on(cw_db *db, const char *pid, const char *cid, cw_date day,
	cw_placement_control *out)
{
	cw_stmt *st = NULL;
	int rc, err;

	control_open(out);
	if ((err = cw_store_prepare(db, SQL_CONTROL_ON, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_text(st, 2, cid);
	cw_store_bind_date(st, 3, day);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		control_read(st, out);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

static void body_read(cw_stmt *st, int col, cw_placement_body *b)
{
	snprintf(b->id, sizeof(b->id), "%s", cw_store_col_text(st, col));
	snprintf(b->name, sizeof(b->name), "%s", cw_store_col_text(st, col + 1));
	b->lead = cw_store_col_int(st, col + 2) != 0;
}

int cw_placement_commissioners(cw_db *db, const char *pid, cw_placement_body **out, size_t *n)
{
	cw_stmt *st = NULL;
	cw_placement_body *v = NULL;
	int rc, err;

	*out = NULL;
	*n = 0;
	if ((err = cw_store_prepare(db, SQL_COMMISSIONERS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		v = cw_reallocarray(v, *n + 1, sizeof(*v));
		body_read(st, 0, &v[(*n)++]);
	}
	cw_store_done(st);
	if (rc != CW_OK) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return CW_OK;
}

char *cw_placement_conditions_text(const cw_placement_control *c)
{
	json_t *words, *w;
	cw_buf b = CW_BUF_INIT;
	char *text;
	size_t i;

	if (strcmp(c->status, "restricted") != 0)
		return NULL;
	words = cw_placement_conditions_words(&c->cond);
	json_array_foreach(words, i, w)
		cw_buf_printf(&b, "%s%s", i ? "; " : "", json_string_value(w));
	text = b.len ? cw_strdup(cw_buf_cstr(&b)) : NULL;
	cw_buf_free(&b);
	json_decref(words);
	return text;
}

/* The conditions as one line of words, or null when there are none. */
static json_t *words_text(const cw_placement_control *c)
{
	char *text = cw_placement_conditions_text(c);
	json_t *j = text ? json_string(text) : json_null();

	free(text);
	return j;
}

/* A commissioner's control, as placement.h shows it; frees the control. */
static json_t *control_json_for(const cw_placement_body *b, cw_placement_control *c)
{
	json_t *ctl = cw_placement_control_json(c);

	json_object_set_new(ctl, "commissioner", json_string(b->name));
	json_object_set_new(ctl, "commissioner_id", json_string(b->id));
	json_object_set_new(ctl, "lead", json_boolean(b->lead));
	json_object_set_new(ctl, "conditions_text", words_text(c));
	cw_placement_control_free(c);
	return ctl;
}

/* The control in effect today for one commissioner, as placement.h shows it. */
static int control_for(cw_db *db, const char *provider_id, const cw_placement_body *b,
	json_t **out)
{
	cw_placement_control c;
	int err;

	if ((err = cw_placement_control_on(db, provider_id, b->id, cw_db_today(db), &c)) != CW_OK)
		return err;
	*out = control_json_for(b, &c);
	return CW_OK;
}

int cw_placement_controls(cw_db *db, const char *provider_id, json_t **out)
{
	cw_placement_body *list = NULL;
	json_t *res = json_array(), *ctl;
	size_t i, n;
	int err;

	if ((err = cw_placement_commissioners(db, provider_id, &list, &n)) != CW_OK)
		goto done;
	for (i = 0; i < n; i++) {
		if ((err = control_for(db, provider_id, &list[i], &ctl)) != CW_OK)
			goto done;
		json_array_append_new(res, ctl);
	}
	*out = res;
	res = NULL;
done:
	free(list);
	json_decref(res);
	return err;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cw_placement_controls_each(cw_db *db, const char **ids, size_t n,
	cw_placement_control_fn fn, void *arg)
{
	cw_stmt *st = NULL;
	int rc, err;

	if (!n)
		return CW_OK;
	qsort(ids, n, sizeof(*ids), by_string);
	if ((err = cw_store_prepare(db, SQL_ALL_COMMISSIONERS, &st)) != CW_OK)
		return err;
	cw_store_bind_date(st, 1, cw_db_today(db));
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		const char *pid = cw_store_col_text(st, 0);
		cw_placement_body b;
		cw_placement_control c;

		if (!bsearch(&pid, ids, n, sizeof(*ids), by_string))
			continue;
		body_read(st, 1, &b);
		if (cw_store_col_is_null(st, 4))
			control_open(&c);
		else
			control_read_at(st, 4, &c);
		fn(arg, pid, &b, &c);
		cw_placement_control_free(&c);
	}
	cw_store_done(st);
	return rc;
}

/*
 * Call fn for the control in effect today of each commissioner linked to
 * the provider or with a decision about it.
 */
static int each_control(cw_db *db, const char *provider_id,
	void (*fn)(const cw_placement_body *, const cw_placement_control *, void *), void *arg)
{
	cw_placement_body *list = NULL;
	cw_placement_control c;
	size_t i, n;
	int err;

	if ((err = cw_placement_commissioners(db, provider_id, &list, &n)) != CW_OK)
		return err;
	for (i = 0; i < n && err == CW_OK; i++)
		if ((err = cw_placement_control_on(db, provider_id, list[i].id, cw_db_today(db),
				&c)) == CW_OK) {
			fn(&list[i], &c, arg);
			cw_placement_control_free(&c);
		}
	free(list);
	return err;
}

static void add_if_suspended(const cw_placement_body *b, const cw_placement_control *c,
	void *names)
{
	if (strcmp(c->status, "suspended") == 0)
		json_array_append_new(names, json_string(b->name));
}

int cw_placement_suspended_by(cw_db *db, const char *provider_id, json_t **out)
{
	json_t *names = json_array();
	int err;

	if ((err = each_control(db, provider_id, add_if_suspended, names)) != CW_OK) {
		json_decref(names);
		return err;
	}
	*out = names;
	return CW_OK;
}

static void other_suspended(const cw_placement_body *b, const cw_placement_control *c,
	void *found)
{
	if (!b->lead && strcmp(c->status, "suspended") == 0)
		*(bool *)found = true;
}

int cw_placement_other_embargo(cw_db *db, const char *provider_id, bool *out)
{
	*out = false;
	return each_control(db, provider_id, other_suspended, out);
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
	else if (r && r->has_meeting)
		cw_store_bind_date(st, 6, r->meeting);
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
	cw_placement_control ctl;
	cw_stmt *st = NULL;
	bool restricted = a->has_admissions || a->has_packages || a->has_hours || a->no_respite;
	int err;

	if ((err = cw_placement_control_on(db, provider_id, commissioner_id, cw_db_today(db),
			&ctl)) != CW_OK)
		return err;
	/* The guard has seen it suspended or restricted; that control ends today. */
	if (ctl.id) {
		if ((err = cw_store_prepare(db, SQL_END_SUSPENSION, &st)) != CW_OK)
			goto done;
		cw_store_bind_int(st, 1, ctl.id);
		cw_store_bind_date(st, 2, cw_db_today(db));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
	}
	err = insert_control(db, provider_id, commissioner_id, case_id,
		restricted ? "restricted" : "open", NULL, a->reason, NULL, a, override);
done:
	cw_placement_control_free(&ctl);
	return err;
}

int cw_placement_lift_control(cw_db *db, const char *provider_id, const char *commissioner_id,
	const char *case_id, const char *reason)
{
	cw_case_restart_args lift;

	memset(&lift, 0, sizeof(lift));
	lift.reason = reason;
	return cw_placement_restart(db, provider_id, commissioner_id, case_id, &lift, NULL);
}

int cw_placement_case_decision(cw_db *db, const char *case_id, const char *status,
	cw_placement_decision *out)
{
	cw_stmt *st = NULL;
	long long found = 0;
	int rc, err;

	memset(out, 0, sizeof(*out));
	if ((err = cw_store_prepare(db, SQL_CASE_DECISIONS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	while (!found && (rc = cw_store_step(db, st)) == CW_ROW) {
		const char *s = cw_store_col_text(st, 3);

		if (status ? strcmp(s, status) == 0 : strcmp(s, "suspended") != 0) {
			found = cw_store_col_int(st, 4);
			snprintf(out->commissioner, sizeof(out->commissioner), "%s",
				cw_store_col_text(st, 1));
			out->lead = cw_store_col_int(st, 2) != 0;
		}
	}
	if (found)
		rc = CW_OK;
	cw_store_done(st);
	if (rc != CW_OK || !found)
		return rc;
	if ((err = cw_store_prepare(db, SQL_CONTROL_BY_ID, &st)) != CW_OK)
		return err;
	cw_store_bind_int(st, 1, found);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		control_read(st, &out->ctl);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

json_t *cw_placement_conditions_words(const cw_placement_conditions *c)
{
	json_t *words = json_array();

	if (c->has_admissions)
		json_array_append_new(words, json_sprintf("no more than %ld new admission%s per %s",
			c->max_admissions, c->max_admissions == 1 ? "" : "s", c->per));
	if (c->has_packages)
		json_array_append_new(words, json_sprintf("no more than %ld new package%s of care"
			" per week", c->max_packages, c->max_packages == 1 ? "" : "s"));
	if (c->has_hours)
		json_array_append_new(words, json_sprintf("no more than %g new hours of care per week",
			c->max_hours));
	if (!c->respite_allowed)
		json_array_append_new(words, json_string("no respite placements"));
	return words;
}
