/* The action plan through the engine API (cw_action_*), not the binary. */
#include "cwapi.h"
#include "carewatch/action.h"

static cwa t;
static char elm[CW_ID_LEN], oak[CW_ID_LEN], kase[CW_ID_LEN], concern[CW_ID_LEN];

static void setup(void)
{
	cwa_setup(&t);
	cwa_provider(&t, "Elm House", elm);
	cwa_provider(&t, "Oak Lodge", oak);
	cwa_concern(&t, elm, 4, 3, concern);
	cwa_case(&t, elm, true, kase);
}

static void teardown(void)
{
	cwa_teardown(&t);
}

TestSuite(action_api, .init = setup, .fini = teardown, .timeout = 60);

/* An item due before today is added on its due day (a due date is never
 * before the day an item is added), so it is overdue now. */
static void add(cw_date due, char id[CW_ID_LEN])
{
	cw_action_add_args a = { kase, concern, "CA", "retrain staff on MAR charts", "Manager", due };
	cw_date today = cw_db_today(t.db);

	if (due < today)
		cw_db_set_today(t.db, due);
	CWA_OK(&t, "bob", cw_action_add(t.db, &a, &t.out));
	cw_db_set_today(t.db, today);
	snprintf(id, CW_ID_LEN, "%s", cwa_str(&t, "id"));
}

Test(action_api, add_returns_the_item_and_bumps_the_plan)
{
	char id[CW_ID_LEN];

	add(cw_date_from_ymd(2026, 12, 15), id);
	cr_assert_str_eq(cwa_str(&t, "case_id"), kase);
	cr_assert_str_eq(cwa_str(&t, "concern_id"), concern);
	cr_assert_str_eq(cwa_str(&t, "kind"), "CA");
	cr_assert_str_eq(cwa_str(&t, "status"), "not_started");
	cr_assert_str_eq(cwa_str(&t, "due"), "2026-12-15");
	cr_assert(json_is_false(json_object_get(t.out, "overdue")));
	cr_assert_eq(cwa_int(&t, "score"), 12);
	cr_assert_eq(json_array_size(json_object_get(t.out, "extensions")), 0);
	CWA_OK(&t, "bob", cw_case_show(t.db, kase, &t.out));
	cr_assert_eq(cwa_int(&t, "plan_version"), 1);
	cr_assert_str_eq(cwa_str(&t, "plan_started"), "2026-11-22");
}

Test(action_api, add_refuses_another_providers_concern_and_writes_nothing)
{
	char other[CW_ID_LEN];
	cw_action_add_args a = { kase, NULL, "CA", "x", "Manager", cw_date_from_ymd(2026, 12, 1) };
	long before = cwa_count(&t, "actions");

	cwa_concern(&t, oak, 2, 2, other);
	a.concern = other;
	cr_assert_eq(CWA(&t, "bob", cw_action_add(t.db, &a, &t.out)), CW_EREFUSED);
	cr_assert(strstr(cw_errmsg(), "about provider 'Oak Lodge'"), "%s", cw_errmsg());
	a.concern = concern;
	a.kind = "XX";
	cr_assert_eq(CWA(&t, "bob", cw_action_add(t.db, &a, &t.out)), CW_EINVALID);
	a.kind = "CA";
	cr_assert_eq(CWA(&t, "quinn", cw_action_add(t.db, &a, &t.out)), CW_EFORBIDDEN);
	cr_assert_eq(cwa_count(&t, "actions"), before);
}

Test(action_api, extend_and_progress_keep_their_history)
{
	char id[CW_ID_LEN];

	add(cw_date_from_ymd(2026, 12, 1), id);
	cr_assert_eq(CWA(&t, "bob", cw_action_extend(t.db, id, cw_date_from_ymd(2026, 12, 1),
		"same", &t.out)), CW_EINVALID, "already due then");
	cr_assert_eq(CWA(&t, "bob", cw_action_extend(t.db, id, cw_date_from_ymd(2027, 1, 10),
		NULL, &t.out)), CW_EINVALID, "an extension needs its reason");
	CWA_OK(&t, "bob", cw_action_extend(t.db, id, cw_date_from_ymd(2027, 1, 10),
		"staff sickness", &t.out));
	cr_assert_str_eq(cwa_str(&t, "due"), "2027-01-10");
	cr_assert_eq(json_array_size(json_object_get(t.out, "extensions")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(t.out, "extensions"), 0), "from")), "2026-12-01");

	CWA_OK(&t, "bob", cw_action_progress(t.db, id, "completed", "audit of MAR charts",
		&t.out));
	cr_assert_str_eq(cwa_str(&t, "status"), "completed");
	cr_assert_str_eq(cwa_str(&t, "completed"), "2026-11-22");
	cr_assert_eq(json_array_size(json_object_get(t.out, "evidence")), 1);
	cr_assert_eq(CWA(&t, "bob", cw_action_extend(t.db, id, cw_date_from_ymd(2027, 2, 1),
		"more", &t.out)), CW_EREFUSED, "nothing to extend once completed");
	CWA_OK(&t, "bob", cw_case_show(t.db, kase, &t.out));
	cr_assert_eq(cwa_int(&t, "plan_version"), 3);
}

Test(action_api, list_is_in_due_order_and_filters_overdue)
{
	char late[CW_ID_LEN], soon[CW_ID_LEN], done[CW_ID_LEN];

	add(cw_date_from_ymd(2026, 12, 20), soon);
	add(cw_date_from_ymd(2026, 11, 2), late);
	add(cw_date_from_ymd(2026, 10, 1), done);
	CWA_OK(&t, "bob", cw_action_progress(t.db, done, "completed", NULL, &t.out));

	CWA_OK(&t, "quinn", cw_action_list(t.db, kase, false, &t.out));
	cr_assert_eq(json_array_size(t.out), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 0), "id")), done);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 1), "id")), late);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 2), "id")), soon);
	CWA_OK(&t, "quinn", cw_action_list(t.db, "Elm House", true, &t.out));
	cr_assert_eq(json_array_size(t.out), 1, "only the open, late item is overdue");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 0), "id")), late);
	cr_assert_eq(CWA(&t, "quinn", cw_action_show(t.db, "ffffffff", &t.out)), CW_ENOTFOUND);
}
