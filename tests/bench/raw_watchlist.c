/*
 * The watch list's facts in raw SQL (raw_watchlist.h): the fastest
 * hand-written form found, so the library's watch list has a real limit
 * to be compared with. Each part reads only what is open or recent: open
 * concerns through the partial index concerns_open, the windows through
 * one range scan of concerns_window_cover, casework from the open cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "raw_watchlist.h"

static const char SQL_LAST_QA[] =
	"SELECT date FROM qa_meetings ORDER BY date DESC, seq DESC LIMIT 1";

/* Every fact but the windows and placements, one row per provider, in id order. */
static const char SQL_FACTS[] =
	"WITH oc AS (SELECT provider_id AS pid, count(*) AS n, max(likelihood * impact) AS mx,"
	"  sum(likelihood * impact BETWEEN :rlo AND :rhi) AS r,"
	"  sum(likelihood * impact BETWEEN :alo AND :ahi) AS a,"
	"  sum(likelihood * impact BETWEEN :ylo AND :yhi) AS y,"
	"  sum(likelihood * impact BETWEEN :glo AND :ghi) AS g,"
	"  max(received) AS last, max(source = 'regulator') AS reg"
	"  FROM concerns WHERE status = 'open' AND positive = 0 GROUP BY provider_id),"
	" oca AS (SELECT provider_id AS pid, id, stage FROM cases WHERE stage <> 'closed'),"
	" od AS (SELECT a.case_id, count(*) AS n FROM oca CROSS JOIN actions a ON a.case_id = oca.id"
	"  WHERE a.status <> 'completed' AND a.due < :today GROUP BY a.case_id),"
	" tk AS (SELECT c.provider_id AS pid, count(*) AS n FROM tasks t JOIN cases c"
	"  ON c.id = t.case_id WHERE t.done IS NULL GROUP BY c.provider_id),"
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
	"  p.grp_key, oca.id, oca.stage, od.n, tk.n,"
	"  lm.overall, lm.date, om.trend, om.next_date, om.date, snap.pid IS NOT NULL, snap.band"
	" FROM providers p LEFT JOIN oc ON oc.pid = p.id"
	" LEFT JOIN oca ON oca.pid = p.id LEFT JOIN od ON od.case_id = oca.id"
	" LEFT JOIN tk ON tk.pid = p.id LEFT JOIN lm ON lm.pid = p.id"
	" LEFT JOIN om ON om.case_id = oca.id LEFT JOIN snap ON snap.pid = p.id"
	" ORDER BY p.id";

/*
 * The windows, each one range scan of a covering index with nothing but a
 * count per row: a year of concerns with four conditional sums each cost
 * more than three plain scans. Rolled up to the group in C.
 */
static const char SQL_REPEATED[] =
	"SELECT provider_id, count(*) FROM concerns"
	" WHERE received >= :rfrom AND received <= :today AND positive = 0"
	" AND status <> 'withdrawn' GROUP BY +provider_id";
static const char SQL_POVA[] =
	"SELECT provider_id, count(*), sum(positive = 0 AND received <= :today) FROM concerns"
	" WHERE source = 'pova_referral' AND received >= :pfrom AND status <> 'withdrawn'"
	" GROUP BY +provider_id";
static const char SQL_NEW[] =
	"SELECT provider_id, count(*) FROM concerns WHERE received > :lastqa"
	" AND status <> 'withdrawn' GROUP BY +provider_id";

