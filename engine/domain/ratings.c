/*
 * The regulator's ratings (include/carewatch/ratings.h): reading the
 * published files, appending to each provider's rating history, and the
 * latest rating as a fact for the flag rules (rules/flags.c decides).
 *
 * The files are large (the CQC's covers every location in England, one
 * row per location, service group and key question), so providers are
 * matched from a sorted array of regulator ids read once, not a query per
 * row.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "carewatch/audit.h"
#include "carewatch/buf.h"
#include "carewatch/csv.h"
#include "carewatch/error.h"
#include "carewatch/ratings.h"
#include "ratings.h"
#include "store.h"

static const char SQL_REGULATED[] =
	"SELECT regulator_id, id FROM providers WHERE regulator_id IS NOT NULL AND regulator_id <> ''";
/* The unique index regulator_ratings_once keeps a re-import from adding a row. */
static const char SQL_RECORD[] =
	"INSERT OR IGNORE INTO regulator_ratings (provider_id, regulator, location_id, rating,"
	" published, imported, source, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_LATEST[] =
	"SELECT rating, published FROM regulator_ratings WHERE provider_id = ?1"
	" ORDER BY published DESC, id DESC LIMIT 1";
static const char SQL_LATEST_ALL[] =
	"SELECT provider_id, rating, published FROM regulator_ratings r"
	" WHERE id = (SELECT x.id FROM regulator_ratings x WHERE x.provider_id = r.provider_id"
	"  ORDER BY x.published DESC, x.id DESC LIMIT 1)";
static const char SQL_HISTORY[] =
	"SELECT regulator, location_id, rating, published, imported FROM regulator_ratings"
	" WHERE provider_id = ?1 ORDER BY published DESC, id DESC";

/* How far into the file the header may sit (the CQC's title block is four lines). */
#define HEADER_SEARCH 10
#define PROGRESS_EVERY 2000

enum col { C_ID, C_NAME, C_RATING, C_DATE, C_DOMAIN, C_GROUP, C_COUNT };

/* One published layout: the names each column goes by, in that file. */
struct layout_def {
	const char *regulator;
	const char *const *names[C_COUNT];
};

#define NAMES(...) (const char *const[]){ __VA_ARGS__, NULL }

static const struct layout_def layouts[] = {
	{ "CQC", {
		[C_ID] = NAMES("Location ID"),
		[C_NAME] = NAMES("Location Name"),
		[C_RATING] = NAMES("Latest Rating"),
		[C_DATE] = NAMES("Publication Date"),
		[C_DOMAIN] = NAMES("Domain", "Key Question"),
		[C_GROUP] = NAMES("Service / Population Group") } },
	{ "CQC", {
		[C_ID] = NAMES("Location ID"),
		[C_NAME] = NAMES("Location Name"),
		[C_RATING] = NAMES("Location Latest Overall Rating"),
		[C_DATE] = NAMES("Publication Date") } },
	{ "CIW", {
		[C_ID] = NAMES("Service ID", "URN", "Registration Number", "Service Reference"),
		[C_NAME] = NAMES("Service Name", "Name"),
		[C_RATING] = NAMES("Overall Rating", "Rating"),
		[C_DATE] = NAMES("Publication Date", "Report Published", "Date of Last Inspection") } },
};

struct layout {
	const struct layout_def *def;
	int at[C_COUNT];          /* field index, -1: absent */
	const char *header[C_COUNT];
	size_t nfields;
	const char *file;
};

/* A header cell without the byte-order mark or the blanks a spreadsheet leaves. */
static bool same_name(const char *cell, const char *name)
{
	size_t n;

	if ((unsigned char)cell[0] == 0xef && (unsigned char)cell[1] == 0xbb &&
	    (unsigned char)cell[2] == 0xbf)
		cell += 3;
	while (*cell == ' ')
		cell++;
	n = strlen(cell);
	while (n && cell[n - 1] == ' ')
		n--;
	return strlen(name) == n && strncasecmp(cell, name, n) == 0;
}

static bool try_layout(const struct layout_def *d, const cw_csv_record *h, struct layout *l)
{
	int c;

	for (c = 0; c < C_COUNT; c++) {
		l->at[c] = -1;
		for (size_t i = 0; d->names[c] && i < h->nfields && l->at[c] < 0; i++)
			for (const char *const *n = d->names[c]; *n; n++)
				if (same_name(h->fields[i], *n)) {
					l->at[c] = (int)i;
					l->header[c] = *n;
					break;
				}
	}
	l->def = d;
	l->nfields = h->nfields;
	return l->at[C_ID] >= 0 && l->at[C_RATING] >= 0 && l->at[C_DATE] >= 0;
}

