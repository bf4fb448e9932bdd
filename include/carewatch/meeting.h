#ifndef CW_MEETING_H
#define CW_MEETING_H
/*
 * Provider performance meetings (SPEC §2 Meeting): the stage-2 meeting of a
 * case, with its chair, its attendees (recording an attendee records their
 * acknowledgement of the confidentiality statement), whether the provider
 * attended, the agreed overall level of risk, the trend, the decisions and
 * the date of the next meeting; also (protocol §8, appendices E-G) its
 * time and venue, apologies, who receives the minutes, whether the provider
 * attended all, part or none of it, the information-sharing decisions
 * (what, with whom, when, why: §8.12), disagreements (agenda item 9), legal
 * or media advice sought (§8.11) and who must attend the next meeting. A
 * mistake is put right with cw_meeting_amend: a reason, before and after
 * kept, nothing deleted.
 *
 * A meeting as JSON: {id, ref, case_id, case_ref, provider_id, provider,
 * kind, date, time, venue, chair, chair_id, attendees: [{name, org, role,
 * contact, acknowledged}], apologies: [..], minutes_to: [..],
 * provider_attended, provider_attendance (all|part|none), overall, trend,
 * decisions, sharing: [{what, with, when, why}], disagreements, advice:
 * {legal, media}, next, next_attendees, amendments: [{date, by, reason,
 * before, after}], created, created_by}; a value not set is null.
 */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/date.h"
#include "carewatch/rules.h"

/* increased, same, decreased; NULL-terminated. */
extern const char *const cw_meeting_trends[];
/* all, part, none: how much of the meeting the provider attended. */
extern const char *const cw_meeting_attendance[];

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
	/* The protocol's meeting record (all optional: NULL / 0 is not given). */
	const char *time;                  /* "HH:MM" */
	const char *venue;
	const char *const *apologies;      /* names (with their organisation) */
	size_t napologies;
	const char *const *minutes_to;     /* who receives the minutes */
	size_t nminutes_to;
	const char *attendance;            /* all, part, none; NULL: from provider_attended */
	const char *const *sharing;        /* each "WHAT|WITH WHOM|WHEN|WHY" */
	size_t nsharing;
	const char *disagreements;
	const char *legal_advice;          /* what legal advice was sought */
	const char *media_advice;          /* what media advice was sought */
	const char *next_attendees;        /* who must attend the next meeting */
} cw_meeting_record_args;

/*
 * Record a provider performance meeting. Needs "meeting.write".
 * CW_EINVALID (nothing written) for no attendee, an attendee that is not
 * three non-empty parts (the message names it), a date after today, a next
 * date not after the meeting, an unknown trend or band, or bad text;
 * CW_ENOTFOUND for an unknown case or a chair that is not a user;
 * CW_EREFUSED when the case is not in provider_performance or embargo (a
 * PPM is the stage-2 meeting; the message names the stage), already has a
 * meeting on that date (naming it), the date is before the case's
 * escalation, or the chair holds no casework role (contracts, safeguarding
 * or director). On success *out is the meeting; caller owns it.
 */
int cw_meeting_record(cw_db *db, const cw_meeting_record_args *a, json_t **out);

/*
 * Amend a recorded meeting: every field given in `set` (as for record;
 * NULL / 0 / false keeps the field, `has_date` says whether set.date is
 * given, set.case_ref is ignored; attendees given replace the list) is
 * changed, checked as on record. Needs "meeting.write" and a reason.
 * CW_EINVALID when nothing changes. The amendment (date, who, reason,
 * before and after of what changed) is kept with the meeting and in the
 * audit trail; the meeting record document says "amended on DATE by NAME:
 * reason". *out is the meeting as amended.
 */
typedef struct {
	const char *meeting;               /* M-0012, id or id prefix */
	const char *reason;
	bool has_date;
	cw_meeting_record_args set;
} cw_meeting_amend_args;

int cw_meeting_amend(cw_db *db, const cw_meeting_amend_args *a, json_t **out);

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
