#ifndef CW_CASE_VIEW_H
#define CW_CASE_VIEW_H
/* Reading a case (engine/domain/case_view.c), for the modules that change one. */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

/* The case as JSON; `full` adds its history (events, overrides). */
int cw_case_to_json(cw_db *db, const char *id, bool full, json_t **out);

#endif
