#ifndef CW_QA_H
#define CW_QA_H
/*
 * The monthly quality-assurance meeting (protocol §6, appendix D): who was
 * present, apologies, decisions and actions (text, owner, due), with the
 * snapshot of the watch list it worked from (cw_qa_record, watchlist.h).
 *
 * A QA meeting as JSON: {id, date, present: [..], apologies: [..],
 * decisions: [..], actions: [{text, owner, due, overdue}], providers
 * (how many the snapshot holds), created_by, created}.
 */
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/date.h"

typedef struct {
	cw_date date;                      /* when it was held: not after today */
	const char *const *present;
	size_t npresent;
	const char *const *apologies;
	size_t napologies;
	const char *const *decisions;
	size_t ndecisions;
	const char *const *actions;        /* each "TEXT|OWNER|DUE" */
	size_t nactions;
} cw_qa_args;

/*
 * Record a QA meeting with its apologies, decisions and actions. Needs
 * "qa.record". CW_EINVALID for a date after today, a bad name, or an action
 * that is not TEXT|OWNER|DUE (the message quotes it); CW_EREFUSED when a
 * QA meeting is already recorded on that date (the message names it).
 * *out is the meeting as above.
 */
int cw_qa_record_meeting(cw_db *db, const cw_qa_args *a, json_t **out);

/*
 * What the next QA agenda reports back (appendix D, the protocol's closure
 * feedback): {closures: [{ref, provider, outcome, closed}] (cases closed
 * after the last QA meeting, or all when there was none), actions: [{text,
 * owner, due, overdue}] (the last QA meeting's actions)}.
 */
int cw_qa_feedback(cw_db *db, json_t **out);

/* Every QA meeting, newest first. */
int cw_qa_list(cw_db *db, json_t **out);

/* One QA meeting by its date (YYYY-MM-DD), id or id prefix (at least 4). */
int cw_qa_show(cw_db *db, const char *ref, json_t **out);

/*
 * Progress on action N (numbered from 1 as `qa show` lists them) of a QA
 * meeting: `status` "ongoing" or "done", with an optional note; each call
 * adds a dated row (the earlier ones are kept) and the QA agenda reports
 * the latest. Needs "qa.record". CW_EINVALID for another status or N < 1,
 * CW_ENOTFOUND for no such meeting or action. The meeting as cw_qa_show.
 */
int cw_qa_progress(cw_db *db, const char *ref, long n, const char *status, const char *note,
	json_t **out);

#endif
