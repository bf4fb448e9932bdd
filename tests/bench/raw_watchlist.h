#ifndef CW_BENCH_RAW_WATCHLIST_H
#define CW_BENCH_RAW_WATCHLIST_H
/*
 * The watch list's facts in hand-written, set-wise SQL (issue 19): the
 * denominator of the watch list's figure. Five statements over the same
 * database file, no engine code: every provider's open-concern counts by
 * band and max score, its concerns in the repeated-concerns window and POVA
 * referrals in the large-scale window rolled up to its group, POVA
 * referrals and concerns since the last QA meeting, its open case with
 * overdue actions, its open tasks (of any case), the latest meeting's agreed level and the
 * open case's latest PPM (trend, next date), the last QA snapshot's band,
 * and each commissioner's placement control in effect. tests/
 * test_raw_watchlist.c holds it equal to cw_watchlist row for row.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "carewatch/date.h"
#include "carewatch/rules.h"

#define RAWWL_PLACEMENTS 8

/* Bands as score ranges and the flag windows, read once from the rules. */
struct rawwl_params {
	char today[11];
	int lo[4], hi[4];          /* red, amber, yellow, green */
	int rep_days, pova_days;
};

struct rawwl_placement {
	char commissioner[96];
	char status[16];
	char kind[24];             /* "" when no decision */
	char since[11];
	bool lead;
};

struct rawwl_row {
	char id[40], name[128], type[40];
	int open, max_score, band[4];   /* band[]: red, amber, yellow, green */
	char last_received[11];
	bool regulator_open;
	int pova;                  /* own POVA referrals in the large-scale window */
	int new_since_qa;
	int own_window, own_pova_window;  /* the flag windows, the provider's own */
	int group_window, group_pova;   /* the flag windows, across the group */
	char grp_key[128];
	bool has_grp;
	char case_id[40], stage[32];
	int overdue, tasks;
	char agreed[8], agreed_on[11];  /* the latest meeting of any case */
	char ppm_trend[12], next_review[11], last_ppm[11];  /* the open case's latest */
	bool in_snapshot;
	char snapshot_band[8];
	struct rawwl_placement pl[RAWWL_PLACEMENTS];
	int npl;
	bool other_embargo;        /* another commissioner has suspended placements */
};

struct rawwl {
	sqlite3_stmt *facts, *repeated, *pova, *since, *placements;
	struct rawwl_row *rows;    /* in provider id order */
	bool qa_held;              /* a QA meeting has been recorded */
	size_t n, cap;
};

/* The parameters under the rules `r` as of `today` (read once, untimed). */
void rawwl_params_from(const cw_rules *r, cw_date today, struct rawwl_params *p);
/* Prepare the statements on `h` (a connection with the engine's pragmas). */
int rawwl_open(struct rawwl *w, sqlite3 *h);
/* Run the statements in one read transaction; rows are replaced. */
int rawwl_run(struct rawwl *w, sqlite3 *h, const struct rawwl_params *p);
const struct rawwl_row *rawwl_find(const struct rawwl *w, const char *id);
void rawwl_close(struct rawwl *w);

#endif
