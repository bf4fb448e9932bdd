/*
 * Corrections of placement control (SPEC §2): a placement recorded in error
 * is cancelled, never deleted; a commissioner's suspension or cap is lifted
 * by the decision role. Both are kept as corrections on the provider.
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/placement.h"
#include "carewatch/error.h"
#include "correction.h"
#include "lookup.h"
#include "placement_internal.h"
#include "store.h"
#include "valid.h"

static const char SQL_PLACEMENT[] =
	"SELECT pl.id, pl.provider_id, p.name, pl.commissioner_id, c.name, pl.kind, pl.hours,"
	" pl.respite, pl.on_date, pl.recorded_by, pl.cancelled"
	" FROM placements pl JOIN providers p ON p.id = pl.provider_id"
	" JOIN commissioners c ON c.id = pl.commissioner_id WHERE pl.id = ?1";
static const char SQL_CANCEL[] =
	"UPDATE placements SET cancelled = ?2 WHERE id = ?1 AND cancelled IS NULL";
static const char SQL_COMMISSIONER[] = "SELECT name, is_lead FROM commissioners WHERE id = ?1";
static const char SQL_PROVIDER[] = "SELECT name FROM providers WHERE id = ?1";

static int placement_json(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *p = NULL, *fixes = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_PLACEMENT, id, "placement", &st)) == CW_OK)
		p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:s,s:s,s:s,s:o}",
			"id", cw_store_col_text(st, 0), "provider_id", cw_store_col_text(st, 1),
			"provider", cw_store_col_text(st, 2), "commissioner_id", cw_store_col_text(st, 3),
			"commissioner", cw_store_col_text(st, 4), "kind", cw_store_col_text(st, 5),
			"hours", cw_store_col_is_null(st, 6) ? json_null()
				: json_real(cw_store_col_double(st, 6)),
			"respite", cw_store_col_int(st, 7) != 0, "date", cw_store_col_text(st, 8),
			"recorded_by", cw_store_col_text(st, 9),
			"status", cw_store_col_is_null(st, 10) ? "recorded" : "cancelled",
			"cancelled", cw_store_col_json_text(st, 10));
	cw_store_done(st);
	if (err == CW_OK && (err = cw_fix_history(db, id, &fixes)) == CW_OK) {
		json_object_set_new(p, "corrections", fixes);
		*out = p;
		p = NULL;
	}
	json_decref(p);
	return err;
}

static const char SQL_OF_PROVIDER[] =
	"SELECT id FROM placements WHERE provider_id = ?1 ORDER BY on_date DESC, created DESC, id";

static int list_one(cw_db *db, const char *id, void *arg, json_t **out)
{
	(void)arg;
	return placement_json(db, id, out);
}

int cw_placement_list(cw_db *db, const char *provider, json_t **out)
{
	cw_stmt *st = NULL;
	char pid[CW_ID_LEN];
	int err;

	if ((err = cw_lookup(db, CW_KIND_PROVIDER, provider, pid)) != CW_OK ||
	    (err = cw_store_prepare(db, SQL_OF_PROVIDER, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	return cw_store_map_ids(db, st, list_one, NULL, out);
}

int cw_placement_cancel(cw_db *db, const char *ref, const char *reason, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *p = NULL;
	cw_fix f = { 0 };
	char id[CW_ID_LEN], label[64], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "placement.write")) != CW_OK ||
	    (err = cw_fix_check_reason(reason)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_PLACEMENT, ref, id)) != CW_OK ||
	    (err = placement_json(db, id, &p)) != CW_OK)
		goto done;
	/* How a person names it: what, where and when. */
	snprintf(label, sizeof(label), "%s of %s", json_string_value(json_object_get(p, "kind")),
		json_string_value(json_object_get(p, "date")));
	if (!json_is_null(json_object_get(p, "cancelled"))) {
		err = cw_error(CW_EREFUSED, "placement %s (%s) was already cancelled on %s", id,
			label, json_string_value(json_object_get(p, "cancelled")));
		goto done;
	}
	cw_date_format(cw_db_today(db), today);
	cw_fix_begin(&f, "placement", id, label,
		json_string_value(json_object_get(p, "provider_id")), reason);
	if ((err = cw_fix_field(db, &f, "status", "recorded", "cancelled")) != CW_OK ||
	    (err = cw_store_prepare(db, SQL_CANCEL, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, today);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_fix_commit(db, &f, "placement.cancel", json_pack("{s:O,s:O}",
			"provider_id", json_object_get(p, "provider_id"),
			"commissioner_id", json_object_get(p, "commissioner_id")))) != CW_OK)
		goto done;
	err = placement_json(db, id, out);
done:
	cw_fix_free(&f);
	json_decref(p);
	return err;
}

/* A name by id into `out`. */
static int name_of(cw_db *db, const char *sql, const char *what, const char *id, char *out,
	size_t n)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, sql, id, what, &st)) == CW_OK)
		snprintf(out, n, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return err;
}

int cw_placement_lift(cw_db *db, const cw_placement_lift_args *a, json_t **out)
{
	cw_placement_control ctl;
	cw_fix f = { 0 };
	json_t *now = NULL;
	char pid[CW_ID_LEN], cid[CW_ID_LEN], field[320], was[16];
	char provider[CW_NAME_MAX + 1], commissioner[CW_NAME_MAX + 1];
	int err;

	memset(&ctl, 0, sizeof(ctl));
	if ((err = cw_db_require(db, "placement.write")) != CW_OK ||
	    (err = cw_fix_check_reason(a->reason)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_PROVIDER, a->provider, pid)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_COMMISSIONER, a->commissioner, cid)) != CW_OK ||
	    (err = name_of(db, SQL_PROVIDER, "provider", pid, provider, sizeof(provider))) != CW_OK ||
	    (err = name_of(db, SQL_COMMISSIONER, "commissioner", cid, commissioner,
			sizeof(commissioner))) != CW_OK ||
	    (err = cw_fix_decision_role(db, "'placement lift'")) != CW_OK ||
	    (err = cw_placement_control_on(db, pid, cid, cw_db_today(db), &ctl)) != CW_OK)
		goto done;
	if (strcmp(ctl.status, "open") == 0) {
		err = cw_error(CW_EREFUSED, "placements with '%s' are open for '%s': there is"
			" nothing to lift", provider, commissioner);
		goto done;
	}
	snprintf(was, sizeof(was), "%s", ctl.status);
	snprintf(field, sizeof(field), "placements (%s)", commissioner);
	cw_fix_begin(&f, "provider", pid, provider, pid, a->reason);
	if ((err = cw_fix_field(db, &f, field, ctl.status, "open")) != CW_OK ||
	    (err = cw_placement_lift_control(db, pid, cid, ctl.case_id[0] ? ctl.case_id : NULL,
			a->reason)) != CW_OK ||
	    (err = cw_fix_commit(db, &f, "placement.lift", json_pack("{s:s,s:s,s:s}",
			"commissioner_id", cid, "commissioner", commissioner, "lifted",
			ctl.status))) != CW_OK)
		goto done;
	cw_placement_control_free(&ctl);
	if ((err = cw_placement_control_on(db, pid, cid, cw_db_today(db), &ctl)) != CW_OK)
		goto done;
	now = cw_placement_control_json(&ctl);
	json_object_set_new(now, "provider", json_string(provider));
	json_object_set_new(now, "commissioner", json_string(commissioner));
	json_object_set_new(now, "commissioner_id", json_string(cid));
	json_object_set_new(now, "lifted", json_string(was));
	*out = now;
done:
	cw_fix_free(&f);
	cw_placement_control_free(&ctl);
	return err;
}
