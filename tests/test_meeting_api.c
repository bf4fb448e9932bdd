/*
 * Provider performance meetings through the engine API (cw_meeting_*),
 * and "one meeting per case per date" under concurrent writers: several
 * threads, each with its own cw_db, record the same meeting at once.
 */
#include <pthread.h>
#include "cwapi.h"
#include "carewatch/meeting.h"

#define WRITERS 6

static cwa t;
static char elm[CW_ID_LEN], kase[CW_ID_LEN];
static const char *const attendees[] = { "Ann Lee|County Council|Chair", "Raj Patel|Elm House|Manager" };

static void setup(void)
{
	cwa_setup(&t);
	cwa_provider(&t, "Elm House", elm);
	/* Escalated on 1 November: the meetings below are held after it. */
	cw_db_set_today(t.db, cw_date_from_ymd(2026, 11, 1));
	cwa_case(&t, elm, true, kase);
	cw_db_set_today(t.db, cw_date_from_ymd(2026, 11, 22));
}

static void teardown(void)
{
	cwa_teardown(&t);
}

TestSuite(meeting_api, .init = setup, .fini = teardown, .timeout = 120);

static cw_meeting_record_args meeting(cw_date date)
{
	cw_meeting_record_args a = { 0 };

	a.case_ref = kase;
	a.date = date;
	a.chair = "bob";
	a.attendees = attendees;
	a.nattendees = 2;
	a.trend = "same";
	a.overall = "amber";
	a.provider_attended = true;
	return a;
}

Test(meeting_api, record_returns_the_meeting_with_its_attendees)
{
	cw_meeting_record_args a = meeting(cw_date_from_ymd(2026, 11, 20));
	cw_meeting_summary s;
	char id[CW_ID_LEN];

	a.has_next = true;
	a.next = cw_date_from_ymd(2026, 12, 18);
	CWA_OK(&t, "bob", cw_meeting_record(t.db, &a, &t.out));
	snprintf(id, sizeof(id), "%s", cwa_str(&t, "id"));
	cr_assert_str_eq(cwa_str(&t, "case_id"), kase);
	cr_assert_str_eq(cwa_str(&t, "provider"), "Elm House");
	cr_assert_str_eq(cwa_str(&t, "date"), "2026-11-20");
	cr_assert_str_eq(cwa_str(&t, "chair"), "bob");
	cr_assert_str_eq(cwa_str(&t, "overall"), "amber");
	cr_assert_str_eq(cwa_str(&t, "next"), "2026-12-18");
	cr_assert(json_is_true(json_object_get(t.out, "provider_attended")));
	cr_assert_eq(json_array_size(json_object_get(t.out, "attendees")), 2);
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(t.out, "attendees"),
		1), "acknowledged")));

	CWA_OK(&t, "quinn", cw_meeting_latest(t.db, kase, &s));
	cr_assert(s.found);
	cr_assert_str_eq(s.id, id);
	cr_assert_eq(s.overall, CW_BAND_AMBER);
	cr_assert(s.has_next);
}

Test(meeting_api, refusals_name_what_is_wrong_and_write_nothing)
{
	cw_meeting_record_args a = meeting(cw_date_from_ymd(2026, 11, 20));
	const char *bad[] = { "Ann Lee|County Council" };
	char qa[CW_ID_LEN], oak[CW_ID_LEN];

	a.attendees = bad;
	a.nattendees = 1;
	cr_assert_eq(CWA(&t, "bob", cw_meeting_record(t.db, &a, &t.out)), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "NAME|ORG|ROLE"), "%s", cw_errmsg());
	a = meeting(cw_date_from_ymd(2026, 11, 30));
	cr_assert_eq(CWA(&t, "bob", cw_meeting_record(t.db, &a, &t.out)), CW_EINVALID,
		"after today");
	cwa_provider(&t, "Oak Lodge", oak);
	cwa_case(&t, oak, false, qa);
	a = meeting(cw_date_from_ymd(2026, 11, 20));
	a.case_ref = qa;
	cr_assert_eq(CWA(&t, "bob", cw_meeting_record(t.db, &a, &t.out)), CW_EREFUSED);
	cr_assert(strstr(cw_errmsg(), "stage quality_assurance"), "%s", cw_errmsg());
	cr_assert_eq(cwa_count(&t, "meetings"), 0);
	cr_assert_eq(cwa_count(&t, "meeting_attendees"), 0);
}

