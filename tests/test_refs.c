/*
 * References people can say aloud (SPEC §2): C-0042, A-0007, K-0003,
 * M-0012, assigned once in order of entry, stored, never given twice, and
 * taken by every command that takes an id.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"
#include "schema.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s", t.code, t.err)
#define EXIT(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(hay, needle) cr_assert(strstr(hay, needle), "no '%s' in: %s", needle, hay)

static void setup(void)
{
	cwt_setup(&t, "alice");
	t.today = "2026-11-10";
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("bob", "provider", "add", "Oakwood", "--type", "care_home_residential");
	OK("bob", "provider", "add", "Elm House", "--type", "care_home_nursing");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(refs, .init = setup, .fini = teardown, .timeout = 120);

static void log_concern(const char *prov, const char *summary)
{
	OK("bob", "--json", "concern", "log", "--provider", prov, "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "3",
		"--summary", summary);
}

/* A case on Oakwood with two concerns, an item and a meeting. */
static void world(void)
{
	log_concern("Oakwood", "first");                     /* C-0001 */
	log_concern("Elm House", "second");                  /* C-0002 */
	log_concern("Oakwood", "third");                     /* C-0003 */
	OK("bob", "case", "open", "--provider", "Elm House", "--reason", "x");   /* K-0001 */
	OK("bob", "case", "open", "--provider", "Oakwood", "--reason", "y");     /* K-0002 */
	OK("bob", "case", "escalate", "k-2", "--trigger", "pattern_of_issues", "--chair", "bob");
	OK("bob", "--json", "action", "add", "--case", "K-2", "--concern", "c-3", "--kind", "CA",
		"--improvement", "audit", "--due", "2026-12-01", "--owner", "Manager");
	OK("bob", "meeting", "record", "--case", "K-0002", "--date", "2026-11-10", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "same");
}

Test(refs, assigned_in_order_of_entry_unique_and_stable_across_runs)
{
	json_t *c;
	size_t i;
	char first[4096];

	world();
	OK("bob", "--json", "concern", "list");
	cr_assert_eq(json_array_size(t.json), 3);
	/* Newest first: C-0003, C-0002, C-0001, each with its own summary. */
	json_array_foreach(t.json, i, c) {
		char want[16];

		snprintf(want, sizeof(want), "C-%04zu", 3 - i);
		cr_assert_str_eq(json_string_value(json_object_get(c, "ref")), want);
	}
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "summary")),
		"third");
	/* Another process reads the same references. */
	OK("bob", "concern", "list");
	snprintf(first, sizeof(first), "%s", t.out);
	OK("bob", "concern", "list");
	cr_assert_str_eq(t.out, first);
	HAS(t.out, "REF ");
	HAS(t.out, "C-0002");
	OK("bob", "--json", "case", "show", "K-0001");
	cr_assert_str_eq(cwt_str(&t, "provider"), "Elm House");
	cr_assert_str_eq(cwt_str(&t, "ref"), "K-0001");
	/* The database says no two rows may share one. */
	cr_assert_neq(cwt_sql(&t, "UPDATE concerns SET ref = 'C-0001' WHERE ref = 'C-0002'"), 0);
}

Test(refs, a_reference_is_never_given_twice)
{
	log_concern("Oakwood", "one");
	log_concern("Oakwood", "two");
	/* Even if the newest row went (nothing in the engine deletes one). */
	cr_assert_eq(cwt_sql(&t, "DELETE FROM concerns WHERE ref = 'C-0002'"), 0);
	log_concern("Oakwood", "three");
	cr_assert_str_eq(cwt_str(&t, "ref"), "C-0003");
}

