#ifndef CW_CHART_INTERNAL_H
#define CW_CHART_INTERNAL_H
/* What the two pictures of risk share (engine/paper/chart.c, chart_trend.c). */
#include <stddef.h>
#include <jansson.h>
#include "carewatch/buf.h"
#include "carewatch/db.h"
#include "carewatch/rules.h"

/* GOV.UK Frontend's colour of a band, the text colour that keeps AA
 * contrast on it, and its word ("none" for no band). */
const char *cw_chart_band_fill(cw_band b);
const char *cw_chart_band_ink(cw_band b);
const char *cw_chart_band_word(cw_band b);

/* Text escaped for SVG (XML). */
void cw_chart_esc(cw_buf *b, const char *s);

/* "cw-<kind>-<first 8 of the provider id, or area>": ids unique in a page. */
void cw_chart_id_prefix(char *out, size_t n, const char *kind, const char *provider_id);

/* The <svg> element with its role, <title> and <desc> (escaped). */
void cw_chart_svg_open(cw_buf *b, const char *idp, int w, int h, const char *title,
	const char *desc);

/* The provider named by `ref` (provider show); NULL ref: *out NULL, CW_OK. */
int cw_chart_find_provider(cw_db *db, const char *ref, json_t **out);

#endif
