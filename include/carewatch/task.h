#ifndef CW_TASK_H
#define CW_TASK_H
/*
 * Tasks: the notification checklist of the protocol (SPEC §2, appendices J,
 * K, L). The stage machine creates them when a process commences, an
 * embargo is placed or lifted, and the process ends; people tick them off.
 * A task is {id, case_id, provider, event, description, who_to_tell, letter,
 * created, done, done_by, note, status}: `letter` names the letter template that
 * does it (or null), `done` is the date it was ticked off (or null).
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

/* The events that create tasks, NULL-terminated. */
extern const char *const cw_task_events[];

/* Tasks of one case (`case_ref` as cases are named) or of all cases, in the
 * order they were created; `open_only` leaves out those done. */
int cw_task_list(cw_db *db, const char *case_ref, bool open_only, json_t **out);

/*
 * Tick a task off (id or id prefix). Needs "task.write". CW_ENOTFOUND for an
 * unknown task; CW_EREFUSED when it is already done (the message says when
 * and by whom). On success *out is the task.
 */
int cw_task_done(cw_db *db, const char *ref, json_t **out);
/* The same with a note saying how it was done (NULL or "": none), kept with
 * the task (`note`) and in its audit entry. */
int cw_task_done_note(cw_db *db, const char *ref, const char *note, json_t **out);

/* The number of open tasks of a case. */
int cw_task_open_count(cw_db *db, const char *case_id, long *out);

#endif