Test(refs, accepted_by_every_command_that_takes_an_id)
{
	world();
	/* Exact, either case, with or without the zeros. */
	OK("bob", "--json", "concern", "show", "C-0003");
	cr_assert_str_eq(cwt_str(&t, "summary"), "third");
	OK("bob", "--json", "concern", "show", "c-3");
	cr_assert_str_eq(cwt_str(&t, "summary"), "third");
	OK("bob", "--json", "concern", "show", "C-003");
	cr_assert_str_eq(cwt_str(&t, "ref"), "C-0003");
	OK("bob", "concern", "rate", "c-1", "--likelihood", "2", "--note", "better");
	OK("bob", "--json", "concern", "resolve", "C-0001", "--note", "done");
	cr_assert_str_eq(cwt_str(&t, "status"), "resolved");
	OK("bob", "--json", "action", "show", "a-1");
	cr_assert_str_eq(cwt_str(&t, "ref"), "A-0001");
	cr_assert_str_eq(cwt_str(&t, "concern_ref"), "C-0003");
	cr_assert_str_eq(cwt_str(&t, "case_ref"), "K-0002");
	OK("bob", "action", "progress", "A-0001", "--status", "ongoing", "--evidence", "half");
	OK("bob", "--json", "action", "extend", "A-1", "--due", "2026-12-15", "--rationale", "ill");
	cr_assert_str_eq(cwt_str(&t, "due"), "2026-12-15");
	OK("bob", "action", "list", "--case", "k-2");
	HAS(t.out, "A-0001");
	HAS(t.out, "C-0003");
	OK("bob", "--json", "case", "show", "k-0002");
	cr_assert_str_eq(cwt_str(&t, "provider"), "Oakwood");
	OK("bob", "--json", "meeting", "list", "--case", "K-2");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "ref")),
		"M-0001");
	OK("bob", "meeting", "list", "--case", "K-2");
	HAS(t.out, "M-0001");
	cwt_letterhead(&t, "alice", "County Council");
	OK("bob", "document", "ppm-record", "--case", "K-2", "--meeting", "m-1", "--format", "text");
	HAS(t.out, "Case reference:     K-0002");
	HAS(t.out, "A-0001 CA audit");
	HAS(t.out, "C-0003 commissioning: third");
	OK("bob", "case", "deescalate", "K-0002", "--rationale", "better");
	/* A reference of another kind, or one nobody has, is not found. */
	EXIT(3, "bob", "concern", "show", "A-0001");
	HAS(t.err, "no concern 'A-0001' (A- references name actions)");
	EXIT(3, "bob", "concern", "show", "C-0099");
	HAS(t.err, "no concern C-0099");
	EXIT(3, "bob", "document", "ppm-record", "--case", "K-2", "--meeting", "M-0002");
	EXIT(3, "bob", "case", "show", "K-7");
}

Test(refs, refusals_and_letters_name_items_by_reference)
{
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "4", "--impact", "4", "--summary", "red");
	OK("bob", "case", "open", "--provider", "Oakwood", "--reason", "y");
	OK("bob", "case", "escalate", "K-1", "--trigger", "pattern_of_issues", "--chair", "bob");
	EXIT(4, "bob", "--json", "case", "close", "K-1", "--outcome", "improved",
		"--rationale", "r", "--agreed-by", "Health Board");
	HAS(t.out, "concern C-0001 is red");
	HAS(t.err, "for case K-0001");
}

Test(refs, shown_in_exports)
{
	world();
	OK("bob", "export", "concerns", "--format", "csv");
	HAS(t.out, "\"id\",\"ref\",");
	HAS(t.out, "\"C-0002\"");
	OK("bob", "--json", "export", "cases", "--format", "json");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(t.json, 0), "ref")),
		"K-0001");
	OK("bob", "action", "progress", "A-1", "--status", "ongoing", "--evidence", "half done");
	OK("bob", "action", "extend", "A-1", "--due", "2026-12-15", "--rationale", "sickness");
	OK("bob", "export", "actions", "--format", "csv");
	HAS(t.out, "\"ref\",\"provider_id\",\"provider\",\"case_id\",\"case_ref\"");
	HAS(t.out, "\"A-0001\"");
	HAS(t.out, "\"Oakwood\"");
	HAS(t.out, "\"K-0002\"");
	HAS(t.out, "\"C-0003\"");
	HAS(t.out, "2026-11-10: due 2026-12-01 moved to 2026-12-15 (sickness)");
	HAS(t.out, "2026-11-10: half done");
	OK("bob", "--json", "export", "actions", "--format", "json");
	{
		json_t *a = json_array_get(t.json, 0);

		cr_assert_str_eq(json_string_value(json_object_get(a, "provider")), "Oakwood");
		cr_assert_str_eq(json_string_value(json_object_get(a, "case_ref")), "K-0002");
		cr_assert_eq(json_array_size(json_object_get(a, "evidence")), 1);
		cr_assert_eq(json_array_size(json_object_get(a, "extensions")), 1);
	}
}

