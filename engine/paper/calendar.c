/*
 * The calendar feed (include/carewatch/calendar.h). Events are gathered as
 * JSON from the engine's getters (so redaction is theirs), then written
 * with libical, which does RFC 5545's escaping and line folding.
 *
 * UIDs are made of what an event is about, never of its date: the review
 * of a case, an action item, the meeting whose "next date" it is. DTSTAMP
 * is today at midnight UTC, so two runs on one day write the same feed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>
#include "carewatch/action.h"
#include "carewatch/buf.h"
#include "carewatch/calendar.h"
#include "carewatch/commissioner.h"
#include "carewatch/case.h"
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/meeting.h"
#include "carewatch/watchlist.h"

#define UID_DOMAIN "carewatch"
#define MAX_DAYS 366

struct feed {
	cw_db *db;
	cw_date today, until;
	json_t *events;
	const char *public_url;
};

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "case 452d93d9": the case as a person can find it again. */
static void case_words(cw_buf *b, const char *case_id)
{
	cw_buf_printf(b, "case %.8s", case_id ? case_id : "?");
}

/*
 * Add an event on `date`; one that is past is overdue and shown on today.
 * Events after the window are left out.
 */
static void add(struct feed *f, const char *kind, const char *uid, cw_date date,
	const char *what, const json_t *kase, const char *provider, const char *detail)
{
	cw_buf summary = CW_BUF_INIT, desc = CW_BUF_INIT, url = CW_BUF_INIT;
	char when[CW_DATE_STRLEN], due[CW_DATE_STRLEN];
	bool overdue = date < f->today;
	const char *case_id = kase ? jstr(kase, "id") : NULL;

	if (date > f->until)
		return;
	cw_date_format(overdue ? f->today : date, when);
	cw_date_format(date, due);
	cw_buf_printf(&summary, "%s%s: %s", overdue ? "OVERDUE " : "", what, provider);
	if (case_id) {
		cw_buf_puts(&summary, " (");
		case_words(&summary, case_id);
		cw_buf_puts(&summary, ")");
	}
	if (overdue)
		cw_buf_printf(&desc, "Was due %s. ", due);
	if (detail)
		cw_buf_puts(&desc, detail);
	if (case_id && f->public_url && *f->public_url)
		cw_buf_printf(&url, "%s%scases/%s", f->public_url,
			f->public_url[strlen(f->public_url) - 1] == '/' ? "" : "/", case_id);
	json_array_append_new(f->events, json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s?,s:s?,s:s?}",
		"uid", uid, "kind", kind, "date", when, "overdue", overdue,
		"summary", cw_buf_cstr(&summary), "description", cw_buf_cstr(&desc),
		"url", url.len ? cw_buf_cstr(&url) : NULL,
		"provider_id", kase ? jstr(kase, "provider_id") : NULL, "case_id", case_id));
	cw_buf_free(&summary);
	cw_buf_free(&desc);
	cw_buf_free(&url);
}

static bool parse(const char *s, cw_date *d)
{
	if (s && cw_date_parse(s, d) == CW_OK)
		return true;
	cw_error_clear();
	return false;
}

/* The next PPM of a case, and its review due by band (SPEC §4 review_overdue). */
static int case_events(struct feed *f, const json_t *kase, const json_t *row)
{
	const char *id = jstr(kase, "id"), *stage = jstr(kase, "stage");
	const char *provider = jstr(kase, "provider");
	cw_meeting_summary m;
	cw_band band = CW_BAND_NONE;
	cw_date from, due;
	char uid[128];
	int err, days;

	if ((err = cw_meeting_latest(f->db, id, &m)) != CW_OK)
		return err;
	if (m.found && m.has_next && m.next >= f->today) {
		snprintf(uid, sizeof(uid), "ppm-%s-%s@" UID_DOMAIN, id, m.id);
		add(f, "ppm", uid, m.next, "Provider performance meeting", kase, provider,
			"The next provider performance meeting, as the last one set it.");
	}
	if (strcmp(stage, "provider_performance") != 0 && strcmp(stage, "embargo") != 0)
		return CW_OK;
	/* Measured from the last PPM, or from the escalation before the first. */
	if (m.found)
		from = m.date;
	else if (!parse(jstr(kase, "escalated"), &from))
		return CW_OK;
	if (row && jstr(row, "band"))
		cw_band_parse(jstr(row, "band"), &band);
	if ((days = cw_rules_review_days(cw_db_rules(f->db), band)) <= 0)
		return CW_OK;
	due = from + days;
	snprintf(uid, sizeof(uid), "review-%s@" UID_DOMAIN, id);
	{
		char detail[160];

		snprintf(detail, sizeof(detail), "A %s provider is reviewed within %d days of its"
			" last provider performance meeting.", cw_band_name(band), days);
		add(f, "review", uid, due, strcmp(stage, "embargo") == 0 ? "Embargo review due"
			: "Review due", kase, provider, detail);
	}
	return CW_OK;
}

