/*
 * Suspending and restarting placements: a commissioner's decision, taken
 * through the stage machine of engine/domain/case.c (its rows for "suspend" and
 * "restart" say which move the lead's decision makes and which guards
 * apply), with the placement control it sets (engine/domain/placement_control.c).
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/placement.h"
#include "lookup.h"
#include "carewatch/error.h"
#include "store.h"
#include "valid.h"
#include "case_internal.h"
#include "case_view.h"
#include "placement_internal.h"

static const char SQL_COMMISSIONER[] = "SELECT name, is_lead FROM commissioners WHERE id = ?1";
static const char SQL_SET_STAGE[] = "UPDATE cases SET stage = ?2 WHERE id = ?1";

/* The deciding body. */
struct body {
	char id[CW_ID_LEN];
	char name[CW_NAME_MAX + 1];
	bool lead;
};

static int body_load(cw_db *db, const char *ref, struct body *b)
{
	cw_stmt *st = NULL;
	int err;

	memset(b, 0, sizeof(*b));
	if ((err = cw_lookup(db, CW_KIND_COMMISSIONER, ref, b->id)) != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL_COMMISSIONER, b->id, NULL, &st)) == CW_OK) {
		snprintf(b->name, sizeof(b->name), "%s", cw_store_col_text(st, 0));
		b->lead = cw_store_col_int(st, 1) != 0;
	}
	cw_store_done(st);
	return err == CW_ENOTFOUND ? cw_error(CW_ENOTFOUND, "no commissioner '%s'", ref) : err;
}

