/*
 * Pictures of risk as SVG (include/carewatch/chart.h): what they share, and
 * the heat map. The facts come from the engine's own getters, so what a
 * picture shows is what `concern list` says; this file only counts and
 * draws. The trend is in chart_trend.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "carewatch/chart.h"
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/provider.h"
#include "carewatch/template.h"
#include "chart_internal.h"

const char *const cw_chart_periods[] = { "week", "month", NULL };

/* GOV.UK Frontend's palette, with a text colour that keeps AA contrast. */
const char *cw_chart_band_fill(cw_band b)
{
	switch (b) {
	case CW_BAND_RED: return "#d4351c";
	case CW_BAND_AMBER: return "#f47738";
	case CW_BAND_YELLOW: return "#ffdd00";
	case CW_BAND_GREEN: return "#00703c";
	default: return "#f3f2f1";
	}
}

const char *cw_chart_band_ink(cw_band b)
{
	return b == CW_BAND_RED || b == CW_BAND_GREEN ? "#ffffff" : "#0b0c0c";
}

const char *cw_chart_band_word(cw_band b)
{
	const char *s = cw_band_name(b);

	return s ? s : "none";
}

void cw_chart_esc(cw_buf *b, const char *s)
{
	cw_template_escape(b, s ? s : "", CW_FORMAT_HTML);
}

/* An id prefix for this picture: ids must be unique in the page that embeds it. */
void cw_chart_id_prefix(char *out, size_t n, const char *kind, const char *provider_id)
{
	snprintf(out, n, "cw-%s-%.8s", kind, provider_id ? provider_id : "area");
}

void cw_chart_svg_open(cw_buf *b, const char *idp, int w, int h, const char *title,
	const char *desc)
{
	cw_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""
		" aria-labelledby=\"%s-title %s-desc\" viewBox=\"0 0 %d %d\" width=\"%d\""
		" height=\"%d\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"14\">\n",
		idp, idp, w, h, w, h);
	cw_buf_printf(b, "<title id=\"%s-title\">", idp);
	cw_chart_esc(b, title);
	cw_buf_printf(b, "</title>\n<desc id=\"%s-desc\">", idp);
	cw_chart_esc(b, desc);
	cw_buf_puts(b, "</desc>\n");
}

/* The provider named by `ref` as {id, name}; NULL ref leaves both NULL. */
int cw_chart_find_provider(cw_db *db, const char *ref, json_t **out)
{
	*out = NULL;
	if (!ref)
		return CW_OK;
	return cw_provider_show(db, ref, out);
}

/* ---- heat map ---------------------------------------------------------- */

#define HM_CELL_W 120
#define HM_CELL_H 64
#define HM_LEFT 170
#define HM_TOP 56

