#ifndef CW_OUTPUT_H
#define CW_OUTPUT_H
/* The one place text, JSON and errors are printed. */
#include <jansson.h>
#include "cli.h"

typedef struct {
	const char *key;     /* key in each row object */
	const char *header;
	int max;             /* 0: never wrapped (references, ids, dates); else the
	                      * column wraps when the table is too wide, and this is
	                      * the width it is preferably not made narrower than */
} cw_col;
#define CW_COL_END { NULL, NULL, 0 }

/* Printers for cw_cli_result(): an object as aligned "key  value" lines
 * (print_arg: NULL-terminated key list, or NULL for every key), and an
 * array of objects as a table (print_arg: cw_col[]). */
void cw_print_object(cw_cli *cli, json_t *out);
/* Print stored text to a terminal: controls, bidirectional and zero-width
 * characters shown as \u{XXXX}; a line break continues `indent` columns in. */
void cw_print_term(FILE *f, const char *s, int indent);
/* The same escaping as a new string (line breaks kept as LF); free() it. */
char *cw_term_text(const char *s);
void cw_print_table(cw_cli *cli, json_t *out);

/* Columns a table may use: $COLUMNS when set, else the terminal's width,
 * else (not a terminal) 100; less one, as a terminal wraps a line that
 * fills its last column. */
int cw_term_width(void);

/* Called after each row of cw_print_rows(), to print lines under it. */
typedef void (*cw_row_after)(const json_t *row, int width, void *arg);

/*
 * The one table layout every list uses: `rows` under `cols`, fitted to
 * `width` columns by wrapping the text columns (the one furthest over its
 * preferred width first) -- nothing is cut, so every name, summary and id
 * can be found whole in the output (its wrapped lines joined).
 */
void cw_print_rows(const json_t *rows, const cw_col *cols, int width, cw_row_after after,
	void *arg);

/*
 * The same layout over cells a caller makes: cell(arg, r, c) is the text of
 * row r, column c (malloc'd, escaped for the terminal; freed here); after,
 * if given, runs after each row. For lists that are not JSON (the watch
 * list's typed rows).
 */
typedef char *(*cw_cell_text)(void *arg, size_t row, int col);
typedef void (*cw_row_after_at)(void *arg, size_t row, int width);
void cw_print_cells(size_t nrows, const cw_col *cols, int width, cw_cell_text cell,
	cw_row_after_at after, void *arg);

/* Print `out` as JSON on stdout (exactly one value and a newline). */
void cw_print_json(const json_t *out);

/* Print the last error: one line on stderr and, with --json, the error object. */
void cw_print_error(const cw_cli *cli, int code);

#endif