/* The lead's decision moves the case; another body's leaves it (row->to NULL). */
static int move(cw_db *db, const struct cw_case_ref *c, const struct cw_transition *row)
{
	cw_stmt *st = NULL;
	int err;

	if (!row->to)
		return CW_OK;
	if ((err = cw_store_prepare(db, SQL_SET_STAGE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, c->id);
	cw_store_bind_text(st, 2, row->to);
	return cw_store_exec_stmt(db, st);
}

static json_t *decision_details(const struct body *b)
{
	return json_pack("{s:s,s:s,s:b}", "commissioner", b->name, "commissioner_id", b->id,
		"lead", b->lead);
}

/* The meeting goes last in the details (the audit order); null when none was named. */
static void details_add_meeting(json_t *details, bool has, cw_date meeting)
{
	char day[CW_DATE_STRLEN];

	json_object_set_new(details, "meeting", has
		? json_string(cw_date_format(meeting, day)) : json_null());
}

/*
 * The meeting that recommended a suspension or restart is a recorded
 * provider performance meeting of this case, held on or before the day of
 * the decision (issue 14: no way around the guards).
 */
static int check_meeting(cw_db *db, const struct cw_case_ref *c, bool has, cw_date meeting)
{
	static const char SQL[] = "SELECT coalesce(ref, id) FROM meetings"
		" WHERE case_id = ?1 AND date = ?2";
	cw_stmt *st = NULL;
	char day[CW_DATE_STRLEN];
	int rc, err;

	if (!has)
		return CW_OK;
	cw_date_format(meeting, day);
	if (meeting > cw_db_today(db))
		return cw_error_at("meeting", CW_EINVALID, "meeting %s is after today: the meeting"
			" that recommended the decision has been held", day);
	if ((err = cw_store_prepare(db, SQL, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, c->id);
	cw_store_bind_text(st, 2, day);
	rc = cw_store_step(db, st);
	cw_store_done(st);
	if (rc == CW_ROW)
		return CW_OK;
	if (rc != CW_OK)
		return rc;
	return cw_error_at("meeting", CW_EREFUSED, "no provider performance meeting of case %s"
		" was held on %s: --meeting names the recorded meeting that recommended the"
		" decision (meeting list --case %s)", cw_case_name(c), day, cw_case_name(c));
}

int cw_case_suspend(cw_db *db, const char *ref, const cw_case_suspend_args *a, json_t **out)
{
	struct cw_move m = { "suspend", NULL, false, false, NULL, false, a->override };
	const struct cw_transition *row = NULL;
	json_t *overridden = NULL, *details = NULL;
	struct cw_case_ref c;
	struct body b;
	char day[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, cw_case_command_perm("suspend"))) != CW_OK ||
	    (err = cw_check_enum("kind", a->kind, cw_embargo_kinds)) != CW_OK ||
	    (err = cw_check_text("reason", a->reason, CW_TEXT_MAX, true)) != CW_OK ||
	    (a->override && (err = cw_check_text("override", a->override,
			CW_TEXT_MAX, true)) != CW_OK))
		goto done;
	if (a->has_meeting && a->meeting > cw_db_today(db)) {
		err = cw_error_at("meeting", CW_EINVALID, "meeting %s is after today: the meeting that"
			" recommended the embargo has been held", cw_date_format(a->meeting, day));
		goto done;
	}
	if ((err = cw_case_resolve(db, ref, &c)) != CW_OK ||
	    (err = check_meeting(db, &c, a->has_meeting, a->meeting)) != CW_OK ||
	    (err = body_load(db, a->commissioner, &b)) != CW_OK)
		goto done;
	m.lead = b.lead;
	m.commissioner = b.name;
	if ((err = cw_case_check(db, &c, &m, &row, &overridden)) != CW_OK ||
	    (err = move(db, &c, row)) != CW_OK ||
	    (err = cw_placement_suspend(db, c.provider_id, b.id, c.id, a,
			overridden ? a->override : NULL)) != CW_OK)
		goto done;
	details = decision_details(&b);
	json_object_set_new(details, "kind", json_string(a->kind));
	details_add_meeting(details, a->has_meeting, a->meeting);
	err = cw_case_record_show(db, &c, row, a->reason, a->override, overridden, details, out);
	overridden = NULL;
done:
	json_decref(overridden);
	return err;
}

/* The conditions of a restart, refused with CW_EINVALID when malformed. */
static int check_conditions(const cw_case_restart_args *a)
{
	if (a->has_admissions != (a->per != NULL))
		return a->per
			? cw_error_at("max_admissions", CW_EINVALID, "a cap per week or month needs"
				" the most admissions allowed in that period")
			: cw_error_at("per", CW_EINVALID, "per: a cap on admissions needs its period"
				" (week or month)");
	if (a->per && strcmp(a->per, "week") != 0 && strcmp(a->per, "month") != 0)
		return cw_error_at("per", CW_EINVALID, "per: '%.20s' is not one of: week, month", a->per);
	if (a->has_admissions && (a->max_admissions < 1 || a->max_admissions > 1000))
		return cw_error_at("max_admissions", CW_EINVALID, "max_admissions: %ld is not a cap between 1 and 1000"
			" (to allow none, keep placements suspended)", a->max_admissions);
	if (a->has_packages && (a->max_packages < 1 || a->max_packages > 1000))
		return cw_error_at("max_packages", CW_EINVALID, "max_packages: %ld is not a cap between 1 and 1000"
			" (to allow none, keep placements suspended)", a->max_packages);
	if (a->has_hours && !(a->max_hours > 0 && a->max_hours <= 100000))
		return cw_error_at("max_hours", CW_EINVALID, "max_hours: %g is not a cap of hours a week above 0",
			a->max_hours);
	return CW_OK;
}

int cw_case_restart(cw_db *db, const char *ref, const cw_case_restart_args *a, json_t **out)
{
	struct cw_move m = { "restart", NULL, false, false, NULL, false, a->override };
	const struct cw_transition *row = NULL;
	json_t *overridden = NULL, *details = NULL;
	cw_placement_control ctl = { 0 };
	struct cw_case_ref c;
	struct body b;
	int err;

	if ((err = cw_db_require(db, cw_case_command_perm("restart"))) != CW_OK ||
	    (err = cw_check_text("reason", a->reason, CW_TEXT_MAX, true)) != CW_OK ||
	    (a->override && (err = cw_check_text("override", a->override,
			CW_TEXT_MAX, true)) != CW_OK) ||
	    (err = check_conditions(a)) != CW_OK ||
	    (err = cw_case_resolve(db, ref, &c)) != CW_OK ||
	    (err = check_meeting(db, &c, a->has_meeting, a->meeting)) != CW_OK ||
	    (err = body_load(db, a->commissioner, &b)) != CW_OK)
		goto done;
	if ((err = cw_placement_control_on(db, c.provider_id, b.id, cw_db_today(db), &ctl)) != CW_OK)
		goto done;
	m.lead = b.lead;
	m.commissioner = b.name;
	m.restricted = strcmp(ctl.status, "restricted") == 0;
	if ((err = cw_case_check(db, &c, &m, &row, &overridden)) != CW_OK ||
	    (err = move(db, &c, row)) != CW_OK ||
	    (err = cw_placement_restart(db, c.provider_id, b.id, c.id, a,
			overridden ? a->override : NULL)) != CW_OK)
		goto done;
	details = decision_details(&b);
	json_object_set_new(details, "conditions", json_pack("{s:o,s:o,s:o,s:o,s:b}",
		"max_admissions", a->has_admissions ? json_integer(a->max_admissions) : json_null(),
		"per", a->per ? json_string(a->per) : json_null(),
		"max_packages_per_week", a->has_packages ? json_integer(a->max_packages) : json_null(),
		"max_hours_per_week", a->has_hours ? json_real(a->max_hours) : json_null(),
		"respite_allowed", !a->no_respite));
	details_add_meeting(details, a->has_meeting, a->meeting);
	err = cw_case_record_show(db, &c, row, a->reason, a->override, overridden, details, out);
	overridden = NULL;
done:
	cw_placement_control_free(&ctl);
	json_decref(overridden);
	return err;
}
