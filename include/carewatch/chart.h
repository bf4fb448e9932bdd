#ifndef CW_CHART_H
#define CW_CHART_H
/*
 * Pictures of risk (SPEC §13), drawn by the engine as SVG: no script, an
 * accessible image (role="img", a <title> and a <desc> named by
 * aria-labelledby) whose numbers are also written as text, and colour never
 * the only signal (every band is written as its word). Ids inside a picture
 * carry a prefix unique to it, so several can sit in one HTML page.
 */
#include <jansson.h>
#include "carewatch/db.h"

/*
 * The risk heat map: the matrix of the rules in force (likelihood up,
 * impact across) with the number of open scored concerns in each cell,
 * each cell in its band's colour with its score and band. `provider` (name,
 * id or prefix) limits it to one provider; NULL: the whole area. Read-only.
 * CW_ENOTFOUND for an unknown provider. *out is {chart: "heatmap",
 * provider_id, provider (null for the area), total, cells: [{likelihood,
 * impact, score, band, count}] (every cell, likelihood then impact rising),
 * svg}.
 */
int cw_chart_heatmap(cw_db *db, const char *provider, json_t **out);

typedef enum { CW_CHART_AUTO, CW_CHART_WEEK, CW_CHART_MONTH } cw_chart_period;
/* "week", "month"; NULL-terminated. */
extern const char *const cw_chart_periods[];

/*
 * A provider's level of risk over time: the computed level (highest band of
 * its open scored concerns, with the ratings in force then) and the agreed
 * level (the overall level of the latest provider performance meeting of an
 * open case) at the end of each week or month up to today, with the case's
 * stage changes and embargo periods marked. CW_CHART_AUTO: weeks when the
 * history spans under six months, else months; at most the last 36
 * periods. *out is {chart: "trend", provider_id, provider, by, periods:
 * [{start, end, computed, agreed, stage}], stage_changes: [{date, from, to}],
 * embargoes: [{from, to}] (to null while it lasts), svg}.
 */
int cw_chart_trend(cw_db *db, const char *provider, cw_chart_period by, json_t **out);

#endif