/* The migration that gave rows their references. */
static int refs_version(void)
{
	for (int v = 1; v <= cw_schema_count(); v++)
		if (strstr(cw_schema_migration(v), "CREATE TABLE ref_counters"))
			return v;
	cr_assert_fail("no migration creates ref_counters");
	return 0;
}

/*
 * A database from before references: its rows get them in order of entry
 * when init upgrades it, and the deep audit check still holds.
 */
Test(refs, an_older_database_is_given_references_in_order_of_entry)
{
	char sql[512];

	world();
	OK("bob", "action", "progress", "A-1", "--status", "ongoing", "--evidence", "begun");
	/* Undo what came after references (the paperwork's migration) too. */
	cr_assert_eq(cwt_sql(&t,
		"ALTER TABLE commissioners DROP COLUMN address; ALTER TABLE commissioners DROP COLUMN phone;"
		" ALTER TABLE commissioners DROP COLUMN email; ALTER TABLE commissioners DROP COLUMN department;"
		" ALTER TABLE commissioners DROP COLUMN signatory;"
		" ALTER TABLE commissioners DROP COLUMN signatory_title;"
		" ALTER TABLE meetings DROP COLUMN time; ALTER TABLE meetings DROP COLUMN venue;"
		" ALTER TABLE meetings DROP COLUMN apologies; ALTER TABLE meetings DROP COLUMN minutes_to;"
		" ALTER TABLE meetings DROP COLUMN attendance; ALTER TABLE meetings DROP COLUMN sharing;"
		" ALTER TABLE meetings DROP COLUMN disagreements; ALTER TABLE meetings DROP COLUMN advice;"
		" ALTER TABLE meetings DROP COLUMN next_attendees;"
		" ALTER TABLE meeting_attendees DROP COLUMN contact;"
		" ALTER TABLE meeting_attendees DROP COLUMN removed; DROP TABLE meeting_amendments;"
		" ALTER TABLE qa_meetings DROP COLUMN apologies; ALTER TABLE qa_meetings DROP COLUMN decisions;"
		" DROP TABLE qa_action_progress; DROP TABLE qa_actions;"), 0);
	cr_assert_eq(cwt_sql(&t,
		"DROP TRIGGER concerns_ref; DROP TRIGGER actions_ref; DROP TRIGGER cases_ref;"
		" DROP TRIGGER meetings_ref; DROP INDEX concerns_ref; DROP INDEX actions_ref;"
		" DROP INDEX cases_ref; DROP INDEX meetings_ref; DROP TABLE ref_counters;"
		" ALTER TABLE concerns DROP COLUMN ref; ALTER TABLE actions DROP COLUMN ref;"
		" ALTER TABLE cases DROP COLUMN ref; ALTER TABLE meetings DROP COLUMN ref;"
		/* Entered in another order than their ids sort in. */
		" UPDATE concerns SET seq = 10 - seq;"), 0);
	/* Back to the version before references; what came after them goes too. */
	cr_assert_eq(cwt_sql(&t, "DROP TABLE action_status; DROP INDEX audit_date_used;"
		" DROP TABLE corrections; ALTER TABLE concerns DROP COLUMN replaces;"
		" ALTER TABLE providers DROP COLUMN closed; ALTER TABLE placements DROP COLUMN cancelled;"
		" ALTER TABLE provider_commissioners DROP COLUMN removed;"

		" DROP TABLE calendar_tokens; ALTER TABLE users DROP COLUMN deactivated;"
		" ALTER TABLE users DROP COLUMN deactivated_reason; ALTER TABLE tasks DROP COLUMN note;"),
		0);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", refs_version() - 1);
	cr_assert_eq(cwt_sql(&t, sql), 0);
	OK("alice", "init");
	/* The status history is given what the item's row tells: added, then ongoing. */
	cr_assert_eq(cwt_count(&t, "action_status"), 2);
	OK("bob", "--json", "concern", "show", "C-0001");
	cr_assert_str_eq(cwt_str(&t, "summary"), "third");
	OK("bob", "--json", "concern", "show", "C-0003");
	cr_assert_str_eq(cwt_str(&t, "summary"), "first");
	OK("bob", "--json", "meeting", "list", "--case", "K-2");
	log_concern("Oakwood", "fourth");
	cr_assert_str_eq(cwt_str(&t, "ref"), "C-0004");
	OK("alice", "audit", "verify", "--deep");
}
