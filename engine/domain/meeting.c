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

static const char SQL_INSERT[] =
	"INSERT INTO meetings (id, case_id, kind, date, chair, provider_attended, overall,"
	" trend, decisions, next_date, created, created_by)"
	" VALUES (?1, ?2, 'ppm', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_INSERT_ATTENDEE[] =
	"INSERT INTO meeting_attendees (meeting_id, name, org, role, acknowledged)"
	" VALUES (?1, ?2, ?3, ?4, 1)";
/* One meeting per case per date is the meetings_one_per_date index; this
 * names the meeting a refused insert collided with. */
static const char SQL_ON_DATE[] =
	"SELECT id FROM meetings WHERE case_id = ?1 AND date = ?2";
static const char SQL_BY_ID[] =
	"SELECT m.id, m.case_id, c.provider_id, p.name, m.kind, m.date, u.name, m.chair,"
	" m.provider_attended, m.overall, m.trend, m.decisions, m.next_date, m.created,"
	" m.created_by, m.ref, c.ref"
	" FROM meetings m JOIN cases c ON c.id = m.case_id"
	" JOIN providers p ON p.id = c.provider_id LEFT JOIN users u ON u.id = m.chair"
	" WHERE m.id = ?1";
static const char SQL_ATTENDEES[] =
	"SELECT name, org, role, acknowledged FROM meeting_attendees"
	" WHERE meeting_id = ?1 ORDER BY id";
static const char SQL_IDS_OF_CASE[] =
	"SELECT id FROM meetings WHERE case_id = ?1 ORDER BY date, seq";
static const char SQL_LATEST[] =
	"SELECT id, date, overall, trend, next_date, provider_attended FROM meetings"
	" WHERE case_id = ?1 ORDER BY date DESC, seq DESC LIMIT 1";

/* An attendee as given on the command line, split into its three parts. */
struct attendee {
	char *name, *org, *role;
};

static void attendees_free(struct attendee *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].org);
		free(v[i].role);
	}
	free(v);
}

