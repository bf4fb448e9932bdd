/* Scenario tests of the notification checklist, through the binary. */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwscenario.h"

static cwt t;

static cid kase;

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "user", "add", "quinn", "--role", "qa");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("alice", "commissioner", "add", "Health Board", "--kind", "health_board");
	OK("alice", "commissioner", "add", "Northshire");
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_nursing",
		"--commissioner", "County Council", "--commissioner", "Health Board",
		"--commissioner", "Northshire");
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(task, .init = setup, .fini = teardown, .timeout = 120);

static size_t count_event(const char *event)
{
	size_t i, n = 0;
	json_t *v;

	json_array_foreach(t.json, i, v)
		if (strcmp(json_string_value(json_object_get(v, "event")), event) == 0)
			n++;
	return n;
}

static long open_tasks(void)
{
	OK("bob", "--json", "case", "show", kase);
	return (long)json_integer_value(json_object_get(t.json, "open_tasks"));
}

Test(task, each_event_creates_its_checklist)
{
	cr_assert_eq(cwt_count(&t, "tasks"), 0, "opening a case is not an event with tasks");
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "--json", "task", "list", "--case", kase);
	cr_assert_eq(json_array_size(t.json), 4);
	cr_assert_eq(count_event("process_commenced"), 4);
	HAS(t.out, "concerns-provider");
	HAS(t.out, "ppm-commenced-provider");
	HAS(t.out, "ppm-commenced-service-user");
	/* "Other commissioners" names them: every one but the lead. */
	HAS(t.out, "the other commissioners: Health Board, Northshire");
	cr_assert_eq(open_tasks(), 4);

	OK("dora", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "unsafe");
	OK("bob", "--json", "task", "list", "--case", kase);
	cr_assert_eq(count_event("embargo_placed"), 8);
	HAS(t.out, "embargo-placed-service-user");
	HAS(t.out, "Inform staff and other partners");
	HAS(t.out, "regulator");
	HAS(t.out, "self-funding");
	HAS(t.out, "Review all existing service users' care");
	HAS(t.out, "Monitor existing placements");
	cr_assert_eq(open_tasks(), 12);

	/* Another body's own embargo is information, not the council's checklist. */
	OK("dora", "case", "suspend", kase, "--commissioner", "Health Board",
		"--kind", "voluntary", "--reason", "provider limits itself");
	cr_assert_eq(cwt_count(&t, "tasks"), 12);
	OK("dora", "case", "restart", kase, "--commissioner", "Health Board", "--reason", "ok");
	cr_assert_eq(cwt_count(&t, "tasks"), 12);

	OK("dora", "case", "restart", kase, "--commissioner", "County Council", "--reason", "better",
		"--max-admissions", "1", "--per", "week");
	OK("bob", "--json", "task", "list", "--case", kase);
	cr_assert_eq(count_event("embargo_lifted"), 5);
	HAS(t.out, "embargo-lifted-service-user");
	cr_assert_eq(open_tasks(), 17);

	OK("bob", "case", "close", kase, "--outcome", "improved", "--rationale", "done",
		"--agreed-by", "Health Board", "--override", "letters in hand");
	OK("bob", "--json", "task", "list", "--case", kase);
	cr_assert_eq(count_event("process_ended"), 2);
	HAS(t.out, "process-closed-provider");
	cr_assert(!strstr(t.out, "contract-terminated-provider"), "an improved case has no termination letter");
	cr_assert_eq(json_array_size(t.json), 19);
	OK("alice", "audit", "verify");
}

Test(task, done_ticks_off_once)
{
	const char *id;
	cid task;
	json_t *first;

	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "--json", "task", "list", "--open");
	cr_assert_eq(json_array_size(t.json), 4);
	first = json_array_get(t.json, 0);
	cr_assert_str_eq(json_string_value(json_object_get(first, "status")), "open");
	cr_assert(json_is_null(json_object_get(first, "done")));
	id = json_string_value(json_object_get(first, "id"));
	snprintf(task, sizeof(task), "%s", id);

	REFUSED(5, "quinn", "task", "done", task);
	OK("bob", "--json", "task", "done", task);
	cr_assert_str_eq(cwt_str(&t, "status"), "done");
	cr_assert_str_eq(cwt_str(&t, "done"), "2026-11-22");
	cr_assert_str_eq(cwt_str(&t, "done_by"), "bob");
	REFUSED(4, "dora", "task", "done", task);
	HAS(t.err, "already done on 2026-11-22 by bob");
	cr_assert_eq(open_tasks(), 3);
	OK("bob", "--json", "task", "list", "--open");
	cr_assert_eq(json_array_size(t.json), 3);
	OK("bob", "--json", "task", "list");
	cr_assert_eq(json_array_size(t.json), 4);
	/* By a unique prefix, and unknown ones are not found. */
	{
		char prefix[9];

		OK("bob", "--json", "task", "list", "--open");
		memcpy(prefix, json_string_value(json_object_get(json_array_get(t.json, 0), "id")), 8);
		prefix[8] = '\0';
		OK("bob", "task", "done", prefix);
	}
	REFUSED(3, "bob", "task", "done", "ffffffff");
	REFUSED(3, "bob", "task", "list", "--case", "ffffffff");
	OK("quinn", "task", "list");
	HAS(t.out, "Oakwood");
	OK("alice", "--json", "audit", "--entity", task);
	HAS(t.out, "task.done");
	OK("alice", "audit", "verify");
}
