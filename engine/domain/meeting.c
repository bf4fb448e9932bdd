/*
 * Provider performance meetings: recording them with their attendees and
 * reading them back. A PPM is the stage-2 meeting (protocol §8), so one is
 * recorded only for a case in provider_performance or embargo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/meeting.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "case_ref.h"

const char *const cw_meeting_trends[] = { "increased", "same", "decreased", NULL };
const char *const cw_meeting_attendance[] = { "all", "part", "none", NULL };

/* The fields of a meeting in the order SQL_INSERT and SQL_UPDATE bind them. */
#define FIELD_COLS "date, chair, provider_attended, overall, trend, decisions, next_date," \
	" time, venue, apologies, minutes_to, attendance, sharing, disagreements, advice," \
	" next_attendees"
#define NFIELDS 16
static const char SQL_INSERT[] =
	"INSERT INTO meetings (id, case_id, created, created_by, kind, " FIELD_COLS ")"
	" VALUES (?1, ?2, ?3, ?4, 'ppm', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
	" ?16, ?17, ?18, ?19, ?20)";
static const char SQL_UPDATE[] =
	"UPDATE meetings SET (" FIELD_COLS ") = (?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20) WHERE id = ?1";
static const char SQL_INSERT_ATTENDEE[] =
	"INSERT INTO meeting_attendees (meeting_id, name, org, role, contact, acknowledged)"
	" VALUES (?1, ?2, ?3, ?4, ?5, 1)";
static const char SQL_REMOVE_ATTENDEES[] =
	"UPDATE meeting_attendees SET removed = ?2 WHERE meeting_id = ?1 AND removed IS NULL";
static const char SQL_INSERT_AMENDMENT[] =
	"INSERT INTO meeting_amendments (meeting_id, date, actor, reason, before, after)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* One meeting per case per date is the meetings_one_per_date index; this
 * names the meeting a refused insert collided with. */
static const char SQL_ON_DATE[] =
	"SELECT coalesce(ref || ', ' || id, id), coalesce(ref, id) FROM meetings"
	" WHERE case_id = ?1 AND date = ?2";
static const char SQL_BY_ID[] =
	"SELECT m.id, m.case_id, c.provider_id, p.name, m.kind, m.date, u.name, m.chair,"
	" m.provider_attended, m.overall, m.trend, m.decisions, m.next_date, m.created,"
	" m.created_by, m.ref, c.ref, m.time, m.venue, m.apologies, m.minutes_to,"
	" coalesce(m.attendance, CASE m.provider_attended WHEN 1 THEN 'all' ELSE 'none' END),"
	" m.sharing, m.disagreements, m.advice, m.next_attendees"
	" FROM meetings m JOIN cases c ON c.id = m.case_id"
	" JOIN providers p ON p.id = c.provider_id LEFT JOIN users u ON u.id = m.chair"
	" WHERE m.id = ?1";
static const char SQL_ATTENDEES[] =
	"SELECT name, org, role, contact, acknowledged FROM meeting_attendees"
	" WHERE meeting_id = ?1 AND removed IS NULL ORDER BY id";
static const char SQL_AMENDMENTS[] =
	"SELECT date, actor, reason, before, after FROM meeting_amendments"
	" WHERE meeting_id = ?1 ORDER BY id";
static const char SQL_IDS_OF_CASE[] =
	"SELECT id FROM meetings WHERE case_id = ?1 ORDER BY date, seq";
static const char SQL_LATEST[] =
	"SELECT id, date, overall, trend, next_date, provider_attended FROM meetings"
	" WHERE case_id = ?1 ORDER BY date DESC, seq DESC LIMIT 1";
static const char SQL_ESCALATED[] = "SELECT escalated FROM cases WHERE id = ?1";

/* One part of "A|B|C", trimmed of the blanks around it. */
static json_t *part(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return json_stringn(p, n);
}

/*
 * Split `spec` at '|' into between min and the number of `keys` parts (a
 * NULL-terminated list), none empty, each valid text, as an object of those
 * keys (a part not given is null). `what` and `form` name it in messages,
 * which quote the spec as given so the user can find it.
 */
