/* The demo area: repeatable, and it exercises every part the QA meeting sees. */
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static char *watchlist_json(cwt *t)
{
	cr_assert_eq(cwt_run(t, "admin", "init", NULL), 0, "%s", t->err);
	cr_assert_eq(cwt_run(t, "admin", "demo", NULL), 0, "%s", t->err);
	cr_assert_eq(cwt_run(t, "admin", "--json", "watchlist", NULL), 0, "%s", t->err);
	return strdup(t->out);
}

Test(demo, same_result_every_run)
{
	cwt a, b;
	char *wa, *wb;

	cwt_setup(&a, NULL);
	cwt_setup(&b, NULL);
	wa = watchlist_json(&a);
	wb = watchlist_json(&b);
	cr_assert_str_eq(wa, wb);
	cr_assert_eq(cwt_run(&a, "admin", "--json", "case", "list", NULL), 0);
	free(wa);
	wa = strdup(a.out);
	cr_assert_eq(cwt_run(&b, "admin", "--json", "case", "list", NULL), 0);
	cr_assert_str_eq(wa, b.out);
	free(wa);
	free(wb);
	cwt_teardown(&a);
	cwt_teardown(&b);
}

Test(demo, exercises_every_stage_and_the_watch_list)
{
	static const char *const stages[] = { "quality_assurance", "provider_performance",
		"embargo", "closed" };
	cwt t;
	size_t i;
	json_t *first;
	const char *line;

	cwt_setup(&t, NULL);
	free(watchlist_json(&t));
	cr_assert_gt(json_array_size(t.json), 5);
	first = json_array_get(t.json, 0);
	cr_assert_str_eq(json_string_value(json_object_get(first, "band")), "red", "red first");
	cr_assert(strstr(t.out, "large_scale_pova"));
	cr_assert(strstr(t.out, "provider_not_engaging"));
	cr_assert(strstr(t.out, "other_commissioner_embargo"));
	cr_assert(strstr(t.out, "no more than 2 new admissions per week"),
		"restart conditions shown: %s", t.out);
	for (i = 0; i < 4; i++) {
		cr_assert_eq(cwt_run(&t, "admin", "--json", "case", "list", "--stage", stages[i], NULL), 0,
			"%s", t.err);
		cr_assert_gt(json_array_size(t.json), 0, "no case in %s", stages[i]);
	}
	cr_assert_eq(cwt_run(&t, "Morgan Hale", "--json", "action", "list", "--case", "Brookside Court",
		"--overdue", NULL), 0, "%s", t.err);
	cr_assert_gt(json_array_size(t.json), 0, "an overdue action");
	cr_assert_eq(cwt_run(&t, "Morgan Hale", "--json", "task", "list", "--open", NULL), 0, "%s", t.err);
	cr_assert_gt(json_array_size(t.json), 0, "open tasks");
	cr_assert_eq(cwt_count(&t, "qa_meetings"), 1);
	cr_assert_eq(cwt_run(&t, "Sam Okafor", "watchlist", NULL), 0);
	for (line = t.out; *line; ) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		cr_assert_lt(n, 100, "too wide: %.*s", (int)n, line);
		line += n + (nl ? 1 : 0);
	}
	cr_assert_eq(cwt_run(&t, "admin", "audit", "verify", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "admin", "demo", NULL), 4, "only an empty database");
	cwt_teardown(&t);
}
