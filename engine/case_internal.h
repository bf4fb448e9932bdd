#ifndef CW_CASE_INTERNAL_H
#define CW_CASE_INTERNAL_H
/* Shared by engine/case.c, engine/case_view.c and engine/action.c only. */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

struct cw_case_ref {
	char id[CW_ID_LEN];
	char provider_id[CW_ID_LEN];
	char stage[32];
};

/*
 * Resolve a case by id, id prefix, or its provider's exact name (the
 * provider's open case, else its latest). CW_ENOTFOUND / CW_EINVALID as
 * cw_lookup.
 */
int cw_case_resolve(cw_db *db, const char *ref, struct cw_case_ref *out);

/* The case as JSON; `full` adds its history (events, overrides). */
int cw_case_to_json(cw_db *db, const char *id, bool full, json_t **out);

#endif
