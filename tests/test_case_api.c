/* Cases through the engine API (cw_case_*), not the binary. */
#include "cwapi.h"
#include "carewatch/action.h"

static cwa t;
static char elm[CW_ID_LEN];

static void setup(void)
{
	cwa_setup(&t);
	cwa_provider(&t, "Elm House", elm);
}

static void teardown(void)
{
	cwa_teardown(&t);
}

TestSuite(case_api, .init = setup, .fini = teardown, .timeout = 60);

Test(case_api, open_returns_the_case_and_refuses_a_second)
{
	char id[CW_ID_LEN];
	long cases;

	CWA_OK(&t, "bob", cw_case_open(t.db, "elm house", "complaints", &t.out));
	snprintf(id, sizeof(id), "%s", cwa_str(&t, "id"));
	cr_assert_str_eq(cwa_str(&t, "stage"), "quality_assurance");
	cr_assert_str_eq(cwa_str(&t, "provider"), "Elm House");
	cr_assert_str_eq(cwa_str(&t, "provider_id"), elm);
	cr_assert_str_eq(cwa_str(&t, "opened"), "2026-11-22");
	cr_assert_eq(cwa_int(&t, "actions"), 0);
	cr_assert_eq(cwa_int(&t, "plan_version"), 0);
	cr_assert_eq(json_array_size(json_object_get(t.out, "events")), 1);

	cases = cwa_count(&t, "cases");
	cr_assert_eq(CWA(&t, "bob", cw_case_open(t.db, "Elm House", "again", &t.out)),
		CW_EREFUSED);
	cr_assert(strstr(cw_errmsg(), "already has an open case") && strstr(cw_errmsg(), id),
		"%s", cw_errmsg());
	cr_assert_eq(cwa_count(&t, "cases"), cases, "a refused open wrote a case");
	cr_assert_eq(CWA(&t, "quinn", cw_case_open(t.db, "Elm House", "qa", &t.out)),
		CW_EFORBIDDEN);
	cr_assert_eq(CWA(&t, "bob", cw_case_open(t.db, "Nowhere", "x", &t.out)), CW_ENOTFOUND);
}

Test(case_api, resolve_by_provider_name_and_prefix)
{
	char id[CW_ID_LEN], prefix[9];

	cwa_case(&t, elm, false, id);
	CWA_OK(&t, "quinn", cw_case_show(t.db, "Elm House", &t.out));
	cr_assert_str_eq(cwa_str(&t, "id"), id);
	snprintf(prefix, sizeof(prefix), "%.8s", id);
	CWA_OK(&t, "quinn", cw_case_show(t.db, prefix, &t.out));
	cr_assert_str_eq(cwa_str(&t, "id"), id);
	cr_assert_eq(CWA(&t, "quinn", cw_case_show(t.db, "no such case", &t.out)), CW_ENOTFOUND);
	cr_assert_str_eq(cw_errmsg(), "no case 'no such case'");
}

Test(case_api, escalate_moves_the_stage_and_creates_the_checklist)
{
	char id[CW_ID_LEN];

	cwa_case(&t, elm, false, id);
	CWA_OK(&t, "bob", cw_case_escalate(t.db, id, "pattern_of_issues", "dora", NULL, &t.out));
	cr_assert_str_eq(cwa_str(&t, "stage"), "provider_performance");
	cr_assert_str_eq(cwa_str(&t, "trigger"), "pattern_of_issues");
	cr_assert_str_eq(cwa_str(&t, "chair"), "dora");
	cr_assert_eq(cwa_int(&t, "open_tasks"), 4, "process_commenced makes four tasks");
	cr_assert_eq(json_array_size(json_object_get(t.out, "events")), 2);

	/* Not twice: the stage machine refuses and names what is allowed. */
	cr_assert_eq(CWA(&t, "bob", cw_case_escalate(t.db, id, "pattern_of_issues", "dora", NULL,
		&t.out)), CW_EREFUSED);
	cr_assert(strstr(cw_errmsg(), "stage provider_performance"), "%s", cw_errmsg());
	cr_assert_eq(CWA(&t, "bob", cw_case_escalate(t.db, id, "other", "dora", NULL, &t.out)),
		CW_EINVALID, "trigger other needs a note");
}