static int split_parts(const char *what, const char *form, const char *spec,
	const char *const *keys, size_t min, json_t **out)
{
	json_t *o = json_object();
	const char *p = spec ? spec : "", *bar;
	size_t i, nkeys = 0;
	char label[64];
	int err = CW_OK;

	while (keys[nkeys])
		nkeys++;
	for (i = 0; i < nkeys; i++)
		json_object_set_new(o, keys[i], json_null());
	for (i = 0; ; i++) {
		json_t *v;

		bar = strchr(p, '|');
		if (i == nkeys) {
			err = cw_error_at(what, CW_EINVALID, "%s '%.80s' is not %s", what, spec, form);
			goto done;
		}
		v = part(p, bar ? (size_t)(bar - p) : strlen(p));
		snprintf(label, sizeof(label), "%s %s", what, keys[i]);
		if (!*json_string_value(v)) {
			json_decref(v);
			err = cw_error_at(what, CW_EINVALID, "%s '%.80s' has an empty %s: give %s",
				what, spec, keys[i], form);
			goto done;
		}
		if ((err = cw_check_text(label, json_string_value(v), CW_NAME_MAX, true)) != CW_OK) {
			char why[256];

			json_decref(v);
			/* The reason lives in the buffer the new message is written to. */
			snprintf(why, sizeof(why), "%s", cw_errmsg());
			err = cw_error_at(what, CW_EINVALID, "%s '%.80s': %s", what, spec, why);
			goto done;
		}
		json_object_set_new(o, keys[i], v);
		if (!bar)
			break;
		p = bar + 1;
	}
	if (i + 1 < min) {
		err = cw_error_at(what, CW_EINVALID, "%s '%.80s' is not %s", what, spec, form);
		goto done;
	}
	*out = o;
	o = NULL;
done:
	json_decref(o);
	return err;
}

static int parse_list(const char *what, const char *form, const char *const *v, size_t n,
	const char *const *keys, size_t min, json_t **out)
{
	json_t *list = json_array(), *o;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		if ((err = split_parts(what, form, v[i], keys, min, &o)) != CW_OK) {
			json_decref(list);
			return err;
		}
		json_array_append_new(list, o);
	}
	*out = list;
	return CW_OK;
}

/* Names given one per option, each checked. */
static int name_list(const char *what, const char *const *v, size_t n, json_t **out)
{
	json_t *list = json_array();
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		if ((err = cw_check_text(what, v[i], CW_NAME_MAX, true)) != CW_OK) {
			json_decref(list);
			return err;
		}
		json_array_append_new(list, json_string(v[i]));
	}
	*out = list;
	return CW_OK;
}

static int check_time(const char *t)
{
	if (!t || (strlen(t) == 5 && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' &&
	    (t[0] < '2' || t[1] <= '3') && t[2] == ':' && t[3] >= '0' && t[3] <= '5' &&
	    t[4] >= '0' && t[4] <= '9'))
		return CW_OK;
	return cw_error_at("time", CW_EINVALID, "time '%.20s' is not HH:MM (24-hour)", t);
}

/* Put `v` (owned) at `key` of `f` unless v is NULL: a field not given keeps its value. */
static void put(json_t *f, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(f, key, v);
}

static json_t *opt_string(const char *s)
{
	return s ? json_string(s) : NULL;
}

static const char *const attendee_keys[] = { "name", "org", "role", "contact", NULL };
static const char *const sharing_keys[] = { "what", "with", "when", "why", NULL };

/*
 * The meeting's fields with what `a` gives laid over `f` (record: an
 * object of nulls; amend: the meeting as it is). Checks what can be checked
 * without the database.
 */
