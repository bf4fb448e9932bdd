/*
 * The watch list is built from a handful of set-wise queries (the flags'
 * facts of every provider, with the open concerns by band and the POVA
 * referrals in the window; open cases, their latest PPM, overdue actions,
 * open tasks, the last QA snapshot) joined in C by provider, so its cost
 * grows with what is open or recent, not with history.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "flags.h"
#include "carewatch/case.h"
#include "carewatch/concern.h"
#include "carewatch/action.h"
#include "carewatch/placement.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "fold.h"
#include "lookup.h"
#include "placement_internal.h"

static const char SQL_PROVIDERS[] =
	"SELECT id, name, type, grp FROM providers ORDER BY name COLLATE NOCASE";
static const char SQL_SINCE[] =
	"SELECT provider_id, count(*) FROM concerns WHERE received > ?1 AND status <> 'withdrawn'"
	" GROUP BY +provider_id";
static const char SQL_CASES[] =
	"SELECT id, provider_id, stage, escalated, ref FROM cases WHERE stage <> 'closed'";
static const char SQL_MEETINGS[] =
	"SELECT c.provider_id, m.case_id, m.date, m.overall, m.trend, m.next_date"
	" FROM meetings m JOIN cases c ON c.id = m.case_id ORDER BY m.date, m.seq";
static const char SQL_OVERDUE[] =
	"SELECT a.case_id, count(*) FROM actions a JOIN cases c ON c.id = a.case_id"
	" WHERE c.stage <> 'closed' AND a.status NOT IN ('completed', 'withdrawn') AND a.due < ?1"
	" GROUP BY a.case_id";
/* By provider, closed cases too: a duty stays open until it is ticked. */
static const char SQL_TASKS[] =
	"SELECT c.provider_id, count(*) FROM tasks t JOIN cases c ON c.id = t.case_id"
	" WHERE t.done IS NULL GROUP BY c.provider_id";
static const char SQL_LAST_QA[] =
	"SELECT id, date FROM qa_meetings ORDER BY date DESC, seq DESC LIMIT 1";
static const char SQL_QA_SNAPSHOT[] =
	"SELECT provider_id, band FROM qa_snapshot WHERE qa_id = ?1";

/* A commissioner's control of a listed row, owned by the row. */
struct place {
	char *commissioner;
	char status[12], kind[12];
	char since[CW_DATE_STRLEN];
	char *conditions;        /* restricted: in words; else NULL */
};

/*
 * A provider's row as plain values while the queries fill it in. Rows that
 * are listed are published as cw_watch_row (pointers into the row) once
 * they no longer move; JSON is made only where a caller asks for it.
 */
struct row {
	char id[CW_ID_LEN];
	char *name, *type;
	char *grp;               /* the provider group's name; NULL: none */
	char *sort_name;         /* case-folded name, for the last ordering key */
	cw_band computed, agreed, effective;
	int max_score, open, bands[4], pova, overdue, tasks, new_since_qa;
	char last_received[CW_DATE_STRLEN];
	char agreed_on[CW_DATE_STRLEN];
	bool has_case, review_overdue, has_ppm;
	char case_id[CW_ID_LEN];  /* "" without an open case */
	char case_ref[CW_REF_LEN];
	char stage[32];
	char ppm_trend[16], next_review[CW_DATE_STRLEN], last_ppm[CW_DATE_STRLEN];
	const char *trend;       /* against the last QA snapshot; NULL: no QA yet */
	cw_flag_set flags;
	size_t nflags;
	struct place *pl;        /* listed rows: the placement controls */
	size_t npl;
	cw_watch_placement *pub_pl;
	const char *flag_names[CW_FLAG_COUNT];
	cw_watch_row pub;        /* made by publish() */
};

struct list {
	struct row *rows;        /* sorted by provider id until the final ordering */
	size_t n;
	struct row **cases;      /* rows with an open case, sorted by case id */
	size_t ncases;
};

/* The published list: the rows that are listed, in order. */
struct cw_watch_list {
	struct list l;
	struct row **listed;
	size_t n;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->id, ((const struct row *)b)->id);
}

/* Rows are kept sorted by provider id while they are filled in. */
static struct row *find(struct list *l, const char *id)
{
	struct row key;

