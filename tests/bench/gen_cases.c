/*
 * The generated world's casework, made through the library as users make
 * it: users and commissioners first, then (after gen.c has filled the
 * providers and the concern history) cases opened and escalated five months
 * ago with their action plans and embargoes, two rounds of provider
 * performance meetings, a QA meeting, and today's restarts, placements and
 * closures. Each operation runs in a savepoint, so one its rules refuse
 * leaves nothing behind (and is counted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/action.h"
#include "carewatch/commissioner.h"
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/meeting.h"
#include "carewatch/placement.h"
#include "carewatch/user.h"
#include "carewatch/watchlist.h"
#include "store.h"
#include "bench.h"

static int lib_ok(int err, struct gen_summary *s, const char *what)
{
	if (err == CW_OK)
		return 1;
	s->refused++;
	if (err != CW_EREFUSED && err != CW_EINVALID && err != CW_EFORBIDDEN)
		fprintf(stderr, "bench: %s: %s\n", what, cw_errmsg());
	return 0;
}

/* One engine operation as a nested unit, so a refusal leaves nothing. */
#define OP(db, s, what, call) do { \
	json_t *o_ = NULL; \
	int e_ = cw_db_unit_begin(db); \
	if (e_ == CW_OK) \
		e_ = cw_db_unit_end((db), (call)); \
	lib_ok(e_, (s), (what)); \
	json_decref(o_); \
	ok_ = e_ == CW_OK; \
} while (0)
#define OUT (&o_)

static int setup_library(const char *path, const struct world *w, const cw_rules *rules)
{
	cw_db *db = NULL;
	json_t *o = NULL;
	int err;

	if ((err = cw_db_open(&db, path, rules, w->today, true)) != CW_OK ||
	    (err = cw_db_begin(db, true)) != CW_OK ||
	    (err = cw_db_init(db, BENCH_ADMIN)) != CW_OK)
		goto done;
	cw_db_seed_ids(db, (unsigned long)w->seed);
	if ((err = cw_user_add(db, BENCH_USER, "admin,contracts,safeguarding,director,qa", &o)) != CW_OK)
		goto done;
	json_decref(o);
	if ((err = cw_user_add(db, BENCH_CHAIR, "contracts", &o)) != CW_OK)
		goto done;
	json_decref(o);
	if ((err = cw_commissioner_add(db, BENCH_LEAD, "local_authority", true, &o)) != CW_OK)
		goto done;
	json_decref(o);
	if ((err = cw_commissioner_add(db, BENCH_HEALTH, "health_board", false, &o)) != CW_OK)
		goto done;
	json_decref(o);
	if ((err = cw_commissioner_add(db, BENCH_OTHER_LA, "local_authority", false, &o)) != CW_OK)
		goto done;
	json_decref(o);
	o = NULL;
	err = cw_db_commit(db);
done:
	if (err != CW_OK)
		fprintf(stderr, "bench: set-up: %s\n", cw_errmsg());
	cw_db_close(db);
	return err;
}

struct candidate {
	char id[CW_ID_LEN];
	int max_score;
};

static struct candidate *open_providers(sqlite3 *h, long *n)
{
	sqlite3_stmt *st = raw_prepare(h,
		"SELECT provider_id, max(likelihood * impact) FROM concerns"
		" WHERE status = 'open' AND positive = 0 GROUP BY provider_id ORDER BY provider_id");
	struct candidate *c = NULL;
	long cap = 0;

