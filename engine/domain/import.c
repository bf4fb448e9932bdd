/*
 * Import runs each row through the same engine calls as `provider add` and
 * `concern log`, so an imported row obeys every rule a typed one does. Each
 * value is checked first with its column known, so the first bad value is
 * named by line and column; anything the engine then refuses is named by
 * line. The caller's transaction makes the whole file all or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "carewatch/import.h"
#include "carewatch/progress.h"
#include "carewatch/csv.h"
#include "carewatch/provider.h"
#include "carewatch/concern.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"

#define MAX_COLS 16
#define MAX_COMMISSIONERS 32

struct column {
	const char *name;
	bool required;
};

static const struct column provider_cols[] = {
	{ "name", true }, { "type", true }, { "regulator-id", false },
	{ "in-house", false }, { "group", false }, { "commissioner", false }, { NULL, false }
};

static const struct column concern_cols[] = {
	{ "provider", true }, { "source", true }, { "team", true },
	{ "likelihood", true }, { "impact", true }, { "summary", true },
	{ "category", false }, { "received", false }, { "pova-ref", false },
	{ "subject", false }, { NULL, false }
};

/* Where each known column sits in the file (-1: absent). */
struct layout {
	const struct column *cols;
	int at[MAX_COLS];
	const char *file;
	bool allow_duplicates;
};

static const char SQL_SAME_CONCERN[] =
	"SELECT ref FROM concerns WHERE provider_id = ?1 AND received = ?2 AND summary = ?3"
	" AND source = ?4 LIMIT 1";

bool cw_import_column(cw_import_kind kind, int i, const char **name, bool *required)
{
	const struct column *c = kind == CW_IMPORT_PROVIDERS ? provider_cols : concern_cols;
	int n;

	for (n = 0; c[n].name; n++)
		;
	if (i < 0 || i >= n)
		return false;
	*name = c[i].name;
	*required = c[i].required;
	return true;
}

