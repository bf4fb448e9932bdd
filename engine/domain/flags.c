/*
 * Gathering the facts the flag rules look at (include/carewatch/flags.h)
 * for one provider. Every query is bounded by an index: the provider's open
 * concerns (concerns_provider), its group's concerns inside the widest
 * window (providers_grp, concerns_provider_received), its open case
 * (cases_one_open) and that case's plan, meetings and tasks (actions_case,
 * meetings_case, tasks_case). The rules themselves are applied by the pure
 * cw_flags_evaluate() in rules/flags.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flags.h"
#include "carewatch/placement.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "ratings.h"

static const char SQL_OPEN_CASE[] =
	"SELECT id, stage, escalated FROM cases WHERE provider_id = ?1 AND stage <> 'closed'"
	" ORDER BY opened DESC, seq DESC LIMIT 1";
static const char SQL_OPEN_CONCERNS[] =
	"SELECT likelihood, impact, source, received FROM concerns"
	" WHERE provider_id = ?1 AND status = 'open' AND positive = 0";
/* The provider and the others of its group (none when it has no group). */
static const char SQL_GROUP_RECEIVED[] =
	"SELECT received, source = 'pova_referral' FROM concerns"
	" WHERE provider_id IN (SELECT ?1 UNION SELECT id FROM providers"
	"   WHERE grp_key = (SELECT grp_key FROM providers WHERE id = ?1))"
	" AND positive = 0 AND status <> 'withdrawn' AND received >= ?2 AND received <= ?3";
static const char SQL_OVERDUE[] =
	"SELECT count(*) FROM actions"
	" WHERE case_id = ?1 AND status NOT IN ('completed', 'withdrawn') AND due < ?2";
/*
 * PPMs of the current stage-2 period: those recorded since the case was
 * last escalated. A meeting can only be recorded in stage 2, so this tells
 * a re-escalated case's new period from its old one even when a meeting is
 * entered some days after it was held.
 */
static const char SQL_PERIOD_PPMS[] =
	"SELECT count(*), min(date), max(date) FROM meetings"
	" WHERE case_id = ?1 AND (?2 IS NULL OR created >= ?2)";
static const char SQL_LAST_MEETINGS[] =
	"SELECT date, overall, provider_attended FROM meetings WHERE case_id = ?1"
	" ORDER BY date DESC, seq DESC LIMIT ?2";
/* The latest and the first meeting of each open stage-2 case, and what they lacked. */
const char cw_flags_sql_prompts[] =
	"WITH open_cases AS (SELECT c.id, c.provider_id, c.escalated, p.type FROM cases c"
	"  JOIN providers p ON p.id = c.provider_id"
	"  WHERE c.stage IN ('provider_performance', 'embargo') AND (?1 IS NULL OR c.id = ?1)),"
	" latest AS (SELECT o.*, (SELECT m.id FROM meetings m WHERE m.case_id = o.id"
	"  ORDER BY m.date DESC, m.seq DESC LIMIT 1) AS mid FROM open_cases o),"
	" dated AS (SELECT l.*, m.date AS mdate, (SELECT max(q.date) FROM meetings q"
	"  WHERE q.case_id = l.id AND q.date < m.date) AS prev"
	"  FROM latest l JOIN meetings m ON m.id = l.mid)"
	" SELECT d.id,"
	"  d.type = 'care_home_nursing' AND NOT EXISTS (SELECT 1 FROM meeting_attendees a"
	"   WHERE a.meeting_id = d.mid AND a.removed IS NULL AND (lower(a.org) LIKE '%health%'"
	"   OR lower(a.org) LIKE '%nhs%' OR lower(a.role) LIKE '%health%'"
	"   OR a.org IN (SELECT name FROM commissioners WHERE kind = 'health_board'))),"
	"  (SELECT count(*) FROM concerns k WHERE k.provider_id = d.provider_id"
	"   AND k.source = 'pova_referral' AND k.received > coalesce(d.prev, d.escalated, '')"
	"   AND k.received <= d.mdate) >= 2 AND NOT EXISTS (SELECT 1 FROM meeting_attendees a"
	"   WHERE a.meeting_id = d.mid AND a.removed IS NULL"
	"   AND (lower(a.org) LIKE '%safeguard%' OR lower(a.role) LIKE '%safeguard%')),"
	"  coalesce((SELECT ',' || replace(u.roles, ' ', '') || ',' NOT LIKE '%,contracts,%'"
	"   FROM meetings f JOIN users u ON u.id = f.chair WHERE f.case_id = d.id"
	"   ORDER BY f.date, f.seq LIMIT 1), 0)"
	" FROM dated d";
