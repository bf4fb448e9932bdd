/*
 * The measured operations, each in two forms: through the library (a
 * long-running process: rules loaded and the database opened once, then
 * one transaction per operation, as the CLI does) and the same work written
 * directly against SQLite with prepared statements and the engine's pragmas.
 *
 * The machine is shared, so a ratio is taken from PAIRED samples: one child
 * process holds both, and alternates library and raw operation by
 * operation (ABAB... with the order swapped every round), so that a burst
 * of someone else's load hits both sides alike. Memory is measured apart,
 * by children that do only one side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/import.h"
#include "carewatch/placement.h"
#include "carewatch/provider.h"
#include "carewatch/watchlist.h"
#include "carewatch/buf.h"
#include "carewatch/csv.h"
#include "store.h"
#include "fold.h"
#include "phases.h"

static void fail(struct phase_out *o, const char *what)
{
	if (!o || o->error)
		return;
	o->error = 1;
	snprintf(o->message, sizeof(o->message), "%s: %s", what, cw_errmsg());
}

/* ---- opening both sides ------------------------------------------------ */

int lib_ctx_open(const struct phase_arg *a, struct lib_ctx *l, struct phase_out *o)
{
	memset(l, 0, sizeof(*l));
	if (cw_rules_load(&l->rules, NULL) != CW_OK) {
		fail(o, "rules");
		return -1;
	}
	if (cw_db_open(&l->db, a->db_path, l->rules, a->w->today, false) != CW_OK ||
	    cw_db_set_actor(l->db, BENCH_USER) != CW_OK) {
		fail(o, "open");
		lib_ctx_close(l);
		return -1;
	}
	return 0;
}

void lib_ctx_close(struct lib_ctx *l)
{
	cw_db_close(l->db);
	cw_rules_free(l->rules);
	memset(l, 0, sizeof(*l));
}

/* The rows `concern log` writes (not its audit entry): the concern and its first rating. */
static const char RAW_CONCERN[] =
	"INSERT INTO concerns (id, provider_id, received, source, team, category, summary,"
	" likelihood, first_likelihood, impact, status, pova_ref, subject_ref, positive,"
	" logged_by, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, 'open', ?10, ?11,"
	" 0, ?12, ?13)";
static const char RAW_RATING[] =
	"INSERT INTO concern_ratings (concern_id, rated_on, actor, likelihood, impact, note)"
	" VALUES (?1, ?2, ?3, ?4, ?5, NULL)";
static const char RAW_PROVIDER_BY_NAME[] = "SELECT id FROM providers WHERE name_key = ?1";
/* provider show: the provider by name, its row, commissioners, open concerns. */
static const char *const RAW_SHOW[] = {
	"SELECT id FROM providers WHERE name_key = ?1",
	"SELECT id, name, type, regulator_id, in_house, grp, status FROM providers WHERE id = ?2",
	"SELECT c.name FROM provider_commissioners pc JOIN commissioners c"
	" ON c.id = pc.commissioner_id WHERE pc.provider_id = ?2",
	"SELECT likelihood, impact, source FROM concerns"
	" WHERE provider_id = ?2 AND status = 'open' AND positive = 0",
	NULL
};
/* placement check: provider, commissioner, control in effect, placements in the period. */
static const char *const RAW_PLACEMENT[] = {
	"SELECT id, status FROM providers WHERE name_key = ?1",
	"SELECT id, is_lead FROM commissioners WHERE name_key = ?3",
	"SELECT status, kind, start_date, max_admissions, admissions_per FROM placement_controls"
	" WHERE provider_id = ?2 AND commissioner_id = ?4 AND start_date <= ?5"
	" ORDER BY start_date DESC, id DESC LIMIT 1",
	"SELECT count(*), total(hours) FROM placements WHERE provider_id = ?2"
	" AND commissioner_id = ?4 AND kind = 'admission' AND on_date >= ?6 AND on_date < ?5",
	NULL
};

int raw_ctx_open(const char *path, cw_date today, struct raw_ctx *r)
{
	cw_rules *rules = NULL;
	int k;

	memset(r, 0, sizeof(*r));
	if (raw_open(path, &r->h) != 0)
		return -1;
	/* The bands and windows of the default rules, read once, untimed. */
	if (cw_rules_load(&rules, NULL) != CW_OK)
		return -1;
	rawwl_params_from(rules, today, &r->wlp);
	cw_rules_free(rules);
	if (rawwl_open(&r->wl, r->h) != 0)
		return -1;
	r->ins = raw_prepare(r->h, RAW_CONCERN);
	r->rat = raw_prepare(r->h, RAW_RATING);
	r->look = raw_prepare(r->h, RAW_PROVIDER_BY_NAME);
	for (k = 0; RAW_SHOW[k]; k++)
		r->show[k] = raw_prepare(r->h, RAW_SHOW[k]);
	for (k = 0; RAW_PLACEMENT[k]; k++)
		r->pc[k] = raw_prepare(r->h, RAW_PLACEMENT[k]);
	return 0;
}