/* A concern the database already holds: its reference in `ref` ("" if none). */
static int same_concern(cw_db *db, const char *provider_id, cw_date received,
	const char *summary, const char *source, char ref[32])
{
	cw_stmt *st = NULL;
	int rc;

	ref[0] = '\0';
	if ((rc = cw_store_prepare(db, SQL_SAME_CONCERN, &st)) != CW_OK)
		return rc;
	cw_store_bind_text(st, 1, provider_id);
	cw_store_bind_date(st, 2, received);
	cw_store_bind_text(st, 3, summary);
	cw_store_bind_text(st, 4, source);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		snprintf(ref, 32, "%s", cw_store_col_is_null(st, 0) ? "?" : cw_store_col_text(st, 0));
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

static int bad_as(int code, const struct layout *l, int line, int col, const char *msg)
{
	return cw_error(code, "%s: line %d, column %d (%s): %s", l->file, line,
		l->at[col] + 1, l->cols[col].name, msg);
}

static int bad(const struct layout *l, int line, int col, const char *msg)
{
	return bad_as(CW_EINVALID, l, line, col, msg);
}

static int read_header(struct layout *l, const cw_csv_record *h)
{
	size_t i;
	int c;

	for (c = 0; l->cols[c].name; c++)
		l->at[c] = -1;
	for (i = 0; i < h->nfields; i++) {
		for (c = 0; l->cols[c].name; c++)
			if (strcasecmp(h->fields[i], l->cols[c].name) == 0)
				break;
		if (!l->cols[c].name) {
			cw_buf known = CW_BUF_INIT;
			int err, k;

			for (k = 0; l->cols[k].name; k++)
				cw_buf_printf(&known, "%s%s", k ? ", " : "", l->cols[k].name);
			err = cw_error(CW_EINVALID, "%s: line %d, column %zu: unknown column '%.60s' (columns: %s)",
				l->file, h->line, i + 1, h->fields[i], cw_buf_cstr(&known));
			cw_buf_free(&known);
			return err;
		}
		if (l->at[c] >= 0)
			return cw_error(CW_EINVALID, "%s: line %d, column %zu: column '%s' appears twice",
				l->file, h->line, i + 1, l->cols[c].name);
		l->at[c] = (int)i;
	}
	for (c = 0; l->cols[c].name; c++)
		if (l->cols[c].required && l->at[c] < 0)
			return cw_error(CW_EINVALID, "%s: line %d: the header has no '%s' column",
				l->file, h->line, l->cols[c].name);
	return CW_OK;
}

/* The cell of column `c` in `rec`, or NULL when the column is absent or empty. */
static const char *cell(const struct layout *l, const cw_csv_record *rec, int c)
{
	const char *v;

	if (l->at[c] < 0)
		return NULL;
	v = rec->fields[l->at[c]];
	return *v ? v : NULL;
}

/* Check one cell; on failure, re-word the check's message with line and column. */
static int check_cell(const struct layout *l, const cw_csv_record *rec, int c, int err)
{
	char msg[1024];

	if (err == CW_OK)
		return CW_OK;
	snprintf(msg, sizeof(msg), "%s", cw_errmsg());
	return bad(l, rec->line, c, msg);
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "1", "y", NULL };
	static const char *const no[] = { "no", "false", "0", "n", NULL };
	int i;

	*out = false;
	if (!s)
		return CW_OK;
	for (i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return CW_OK;
		}
	for (i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return CW_OK;
	return cw_error(CW_EINVALID, "'%.40s' is not yes or no", s);
}

static int import_provider(cw_db *db, const struct layout *l, const cw_csv_record *rec,
	json_t **out)
{
	cw_provider_add_args a = { 0 };
	const char *comm[MAX_COMMISSIONERS];
	char *list = NULL, *save = NULL, *tok;
	char id[CW_ID_LEN];
	size_t n = 0;
	int err;

	a.name = cell(l, rec, 0);
	a.type = cell(l, rec, 1);
	a.regulator_id = cell(l, rec, 2);
	a.group = cell(l, rec, 4);
	if ((err = check_cell(l, rec, 0, cw_check_entity_name("provider name", a.name))) != CW_OK ||
	    (err = check_cell(l, rec, 1, cw_check_enum("provider type", a.type, cw_provider_types))) != CW_OK ||
	    (a.regulator_id && (err = check_cell(l, rec, 2, cw_check_name("regulator id", a.regulator_id))) != CW_OK) ||
	    (err = check_cell(l, rec, 3, parse_bool(cell(l, rec, 3), &a.in_house))) != CW_OK ||
	    (a.group && (err = check_cell(l, rec, 4, cw_check_name("provider group", a.group))) != CW_OK))
		return err;
	if (cell(l, rec, 5)) {
		list = cw_strdup(cell(l, rec, 5));
		for (tok = strtok_r(list, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
			while (*tok == ' ')
				tok++;
			if (n == MAX_COMMISSIONERS) {
				err = bad(l, rec->line, 5, "too many commissioners");
				goto done;
			}
			if ((err = check_cell(l, rec, 5, cw_lookup(db, CW_KIND_COMMISSIONER, tok, id))) != CW_OK)
				goto done;
			comm[n++] = tok;
		}
	}
	a.commissioners = comm;
	a.ncommissioners = n;
	if ((err = cw_provider_add_id(db, &a, id)) == CW_OK) {
		*out = json_pack("{s:s}", "id", id);
	} else {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", cw_errmsg());
		/* A duplicate is refused by a rule (exit 4), as on `provider add`. */
		err = err == CW_EREFUSED ? bad_as(CW_EREFUSED, l, rec->line, 0, msg)
			: cw_error(err == CW_EINTERNAL ? err : CW_EINVALID, "%s: line %d: %s",
				l->file, rec->line, msg);
	}
done:
	free(list);
	return err;
}

static int import_concern(cw_db *db, const struct layout *l, const cw_csv_record *rec,
	json_t **out)
{
	char new_id[CW_ID_LEN];
	const cw_rules *r = cw_db_rules(db);
	cw_concern_log_args a = { 0 };
	char id[CW_ID_LEN];
	const char *received;
	int err;

	a.provider = cell(l, rec, 0);
	a.source = cell(l, rec, 1);
	a.team = cell(l, rec, 2);
	a.summary = cell(l, rec, 5);
	a.category = cell(l, rec, 6);
	a.pova_ref = cell(l, rec, 8);
	a.subject_ref = cell(l, rec, 9);
	received = cell(l, rec, 7);
	if ((err = check_cell(l, rec, 0, cw_lookup(db, CW_KIND_PROVIDER, a.provider, id))) != CW_OK ||
	    (err = check_cell(l, rec, 1, cw_check_enum("source", a.source, cw_concern_sources))) != CW_OK ||
	    (err = check_cell(l, rec, 2, cw_check_enum("team", a.team, cw_concern_teams))) != CW_OK ||
	    (err = check_cell(l, rec, 3, cw_check_whole("likelihood", cell(l, rec, 3), &a.likelihood))) != CW_OK ||
	    (err = check_cell(l, rec, 3, cw_rules_check_likelihood(r, a.likelihood))) != CW_OK ||
	    (err = check_cell(l, rec, 4, cw_check_whole("impact", cell(l, rec, 4), &a.impact))) != CW_OK ||
	    (err = check_cell(l, rec, 4, cw_rules_check_impact(r, a.impact))) != CW_OK ||
	    (err = check_cell(l, rec, 5, cw_check_text("summary", a.summary, CW_TEXT_MAX, true))) != CW_OK)
		return err;
	if (received) {
		if ((err = check_cell(l, rec, 7, cw_date_parse(received, &a.received))) != CW_OK)
			return err;
		if (a.received > cw_db_today(db))
			return bad(l, rec->line, 7, "the date is in the future");
		a.received_given = true;
	}
	if (!l->allow_duplicates) {
		char ref[32];

		if ((err = same_concern(db, id, a.received_given ? a.received : cw_db_today(db),
				a.summary, a.source, ref)) != CW_OK)
			return err;
		if (ref[0])
			return cw_error(CW_EREFUSED, "%s: line %d: this concern is already in the"
				" database as %s (same provider, received date, summary and source);"
				" nothing was imported (allow_duplicates: imports it again)",
				l->file, rec->line, ref);
	}
	/* Only the id is kept, so the concern is not read back (issue 19). */
	if ((err = cw_concern_log_id(db, &a, new_id)) != CW_OK) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", cw_errmsg());
		return cw_error(err == CW_EINTERNAL ? err : CW_EINVALID, "%s: line %d: %s",
			l->file, rec->line, msg);
	}
	*out = json_pack("{s:s}", "id", new_id);
	return CW_OK;
}

int cw_import_csv(cw_db *db, cw_import_kind kind, const char *text, size_t len,
	const char *name, json_t **out)
{
	return cw_import_csv_ex(db, kind, text, len, name, false, out);
}

/* Beyond this many rows the result counts the ids rather than listing them,
 * so memory does not grow with the file. */
#define IDS_LISTED_MAX 1000

/* The state of one import, record by record (cw_csv_each). */
struct importing {
	cw_db *db;
	cw_import_kind kind;
	struct layout l;           /* l.file: the file's name, for messages */
	size_t header_fields;      /* 0 until the header is read */
	size_t seen, lines;        /* records after the header; lines in the file */
	long imported;
	json_t *ids;               /* the first IDS_LISTED_MAX */
};

static int import_record(const cw_csv_record *rec, void *arg)
{
	struct importing *im = arg;
	json_t *row = NULL;
	int err;

	if (!im->header_fields) {
		if ((err = read_header(&im->l, rec)) != CW_OK)
			return err;
		im->header_fields = rec->nfields;
		return CW_OK;
	}
	im->seen++;
	if (rec->nfields == 1 && !*rec->fields[0])
		return CW_OK;   /* a blank line */
	if (rec->nfields != im->header_fields)
		return cw_error(CW_EINVALID, "%s: line %d: %zu fields, but the header has %zu",
			im->l.file, rec->line, rec->nfields, im->header_fields);
	err = im->kind == CW_IMPORT_PROVIDERS ? import_provider(im->db, &im->l, rec, &row)
		: import_concern(im->db, &im->l, rec, &row);
	if (err != CW_OK)
		return err;
	if (++im->imported <= IDS_LISTED_MAX)
		json_array_append(im->ids, json_object_get(row, "id"));
	json_decref(row);
	/* The line count is a bound: a quoted field may hold line breaks. */
	if (im->seen % 100 == 0)
		cw_progress_report(im->seen, im->lines > im->seen ? im->lines : im->seen);
	return CW_OK;
}

/* Lines after the header, for the progress report. */
static size_t count_lines(const char *text, size_t len)
{
	size_t n = 0;

	for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p)));
	     p++)
		n++;
	if (len && text[len - 1] != '\n')
		n++;
	return n ? n - 1 : 0;
}

