#ifndef CW_IMPORT_H
#define CW_IMPORT_H
/*
 * Import from a council's monitoring spreadsheet saved as CSV. The header
 * row names the columns, which are those of `provider add` and `concern log`
 * (providers: name, type, regulator-id, in-house, group, commissioner —
 * several commissioners separated by ';'; concerns: provider, source, team,
 * likelihood, impact, summary, category, received, pova-ref, subject).
 * All or nothing: the first bad value is CW_EINVALID naming its line and
 * column, and the caller rolls the transaction back. Needs "import.run".
 * A UTF-8 byte-order mark (Excel's "CSV UTF-8") is skipped; dates may be
 * YYYY-MM-DD or DD/MM/YYYY. A concern already in the database (same
 * provider, received date, summary and source) is refused (CW_EREFUSED,
 * naming its line) unless duplicates are allowed: the same file imported
 * twice is a mistake far more often than not.
 */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"

typedef enum { CW_IMPORT_PROVIDERS, CW_IMPORT_CONCERNS } cw_import_kind;

/*
 * `name` (the file name) is used in messages. The text is read record by
 * record (cw_csv_each), each row written as it is read; a bad row or bad
 * CSV anywhere fails the whole file. *out: {"kind", "imported": N, "ids":
 * [...]}, with "ids" only when N is at most 1,000 (beyond, memory would
 * grow with the file).
 */
int cw_import_csv(cw_db *db, cw_import_kind kind, const char *text, size_t len,
	const char *name, json_t **out);
/* The same, saying whether rows already in the database may come in again. */
int cw_import_csv_ex(cw_db *db, cw_import_kind kind, const char *text, size_t len,
	const char *name, bool allow_duplicates, json_t **out);

/* The columns of a kind's file, i from 0; false past the last. */
bool cw_import_column(cw_import_kind kind, int i, const char **name, bool *required);

#endif
