/*
 * Placement control: the placement check of SPEC §6 and the placements
 * recorded against caps. decide() gathers the facts (the controls, the
 * counts in each cap's period) and the pure rule of rules/caps.c decides;
 * both `placement check` and `placement record` go through it, so the two
 * can never disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/placement.h"
#include "carewatch/words.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "placement_internal.h"
#include "caps.h"

const char *const cw_placement_kinds[] = { "admission", "package", NULL };
const char *const cw_embargo_kinds[] = { "mandatory", "voluntary", NULL };
const char *const cw_cap_periods[] = { "week", "month", NULL };

static const char SQL_PROVIDER[] = "SELECT name, status FROM providers WHERE id = ?1";
static const char SQL_COMMISSIONER[] = "SELECT name, is_lead FROM commissioners WHERE id = ?1";
static const char SQL_USED[] =
	"SELECT count(*), coalesce(sum(hours), 0) FROM placements WHERE provider_id = ?1"
	" AND commissioner_id = ?2 AND kind = ?3 AND on_date >= ?4 AND on_date < ?5";
static const char SQL_INSERT_PLACEMENT[] =
	"INSERT INTO placements (id, provider_id, commissioner_id, kind, hours, respite,"
	" on_date, recorded_by, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_LOCK_CONTROL[] =
	"UPDATE placement_controls SET placements_recorded = placements_recorded + 1 WHERE id = ?1";

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Name (and, for providers, status) of a `what` by id, into buffers. */
static int entity_name(cw_db *db, const char *sql, const char *what, const char *id,
	char *name, size_t n, char *extra, size_t m)
{
	cw_stmt *st = NULL;
	int err = cw_store_get(db, sql, id, what, &st);

	if (err == CW_OK) {
		snprintf(name, n, "%s", cw_store_col_text(st, 0));
		snprintf(extra, m, "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	return err;
}

/* What decide() works from. */
struct request {
	char pid[CW_ID_LEN], cid[CW_ID_LEN];
	char provider[CW_NAME_MAX + 1], commissioner[CW_NAME_MAX + 1];
	char provider_status[16], lead[4];
	const char *kind;
	cw_date date;
};

/* Placements (or hours) of the cap's kind on count_from .. to. */
static int used_in(cw_db *db, const struct request *q, cw_cap *c)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_USED, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, q->pid);
	cw_store_bind_text(st, 2, q->cid);
	cw_store_bind_text(st, 3, cw_cap_counts_kind(c->unit));
	cw_store_bind_date(st, 4, c->count_from);
	cw_store_bind_date(st, 5, c->to + 1);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		c->used = c->unit == CW_CAP_HOURS ? cw_store_col_double(st, 1)
			: (double)cw_store_col_int(st, 0);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

/*
 * Take the lock the cap's count-then-insert needs: bump the control row's
 * placements_recorded before counting. In a server database a second
 * writer recording against the same control blocks on that row until this
 * one commits, and then counts this one's placement; in SQLite, BEGIN
 * IMMEDIATE has already serialised every writer, so the UPDATE only keeps
 * the count honest.
 */
static int lock_control(cw_db *db, long long id)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_LOCK_CONTROL, &st)) != CW_OK)
		return err;
	cw_store_bind_int(st, 1, id);
	return cw_store_exec_stmt(db, st);
}

/*
 * The deciding commissioner's control on the date; with `lock`, locked,
 * and read again after the lock so that a decision committed meanwhile
 * (a restart ends the control it locks) is the one decided on.
 */
static int control_load(cw_db *db, const struct request *q, bool lock, cw_placement_control *c)
{
	long long locked = 0;
	int err;

	if ((err = cw_placement_control_on(db, q->pid, q->cid, q->date, c)) != CW_OK)
		return err;
	while (lock && c->id && c->id != locked) {
		locked = c->id;
		cw_placement_control_free(c);
		if ((err = lock_control(db, locked)) != CW_OK ||
		    (err = cw_placement_control_on(db, q->pid, q->cid, q->date, c)) != CW_OK)
			return err;
	}
	return CW_OK;
}