	if (!id || strlen(id) >= sizeof(key.id))
		return NULL;
	strcpy(key.id, id);
	/* bsearch and qsort may not be given a NULL array, even an empty one. */
	return l->n ? bsearch(&key, l->rows, l->n, sizeof(*l->rows), by_id) : NULL;
}

static int by_case(const void *a, const void *b)
{
	return strcmp((*(struct row *const *)a)->case_id, (*(struct row *const *)b)->case_id);
}

/* The row of an open case, through an index of the rows that have one. */
static struct row *find_case(struct list *l, const char *case_id)
{
	struct row key, *kp = &key, **hit;

	if (!case_id || strlen(case_id) >= sizeof(key.case_id))
		return NULL;
	strcpy(key.case_id, case_id);
	hit = l->ncases ? bsearch(&kp, l->cases, l->ncases, sizeof(*l->cases), by_case) : NULL;
	return hit ? *hit : NULL;
}

static json_t *band_json(cw_band b)
{
	return b == CW_BAND_NONE ? json_null() : json_string(cw_band_name(b));
}

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *placement_json(const cw_watch_placement *p)
{
	return json_pack("{s:s,s:s,s:o,s:o,s:o}", "commissioner", p->commissioner,
		"status", p->status, "kind", text_or_null(p->kind), "since", text_or_null(p->since),
		"conditions", text_or_null(p->conditions));
}

/* The row as SPEC §8 shows it, keys in the order the list has always had. */
json_t *cw_watch_row_json(const cw_watch_row *r)
{
	json_t *places = json_array(), *flags = json_array(), *o;
	size_t i;

	for (i = 0; i < r->nplacements; i++)
		json_array_append_new(places, placement_json(&r->placements[i]));
	for (i = 0; i < r->nflags; i++)
		json_array_append_new(flags, json_string(r->flags[i]));
	o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,"
		"s:o,s:b,s:o,s:i,s:o,s:o}",
		"provider_id", r->provider_id, "provider", r->provider, "type", r->type,
		"stage", text_or_null(r->stage),
		"band", band_json(r->band), "computed_band", band_json(r->computed_band),
		"agreed_band", band_json(r->agreed_band), "max_score", r->max_score,
		"open_concerns", r->open_concerns, "red", r->red, "amber", r->amber,
		"yellow", r->yellow, "green", r->green, "pova_referrals", r->pova_referrals,
		"overdue_actions", r->overdue_actions, "open_tasks", r->open_tasks,
		"next_review", text_or_null(r->next_review),
		"review_overdue", r->review_overdue, "trend", text_or_null(r->trend),
		"new_since_last_qa", r->new_since_last_qa, "placements", places, "flags", flags);

	json_object_set_new(o, "group", r->group ? json_string(r->group) : json_null());
	if (r->case_id) {
		json_object_set_new(o, "case_id", json_string(r->case_id));
		json_object_set_new(o, "case_ref", json_string(r->case_ref));
	}
	if (r->last_ppm) {
		json_object_set_new(o, "ppm_trend", json_string(r->ppm_trend));
		json_object_set_new(o, "last_ppm", json_string(r->last_ppm));
	}
	return o;
}

/* The row's public view; the row must not move afterwards. */
static const cw_watch_row *publish(struct row *r)
{
	cw_watch_row *p = &r->pub;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->provider_id = r->id;
	p->provider = r->name;
	p->type = r->type;
	p->group = r->grp;
	if (r->has_case) {
		p->stage = r->stage[0] ? r->stage : NULL;
		p->case_id = r->case_id;
		p->case_ref = r->case_ref;
	}
	p->band = r->effective;
	p->computed_band = r->computed;
	p->agreed_band = r->agreed;
	p->max_score = r->max_score;
	p->open_concerns = r->open;
	p->red = r->bands[0];
	p->amber = r->bands[1];
	p->yellow = r->bands[2];
	p->green = r->bands[3];
	p->pova_referrals = r->pova;
	p->overdue_actions = r->overdue;
	p->open_tasks = r->tasks;
	p->new_since_last_qa = r->new_since_qa;
	if (r->has_ppm) {
		p->next_review = r->next_review[0] ? r->next_review : NULL;
		p->last_ppm = r->last_ppm;
		p->ppm_trend = r->ppm_trend;
	}
	p->review_overdue = r->review_overdue;
	p->trend = r->trend;
	for (int k = 0; k < CW_FLAG_COUNT; k++)
		if (r->flags.on[k])
			r->flag_names[p->nflags++] = cw_flag_name((cw_flag)k);
	p->flags = r->flag_names;
	if (r->npl) {
		r->pub_pl = cw_calloc(r->npl, sizeof(*r->pub_pl));
		for (i = 0; i < r->npl; i++) {
			struct place *s = &r->pl[i];

			r->pub_pl[i] = (cw_watch_placement){ s->commissioner, s->status,
				s->kind[0] ? s->kind : NULL, s->since[0] ? s->since : NULL, s->conditions };
		}
	}
	p->placements = r->pub_pl;
	p->nplacements = r->npl;
	return p;
}

