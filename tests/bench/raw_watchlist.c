/*
 * The watch list's facts in raw SQL (raw_watchlist.h): the fastest
 * hand-written form found, so the library's watch list has a real limit
 * to be compared with. Each part reads only what is open or recent: open
 * concerns through the partial index concerns_open, the windows through
 * one range scan of concerns_received_cover, casework from the open cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "raw_watchlist.h"

static const char SQL_LAST_QA[] =
	"SELECT date FROM qa_meetings ORDER BY date DESC, seq DESC LIMIT 1";

/* Every fact but placements, one row per provider, in id order. */
static const char SQL_FACTS[] =
	"WITH oc AS (SELECT provider_id AS pid, count(*) AS n, max(likelihood * impact) AS mx,"
	"  sum(likelihood * impact BETWEEN :rlo AND :rhi) AS r,"
	"  sum(likelihood * impact BETWEEN :alo AND :ahi) AS a,"
	"  sum(likelihood * impact BETWEEN :ylo AND :yhi) AS y,"
	"  sum(likelihood * impact BETWEEN :glo AND :ghi) AS g,"
	"  max(received) AS last, max(source = 'regulator') AS reg"
	"  FROM concerns WHERE status = 'open' AND positive = 0 GROUP BY provider_id),"
	" win AS (SELECT provider_id AS pid,"
	"  sum(positive = 0 AND received >= :rfrom AND received <= :today) AS rep,"
	"  sum(positive = 0 AND source = 'pova_referral' AND received >= :pfrom"
	"   AND received <= :today) AS pw,"
	"  sum(source = 'pova_referral' AND received >= :pfrom) AS pova,"
	"  sum(received > :lastqa) AS new"
	"  FROM concerns WHERE received > :lo GROUP BY +provider_id),"
	" grp AS (SELECT coalesce('g' || p.grp_key, 'p' || p.id) AS k, sum(win.rep) AS rep,"
	"  sum(win.pw) AS pw FROM win JOIN providers p ON p.id = win.pid GROUP BY 1),"
	" oca AS (SELECT provider_id AS pid, id, stage FROM cases WHERE stage <> 'closed'),"
	" od AS (SELECT a.case_id, count(*) AS n FROM oca CROSS JOIN actions a ON a.case_id = oca.id"
	"  WHERE a.status <> 'completed' AND a.due < :today GROUP BY a.case_id),"
	" tk AS (SELECT t.case_id, count(*) AS n FROM oca CROSS JOIN tasks t ON t.case_id = oca.id"
	"  WHERE t.done IS NULL GROUP BY t.case_id),"
	" lm AS (SELECT pid, overall, date FROM (SELECT c.provider_id AS pid, m.overall, m.date,"
	"  row_number() OVER (PARTITION BY c.provider_id ORDER BY m.date DESC, m.seq DESC) AS rn"
	"  FROM meetings m JOIN cases c ON c.id = m.case_id) WHERE rn = 1),"
	" om AS (SELECT case_id, trend, next_date, date FROM (SELECT m.case_id, m.trend,"
	"  m.next_date, m.date, row_number() OVER (PARTITION BY m.case_id"
	"  ORDER BY m.date DESC, m.seq DESC) AS rn FROM oca CROSS JOIN meetings m"
	"  ON m.case_id = oca.id) WHERE rn = 1),"
	" snap AS (SELECT provider_id AS pid, band FROM qa_snapshot WHERE qa_id ="
	"  (SELECT id FROM qa_meetings ORDER BY date DESC, seq DESC LIMIT 1))"
	" SELECT p.id, p.name, p.type, oc.n, oc.mx, oc.r, oc.a, oc.y, oc.g, oc.last, oc.reg,"
	"  win.pova, win.new, grp.rep, grp.pw, oca.id, oca.stage, od.n, tk.n,"
	"  lm.overall, lm.date, om.trend, om.next_date, om.date, snap.pid IS NOT NULL, snap.band"
	" FROM providers p LEFT JOIN oc ON oc.pid = p.id LEFT JOIN win ON win.pid = p.id"
	" LEFT JOIN grp ON grp.k = coalesce('g' || p.grp_key, 'p' || p.id)"
	" LEFT JOIN oca ON oca.pid = p.id LEFT JOIN od ON od.case_id = oca.id"
	" LEFT JOIN tk ON tk.case_id = oca.id LEFT JOIN lm ON lm.pid = p.id"
	" LEFT JOIN om ON om.case_id = oca.id LEFT JOIN snap ON snap.pid = p.id"
	" ORDER BY p.id";

