/*
 * The flag facts of every provider at once (include/carewatch/flags.h).
 * engine/domain/flags.c asks about one provider with about eight statements; the
 * watch list asked that of every provider, so its cost was the number of
 * providers times eight seeks, and a group of g homes had its concerns read
 * g times. Here each fact is one query for all providers, bucketed by
 * provider (or by group, for the roll-up) in C, and the pure
 * cw_flags_evaluate() runs per provider as before. The two paths must agree:
 * tests/test_flags_all.c compares them provider by provider.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flags.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "ratings.h"

/* Providers in group order: equal grp_keys are neighbours, no group first. */
static const char SQL_PROVIDERS[] =
	"SELECT id, grp_key FROM providers ORDER BY grp_key, id";
/* Each provider's newest open case comes first, as in flags.c. */
static const char SQL_OPEN_CASES[] =
	"SELECT provider_id, id, stage, escalated FROM cases WHERE stage <> 'closed'"
	" ORDER BY provider_id, opened DESC, seq DESC";
/* The open concerns, aggregated: bands rise with the score, so the band of
 * the highest score is the highest band (as the watch list computes it).
 * With the counts by band the watch list shows, so it need not scan them
 * again; bands are bound as score ranges, because the rules file defines them. */
static const char SQL_OPEN_CONCERNS[] =
	"SELECT provider_id, max(likelihood * impact), max(source = 'regulator'), max(received),"
	" count(*), sum(likelihood * impact BETWEEN ?1 AND ?2),"
	" sum(likelihood * impact BETWEEN ?3 AND ?4), sum(likelihood * impact BETWEEN ?5 AND ?6),"
	" sum(likelihood * impact BETWEEN ?7 AND ?8)"
	" FROM concerns WHERE status = 'open' AND positive = 0 GROUP BY provider_id";
/*
 * The two windows are counted in SQL, one range scan of a covering index
 * each, and only the counts come into C (rolled up by group there): pushing
 * every dated row of a year into C cost more than the scans themselves.
 */
static const char SQL_REPEATED[] =
	"SELECT provider_id, count(*) FROM concerns"
	" WHERE received >= ?1 AND received <= ?2 AND positive = 0 AND status <> 'withdrawn'"
	" GROUP BY +provider_id";
/* POVA referrals from the window's first day: the provider's own (any, as
 * the watch list counts them) and those the flag counts (up to today). */
static const char SQL_POVA[] =
	"SELECT provider_id, count(*), sum(positive = 0 AND received <= ?2) FROM concerns"
	" WHERE source = 'pova_referral' AND received >= ?1 AND status <> 'withdrawn'"
	" GROUP BY +provider_id";
/* A commissioner other than the lead whose decision in force is a suspension. */
static const char SQL_OTHER_EMBARGO[] =
	"SELECT DISTINCT pc.provider_id FROM placement_controls pc"
	" JOIN commissioners c ON c.id = pc.commissioner_id"
	" WHERE c.is_lead = 0 AND pc.status = 'suspended' AND pc.id ="
	"  (SELECT x.id FROM placement_controls x WHERE x.provider_id = pc.provider_id"
	"   AND x.commissioner_id = pc.commissioner_id AND x.start_date <= ?1"
	"   ORDER BY x.start_date DESC, x.id DESC LIMIT 1)";
/* The next three start from the open cases, so closed casework is not read. */
static const char SQL_OVERDUE[] =
	"SELECT a.case_id, count(*) FROM cases c CROSS JOIN actions a ON a.case_id = c.id"
	" WHERE c.stage <> 'closed' AND a.status NOT IN ('completed', 'withdrawn') AND a.due < ?1"
	" GROUP BY a.case_id";
static const char SQL_MEETINGS[] =
	"SELECT m.case_id, m.date, m.overall, m.provider_attended, m.created"
	" FROM cases c CROSS JOIN meetings m ON m.case_id = c.id WHERE c.stage <> 'closed'"
	" ORDER BY m.case_id, m.date DESC, m.seq DESC";
static const char SQL_LETTERS[] =
	"SELECT t.case_id, count(*) FROM cases c CROSS JOIN tasks t ON t.case_id = c.id"
	" WHERE c.stage <> 'closed' AND t.letter = 'ppm-commenced-provider' AND t.done IS NULL"
	" GROUP BY t.case_id";

/* Concerns in the windows across a group (or one provider without a group). */
struct bucket {
	size_t nrepeated, npova;
};

