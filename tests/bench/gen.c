/*
 * The generated world: a lead council, a health board and a neighbouring
 * council; providers of every type, a third of them in provider groups;
 * years of concerns with the mix of sources, teams and ratings a
 * safeguarding and contracts team sees, most resolved and a minority
 * (mostly recent) open, written with raw prepared statements into the real
 * schema; the casework on top is made through the library (gen_cases.c).
 *
 * Everything is a function of (seed, stream, index), so a provider or a
 * concern is the same whichever phase asks for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "fold.h"
#include "bench.h"

uint64_t rng_next(bench_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

bench_rng rng_for(uint64_t seed, uint32_t stream, uint64_t index)
{
	bench_rng r = { seed * 0xd1342543de82ef95ULL ^ ((uint64_t)stream << 40) ^ index };

	r.s = rng_next(&r);
	return r;
}

double rng_unit(bench_rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

long rng_below(bench_rng *r, long n)
{
	return n <= 0 ? 0 : (long)(rng_next(r) % (uint64_t)n);
}

int rng_weighted(bench_rng *r, const int *w, int n)
{
	int i, total = 0;
	long x;

	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

void rng_uuid(bench_rng *r, char out[CW_ID_LEN])
{
	uint64_t a = rng_next(r), b = rng_next(r);
	uuid_t u;
	int i;

	for (i = 0; i < 8; i++) {
		u[i] = (unsigned char)(a >> (8 * i));
		u[8 + i] = (unsigned char)(b >> (8 * i));
	}
	u[6] = (u[6] & 0x0f) | 0x40;   /* version 4 layout, like the engine's ids */
	u[8] = (u[8] & 0x3f) | 0x80;
	uuid_unparse_lower(u, out);
}

long world_span_days(long providers, long concerns)
{
	double years = (double)concerns / ((double)providers * 25.6);
	long days = (long)(years * 365.0);

	return days < 365 ? 365 : days;
}

/* ---- providers --------------------------------------------------------- */

static const char *const place[] = {
	"Oak", "Elm", "Ash", "Beech", "Willow", "Rowan", "Hazel", "Cedar", "Maple",
	"Birch", "Holly", "Laurel", "Meadow", "Brook", "River", "Hill", "Valley",
	"Park", "Church", "Castle", "Abbey", "Priory", "Mill", "Bridge", "Orchard",
	"Fern", "Heather", "Primrose", "Bluebell", "Clover", "Sunny", "Green"
};
static const char *const place2[] = {
	"field", "wood", "side", "view", "bank", "lea", "mead", "gate", "hurst",
	"ton", "worth", "ford"
};
static const char *const welsh[] = { "Derw", "Gwyn", "Celyn", "Onnen", "Afon", "Bryn" };
static const char *const home_kind[] = {
	"House", "Lodge", "Court", "Manor", "Grange", "Nursing Home", "Care Home"
};
static const char *const types[] = {
	"care_home_residential", "care_home_nursing", "domiciliary", "supported_living",
	"day_service", "other"
};
static const int type_w[] = { 35, 20, 30, 10, 3, 2 };
static const char *const group_names[] = {
	"Abbeyfield", "Hartwell", "Brightwater", "Kingsley", "Ashdown", "Meridian",
	"Larchwood", "Penrose", "Sterling", "Caldwell"
};

struct provider_row {
	char id[CW_ID_LEN];
	char name[96];
	const char *type;
	char regulator_id[24];
	bool has_regulator, in_house, health, other_la;
	char group[64];
};