/* The other commissioners' controls on the date, for the rules to read. */
struct others {
	cw_placement_body *bodies;
	cw_placement_control *ctl;
	cw_caps_other *v;
	size_t n;
};

static void others_free(struct others *o)
{
	for (size_t i = 0; i < o->n; i++)
		cw_placement_control_free(&o->ctl[i]);
	free(o->bodies);
	free(o->ctl);
	free(o->v);
}

static int others_load(cw_db *db, const struct request *q, struct others *o)
{
	size_t i, n;
	int err;

	memset(o, 0, sizeof(*o));
	if ((err = cw_placement_commissioners(db, q->pid, &o->bodies, &n)) != CW_OK)
		return err;
	o->ctl = cw_calloc(n ? n : 1, sizeof(*o->ctl));
	o->v = cw_calloc(n ? n : 1, sizeof(*o->v));
	for (i = 0; i < n; i++) {
		if (strcmp(o->bodies[i].id, q->cid) == 0)
			continue;
		if ((err = cw_placement_control_on(db, q->pid, o->bodies[i].id, q->date,
				&o->ctl[o->n])) != CW_OK)
			return err;
		o->v[o->n].name = o->bodies[i].name;
		o->v[o->n].ctl = &o->ctl[o->n];
		o->n++;
	}
	return CW_OK;
}

/* Counts are whole numbers; hours may have a fraction. */
static json_t *number(double v, cw_cap_unit unit)
{
	return unit == CW_CAP_HOURS ? json_real(v) : json_integer((json_int_t)v);
}

/* The control in words, from the engine, for every front door to show. */
static void set_words(json_t *o)
{
	char *w = cw_placement_words(o, false);

	json_object_set_new(o, "control", json_string(w));
	free(w);
}

/* The decision as placement.h describes it. */
static json_t *decision_json(const struct request *q, const cw_placement_args *a,
	const cw_placement_control *ctl, const cw_cap *caps, const cw_caps_decision *d)
{
	char day[CW_DATE_STRLEN], from[CW_DATE_STRLEN], to[CW_DATE_STRLEN];
	json_t *res = json_pack("{s:b,s:s,s:[],s:n,s:n,s:n,s:n,s:s,s:s,s:s,s:s,s:b,s:o,s:s}",
		"allowed", d->allowed, "reason", d->reason, "warnings", "used", "cap", "unit",
		"period", "provider", q->provider, "commissioner", q->commissioner, "kind", q->kind,
		"date", cw_date_format(q->date, day), "respite", a->respite,
		"hours", a->has_hours ? json_real(a->hours) : json_null(), "status", ctl->status);

	if (strcmp(ctl->status, "suspended") == 0) {
		char since[CW_DATE_STRLEN];

		/* Which embargo, and since when, for the words. */
		json_object_set_new(res, "embargo", json_string(ctl->kind));
		if (ctl->has_since)
			json_object_set_new(res, "since", json_string(cw_date_format(ctl->since, since)));
	}
	for (size_t i = 0; i < d->nwarnings; i++)
		json_array_append_new(json_object_get(res, "warnings"), json_string(d->warnings[i]));
	if (d->binding >= 0) {
		const cw_cap *c = &caps[d->binding];

		json_object_set_new(res, "used", number(c->used, c->unit));
		json_object_set_new(res, "cap", number(c->cap, c->unit));
		json_object_set_new(res, "unit", json_string(cw_cap_unit_name(c->unit)));
		json_object_set_new(res, "period", json_pack("{s:s,s:s}",
			"from", cw_date_format(c->from, from), "to", cw_date_format(c->to, to)));
		json_object_set_new(res, "per", json_string(c->per));
	}
	set_words(res);
	return res;
}

/*
 * The placement check of SPEC §6 on a resolved request: gather the facts,
 * let the rules decide (rules/caps.c), and say it as JSON in *out. With
 * `lock`, the control is locked before the caps are counted (record).
 */