struct prov {
	char id[CW_ID_LEN];
	size_t bucket;
	cw_flag_facts f;
	char case_id[CW_ID_LEN];    /* "" without an open case */
	char stage[32];
	char escalated[CW_DATE_STRLEN];
	char last_open[CW_DATE_STRLEN];  /* newest open concern received */
	cw_band computed;           /* also the one open band the facts need */
	bool *attended;
	size_t nmeetings;           /* meeting rows of the case seen so far */
	int nperiod;                /* PPMs since the escalation */
	int pova_own;               /* own POVA referrals in the large-scale window */
	cw_flags_open open;         /* the open concerns, as the watch list shows them */
	char first[CW_DATE_STRLEN], last[CW_DATE_STRLEN];
};

struct cw_flags_all {
	struct prov *p;             /* sorted by id */
	size_t n;
	struct prov **cases;        /* those with an open case, sorted by case id */
	size_t ncases;
	struct bucket *b;
	size_t nb;
	cw_flag_set *sets;
	int engage;                 /* flags.provider_not_engaging.meetings, at least 1 */
	const cw_rules *rules;
	cw_flag_limits lim;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct prov *)a)->id, ((const struct prov *)b)->id);
}

static int by_case(const void *a, const void *b)
{
	return strcmp((*(struct prov *const *)a)->case_id, (*(struct prov *const *)b)->case_id);
}

static struct prov *find(const cw_flags_all *a, const char *id)
{
	struct prov key;

	if (!id || !a->n || strlen(id) >= sizeof(key.id))
		return NULL;
	strcpy(key.id, id);
	return bsearch(&key, a->p, a->n, sizeof(*a->p), by_id);
}

static struct prov *find_case(const cw_flags_all *a, const char *case_id)
{
	struct prov key, *kp = &key, **hit;

	if (!case_id || !a->ncases || strlen(case_id) >= sizeof(key.case_id))
		return NULL;
	strcpy(key.case_id, case_id);
	hit = bsearch(&kp, a->cases, a->ncases, sizeof(*a->cases), by_case);
	return hit ? *hit : NULL;
}

static void copy(char *dst, size_t size, cw_stmt *st, int i)
{
	snprintf(dst, size, "%s", cw_store_col_text(st, i));
}


/*
 * Run `sql` (binding `day` to ?1 and `day2` to ?2 when given) and hand each
 * row to `fn`.
 */
static int each_row(cw_db *db, const char *sql, const cw_date *day, const cw_date *day2,
	void (*fn)(cw_flags_all *, cw_stmt *), cw_flags_all *a)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	if (day)
		cw_store_bind_date(st, 1, *day);
	if (day2)
		cw_store_bind_date(st, 2, *day2);
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		fn(a, st);
	cw_store_done(st);
	return rc;
}

static int load_providers(cw_db *db, cw_flags_all *a)
{
	cw_stmt *st = NULL;
	char *group = NULL;          /* the previous provider's group key */
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_PROVIDERS, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct prov *p;
		bool has = !cw_store_col_is_null(st, 1);

		a->p = cw_reallocarray(a->p, a->n + 1, sizeof(*a->p));
		p = &a->p[a->n++];
		memset(p, 0, sizeof(*p));
		copy(p->id, sizeof(p->id), st, 0);
		/* A new bucket unless this provider shares the previous one's group. */
		if (!has || !group || strcmp(group, cw_store_col_text(st, 1)) != 0) {
			a->b = cw_reallocarray(a->b, a->nb + 1, sizeof(*a->b));
			memset(&a->b[a->nb++], 0, sizeof(*a->b));
		}
		p->bucket = a->nb - 1;
		free(group);
		group = has ? cw_strdup(cw_store_col_text(st, 1)) : NULL;
	}
	free(group);
	cw_store_done(st);
	if (rc != CW_OK)
		return rc;
	if (a->n)
		qsort(a->p, a->n, sizeof(*a->p), by_id);
	return CW_OK;
}

static void on_case(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find(a, cw_store_col_text(st, 0));

	if (!p || p->case_id[0])     /* not the provider's newest open case */
		return;
	copy(p->case_id, sizeof(p->case_id), st, 1);
	copy(p->stage, sizeof(p->stage), st, 2);
	p->f.escalated_set = cw_store_col_date(st, 3, &p->f.escalated);
	if (p->f.escalated_set)
		cw_date_format(p->f.escalated, p->escalated);
}