static void provider_row(const struct world *w, long i, struct provider_row *p)
{
	bench_rng r = rng_for(w->seed, STREAM_PROVIDER, (uint64_t)i);
	int t;

	memset(p, 0, sizeof(*p));
	rng_uuid(&r, p->id);
	t = rng_weighted(&r, type_w, 6);
	p->type = types[t];
	if (rng_unit(&r) < 0.02)
		snprintf(p->name, sizeof(p->name), "T\xc5\xb7 %s %05ld",
			welsh[rng_below(&r, 6)], i + 1);
	else if (t <= 1)
		snprintf(p->name, sizeof(p->name), "%s%s %s %05ld", place[rng_below(&r, 32)],
			place2[rng_below(&r, 12)], home_kind[rng_below(&r, 7)], i + 1);
	else
		snprintf(p->name, sizeof(p->name), "%s%s %s %05ld", place[rng_below(&r, 32)],
			place2[rng_below(&r, 12)],
			t == 2 ? "Home Care" : t == 3 ? "Supported Living" : t == 4 ? "Day Centre"
			: "Care Services", i + 1);
	p->has_regulator = rng_unit(&r) < 0.9;
	snprintf(p->regulator_id, sizeof(p->regulator_id), "1-%010llu",
		(unsigned long long)(rng_next(&r) % 10000000000ULL));
	p->in_house = rng_unit(&r) < 0.04;
	p->health = t == 1 || rng_unit(&r) < 0.3;
	p->other_la = rng_unit(&r) < 0.15;
	if (rng_unit(&r) < 0.35) {
		long ngroups = w->providers / 12 < 3 ? 3 : w->providers / 12;
		long g = rng_below(&r, ngroups);

		snprintf(p->group, sizeof(p->group), "%s Care Group %03ld",
			group_names[g % 10], g + 1);
	}
}

void gen_provider_name(const struct world *w, long i, char *buf, size_t n)
{
	struct provider_row p;

	provider_row(w, i, &p);
	snprintf(buf, n, "%s", p.name);
}

void gen_provider_id(const struct world *w, long i, char out[CW_ID_LEN])
{
	bench_rng r = rng_for(w->seed, STREAM_PROVIDER, (uint64_t)i);

	rng_uuid(&r, out);
}

/* ---- concerns ---------------------------------------------------------- */

static const struct {
	const char *source;
	int weight;
	const char *team;   /* NULL: any team */
} sources[] = {
	{ "pova_referral", 32, "safeguarding" }, { "complaint", 16, NULL },
	{ "monitoring_visit", 12, "commissioning" }, { "care_manager", 10, "care_management" },
	{ "health_board", 8, "health" }, { "regulator", 5, "commissioning" },
	{ "service_user", 7, NULL }, { "whistleblower", 3, "safeguarding" },
	{ "other", 7, NULL },
};
static const char *const teams[] = {
	"commissioning", "safeguarding", "care_management", "supporting_people", "health", "other"
};
static const int team_w[] = { 35, 25, 20, 8, 10, 2 };
static const char *const categories[] = {
	"medication", "staffing", "records", "leadership", "environment", "nutrition",
	"pressure_care", "moving_handling", "infection_control"
};
static const char *const summaries[] = {
	"Medication administration records incomplete",
	"Night staffing below the assessed level",
	"Care plans not reviewed since admission",
	"Registered manager post vacant for three months",
	"Fire door propped open on the first floor",
	"Fluid charts not completed for residents at risk",
	"Grade 3 pressure ulcer not reported",
	"Hoist used without a second carer",
	"Infection control audit overdue",
	"Missed home care visits reported by family",
	"Unexplained bruising noted by district nurse",
	"Complaint about rough handling during personal care",
};
static const int like_w[] = { 25, 35, 28, 12 };
static const int impact_w[] = { 15, 35, 33, 17 };

/* Concerns cluster on some providers: a skewed index, scattered by a bijection. */
static long pick_provider(bench_rng *r, long providers)
{
	double u = rng_unit(r);
	long k = (long)((double)providers * u * u);

	if (k >= providers)
		k = providers - 1;
	return (long)(((unsigned long long)k * 2654435761ULL) % (unsigned long long)providers);
}