void raw_ctx_close(struct raw_ctx *r)
{
	int k;

	rawwl_close(&r->wl);
	sqlite3_finalize(r->ins);
	sqlite3_finalize(r->rat);
	sqlite3_finalize(r->look);
	for (k = 0; k < 4; k++) {
		sqlite3_finalize(r->show[k]);
		sqlite3_finalize(r->pc[k]);
	}
	sqlite3_close(r->h);
	memset(r, 0, sizeof(*r));
}

/* ---- the rows an operation works on ----------------------------------- */

/* Import and log rows are scored concerns: CSV has no column for feedback. */
static void scored(struct concern_row *c)
{
	if (c->positive) {
		c->positive = false;
		c->source = "complaint";
		c->likelihood = 2;
		c->impact = 2;
	}
}

void op_row(const struct phase_arg *a, long i, struct concern_row *c)
{
	gen_concern(a->w, a->stream, a->offset + i, a->w->today, 60, true, c);
	scored(c);
}

long op_lookup_provider(const struct phase_arg *a, long i)
{
	bench_rng r = rng_for(a->w->seed, STREAM_LOOKUP, (uint64_t)(a->offset + i));

	return rng_below(&r, a->w->providers);
}

/* ---- one operation, library ------------------------------------------- */

double op_lib(struct lib_ctx *l, const struct phase_arg *a, int what, long i, long *rows,
	struct phase_out *o)
{
	cw_db *db = l->db;
	json_t *out = NULL;
	char name[96];
	char *text = NULL;
	double t0;
	int err;

	if (what == OP_LOG) {
		struct concern_row c;
		cw_concern_log_args g = { 0 };

		op_row(a, i, &c);
		gen_provider_name(a->w, c.provider, name, sizeof(name));
		g.provider = name;
		g.source = c.source;
		g.team = c.team;
		g.category = c.category;
		g.summary = c.summary;
		g.likelihood = c.likelihood;
		g.impact = c.impact;
		g.received_given = true;
		g.received = c.received;
		g.pova_ref = c.pova_ref[0] ? c.pova_ref : NULL;
		g.subject_ref = c.subject_ref[0] ? c.subject_ref : NULL;
		t0 = now_s();
		if (cw_db_begin(db, true) != CW_OK || cw_concern_log(db, &g, &out) != CW_OK ||
		    cw_db_commit(db) != CW_OK) {
			fail(o, "concern log");
			cw_db_rollback(db);
			json_decref(out);
			return -1;
		}
		t0 = now_s() - t0;
		json_decref(out);
		return t0;
	}
	if (what == OP_WATCHLIST) {
		/* The library's list as typed rows: what a front door reads. */
		cw_watch_list *wl = NULL;

		t0 = now_s();
		if (cw_db_begin(db, false) != CW_OK || cw_watchlist_rows(db, &wl) != CW_OK) {
			fail(o, "watchlist");
			cw_db_rollback(db);
			return -1;
		}
		cw_db_commit(db);
		if (rows)
			*rows = (long)cw_watch_list_count(wl);
		cw_watch_list_free(wl);
		return now_s() - t0;
	}
	gen_provider_name(a->w, op_lookup_provider(a, i), name, sizeof(name));
	t0 = now_s();
	if (cw_db_begin(db, false) != CW_OK) {
		fail(o, "begin");
		return -1;
	}
	if (what == OP_PLACEMENT) {
		cw_placement_args p = { 0 };

		p.provider = name;
		p.commissioner = BENCH_LEAD;
		p.kind = "admission";
		err = cw_placement_check(db, &p, &out);
		if (err == CW_EREFUSED)
			err = CW_OK;   /* a refusal is an answer */
	} else {
		err = cw_provider_show(db, name, &out);
	}
	if (err != CW_OK) {
		fail(o, what == OP_PLACEMENT ? "placement check" : "provider show");
		cw_db_rollback(db);
		json_decref(out);
		return -1;
	}
	/* What --json prints. */
	text = json_dumps(out, JSON_INDENT(2));
	cw_db_commit(db);
	t0 = now_s() - t0;
	if (rows)
		*rows = json_is_array(out) ? (long)json_array_size(out) : 1;
	free(text);
	json_decref(out);
	return t0;
}