	*n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			c = realloc(c, (size_t)cap * sizeof(*c));
		}
		snprintf(c[*n].id, CW_ID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
		c[*n].max_score = sqlite3_column_int(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	return c;
}

static int open_concern_ids(sqlite3 *h, const char *pid, char ids[3][CW_ID_LEN])
{
	sqlite3_stmt *st = raw_prepare(h,
		"SELECT id FROM concerns WHERE provider_id = ?1 AND status = 'open'"
		" AND positive = 0 ORDER BY seq LIMIT 3");
	int n = 0;

	sqlite3_bind_text(st, 1, pid, -1, SQLITE_STATIC);
	while (n < 3 && sqlite3_step(st) == SQLITE_ROW)
		snprintf(ids[n++], CW_ID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return n;
}

static const char *const triggers[] = {
	"partner_notification", "unable_to_improve", "single_or_repeated_concern",
	"pova_risk_to_others", "pattern_of_issues"
};

/* A case the generator made, followed through the dated stages below. */
struct made_case {
	const struct candidate *c;
	long k;
	bool escalated, embargo, health_suspended;
	int ncas;
};

/* Stage 1, five months ago: cases opened, escalated, plans, embargoes. */
static void case_start(cw_db *db, const struct world *w, struct made_case *m,
	struct gen_summary *s)
{
	bench_rng r = rng_for(w->seed, STREAM_CASES, (uint64_t)m->k);
	sqlite3 *h = cw_store_handle(db);
	const char *pid = m->c->id;
	char ids[3][CW_ID_LEN];
	int ok_, n, i;

	OP(db, s, "case open", cw_case_open(db, pid, "Concerns reviewed at the QA meeting", OUT));
	if (!ok_)
		return;
	s->cases++;
	if (rng_unit(&r) < 0.55) {
		OP(db, s, "case escalate", cw_case_escalate(db, pid, triggers[rng_below(&r, 5)],
			BENCH_CHAIR, NULL, OUT));
		m->escalated = ok_;
		s->escalated += ok_;
	}
	if (m->escalated) {
		n = open_concern_ids(h, pid, ids);
		for (i = 0; i < n; i++) {
			cw_action_add_args a = { 0 };
			bool ca = rng_unit(&r) < 0.6;

			a.case_ref = pid;
			a.concern = ids[i];
			a.kind = ca ? "CA" : "DA";
			a.improvement = ca ? "Audit medication records weekly and report to the PPM"
				: "Introduce a staff supervision schedule";
			a.owner = "Registered manager";
			/* due between a month and seven months on: some overdue by today */
			a.due = cw_db_today(db) + (cw_date)(30 + rng_below(&r, 180));
			OP(db, s, "action add", cw_action_add(db, &a, OUT));
			s->actions += ok_;
			m->ncas += ok_ && ca;
		}
		if (rng_unit(&r) < 0.25) {
			cw_case_suspend_args a = { 0 };

			a.commissioner = BENCH_LEAD;
			a.kind = "mandatory";
			a.reason = "Serious safeguarding concerns about several residents";
			OP(db, s, "case suspend", cw_case_suspend(db, pid, &a, OUT));
			m->embargo = ok_;
			s->embargoes += ok_;
		}
	}
	if (rng_unit(&r) < 0.15) {
		cw_case_suspend_args a = { 0 };

		a.commissioner = BENCH_HEALTH;
		a.kind = "voluntary";
		a.reason = "Health board pauses new placements pending review";
		OP(db, s, "health board suspend", cw_case_suspend(db, pid, &a, OUT));
		m->health_suspended = ok_;
		s->other_embargoes += ok_;
	}
}

static const char *const attendees[] = {
	"Morgan Chair|Carewatch County Council|Chair",
	"Priya Shah|Carewatch Health Board|Quality nurse",
	"Registered manager|Provider|Manager",
};
static const char *const overall[] = { "red", "amber", "yellow", "amber" };
static const char *const trends[] = { "increased", "same", "decreased" };

/* Stages 2 and 3: provider performance meetings. */
static void case_meeting(cw_db *db, const struct world *w, struct made_case *m, int nth,
	struct gen_summary *s)
{
	bench_rng r = rng_for(w->seed, STREAM_CASES, (uint64_t)(m->k * 8 + (long)nth + 500000000L));
	cw_meeting_record_args a = { 0 };
	int ok_;

	if (!m->escalated || (nth == 2 && rng_unit(&r) < 0.3))
		return;
	a.case_ref = m->c->id;
	a.date = cw_db_today(db);
	a.chair = BENCH_CHAIR;
	a.attendees = attendees;
	a.nattendees = 2 + (size_t)rng_below(&r, 2);
	a.trend = trends[rng_below(&r, 3)];
	a.overall = rng_unit(&r) < 0.8 ? overall[rng_below(&r, 4)] : NULL;
	a.has_next = true;
	a.next = a.date + 42;
	a.provider_attended = rng_unit(&r) < 0.8;
	a.decisions = "Action plan agreed; review at the next meeting";
	OP(db, s, "meeting record", cw_meeting_record(db, &a, OUT));
	s->meetings += ok_;
}

/* Stage 4, today: restarts with conditions, placements. */
static void case_today(cw_db *db, const struct world *w, struct made_case *m,
	struct gen_summary *s)
{
	bench_rng r = rng_for(w->seed, STREAM_CASES, (uint64_t)(m->k + 700000000L));
	int ok_, i;

	if (m->health_suspended && m->ncas == 0 && m->c->max_score < 12 && rng_unit(&r) < 0.6) {
		cw_case_restart_args a = { 0 };

		a.commissioner = BENCH_HEALTH;
		a.reason = "Improvements seen at the review visit";
		a.has_admissions = true;
		a.max_admissions = 2;
		a.per = "week";
		OP(db, s, "health board restart", cw_case_restart(db, m->c->id, &a, OUT));
		s->restricted += ok_;
		s->other_embargoes -= ok_;
	}
	if (!m->embargo && rng_unit(&r) < 0.4) {
		long np = 1 + rng_below(&r, 3);

		for (i = 0; i < np; i++) {
			cw_placement_args a = { 0 };

			a.provider = m->c->id;
			a.commissioner = BENCH_LEAD;
			a.kind = "admission";
			a.has_date = true;
			a.date = w->today - (cw_date)rng_below(&r, 6);
			OP(db, s, "placement record", cw_placement_record(db, &a, OUT));
			s->placements += ok_;
		}
	}
}

static void closed_case(cw_db *db, const struct candidate *c, struct gen_summary *s)
{
	cw_case_close_args a = { 0 };
	int ok_;

	OP(db, s, "case open (to close)", cw_case_open(db, c->id, "Single complaint reviewed", OUT));
	if (!ok_)
		return;
	a.outcome = "improved";
	a.rationale = "Concerns addressed; monitoring returns to contract management";
	a.agreed_by = BENCH_HEALTH;
	OP(db, s, "case close", cw_case_close(db, c->id, &a, OUT));
	s->closed_cases += ok_;
	s->cases += !ok_;   /* refused: it stays an open case */
}

/* A library session on `day`, for one dated stage of the cases' history. */
static cw_db *session(const char *path, const cw_rules *rules, cw_date day, unsigned long seed)
{
	cw_db *db = NULL;

	if (cw_db_open(&db, path, rules, day, false) != CW_OK ||
	    cw_db_set_actor(db, BENCH_USER) != CW_OK) {
		fprintf(stderr, "bench: cases: %s\n", cw_errmsg());
		cw_db_close(db);
		return NULL;
	}
	/* Set-up, not measured: no fsync per commit. */
	raw_exec(cw_store_handle(db), "PRAGMA synchronous=OFF");
	if (cw_db_begin(db, true) != CW_OK) {
		fprintf(stderr, "bench: cases: %s\n", cw_errmsg());
		cw_db_close(db);
		return NULL;
	}
	/* Repeatable ids, distinct from every other session's. */
	cw_db_seed_ids(db, seed);
	return db;
}

static int session_end(cw_db *db)
{
	int err = cw_db_commit(db);

	if (err != CW_OK) {
		fprintf(stderr, "bench: cases: %s\n", cw_errmsg());
		cw_db_rollback(db);
	}
	raw_exec(cw_store_handle(db), "PRAGMA wal_checkpoint(TRUNCATE)");
	cw_db_close(db);
	return err;
}

static int cases_library(const char *path, const struct world *w, const cw_rules *rules,
	struct gen_summary *s)
{
	cw_db *db = NULL;
	struct candidate *cand = NULL;
	struct made_case *made = NULL;
	const struct candidate **closing = NULL;
	long n = 0, k, want_open, want_closed, nmade = 0, nclosing = 0;
	sqlite3 *h;
	int err = CW_OK;

	if (raw_open(path, &h) != 0)
		return CW_EINTERNAL;
	cand = open_providers(h, &n);
	sqlite3_close(h);
	made = calloc((size_t)n + 1, sizeof(*made));
	closing = calloc((size_t)n + 1, sizeof(*closing));
	/* About 4 in 100 providers under the protocol, 2 in 100 with a closed case. */
	want_open = w->providers * 4 / 100 < 5 ? 5 : w->providers * 4 / 100;
	want_closed = w->providers * 2 / 100 < 2 ? 2 : w->providers * 2 / 100;
	for (k = 0; k < n; k++) {
		bench_rng r = rng_for(w->seed, STREAM_CASES, (uint64_t)(1000000000L + k));
		double u = rng_unit(&r);
		double p_open = (double)(want_open - nmade) / (double)(n - k);
		double p_closed = (double)(want_closed - nclosing) / (double)(n - k);

		if (u < p_open) {
			made[nmade].c = &cand[k];
			made[nmade++].k = k;
		} else if (u < p_open + p_closed && cand[k].max_score < 12) {
			closing[nclosing++] = &cand[k];
		}
	}
	/* Five months ago: cases opened and escalated, plans, embargoes. */
	if (!(db = session(path, rules, w->today - 150, (unsigned long)w->seed * 31 + 1)))
		goto fail;
	for (k = 0; k < nmade; k++)
		case_start(db, w, &made[k], s);
	if ((err = session_end(db)) != CW_OK)
		goto done;
	/* Two rounds of provider performance meetings, 100 and 50 days ago. */
	if (!(db = session(path, rules, w->today - 100, (unsigned long)w->seed * 31 + 2)))
		goto fail;
	for (k = 0; k < nmade; k++)
		case_meeting(db, w, &made[k], 1, s);
	if ((err = session_end(db)) != CW_OK)
		goto done;
	if (!(db = session(path, rules, w->today - 50, (unsigned long)w->seed * 31 + 3)))
		goto fail;
	for (k = 0; k < nmade; k++)
		case_meeting(db, w, &made[k], 2, s);
	if ((err = session_end(db)) != CW_OK)
		goto done;
	/* The last monthly QA meeting, 30 days ago, snapshots that day's list. */
	if (!(db = session(path, rules, w->today - 30, (unsigned long)w->seed * 31 + 4)))
		goto fail;
	{
		static const char *const present[] = { BENCH_USER, BENCH_CHAIR };
		int ok_;

		OP(db, s, "qa record", cw_qa_record(db, w->today - 30, present, 2, OUT));
		s->qa_meetings += ok_;
	}
	if ((err = session_end(db)) != CW_OK)
		goto done;
	/* Today: restarts, placements, and cases opened and closed. */
	if (!(db = session(path, rules, w->today, (unsigned long)w->seed * 31 + 5)))
		goto fail;
	for (k = 0; k < nmade; k++)
		case_today(db, w, &made[k], s);
	for (k = 0; k < nclosing; k++)
		closed_case(db, closing[k], s);
	err = session_end(db);
	goto done;
fail:
	err = CW_EINTERNAL;
done:
	free(made);
	free(closing);
	free(cand);
	return err;
}

int gen_world(const char *path, const struct world *w, struct gen_summary *s)
{
	cw_rules *rules = NULL;
	double t0;
	int err;

	memset(s, 0, sizeof(*s));
	if ((err = cw_rules_load(&rules, NULL)) != CW_OK) {
		fprintf(stderr, "bench: rules: %s\n", cw_errmsg());
		return err;
	}
	t0 = now_s();
	if ((err = setup_library(path, w, rules)) != CW_OK)
		goto done;
	if (gen_fill_raw(path, w, s) != 0) {
		err = CW_EINTERNAL;
		goto done;
	}
	s->seconds_raw = now_s() - t0;
	t0 = now_s();
	err = cases_library(path, w, rules, s);
	s->seconds_lib = now_s() - t0;
done:
	cw_rules_free(rules);
	return err;
}