static int lay_over(json_t *f, const cw_meeting_record_args *a, bool has_date)
{
	json_t *v = NULL;
	char day[CW_DATE_STRLEN];
	cw_band band;
	int err;

	if ((a->trend && (err = cw_check_enum("trend", a->trend, cw_meeting_trends)) != CW_OK) ||
	    (a->overall && (err = cw_band_parse(a->overall, &band)) != CW_OK) ||
	    (a->attendance && (err = cw_check_enum("provider attendance", a->attendance,
			cw_meeting_attendance)) != CW_OK) ||
	    (err = cw_check_text("decisions", a->decisions, CW_TEXT_MAX, false)) != CW_OK ||
	    (err = cw_check_text("venue", a->venue, CW_NAME_MAX, false)) != CW_OK ||
	    (err = cw_check_text("disagreements", a->disagreements, CW_TEXT_MAX, false)) != CW_OK ||
	    (err = cw_check_text("legal advice", a->legal_advice, CW_TEXT_MAX, false)) != CW_OK ||
	    (err = cw_check_text("media advice", a->media_advice, CW_TEXT_MAX, false)) != CW_OK ||
	    (err = cw_check_text("next attendees", a->next_attendees, CW_TEXT_MAX, false)) != CW_OK ||
	    (err = check_time(a->time)) != CW_OK)
		return err;
	if (a->nattendees) {
		if ((err = parse_list("attendee", "NAME|ORG|ROLE or NAME|ORG|ROLE|CONTACT",
				a->attendees, a->nattendees, attendee_keys, 3, &v)) != CW_OK)
			return err;
		put(f, "attendees", v);
	}
	if (a->nsharing) {
		if ((err = parse_list("information sharing", "WHAT|WITH WHOM|WHEN|WHY",
				a->sharing, a->nsharing, sharing_keys, 4, &v)) != CW_OK)
			return err;
		put(f, "sharing", v);
	}
	if (a->napologies) {
		if ((err = name_list("apologies", a->apologies, a->napologies, &v)) != CW_OK)
			return err;
		put(f, "apologies", v);
	}
	if (a->nminutes_to) {
		if ((err = name_list("minutes to", a->minutes_to, a->nminutes_to, &v)) != CW_OK)
			return err;
		put(f, "minutes_to", v);
	}
	if (has_date)
		put(f, "date", json_string(cw_date_format(a->date, day)));
	if (a->has_next)
		put(f, "next", json_string(cw_date_format(a->next, day)));
	put(f, "chair", opt_string(a->chair));
	put(f, "trend", opt_string(a->trend));
	if (a->overall) {
		cw_band_parse(a->overall, &band);   /* checked above */
		put(f, "overall", json_string(cw_band_name(band)));
	}
	put(f, "provider_attendance", opt_string(a->attendance));
	put(f, "decisions", opt_string(a->decisions));
	put(f, "time", opt_string(a->time));
	put(f, "venue", opt_string(a->venue));
	put(f, "disagreements", opt_string(a->disagreements));
	put(f, "next_attendees", opt_string(a->next_attendees));
	if (a->legal_advice || a->media_advice) {
		json_t *adv = json_deep_copy(json_object_get(f, "advice"));

		if (!json_is_object(adv)) {
			json_decref(adv);
			adv = json_pack("{s:n,s:n}", "legal", "media");
		}
		put(adv, "legal", opt_string(a->legal_advice));
		put(adv, "media", opt_string(a->media_advice));
		json_object_set_new(f, "advice", adv);
	}
	return CW_OK;
}

/* A meeting's fields as lay_over starts from for a new record. */
static json_t *blank_fields(const cw_meeting_record_args *a)
{
	return json_pack("{s:n,s:n,s:n,s:n,s:n,s:s,s:n,s:n,s:n,s:[],s:[],s:[],s:n,s:n,s:n,s:[]}",
		"date", "chair", "trend", "overall", "next",
		"provider_attendance", a->provider_attended ? "all" : "none",
		"decisions", "time", "venue", "apologies", "minutes_to", "sharing",
		"disagreements", "advice", "next_attendees", "attendees");
}

/* The fields of a meeting's JSON (cw_meeting_get), as lay_over works on them. */
static json_t *fields_of(const json_t *m)
{
	static const char *const keys[] = { "date", "trend", "overall", "next",
		"provider_attendance", "decisions", "time", "venue", "apologies", "minutes_to",
		"sharing", "disagreements", "advice", "next_attendees", NULL };
	json_t *f = json_object(), *people = json_array(), *e;
	size_t i;

	for (i = 0; keys[i]; i++)
		json_object_set_new(f, keys[i], json_deep_copy(json_object_get(m, keys[i])));
	json_object_set(f, "chair", json_object_get(m, "chair_id"));
	json_array_foreach(json_object_get(m, "attendees"), i, e)
		json_array_append_new(people, json_pack("{s:O,s:O,s:O,s:O}", "name",
			json_object_get(e, "name"), "org", json_object_get(e, "org"),
			"role", json_object_get(e, "role"), "contact", json_object_get(e, "contact")));
	json_object_set_new(f, "attendees", people);
	return f;
}