/* ---- one operation, raw SQLite ---------------------------------------- */

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void raw_insert(struct raw_ctx *r, const struct concern_row *c, const char *pid,
	const char *today)
{
	char rec[CW_DATE_STRLEN];

	cw_date_format(c->received, rec);
	sqlite3_bind_text(r->ins, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins, 2, pid, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins, 3, rec, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins, 4, c->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins, 5, c->team, -1, SQLITE_STATIC);
	bind_opt(r->ins, 6, c->category);
	sqlite3_bind_text(r->ins, 7, c->summary, -1, SQLITE_STATIC);
	sqlite3_bind_int(r->ins, 8, c->likelihood);
	sqlite3_bind_int(r->ins, 9, c->impact);
	bind_opt(r->ins, 10, c->pova_ref);
	bind_opt(r->ins, 11, c->subject_ref);
	sqlite3_bind_text(r->ins, 12, BENCH_USER, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins, 13, today, -1, SQLITE_STATIC);
	if (sqlite3_step(r->ins) != SQLITE_DONE) {
		fprintf(stderr, "bench: raw insert: %s\n", sqlite3_errmsg(r->h));
		exit(3);
	}
	sqlite3_reset(r->ins);
	sqlite3_bind_text(r->rat, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->rat, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->rat, 3, BENCH_USER, -1, SQLITE_STATIC);
	sqlite3_bind_int(r->rat, 4, c->likelihood);
	sqlite3_bind_int(r->rat, 5, c->impact);
	if (sqlite3_step(r->rat) != SQLITE_DONE) {
		fprintf(stderr, "bench: raw rating: %s\n", sqlite3_errmsg(r->h));
		exit(3);
	}
	sqlite3_reset(r->rat);
}

static void raw_lookup(struct raw_ctx *r, const struct phase_arg *a, bool placement,
	const char *key, const char *ckey, const char *week)
{
	sqlite3_stmt *const *st = placement ? r->pc : r->show;
	char pid[CW_ID_LEN] = "", cid[CW_ID_LEN] = "";
	int k;

	for (k = 0; k < 4 && st[k]; k++) {
		int p, np = sqlite3_bind_parameter_count(st[k]);

		for (p = 1; p <= np; p++) {
			const char *pn = sqlite3_bind_parameter_name(st[k], p);
			const char *v = NULL;

			if (!pn)
				continue;
			v = strcmp(pn, "?1") == 0 ? key : strcmp(pn, "?2") == 0 ? pid
				: strcmp(pn, "?3") == 0 ? ckey : strcmp(pn, "?4") == 0 ? cid
				: strcmp(pn, "?5") == 0 ? a->w->today_s : week;
			sqlite3_bind_text(st[k], p, v, -1, SQLITE_STATIC);
		}
		while (sqlite3_step(st[k]) == SQLITE_ROW) {
			/* the first statement yields the provider's id; in a placement
			 * check the second yields the commissioner's */
			if (k == 0)
				snprintf(pid, sizeof(pid), "%s", (const char *)sqlite3_column_text(st[k], 0));
			else if (k == 1 && placement)
				snprintf(cid, sizeof(cid), "%s", (const char *)sqlite3_column_text(st[k], 0));
		}
		sqlite3_reset(st[k]);
	}
}

double op_raw(struct raw_ctx *r, const struct phase_arg *a, int what, long i, long *rows)
{
	double t0;

	if (what == OP_WATCHLIST) {
		long n = 0;

		t0 = now_s();
		if (rawwl_run(&r->wl, r->h, &r->wlp) != 0)
			return -1;
		n = (long)r->wl.n;
		t0 = now_s() - t0;
		if (rows)
			*rows = n;
		return t0;
	}
	if (what == OP_LOG) {
		struct concern_row c;
		char pid[CW_ID_LEN];

		op_row(a, i, &c);
		gen_provider_id(a->w, c.provider, pid);
		t0 = now_s();
		raw_exec(r->h, "BEGIN IMMEDIATE");
		raw_insert(r, &c, pid, a->w->today_s);
		raw_exec(r->h, "COMMIT");
		return now_s() - t0;
	}
	{
		char name[96], week[CW_DATE_STRLEN];
		char *key, *ckey = cw_fold(BENCH_LEAD);

		gen_provider_name(a->w, op_lookup_provider(a, i), name, sizeof(name));
		cw_date_format(cw_date_week_start(a->w->today), week);
		t0 = now_s();
		/* the names are folded inside the timing, as the engine does */
		key = cw_fold(name);
		raw_exec(r->h, "BEGIN");
		raw_lookup(r, a, what == OP_PLACEMENT, key, ckey, week);
		raw_exec(r->h, "COMMIT");
		t0 = now_s() - t0;
		free(key);
		free(ckey);
		return t0;
	}
}

