#ifndef CW_EXPORT_H
#define CW_EXPORT_H
/*
 * What carewatch gives partners and spreadsheets: every concern, case or
 * action item (and the watch list) as rows of the SPEC §8 entities, built
 * by the engine's getters (so confidential references stay redacted), with
 * the column set each CSV export carries.
 */
#include <jansson.h>
#include "carewatch/db.h"

typedef enum {
	CW_EXPORT_CONCERNS,
	CW_EXPORT_CASES,
	CW_EXPORT_ACTIONS,
	CW_EXPORT_WATCHLIST
} cw_export_kind;

/* "concerns", "cases", "actions": what `export` offers (NULL-terminated). */
extern const char *const cw_export_kinds[];
/* CW_EINVALID naming the choices for anything else. */
int cw_export_parse(const char *s, cw_export_kind *out);

/* The rows: a JSON array of entities, oldest case first for actions. */
int cw_export_rows(cw_db *db, cw_export_kind kind, json_t **out);

/* The keys a CSV export of `kind` carries, in order (NULL-terminated). */
const char *const *cw_export_columns(cw_export_kind kind);

/* `rows` as CSV (RFC 4180) with a header of `keys`: null is an empty cell,
 * a list is its items joined with ", ". A new string (free() it). */
char *cw_export_csv(const json_t *rows, const char *const *keys);

/* A value in words for a cell: strings as they are, true/false as yes/no,
 * lists joined with ", ", objects as compact JSON. A new string. */
char *cw_export_value_text(const json_t *v);

#endif