/* One part of "NAME|ORG|ROLE", trimmed of the blanks around it. */
static char *part(const char *p, size_t n)
{
	char *s;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	s = cw_malloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * Split "NAME|ORG|ROLE": exactly three parts, none empty, each a valid
 * name. The message quotes the attendee as given, so the user can find it.
 */
static int parse_attendee(const char *spec, struct attendee *a)
{
	const char *bar1 = spec ? strchr(spec, '|') : NULL;
	const char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
	int err;

	memset(a, 0, sizeof(*a));
	if (!bar1 || !bar2 || strchr(bar2 + 1, '|'))
		return cw_error_at("attendee", CW_EINVALID, "attendee '%.80s' is not NAME|ORG|ROLE"
			" (three parts separated by '|')", spec ? spec : "");
	a->name = part(spec, (size_t)(bar1 - spec));
	a->org = part(bar1 + 1, (size_t)(bar2 - bar1 - 1));
	a->role = part(bar2 + 1, strlen(bar2 + 1));
	if (!*a->name || !*a->org || !*a->role)
		return cw_error_at("attendee", CW_EINVALID, "attendee '%.80s' has an empty %s: give NAME|ORG|ROLE",
			spec, !*a->name ? "name" : !*a->org ? "organisation" : "role");
	if ((err = cw_check_name("attendee name", a->name)) != CW_OK ||
	    (err = cw_check_name("attendee organisation", a->org)) != CW_OK ||
	    (err = cw_check_name("attendee role", a->role)) != CW_OK) {
		char why[256];

		/* The reason lives in the buffer the new message is written to. */
		snprintf(why, sizeof(why), "%s", cw_errmsg());
		return cw_error_at("attendee", CW_EINVALID, "attendee '%.80s': %s", spec, why);
	}
	return CW_OK;
}

/* Everything that can be said about the input without the database. */
static int check_input(cw_db *db, const cw_meeting_record_args *a,
	struct attendee **outv)
{
	struct attendee *v = NULL;
	char day[CW_DATE_STRLEN], next[CW_DATE_STRLEN];
	cw_band band;
	size_t i;
	int err = CW_OK;

	if (a->nattendees == 0)
		return cw_error_at("attendee", CW_EINVALID, "a meeting needs at least one attendee NAME|ORG|ROLE");
	v = cw_calloc(a->nattendees, sizeof(*v));
	for (i = 0; i < a->nattendees && err == CW_OK; i++)
		err = parse_attendee(a->attendees[i], &v[i]);
	if (err != CW_OK)
		goto done;
	if ((err = cw_check_enum("trend", a->trend, cw_meeting_trends)) != CW_OK ||
	    (a->overall && (err = cw_band_parse(a->overall, &band)) != CW_OK) ||
	    (err = cw_check_text("decisions", a->decisions, CW_TEXT_MAX, false)) != CW_OK)
		goto done;
	if (a->date > cw_db_today(db)) {
		err = cw_error_at("date", CW_EINVALID, "date %s is after today: record a meeting once it"
			" has been held (give the next one as the next date)", cw_date_format(a->date, day));
		goto done;
	}
	if (a->has_next && a->next <= a->date) {
		err = cw_error_at("next", CW_EINVALID, "next %s must be after the meeting's date %s",
			cw_date_format(a->next, next), cw_date_format(a->date, day));
		goto done;
	}
	*outv = v;
	v = NULL;
done:
	attendees_free(v, a->nattendees);
	return err;
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
static int refuse_second(cw_db *db, const char *case_id, cw_date date)
{
	cw_stmt *st = NULL;
	char day[CW_DATE_STRLEN], first[CW_ID_LEN] = "";
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_ON_DATE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	cw_store_bind_date(st, 2, date);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		snprintf(first, sizeof(first), "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	if (rc != CW_ROW && rc != CW_OK)
		return rc;
	return cw_error(CW_EREFUSED, "case %s already has a meeting on %s (%s); meetings"
		" are not edited", case_id, cw_date_format(date, day), first);
}

static int insert(cw_db *db, const char *id, const char *case_id, const char *chair_id,
	const cw_meeting_record_args *a, const struct attendee *v)
{
	cw_stmt *st = NULL;
	char today[CW_DATE_STRLEN];
	cw_band band = CW_BAND_NONE;
	size_t i;
	int err;

	if (a->overall)
		cw_band_parse(a->overall, &band);   /* checked in check_input */
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, case_id);
	cw_store_bind_date(st, 3, a->date);
	cw_store_bind_text(st, 4, chair_id);
	cw_store_bind_int(st, 5, a->provider_attended ? 1 : 0);
	cw_store_bind_text(st, 6, band != CW_BAND_NONE ? cw_band_name(band) : NULL);
	cw_store_bind_text(st, 7, a->trend);
	cw_store_bind_text(st, 8, a->decisions);
	if (a->has_next)
		cw_store_bind_date(st, 9, a->next);
	else
		cw_store_bind_null(st, 9);
	cw_store_bind_text(st, 10, cw_date_format(cw_db_today(db), today));
	cw_store_bind_text(st, 11, cw_db_actor(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		return cw_store_conflict(db) ? refuse_second(db, case_id, a->date) : err;
	for (i = 0; i < a->nattendees; i++) {
		if ((err = cw_store_prepare(db, SQL_INSERT_ATTENDEE, &st)) != CW_OK)
			return err;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, v[i].name);
		cw_store_bind_text(st, 3, v[i].org);
		cw_store_bind_text(st, 4, v[i].role);
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			return err;
	}
	return CW_OK;
}

static json_t *audit_details(const char *case_id, const char *chair_id,
	const cw_meeting_record_args *a, const struct attendee *v)
{
	json_t *people = json_array();
	char day[CW_DATE_STRLEN], next[CW_DATE_STRLEN];
	size_t i;

	for (i = 0; i < a->nattendees; i++)
		json_array_append_new(people, json_pack("{s:s,s:s,s:s,s:b}", "name", v[i].name,
			"org", v[i].org, "role", v[i].role, "acknowledged", 1));
	return json_pack("{s:s,s:s,s:s,s:o,s:b,s:s?,s:s,s:s?,s:s?}",
		"case_id", case_id, "date", cw_date_format(a->date, day), "chair", chair_id,
		"attendees", people, "provider_attended", a->provider_attended,
		"overall", a->overall, "trend", a->trend, "decisions", a->decisions,
		"next", a->has_next ? cw_date_format(a->next, next) : NULL);
}

int cw_meeting_record(cw_db *db, const cw_meeting_record_args *a, json_t **out)
{
	struct attendee *v = NULL;
	struct cw_case_ref c;
	char id[CW_ID_LEN], chair_id[CW_ID_LEN];
	int err;

	if ((err = cw_db_require(db, "meeting.write")) != CW_OK ||
	    (err = check_input(db, a, &v)) != CW_OK)
		goto done;
	if ((err = cw_case_resolve(db, a->case_ref, &c)) != CW_OK)
		goto done;
	if ((err = cw_lookup(db, CW_KIND_USER, a->chair, chair_id)) != CW_OK) {
		if (err == CW_ENOTFOUND) {
			/* Keep the lookup's "did you mean". */
			const char *hint = strstr(cw_errmsg(), "; did you mean");
			char *keep = cw_strdup(hint ? hint : "");

			err = cw_error(CW_ENOTFOUND, "the chair '%s' is not a carewatch user%s", a->chair,
				keep);
			free(keep);
		}
		goto done;
	}
	if ((err = check_case(&c)) != CW_OK)
		goto done;
	cw_db_new_id(db, id);
	if ((err = insert(db, id, c.id, chair_id, a, v)) != CW_OK ||
	    (err = cw_audit_append(db, "meeting.record", id,
			audit_details(c.id, chair_id, a, v))) != CW_OK)
		goto done;
	err = cw_meeting_get(db, id, out);
done:
	attendees_free(v, a->nattendees);
	return err;
}

static json_t *attendee_json(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:b}",
		"name", cw_store_col_text(st, 0), "org", cw_store_col_text(st, 1),
		"role", cw_store_col_text(st, 2), "acknowledged", cw_store_col_int(st, 3) != 0);
}

static int attendees_json(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_ATTENDEES, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	return cw_store_rows(db, st, attendee_json, NULL, out);
}

int cw_meeting_get(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *m = NULL, *people = NULL;
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
	json_object_set_new(m, "chair", cw_store_col_json_text(st, 6));
	json_object_set_new(m, "chair_id", json_string(cw_store_col_text(st, 7)));
	json_object_set_new(m, "attendees", json_null());   /* filled below, keeps its place */
	json_object_set_new(m, "provider_attended", json_boolean(cw_store_col_int(st, 8)));
	json_object_set_new(m, "overall", cw_store_col_json_text(st, 9));
	json_object_set_new(m, "trend", json_string(cw_store_col_text(st, 10)));
	json_object_set_new(m, "decisions", cw_store_col_json_text(st, 11));
	json_object_set_new(m, "next", cw_store_col_json_text(st, 12));
	json_object_set_new(m, "created", json_string(cw_store_col_text(st, 13)));
	json_object_set_new(m, "created_by", json_string(cw_store_col_text(st, 14)));
	cw_store_done(st);
	st = NULL;
	if ((err = attendees_json(db, id, &people)) != CW_OK)
		goto done;
	json_object_set_new(m, "attendees", people);
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