void gen_concern(const struct world *w, uint32_t stream, long i, cw_date base_day,
	long days, bool may_be_open, struct concern_row *c)
{
	bench_rng r = rng_for(w->seed, stream, (uint64_t)i);
	int s, k;
	long age;
	double p_open;

	memset(c, 0, sizeof(*c));
	rng_uuid(&r, c->id);
	c->provider = pick_provider(&r, w->providers);
	c->received = base_day - (cw_date)(rng_unit(&r) * (double)days);
	if (c->received > w->today)
		c->received = w->today;
	c->positive = rng_unit(&r) < 0.04;
	if (c->positive) {
		c->source = "other";
		c->team = teams[rng_weighted(&r, team_w, 6)];
		snprintf(c->summary, sizeof(c->summary),
			"Family praised the staff's care and communication");
	} else {
		int w8[9];

		for (k = 0; k < 9; k++)
			w8[k] = sources[k].weight;
		s = rng_weighted(&r, w8, 9);
		c->source = sources[s].source;
		c->team = sources[s].team ? sources[s].team : teams[rng_weighted(&r, team_w, 6)];
		k = (int)rng_below(&r, 10);
		c->category = k < 9 ? categories[k] : NULL;
		snprintf(c->summary, sizeof(c->summary), "%s",
			summaries[rng_below(&r, (long)(sizeof(summaries) / sizeof(summaries[0])))]);
		c->likelihood = 1 + rng_weighted(&r, like_w, 4);
		c->impact = 1 + rng_weighted(&r, impact_w, 4);
		if (strcmp(c->source, "pova_referral") == 0) {
			int y, m, d;

			cw_date_to_ymd(c->received, &y, &m, &d);
			snprintf(c->pova_ref, sizeof(c->pova_ref), "POVA-%04d-%07ld", y, i % 10000000);
			snprintf(c->subject_ref, sizeof(c->subject_ref), "SU-%08llx",
				(unsigned long long)(rng_next(&r) & 0xffffffffULL));
		}
	}
	age = w->today - c->received;
	p_open = !may_be_open ? 0.0 : age <= 90 ? 0.5 : age <= 365 ? 0.1 : 0.01;
	c->open = rng_unit(&r) < p_open;
	c->resolved = c->open ? 0 : c->received + 1 + (cw_date)rng_below(&r, 120);
	if (c->resolved > w->today)
		c->resolved = w->today;
}

/* ---- raw SQLite -------------------------------------------------------- */

int raw_open(const char *path, sqlite3 **out)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);

	if (rc != SQLITE_OK) {
		fprintf(stderr, "bench: cannot open %s: %s\n", path, sqlite3_errstr(rc));
		sqlite3_close(h);
		return -1;
	}
	/* The engine's pragmas (engine/storage/store.c). */
	sqlite3_busy_timeout(h, 10000);
	sqlite3_extended_result_codes(h, 1);
	raw_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
	*out = h;
	return 0;
}

void raw_exec(sqlite3 *h, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench: %s: %s\n", sql, msg ? msg : "?");
		exit(3);
	}
}

sqlite3_stmt *raw_prepare(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: cannot prepare %s: %s\n", sql, sqlite3_errmsg(h));
		exit(3);
	}
	return st;
}