/* ---- phases ------------------------------------------------------------ */

/* Keep sampling until the budget is spent (at least `min`, at most reps). */
static bool more(const struct phase_arg *a, long i, double start)
{
	long min = a->min_reps > 0 ? a->min_reps : 3;

	if (i >= a->reps || i >= BENCH_MAX_SAMPLES)
		return false;
	return i < min || now_s() - start < a->budget_s;
}

void ph_pair(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct lib_ctx l;
	struct raw_ctx r;
	double start;
	long i;

	if (lib_ctx_open(a, &l, o) != 0)
		return;
	if (raw_ctx_open(a->db_path, a->w->today, &r) != 0) {
		o->error = 1;
		lib_ctx_close(&l);
		return;
	}
	/* one untimed round: both sides start with warm caches */
	if (a->what != OP_LOG) {
		op_lib(&l, a, a->what, 0, NULL, o);
		op_raw(&r, a, a->what, 0, NULL);
	}
	start = now_s();
	for (i = 0; more(a, i, start) && !o->error; i++) {
		double tl, tr;

		if (i % 2 == 0) {
			tl = op_lib(&l, a, a->what, i, &o->st.rows, o);
			tr = op_raw(&r, a, a->what, i, &o->st2.rows);
		} else {
			tr = op_raw(&r, a, a->what, i, &o->st2.rows);
			tl = op_lib(&l, a, a->what, i, &o->st.rows, o);
		}
		if (tl < 0)
			break;
		o->lat[o->nlat++] = tl;
		o->lat2[o->nlat2++] = tr;
	}
	raw_ctx_close(&r);
	lib_ctx_close(&l);
}

void ph_pair_ab(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct phase_arg b = *a;
	struct lib_ctx la, lb;
	struct raw_ctx ra, rb;
	double start;
	long i;

	b.db_path = a->db_path2;
	memset(&la, 0, sizeof(la));
	memset(&lb, 0, sizeof(lb));
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	if (a->raw_side ? raw_ctx_open(a->db_path, a->w->today, &ra) != 0 || raw_ctx_open(b.db_path, a->w->today, &rb) != 0
	    : lib_ctx_open(a, &la, o) != 0 || lib_ctx_open(&b, &lb, o) != 0) {
		o->error = 1;
		goto done;
	}
	for (i = -1, start = now_s(); i < 0 || (more(a, i, start) && !o->error); i++) {
		double ta, tb;
		long k = i < 0 ? 0 : i;

		/* the first round is untimed: both start with warm caches */
		if (a->raw_side) {
			ta = i % 2 == 0 ? op_raw(&ra, a, a->what, k, &o->st.rows) : 0;
			tb = op_raw(&rb, &b, b.what, k, &o->st2.rows);
			if (i % 2 != 0)
				ta = op_raw(&ra, a, a->what, k, &o->st.rows);
		} else {
			ta = i % 2 == 0 ? op_lib(&la, a, a->what, k, &o->st.rows, o) : 0;
			tb = op_lib(&lb, &b, b.what, k, &o->st2.rows, o);
			if (i % 2 != 0)
				ta = op_lib(&la, a, a->what, k, &o->st.rows, o);
		}
		if (ta < 0 || tb < 0)
			break;
		if (i < 0)
			continue;
		o->lat[o->nlat++] = ta;
		o->lat2[o->nlat2++] = tb;
	}
done:
	if (a->raw_side) {
		if (ra.h)
			raw_ctx_close(&ra);
		if (rb.h)
			raw_ctx_close(&rb);
	} else {
		if (la.db)
			lib_ctx_close(&la);
		if (lb.db)
			lib_ctx_close(&lb);
	}
}

void ph_lib_only(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct lib_ctx l;
	double start = now_s();
	long i;

	if (lib_ctx_open(a, &l, o) != 0)
		return;
	for (i = 0; more(a, i, start); i++) {
		double t = op_lib(&l, a, a->what, i, &o->st.rows, o);

		if (t < 0)
			break;
		o->lat[o->nlat++] = t;
	}
	lib_ctx_close(&l);
}