static int load_providers(cw_db *db, struct list *l)
{
	cw_stmt *st = NULL;
	size_t cap = 0;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_PROVIDERS, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct row *r;

		if (l->n == cap) {
			cap = cap ? 2 * cap : 64;
			l->rows = cw_reallocarray(l->rows, cap, sizeof(*l->rows));
		}
		r = &l->rows[l->n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->id, sizeof(r->id), "%s", cw_store_col_text(st, 0));
		r->name = cw_strdup(cw_store_col_text(st, 1));
		r->type = cw_strdup(cw_store_col_text(st, 2));
		r->sort_name = cw_fold(r->name);
		r->grp = cw_store_col_is_null(st, 3) ? NULL : cw_strdup(cw_store_col_text(st, 3));
	}
	cw_store_done(st);
	if (l->n)
		qsort(l->rows, l->n, sizeof(*l->rows), by_id);
	return rc;
}

/* Run a "provider_id|case_id, count" query and store the count in the row. */
static int load_counts(cw_db *db, struct list *l, const char *sql, const char *bind,
	size_t field, bool by_case)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	if (bind)
		cw_store_bind_text(st, 1, bind);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		const char *id = cw_store_col_text(st, 0);
		struct row *r = by_case ? find_case(l, id) : find(l, id);

		if (r)
			*(int *)((char *)r + field) = (int)cw_store_col_int(st, 1);
	}
	cw_store_done(st);
	return rc;
}

/*
 * The agreed level is the overall level of the provider's latest meeting,
 * whichever case it belonged to: a case closed at "green" keeps the provider
 * off the list until something new arrives. Review dates and the PPM trend
 * come only from meetings of the open case.
 */
static int load_meetings(cw_db *db, struct list *l)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_MEETINGS, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct row *r = find(l, cw_store_col_text(st, 0));

		if (!r)
			continue;
		r->agreed = CW_BAND_NONE;
		r->agreed_on[0] = '\0';
		if (!cw_store_col_is_null(st, 3) &&
		    cw_band_parse(cw_store_col_text(st, 3), &r->agreed) == CW_OK)
			snprintf(r->agreed_on, sizeof(r->agreed_on), "%s", cw_store_col_text(st, 2));
		if (r->has_case && strcmp(r->case_id, cw_store_col_text(st, 1)) == 0) {
			r->has_ppm = true;
			snprintf(r->ppm_trend, sizeof(r->ppm_trend), "%s", cw_store_col_text(st, 4));
			snprintf(r->next_review, sizeof(r->next_review), "%s", cw_store_col_text(st, 5));
			snprintf(r->last_ppm, sizeof(r->last_ppm), "%s", cw_store_col_text(st, 2));
		}
	}
	cw_store_done(st);
	cw_error_clear();   /* an unknown band word in an old row is not this command's error */
	return rc;
}

