/*
 * The watch list's set-wise flags (engine/domain/flags_all.c) against the
 * per-provider path every other command uses (engine/domain/flags.c): on the demo
 * area, at dates before, during and long after its casework, every
 * provider's flags must be the same both ways.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "flags.h"
#include "carewatch/rules.h"
#include "cwtest.h"

static cwt t;

#define M "Morgan Hale"   /* the demo's contracting manager */
#define OK(as, ...) cr_assert_eq(cwt_run(&t, as, __VA_ARGS__, NULL), 0, "exit %d: %s", t.code, \
	t.err)

TestSuite(flags_all, .timeout = 240);

/* Compare both paths as of `today`; count how often each flag is on. */
static void compare(const cw_rules *r, cw_date today, size_t seen[CW_FLAG_COUNT])
{
	cw_db *db = NULL;
	cw_flags_all *all = NULL;
	char day[CW_DATE_STRLEN];

	cw_date_format(today, day);
	cr_assert_eq(cw_db_open(&db, t.db, r, today, false), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_begin(db, false), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_flags_all_load(db, &all), CW_OK, "%s", cw_errmsg());
	cr_assert_gt(cw_flags_all_count(all), 10);
	for (size_t i = 0; i < cw_flags_all_count(all); i++) {
		const char *id = cw_flags_all_id(all, i);
		const cw_flag_set *got = cw_flags_all_get(all, id);
		cw_flag_set want;

		cr_assert_not_null(got);
		cr_assert_eq(cw_flags_provider_set(db, id, &want), CW_OK, "%s", cw_errmsg());
		for (int k = 0; k < CW_FLAG_COUNT; k++) {
			cr_assert_eq(got->on[k], want.on[k], "%s on %s: %s is %d set-wise, %d alone",
				id, day, cw_flag_name((cw_flag)k), got->on[k], want.on[k]);
			seen[k] += got->on[k];
		}
	}
	cr_assert_null(cw_flags_all_get(all, "no-such-provider"));
	cw_flags_all_free(all);
	cw_db_close(db);
}

Test(flags_all, agree_with_the_per_provider_flags_on_the_demo_area)
{
	cw_rules *r = NULL;
	size_t seen[CW_FLAG_COUNT] = { 0 };
	cw_date today = cw_date_from_ymd(2026, 11, 22);
	char kase[CW_ID_LEN];

	cwt_setup(&t, NULL);
	cr_assert_eq(cwt_run(&t, "admin", "init", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, "admin", "demo", NULL), 0, "%s", t.err);
	/* A case escalated with no meeting since: the demo holds every first PPM. */
	cr_assert_eq(cwt_run(&t, M, "provider", "add", "Late Meeting House", "--type",
		"domiciliary", NULL), 0, "%s", t.err);
	cr_assert_eq(cwt_run(&t, M, "--json", "case", "open", "--provider",
		"Late Meeting House", "--reason", "complaints", NULL), 0, "%s", t.err);
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	cr_assert_eq(cwt_run(&t, M, "case", "escalate", kase, "--trigger",
		"pattern_of_issues", "--chair", M, NULL), 0, "%s", t.err);
	/*
	 * A case escalated a second time: its meeting (green agreed) belongs to
	 * the first period, and a red concern came after that meeting.
	 */
	t.today = "2026-08-01";
	OK(M, "provider", "add", "Second Round House", "--type", "domiciliary");
	OK(M, "--json", "case", "open", "--provider", "Second Round House", "--reason", "complaints");
	snprintf(kase, sizeof(kase), "%s", cwt_str(&t, "id"));
	t.today = "2026-08-02";
	OK(M, "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", M);
	t.today = "2026-08-10";
	OK(M, "meeting", "record", "--case", kase, "--date", "2026-08-10", "--chair", M,
		"--attendee", "Morgan Hale|Council|chair", "--trend", "same", "--overall", "green");
	t.today = "2026-09-01";
	OK(M, "case", "deescalate", kase, "--rationale", "better");
	t.today = "2026-09-15";
	OK(M, "case", "escalate", kase, "--trigger", "pattern_of_issues", "--chair", M);
	t.today = "2026-09-20";
	OK(M, "concern", "log", "--provider", "Second Round House", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "4", "--impact", "4", "--summary", "late");
	/* The meeting prompts (8.2, 8.4, 8.13): a nursing home's first meeting chaired by
	 * safeguarding, no health attendee, two POVA referrals before it. */
	t.today = "2026-08-01";
	OK(M, "provider", "add", "Prompt Nursing Home", "--type", "care_home_nursing");
	OK(M, "case", "open", "--provider", "Prompt Nursing Home", "--reason", "referrals");
	OK(M, "case", "escalate", "Prompt Nursing Home", "--trigger", "pattern_of_issues",
		"--chair", "Priya Anand");
	t.today = "2026-08-05";
	for (int i = 0; i < 2; i++)
		OK("Priya Anand", "concern", "log", "--provider", "Prompt Nursing Home", "--source",
			"pova_referral", "--team", "safeguarding", "--likelihood", "2", "--impact", "2",
			"--summary", "referral", "--pova-ref", i ? "PV-2" : "PV-1", "--subject", "SU-9");
	OK(M, "meeting", "record", "--case", "Prompt Nursing Home", "--date", "2026-08-05",
		"--chair", "Priya Anand", "--attendee", "Morgan Hale|Council|chair", "--trend", "same");
	t.today = NULL;
	cr_assert_eq(cw_rules_load(&r, NULL), CW_OK, "%s", cw_errmsg());
	/* Every day from before the demo's history to long after it, so each
	 * window edge and time limit is crossed on its own day. */
	for (int d = -450; d <= 400; d++)
		compare(r, today + d, seen);
	/* The comparison means something only if the flags do come on. */
	for (int k = 0; k < CW_FLAG_COUNT; k++)
		cr_log_info("%s: %zu", cw_flag_name((cw_flag)k), seen[k]);
	for (int k = 0; k < CW_FLAG_COUNT; k++)
		cr_expect_gt(seen[k], 0, "%s never came on", cw_flag_name((cw_flag)k));
	cw_rules_free(r);
	cwt_teardown(&t);
}