void ph_raw_only(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct raw_ctx r;
	double start = now_s();
	long i;

	if (raw_ctx_open(a->db_path, a->w->today, &r) != 0) {
		o->error = 1;
		return;
	}
	for (i = 0; more(a, i, start); i++)
		o->lat[o->nlat++] = op_raw(&r, a, a->what, i, &o->st.rows);
	raw_ctx_close(&r);
}

/* ---- bulk import ------------------------------------------------------ */

void ph_lib_import(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	cw_buf csv = CW_BUF_INIT;
	struct lib_ctx l;
	json_t *out = NULL;
	double t0;
	long i;

	cw_buf_puts(&csv, "provider,source,team,likelihood,impact,summary,category,received,"
		"pova-ref,subject\r\n");
	for (i = 0; i < a->reps; i++) {
		struct concern_row c;
		char name[96], l_[8], i_[8], rec[CW_DATE_STRLEN];

		op_row(a, i, &c);
		gen_provider_name(a->w, c.provider, name, sizeof(name));
		snprintf(l_, sizeof(l_), "%d", c.likelihood);
		snprintf(i_, sizeof(i_), "%d", c.impact);
		/* cw_csv_put_field writes the separator itself */
		cw_csv_put_field(&csv, name);
		cw_csv_put_field(&csv, c.source);
		cw_csv_put_field(&csv, c.team);
		cw_csv_put_field(&csv, l_);
		cw_csv_put_field(&csv, i_);
		cw_csv_put_field(&csv, c.summary);
		cw_csv_put_field(&csv, c.category ? c.category : "");
		cw_csv_put_field(&csv, cw_date_format(c.received, rec));
		cw_csv_put_field(&csv, c.pova_ref);
		cw_csv_put_field(&csv, c.subject_ref);
		cw_csv_end_record(&csv);
	}
	if (lib_ctx_open(a, &l, o) != 0) {
		cw_buf_free(&csv);
		return;
	}
	/* Timed: what `carewatch import concerns FILE --allow-duplicates` does once
	 * the file is read (generated rows may repeat a provider, date, summary
	 * and source, and the raw side does not look for duplicates either). */
	t0 = now_s();
	if (cw_db_begin(l.db, true) != CW_OK ||
	    cw_import_csv_ex(l.db, CW_IMPORT_CONCERNS, csv.ptr, csv.len, "bench.csv", true,
		&out) != CW_OK ||
	    cw_db_commit(l.db) != CW_OK) {
		fail(o, "import");
		cw_db_rollback(l.db);
	} else {
		o->st.total = now_s() - t0;
		o->st.rows = (long)json_integer_value(json_object_get(out, "imported"));
		o->st.rate = (double)o->st.rows / o->st.total;
		o->st.n = 1;
	}
	json_decref(out);
	cw_buf_free(&csv);
	lib_ctx_close(&l);
}

struct raw_row {
	struct concern_row c;
	char name[96];
};

void ph_raw_import(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct raw_row *rows = calloc((size_t)a->reps, sizeof(*rows));
	struct raw_ctx r;
	double t0;
	long i;

	for (i = 0; i < a->reps; i++) {
		op_row(a, i, &rows[i].c);
		gen_provider_name(a->w, rows[i].c.provider, rows[i].name, sizeof(rows[i].name));
	}
	if (raw_ctx_open(a->db_path, a->w->today, &r) != 0) {
		o->error = 1;
		free(rows);
		return;
	}
	/* Timed: the same rows, each provider named and looked up as the file names it. */
	t0 = now_s();
	raw_exec(r.h, "BEGIN IMMEDIATE");
	for (i = 0; i < a->reps; i++) {
		char pid[CW_ID_LEN];

		sqlite3_bind_text(r.look, 1, cw_fold(rows[i].name), -1, free);
		if (sqlite3_step(r.look) != SQLITE_ROW) {
			snprintf(o->message, sizeof(o->message), "no provider %s", rows[i].name);
			o->error = 1;
			break;
		}
		snprintf(pid, sizeof(pid), "%s", (const char *)sqlite3_column_text(r.look, 0));
		sqlite3_reset(r.look);
		raw_insert(&r, &rows[i].c, pid, a->w->today_s);
	}
	raw_exec(r.h, o->error ? "ROLLBACK" : "COMMIT");
	o->st.total = now_s() - t0;
	o->st.rows = a->reps;
	o->st.rate = (double)a->reps / o->st.total;
	o->st.n = 1;
	raw_ctx_close(&r);
	free(rows);
}
