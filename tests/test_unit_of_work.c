/*
 * The engine's unit of work, as a front door uses it: cw_db_run and
 * cw_db_run_as (written whole or not at all, savepoints when nested), a
 * per-call "today", an actor that never outlives its unit, and errors that
 * name the field a form shows them beside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/user.h"
#include "carewatch/provider.h"
#include "carewatch/concern.h"
#include "cwtest.h"

static char dir[64], path[128];
static cw_rules *rules;
static cw_db *db;

static int init_unit(cw_db *d, void *arg)
{
	json_t *o = NULL;
	int err;

	(void)arg;
	if ((err = cw_db_init(d, "alice")) != CW_OK ||
	    (err = cw_user_add(d, "carol", "contracts", &o)) != CW_OK)
		return err;
	json_decref(o);
	if ((err = cw_user_add(d, "sam", "safeguarding", &o)) != CW_OK)
		return err;
	json_decref(o);
	return CW_OK;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/cwunit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/carewatch.db", dir);
	cr_assert_eq(cw_rules_load(&rules, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_open(&db, path, rules, cw_date_from_ymd(2026, 11, 20), true), CW_OK,
		"%s", cw_errmsg());
	cr_assert_eq(cw_db_run(db, true, init_unit, NULL), CW_OK, "%s", cw_errmsg());
}

static void teardown(void)
{
	char cmd[160];

	cw_db_close(db);
	cw_rules_free(rules);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(unit_of_work, .init = setup, .fini = teardown);

struct add {
	const char *name;
	int fail_with;   /* returned after the provider is added */
};

static int add_provider(cw_db *d, void *arg)
{
	struct add *a = arg;
	cw_provider_add_args p = { .name = a->name, .type = "care_home_residential" };
	json_t *o = NULL;
	int err = cw_provider_add(d, &p, &o);

	json_decref(o);
	return err != CW_OK ? err : a->fail_with;
}

static long providers(void)
{
	json_t *list = NULL;
	long n;

	cr_assert_eq(cw_db_set_actor(db, "carol"), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_provider_list(db, &list), CW_OK, "%s", cw_errmsg());
	n = (long)json_array_size(list);
	json_decref(list);
	return n;
}

Test(unit_of_work, commits_whole_or_not_at_all)
{
	struct add ok = { "Elm House", CW_OK }, refused = { "Oak Lodge", CW_EREFUSED };

	cr_assert_eq(cw_db_run_as(db, "carol", true, add_provider, &ok), CW_OK, "%s", cw_errmsg());
	/* The provider was added, then the unit failed: nothing of it stays. */
	cr_assert_eq(cw_db_run_as(db, "carol", true, add_provider, &refused), CW_EREFUSED);
	cr_assert_eq(providers(), 1);
}

struct nested {
	struct add inner[2];
	int inner_status[2];
};

static int two_nested(cw_db *d, void *arg)
{
	struct nested *n = arg;
	int i;

	for (i = 0; i < 2; i++)
		n->inner_status[i] = cw_db_run(d, true, add_provider, &n->inner[i]);
	return CW_OK;
}