static int load_cases(cw_db *db, struct list *l)
{
	cw_stmt *st = NULL;
	int rc, err = CW_OK;

	if ((err = cw_store_prepare(db, SQL_CASES, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct row *r = find(l, cw_store_col_text(st, 1));

		if (!r)
			continue;
		r->has_case = true;
		snprintf(r->case_id, sizeof(r->case_id), "%s", cw_store_col_text(st, 0));
		snprintf(r->stage, sizeof(r->stage), "%s", cw_store_col_text(st, 2));
		snprintf(r->case_ref, sizeof(r->case_ref), "%s", cw_store_col_text(st, 4));
		l->cases = cw_reallocarray(l->cases, l->ncases + 1, sizeof(*l->cases));
		l->cases[l->ncases++] = r;
	}
	cw_store_done(st);
	if (rc != CW_OK)
		return rc;
	if (l->ncases)
		qsort(l->cases, l->ncases, sizeof(*l->cases), by_case);
	return load_meetings(db, l);
}

/* The level the list orders by: the agreed one if newer than every open concern. */
static void settle_bands(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct row *r = &l->rows[i];
		bool agreed_current = r->agreed != CW_BAND_NONE &&
			strcmp(r->agreed_on, r->last_received) >= 0;

		r->effective = agreed_current ? r->agreed : r->computed;
	}
}

/*
 * Every provider's flags from one set-wise gathering (engine/domain/flags_all.c),
 * with the open-concern counts and POVA referrals it counted on the way.
 */
static int load_flags(cw_db *db, struct list *l)
{
	cw_flags_all *all = NULL;
	int err;

	if ((err = cw_flags_all_load(db, &all)) != CW_OK)
		return err;
	for (size_t i = 0; i < l->n; i++) {
		struct row *r = &l->rows[i];
		const cw_flag_set *set = cw_flags_all_get(all, r->id);
		const cw_flags_open *open;

		/* Same transaction, so the two lists of providers are the same. */
		if (!set)
			continue;
		r->flags = *set;
		if ((open = cw_flags_all_open(all, r->id)) && open->n) {
			r->open = open->n;
			r->max_score = open->max_score;
			r->computed = cw_rules_band(cw_db_rules(db), r->max_score);
			memcpy(r->bands, open->bands, sizeof(r->bands));
			memcpy(r->last_received, open->last, sizeof(r->last_received));
		}
		for (int k = 0; k < CW_FLAG_COUNT; k++)
			r->nflags += set->on[k];
		r->review_overdue = set->on[CW_FLAG_REVIEW_OVERDUE];
		/* Counted with the large-scale POVA window, in the same scan. */
		r->pova = cw_flags_all_pova(all, r->id);
	}
	cw_flags_all_free(all);
	return CW_OK;
}

/* Trend and "new" against the snapshot of the last QA meeting. */
static int load_qa(cw_db *db, struct list *l, char last_qa[CW_DATE_STRLEN])
{
	cw_stmt *st = NULL;
	char qa_id[CW_ID_LEN] = "";
	int rc, err;
	size_t i;

	last_qa[0] = '\0';
	if ((err = cw_store_prepare(db, SQL_LAST_QA, &st)) != CW_OK)
		return err;
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		snprintf(qa_id, sizeof(qa_id), "%s", cw_store_col_text(st, 0));
		snprintf(last_qa, CW_DATE_STRLEN, "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (rc != CW_ROW && rc != CW_OK)
		return rc;
	if (!qa_id[0])
		return CW_OK;
	if ((err = load_counts(db, l, SQL_SINCE, last_qa, offsetof(struct row, new_since_qa),
			false)) != CW_OK)
		return err;
	/* Every row starts "new"; rows on the last list get a real trend. */
	for (i = 0; i < l->n; i++)
		l->rows[i].trend = "new";
	if ((err = cw_store_prepare(db, SQL_QA_SNAPSHOT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, qa_id);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct row *r = find(l, cw_store_col_text(st, 0));
		cw_band before = CW_BAND_NONE;

		if (!r)
			continue;
		cw_band_parse(cw_store_col_text(st, 1), &before);
		r->trend = r->effective > before ? "increased" : r->effective < before ? "decreased"
			: "same";
	}
	cw_store_done(st);
	cw_error_clear();   /* a snapshot band of "" is not an error worth keeping */
	return rc;
}

static bool included(const struct row *r)
{
	if (r->has_case || r->nflags > 0 || r->tasks > 0)
		return true;
	/* Agreed green with no case and no flag: "all clear, remove from the list". */
	if (r->agreed == CW_BAND_GREEN && r->effective == CW_BAND_GREEN)
		return false;
	return r->computed >= CW_BAND_YELLOW || r->agreed >= CW_BAND_YELLOW;
}

static int compare(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->effective != y->effective)
		return x->effective > y->effective ? -1 : 1;
	if (x->max_score != y->max_score)
		return x->max_score > y->max_score ? -1 : 1;
	return strcmp(x->sort_name, y->sort_name);
}

/* A commissioner's control, kept by the listed row it belongs to. */
static void add_place(void *arg, const char *provider_id, const cw_placement_body *b,
	const cw_placement_control *c)
{
	struct row *r = find(arg, provider_id);
	struct place *p;

	if (!r)
		return;
	r->pl = cw_reallocarray(r->pl, r->npl + 1, sizeof(*r->pl));
	p = &r->pl[r->npl++];
	p->commissioner = cw_strdup(b->name);
	snprintf(p->status, sizeof(p->status), "%s", c->status);
	snprintf(p->kind, sizeof(p->kind), "%s", c->kind);
	if (c->has_since)
		cw_date_format(c->since, p->since);
	else
		p->since[0] = '\0';
	p->conditions = cw_placement_conditions_text(c);
}

/* Placement status per commissioner, only for the rows that are listed;
 * the rows are still sorted by provider id. */
static int load_placements(cw_db *db, struct list *l)
{
	const char **ids = cw_calloc(l->n ? l->n : 1, sizeof(*ids));
	size_t i, n = 0;
	int err;

	for (i = 0; i < l->n; i++)
		if (included(&l->rows[i]))
			ids[n++] = l->rows[i].id;
	err = cw_placement_controls_each(db, ids, n, add_place, l);
	free(ids);
	return err;
}

static void free_list(struct list *l)
{
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		struct row *r = &l->rows[i];

		for (k = 0; k < r->npl; k++) {
			free(r->pl[k].commissioner);
			free(r->pl[k].conditions);
		}
		free(r->pl);
		free(r->pub_pl);
		free(r->name);
		free(r->type);
		free(r->grp);
		free(r->sort_name);
	}
	free(l->rows);
	free(l->cases);
	l->rows = NULL;
	l->cases = NULL;
	l->n = l->ncases = 0;
}

/* Build every provider's row, settle bands and flags, and order them; with
 * `placements`, the placement controls of the rows that are listed. */
static int build(cw_db *db, struct list *l, char last_qa[CW_DATE_STRLEN], bool placements)
{
	char today[CW_DATE_STRLEN];
	int err;

	if ((err = load_providers(db, l)) != CW_OK ||
	    (err = load_flags(db, l)) != CW_OK ||
	    (err = load_cases(db, l)) != CW_OK)
		return err;
	cw_date_format(cw_db_today(db), today);
	if ((err = load_counts(db, l, SQL_OVERDUE, today, offsetof(struct row, overdue),
			true)) != CW_OK ||
	    (err = load_counts(db, l, SQL_TASKS, NULL, offsetof(struct row, tasks), false)) != CW_OK)
		return err;
	settle_bands(l);
	if ((err = load_qa(db, l, last_qa)) != CW_OK)
		return err;
	if (placements && (err = load_placements(db, l)) != CW_OK)
		return err;
	/* The case index points into rows; it goes before the rows move. */
	free(l->cases);
	l->cases = NULL;
	l->ncases = 0;
	if (l->n)
		qsort(l->rows, l->n, sizeof(*l->rows), compare);
	return CW_OK;
}

static int rows_now(cw_db *db, void *arg)
{
	cw_watch_list **out = arg, *wl = cw_calloc(1, sizeof(*wl));
	char last_qa[CW_DATE_STRLEN];
	size_t i;
	int err;

	if ((err = build(db, &wl->l, last_qa, true)) != CW_OK) {
		cw_watch_list_free(wl);
		return err;
	}
	wl->listed = cw_calloc(wl->l.n ? wl->l.n : 1, sizeof(*wl->listed));
	for (i = 0; i < wl->l.n; i++)
		if (included(&wl->l.rows[i])) {
			publish(&wl->l.rows[i]);
			wl->listed[wl->n++] = &wl->l.rows[i];
		}
	*out = wl;
	return CW_OK;
}

/* With --today in the past, the list as it stood that day (store.h). */
int cw_watchlist_rows(cw_db *db, cw_watch_list **out)
{
	*out = NULL;
	return cw_store_as_at_today(db, rows_now, out);
}

size_t cw_watch_list_count(const cw_watch_list *l)
{
	return l ? l->n : 0;
}

const cw_watch_row *cw_watch_list_row(const cw_watch_list *l, size_t i)
{
	return l && i < l->n ? &l->listed[i]->pub : NULL;
}

void cw_watch_list_free(cw_watch_list *l)
{
	if (!l)
		return;
	free_list(&l->l);
	free(l->listed);
	free(l);
}

int cw_watchlist(cw_db *db, json_t **out)
{
	cw_watch_list *l = NULL;
	json_t *rows;
	int err;

	if ((err = cw_watchlist_rows(db, &l)) != CW_OK)
		return err;
	rows = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(rows, cw_watch_row_json(&l->listed[i]->pub));
	cw_watch_list_free(l);
	*out = rows;
	return CW_OK;
}

static const char SQL_NEW_CONCERNS[] =
	"SELECT id FROM concerns WHERE received > ?1 AND status <> 'withdrawn'"
	" ORDER BY team, received, seq";
static const char SQL_OVERDUE_ITEMS[] =
	"SELECT a.id FROM actions a JOIN cases c ON c.id = a.case_id"
	" WHERE c.stage <> 'closed' AND a.status NOT IN ('completed', 'withdrawn') AND a.due < ?1"
	" ORDER BY a.due, a.seq";
static const char SQL_OPEN_TASK_ITEMS[] =
	"SELECT t.id, p.name, t.description, t.created FROM tasks t"
	" JOIN cases c ON c.id = t.case_id JOIN providers p ON p.id = c.provider_id"
	" WHERE t.done IS NULL ORDER BY t.created, t.seq";
static const char SQL_QA_INSERT[] =
	"INSERT INTO qa_meetings (id, date, present, created_by, created) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_QA_SNAP_INSERT[] =
	"INSERT INTO qa_snapshot (qa_id, provider_id, band, max_score, stage) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_QA_ON_DATE[] = "SELECT id FROM qa_meetings WHERE date = ?1";

typedef int (*getter)(cw_db *, const char *, json_t **);

static int get_one(cw_db *db, const char *id, void *get, json_t **out)
{
	return (*(getter *)get)(db, id, out);
}

/* The entity of each id a query yields, through the module's getter. */
static int collect(cw_db *db, const char *sql, const char *bind, getter get, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, bind);
	return cw_store_map_ids(db, st, get_one, &get, out);
}