static const char *fs(const json_t *f, const char *k)
{
	return json_string_value(json_object_get(f, k));
}

/* A text column from the row of `id`; "" when there is none. */
static int one_text(cw_db *db, const char *sql, const char *id, char *out, size_t n)
{
	cw_stmt *st = NULL;
	int rc, err;

	out[0] = '\0';
	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		snprintf(out, n, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

/*
 * What needs the database: the chair is a user holding a casework role
 * (f.chair becomes its id), and the meeting is held on or after the case's
 * escalation and not after today, the next one after it.
 */
static int check_fields(cw_db *db, const char *case_id, const char *case_name, json_t *f)
{
	char chair_id[CW_ID_LEN], escalated[CW_DATE_STRLEN] = "";
	char today[CW_DATE_STRLEN];
	const char *date = fs(f, "date"), *next = fs(f, "next");
	int err;

	if (json_array_size(json_object_get(f, "attendees")) == 0)
		return cw_error_at("attendee", CW_EINVALID, "a meeting needs at least one attendee NAME|ORG|ROLE");
	if ((err = cw_lookup_chair(db, fs(f, "chair"), chair_id)) != CW_OK) {
		if (err == CW_ENOTFOUND) {
			/* Keep the lookup's "did you mean". */
			const char *hint = strstr(cw_errmsg(), "; did you mean");
			char *keep = cw_strdup(hint ? hint : "");

			err = cw_error(CW_ENOTFOUND, "the chair '%s' is not a carewatch user%s",
				fs(f, "chair"), keep);
			free(keep);
		}
		return err;
	}
	json_object_set_new(f, "chair", json_string(chair_id));
	cw_date_format(cw_db_today(db), today);
	if (strcmp(date, today) > 0)
		return cw_error_at("date", CW_EINVALID, "date %s is after today: record a meeting once it"
			" has been held (give the next one as the next date)", date);
	if (next && strcmp(next, date) <= 0)
		return cw_error_at("next", CW_EINVALID, "next %s must be after the meeting's date %s",
			next, date);
	if ((err = one_text(db, SQL_ESCALATED, case_id, escalated, sizeof(escalated))) != CW_OK)
		return err;
	if (escalated[0] && strcmp(date, escalated) < 0)
		return cw_error_at("date", CW_EREFUSED, "date %s is before case %s was escalated on %s:"
			" a provider performance meeting is held once the process has commenced",
			date, case_name, escalated);
	return CW_OK;
}

/* The stage-2 meeting belongs to a case in stage 2 (or its embargo). */
static int check_case(const struct cw_case_ref *c)
{
	if (strcmp(c->stage, "provider_performance") != 0 && strcmp(c->stage, "embargo") != 0)
		return cw_error(CW_EREFUSED, "case %s is in stage %s: a provider performance"
			" meeting is held in stage provider_performance or embargo (escalate the"
			" case first)", cw_case_name(c), c->stage);
	return CW_OK;
}

/*
 * The same meeting entered twice is a slip, not a second meeting. The
 * schema's unique index refuses the second insert, however the writers
 * interleave; this turns that refusal into words naming the first.
 */
static int refuse_second(cw_db *db, const char *case_id, const char *case_name,
	const char *date)
{
	cw_stmt *st = NULL;
	char first[CW_ID_LEN + 32] = "", name[CW_ID_LEN] = "";
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_ON_DATE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	cw_store_bind_text(st, 2, date);
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		snprintf(first, sizeof(first), "%s", cw_store_col_text(st, 0));
		snprintf(name, sizeof(name), "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (rc != CW_ROW && rc != CW_OK)
		return rc;
	return cw_error(CW_EREFUSED, "case %s already has a meeting on %s (%s); to correct it,"
		" meeting amend %s --reason TEXT", case_name, date, first, name);
}

static void bind_json(cw_stmt *st, int i, const json_t *v)
{
	char *s;

	if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0)) {
		cw_store_bind_null(st, i);
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
	cw_store_bind_text(st, i, s);
	free(s);
}

/* Bind the fields of `f` from ?5 on, in the order of FIELD_COLS. */
static void bind_fields(cw_stmt *st, const json_t *f)
{
	const char *att = fs(f, "provider_attendance");

	cw_store_bind_text(st, 5, fs(f, "date"));
	cw_store_bind_text(st, 6, fs(f, "chair"));
	cw_store_bind_int(st, 7, att && strcmp(att, "none") != 0);
	cw_store_bind_text(st, 8, fs(f, "overall"));
	cw_store_bind_text(st, 9, fs(f, "trend"));
	cw_store_bind_text(st, 10, fs(f, "decisions"));
	cw_store_bind_text(st, 11, fs(f, "next"));
	cw_store_bind_text(st, 12, fs(f, "time"));
	cw_store_bind_text(st, 13, fs(f, "venue"));
	bind_json(st, 14, json_object_get(f, "apologies"));
	bind_json(st, 15, json_object_get(f, "minutes_to"));
	cw_store_bind_text(st, 16, att);
	bind_json(st, 17, json_object_get(f, "sharing"));
	cw_store_bind_text(st, 18, fs(f, "disagreements"));
	bind_json(st, 19, json_object_get(f, "advice"));
	cw_store_bind_text(st, 20, fs(f, "next_attendees"));
}

static int insert_attendees(cw_db *db, const char *id, const json_t *people)
{
	cw_stmt *st = NULL;
	json_t *e;
	size_t i;
	int err;

	json_array_foreach(people, i, e) {
		if ((err = cw_store_prepare(db, SQL_INSERT_ATTENDEE, &st)) != CW_OK)
			return err;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, fs(e, "name"));
		cw_store_bind_text(st, 3, fs(e, "org"));
		cw_store_bind_text(st, 4, fs(e, "role"));
		cw_store_bind_text(st, 5, fs(e, "contact"));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			return err;
	}
	return CW_OK;
}

/* Insert (no meeting id yet: `case_id` set) or update the meeting `id`. */
static int write_fields(cw_db *db, const char *id, const char *case_id, const char *case_name,
	const json_t *f)
{
	cw_stmt *st = NULL;
	char today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_store_prepare(db, case_id ? SQL_INSERT : SQL_UPDATE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if (case_id) {
		cw_store_bind_text(st, 2, case_id);
		cw_store_bind_text(st, 3, cw_date_format(cw_db_today(db), today));
		cw_store_bind_text(st, 4, cw_db_actor(db));
	}
	bind_fields(st, f);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK && cw_store_conflict(db))
		return refuse_second(db, json_string_value(json_object_get(f, "case_id")),
			case_name, fs(f, "date"));
	return err;
}

int cw_meeting_record(cw_db *db, const cw_meeting_record_args *a, json_t **out)
{
	struct cw_case_ref c;
	json_t *f = blank_fields(a), *details;
	char id[CW_ID_LEN];
	int err;

	if ((err = cw_db_require(db, "meeting.write")) != CW_OK)
		goto done;
	if (a->nattendees == 0) {
		err = cw_error_at("attendee", CW_EINVALID, "a meeting needs at least one attendee NAME|ORG|ROLE");
		goto done;
	}
	if (!a->trend) {
		err = cw_error_at("trend", CW_EINVALID, "a meeting records the trend (increased,"
			" same, decreased)");
		goto done;
	}
	if ((err = lay_over(f, a, true)) != CW_OK ||
	    (err = cw_case_resolve(db, a->case_ref, &c)) != CW_OK)
		goto done;
	json_object_set_new(f, "case_id", json_string(c.id));
	if ((err = check_fields(db, c.id, cw_case_name(&c), f)) != CW_OK ||
	    (err = check_case(&c)) != CW_OK)
		goto done;
	cw_db_new_id(db, id);
	if ((err = write_fields(db, id, c.id, cw_case_name(&c), f)) != CW_OK ||
	    (err = insert_attendees(db, id, json_object_get(f, "attendees"))) != CW_OK)
		goto done;
	details = json_deep_copy(f);
	json_object_set_new(details, "provider_attended", json_boolean(
		strcmp(fs(f, "provider_attendance"), "none") != 0));
	if ((err = cw_audit_append(db, "meeting.record", id, details)) != CW_OK)
		goto done;
	err = cw_meeting_get(db, id, out);
done:
	json_decref(f);
	return err;
}

int cw_meeting_amend(cw_db *db, const cw_meeting_amend_args *a, json_t **out)
{
	json_t *m = NULL, *before = NULL, *after = NULL, *was = json_object(), *now = json_object();
	json_t *v;
	const char *key;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN];
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_db_require(db, "meeting.write")) != CW_OK ||
	    (err = cw_check_text("reason", a->reason, CW_TEXT_MAX, true)) != CW_OK)
		goto done;
	if ((err = cw_lookup(db, CW_KIND_MEETING, a->meeting, id)) != CW_OK ||
	    (err = cw_meeting_get(db, id, &m)) != CW_OK)
		goto done;
	before = fields_of(m);
	after = json_deep_copy(before);
	if ((err = lay_over(after, &a->set, a->has_date)) != CW_OK)
		goto done;
	json_object_set(after, "case_id", json_object_get(m, "case_id"));
	if ((err = check_fields(db, fs(m, "case_id"), fs(m, "case_ref") ? fs(m, "case_ref")
			: fs(m, "case_id"), after)) != CW_OK)
		goto done;
	json_object_del(after, "case_id");
	/* Before and after name only what changed. */
	json_object_foreach(after, key, v)
		if (!json_equal(v, json_object_get(before, key))) {
			json_object_set(was, key, json_object_get(before, key));
			json_object_set(now, key, v);
		}
	if (json_object_size(now) == 0) {
		err = cw_error(CW_EINVALID, "nothing to change: meeting %s already reads so",
			fs(m, "ref") ? fs(m, "ref") : id);
		goto done;
	}
	json_object_set(after, "case_id", json_object_get(m, "case_id"));
	if ((err = write_fields(db, id, NULL, fs(m, "case_ref") ? fs(m, "case_ref")
			: fs(m, "case_id"), after)) != CW_OK)
		goto done;
	cw_date_format(cw_db_today(db), today);
	if (json_object_get(now, "attendees")) {
		if ((err = cw_store_prepare(db, SQL_REMOVE_ATTENDEES, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, today);
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
		    (err = insert_attendees(db, id, json_object_get(after, "attendees"))) != CW_OK)
			goto done;
	}
	if ((err = cw_store_prepare(db, SQL_INSERT_AMENDMENT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, today);
	cw_store_bind_text(st, 3, cw_db_actor(db));
	cw_store_bind_text(st, 4, a->reason);
	bind_json(st, 5, was);
	bind_json(st, 6, now);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_audit_append(db, "meeting.amend", id, json_pack("{s:s,s:O,s:O}",
			"reason", a->reason, "before", was, "after", now))) != CW_OK)
		goto done;
	err = cw_meeting_get(db, id, out);
done:
	json_decref(m);
	json_decref(before);
	json_decref(after);
	json_decref(was);
	json_decref(now);
	return err;
}

