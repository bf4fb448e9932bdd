#ifndef CW_XLSX_H
#define CW_XLSX_H
/*
 * Excel workbooks (SPEC §13) written with libxlsxwriter from the engine's
 * JSON rows: a bold header row, frozen, with an autofilter; dates as real
 * dates, whole numbers as numbers, yes/no as words; a band as a cell fill
 * that keeps its word (colour is never the only signal); columns sized to
 * their content. Every text is written as a string, never as a formula, so
 * a value that starts with = + - @ cannot run in a spreadsheet.
 */
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/export.h"

typedef struct {
	const char *key;      /* key in each row object */
	const char *header;   /* NULL or "": the key in words ("next_review" -> "Next review") */
} cw_xlsx_col;

typedef struct {
	const char *name;         /* the sheet's tab (at most 31 characters) */
	const cw_xlsx_col *cols;  /* ends with a NULL key; NULL: the first row's keys */
	const json_t *rows;       /* an array of objects */
} cw_xlsx_sheet;

/*
 * Write the sheets to a new workbook at `path` (replaced if it exists).
 * Numbers are numbers, YYYY-MM-DD strings dates, other values in the
 * words of the CSV export (cw_export_value_text); a column whose key names
 * a band ("band", "computed_band") gets the band's fill. CW_EINVALID when
 * `path` cannot be created (a missing directory, no permission);
 * CW_EINTERNAL naming the file when it cannot be written.
 */
int cw_xlsx_write(const char *path, const cw_xlsx_sheet *sheets, size_t nsheets);

/*
 * The rows of an export (carewatch/export.h: the watch list, concerns,
 * cases, action items) as a one-sheet workbook at `path`, with the columns
 * its CSV carries. Read-only. *out is {file, sheet, rows}.
 */
int cw_xlsx_export(cw_db *db, cw_export_kind kind, const char *path, json_t **out);

/*
 * The action plan of a case (as `document action-plan` prints it) as a
 * workbook at `path`, a sheet per section: the plan's facts, its items,
 * their evidence and their extensions. Read-only. CW_ENOTFOUND for an
 * unknown case. *out is {document, case_id, provider, file, sheets}.
 */
int cw_xlsx_action_plan(cw_db *db, const char *case_ref, const char *path, json_t **out);

#endif
