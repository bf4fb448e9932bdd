/*
 * The CSV import path under arbitrary bytes (see checks.h): parse, write
 * back and parse again, then import into a scratch database whose
 * transaction is rolled back after every input.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <jansson.h>
#include "carewatch/csv.h"
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/import.h"
#include "carewatch/rules.h"
#include "store.h"
#include "checks.h"

#define CSV_NAME "fuzz.csv"

static cw_db *db;
static cw_rules *rules;
static char dir[64], path[96];

static void cleanup(void)
{
	char wal[128], shm[128];

	cw_db_close(db);
	cw_rules_free(rules);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(wal);
	unlink(shm);
	unlink(path);
	rmdir(dir);
}

/* One scratch database per process: an admin, a lead commissioner and two
 * providers, so concern rows can name a provider that exists. */
static bool scratch(void)
{
	static const char seed[] = "name,type,commissioner\n"
		"Elm House,care_home_nursing,County\nOak Lodge,domiciliary,\n";
	json_t *out = NULL;

	if (db)
		return true;
	snprintf(dir, sizeof(dir), "/tmp/cwfuzz-import-XXXXXX");
	if (!mkdtemp(dir))
		return false;
	snprintf(path, sizeof(path), "%s/fuzz.db", dir);
	if (cw_rules_load(&rules, NULL) != CW_OK ||
	    cw_db_open(&db, path, rules, cw_date_from_ymd(2026, 11, 22), true) != CW_OK)
		return false;
	atexit(cleanup);
	if (cw_db_begin(db, true) != CW_OK || cw_db_init(db, "admin") != CW_OK ||
	    sqlite3_exec(cw_store_handle(db), "INSERT INTO commissioners"
		" (id, name, name_key, kind, is_lead, created) VALUES"
		" ('c0000000-0000-4000-8000-000000000001', 'County', 'county',"
		" 'local_authority', 1, '2026-11-22')", NULL, NULL, NULL) != SQLITE_OK ||
	    cw_import_csv(db, CW_IMPORT_PROVIDERS, seed, strlen(seed), "seed.csv", &out) != CW_OK ||
	    cw_db_commit(db) != CW_OK)
		return false;
	json_decref(out);
	return true;
}

static long count(const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(cw_store_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static bool one_line_named(const char *msg)
{
	return msg && strncmp(msg, CSV_NAME, strlen(CSV_NAME)) == 0 && !strchr(msg, '\n');
}

/* What is parsed, written with cw_csv_put_field (which neutralises formula
 * cells) and parsed again reads the same, field for field. */
static const char *round_trip(const char *text, size_t len)
{
	cw_csv_table *a = NULL, *b = NULL;
	cw_buf w = CW_BUF_INIT;
	const char *msg = NULL;
	size_t r, f;

	if (cw_csv_parse(text, len, CSV_NAME, &a) != CW_OK) {
		if (cw_error_code() != CW_EINVALID || !one_line_named(cw_errmsg()))
			msg = "csv: a parse failure is not CW_EINVALID with one line naming the file";
		goto done;
	}
	for (r = 0; r < a->nrows; r++) {
		for (f = 0; f < a->rows[r].nfields; f++)
			cw_csv_put_field(&w, a->rows[r].fields[f]);
		if (a->rows[r].nfields == 0)
			cw_csv_put_field(&w, "");
		cw_csv_end_record(&w);
	}
	for (r = 0; r < a->nrows; r++)
		for (f = 0; f < a->rows[r].nfields; f++) {
			const char *s = a->rows[r].fields[f];
			cw_buf one = CW_BUF_INIT;
			bool quoted = cw_csv_cell_neutralise(&one, s);

			cw_buf_free(&one);
			if (quoted != (strchr("=+-@\t\r", s[0]) && s[0]))
				msg = "csv: a cell starting with = + - @ TAB CR is not neutralised (or another is)";
		}
	if (msg)
		goto done;
	if (cw_csv_parse(cw_buf_cstr(&w), w.len, CSV_NAME, &b) != CW_OK) {
		msg = "csv: what cw_csv_put_field wrote does not parse";
		goto done;
	}
	if (b->nrows != a->nrows) {
		msg = "csv: written and read again, the record count changed";
		goto done;
	}
	for (r = 0; r < a->nrows && !msg; r++) {
		size_t na = a->rows[r].nfields ? a->rows[r].nfields : 1;

		if (b->rows[r].nfields != na)
			msg = "csv: written and read again, a record's field count changed";
		for (f = 0; !msg && f < a->rows[r].nfields; f++)
			if (strcmp(a->rows[r].fields[f], b->rows[r].fields[f]) != 0)
				msg = "csv: written and read again, a field changed";
	}
done:
	cw_csv_free(a);
	cw_csv_free(b);
	cw_buf_free(&w);
	cw_error_clear();
	return msg;
}

const char *cw_fuzz_check_import(const uint8_t *data, size_t size)
{
	static const char *const tables[] = { "SELECT count(*) FROM providers",
		"SELECT count(*) FROM concerns", "SELECT count(*) FROM audit" };
	cw_import_kind kind;
	const char *text, *msg;
	json_t *out = NULL;
	long before[3], mid[3];
	size_t len, i;
	int err;

	if (size == 0)
		return NULL;
	kind = data[0] & 1 ? CW_IMPORT_CONCERNS : CW_IMPORT_PROVIDERS;
	text = (const char *)data + 1;
	len = size - 1;
	if ((msg = round_trip(text, len)))
		return msg;
	if (!scratch())
		return "import: the scratch database cannot be set up";
	for (i = 0; i < 3; i++)
		before[i] = count(tables[i]);
	if (cw_db_begin(db, true) != CW_OK)
		return "import: cannot begin a transaction";
	if (cw_db_set_actor(db, "admin") != CW_OK) {
		cw_db_rollback(db);
		return "import: cannot act as the admin";
	}
	err = cw_import_csv(db, kind, text, len, CSV_NAME, &out);
	for (i = 0; i < 3; i++)
		mid[i] = count(tables[i]);
	if (err == CW_OK) {
		json_int_t n = json_integer_value(json_object_get(out, "imported"));

		if (mid[kind == CW_IMPORT_CONCERNS ? 1 : 0] - before[kind == CW_IMPORT_CONCERNS ? 1 : 0] != n)
			msg = "import: 'imported' is not the number of rows added";
		else if (mid[2] - before[2] != n + 1)
			msg = "import: not one audit entry per row plus one for the import";
		else if (n <= 1000 && (size_t)n != json_array_size(json_object_get(out, "ids")))
			msg = "import: the ids listed are not the rows imported";
		else if (n > 1000 && json_object_get(out, "ids"))
			msg = "import: a large import lists its ids (memory would grow with the file)";
	} else if (err != CW_EINVALID && err != CW_EREFUSED && err != CW_ENOTFOUND) {
		msg = "import: a bad file fails with something other than invalid/refused/not found";
	} else if (!one_line_named(cw_errmsg())) {
		msg = "import: the refusal is not one line naming the file";
	}
	json_decref(out);
	cw_db_rollback(db);
	cw_db_clear_actor(db);
	for (i = 0; !msg && i < 3; i++)
		if (count(tables[i]) != before[i])
			msg = "import: rolled back, the database still changed";
	cw_error_clear();
	return msg;
}