static json_t *attendee_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:o,s:b}",
		"name", cw_store_col_text(st, 0), "org", cw_store_col_text(st, 1),
		"role", cw_store_col_text(st, 2), "contact", cw_store_col_json_text(st, 3),
		"acknowledged", cw_store_col_int(st, 4) != 0);
}

/* A column holding JSON; `empty` (owned) when NULL or damaged. */
static json_t *col_json(cw_stmt *st, int i, json_t *empty)
{
	json_t *v;

	if (cw_store_col_is_null(st, i))
		return empty;
	v = json_loads(cw_store_col_text(st, i), JSON_DECODE_ANY, NULL);
	if (!v)
		return empty;
	json_decref(empty);
	return v;
}

static json_t *amendment_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:o,s:o}", "date", cw_store_col_text(st, 0),
		"by", cw_store_col_text(st, 1), "reason", cw_store_col_text(st, 2),
		"before", col_json(st, 3, json_object()), "after", col_json(st, 4, json_object()));
}

static int rows_of(cw_db *db, const char *sql, const char *id, cw_store_row_fn fn,
	json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	return cw_store_rows(db, st, fn, NULL, out);
}

int cw_meeting_get(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *m = NULL, *people = NULL, *amends = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_BY_ID, id, "meeting", &st)) != CW_OK)
		goto done;
	/* Keys in the order of the meeting's JSON in the header. */
	m = json_object();
	json_object_set_new(m, "id", json_string(cw_store_col_text(st, 0)));
	json_object_set_new(m, "ref", cw_store_col_json_text(st, 15));
	json_object_set_new(m, "case_id", json_string(cw_store_col_text(st, 1)));
	json_object_set_new(m, "case_ref", cw_store_col_json_text(st, 16));
	json_object_set_new(m, "provider_id", json_string(cw_store_col_text(st, 2)));
	json_object_set_new(m, "provider", json_string(cw_store_col_text(st, 3)));
	json_object_set_new(m, "kind", json_string(cw_store_col_text(st, 4)));
	json_object_set_new(m, "date", json_string(cw_store_col_text(st, 5)));
	json_object_set_new(m, "time", cw_store_col_json_text(st, 17));
	json_object_set_new(m, "venue", cw_store_col_json_text(st, 18));
	json_object_set_new(m, "chair", cw_store_col_json_text(st, 6));
	json_object_set_new(m, "chair_id", json_string(cw_store_col_text(st, 7)));
	json_object_set_new(m, "attendees", json_null());   /* filled below, keeps its place */
	json_object_set_new(m, "apologies", col_json(st, 19, json_array()));
	json_object_set_new(m, "minutes_to", col_json(st, 20, json_array()));
	json_object_set_new(m, "provider_attended", json_boolean(cw_store_col_int(st, 8)));
	json_object_set_new(m, "provider_attendance", json_string(cw_store_col_text(st, 21)));
	json_object_set_new(m, "overall", cw_store_col_json_text(st, 9));
	json_object_set_new(m, "trend", json_string(cw_store_col_text(st, 10)));
	json_object_set_new(m, "decisions", cw_store_col_json_text(st, 11));
	json_object_set_new(m, "sharing", col_json(st, 22, json_array()));
	json_object_set_new(m, "disagreements", cw_store_col_json_text(st, 23));
	json_object_set_new(m, "advice", col_json(st, 24, json_null()));
	json_object_set_new(m, "next", cw_store_col_json_text(st, 12));
	json_object_set_new(m, "next_attendees", cw_store_col_json_text(st, 25));
	json_object_set_new(m, "amendments", json_null());
	json_object_set_new(m, "created", json_string(cw_store_col_text(st, 13)));
	json_object_set_new(m, "created_by", json_string(cw_store_col_text(st, 14)));
	cw_store_done(st);
	st = NULL;
	if ((err = rows_of(db, SQL_ATTENDEES, id, attendee_json, &people)) != CW_OK ||
	    (err = rows_of(db, SQL_AMENDMENTS, id, amendment_json, &amends)) != CW_OK)
		goto done;
	json_object_set_new(m, "attendees", people);
	json_object_set_new(m, "amendments", amends);
	*out = m;
	m = NULL;