static void on_open_concern(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find(a, cw_store_col_text(st, 0));

	if (!p)
		return;
	p->f.regulator_open = cw_store_col_int(st, 2) != 0;
	copy(p->last_open, sizeof(p->last_open), st, 3);
	memcpy(p->open.last, p->last_open, sizeof(p->open.last));
	p->open.n = (int)cw_store_col_int(st, 4);
	p->open.max_score = (int)cw_store_col_int(st, 1);
	for (int k = 0; k < 4; k++)
		p->open.bands[k] = (int)cw_store_col_int(st, 5 + k);
	/* No score: only unrated rows, which would be damaged data. */
	if (cw_store_col_is_null(st, 1))
		return;
	p->computed = cw_rules_band(a->rules, (int)cw_store_col_int(st, 1));
	p->f.open_bands = &p->computed;
	p->f.nopen = 1;
	/* The computed level sets the review interval unless a meeting agreed one. */
	p->f.review_band = p->computed;
}

/* The band of each score, as the range of scores it covers: red first. */
static void band_ranges(const cw_rules *r, int lohi[8])
{
	static const cw_band order[] = { CW_BAND_RED, CW_BAND_AMBER, CW_BAND_YELLOW, CW_BAND_GREEN };
	int max = cw_rules_likelihood_max(r) * cw_rules_impact_max(r);

	for (int k = 0; k < 4; k++) {
		lohi[2 * k] = 0;
		lohi[2 * k + 1] = -1;
		for (int s = 1; s <= max; s++)
			if (cw_rules_band(r, s) == order[k]) {
				if (!lohi[2 * k])
					lohi[2 * k] = s;
				lohi[2 * k + 1] = s;
			}
	}
}

static int load_open(cw_db *db, cw_flags_all *a)
{
	cw_stmt *st = NULL;
	int lohi[8], rc, err;

	if ((err = cw_store_prepare(db, SQL_OPEN_CONCERNS, &st)) != CW_OK)
		return err;
	band_ranges(a->rules, lohi);
	for (int k = 0; k < 8; k++)
		cw_store_bind_int(st, k + 1, lohi[k]);
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		on_open_concern(a, st);
	cw_store_done(st);
	return rc;
}

static void on_repeated(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find(a, cw_store_col_text(st, 0));

	if (p)
		a->b[p->bucket].nrepeated += (size_t)cw_store_col_int(st, 1);
}

static void on_pova(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find(a, cw_store_col_text(st, 0));

	if (!p)
		return;
	p->pova_own = (int)cw_store_col_int(st, 1);
	a->b[p->bucket].npova += (size_t)cw_store_col_int(st, 2);
}

static void on_other_embargo(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find(a, cw_store_col_text(st, 0));

	if (p)
		p->f.other_commissioner_embargo = true;
}

static void on_rating(void *arg, const char *pid, const char *rating, cw_date published)
{
	struct prov *p = find(arg, pid);

	if (p)
		cw_ratings_set_fact(&p->f, rating, published);
}

static void on_overdue(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find_case(a, cw_store_col_text(st, 0));

	if (p)
		p->f.overdue_actions = (int)cw_store_col_int(st, 1);
}

static void on_letter(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find_case(a, cw_store_col_text(st, 0));

	if (p)
		p->f.provider_letter_pending = cw_store_col_int(st, 1) > 0;
}

/*
 * Meetings of the open cases, newest first per case: the PPMs since the
 * escalation (count, first, last) and the latest few (attendance; the
 * agreed level of the last one while it is newer than every open concern).
 */
static void on_meeting(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find_case(a, cw_store_col_text(st, 0));
	const char *date = cw_store_col_text(st, 1);
	cw_band agreed;

	if (!p)
		return;
	if (!p->f.escalated_set || (!cw_store_col_is_null(st, 4) &&
	    strcmp(cw_store_col_text(st, 4), p->escalated) >= 0)) {
		if (!p->nperiod++ || strcmp(date, p->first) < 0)
			snprintf(p->first, sizeof(p->first), "%s", date);
		if (p->nperiod == 1 || strcmp(date, p->last) > 0)
			snprintf(p->last, sizeof(p->last), "%s", date);
	}
	if (p->nmeetings >= (size_t)a->engage)
		return;
	if (p->nmeetings == 0 && !cw_store_col_is_null(st, 2) &&
	    strcmp(date, p->last_open) >= 0) {
		if (cw_band_parse(cw_store_col_text(st, 2), &agreed) == CW_OK)
			p->f.review_band = agreed;
		else
			cw_error_clear();
	}
	p->attended[p->nmeetings++] = cw_store_col_int(st, 3) != 0;
}

static void on_prompts(cw_flags_all *a, cw_stmt *st)
{
	struct prov *p = find_case(a, cw_store_col_text(st, 0));

	if (!p)
		return;
	p->f.no_health_board_attendee = cw_store_col_int(st, 1) != 0;
	p->f.pova_no_safeguarding = cw_store_col_int(st, 2) != 0;
	p->f.first_chair_not_contracts = cw_store_col_int(st, 3) != 0;
}

