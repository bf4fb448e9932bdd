/*
 * Placement control: the decisions in force per provider and commissioner,
 * the placement check of SPEC §6 and the placements recorded against caps.
 * The check is one function, decide(), that both `placement check` and
 * `placement record` go through, so the two can never disagree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/placement.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "placement_internal.h"

const char *const cw_placement_kinds[] = { "admission", "package", NULL };
const char *const cw_embargo_kinds[] = { "mandatory", "voluntary", NULL };
const char *const cw_cap_periods[] = { "week", "month", NULL };

static const char SQL_PROVIDER[] = "SELECT name, status FROM providers WHERE id = ?1";
static const char SQL_COMMISSIONER[] = "SELECT name, is_lead FROM commissioners WHERE id = ?1";
static const char SQL_USED[] =
	"SELECT count(*), total(hours) FROM placements WHERE provider_id = ?1"
	" AND commissioner_id = ?2 AND kind = ?3 AND on_date >= ?4 AND on_date < ?5";
static const char SQL_INSERT_PLACEMENT[] =
	"INSERT INTO placements (id, provider_id, commissioner_id, kind, hours, respite,"
	" on_date, recorded_by, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Name (and, for providers, status) of an entity by id, into buffers. */
static int entity_name(cw_db *db, const char *sql, const char *id, char *name, size_t n,
	char *extra, size_t m)
{
	sqlite3_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(name, n, "%s", cw_store_col_text(st, 0));
		snprintf(extra, m, "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (rc == SQLITE_ROW)
		return CW_OK;
	return rc == SQLITE_DONE ? cw_error(CW_ENOTFOUND, "no entity '%s'", id)
		: cw_store_error(db, rc);
}

/* What decide() works from. */
struct request {
	char pid[CW_ID_LEN], cid[CW_ID_LEN];
	char provider[CW_NAME_MAX + 1], commissioner[CW_NAME_MAX + 1];
	char provider_status[16], lead[4];
	const char *kind;
	cw_date date;
};

static int used_in(cw_db *db, const struct request *q, const char *kind, cw_date from,
	cw_date to, long *count, double *hours)
{
	sqlite3_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_USED, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, q->pid);
	cw_store_bind_text(st, 2, q->cid);
	cw_store_bind_text(st, 3, kind);
	cw_store_bind_date(st, 4, from);
	cw_store_bind_date(st, 5, to);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		*hours = sqlite3_column_double(st, 1);
	}
	cw_store_done(st);
	return rc == SQLITE_ROW ? CW_OK : cw_store_error(db, rc);
}