int cw_import_csv_ex(cw_db *db, cw_import_kind kind, const char *text, size_t len,
	const char *name, bool allow_duplicates, json_t **out)
{
	struct importing im = { .db = db, .kind = kind };
	const char *kind_name = kind == CW_IMPORT_PROVIDERS ? "providers" : "concerns";
	int err;

	im.l.file = name;
	im.l.allow_duplicates = allow_duplicates;
	/* Excel's "CSV UTF-8" starts with a byte-order mark. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	im.l.cols = kind == CW_IMPORT_PROVIDERS ? provider_cols : concern_cols;
	if ((err = cw_db_require(db, "import.run")) != CW_OK)
		return err;
	im.ids = json_array();
	im.lines = count_lines(text, len);
	/* The importer writes what the rows say, with the rights of their commands. */
	cw_store_grant(db, "provider.write,concern.write,concern.pova");
	err = cw_csv_each(text, len, name, import_record, &im);
	cw_store_grant(db, NULL);
	if (err == CW_OK && !im.header_fields)
		err = cw_error(CW_EINVALID, "%s: the file is empty (it needs a header row)", name);
	if (err != CW_OK)
		goto done;
	cw_progress_report(im.seen, im.seen);
	if ((err = cw_audit_append(db, "import", NULL, json_pack("{s:s,s:s,s:I}",
			"kind", kind_name, "file", name, "rows", (json_int_t)im.imported))) != CW_OK)
		goto done;
	*out = json_pack("{s:s,s:I}", "kind", kind_name, "imported", (json_int_t)im.imported);
	if (im.imported <= IDS_LISTED_MAX)
		json_object_set(*out, "ids", im.ids);
done:
	json_decref(im.ids);
	return err;
}