static int decide(cw_db *db, const struct request *q, const cw_placement_args *a, bool lock,
	json_t **out)
{
	cw_placement_control ctl;
	struct others o = { 0 };
	cw_cap caps[3];
	cw_caps_decision d = { 0 };
	cw_caps_request r = { 0 };
	size_t i;
	int err;

	if ((err = control_load(db, q, lock, &ctl)) != CW_OK)
		goto done;
	if ((err = others_load(db, q, &o)) != CW_OK)
		goto done;
	r.ncaps = cw_caps_applying(&ctl, q->kind, q->date, caps);
	for (i = 0; i < r.ncaps; i++)
		if ((err = used_in(db, q, &caps[i])) != CW_OK)
			goto done;
	r.provider = q->provider;
	r.commissioner = q->commissioner;
	r.provider_closed = strcmp(q->provider_status, "closed") == 0;
	r.kind = q->kind;
	r.respite = a->respite;
	r.has_hours = a->has_hours;
	r.hours = a->hours;
	r.ctl = &ctl;
	r.others = o.v;
	r.nothers = o.n;
	r.honour_others = cw_rules_bool(cw_db_rules(db), "embargo.honour_other_commissioners");
	r.caps = caps;
	if ((err = cw_caps_decide(&r, &d)) != CW_OK)
		goto done;
	*out = decision_json(q, a, &ctl, caps, &d);
done:
	cw_caps_decision_free(&d);
	others_free(&o);
	cw_placement_control_free(&ctl);
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
	    (err = entity_name(db, SQL_PROVIDER, "provider", q->pid, q->provider, sizeof(q->provider),
			q->provider_status, sizeof(q->provider_status))) != CW_OK)
		return err;
	return entity_name(db, SQL_COMMISSIONER, "commissioner", q->cid, q->commissioner,
		sizeof(q->commissioner), q->lead, sizeof(q->lead));
}

static int check(cw_db *db, const cw_placement_args *a, struct request *q, bool lock,
	json_t **out)
{
	json_t *res = NULL;
	int err;

	if ((err = request_load(db, a, q)) != CW_OK ||
	    (err = decide(db, q, a, lock, &res)) != CW_OK)
		return err;
	*out = res;
	if (json_is_true(json_object_get(res, "allowed")))
		return CW_OK;
	return cw_error(CW_EREFUSED, "placement refused: %s", jstr(res, "reason"));
}

int cw_placement_check(cw_db *db, const cw_placement_args *a, json_t **out)
{
	struct request q;

	return check(db, a, &q, false, out);
}

int cw_placement_record(cw_db *db, const cw_placement_args *a, json_t **out)
{
	struct request q;
	cw_stmt *st = NULL;
	json_t *res = NULL, *p = NULL;
	char id[CW_ID_LEN], day[CW_DATE_STRLEN], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "placement.write")) != CW_OK)
		return err;
	if ((err = check(db, a, &q, true, &res)) != CW_OK) {
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
		cw_store_bind_double(st, 5, a->hours);
	cw_store_bind_int(st, 6, a->respite ? 1 : 0);
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
	/* used counts what was there before this one: the cap as the check saw it;
	 * the words count this one too. */
	json_object_set(p, "used", json_object_get(res, "used"));
	json_object_set(p, "cap", json_object_get(res, "cap"));
	if (json_is_number(json_object_get(res, "used"))) {
		json_t *after = json_deep_copy(res);
		double add = strcmp(jstr(res, "unit"), "hours") == 0 ? a->hours : 1;

		json_object_set_new(after, "used",
			json_real(json_number_value(json_object_get(res, "used")) + add));
		set_words(after);
		json_object_set(p, "control", json_object_get(after, "control"));
		json_decref(after);
	} else {
		json_object_set(p, "control", json_object_get(res, "control"));
	}
	if ((err = cw_audit_append(db, "placement.record", id, json_deep_copy(p))) != CW_OK)
		goto done;
	*out = p;
	p = NULL;
done:
	json_decref(res);
	json_decref(p);
	return err;
}