static void refuse(json_t *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void refuse(json_t *res, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_set_new(res, "allowed", json_false());
	json_object_set_new(res, "reason", json_string(msg));
}

/* Counts are whole numbers; hours may have a fraction. */
static json_t *number(double v, const char *unit)
{
	return strcmp(unit, "hours") == 0 ? json_real(v) : json_integer((json_int_t)v);
}

/* used, cap, unit and period of the decision: those of one cap. */
static void binding(json_t *res, const json_t *cap)
{
	json_object_set(res, "used", json_object_get(cap, "used"));
	json_object_set(res, "cap", json_object_get(cap, "cap"));
	json_object_set(res, "unit", json_object_get(cap, "unit"));
	json_object_set(res, "period", json_object_get(cap, "period"));
}

/*
 * One cap of a restart: `unit` placements (or hours) of `kind` in the
 * period around the date, counted from the restart at the earliest.
 * Appends {unit, used, cap, period} to caps and refuses when it is reached.
 */
static int check_cap(cw_db *db, const struct request *q, const json_t *ctl, json_t *res,
	const char *unit, double cap, const char *per, double adding)
{
	const char *kind = strcmp(unit, "admissions") == 0 ? "admission" : "package";
	cw_date start = strcmp(per, "month") == 0 ? cw_date_month_start(q->date)
		: cw_date_week_start(q->date);
	cw_date end = strcmp(per, "month") == 0 ? cw_date_next_month_start(q->date) : start + 7;
	cw_date since = start;
	char from[CW_DATE_STRLEN], to[CW_DATE_STRLEN];
	double used;
	json_t *entry;
	long count = 0;
	double hours = 0;
	int err;

	/* Placements made before the conditions started do not count against them. */
	if (cw_date_parse(jstr(ctl, "since"), &since) != CW_OK || since < start)
		since = start;
	cw_error_clear();
	if ((err = used_in(db, q, kind, since, end, &count, &hours)) != CW_OK)
		return err;
	used = strcmp(unit, "hours") == 0 ? hours : (double)count;
	cw_date_format(start, from);
	cw_date_format(end - 1, to);
	entry = json_pack("{s:s,s:o,s:o,s:s,s:{s:s,s:s}}", "unit", unit,
		"used", number(used, unit), "cap", number(cap, unit), "per", per,
		"period", "from", from, "to", to);
	json_array_append_new(json_object_get(res, "caps"), entry);
	if (!json_is_true(json_object_get(res, "allowed")))
		return CW_OK;
	if (strcmp(unit, "hours") == 0 && used + adding > cap)
		refuse(res, "the cap of %g new hours of care per week set on %s for %s would be"
			" exceeded: %g hours recorded in the week %s to %s, and this package adds %g",
			cap, jstr(ctl, "since"), q->commissioner, used, from, to, adding);
	else if (strcmp(unit, "hours") != 0 && used >= cap)
		refuse(res, "the cap of %g %s per %s set on %s for %s is reached: %g recorded in"
			" the %s %s to %s", cap, unit, per, jstr(ctl, "since"), q->commissioner,
			used, per, from, to);
	else
		return CW_OK;
	binding(res, entry);
	return CW_OK;
}

/* Refusals and warnings from the other commissioners' embargoes. */
static int others(cw_db *db, const struct request *q, json_t *res)
{
	bool honour = cw_rules_bool(cw_db_rules(db), "embargo.honour_other_commissioners");
	json_t *list = NULL, *c, *ctl = NULL;
	size_t i;
	int err;

	if ((err = cw_placement_commissioners(db, q->pid, &list)) != CW_OK)
		return err;
	json_array_foreach(list, i, c) {
		char what[600];

		if (strcmp(jstr(c, "id"), q->cid) == 0)
			continue;
		if ((err = cw_placement_control_on(db, q->pid, jstr(c, "id"), q->date, &ctl)) != CW_OK)
			break;
		if (strcmp(jstr(ctl, "status"), "suspended") == 0) {
			snprintf(what, sizeof(what), "%s has suspended new placements with %s:"
				" %s embargo since %s", jstr(c, "name"), q->provider,
				jstr(ctl, "kind"), jstr(ctl, "since"));
			if (honour && json_is_true(json_object_get(res, "allowed")))
				refuse(res, "%s, and the rules honour other commissioners' embargoes"
					" (embargo.honour_other_commissioners)", what);
			else if (!honour)
				json_array_append_new(json_object_get(res, "warnings"), json_sprintf(
					"%s (%s decides for itself; the rules do not honour other"
					" commissioners' embargoes)", what, q->commissioner));
		}
		json_decref(ctl);
		ctl = NULL;
	}
	json_decref(list);
	return err;
}

/* The placement check of SPEC §6 on a resolved request: fills *res. */
static int decide(cw_db *db, const struct request *q, const cw_placement_args *a, json_t *res)
{
	json_t *ctl = NULL, *cond, *caps;
	const char *status;
	int err;

	if ((err = cw_placement_control_on(db, q->pid, q->cid, q->date, &ctl)) != CW_OK)
		return err;
	status = jstr(ctl, "status");
	cond = json_object_get(ctl, "conditions");
	json_object_set_new(res, "status", json_string(status));
	json_object_set_new(res, "allowed", json_true());
	if (strcmp(q->provider_status, "closed") == 0)
		refuse(res, "provider %s is closed (contract terminated or service closed):"
			" no new placements", q->provider);
	else if (strcmp(status, "suspended") == 0)
		refuse(res, "%s has suspended new placements with %s: %s embargo since %s (%s)",
			q->commissioner, q->provider, jstr(ctl, "kind"), jstr(ctl, "since"),
			jstr(ctl, "reason"));
	if ((err = others(db, q, res)) != CW_OK)
		goto done;
	if (!json_is_true(json_object_get(res, "allowed")) || strcmp(status, "restricted") != 0)
		goto done;
	/* Restricted: every condition of the restart that applies. */
	if (a->respite && !json_is_true(json_object_get(cond, "respite_allowed")))
		refuse(res, "respite placements are not allowed under the conditions set on %s"
			" for %s", jstr(ctl, "since"), q->commissioner);
	if (strcmp(q->kind, "admission") == 0 &&
	    json_is_integer(json_object_get(cond, "max_admissions")))
		err = check_cap(db, q, ctl, res, "admissions",
			(double)json_integer_value(json_object_get(cond, "max_admissions")),
			jstr(cond, "per"), 1);
	if (err == CW_OK && strcmp(q->kind, "package") == 0 &&
	    json_is_integer(json_object_get(cond, "max_packages_per_week")))
		err = check_cap(db, q, ctl, res, "packages",
			(double)json_integer_value(json_object_get(cond, "max_packages_per_week")),
			"week", 1);
	if (err == CW_OK && strcmp(q->kind, "package") == 0 &&
	    json_is_real(json_object_get(cond, "max_hours_per_week"))) {
		if (!a->has_hours) {
			err = cw_error_at("hours", CW_EINVALID, "%s caps new hours of care with %s"
				" at %g a week: give the package's hours", q->commissioner, q->provider,
				json_real_value(json_object_get(cond, "max_hours_per_week")));
			goto done;
		}
		err = check_cap(db, q, ctl, res, "hours",
			json_real_value(json_object_get(cond, "max_hours_per_week")), "week", a->hours);
	}
done:
	/* Allowed under caps: report the first that applies (a refusing one set its own). */
	caps = json_object_get(res, "caps");
	if (err == CW_OK && json_array_size(caps) && json_is_true(json_object_get(res, "allowed")))
		binding(res, json_array_get(caps, 0));
	if (err == CW_OK && json_is_true(json_object_get(res, "allowed"))) {
		if (strcmp(status, "restricted") == 0)
			json_object_set_new(res, "reason", json_sprintf("allowed within the conditions"
				" set by %s on %s", q->commissioner, jstr(ctl, "since")));
		else
			json_object_set_new(res, "reason", json_sprintf("allowed: placements with %s"
				" are open for %s", q->provider, q->commissioner));
	}
	json_decref(ctl);
	return err;
}

/* Validate the arguments and resolve who is named. */
static int request_load(cw_db *db, const cw_placement_args *a, struct request *q)
{
	int err;

	memset(q, 0, sizeof(*q));
	q->kind = a->kind ? a->kind : "admission";
	q->date = a->has_date ? a->date : cw_db_today(db);
	if ((err = cw_check_enum("kind", q->kind, cw_placement_kinds)) != CW_OK)
		return err;
	if (a->has_hours && strcmp(q->kind, "package") != 0)
		return cw_error_at("hours", CW_EINVALID, "hours apply to packages of care (kind package)");
	if (a->has_hours && !(a->hours > 0 && a->hours <= 168))
		return cw_error_at("hours", CW_EINVALID, "hours: %g is not a number of hours of care a week"
			" (more than 0, at most 168)", a->hours);
	if ((err = cw_lookup(db, CW_KIND_PROVIDER, a->provider, q->pid)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_COMMISSIONER, a->commissioner, q->cid)) != CW_OK ||
	    (err = entity_name(db, SQL_PROVIDER, q->pid, q->provider, sizeof(q->provider),
			q->provider_status, sizeof(q->provider_status))) != CW_OK)
		return err;
	return entity_name(db, SQL_COMMISSIONER, q->cid, q->commissioner, sizeof(q->commissioner),
		q->lead, sizeof(q->lead));
}