/* Each provider's commissioners and the decision in effect today of each. */
static const char SQL_PLACEMENTS[] =
	"WITH pc AS (SELECT provider_id, commissioner_id, status, kind, start_date FROM"
	"  (SELECT provider_id, commissioner_id, status, kind, start_date, row_number() OVER"
	"   (PARTITION BY provider_id, commissioner_id ORDER BY start_date DESC, id DESC) AS rn"
	"   FROM placement_controls WHERE start_date <= :today) WHERE rn = 1)"
	" SELECT l.provider_id, c.name, c.is_lead, coalesce(pc.status, 'open'), pc.kind,"
	"  pc.start_date FROM (SELECT provider_id, commissioner_id FROM provider_commissioners"
	"  UNION SELECT provider_id, commissioner_id FROM placement_controls) l"
	" JOIN commissioners c ON c.id = l.commissioner_id"
	" LEFT JOIN pc ON pc.provider_id = l.provider_id AND pc.commissioner_id = l.commissioner_id"
	" ORDER BY l.provider_id, c.is_lead DESC, c.name COLLATE NOCASE";

void rawwl_params_from(const cw_rules *r, cw_date today, struct rawwl_params *p)
{
	static const cw_band order[] = { CW_BAND_RED, CW_BAND_AMBER, CW_BAND_YELLOW, CW_BAND_GREEN };
	int max = cw_rules_likelihood_max(r) * cw_rules_impact_max(r);

	memset(p, 0, sizeof(*p));
	cw_date_format(today, p->today);
	for (int k = 0; k < 4; k++) {
		p->lo[k] = 0;
		p->hi[k] = -1;
		for (int s = 1; s <= max; s++)
			if (cw_rules_band(r, s) == order[k]) {
				if (!p->lo[k])
					p->lo[k] = s;
				p->hi[k] = s;
			}
	}
	p->rep_days = cw_rules_int(r, "flags.repeated_concerns.days");
	p->pova_days = cw_rules_int(r, "flags.large_scale_pova.days");
}

int rawwl_open(struct rawwl *w, sqlite3 *h)
{
	memset(w, 0, sizeof(*w));
	if (sqlite3_prepare_v2(h, SQL_FACTS, -1, &w->facts, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, SQL_PLACEMENTS, -1, &w->placements, NULL) != SQLITE_OK) {
		fprintf(stderr, "rawwl: %s\n", sqlite3_errmsg(h));
		rawwl_close(w);
		return -1;
	}
	return 0;
}

static void text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, n, "%s", s ? (const char *)s : "");
}

static void bind(sqlite3_stmt *st, const char *name, const char *v)
{
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, name), v, -1, SQLITE_TRANSIENT);
}

static void bind_int(sqlite3_stmt *st, const char *name, int v)
{
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, name), v);
}

static void day(const char *today, int back, char out[11])
{
	cw_date d = 0;

	cw_date_parse(today, &d);
	cw_date_format(d - back, out);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct rawwl_row *)a)->id, ((const struct rawwl_row *)b)->id);
}

const struct rawwl_row *rawwl_find(const struct rawwl *w, const char *id)
{
	struct rawwl_row key;

	snprintf(key.id, sizeof(key.id), "%s", id);
	return w->n ? bsearch(&key, w->rows, w->n, sizeof(*w->rows), by_id) : NULL;
}

