#ifndef CW_CSV_H
#define CW_CSV_H
/*
 * CSV (RFC 4180) through libcsv: one strict reader shared by import and the
 * tests, and a field writer for exports. Records know the line they start
 * on, so errors can name "line 3, column 2".
 */
#include <stdbool.h>
#include <stddef.h>
#include "carewatch/buf.h"

typedef struct {
	char **fields;
	size_t nfields;
	int line;          /* physical line the record starts on (1-based) */
} cw_csv_record;

typedef struct {
	cw_csv_record *rows;
	size_t nrows;
} cw_csv_table;

/*
 * Parse `len` bytes of CSV. Malformed input (an unbalanced quote, a stray
 * quote inside a field) is CW_EINVALID naming the line; `name` is used in
 * messages (the file name).
 */
int cw_csv_parse(const char *text, size_t len, const char *name, cw_csv_table **out);

/*
 * The same reading, one record at a time: fn sees each record (borrowed,
 * gone after the call), so memory does not grow with the file. The first
 * error fn returns stops the reading and is returned.
 */
typedef int (*cw_csv_record_fn)(const cw_csv_record *rec, void *arg);
int cw_csv_each(const char *text, size_t len, const char *name, cw_csv_record_fn fn, void *arg);
void cw_csv_free(cw_csv_table *t);

/*
 * Spreadsheet safety (OWASP "CSV injection"): a cell that starts with '=',
 * '+', '-', '@', tab or carriage return would be run as a formula, so every
 * writer of cells for spreadsheets (CSV here, any later Excel writer) calls
 * cw_csv_cell_neutralise first: it appends a single quote to `b` when `s`
 * needs one (true) and nothing otherwise. The reader undoes exactly that:
 * cw_csv_cell_restore says how many bytes to drop from the front of a cell
 * (1 when it is a quote followed by one of those characters, else 0), and
 * cw_csv_parse applies it, so an exported file imports unchanged.
 */
bool cw_csv_cell_neutralise(cw_buf *b, const char *s);
size_t cw_csv_cell_restore(const char *s, size_t len);

/* Append one field, neutralised as above, then quoted as RFC 4180 requires
 * (always quoted). */
void cw_csv_put_field(cw_buf *b, const char *s);
/* Append the record separator (CRLF). */
void cw_csv_end_record(cw_buf *b);

#endif
