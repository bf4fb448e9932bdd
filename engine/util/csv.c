#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "carewatch/csv.h"
#include "carewatch/error.h"

struct reader {
	cw_csv_record_fn fn;
	void *arg;
	int err;           /* the first error fn returned: parsing stops there */
	cw_csv_record cur;
	int line;          /* physical line being fed */
	int start;         /* line the current record started on */
};

/* A cell a spreadsheet would run as a formula (OWASP, CSV injection). */
static bool formula_lead(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

bool cw_csv_cell_neutralise(cw_buf *b, const char *s)
{
	if (!s || !formula_lead(*s))
		return false;
	cw_buf_putc(b, '\'');
	return true;
}

size_t cw_csv_cell_restore(const char *s, size_t len)
{
	return len >= 2 && s[0] == '\'' && formula_lead(s[1]) ? 1 : 0;
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	size_t skip = cw_csv_cell_restore(s, len);
	char *f = cw_malloc(len - skip + 1);

	len -= skip;
	if (len)
		memcpy(f, (const char *)s + skip, len);
	f[len] = '\0';
	if (r->cur.nfields == 0)
		r->cur.line = r->start;
	r->cur.fields = cw_reallocarray(r->cur.fields, r->cur.nfields + 1, sizeof(char *));
	r->cur.fields[r->cur.nfields++] = f;
}

static void free_record(cw_csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->nfields; i++)
		free(rec->fields[i]);
	free(rec->fields);
}

/* A whole record: hand it to fn, then let it go (so memory does not grow
 * with the file). After an error the rest of the records are dropped. */
static void on_record(int c, void *data)
{
	struct reader *r = data;

	(void)c;
	if (r->cur.nfields == 0)
		r->cur.line = r->start;
	if (r->err == CW_OK)
		r->err = r->fn(&r->cur, r->arg);
	free_record(&r->cur);
	memset(&r->cur, 0, sizeof(r->cur));
	r->start = r->line + 1;
}

int cw_csv_each(const char *text, size_t len, const char *name, cw_csv_record_fn fn, void *arg)
{
	struct csv_parser p;
	struct reader r = { fn, arg, CW_OK, { 0 }, 1, 1 };
	size_t off = 0;
	int err = CW_OK;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return cw_error(CW_EINTERNAL, "cannot start the CSV parser");
	/* libcsv grows a field 128 bytes at a time: a 2 MB field took 20 s under
	 * AddressSanitizer, whose realloc always copies. */
	csv_set_blk_size(&p, 64 * 1024);
	/* Feed one physical line at a time, so records and errors know their line. */
	while (off < len && r.err == CW_OK) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) + 1 : len - off;

		if (memchr(text + off, '\0', n)) {
			err = cw_error(CW_EINVALID, "%s: line %d: the file contains a NUL byte", name, r.line);
			goto done;
		}
		if (csv_parse(&p, text + off, n, on_field, on_record, &r) != n) {
			err = cw_error(CW_EINVALID, "%s: line %d: malformed CSV (%s)", name, r.line,
				csv_error(&p) == CSV_EPARSE ? "a quote out of place" : csv_strerror(csv_error(&p)));
			goto done;
		}
		off += n;
		if (nl)
			r.line++;
	}
	if (r.err == CW_OK && csv_fini(&p, on_field, on_record, &r) != 0) {
		err = cw_error(CW_EINVALID, "%s: line %d: malformed CSV (a quoted field is never closed)",
			name, r.cur.nfields ? r.cur.line : r.start);
		goto done;
	}
	err = r.err;
done:
	free_record(&r.cur);
	csv_free(&p);
	return err;
}

/* Each record kept, for cw_csv_parse. */
static int keep_record(const cw_csv_record *rec, void *arg)
{
	cw_csv_table *t = arg;
	cw_csv_record *k;

	t->rows = cw_reallocarray(t->rows, t->nrows + 1, sizeof(cw_csv_record));
	k = &t->rows[t->nrows++];
	k->line = rec->line;
	k->nfields = rec->nfields;
	k->fields = cw_calloc(rec->nfields ? rec->nfields : 1, sizeof(char *));
	for (size_t i = 0; i < rec->nfields; i++)
		k->fields[i] = cw_strdup(rec->fields[i]);
	return CW_OK;
}

int cw_csv_parse(const char *text, size_t len, const char *name, cw_csv_table **out)
{
	cw_csv_table *t = cw_calloc(1, sizeof(*t));
	int err;

	if ((err = cw_csv_each(text, len, name, keep_record, t)) != CW_OK) {
		cw_csv_free(t);
		return err;
	}
	*out = t;
	return CW_OK;
}

void cw_csv_free(cw_csv_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrows; i++)
		free_record(&t->rows[i]);
	free(t->rows);
	free(t);
}

void cw_csv_put_field(cw_buf *b, const char *s)
{
	cw_buf cell = CW_BUF_INIT;
	size_t cap, w;
	char *tmp;

	if (b->len && b->ptr[b->len - 1] != '\n')
		cw_buf_putc(b, ',');
	cw_csv_cell_neutralise(&cell, s);
	cw_buf_puts(&cell, s ? s : "");
	cap = 2 * cell.len + 3;
	tmp = cw_malloc(cap);
	w = csv_write(tmp, cap, cw_buf_cstr(&cell), cell.len);
	cw_buf_put(b, tmp, w);
	free(tmp);
	cw_buf_free(&cell);
}

void cw_csv_end_record(cw_buf *b)
{
	cw_buf_puts(b, "\r\n");
}
