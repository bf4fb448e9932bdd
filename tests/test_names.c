/*
 * Names that cannot impersonate (SPEC §7, §8; issue 15): ids resolve
 * before names, a name that reads as an id is refused, names are compared
 * after Unicode normalisation, invisible and control characters are
 * refused, and `init` recomputes stored keys without merging lookalikes.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s%s", t.code, t.err, t.out)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(text, what) cr_assert(strstr((text), (what)), "no '%s' in: %s", (what), (text))

static char oak[64], kase[64];

/* Oakwood, under a mandatory embargo by the lead commissioner. */
static void setup(void)
{
	cwt_setup(&t, "alice");
	t.today = "2026-11-18";
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "user", "add", "dora", "--role", "director");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("bob", "--json", "provider", "add", "Oakwood", "--type", "care_home_nursing",
		"--commissioner", "County Council");
	snprintf(oak, sizeof(oak), "%s", cwt_str(&t, "id"));
	OK("bob", "--json", "case", "open", "--provider", "Oakwood", "--reason", "complaints");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	t.today = "2026-11-10";   /* escalated before the meeting that recommends the embargo */
	OK("bob", "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", "bob");
	t.today = "2026-11-22";
	OK("bob", "meeting", "record", "--case", kase, "--date", "2026-11-16", "--chair", "bob",
		"--attendee", "Bob|County Council|chair", "--trend", "increased");
	OK("dora", "case", "suspend", kase, "--commissioner", "County Council",
		"--kind", "mandatory", "--reason", "unsafe staffing", "--meeting", "2026-11-16");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(names, .init = setup, .fini = teardown, .timeout = 120);

/* A decoy whose name is Oakwood's id, or a prefix of it, as an older
 * database could hold one (adding it is refused now, see below). */
static void plant_decoy(const char *id, const char *name)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO providers (id, name, name_key, type, created)"
		" VALUES ('%s', '%s', '%s', 'day_service', '2026-11-18')", id, name, name);
	cr_assert_eq(cwt_sql(&t, sql), 0);
}

Test(names, an_id_resolves_before_a_name_even_for_placement_check)
{
	char prefix[9];

	snprintf(prefix, sizeof(prefix), "%.8s", oak);
	plant_decoy("00000000-0000-4000-8000-000000000001", oak);
	plant_decoy("00000000-0000-4000-8000-000000000002", prefix);
	OK("bob", "--json", "provider", "show", oak);
	cr_assert_str_eq(cwt_str(&t, "name"), "Oakwood");
	OK("bob", "--json", "provider", "show", prefix);
	cr_assert_str_eq(cwt_str(&t, "name"), "Oakwood");
	/* The embargoed home is still refused, by its id and by its prefix. */
	REFUSED(4, "bob", "--json", "placement", "check", "--provider", oak,
		"--commissioner", "County Council");
	cr_assert(json_is_false(json_object_get(t.json, "allowed")));
	REFUSED(4, "bob", "placement", "check", "--provider", prefix,
		"--commissioner", "County Council");
}

Test(names, a_name_that_reads_as_an_id_is_refused)
{
	long before = cwt_count(&t, "providers");
	char prefix[9];

	snprintf(prefix, sizeof(prefix), "%.8s", oak);
	REFUSED(2, "bob", "provider", "add", oak, "--type", "day_service");
	HAS(t.err, "could be read as an id");
	REFUSED(2, "bob", "provider", "add", prefix, "--type", "day_service");
	REFUSED(2, "bob", "provider", "add", "CAFE", "--type", "day_service");
	/* full-width letters fold (NFKC) to "cafe-1" */
	REFUSED(2, "bob", "provider", "add", "\xef\xbc\xa3\xef\xbc\xa1\xef\xbc\xa6\xef\xbc\xa5-1",
		"--type", "day_service");
	REFUSED(2, "alice", "user", "add", "dead-beef", "--role", "viewer");
	REFUSED(2, "alice", "commissioner", "add", " 1234 ");
	REFUSED(2, "alice", "import", "providers", cwt_file(&t, "ids.csv",
		"name,type\nabcd-ef01,day_service\n"));
	cr_assert_eq(cwt_count(&t, "providers"), before);
	/* Short hex words and words with other letters are fine. */
	OK("bob", "provider", "add", "Ace", "--type", "day_service");
	OK("bob", "provider", "add", "Cafe Court", "--type", "day_service");
}