static void read_facts(struct rawwl *w, sqlite3_stmt *st)
{
	struct rawwl_row *r;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		w->rows = realloc(w->rows, w->cap * sizeof(*w->rows));
	}
	r = &w->rows[w->n++];
	memset(r, 0, sizeof(*r));
	text(r->id, sizeof(r->id), st, 0);
	text(r->name, sizeof(r->name), st, 1);
	text(r->type, sizeof(r->type), st, 2);
	r->open = sqlite3_column_int(st, 3);
	r->max_score = sqlite3_column_int(st, 4);
	for (int k = 0; k < 4; k++)
		r->band[k] = sqlite3_column_int(st, 5 + k);
	text(r->last_received, sizeof(r->last_received), st, 9);
	r->regulator_open = sqlite3_column_int(st, 10) != 0;
	r->pova = sqlite3_column_int(st, 11);
	r->new_since_qa = sqlite3_column_int(st, 12);
	r->group_window = sqlite3_column_int(st, 13);
	r->group_pova = sqlite3_column_int(st, 14);
	text(r->case_id, sizeof(r->case_id), st, 15);
	text(r->stage, sizeof(r->stage), st, 16);
	r->overdue = sqlite3_column_int(st, 17);
	r->tasks = sqlite3_column_int(st, 18);
	text(r->agreed, sizeof(r->agreed), st, 19);
	text(r->agreed_on, sizeof(r->agreed_on), st, 20);
	text(r->ppm_trend, sizeof(r->ppm_trend), st, 21);
	text(r->next_review, sizeof(r->next_review), st, 22);
	text(r->last_ppm, sizeof(r->last_ppm), st, 23);
	r->in_snapshot = sqlite3_column_int(st, 24) != 0;
	text(r->snapshot_band, sizeof(r->snapshot_band), st, 25);
}

static void read_placement(struct rawwl *w, sqlite3_stmt *st, struct rawwl_row **last)
{
	const char *pid = (const char *)sqlite3_column_text(st, 0);
	struct rawwl_placement *pl;
	struct rawwl_row *r = *last;

	/* Rows come in provider order, so the last hit is usually the next one's. */
	if (!r || strcmp(r->id, pid) != 0)
		r = *last = (struct rawwl_row *)rawwl_find(w, pid);
	if (!r || r->npl == RAWWL_PLACEMENTS)
		return;
	pl = &r->pl[r->npl++];
	text(pl->commissioner, sizeof(pl->commissioner), st, 1);
	pl->lead = sqlite3_column_int(st, 2) != 0;
	text(pl->status, sizeof(pl->status), st, 3);
	text(pl->kind, sizeof(pl->kind), st, 4);
	text(pl->since, sizeof(pl->since), st, 5);
	if (!pl->lead && strcmp(pl->status, "suspended") == 0)
		r->other_embargo = true;
}

int rawwl_run(struct rawwl *w, sqlite3 *h, const struct rawwl_params *p)
{
	static const char *const names[4][2] = {
		{ ":rlo", ":rhi" }, { ":alo", ":ahi" }, { ":ylo", ":yhi" }, { ":glo", ":ghi" } };
	char rfrom[11], pfrom[11], lastqa[11] = "9999-12-31", lo[11];
	sqlite3_stmt *st = NULL;
	struct rawwl_row *last = NULL;
	int rc;

	w->n = 0;
	if (sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, SQL_LAST_QA, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	if ((w->qa_held = sqlite3_step(st) == SQLITE_ROW))
		text(lastqa, sizeof(lastqa), st, 0);
	sqlite3_finalize(st);
	day(p->today, p->rep_days - 1, rfrom);
	day(p->today, p->pova_days - 1, pfrom);
	/* One range scan serves both windows and "new since the last QA". */
	day(p->today, (p->rep_days > p->pova_days ? p->rep_days : p->pova_days), lo);
	if (strcmp(lastqa, lo) < 0)
		memcpy(lo, lastqa, sizeof(lo));
	st = w->facts;
	for (int k = 0; k < 4; k++) {
		bind_int(st, names[k][0], p->lo[k]);
		bind_int(st, names[k][1], p->hi[k]);
	}
	bind(st, ":today", p->today);
	bind(st, ":rfrom", rfrom);
	bind(st, ":pfrom", pfrom);
	bind(st, ":lastqa", lastqa);
	bind(st, ":lo", lo);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_facts(w, st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = w->placements;
	bind(st, ":today", p->today);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_placement(w, st, &last);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	return 0;
fail:
	fprintf(stderr, "rawwl: %s\n", sqlite3_errmsg(h));
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

void rawwl_close(struct rawwl *w)
{
	sqlite3_finalize(w->facts);
	sqlite3_finalize(w->placements);
	free(w->rows);
	memset(w, 0, sizeof(*w));
}