Test(case_api, close_is_guarded_by_the_open_red_concern)
{
	char id[CW_ID_LEN], concern[CW_ID_LEN];
	cw_case_close_args close = { "improved", "better now", "Health Board", NULL };

	cwa_concern(&t, elm, 4, 4, concern);
	cwa_case(&t, elm, false, id);
	cr_assert_eq(CWA(&t, "bob", cw_case_close(t.db, id, &close, &t.out)), CW_EREFUSED);
	cr_assert_geq(cw_error_unmet_count(), 1, "the refusal lists what is unmet");
	CWA_OK(&t, "quinn", cw_case_show(t.db, id, &t.out));
	cr_assert_str_eq(cwa_str(&t, "stage"), "quality_assurance", "nothing moved");

	/* Still red: one contracts user cannot resolve it away (resolve_red). */
	cr_assert_eq(CWA(&t, "bob", cw_concern_resolve(t.db, concern, "fixed", &t.out)), CW_EREFUSED);
	CWA_OK(&t, "dora", cw_concern_resolve(t.db, concern, "fixed", &t.out));
	CWA_OK(&t, "bob", cw_case_close(t.db, id, &close, &t.out));
	cr_assert_str_eq(cwa_str(&t, "stage"), "closed");
	cr_assert_str_eq(cwa_str(&t, "outcome"), "improved");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t.out, "agreed_by"), 0)),
		"Health Board");
	/* A closed case no longer blocks a new one; the provider names the new. */
	CWA_OK(&t, "bob", cw_case_open(t.db, elm, "again", &t.out));
	cr_assert_str_neq(cwa_str(&t, "id"), id);
}

Test(case_api, list_filters_by_stage_and_counts_the_plan)
{
	char oak[CW_ID_LEN], c1[CW_ID_LEN], c2[CW_ID_LEN], k[CW_ID_LEN], done[CW_ID_LEN];
	cw_action_add_args a = { NULL, NULL, "CA", "retrain staff", "Manager", 0 };

	cwa_provider(&t, "Oak Lodge", oak);
	cwa_concern(&t, oak, 3, 3, k);
	cwa_case(&t, elm, false, c1);
	cwa_case(&t, oak, true, c2);
	a.case_ref = c2;
	a.concern = k;
	/* Items due before today were added on their due day. */
	a.due = cw_date_from_ymd(2026, 11, 1);   /* already overdue */
	cw_db_set_today(t.db, a.due);
	CWA_OK(&t, "bob", cw_action_add(t.db, &a, &t.out));
	a.due = cw_date_from_ymd(2026, 12, 31);
	CWA_OK(&t, "bob", cw_action_add(t.db, &a, &t.out));
	a.due = cw_date_from_ymd(2026, 11, 2);   /* late, but done */
	cw_db_set_today(t.db, a.due);
	CWA_OK(&t, "bob", cw_action_add(t.db, &a, &t.out));
	cw_db_set_today(t.db, cw_date_from_ymd(2026, 11, 22));
	snprintf(done, sizeof(done), "%s", cwa_str(&t, "id"));
	CWA_OK(&t, "bob", cw_action_progress(t.db, done, "completed", NULL, &t.out));

	CWA_OK(&t, "quinn", cw_case_list(t.db, NULL, &t.out));
	cr_assert_eq(json_array_size(t.out), 2);
	/* by provider name: Elm House before Oak Lodge */
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.out, 0), "id")), c1);
	CWA_OK(&t, "quinn", cw_case_list(t.db, "provider_performance", &t.out));
	cr_assert_eq(json_array_size(t.out), 1);
	{
		json_t *c = json_array_get(t.out, 0);

		cr_assert_str_eq(json_string_value(json_object_get(c, "id")), c2);
		cr_assert_eq(json_integer_value(json_object_get(c, "actions")), 3);
		cr_assert_eq(json_integer_value(json_object_get(c, "open_actions")), 2);
		cr_assert_eq(json_integer_value(json_object_get(c, "overdue_actions")), 1);
		cr_assert_eq(json_integer_value(json_object_get(c, "plan_version")), 4);
		cr_assert_null(json_object_get(c, "events"), "the list carries no history");
	}
	cr_assert_eq(CWA(&t, "quinn", cw_case_list(t.db, "limbo", &t.out)), CW_EINVALID);
	CWA_OK(&t, "quinn", cw_case_list(t.db, "embargo", &t.out));
	cr_assert_eq(json_array_size(t.out), 0);
}