static const char SQL_LETTER_PENDING[] =
	"SELECT count(*) FROM tasks WHERE case_id = ?1"
	" AND letter = 'ppm-commenced-provider' AND done IS NULL";

/* The facts and the storage their arrays point into. */
struct gathered {
	cw_flag_facts f;
	char case_id[CW_ID_LEN];
	char stage[32];
	char last_open_received[CW_DATE_STRLEN];  /* newest open concern */
	cw_band computed;
	cw_band *bands;
	cw_date *received, *pova;
	bool *attended;
};

static void gathered_free(struct gathered *g)
{
	free(g->bands);
	free(g->received);
	free(g->pova);
	free(g->attended);
}

static int open_case(cw_db *db, const char *pid, struct gathered *g)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_OPEN_CASE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		snprintf(g->case_id, sizeof(g->case_id), "%s", cw_store_col_text(st, 0));
		snprintf(g->stage, sizeof(g->stage), "%s", cw_store_col_text(st, 1));
		g->f.stage = g->stage;
		g->f.escalated_set = cw_store_col_date(st, 2, &g->f.escalated);
	}
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

static int open_concerns(cw_db *db, const char *pid, struct gathered *g)
{
	const cw_rules *r = cw_db_rules(db);
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_OPEN_CONCERNS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		const char *received = cw_store_col_text(st, 3);
		cw_band b;

		if (strcmp(cw_store_col_text(st, 2), "regulator") == 0)
			g->f.regulator_open = true;
		if (strcmp(received, g->last_open_received) > 0)
			snprintf(g->last_open_received, sizeof(g->last_open_received), "%s", received);
		/* An unrated row would be damaged data; it has no band. */
		if (cw_store_col_is_null(st, 0) ||
		    cw_store_col_is_null(st, 1))
			continue;
		b = cw_rules_band(r, cw_rules_score((int)cw_store_col_int(st, 0),
			(int)cw_store_col_int(st, 1)));
		g->bands = cw_reallocarray(g->bands, g->f.nopen + 1, sizeof(*g->bands));
		g->bands[g->f.nopen++] = b;
		if (b > g->computed)
			g->computed = b;
	}
	cw_store_done(st);
	g->f.open_bands = g->bands;
	return rc;
}

