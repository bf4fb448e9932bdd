#ifndef CW_CALENDAR_H
#define CW_CALENDAR_H
/*
 * What is coming, as an iCalendar feed (RFC 5545, written with libical) a
 * calendar can subscribe to (SPEC §13): provider performance meetings (each
 * open case's next date), the monthly QA meetings, reviews due by band
 * (embargo reviews for embargoed cases), action plan due dates; anything
 * overdue as an all-day event on today. Every event is all-day, names the
 * provider and the case in its summary, and keeps one UID for as long as it
 * is the same thing (an extended due date moves the event, it does not add
 * one). Confidential references appear only as the user may see them.
 */
#include <jansson.h>
#include "carewatch/db.h"

/*
 * The events from today to today + `days` (1..366), as `user` sees them
 * (NULL: the actor; another user's feed needs "user.write"): a new array of
 * {uid, kind (ppm, qa, review, action), date, overdue, summary, description,
 * url (null unless the rules' web.public_url is set), provider_id,
 * case_id}, by date. CW_EINVALID for `days` out of range; CW_ENOTFOUND for an
 * unknown user; CW_EFORBIDDEN for another user's feed without user.write.
 */
int cw_calendar_events(cw_db *db, const char *user, int days, json_t **out);

/*
 * The same as an iCalendar text (VCALENDAR with one VEVENT each, CRLF line
 * ends, long lines folded), *text malloc'd. What the web server serves at a
 * user's secret feed address, and `carewatch calendar` prints.
 */
int cw_calendar_feed(cw_db *db, const char *user, int days, char **text);

#endif