done:
	cw_store_done(st);
	json_decref(m);
	return err;
}

static int list_item(cw_db *db, const char *id, void *arg, json_t **out)
{
	(void)arg;
	return cw_meeting_get(db, id, out);
}

int cw_meeting_list(cw_db *db, const char *case_ref, json_t **out)
{
	return cw_case_items(db, case_ref, SQL_IDS_OF_CASE, list_item, NULL, out);
}

int cw_meeting_latest(cw_db *db, const char *case_id, cw_meeting_summary *out)
{
	cw_stmt *st = NULL;
	int rc, err;

	memset(out, 0, sizeof(*out));
	if ((err = cw_store_prepare(db, SQL_LATEST, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	rc = cw_store_step(db, st);
	if (rc == CW_ROW) {
		out->found = true;
		snprintf(out->id, sizeof(out->id), "%s", cw_store_col_text(st, 0));
		if (cw_date_parse(cw_store_col_text(st, 1), &out->date) != CW_OK)
			err = cw_error(CW_EINTERNAL, "meeting %s has a damaged date", out->id);
		/* A band word the rules no longer know reads as "no level set". */
		if (!cw_store_col_is_null(st, 2) &&
		    cw_band_parse(cw_store_col_text(st, 2), &out->overall) != CW_OK) {
			out->overall = CW_BAND_NONE;
			if (err == CW_OK)
				cw_error_clear();
		}
		snprintf(out->trend, sizeof(out->trend), "%s", cw_store_col_text(st, 3));
		out->has_next = !cw_store_col_is_null(st, 4) &&
			cw_date_parse(cw_store_col_text(st, 4), &out->next) == CW_OK;
		out->provider_attended = cw_store_col_int(st, 5) != 0;
	} else if (rc != CW_OK) {
		err = rc;
	}
	cw_store_done(st);
	return err;
}
