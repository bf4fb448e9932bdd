#ifndef CW_WATCHLIST_H
#define CW_WATCHLIST_H
/*
 * The watch list the monthly quality-assurance meeting works from (SPEC §3,
 * §9), and the QA meeting record that snapshots it.
 *
 * Included: every provider with an open case, every provider whose computed
 * or agreed level is yellow or above, every provider with a flag. Ordered by
 * the agreed level where one exists and is newer than every open concern,
 * else by the computed level; then by the highest score; then by name.
 */
#include <jansson.h>
#include "carewatch/db.h"

/* The rows, in order, with the keys of SPEC §8 and the provider's group
 * (null when it belongs to none) (a new array). */
int cw_watchlist(cw_db *db, json_t **out);

/*
 * The QA meeting agenda (SPEC §9, protocol appendix D) as data: {date of the
 * last QA meeting, rows (the watch list), under_protocol (rows with a case),
 * new_concerns {team: [concern...]}, positive [...], overdue_actions [...],
 * open_tasks [...], next_meeting}.
 */
int cw_watchlist_agenda(cw_db *db, json_t **out);

/*
 * The agenda as the QA meeting reads it: cw_watchlist_agenda's facts with
 * `text`, rendered from config/documents/qa-agenda.md (or the replacement
 * pinned with the rules) as Markdown, every value escaped.
 */
int cw_watchlist_agenda_render(cw_db *db, json_t **out);

/*
 * The same agenda as a standalone printable HTML page, from
 * config/documents/qa-agenda.html, with the pictures of risk where the
 * template has <!-- carewatch:charts -->: the heat map of the whole area
 * and the trend of each provider in provider_performance or embargo.
 */
int cw_watchlist_agenda_html(cw_db *db, json_t **out);

/*
 * Record a QA meeting held on `date` with those present, keeping a snapshot
 * of the day's watch list so the next one can show trend and what is new.
 * Needs "qa.record".
 */
int cw_qa_record(cw_db *db, cw_date date, const char *const *present, size_t npresent,
	json_t **out);

#endif
