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
#include <stdbool.h>
#include <stddef.h>
#include "carewatch/db.h"
#include "carewatch/rules.h"

/* One commissioner's placement control, in effect today. */
typedef struct {
	const char *commissioner;   /* the commissioning body's name */
	const char *status;         /* "open", "suspended" or "restricted" */
	const char *kind;           /* a suspension's "mandatory"/"voluntary"; else NULL */
	const char *since;          /* YYYY-MM-DD the decision took effect; NULL: none */
	const char *conditions;     /* a restriction's conditions in words; else NULL */
} cw_watch_placement;

/*
 * One row of the watch list (SPEC §8), as typed values. Text is NULL where
 * the JSON form has null; every pointer belongs to the list.
 */
typedef struct {
	const char *provider_id, *provider, *type;
	const char *group;          /* the provider group; NULL: none */
	const char *stage;          /* of the open case; NULL: no open case */
	const char *case_id, *case_ref;  /* of the open case; NULL: none */
	cw_band band;               /* the level the list orders by */
	cw_band computed_band, agreed_band;   /* CW_BAND_NONE: none */
	int max_score, open_concerns, red, amber, yellow, green;
	int pova_referrals, overdue_actions, open_tasks, new_since_last_qa;
	const char *next_review, *last_ppm, *ppm_trend;  /* the open case's latest PPM */
	bool review_overdue;
	const char *trend;          /* against the last QA meeting; NULL: none yet */
	const char *const *flags;   /* flag names (SPEC §10), in the rules' order */
	size_t nflags;
	const cw_watch_placement *placements;  /* the lead commissioner's first */
	size_t nplacements;
} cw_watch_row;

typedef struct cw_watch_list cw_watch_list;

/*
 * The watch list as typed rows, in order: what a front door reads when it
 * has no use for JSON (the rows are the facts; cw_watchlist is the same list
 * as JSON). With --today in the past, the list as it stood that day.
 */
int cw_watchlist_rows(cw_db *db, cw_watch_list **out);
size_t cw_watch_list_count(const cw_watch_list *l);
const cw_watch_row *cw_watch_list_row(const cw_watch_list *l, size_t i);
void cw_watch_list_free(cw_watch_list *l);

/* A row with the keys of SPEC §8 and the provider's group (a new object). */
json_t *cw_watch_row_json(const cw_watch_row *r);

/* The rows, in order, as cw_watch_row_json makes them (a new array). */
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