/* The group's concerns inside the wider of the two windows. */
static int group_received(cw_db *db, const char *pid, struct gathered *g)
{
	const cw_rules *r = cw_db_rules(db);
	cw_stmt *st = NULL;
	int days = cw_rules_int(r, "flags.repeated_concerns.days");
	int pova_days = cw_rules_int(r, "flags.large_scale_pova.days");
	int rc, err;

	if (pova_days > days)
		days = pova_days;
	if ((err = cw_store_prepare(db, SQL_GROUP_RECEIVED, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_date(st, 2, cw_flags_window_start(g->f.today, days));
	cw_store_bind_date(st, 3, g->f.today);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		cw_date d;

		if (!cw_store_col_date(st, 0, &d))
			continue;
		g->received = cw_reallocarray(g->received, g->f.nreceived + 1, sizeof(*g->received));
		g->received[g->f.nreceived++] = d;
		if (cw_store_col_int(st, 1)) {
			g->pova = cw_reallocarray(g->pova, g->f.npova + 1, sizeof(*g->pova));
			g->pova[g->f.npova++] = d;
		}
	}
	cw_store_done(st);
	g->f.received = g->received;
	g->f.pova_received = g->pova;
	return rc;
}

/* One integer from a statement bound with the case id and maybe a date. */
static int case_count(cw_db *db, const char *sql, const char *case_id,
	const cw_date *date, int *out)
{
	cw_stmt *st = NULL;
	int rc, err;

	*out = 0;
	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, case_id);
	if (date)
		cw_store_bind_date(st, 2, *date);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		*out = (int)cw_store_col_int(st, 0);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

static int period_ppms(cw_db *db, struct gathered *g)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_PERIOD_PPMS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, g->case_id);
	if (g->f.escalated_set)
		cw_store_bind_date(st, 2, g->f.escalated);
	else
		cw_store_bind_null(st, 2);
	if ((rc = cw_store_step(db, st)) == CW_ROW && cw_store_col_int(st, 0) > 0)
		g->f.ppm_since_escalation = cw_store_col_date(st, 1, &g->f.first_ppm) &&
			cw_store_col_date(st, 2, &g->f.last_ppm);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

/*
 * The latest meetings, newest first: their attendance, and the agreed level
 * of the last one. That level sets the review interval while it is newer
 * than every open concern (as the watch list orders, SPEC §3); a concern
 * received after the meeting brings the computed level back.
 */
static int last_meetings(cw_db *db, struct gathered *g)
{
	cw_stmt *st = NULL;
	int n = cw_rules_int(cw_db_rules(db), "flags.provider_not_engaging.meetings");
	int rc, err;
	size_t k = 0;

	if ((err = cw_store_prepare(db, SQL_LAST_MEETINGS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, g->case_id);
	cw_store_bind_int(st, 2, n > 1 ? n : 1);
	g->attended = cw_calloc((size_t)(n > 1 ? n : 1), sizeof(*g->attended));
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		cw_band agreed;

		if (k == 0 && !cw_store_col_is_null(st, 1) &&
		    strcmp(cw_store_col_text(st, 0), g->last_open_received) >= 0) {
			if (cw_band_parse(cw_store_col_text(st, 1), &agreed) == CW_OK)
				g->f.review_band = agreed;
			else
				cw_error_clear();   /* an unknown word in an old row is not an error here */
		}
		g->attended[k++] = cw_store_col_int(st, 2) != 0;
	}
	cw_store_done(st);
	g->f.attended = g->attended;
	g->f.nattended = k;
	return rc;
}

static int prompts(cw_db *db, struct gathered *g)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, cw_flags_sql_prompts, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, g->case_id);
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		g->f.no_health_board_attendee = cw_store_col_int(st, 1) != 0;
		g->f.pova_no_safeguarding = cw_store_col_int(st, 2) != 0;
		g->f.first_chair_not_contracts = cw_store_col_int(st, 3) != 0;
	}
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

static int gather(cw_db *db, const char *pid, struct gathered *g)
{
	int err, n;

	memset(g, 0, sizeof(*g));
	g->f.today = cw_db_today(db);
	if ((err = open_case(db, pid, g)) != CW_OK ||
	    (err = open_concerns(db, pid, g)) != CW_OK ||
	    (err = group_received(db, pid, g)) != CW_OK)
		return err;
	g->f.review_band = g->computed;
	/* other_commissioner_embargo: a commissioner other than the lead has
	 * placements suspended (engine/domain/placement_control.c). */
	if ((err = cw_placement_other_embargo(db, pid, &g->f.other_commissioner_embargo)) != CW_OK ||
	    (err = cw_ratings_fact(db, pid, &g->f)) != CW_OK)
		return err;
	if (!g->case_id[0])
		return CW_OK;
	if ((err = case_count(db, SQL_OVERDUE, g->case_id, &g->f.today, &n)) != CW_OK)
		return err;
	g->f.overdue_actions = n;
	if ((err = period_ppms(db, g)) != CW_OK ||
	    (err = last_meetings(db, g)) != CW_OK ||
	    (err = case_count(db, SQL_LETTER_PENDING, g->case_id, NULL, &n)) != CW_OK)
		return err;
	g->f.provider_letter_pending = n > 0;
	return prompts(db, g);
}

int cw_flags_provider_set(cw_db *db, const char *provider_id, cw_flag_set *out)
{
	struct gathered g;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = gather(db, provider_id, &g)) == CW_OK)
		cw_flags_evaluate(&g.f, cw_db_rules(db), out);
	gathered_free(&g);
	return err;
}

int cw_flags_provider(cw_db *db, const char *provider_id, json_t **out)
{
	cw_flag_set s;
	int err;

	if ((err = cw_flags_provider_set(db, provider_id, &s)) != CW_OK)
		return err;
	*out = cw_flag_set_json(&s);
	return CW_OK;
}