static int find_header(const cw_csv_table *t, struct layout *l, size_t *row)
{
	for (size_t i = 0; i < t->nrows && i < HEADER_SEARCH; i++)
		for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++)
			if (try_layout(&layouts[k], &t->rows[i], l)) {
				*row = i;
				return CW_OK;
			}
	for (size_t i = 0; i < t->nrows && i < HEADER_SEARCH; i++)
		for (size_t f = 0; f < t->rows[i].nfields; f++)
			if (same_name(t->rows[i].fields[f], "CQC Location ID (for office use only)"))
				return cw_error(CW_EINVALID, "%s: line %d: this is the CQC care directory"
					" without ratings; use the care directory with ratings", l->file,
					t->rows[i].line);
	return cw_error(CW_EINVALID, "%s: no header found in the first %d lines: a ratings"
		" file needs a location id ('Location ID' for the CQC, 'Service ID' for CIW),"
		" a rating ('Latest Rating', 'Location Latest Overall Rating' or 'Overall Rating')"
		" and 'Publication Date'", l->file, HEADER_SEARCH);
}

/* The cell of column `c`, trimmed into `buf`; "" when the column is absent. */
static const char *cell(const struct layout *l, const cw_csv_record *rec, enum col c,
	char *buf, size_t size)
{
	const char *v;
	size_t n;

	if (l->at[c] < 0)
		return "";
	v = rec->fields[l->at[c]];
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

static int bad(const struct layout *l, const cw_csv_record *rec, enum col c, const char *fmt,
	const char *value)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, value);
	return cw_error_at("file", CW_EINVALID, "%s: line %d, column %d (%s): %s", l->file,
		rec->line, l->at[c] + 1, l->header[c], msg);
}

/* DD/MM/YYYY (the CQC's) or YYYY-MM-DD. */
static bool parse_date(const char *s, cw_date *out)
{
	int d, m, y, n = 0;
	char iso[CW_DATE_STRLEN];

	if (cw_date_parse(s, out) == CW_OK)
		return true;
	cw_error_clear();
	if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &n) != 3 || s[n] != '\0' || !isdigit((unsigned char)s[0]))
		return false;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
	if (y < 1900 || y > 9999 || cw_date_parse(iso, out) != CW_OK) {
		cw_error_clear();
		return false;
	}
	return true;
}

static bool no_rating(const char *r)
{
	static const char *const none[] = { "", "-", "Not rated", "Not applicable",
		"No rating", "Not yet rated", "Awaiting inspection", NULL };

	for (const char *const *n = none; *n; n++)
		if (strcasecmp(r, *n) == 0)
			return true;
	return false;
}

struct regulated {
	char *regulator_id;
	char id[CW_ID_LEN];
};

static int by_regulator_id(const void *a, const void *b)
{
	return strcasecmp(((const struct regulated *)a)->regulator_id,
		((const struct regulated *)b)->regulator_id);
}

struct importing {
	struct regulated *p;
	size_t np;
	int recorded, unchanged, unrated, matched;
	json_t *unmatched;
	json_t *seen;             /* location ids already listed as unmatched */
};

static int load_regulated(cw_db *db, struct importing *im)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_REGULATED, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct regulated *r;

		im->p = cw_reallocarray(im->p, im->np + 1, sizeof(*im->p));
		r = &im->p[im->np++];
		r->regulator_id = cw_strdup(cw_store_col_text(st, 0));
		snprintf(r->id, sizeof(r->id), "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (im->np)
		qsort(im->p, im->np, sizeof(*im->p), by_regulator_id);
	return rc;
}