static json_t *task_item(cw_db *db, cw_stmt *st, void *arg)
{
	(void)db;
	(void)arg;
	return json_pack("{s:s,s:s,s:s,s:s}", "id", cw_store_col_text(st, 0),
		"provider", cw_store_col_text(st, 1), "task", cw_store_col_text(st, 2),
		"created", cw_store_col_text(st, 3));
}

static int open_tasks(cw_db *db, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_OPEN_TASK_ITEMS, &st)) != CW_OK)
		return err;
	return cw_store_rows(db, st, task_item, NULL, out);
}

/* The QA meeting is monthly: the same day next month, or that month's last day. */
static cw_date next_month(cw_date d)
{
	int y, m, dd;
	cw_date next = cw_date_next_month_start(d), after;

	cw_date_to_ymd(d, &y, &m, &dd);
	after = cw_date_next_month_start(next);
	return next + dd - 1 < after ? next + dd - 1 : after - 1;
}

static int agenda_now(cw_db *db, const char *unused, json_t **out)
{
	struct list l = { 0 };
	char last_qa[CW_DATE_STRLEN], since[CW_DATE_STRLEN], today[CW_DATE_STRLEN];
	char next[CW_DATE_STRLEN];
	json_t *a = NULL, *rows = json_array(), *under = json_array(), *concerns = NULL;
	json_t *by_team = json_object(), *positive = json_array(), *overdue = NULL;
	json_t *tasks = NULL, *c;
	cw_date last;
	size_t i;
	int err;

	(void)unused;

	if ((err = build(db, &l, last_qa, false)) != CW_OK)
		goto done;
	for (i = 0; i < l.n; i++) {
		json_t *row;

		if (!included(&l.rows[i]))
			continue;
		row = cw_watch_row_json(publish(&l.rows[i]));
		json_array_append(rows, row);
		if (l.rows[i].has_case)
			json_array_append(under, row);
		json_decref(row);
	}
	/* With no QA meeting yet, "new" means the last month. */
	if (last_qa[0] && cw_date_parse(last_qa, &last) == CW_OK)
		snprintf(since, sizeof(since), "%s", last_qa);
	else
		cw_date_format(cw_db_today(db) - 31, since);
	cw_date_format(cw_db_today(db), today);
	if ((err = collect(db, SQL_NEW_CONCERNS, since, cw_concern_get, &concerns)) != CW_OK ||
	    (err = collect(db, SQL_OVERDUE_ITEMS, today, cw_action_show, &overdue)) != CW_OK ||
	    (err = open_tasks(db, &tasks)) != CW_OK)
		goto done;
	json_array_foreach(concerns, i, c) {
		const char *team = json_string_value(json_object_get(c, "team"));
		json_t *list;

		if (json_is_true(json_object_get(c, "positive"))) {
			json_array_append(positive, c);
			continue;
		}
		if (!(list = json_object_get(by_team, team))) {
			list = json_array();
			json_object_set_new(by_team, team, list);
		}
		json_array_append(list, c);
	}
	cw_date_format(next_month(cw_db_today(db)), next);
	a = json_pack("{s:s,s:s?,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:s}",
		"date", today, "last_qa", last_qa[0] ? last_qa : NULL, "new_since", since,
		"rows", rows, "under_protocol", under, "new_concerns", by_team,
		"positive", positive, "overdue_actions", overdue, "open_tasks", tasks,
		"next_meeting", next);
	*out = a;
done:
	json_decref(rows);
	json_decref(under);
	json_decref(concerns);
	json_decref(by_team);
	json_decref(positive);
	json_decref(overdue);
	json_decref(tasks);
	free_list(&l);
	return err;
}