static int check(cw_db *db, const cw_placement_args *a, struct request *q, json_t **out)
{
	char day[CW_DATE_STRLEN];
	json_t *res;
	int err;

	if ((err = request_load(db, a, q)) != CW_OK)
		return err;
	res = json_pack("{s:b,s:s,s:[],s:n,s:n,s:n,s:n,s:s,s:s,s:s,s:s,s:b,s:o,s:[]}",
		"allowed", true, "reason", "", "warnings", "used", "cap", "unit", "period",
		"provider", q->provider, "commissioner", q->commissioner, "kind", q->kind,
		"date", cw_date_format(q->date, day), "respite", a->respite,
		"hours", a->has_hours ? json_real(a->hours) : json_null(), "caps");
	if ((err = decide(db, q, a, res)) != CW_OK) {
		json_decref(res);
		return err;
	}
	json_object_del(res, "caps");
	*out = res;
	if (json_is_true(json_object_get(res, "allowed")))
		return CW_OK;
	return cw_error(CW_EREFUSED, "placement refused: %s", jstr(res, "reason"));
}

int cw_placement_check(cw_db *db, const cw_placement_args *a, json_t **out)
{
	struct request q;

	return check(db, a, &q, out);
}

int cw_placement_record(cw_db *db, const cw_placement_args *a, json_t **out)
{
	struct request q;
	sqlite3_stmt *st = NULL;
	json_t *res = NULL, *p = NULL;
	char id[CW_ID_LEN], day[CW_DATE_STRLEN], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "placement.write")) != CW_OK)
		return err;
	if ((err = check(db, a, &q, &res)) != CW_OK) {
		if (err == CW_EREFUSED) {
			cw_error(CW_EREFUSED, "placement not recorded");
			cw_error_unmet("%s", jstr(res, "reason"));
		}
		goto done;
	}
	cw_db_new_id(db, id);
	cw_date_format(q.date, day);
	if ((err = cw_store_prepare(db, SQL_INSERT_PLACEMENT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, q.pid);
	cw_store_bind_text(st, 3, q.cid);
	cw_store_bind_text(st, 4, q.kind);
	if (a->has_hours)
		sqlite3_bind_double(st, 5, a->hours);
	sqlite3_bind_int(st, 6, a->respite ? 1 : 0);
	cw_store_bind_text(st, 7, day);
	cw_store_bind_text(st, 8, cw_db_actor(db));
	cw_store_bind_date(st, 9, cw_db_today(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:b,s:s,s:s,s:s,s:O}",
		"id", id, "provider_id", q.pid, "provider", q.provider, "commissioner_id", q.cid,
		"commissioner", q.commissioner, "kind", q.kind, "hours", json_object_get(res, "hours"),
		"respite", a->respite, "date", day, "recorded_by", cw_db_actor(db),
		"recorded", cw_date_format(cw_db_today(db), today),
		"warnings", json_object_get(res, "warnings"));
	/* used counts what was there before this one: the cap as the check saw it. */
	json_object_set(p, "used", json_object_get(res, "used"));
	json_object_set(p, "cap", json_object_get(res, "cap"));
	if ((err = cw_audit_append(db, "placement.record", id, json_deep_copy(p))) != CW_OK)
		goto done;
	*out = p;
	p = NULL;
done:
	json_decref(res);
	json_decref(p);
	return err;
}