/* Action plan items not completed: on their due date, or overdue today. */
static int action_events(struct feed *f, const json_t *kase)
{
	json_t *items = NULL, *a;
	size_t i;
	int err;

	if ((err = cw_action_list(f->db, jstr(kase, "id"), false, &items)) != CW_OK)
		return err;
	json_array_foreach(items, i, a) {
		json_t *c = NULL;
		cw_buf detail = CW_BUF_INIT, what = CW_BUF_INIT;
		char uid[128];
		cw_date due;

		if (strcmp(jstr(a, "status"), "completed") == 0 ||
		    strcmp(jstr(a, "status"), "withdrawn") == 0 || !parse(jstr(a, "due"), &due))
			continue;
		if (cw_concern_get(f->db, jstr(a, "concern_id"), &c) != CW_OK)
			cw_error_clear();
		cw_buf_printf(&what, "%s action due", jstr(a, "kind"));
		cw_buf_printf(&detail, "Improvement required: %s (owner: %s).", jstr(a, "improvement"),
			jstr(a, "owner"));
		if (c) {
			cw_buf_printf(&detail, " Concern: %s", jstr(c, "summary"));
			/* As the engine gave it: "[confidential]" to those who may not see it. */
			if (jstr(c, "pova_ref"))
				cw_buf_printf(&detail, " (POVA referral %s)", jstr(c, "pova_ref"));
			cw_buf_puts(&detail, ".");
		}
		snprintf(uid, sizeof(uid), "action-%s@" UID_DOMAIN, jstr(a, "id"));
		add(f, "action", uid, due, cw_buf_cstr(&what), kase, jstr(kase, "provider"),
			cw_buf_cstr(&detail));
		cw_buf_free(&detail);
		cw_buf_free(&what);
		json_decref(c);
	}
	json_decref(items);
	return CW_OK;
}

/* The same day of the month a month on, kept inside the shorter month. */
static cw_date month_on(cw_date d, int day)
{
	cw_date next = cw_date_next_month_start(d), after = cw_date_next_month_start(next);

	return next + day - 1 < after ? next + day - 1 : after - 1;
}

/* The monthly QA meeting, on the day of the month of the last one recorded. */
static void qa_events(struct feed *f, const char *last_qa)
{
	cw_date d;
	int y, m, day;
	char uid[64], date[CW_DATE_STRLEN];

	if (!parse(last_qa, &d))
		return;
	cw_date_to_ymd(d, &y, &m, &day);
	for (d = month_on(d, day); d <= f->until; d = month_on(d, day)) {
		if (d < f->today)
			continue;
		snprintf(uid, sizeof(uid), "qa-%s@" UID_DOMAIN, cw_date_format(d, date));
		add(f, "qa", uid, d, "Monthly quality assurance meeting", NULL, "the watch list",
			"The monthly meeting that works from the watch list (carewatch watchlist).");
	}
}

static int by_date(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(jstr(x, "date"), jstr(y, "date"));

	return c ? c : strcmp(jstr(x, "uid"), jstr(y, "uid"));
}