Test(meeting_api, a_second_meeting_on_the_date_is_refused_by_name)
{
	cw_meeting_record_args a = meeting(cw_date_from_ymd(2026, 11, 20));
	char first[CW_ID_LEN];

	CWA_OK(&t, "bob", cw_meeting_record(t.db, &a, &t.out));
	snprintf(first, sizeof(first), "%s", cwa_str(&t, "id"));
	a.trend = "increased";
	cr_assert_eq(CWA(&t, "bob", cw_meeting_record(t.db, &a, &t.out)), CW_EREFUSED);
	cr_assert(strstr(cw_errmsg(), "already has a meeting on 2026-11-20") &&
		strstr(cw_errmsg(), first), "%s", cw_errmsg());
	cr_assert_eq(cwa_count(&t, "meetings"), 1);
	cr_assert_eq(cwa_count(&t, "meeting_attendees"), 2, "the refused attendees were undone");

	a = meeting(cw_date_from_ymd(2026, 11, 21));
	CWA_OK(&t, "bob", cw_meeting_record(t.db, &a, &t.out));
	CWA_OK(&t, "quinn", cw_meeting_list(t.db, "Elm House", &t.out));
	cr_assert_eq(json_array_size(t.out), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 0), "id")), first,
		"oldest first");
}

/* ---- concurrent writers ---- */

struct writer {
	pthread_barrier_t *go;
	int status;
	char message[512];
	char id[CW_ID_LEN];
};

static int record_unit(cw_db *db, void *arg)
{
	struct writer *w = arg;
	cw_meeting_record_args a = meeting(cw_date_from_ymd(2026, 11, 19));
	json_t *out = NULL;
	int err = cw_meeting_record(db, &a, &out);

	if (err == CW_OK)
		snprintf(w->id, sizeof(w->id), "%s", json_string_value(json_object_get(out, "id")));
	json_decref(out);
	return err;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	cw_db *db = NULL;

	w->status = cw_db_open(&db, t.path, t.rules, cw_date_from_ymd(2026, 11, 22), false);
	pthread_barrier_wait(w->go);
	if (w->status == CW_OK)
		w->status = cw_db_run_as(db, "bob", true, record_unit, w);
	snprintf(w->message, sizeof(w->message), "%s", cw_errmsg());
	cw_db_close(db);
	return NULL;
}

Test(meeting_api, concurrent_writers_record_one_meeting)
{
	struct writer w[WRITERS];
	pthread_t tid[WRITERS];
	pthread_barrier_t go;
	const char *winner = NULL;
	int i, ok = 0, refused = 0;

	memset(w, 0, sizeof(w));
	pthread_barrier_init(&go, NULL, WRITERS);
	for (i = 0; i < WRITERS; i++) {
		w[i].go = &go;
		cr_assert_eq(pthread_create(&tid[i], NULL, writer_main, &w[i]), 0);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&go);
	for (i = 0; i < WRITERS; i++)
		if (w[i].status == CW_OK) {
			ok++;
			winner = w[i].id;
		}
	cr_assert_eq(ok, 1, "%d writers recorded the meeting", ok);
	for (i = 0; i < WRITERS; i++) {
		if (w[i].status == CW_OK)
			continue;
		cr_assert_eq(w[i].status, CW_EREFUSED, "writer %d: %s", i, w[i].message);
		cr_assert(strstr(w[i].message, "already has a meeting on 2026-11-19") &&
			strstr(w[i].message, winner), "writer %d: %s", i, w[i].message);
		refused++;
	}
	cr_assert_eq(refused, WRITERS - 1);
	cr_assert_eq(cwa_count(&t, "meetings"), 1);
	cr_assert_eq(cwa_count(&t, "meeting_attendees"), 2);
}