static void index_cases(cw_flags_all *a)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->p[i].case_id[0]) {
			a->cases = cw_reallocarray(a->cases, a->ncases + 1, sizeof(*a->cases));
			a->cases[a->ncases++] = &a->p[i];
		}
	if (a->ncases)
		qsort(a->cases, a->ncases, sizeof(*a->cases), by_case);
}

static void evaluate(cw_flags_all *a, const cw_rules *r, cw_date today)
{
	a->sets = cw_calloc(a->n ? a->n : 1, sizeof(*a->sets));
	for (size_t i = 0; i < a->n; i++) {
		struct prov *p = &a->p[i];
		struct bucket *b = &a->b[p->bucket];
		cw_flag_facts *f = &p->f;

		f->today = today;
		f->stage = p->case_id[0] ? p->stage : NULL;
		f->windows_counted = true;
		f->nrepeated_window = b->nrepeated;
		f->npova_window = b->npova;
		if (p->case_id[0]) {
			f->attended = p->attended;
			f->nattended = p->nmeetings;
			f->ppm_since_escalation = p->nperiod > 0 &&
				cw_date_valid(p->first) && cw_date_parse(p->first, &f->first_ppm) == CW_OK &&
				cw_date_valid(p->last) && cw_date_parse(p->last, &f->last_ppm) == CW_OK;
		}
		cw_flags_evaluate_with(f, r, &a->lim, &a->sets[i]);
	}
}

int cw_flags_all_load(cw_db *db, cw_flags_all **out)
{
	const cw_rules *r = cw_db_rules(db);
	cw_flags_all *a = cw_calloc(1, sizeof(*a));
	cw_date today = cw_db_today(db), from, pova_from;
	int err;

	*out = NULL;
	a->rules = r;
	cw_flag_limits_read(r, &a->lim);
	a->engage = a->lim.engage_meetings;
	if (a->engage < 1)
		a->engage = 1;
	from = cw_flags_window_start(today, a->lim.repeated_days);
	pova_from = cw_flags_window_start(today, a->lim.pova_days);
	if ((err = load_providers(db, a)) != CW_OK ||
	    (err = each_row(db, SQL_OPEN_CASES, NULL, NULL, on_case, a)) != CW_OK)
		goto fail;
	index_cases(a);
	for (size_t i = 0; i < a->n; i++)
		if (a->p[i].case_id[0])
			a->p[i].attended = cw_calloc((size_t)a->engage, sizeof(bool));
	if ((err = load_open(db, a)) != CW_OK ||
	    (err = each_row(db, SQL_REPEATED, &from, &today, on_repeated, a)) != CW_OK ||
	    (err = each_row(db, SQL_POVA, &pova_from, &today, on_pova, a)) != CW_OK ||
	    (err = each_row(db, SQL_OTHER_EMBARGO, &today, NULL, on_other_embargo, a)) != CW_OK ||
	    (err = each_row(db, SQL_OVERDUE, &today, NULL, on_overdue, a)) != CW_OK ||
	    (err = each_row(db, SQL_MEETINGS, NULL, NULL, on_meeting, a)) != CW_OK ||
	    (err = each_row(db, SQL_LETTERS, NULL, NULL, on_letter, a)) != CW_OK ||
	    (err = each_row(db, cw_flags_sql_prompts, NULL, NULL, on_prompts, a)) != CW_OK ||
	    (err = cw_ratings_latest_all(db, on_rating, a)) != CW_OK)
		goto fail;
	evaluate(a, r, today);
	*out = a;
	return CW_OK;
fail:
	cw_flags_all_free(a);
	return err;
}

const cw_flag_set *cw_flags_all_get(const cw_flags_all *a, const char *provider_id)
{
	const struct prov *p = find(a, provider_id);

	return p ? &a->sets[p - a->p] : NULL;
}

const cw_flags_open *cw_flags_all_open(const cw_flags_all *a, const char *provider_id)
{
	const struct prov *p = find(a, provider_id);

	return p ? &p->open : NULL;
}

int cw_flags_all_pova(const cw_flags_all *a, const char *provider_id)
{
	const struct prov *p = find(a, provider_id);

	return p ? p->pova_own : 0;
}

size_t cw_flags_all_count(const cw_flags_all *a)
{
	return a->n;
}

const char *cw_flags_all_id(const cw_flags_all *a, size_t i)
{
	return i < a->n ? a->p[i].id : NULL;
}

void cw_flags_all_free(cw_flags_all *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->p[i].attended);
	}
	free(a->p);
	free(a->cases);
	free(a->b);
	free(a->sets);
	free(a);
}