static int gather(cw_db *db, int days, json_t **out)
{
	struct feed f = { db, cw_db_today(db), cw_db_today(db) + days, json_array(),
		cw_rules_string(cw_db_rules(db), "web.public_url") };
	json_t *agenda = NULL, *cases = NULL, *k, *r, *sorted, **v = NULL;
	size_t i, j, n;
	int err;

	if ((err = cw_watchlist_agenda(db, &agenda)) != CW_OK ||
	    (err = cw_case_list(db, NULL, &cases)) != CW_OK)
		goto done;
	json_array_foreach(cases, i, k) {
		const json_t *row = NULL;

		if (strcmp(jstr(k, "stage"), "closed") == 0)
			continue;
		json_array_foreach(json_object_get(agenda, "rows"), j, r)
			if (jstr(r, "case_id") && strcmp(jstr(r, "case_id"), jstr(k, "id")) == 0)
				row = r;
		if ((err = case_events(&f, k, row)) != CW_OK || (err = action_events(&f, k)) != CW_OK)
			goto done;
	}
	qa_events(&f, jstr(agenda, "last_qa"));
	n = json_array_size(f.events);
	v = cw_calloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_array_get(f.events, i);
	qsort(v, n, sizeof(*v), by_date);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	*out = sorted;
done:
	free(v);
	json_decref(f.events);
	json_decref(agenda);
	json_decref(cases);
	return err;
}

int cw_calendar_events(cw_db *db, const char *user, int days, json_t **out)
{
	const char *actor = cw_db_actor(db);
	char *was = NULL;
	int err, err2;

	if (days < 1 || days > MAX_DAYS)
		return cw_error_at("days", CW_EINVALID, "days must be from 1 to %d, not %d",
			MAX_DAYS, days);
	if (!user || (actor && strcmp(user, actor) == 0))
		return gather(db, days, out);
	/* Another user's feed shows what they may see, so only an administrator makes one. */
	if ((err = cw_db_require(db, "user.write")) != CW_OK)
		return cw_error_at("user", CW_EFORBIDDEN, "only an administrator may print another"
			" user's calendar");
	was = cw_strdup(actor);
	if ((err = cw_db_set_actor(db, user)) != CW_OK) {
		err = cw_error_at("user", CW_ENOTFOUND, "no user '%.60s'", user);
	} else {
		err = gather(db, days, out);
	}
	/* Back to the one who asked, whatever happened. */
	if ((err2 = cw_db_set_actor(db, was)) != CW_OK && err == CW_OK) {
		json_decref(*out);
		err = err2;
	}
	free(was);
	return err;
}

static struct icaltimetype ical_date(const char *iso)
{
	struct icaltimetype t = icaltime_null_date();
	cw_date d;

	if (parse(iso, &d))
		cw_date_to_ymd(d, &t.year, &t.month, &t.day);
	return t;
}

int cw_calendar_feed(cw_db *db, const char *user, int days, char **text)
{
	json_t *events = NULL, *e;
	icalcomponent *cal;
	struct icaltimetype stamp = icaltime_null_time();
	char council[256];
	cw_buf name = CW_BUF_INIT;
	size_t i;
	int err;
	char *s;

	if ((err = cw_calendar_events(db, user, days, &events)) != CW_OK)
		return err;
	cw_commissioner_lead_name(db, council, sizeof(council));
	cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//carewatch//calendar//EN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	cw_buf_printf(&name, "carewatch: %s", council);
	{
		icalproperty *p = icalproperty_new_x(cw_buf_cstr(&name));

		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(cal, p);
	}
	cw_date_to_ymd(cw_db_today(db), &stamp.year, &stamp.month, &stamp.day);
	stamp.zone = icaltimezone_get_utc_timezone();
	json_array_foreach(events, i, e) {
		icalcomponent *ev = icalcomponent_new_vevent();
		struct icaltimetype start = ical_date(jstr(e, "date")), end = start;

		icaltime_adjust(&end, 1, 0, 0, 0);
		icalcomponent_add_property(ev, icalproperty_new_uid(jstr(e, "uid")));
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
		icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
		icalcomponent_add_property(ev, icalproperty_new_dtend(end));
		icalcomponent_add_property(ev, icalproperty_new_summary(jstr(e, "summary")));
		icalcomponent_add_property(ev, icalproperty_new_description(jstr(e, "description")));
		icalcomponent_add_property(ev, icalproperty_new_categories(jstr(e, "kind")));
		icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
		if (jstr(e, "url"))
			icalcomponent_add_property(ev, icalproperty_new_url(jstr(e, "url")));
		icalcomponent_add_component(cal, ev);
	}
	s = icalcomponent_as_ical_string_r(cal);
	*text = cw_strdup(s);
	icalmemory_free_buffer(s);
	icalcomponent_free(cal);
	cw_buf_free(&name);
	json_decref(events);
	return CW_OK;
}