Test(unit_of_work, a_nested_unit_undoes_only_itself)
{
	struct nested n = { { { "Elm House", CW_EREFUSED }, { "Oak Lodge", CW_OK } }, { -1, -1 } };

	cr_assert_eq(cw_db_run_as(db, "carol", true, two_nested, &n), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(n.inner_status[0], CW_EREFUSED);
	cr_assert_eq(n.inner_status[1], CW_OK);
	cr_assert_eq(providers(), 1);
}

static int whoami(cw_db *d, void *arg)
{
	char *who = arg;

	snprintf(who, 64, "%s", cw_db_actor(d) ? cw_db_actor(d) : "(nobody)");
	return CW_OK;
}

Test(unit_of_work, the_actor_does_not_outlive_its_unit)
{
	char who[64] = "";
	struct add a = { "Elm House", CW_OK };

	cr_assert_eq(cw_db_run_as(db, "carol", false, whoami, who), CW_OK);
	cr_assert_str_eq(who, "carol");
	cr_assert_null(cw_db_actor(db), "the actor is cleared after the unit");
	/* An unknown user is refused, and the previous actor is not kept. */
	cr_assert_eq(cw_db_set_actor(db, "carol"), CW_OK);
	cr_assert_eq(cw_db_set_actor(db, "mallory"), CW_EFORBIDDEN);
	cr_assert_null(cw_db_actor(db));
	cr_assert_not(cw_db_may(db, "provider.write"));
	cr_assert_eq(cw_db_run(db, true, add_provider, &a), CW_EFORBIDDEN);
}

Test(unit_of_work, today_is_per_call)
{
	cw_concern_log_args c = {
		.provider = "Elm House", .source = "complaint", .team = "commissioning",
		.summary = "Call bells unanswered", .likelihood = 2, .impact = 2,
		.received_given = true, .received = cw_date_from_ymd(2026, 11, 25),
	};
	struct add a = { "Elm House", CW_OK };
	json_t *o = NULL;

	cr_assert_eq(cw_db_run_as(db, "carol", true, add_provider, &a), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_set_actor(db, "carol"), CW_OK);
	/* On the 20th the 25th is in the future; after midnight on the 25th it is not. */
	cr_assert_eq(cw_concern_log(db, &c, &o), CW_EINVALID);
	cw_db_set_today(db, cw_date_from_ymd(2026, 11, 25));
	cr_assert_eq(cw_db_today(db), cw_date_from_ymd(2026, 11, 25));
	cr_assert_eq(cw_concern_log(db, &c, &o), CW_OK, "%s", cw_errmsg());
	json_decref(o);
}

Test(unit_of_work, errors_name_their_field)
{
	cw_concern_log_args c = {
		.provider = "Elm House", .source = "pova_referral", .team = "safeguarding",
		.summary = "Bruising", .likelihood = 2, .impact = 3, .pova_ref = "POVA-1",
	};
	struct add a = { "Elm House", CW_OK };
	json_t *o = NULL;

	cr_assert_eq(cw_error_at("due", CW_EINVALID, "due is before today"), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "due");
	cr_assert_eq(cw_error(CW_EINVALID, "no field"), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "", "a new error forgets the old field");

	cr_assert_eq(cw_db_run_as(db, "carol", true, add_provider, &a), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_set_actor(db, "sam"), CW_OK);
	cr_assert_eq(cw_concern_log(db, &c, &o), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "subject_ref", "%s", cw_errmsg());
	cr_assert_null(strstr(cw_errmsg(), "--"), "the engine speaks of fields: %s", cw_errmsg());
	c.subject_ref = "SU-1";
	c.summary = "   ";
	cr_assert_eq(cw_concern_log(db, &c, &o), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "summary", "%s", cw_errmsg());
	c.summary = "Bruising";
	c.likelihood = 9;
	cr_assert_eq(cw_concern_log(db, &c, &o), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "likelihood", "%s", cw_errmsg());
}

/* The command line prints the option that sets the field. */
Test(unit_of_work, the_cli_names_the_option)
{
	cwt t;

	cwt_setup(&t, "alice");
	cr_assert_eq(cwt_run(&t, "alice", "user", "add", "Sam", "--role", "safeguarding,contracts",
		NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "Sam", "provider", "add", "Elm House", "--type",
		"care_home_residential", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "Sam", "concern", "log", "--provider", "Elm House", "--source",
		"pova_referral", "--team", "safeguarding", "--likelihood", "2", "--impact", "3",
		"--summary", "x", "--pova-ref", "P-1", NULL), 2);
	cr_assert_not_null(strstr(t.err, "carewatch: --subject: "), "%s", t.err);
	cr_assert_eq(cwt_run(&t, "Sam", "concern", "log", "--provider", "Elm House", "--source",
		"complaint", "--team", "safeguarding", "--likelihood", "2", "--impact", "3",
		"--summary", " ", NULL), 2);
	cr_assert_not_null(strstr(t.err, "carewatch: --summary is blank"), "%s", t.err);
	cwt_teardown(&t);
}