/* Each provider's commissioners and the decision in effect today of each. */
static const char SQL_PLACEMENTS[] =
	"WITH pc AS (SELECT provider_id, commissioner_id, status, kind, start_date FROM"
	"  (SELECT provider_id, commissioner_id, status, kind, start_date, row_number() OVER"
	"   (PARTITION BY provider_id, commissioner_id ORDER BY start_date DESC, id DESC) AS rn"
	"   FROM placement_controls WHERE start_date <= :today) WHERE rn = 1)"
	" SELECT l.provider_id, c.name, c.is_lead, coalesce(pc.status, 'open'), pc.kind,"
	"  pc.start_date FROM (SELECT provider_id, commissioner_id FROM provider_commissioners WHERE removed IS NULL"
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
	    sqlite3_prepare_v2(h, SQL_REPEATED, -1, &w->repeated, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, SQL_POVA, -1, &w->pova, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, SQL_NEW, -1, &w->since, NULL) != SQLITE_OK ||
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
	r->has_grp = sqlite3_column_type(st, 11) != SQLITE_NULL;
	text(r->grp_key, sizeof(r->grp_key), st, 11);
	text(r->case_id, sizeof(r->case_id), st, 12);
	text(r->stage, sizeof(r->stage), st, 13);
	r->overdue = sqlite3_column_int(st, 14);
	r->tasks = sqlite3_column_int(st, 15);
	text(r->agreed, sizeof(r->agreed), st, 16);
	text(r->agreed_on, sizeof(r->agreed_on), st, 17);
	text(r->ppm_trend, sizeof(r->ppm_trend), st, 18);
	text(r->next_review, sizeof(r->next_review), st, 19);
	text(r->last_ppm, sizeof(r->last_ppm), st, 20);
	r->in_snapshot = sqlite3_column_int(st, 21) != 0;
	text(r->snapshot_band, sizeof(r->snapshot_band), st, 22);
}

/* Run a "provider_id, count[, count]" statement into the rows. */
static int counts(struct rawwl *w, sqlite3_stmt *st, int what)
{
	struct rawwl_row *r;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(r = (struct rawwl_row *)rawwl_find(w, (const char *)sqlite3_column_text(st, 0))))
			continue;
		if (what == 0)
			r->own_window = sqlite3_column_int(st, 1);
		else if (what == 1) {
			r->pova = sqlite3_column_int(st, 1);
			r->own_pova_window = sqlite3_column_int(st, 2);
		} else
			r->new_since_qa = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int by_group(const void *a, const void *b)
{
	const struct rawwl_row *x = *(const struct rawwl_row *const *)a;
	const struct rawwl_row *y = *(const struct rawwl_row *const *)b;

	if (x->has_grp != y->has_grp)
		return x->has_grp ? 1 : -1;
	return x->has_grp ? strcmp(x->grp_key, y->grp_key) : 0;
}

/* The windows across each group: sums over runs of equal group keys. */
static void roll_up(struct rawwl *w)
{
	struct rawwl_row **v = malloc((w->n ? w->n : 1) * sizeof(*v));
	size_t i, j, k;

	for (i = 0; i < w->n; i++) {
		v[i] = &w->rows[i];
		v[i]->group_window = v[i]->own_window;
		v[i]->group_pova = v[i]->own_pova_window;
	}
	qsort(v, w->n, sizeof(*v), by_group);
	for (i = 0; i < w->n; i = j) {
		int rep = 0, pova = 0;

		for (j = i; j < w->n && v[j]->has_grp && v[i]->has_grp &&
		     strcmp(v[j]->grp_key, v[i]->grp_key) == 0; j++) {
			rep += v[j]->own_window;
			pova += v[j]->own_pova_window;
		}
		if (j == i) {       /* no group: its own counts */
			j = i + 1;
			continue;
		}
		for (k = i; k < j; k++) {
			v[k]->group_window = rep;
			v[k]->group_pova = pova;
		}
	}
	free(v);
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
	char rfrom[11], pfrom[11], lastqa[11] = "";
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
	st = w->facts;
	for (int k = 0; k < 4; k++) {
		bind_int(st, names[k][0], p->lo[k]);
		bind_int(st, names[k][1], p->hi[k]);
	}
	bind(st, ":today", p->today);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_facts(w, st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	bind(w->repeated, ":rfrom", rfrom);
	bind(w->repeated, ":today", p->today);
	bind(w->pova, ":pfrom", pfrom);
	bind(w->pova, ":today", p->today);
	if (counts(w, w->repeated, 0) != 0 || counts(w, w->pova, 1) != 0)
		goto fail;
	if (w->qa_held) {
		bind(w->since, ":lastqa", lastqa);
		if (counts(w, w->since, 2) != 0)
			goto fail;
	}
	roll_up(w);
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
	sqlite3_finalize(w->repeated);
	sqlite3_finalize(w->pova);
	sqlite3_finalize(w->since);
	sqlite3_finalize(w->placements);
	free(w->rows);
	memset(w, 0, sizeof(*w));
}
