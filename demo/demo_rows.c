/*
 * The demo's providers and concerns, read from the CSV files built into the
 * program (demo/data/, embedded like config/): rows of data in the order the
 * demo makes them, so the same "today" still gives the same ids.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "carewatch/error.h"
#include "embedded.h"
#include "demo_internal.h"

extern const cw_embedded cw_demo_files[];

static const char *const provider_cols[] = { "name", "type", "regulator_id", "group",
	"in_house", "commissioners", NULL };
static const char *const concern_cols[] = { "provider", "days_ago", "source", "team",
	"category", "likelihood", "impact", "summary", "resolved", NULL };

/* demo/data/`path`, parsed: a header of `cols` and rows as wide. */
static int read_table(const char *path, const char *const *cols, cw_csv_table **out)
{
	const cw_embedded *e = cw_demo_files;
	size_t ncols = 0, i, k;
	int err;

	while (e->path && strcmp(e->path, path) != 0)
		e++;
	if (!e->path)
		return cw_error(CW_EINTERNAL, "demo/data/%s is not built in", path);
	if ((err = cw_csv_parse(e->data, e->len, path, out)) != CW_OK)
		return err;
	while (cols[ncols])
		ncols++;
	if ((*out)->nrows < 2)
		return cw_error(CW_EINTERNAL, "demo/data/%s has no rows", path);
	for (i = 0; i < (*out)->nrows; i++) {
		const cw_csv_record *row = &(*out)->rows[i];
		bool ok = row->nfields == ncols;

		for (k = 0; ok && i == 0 && k < ncols; k++)
			ok = strcmp(row->fields[k], cols[k]) == 0;
		if (!ok)
			return cw_error(CW_EINTERNAL, "demo/data/%s: line %d: not the %zu columns"
				" %s, %s...", path, row->line, ncols, cols[0], cols[1]);
	}
	return CW_OK;
}

/* Field `k` of `row` as a whole number from 0 to 100000. */
static int whole(const cw_csv_record *row, size_t k, const char *path, int *out)
{
	const char *s = row->fields[k];
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 100000)
		return cw_error(CW_EINTERNAL, "demo/data/%s: line %d: '%.40s' is not a whole number",
			path, row->line, s);
	*out = (int)v;
	return CW_OK;
}

static const char *optional(const char *s)
{
	return *s ? s : NULL;
}

static int read_providers(struct demo_rows *r)
{
	const cw_csv_table *t = r->files[0];
	size_t i;
	int err = CW_OK;

	r->nproviders = t->nrows - 1;
	r->providers = cw_calloc(r->nproviders, sizeof(*r->providers));
	for (i = 0; i < r->nproviders && err == CW_OK; i++) {
		const cw_csv_record *row = &t->rows[i + 1];
		struct demo_provider *p = &r->providers[i];

		p->name = row->fields[0];
		p->type = row->fields[1];
		p->regulator_id = optional(row->fields[2]);
		p->group = optional(row->fields[3]);
		p->commissioners = row->fields[5];
		err = whole(row, 4, "providers.csv", &p->in_house);
	}
	return err;
}

static int read_concerns(struct demo_rows *r)
{
	const cw_csv_table *t = r->files[1];
	size_t i;
	int err = CW_OK;

	r->nconcerns = t->nrows - 1;
	r->concerns = cw_calloc(r->nconcerns, sizeof(*r->concerns));
	for (i = 0; i < r->nconcerns && err == CW_OK; i++) {
		const cw_csv_record *row = &t->rows[i + 1];
		struct demo_concern *c = &r->concerns[i];

		c->provider = row->fields[0];
		c->source = row->fields[2];
		c->team = row->fields[3];
		c->category = row->fields[4];
		c->summary = row->fields[7];
		if ((err = whole(row, 1, "concerns.csv", &c->days_ago)) == CW_OK &&
		    (err = whole(row, 5, "concerns.csv", &c->likelihood)) == CW_OK &&
		    (err = whole(row, 6, "concerns.csv", &c->impact)) == CW_OK)
			err = whole(row, 8, "concerns.csv", &c->resolved);
	}
	return err;
}

int demo_rows_load(struct demo_rows *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	if ((err = read_table("providers.csv", provider_cols, &r->files[0])) != CW_OK ||
	    (err = read_table("concerns.csv", concern_cols, &r->files[1])) != CW_OK ||
	    (err = read_providers(r)) != CW_OK)
		return err;
	return read_concerns(r);
}

void demo_rows_free(struct demo_rows *r)
{
	cw_csv_free(r->files[0]);
	cw_csv_free(r->files[1]);
	free(r->providers);
	free(r->concerns);
	memset(r, 0, sizeof(*r));
}