int cw_chart_heatmap(cw_db *db, const char *provider, json_t **out)
{
	const cw_rules *r = cw_db_rules(db);
	int lmax = cw_rules_likelihood_max(r), imax = cw_rules_impact_max(r);
	int *count = NULL, total = 0, err, l, i, w, h;
	json_t *prov = NULL, *concerns = NULL, *c, *cells = json_array();
	cw_buf svg = CW_BUF_INIT, title = CW_BUF_INIT, desc = CW_BUF_INIT;
	const char *pname = NULL, *pid = NULL;
	char idp[32];
	size_t k;

	if ((err = cw_chart_find_provider(db, provider, &prov)) != CW_OK)
		goto done;
	if (prov) {
		pid = json_string_value(json_object_get(prov, "id"));
		pname = json_string_value(json_object_get(prov, "name"));
	}
	/* Counted by the store, not listed: a region has thousands open. */
	if ((err = cw_concern_matrix_counts(db, pid, &concerns)) != CW_OK)
		goto done;
	count = cw_calloc((size_t)(lmax * imax), sizeof(*count));
	json_array_foreach(concerns, k, c) {
		int n = (int)json_integer_value(json_object_get(c, "count"));

		l = (int)json_integer_value(json_object_get(c, "likelihood"));
		i = (int)json_integer_value(json_object_get(c, "impact"));
		/* A rating outside today's matrix (the rules changed size) has no cell. */
		if (l < 1 || l > lmax || i < 1 || i > imax)
			continue;
		count[(l - 1) * imax + (i - 1)] += n;
		total += n;
	}

	cw_chart_id_prefix(idp, sizeof(idp), "heatmap", pid);
	cw_buf_printf(&title, "Open concerns on the %d by %d risk matrix: %s", lmax, imax,
		pname ? pname : "the whole area");
	cw_buf_printf(&desc, "%d open scored concern%s. Likelihood rises up the picture,"
		" impact rises across it. Cells with concerns:", total, total == 1 ? "" : "s");
	for (l = lmax; l >= 1; l--)
		for (i = imax; i >= 1; i--) {
			int n = count[(l - 1) * imax + (i - 1)], score = cw_rules_score(l, i);
			cw_band b = cw_rules_band(r, score);

			json_array_append_new(cells, json_pack("{s:i,s:i,s:i,s:s,s:i}", "likelihood", l,
				"impact", i, "score", score, "band", cw_chart_band_word(b), "count", n));
			if (n)
				cw_buf_printf(&desc, " likelihood %d %s, impact %d %s: score %d, %s, %d;",
					l, cw_rules_likelihood_label(r, l), i, cw_rules_impact_label(r, i),
					score, cw_chart_band_word(b), n);
		}
	if (total == 0)
		cw_buf_puts(&desc, " none.");
	else
		desc.ptr[desc.len - 1] = '.';

	w = HM_LEFT + imax * HM_CELL_W + 20;
	h = HM_TOP + lmax * HM_CELL_H + 70;
	cw_chart_svg_open(&svg, idp, w, h, cw_buf_cstr(&title), cw_buf_cstr(&desc));
	cw_buf_puts(&svg, "<text x=\"10\" y=\"24\" font-size=\"18\" font-weight=\"bold\">");
	cw_chart_esc(&svg, cw_buf_cstr(&title));
	cw_buf_puts(&svg, "</text>\n");
	for (l = lmax; l >= 1; l--) {
		int y = HM_TOP + (lmax - l) * HM_CELL_H;

		cw_buf_printf(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d ",
			HM_LEFT - 8, y + HM_CELL_H / 2 + 5, l);
		cw_chart_esc(&svg, cw_rules_likelihood_label(r, l));
		cw_buf_puts(&svg, "</text>\n");
		for (i = 1; i <= imax; i++) {
			int x = HM_LEFT + (i - 1) * HM_CELL_W, score = cw_rules_score(l, i);
			int n = count[(l - 1) * imax + (i - 1)];
			cw_band b = cw_rules_band(r, score);

			cw_buf_printf(&svg, "<g class=\"cell\" data-likelihood=\"%d\" data-impact=\"%d\""
				" data-score=\"%d\" data-band=\"%s\" data-count=\"%d\">"
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\""
				" stroke=\"#ffffff\" stroke-width=\"2\"/>", l, i, score, cw_chart_band_word(b), n,
				x, y, HM_CELL_W, HM_CELL_H, cw_chart_band_fill(b));
			cw_buf_printf(&svg, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%d %s</text>",
				x + 6, y + 16, cw_chart_band_ink(b), score, cw_chart_band_word(b));
			cw_buf_printf(&svg, "<text class=\"count\" x=\"%d\" y=\"%d\" fill=\"%s\""
				" font-size=\"22\" font-weight=\"bold\" text-anchor=\"middle\">%d</text></g>\n",
				x + HM_CELL_W / 2, y + HM_CELL_H - 12, cw_chart_band_ink(b), n);
		}
	}
	for (i = 1; i <= imax; i++) {
		int x = HM_LEFT + (i - 1) * HM_CELL_W + HM_CELL_W / 2;

		cw_buf_printf(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d ", x,
			HM_TOP + lmax * HM_CELL_H + 20, i);
		cw_chart_esc(&svg, cw_rules_impact_label(r, i));
		cw_buf_puts(&svg, "</text>\n");
	}
	cw_buf_printf(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">"
		"Impact</text>\n", HM_LEFT + imax * HM_CELL_W / 2, HM_TOP + lmax * HM_CELL_H + 44);
	cw_buf_printf(&svg, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">Likelihood</text>\n",
		HM_TOP - 8);
	cw_buf_puts(&svg, "</svg>\n");

	*out = json_pack("{s:s,s:s?,s:s?,s:i,s:o,s:s}", "chart", "heatmap", "provider_id", pid,
		"provider", pname, "total", total, "cells", cells, "svg", cw_buf_cstr(&svg));
	cells = NULL;
	err = CW_OK;
done:
	free(count);
	json_decref(cells);
	json_decref(prov);
	json_decref(concerns);
	cw_buf_free(&svg);
	cw_buf_free(&title);
	cw_buf_free(&desc);
	return err;
}

