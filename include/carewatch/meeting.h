#ifndef CW_MEETING_H
#define CW_MEETING_H
/*
 * Provider performance meetings (SPEC §2 Meeting): the stage-2 meeting of a
 * case, with its chair, its attendees (recording an attendee records their
 * acknowledgement of the confidentiality statement), whether the provider
 * attended, the agreed overall level of risk, the trend, the decisions and
 * the date of the next meeting. Meetings are never edited: a correction is
 * a new meeting record.
 *
 * A meeting as JSON: {id, case_id, provider_id, provider, kind, date, chair,
 * chair_id, attendees: [{name, org, role, acknowledged}], provider_attended,
 * overall, trend, decisions, next, created, created_by}; `overall` and
 * `next` are null when not set.
 */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/date.h"
#include "carewatch/rules.h"

/* increased, same, decreased; NULL-terminated. */
extern const char *const cw_meeting_trends[];

typedef struct {
	const char *case_ref;              /* as cases are named (id, prefix, provider name) */
	cw_date date;                      /* when it was held: not after today */
	const char *chair;                 /* a user: name, id or id prefix */
	const char *const *attendees;      /* each "NAME|ORG|ROLE", three non-empty parts */
	size_t nattendees;                 /* at least one */
	const char *trend;                 /* one of cw_meeting_trends */
	const char *overall;               /* a band name, or NULL: the meeting set none */
	bool has_next;
	cw_date next;                      /* after `date` */
	bool provider_attended;
	const char *decisions;             /* or NULL */
} cw_meeting_record_args;

/*
 * Record a provider performance meeting. Needs "meeting.write".
 * CW_EINVALID (nothing written) for no attendee, an attendee that is not
 * three non-empty parts (the message names it), a date after today, a next
 * date not after the meeting, an unknown trend or band, or bad text;
 * CW_ENOTFOUND for an unknown case or a chair that is not a user;
 * CW_EREFUSED when the case is not in provider_performance or embargo (a
 * PPM is the stage-2 meeting; the message names the stage) or already has
 * a meeting on that date. On success *out is the meeting; caller owns it.
 */
int cw_meeting_record(cw_db *db, const cw_meeting_record_args *a, json_t **out);

/* The meetings of a case, oldest first, each as above. */
int cw_meeting_list(cw_db *db, const char *case_ref, json_t **out);

/* The meeting with exactly this id; CW_ENOTFOUND when there is none. */
int cw_meeting_get(cw_db *db, const char *id, json_t **out);

/* What the latest meeting of a case said, for the agreed level (SPEC §3). */
typedef struct {
	bool found;                        /* false: the case has no meeting */
	char id[CW_ID_LEN];
	cw_date date;
	cw_band overall;                   /* CW_BAND_NONE: the meeting set no level */
	char trend[16];
	bool has_next;
	cw_date next;
	bool provider_attended;
} cw_meeting_summary;

/*
 * The latest meeting (by date, then by when it was recorded) of the case
 * with exactly the id `case_id`. Its `overall` is the provider's agreed
 * level. out->found is false when the case has had no meeting (CW_OK).
 */
int cw_meeting_latest(cw_db *db, const char *case_id, cw_meeting_summary *out);

#endif
