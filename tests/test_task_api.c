/* The notification checklist through the engine API (cw_task_*). */
#include "cwapi.h"
#include "carewatch/task.h"

static cwa t;
static char elm[CW_ID_LEN], kase[CW_ID_LEN];

static void setup(void)
{
	cwa_setup(&t);
	cwa_provider(&t, "Elm House", elm);
	cwa_case(&t, elm, true, kase);
}

static void teardown(void)
{
	cwa_teardown(&t);
}

TestSuite(task_api, .init = setup, .fini = teardown, .timeout = 60);

Test(task_api, escalation_makes_the_commenced_checklist_in_order)
{
	json_t *first;

	CWA_OK(&t, "quinn", cw_task_list(t.db, kase, false, &t.out));
	cr_assert_eq(json_array_size(t.out), 4);
	first = json_array_get(t.out, 0);
	cr_assert_str_eq(json_string_value(json_object_get(first, "event")), "process_commenced");
	cr_assert_str_eq(json_string_value(json_object_get(first, "provider")), "Elm House");
	cr_assert(strstr(json_string_value(json_object_get(first, "description")),
		"Inform the other commissioners"), "tasks keep the order they were made in");
	cr_assert_str_eq(json_string_value(json_object_get(first, "status")), "open");
	cr_assert(json_is_null(json_object_get(first, "letter")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 1), "letter")),
		"ppm-commenced-provider");
	CWA_OK(&t, "quinn", cw_task_list(t.db, NULL, true, &t.out));
	cr_assert_eq(json_array_size(t.out), 4);
	cr_assert_eq(CWA(&t, "quinn", cw_task_list(t.db, "no such case", false, &t.out)),
		CW_ENOTFOUND);
}

Test(task_api, done_once_and_counted)
{
	char id[CW_ID_LEN];
	long open = -1;

	CWA_OK(&t, "quinn", cw_task_list(t.db, kase, false, &t.out));
	snprintf(id, sizeof(id), "%s",
		json_string_value(json_object_get(json_array_get(t.out, 1), "id")));
	cr_assert_eq(CWA(&t, "quinn", cw_task_done(t.db, id, &t.out)), CW_EFORBIDDEN);
	CWA_OK(&t, "bob", cw_task_done(t.db, id, &t.out));
	cr_assert_str_eq(cwa_str(&t, "status"), "done");
	cr_assert_str_eq(cwa_str(&t, "done"), "2026-11-22");
	cr_assert_str_eq(cwa_str(&t, "done_by"), "bob");
	cr_assert_eq(CWA(&t, "bob", cw_task_done(t.db, id, &t.out)), CW_EREFUSED);
	cr_assert(strstr(cw_errmsg(), "already done on 2026-11-22 by bob"), "%s", cw_errmsg());

	CWA_OK(&t, "quinn", cw_task_open_count(t.db, kase, &open));
	cr_assert_eq(open, 3);
	CWA_OK(&t, "quinn", cw_task_list(t.db, kase, true, &t.out));
	cr_assert_eq(json_array_size(t.out), 3);
	CWA_OK(&t, "quinn", cw_case_show(t.db, kase, &t.out));
	cr_assert_eq(cwa_int(&t, "open_tasks"), 3);
}

Test(task_api, done_with_a_note_keeps_it)
{
	char id[CW_ID_LEN];
	long open = 0;

	CWA_OK(&t, "quinn", cw_task_open_count(t.db, kase, &open));
	CWA_OK(&t, "quinn", cw_task_list(t.db, kase, false, &t.out));
	snprintf(id, sizeof(id), "%s",
		json_string_value(json_object_get(json_array_get(t.out, 0), "id")));
	cr_assert_eq(CWA(&t, "bob", cw_task_done_note(t.db, id, "bad\x01note", &t.out)), CW_EINVALID);
	CWA_OK(&t, "quinn", cw_task_open_count(t.db, kase, &(long){ 0 }));
	CWA_OK(&t, "bob", cw_task_done_note(t.db, id, "Emailed the health board", &t.out));
	cr_assert_str_eq(cwa_str(&t, "note"), "Emailed the health board");
	CWA_OK(&t, "quinn", cw_task_list(t.db, kase, true, &t.out));
	cr_assert_eq((long)json_array_size(t.out), open - 1,
		"the refused note wrote nothing, the good one did");
	CWA_OK(&t, "quinn", cw_task_list(t.db, kase, false, &t.out));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 0), "note")),
		"Emailed the health board");
}