static void step_done(sqlite3 *h, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench: %s: %s\n", sqlite3_sql(st), sqlite3_errmsg(h));
		exit(3);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_date(sqlite3_stmt *st, int i, cw_date d)
{
	char buf[CW_DATE_STRLEN];

	sqlite3_bind_text(st, i, cw_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

static void bind_fold(sqlite3_stmt *st, int i, const char *s)
{
	if (!s || !*s) {
		sqlite3_bind_null(st, i);
		return;
	}
	sqlite3_bind_text(st, i, cw_fold(s), -1, free);
}

static const char SQL_PROVIDER_INSERT[] =
	"INSERT INTO providers (id, name, name_key, type, regulator_id, in_house, grp, grp_key,"
	" status, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', ?9)";
static const char SQL_LINK_INSERT[] =
	"INSERT INTO provider_commissioners (provider_id, commissioner_id) VALUES (?1, ?2)";
static const char SQL_CONCERN_INSERT[] =
	"INSERT INTO concerns (id, provider_id, received, source, team, category, summary,"
	" likelihood, first_likelihood, impact, status, pova_ref, subject_ref, positive,"
	" logged_by, resolved, resolve_note, created)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?3)";
static const char SQL_RATING_INSERT[] =
	"INSERT INTO concern_ratings (concern_id, rated_on, actor, likelihood, impact, note)"
	" VALUES (?1, ?2, ?3, ?4, ?5, NULL)";

static void commissioner_id(sqlite3 *h, const char *name, char out[CW_ID_LEN])
{
	sqlite3_stmt *st = raw_prepare(h, "SELECT id FROM commissioners WHERE name_key = ?1");

	bind_fold(st, 1, name);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, CW_ID_LEN, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Fast settings for filling, which is set-up and not measured: the measured
 * phases reopen with the engine's own pragmas. */
static void fill_pragmas(sqlite3 *h)
{
	raw_exec(h, "PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;");
}

struct concern_writer {
	sqlite3 *h;
	sqlite3_stmt *concern, *rating;
	char (*pids)[CW_ID_LEN];
};

static void write_concern(struct concern_writer *cw, const struct concern_row *c)
{
	sqlite3_stmt *st = cw->concern;

	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cw->pids[c->provider], -1, SQLITE_STATIC);
	bind_date(st, 3, c->received);
	sqlite3_bind_text(st, 4, c->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->team, -1, SQLITE_STATIC);
	bind_text(st, 6, c->category);
	sqlite3_bind_text(st, 7, c->summary, -1, SQLITE_STATIC);
	if (c->positive) {
		sqlite3_bind_null(st, 8);
		sqlite3_bind_null(st, 9);
	} else {
		sqlite3_bind_int(st, 8, c->likelihood);
		sqlite3_bind_int(st, 9, c->impact);
	}
	sqlite3_bind_text(st, 10, c->open ? "open" : "resolved", -1, SQLITE_STATIC);
	bind_text(st, 11, c->pova_ref);
	bind_text(st, 12, c->subject_ref);
	sqlite3_bind_int(st, 13, c->positive);
	sqlite3_bind_text(st, 14, BENCH_USER, -1, SQLITE_STATIC);
	if (c->open) {
		sqlite3_bind_null(st, 15);
		sqlite3_bind_null(st, 16);
	} else {
		bind_date(st, 15, c->resolved);
		sqlite3_bind_text(st, 16, "Resolved after review", -1, SQLITE_STATIC);
	}
	step_done(cw->h, st);
	if (c->positive)
		return;
	st = cw->rating;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	bind_date(st, 2, c->received);
	sqlite3_bind_text(st, 3, BENCH_USER, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, c->likelihood);
	sqlite3_bind_int(st, 5, c->impact);
	step_done(cw->h, st);
}

static char (*all_provider_ids(const struct world *w))[CW_ID_LEN]
{
	char (*pids)[CW_ID_LEN] = calloc((size_t)w->providers, CW_ID_LEN);
	long i;

	for (i = 0; i < w->providers; i++)
		gen_provider_id(w, i, pids[i]);
	return pids;
}

#define FILL_BATCH 200000

/*
 * For a big fill, the secondary indexes of concerns and concern_ratings are
 * dropped and then created again from their own SQL (sorting once is far
 * quicker than millions of random inserts); the schema ends the same.
 */
struct saved_indexes {
	char *sql[16];
	int n;
};

static void drop_indexes(sqlite3 *h, struct saved_indexes *sv)
{
	sqlite3_stmt *st = raw_prepare(h, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
		" AND tbl_name IN ('concerns', 'concern_ratings') AND sql IS NOT NULL");
	char *names[16];
	int i, n = 0;

	sv->n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < 16) {
		names[n] = strdup((const char *)sqlite3_column_text(st, 0));
		sv->sql[n++] = strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		char drop[256];

		snprintf(drop, sizeof(drop), "DROP INDEX \"%s\"", names[i]);
		raw_exec(h, drop);
		free(names[i]);
	}
	sv->n = n;
}

static void restore_indexes(sqlite3 *h, struct saved_indexes *sv)
{
	int i;

	for (i = 0; i < sv->n; i++) {
		raw_exec(h, sv->sql[i]);
		free(sv->sql[i]);
	}
	sv->n = 0;
}

#define BIG_FILL 500000

int gen_fill_raw(const char *path, const struct world *w, struct gen_summary *s)
{
	struct concern_writer cw = { 0 };
	struct saved_indexes saved = { { NULL }, 0 };
	sqlite3_stmt *pst, *lst;
	char lead[CW_ID_LEN], health[CW_ID_LEN], other[CW_ID_LEN], created[CW_DATE_STRLEN];
	long i;

	if (raw_open(path, &cw.h) != 0)
		return -1;
	fill_pragmas(cw.h);
	commissioner_id(cw.h, BENCH_LEAD, lead);
	commissioner_id(cw.h, BENCH_HEALTH, health);
	commissioner_id(cw.h, BENCH_OTHER_LA, other);
	cw_date_format(w->today - (cw_date)w->span_days - 1, created);
	raw_exec(cw.h, "BEGIN");
	pst = raw_prepare(cw.h, SQL_PROVIDER_INSERT);
	lst = raw_prepare(cw.h, SQL_LINK_INSERT);
	cw.pids = all_provider_ids(w);
	for (i = 0; i < w->providers; i++) {
		struct provider_row p;

		provider_row(w, i, &p);
		sqlite3_bind_text(pst, 1, p.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(pst, 2, p.name, -1, SQLITE_STATIC);
		bind_fold(pst, 3, p.name);
		sqlite3_bind_text(pst, 4, p.type, -1, SQLITE_STATIC);
		bind_text(pst, 5, p.has_regulator ? p.regulator_id : NULL);
		sqlite3_bind_int(pst, 6, p.in_house);
		bind_text(pst, 7, p.group);
		bind_fold(pst, 8, p.group);
		sqlite3_bind_text(pst, 9, created, -1, SQLITE_STATIC);
		step_done(cw.h, pst);
		sqlite3_bind_text(lst, 1, p.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(lst, 2, lead, -1, SQLITE_STATIC);
		step_done(cw.h, lst);
		if (p.health) {
			sqlite3_bind_text(lst, 1, p.id, -1, SQLITE_STATIC);
			sqlite3_bind_text(lst, 2, health, -1, SQLITE_STATIC);
			step_done(cw.h, lst);
		}
		if (p.other_la) {
			sqlite3_bind_text(lst, 1, p.id, -1, SQLITE_STATIC);
			sqlite3_bind_text(lst, 2, other, -1, SQLITE_STATIC);
			step_done(cw.h, lst);
		}
	}
	sqlite3_finalize(pst);
	sqlite3_finalize(lst);
	s->providers = w->providers;
	{
		sqlite3_stmt *g = raw_prepare(cw.h,
			"SELECT count(DISTINCT grp_key) FROM providers WHERE grp_key IS NOT NULL");

		if (sqlite3_step(g) == SQLITE_ROW)
			s->groups = sqlite3_column_int(g, 0);
		sqlite3_finalize(g);
	}
	raw_exec(cw.h, "COMMIT");
	if (w->concerns >= BIG_FILL)
		drop_indexes(cw.h, &saved);
	raw_exec(cw.h, "BEGIN");
	cw.concern = raw_prepare(cw.h, SQL_CONCERN_INSERT);
	cw.rating = raw_prepare(cw.h, SQL_RATING_INSERT);
	for (i = 0; i < w->concerns; i++) {
		struct concern_row c;

		gen_concern(w, STREAM_CONCERN, i, w->today, w->span_days, true, &c);
		write_concern(&cw, &c);
		s->concerns++;
		s->open += c.open && !c.positive;
		s->positive += c.positive;
		s->pova += c.pova_ref[0] != '\0';
		if ((i + 1) % FILL_BATCH == 0) {
			raw_exec(cw.h, "COMMIT; BEGIN");
			if (w->concerns >= 1000000)
				fprintf(stderr, "  ... %ld of %ld concerns\n", i + 1, w->concerns);
		}
	}
	raw_exec(cw.h, "COMMIT");
	sqlite3_finalize(cw.concern);
	sqlite3_finalize(cw.rating);
	if (saved.n) {
		fprintf(stderr, "  ... indexing\n");
		restore_indexes(cw.h, &saved);
	}
	raw_exec(cw.h, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(cw.h);
	free(cw.pids);
	return 0;
}

int gen_history(const char *path, const struct world *w, long n, double *seconds)
{
	struct concern_writer cw = { 0 };
	struct saved_indexes saved = { { NULL }, 0 };
	double t0 = now_s();
	long i;

	if (raw_open(path, &cw.h) != 0)
		return -1;
	fill_pragmas(cw.h);
	if (n >= BIG_FILL)
		drop_indexes(cw.h, &saved);
	cw.pids = all_provider_ids(w);
	cw.concern = raw_prepare(cw.h, SQL_CONCERN_INSERT);
	cw.rating = raw_prepare(cw.h, SQL_RATING_INSERT);
	raw_exec(cw.h, "BEGIN");
	for (i = 0; i < n; i++) {
		struct concern_row c;

		/* Older years at the same rate: the system has simply run longer. */
		gen_concern(w, STREAM_HISTORY, i, w->today - (cw_date)w->span_days - 1,
			9 * w->span_days, false, &c);
		write_concern(&cw, &c);
		if ((i + 1) % FILL_BATCH == 0)
			raw_exec(cw.h, "COMMIT; BEGIN");
	}
	raw_exec(cw.h, "COMMIT");
	sqlite3_finalize(cw.concern);
	sqlite3_finalize(cw.rating);
	restore_indexes(cw.h, &saved);
	raw_exec(cw.h, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(cw.h);
	free(cw.pids);
	*seconds = now_s() - t0;
	return 0;
}

int gen_copy_db(const char *from, const char *to)
{
	sqlite3 *src, *dst = NULL;
	sqlite3_backup *b;
	int rc;

	if (raw_open(from, &src) != 0)
		return -1;
	rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK && (b = sqlite3_backup_init(dst, "main", src, "main"))) {
		sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
	}
	rc = sqlite3_errcode(dst);
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc == SQLITE_OK ? 0 : -1;
}

sqlite3_int64 gen_max_rowid(const char *path)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	sqlite3_int64 max = 0;

	if (raw_open(path, &h) != 0)
		return 0;
	st = raw_prepare(h, "SELECT max(rowid) FROM concerns");
	if (sqlite3_step(st) == SQLITE_ROW)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return max;
}

int gen_resolve_after(const char *path, sqlite3_int64 mark)
{
	sqlite3 *h;
	sqlite3_stmt *st;

	if (raw_open(path, &h) != 0)
		return -1;
	st = raw_prepare(h, "UPDATE concerns SET status = 'resolved', resolved = created,"
		" resolve_note = 'bench: resolved after the phase' WHERE rowid > ?1 AND status = 'open'");
	sqlite3_bind_int64(st, 1, mark);
	step_done(h, st);
	sqlite3_finalize(st);
	raw_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(h);
	return 0;
}

void gen_remove_db(const char *path)
{
	char p[600];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}
