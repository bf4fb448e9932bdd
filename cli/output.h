#ifndef CW_OUTPUT_H
#define CW_OUTPUT_H
/* The one place text, JSON and errors are printed. */
#include <jansson.h>
#include "cli.h"

typedef struct {
	const char *key;     /* key in each row object */
	const char *header;
	int max;             /* widest the column may be (longer text is cut with ~) */
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

/* Print `out` as JSON on stdout (exactly one value and a newline). */
void cw_print_json(const json_t *out);

/* Print the last error: one line on stderr and, with --json, the error object. */
void cw_print_error(const cw_cli *cli, int code);

#endif