static int record(cw_db *db, const struct layout *l, const char *pid, const char *loc,
	const char *rating, cw_date published, struct importing *im)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_RECORD, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_text(st, 2, l->def->regulator);
	cw_store_bind_text(st, 3, loc);
	cw_store_bind_text(st, 4, rating);
	cw_store_bind_date(st, 5, published);
	cw_store_bind_date(st, 6, cw_db_today(db));
	cw_store_bind_text(st, 7, l->file);
	cw_store_bind_text(st, 8, cw_db_actor(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		return err;
	if (cw_store_changes(db) > 0)
		im->recorded++;
	else
		im->unchanged++;
	return CW_OK;
}

static int import_row(cw_db *db, const struct layout *l, const cw_csv_record *rec,
	struct importing *im)
{
	char loc[128], rating[64], date[64], name[256], v[64];
	struct regulated key, *hit;
	cw_date published;
	int err;

	if (rec->nfields == 1 && !*rec->fields[0])
		return CW_OK;   /* a blank line */
	if (rec->nfields != l->nfields)
		return cw_error_at("file", CW_EINVALID, "%s: line %d: %zu fields, but the header has %zu",
			l->file, rec->line, rec->nfields, l->nfields);
	/* The ratings file breaks each location down by service and key question. */
	if ((l->at[C_DOMAIN] >= 0 && strcasecmp(cell(l, rec, C_DOMAIN, v, sizeof(v)), "Overall")) ||
	    (l->at[C_GROUP] >= 0 && strcasecmp(cell(l, rec, C_GROUP, v, sizeof(v)), "Overall")))
		return CW_OK;
	cell(l, rec, C_ID, loc, sizeof(loc));
	cell(l, rec, C_RATING, rating, sizeof(rating));
	cell(l, rec, C_DATE, date, sizeof(date));
	if (!*loc)
		return bad(l, rec, C_ID, "%sthe location id is empty", "");
	if (no_rating(rating)) {
		im->unrated++;
		return CW_OK;
	}
	if (!parse_date(date, &published))
		return bad(l, rec, C_DATE, "'%.40s' is not a date (DD/MM/YYYY or YYYY-MM-DD)", date);
	if (published > cw_db_today(db))
		return bad(l, rec, C_DATE, "%.40s is after today", date);
	key.regulator_id = loc;
	hit = im->np ? bsearch(&key, im->p, im->np, sizeof(*im->p), by_regulator_id) : NULL;
	if (!hit) {
		if (!json_object_get(im->seen, loc)) {
			json_object_set_new(im->seen, loc, json_true());
			json_array_append_new(im->unmatched, json_pack("{s:s,s:s}", "location_id", loc,
				"name", cell(l, rec, C_NAME, name, sizeof(name))));
		}
		return CW_OK;
	}
	/* Several providers may share a regulated location: each gets the rating. */
	while (hit > im->p && by_regulator_id(hit - 1, &key) == 0)
		hit--;
	im->matched++;
	for (; hit < im->p + im->np && by_regulator_id(hit, &key) == 0; hit++)
		if ((err = record(db, l, hit->id, loc, rating, published, im)) != CW_OK)
			return err;
	return CW_OK;
}

int cw_ratings_import(cw_db *db, const char *text, size_t len, const char *name,
	json_t **out)
{
	struct importing im = { 0 };
	struct layout l = { 0 };
	cw_csv_table *t = NULL;
	size_t i, hdr = 0;
	int err;

	l.file = name;
	im.unmatched = json_array();
	im.seen = json_object();
	if ((err = cw_db_require(db, "import.run")) != CW_OK ||
	    (err = cw_csv_parse(text, len, name, &t)) != CW_OK)
		goto done;
	if ((err = find_header(t, &l, &hdr)) != CW_OK ||
	    (err = load_regulated(db, &im)) != CW_OK)
		goto done;
	for (i = hdr + 1; i < t->nrows; i++) {
		if ((err = import_row(db, &l, &t->rows[i], &im)) != CW_OK)
			goto done;
		if ((i - hdr) % PROGRESS_EVERY == 0)
			cw_progress_report(i - hdr, t->nrows - hdr - 1);
	}
	cw_progress_report(t->nrows - hdr - 1, t->nrows - hdr - 1);
	if ((err = cw_audit_append(db, "import.ratings", NULL, json_pack("{s:s,s:s,s:i,s:i,s:i}",
			"file", name, "regulator", l.def->regulator, "recorded", im.recorded,
			"matched", im.matched, "unmatched", (int)json_array_size(im.unmatched)))) != CW_OK)
		goto done;
	*out = json_pack("{s:s,s:s,s:s,s:I,s:i,s:i,s:i,s:i,s:I,s:O}", "kind", "ratings",
		"regulator", l.def->regulator, "file", name, "rows", (json_int_t)(t->nrows - hdr - 1),
		"recorded", im.recorded, "unchanged", im.unchanged, "unrated", im.unrated,
		"matched", im.matched, "unmatched_count", (json_int_t)json_array_size(im.unmatched),
		"unmatched", im.unmatched);
done:
	for (i = 0; i < im.np; i++)
		free(im.p[i].regulator_id);
	free(im.p);
	json_decref(im.unmatched);
	json_decref(im.seen);
	cw_csv_free(t);
	return err;
}

int cw_ratings_history(cw_db *db, const char *provider_id, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *list = json_array();
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_HISTORY, &st)) != CW_OK) {
		json_decref(list);
		return err;
	}
	cw_store_bind_text(st, 1, provider_id);
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:s}",
			"regulator", cw_store_col_text(st, 0), "location_id", cw_store_col_text(st, 1),
			"rating", cw_store_col_text(st, 2), "published", cw_store_col_text(st, 3),
			"imported", cw_store_col_text(st, 4)));
	cw_store_done(st);
	if (rc != CW_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return CW_OK;
}

void cw_ratings_set_fact(cw_flag_facts *f, const char *rating, cw_date published)
{
	f->rating_set = true;
	snprintf(f->rating, sizeof(f->rating), "%s", rating);
	f->rating_published = published;
}

int cw_ratings_fact(cw_db *db, const char *provider_id, cw_flag_facts *f)
{
	cw_stmt *st = NULL;
	cw_date d;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_LATEST, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, provider_id);
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		if (cw_store_col_date(st, 1, &d))
			cw_ratings_set_fact(f, cw_store_col_text(st, 0), d);
		rc = CW_OK;
	}
	cw_store_done(st);
	return rc;
}

int cw_ratings_latest_all(cw_db *db, cw_ratings_each_fn fn, void *arg)
{
	cw_stmt *st = NULL;
	cw_date d;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_LATEST_ALL, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		if (cw_store_col_date(st, 2, &d))
			fn(arg, cw_store_col_text(st, 0), cw_store_col_text(st, 1), d);
	cw_store_done(st);
	return rc;
}
