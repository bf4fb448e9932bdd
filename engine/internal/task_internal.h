#ifndef CW_TASK_INTERNAL_H
#define CW_TASK_INTERNAL_H
/* The stage machine's hook into the checklist (engine/domain/case.c only). */
#include "carewatch/db.h"

/*
 * Create the tasks of `event` (one of cw_task_events) for the case, in the
 * command's transaction, with one audit entry listing them. An unknown
 * event is a programming error (CW_EINTERNAL).
 */
int cw_tasks_for_event(cw_db *db, const char *case_id, const char *event);

#endif