int cw_watchlist_agenda(cw_db *db, json_t **out)
{
	return cw_store_as_at_today_get(db, agenda_now, NULL, out);
}

int cw_qa_record(cw_db *db, cw_date date, const char *const *present, size_t npresent,
	json_t **out)
{
	cw_stmt *st = NULL;
	struct list l = { 0 };
	char id[CW_ID_LEN], day[CW_DATE_STRLEN], today[CW_DATE_STRLEN], last_qa[CW_DATE_STRLEN];
	json_t *names = json_array();
	char *names_text = NULL;
	size_t i, listed = 0;
	int err, rc;

	if ((err = cw_db_require(db, "qa.record")) != CW_OK)
		goto done;
	if (date > cw_db_today(db)) {
		err = cw_error(CW_EINVALID, "a QA meeting cannot be recorded before it is held (%s is after today)",
			cw_date_format(date, day));
		goto done;
	}
	for (i = 0; i < npresent; i++) {
		if ((err = cw_check_name("present", present[i])) != CW_OK)
			goto done;
		json_array_append_new(names, json_string(present[i]));
	}
	cw_date_format(date, day);
	if ((err = cw_store_prepare(db, SQL_QA_ON_DATE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, day);
	rc = cw_store_step(db, st);
	if (rc == CW_ROW)
		snprintf(id, sizeof(id), "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	if (rc != CW_ROW && rc != CW_OK) {
		err = rc;
		goto done;
	}
	if (rc == CW_ROW) {
		err = cw_error(CW_EREFUSED, "a QA meeting on %s is already recorded (%s; qa show %s)",
			day, id, day);
		goto done;
	}
	/* The snapshot is the list as it stands when the meeting is recorded. */
	if ((err = build(db, &l, last_qa, false)) != CW_OK)
		goto done;
	cw_db_new_id(db, id);
	names_text = json_dumps(names, JSON_COMPACT);
	if ((err = cw_store_prepare(db, SQL_QA_INSERT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, day);
	cw_store_bind_text(st, 3, names_text);
	cw_store_bind_text(st, 4, cw_db_actor(db));
	cw_store_bind_text(st, 5, cw_date_format(cw_db_today(db), today));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	for (i = 0; i < l.n; i++) {
		struct row *r = &l.rows[i];

		if (!included(r))
			continue;
		if ((err = cw_store_prepare(db, SQL_QA_SNAP_INSERT, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, r->id);
		cw_store_bind_text(st, 3, r->effective ? cw_band_name(r->effective) : NULL);
		cw_store_bind_int(st, 4, r->max_score);
		cw_store_bind_text(st, 5, r->has_case ? r->stage : NULL);
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
		listed++;
	}
	if ((err = cw_audit_append(db, "qa.record", id, json_pack("{s:s,s:O,s:I}",
			"date", day, "present", names, "providers", (json_int_t)listed))) != CW_OK)
		goto done;
	*out = json_pack("{s:s,s:s,s:O,s:I}", "id", id, "date", day, "present", names,
		"providers", (json_int_t)listed);
done:
	free(names_text);
	json_decref(names);
	free_list(&l);
	return err;
}