Test(names, lookalike_names_are_one_name)
{
	static const char *const elm[] = { "ELM HOUSE", "Elm House ", " elm   house",
		"\xef\xbc\xa5lm House",          /* U+FF25 FULLWIDTH E */
		"Elm\xc2\xa0House",              /* no-break space */
		"Elm\xe3\x80\x80House",          /* ideographic space */
		NULL };
	const char *const *p;

	OK("bob", "provider", "add", "Elm House", "--type", "day_service");
	for (p = elm; *p; p++) {
		REFUSED(4, "bob", "provider", "add", *p, "--type", "day_service");
		OK("bob", "--json", "provider", "show", *p);
		cr_assert_str_eq(cwt_str(&t, "name"), "Elm House");
	}
	OK("alice", "user", "add", "Zoë Hale", "--role", "viewer");
	REFUSED(4, "alice", "user", "add", "ZOË  HALE", "--role", "viewer");
	REFUSED(4, "alice", "user", "add", "Zoe\xcc\x88 Hale", "--role", "viewer");  /* e + U+0308 */
	OK("Zo\xc3\xab hale ", "provider", "list");   /* acts as Zoë Hale */
	REFUSED(4, "alice", "commissioner", "add", "COUNTY\xe2\x80\x83" "council");  /* em space */
	REFUSED(4, "alice", "commissioner", "add", "County  Council");
	/* full case folding: ß is ss */
	OK("bob", "provider", "add", "Strasse Lodge", "--type", "day_service");
	REFUSED(4, "bob", "provider", "add", "STRA\xc3\x9f" "E LODGE", "--type", "day_service");
}

Test(names, invisible_and_control_characters_are_refused)
{
	static const char *const bad[] = {
		"Elm\xe2\x80\x8bHouse",          /* zero-width space */
		"Elm\xe2\x80\x8dHouse",          /* zero-width joiner */
		"Elm House\xe2\x80\xae",         /* right-to-left override */
		"\xe2\x81\xa6" "Elm House",      /* left-to-right isolate */
		"Elm\xc2\x85House",              /* C1 control (NEL) */
		"Elm\xc2\xadHouse",              /* soft hyphen */
		"\xef\xbb\xbf" "Elm House",      /* byte order mark */
		NULL };
	const char *const *p;
	long before = cwt_count(&t, "providers");

	for (p = bad; *p; p++) {
		REFUSED(2, "bob", "provider", "add", *p, "--type", "day_service");
		REFUSED(2, "alice", "user", "add", *p, "--role", "viewer");
		REFUSED(2, "alice", "commissioner", "add", *p);
	}
	cr_assert_eq(cwt_count(&t, "providers"), before);
	/* Free text that a terminal prints refuses the ones that reorder or hide. */
	REFUSED(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2",
		"--summary", "fine \xe2\x80\xae" "enif");
	HAS(t.err, "bidirectional");
	REFUSED(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "2", "--impact", "2",
		"--summary", "a\xc2\x9b" "31m red");
	/* An error message quoting such text shows '?' for each of its bytes. */
	REFUSED(3, "bob", "provider", "show", "x\xe2\x80\xaey\xc2\x9bz");
	HAS(t.err, "'x???y??z'");
}

/* A database written by the old folding: keys recomputed by init, and
 * lookalikes named rather than merged. */
Test(names, init_recomputes_keys_and_names_lookalikes)
{
	long audit;

	/* An old key: the hand-written tables did not fold full-width letters. */
	cr_assert_eq(cwt_sql(&t, "INSERT INTO providers (id, name, name_key, type, created)"
		" VALUES ('00000000-0000-4000-8000-00000000000a', '\xef\xbc\xaf" "ak Lodge',"
		" '\xef\xbc\xaf" "ak lodge', 'day_service', '2026-11-18')"), 0);
	REFUSED(3, "bob", "provider", "show", "oak lodge");
	OK("alice", "init");
	OK("bob", "--json", "provider", "show", "oak lodge");
	cr_assert_str_eq(cwt_str(&t, "id"), "00000000-0000-4000-8000-00000000000a");
	REFUSED(4, "bob", "provider", "add", "Oak Lodge", "--type", "day_service");

	/* Two rows that the new rule makes one name. */
	cr_assert_eq(cwt_sql(&t, "INSERT INTO providers (id, name, name_key, type, created)"
		" VALUES ('00000000-0000-4000-8000-00000000000b', 'Elm House', 'elm house',"
		" 'day_service', '2026-11-18'), ('00000000-0000-4000-8000-00000000000c',"
		" 'Elm  House', 'elm  house', 'day_service', '2026-11-18')"), 0);
	audit = cwt_count(&t, "audit");
	REFUSED(4, "alice", "init");
	HAS(t.err, "'Elm House' (00000000)");
	HAS(t.err, "'Elm  House' (00000000)");
	HAS(t.err, "Unicode normalisation");
	cr_assert_eq(cwt_count(&t, "audit"), audit);
	/* nothing merged: both are still there under their own ids */
	OK("bob", "--json", "provider", "show", "00000000-0000-4000-8000-00000000000c");
	cr_assert_str_eq(cwt_str(&t, "name"), "Elm  House");
}
