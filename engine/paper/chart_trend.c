/*
 * A provider's level of risk over time (include/carewatch/chart.h): the
 * computed level from its concerns' rating history, the agreed level from
 * its meetings, the stage changes and embargoes from its cases' events,
 * each read through the engine's getters, then drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "carewatch/case.h"
#include "carewatch/chart.h"
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/meeting.h"
#include "chart_internal.h"

/* ---- trend ------------------------------------------------------------- */

/* A scored concern's life: received, resolved (or never), ratings in order. */
struct rated {
	cw_date received, resolved;   /* resolved: INT_MAX-like sentinel when open */
	size_t nrat;
	cw_date *on;
	cw_band *band;
};

struct meet { cw_date date; cw_band overall; };
struct change { cw_date date; char from[24], to[24]; };

struct history {
	struct rated *c;
	size_t nc;
	struct meet *m;
	size_t nm;
	struct change *ev;
	size_t nev;
	cw_date first;
};

#define NEVER 0x7fffffff

static cw_date jdate(const json_t *o, const char *key, cw_date dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	cw_date d;

	return s && cw_date_parse(s, &d) == CW_OK ? d : dflt;
}

static cw_band jband(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	cw_band b = CW_BAND_NONE;

	if (s)
		cw_band_parse(s, &b);
	return b;
}

static void history_free(struct history *h)
{
	for (size_t i = 0; i < h->nc; i++) {
		free(h->c[i].on);
		free(h->c[i].band);
	}
	free(h->c);
	free(h->m);
	free(h->ev);
}

static int load_concerns(cw_db *db, const char *pid, struct history *h)
{
	cw_concern_filter f = { pid, false, NULL };
	json_t *list = NULL, *c, *shown = NULL, *rat;
	size_t i, j;
	int err;

	if ((err = cw_concern_list(db, &f, &list)) != CW_OK)
		return err;
	h->c = cw_calloc(json_array_size(list) + 1, sizeof(*h->c));
	json_array_foreach(list, i, c) {
		struct rated *rc;

		if (json_is_true(json_object_get(c, "positive")) ||
		    !json_is_integer(json_object_get(c, "impact")))
			continue;
		if ((err = cw_concern_show(db, json_string_value(json_object_get(c, "id")),
		    &shown)) != CW_OK)
			goto done;
		rc = &h->c[h->nc++];
		rc->received = jdate(c, "received", 0);
		rc->resolved = strcmp(json_string_value(json_object_get(c, "status")), "open") == 0
			? NEVER : jdate(c, "resolved", rc->received);
		rat = json_object_get(shown, "ratings");
		rc->on = cw_calloc(json_array_size(rat) + 1, sizeof(*rc->on));
		rc->band = cw_calloc(json_array_size(rat) + 1, sizeof(*rc->band));
		json_array_foreach(rat, j, c) {
			rc->on[rc->nrat] = jdate(c, "date", rc->received);
			rc->band[rc->nrat++] = jband(c, "band");
		}
		/* The first rating is the one it was received with, even when logged later. */
		if (rc->nrat && rc->on[0] > rc->received)
			rc->on[0] = rc->received;
		if (rc->received < h->first)
			h->first = rc->received;
		json_decref(shown);
		shown = NULL;
	}
done:
	json_decref(shown);
	json_decref(list);
	return err;
}

/* The provider's cases: stage changes from their events, agreed levels from their meetings. */
static int load_cases(cw_db *db, const char *pid, struct history *h)
{
	json_t *cases = NULL, *cs, *shown = NULL, *meetings = NULL, *e;
	size_t i, j;
	int err;

	if ((err = cw_case_list(db, NULL, &cases)) != CW_OK)
		return err;
	json_array_foreach(cases, i, cs) {
		const char *cid = json_string_value(json_object_get(cs, "id"));
		json_t *events;

		if (strcmp(json_string_value(json_object_get(cs, "provider_id")), pid) != 0)
			continue;
		if ((err = cw_case_show(db, cid, &shown)) != CW_OK ||
		    (err = cw_meeting_list(db, cid, &meetings)) != CW_OK)
			goto done;
		events = json_object_get(shown, "events");
		h->ev = cw_reallocarray(h->ev, h->nev + json_array_size(events) + 1, sizeof(*h->ev));
		json_array_foreach(events, j, e) {
			struct change *ch = &h->ev[h->nev];
			const char *from = json_string_value(json_object_get(e, "from"));
			const char *to = json_string_value(json_object_get(e, "to"));

			/* Another commissioner's decision is an event but not a stage change. */
			if (from && to && strcmp(from, to) == 0)
				continue;
			h->nev++;
			ch->date = jdate(e, "date", 0);
			snprintf(ch->from, sizeof(ch->from), "%s", from ? from : "");
			snprintf(ch->to, sizeof(ch->to), "%s",
				json_string_value(json_object_get(e, "to")));
			if (ch->date < h->first)
				h->first = ch->date;
		}
		h->m = cw_reallocarray(h->m, h->nm + json_array_size(meetings) + 1, sizeof(*h->m));
		json_array_foreach(meetings, j, e) {
			h->m[h->nm].date = jdate(e, "date", 0);
			h->m[h->nm++].overall = jband(e, "overall");
		}
		json_decref(shown);
		json_decref(meetings);
		shown = meetings = NULL;
	}
done:
	json_decref(shown);
	json_decref(meetings);
	json_decref(cases);
	return err;
}

static int cmp_change(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	return (x->date > y->date) - (x->date < y->date);
}

static int cmp_meet(const void *a, const void *b)
{
	const struct meet *x = a, *y = b;

	return (x->date > y->date) - (x->date < y->date);
}

/* The highest band of the concerns open on `d`, each with its rating in force then. */
static cw_band computed_on(const struct history *h, cw_date d)
{
	cw_band best = CW_BAND_NONE;

	for (size_t i = 0; i < h->nc; i++) {
		const struct rated *c = &h->c[i];
		cw_band b = CW_BAND_NONE;

		if (c->received > d || c->resolved <= d)
			continue;
		for (size_t j = 0; j < c->nrat; j++)
			if (c->on[j] <= d)
				b = c->band[j];
		if (b > best)
			best = b;
	}
	return best;
}

/* The overall level of the latest meeting held on or before `d`. */
static cw_band agreed_on(const struct history *h, cw_date d)
{
	cw_band b = CW_BAND_NONE;

	for (size_t i = 0; i < h->nm && h->m[i].date <= d; i++)
		b = h->m[i].overall;
	return b;
}

static const char *stage_on(const struct history *h, cw_date d)
{
	const char *s = NULL;

	for (size_t i = 0; i < h->nev && h->ev[i].date <= d; i++)
		s = h->ev[i].to;
	return s && strcmp(s, "closed") != 0 ? s : NULL;
}

static cw_date period_start(cw_chart_period by, cw_date d)
{
	return by == CW_CHART_WEEK ? cw_date_week_start(d) : cw_date_month_start(d);
}

static cw_date period_next(cw_chart_period by, cw_date d)
{
	return by == CW_CHART_WEEK ? d + 7 : cw_date_next_month_start(d);
}

#define TR_LEFT 90
#define TR_TOP 84
#define TR_PLOT_W 720
#define TR_PLOT_H 200
#define TR_MAX_PERIODS 36

struct plot {
	cw_date from, to;   /* [from, to) spans the plot's width */
	cw_chart_period by;
};

static double xat(const struct plot *p, cw_date d)
{
	if (d < p->from)
		d = p->from;
	if (d > p->to)
		d = p->to;
	return TR_LEFT + (double)(d - p->from) * TR_PLOT_W / (double)(p->to - p->from);
}

/* A period's point sits in the middle of its span (the current one is whole too). */
static double xmid(const struct plot *p, const json_t *period)
{
	cw_date start = jdate(period, "start", p->from);

	return (xat(p, start) + xat(p, period_next(p->by, start))) / 2;
}

static int yat(cw_band b)
{
	return TR_TOP + TR_PLOT_H - (int)b * TR_PLOT_H / 4;
}

/* The agreed line is drawn a little lower, so it shows where it equals the computed one. */
static void polyline(cw_buf *svg, const json_t *periods, const char *key,
	const struct plot *p, const char *style, int dy)
{
	json_t *e;
	size_t i;

	cw_buf_printf(svg, "<polyline class=\"%s\" fill=\"none\" stroke-width=\"3\" %s points=\"",
		key, style);
	json_array_foreach(periods, i, e)
		cw_buf_printf(svg, "%s%.1f,%d", i ? " " : "", xmid(p, e), yat(jband(e, key)) + dy);
	cw_buf_puts(svg, "\"/>\n");
}

static char *trend_svg(const char *idp, const char *pname, const char *by,
	const json_t *periods, const json_t *changes, const json_t *embargoes,
	const struct plot *p, const char *desc)
{
	cw_buf svg = CW_BUF_INIT, title = CW_BUF_INIT;
	size_t n = json_array_size(periods), i, every = n > 12 ? (n + 11) / 12 : 1;
	json_t *e;
	int b;

	cw_buf_printf(&title, "Level of risk by %s: %s", by, pname);
	cw_chart_svg_open(&svg, idp, TR_LEFT + TR_PLOT_W + 190, TR_TOP + TR_PLOT_H + 90,
		cw_buf_cstr(&title), desc);
	cw_buf_puts(&svg, "<text x=\"10\" y=\"24\" font-size=\"18\" font-weight=\"bold\">");
	cw_chart_esc(&svg, cw_buf_cstr(&title));
	cw_buf_puts(&svg, "</text>\n");
	/* Embargo periods first, so the lines are drawn over them. */
	json_array_foreach(embargoes, i, e) {
		double x0 = xat(p, jdate(e, "from", p->from)), x1 = xat(p, jdate(e, "to", p->to));

		cw_buf_printf(&svg, "<g class=\"embargo\"><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
			" height=\"%d\" fill=\"#b1b4b6\" fill-opacity=\"0.45\"/>"
			"<text x=\"%.1f\" y=\"%d\" font-size=\"12\">embargo</text></g>\n",
			x0, TR_TOP, x1 - x0 < 1 ? 1 : x1 - x0, TR_PLOT_H, x0 + 3, TR_TOP + TR_PLOT_H - 6);
	}
	for (b = CW_BAND_NONE; b <= CW_BAND_RED; b++) {
		cw_buf_printf(&svg, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
			" stroke-width=\"%d\"/>", TR_LEFT, yat((cw_band)b), TR_LEFT + TR_PLOT_W,
			yat((cw_band)b), b ? cw_chart_band_fill((cw_band)b) : "#0b0c0c", b ? 4 : 1);
		cw_buf_printf(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			TR_LEFT - 8, yat((cw_band)b) + 5, cw_chart_band_word((cw_band)b));
	}
	json_array_foreach(changes, i, e) {
		double x = xat(p, jdate(e, "date", p->from));
		int ty = TR_TOP - 6 - (int)(i % 3) * 14;   /* close changes stay readable */

		cw_buf_printf(&svg, "<g class=\"stage-change\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\""
			" y2=\"%d\" stroke=\"#1d70b8\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"
			"<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#1d70b8\">", x, ty + 2, x,
			TR_TOP + TR_PLOT_H, x + 2, ty);
		cw_chart_esc(&svg, json_string_value(json_object_get(e, "to")));
		cw_buf_puts(&svg, "</text></g>\n");
	}
	polyline(&svg, periods, "computed", p, "stroke=\"#0b0c0c\"", 0);
	polyline(&svg, periods, "agreed", p, "stroke=\"#4c2c92\" stroke-dasharray=\"8 5\"", 5);
	json_array_foreach(periods, i, e) {
		double x = xmid(p, e);
		const char *start = json_string_value(json_object_get(e, "start"));

		cw_buf_printf(&svg, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#0b0c0c\"><title>",
			x, yat(jband(e, "computed")));
		cw_chart_esc(&svg, by);
		cw_buf_puts(&svg, " from ");
		cw_chart_esc(&svg, start);
		cw_buf_printf(&svg, ": computed %s, agreed %s</title></circle>\n",
			cw_chart_band_word(jband(e, "computed")), cw_chart_band_word(jband(e, "agreed")));
		if (i % every == 0 || i + 1 == n)
			cw_buf_printf(&svg, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\""
				" transform=\"rotate(-45 %.1f %d)\">%s</text>\n", x, TR_TOP + TR_PLOT_H + 16,
				x, TR_TOP + TR_PLOT_H + 16, start);
	}
	cw_buf_printf(&svg, "<g class=\"legend\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
		" stroke=\"#0b0c0c\" stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">computed level</text>"
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4c2c92\" stroke-width=\"3\""
		" stroke-dasharray=\"8 5\"/><text x=\"%d\" y=\"%d\">agreed level</text></g>\n",
		TR_LEFT + TR_PLOT_W + 12, TR_TOP + 10, TR_LEFT + TR_PLOT_W + 40, TR_TOP + 10,
		TR_LEFT + TR_PLOT_W + 46, TR_TOP + 15, TR_LEFT + TR_PLOT_W + 12, TR_TOP + 34,
		TR_LEFT + TR_PLOT_W + 40, TR_TOP + 34, TR_LEFT + TR_PLOT_W + 46, TR_TOP + 39);
	cw_buf_puts(&svg, "</svg>\n");
	cw_buf_free(&title);
	return cw_buf_detach(&svg);
}

int cw_chart_trend(cw_db *db, const char *provider, cw_chart_period by, json_t **out)
{
	struct history h = { 0 };
	json_t *prov = NULL, *periods = json_array(), *changes = json_array();
	json_t *embargoes = json_array(), *open_embargo = NULL, *em;
	cw_date today = cw_db_today(db), start, d;
	cw_buf desc = CW_BUF_INIT;
	const char *pid, *pname, *byword;
	char idp[32], s1[CW_DATE_STRLEN], s2[CW_DATE_STRLEN], *svg = NULL;
	struct plot p;
	size_t i, n = 0;
	int err;

	if (!provider) {
		err = cw_error_at("provider", CW_EINVALID, "the trend is of one provider: name it");
		goto done;
	}
	if ((err = cw_chart_find_provider(db, provider, &prov)) != CW_OK)
		goto done;
	pid = json_string_value(json_object_get(prov, "id"));
	pname = json_string_value(json_object_get(prov, "name"));
	h.first = today;
	if ((err = load_concerns(db, pid, &h)) != CW_OK || (err = load_cases(db, pid, &h)) != CW_OK)
		goto done;
	/* qsort's base may not be NULL, even for nothing (a provider with no history). */
	if (h.nev)
		qsort(h.ev, h.nev, sizeof(*h.ev), cmp_change);
	if (h.nm)
		qsort(h.m, h.nm, sizeof(*h.m), cmp_meet);
	if (by == CW_CHART_AUTO)
		by = today - h.first < 183 ? CW_CHART_WEEK : CW_CHART_MONTH;
	byword = by == CW_CHART_WEEK ? "week" : "month";
	/* The last TR_MAX_PERIODS periods up to today's. */
	start = period_start(by, h.first);
	for (d = period_start(by, today), i = 1; i < TR_MAX_PERIODS && d > start; i++)
		d = period_start(by, d - 1);
	if (d > start)
		start = d;

	cw_buf_printf(&desc, "Computed and agreed level of risk of %s at the end of each %s"
		" from %s to %s.", pname, byword, cw_date_format(start, s1), cw_date_format(today, s2));
	for (d = start; d <= today; d = period_next(by, d), n++) {
		cw_date end = period_next(by, d) - 1, at = end < today ? end : today;
		cw_band cb = computed_on(&h, at), ab = agreed_on(&h, at);
		const char *stage = stage_on(&h, at);

		json_array_append_new(periods, json_pack("{s:s,s:s,s:s?,s:s?,s:s?}",
			"start", cw_date_format(d, s1), "end", cw_date_format(at, s2),
			"computed", cw_band_name(cb), "agreed", cw_band_name(ab), "stage", stage));
		cw_buf_printf(&desc, " %s from %s: computed %s, agreed %s%s%s.", byword, s1,
			cw_chart_band_word(cb), cw_chart_band_word(ab), stage ? ", stage " : "", stage ? stage : "");
	}
	for (i = 0; i < h.nev; i++) {
		const struct change *c = &h.ev[i];

		json_array_append_new(changes, json_pack("{s:s,s:s?,s:s}", "date",
			cw_date_format(c->date, s1), "from", *c->from ? c->from : NULL, "to", c->to));
		cw_buf_printf(&desc, " Stage change on %s to %s.", s1, c->to);
		if (strcmp(c->to, "embargo") == 0 && !open_embargo) {
			open_embargo = json_pack("{s:s,s:n}", "from", s1, "to");
			json_array_append_new(embargoes, open_embargo);
		} else if (strcmp(c->to, "embargo") != 0 && open_embargo) {
			json_object_set_new(open_embargo, "to", json_string(s1));
			open_embargo = NULL;
		}
	}
	json_array_foreach(embargoes, i, em) {
		const char *to = json_string_value(json_object_get(em, "to"));

		cw_buf_printf(&desc, " Embargo from %s %s%s.",
			json_string_value(json_object_get(em, "from")),
			to ? "to " : "still in force", to ? to : "");
	}
	p.by = by;
	p.from = start;
	p.to = period_next(by, period_start(by, today));
	cw_chart_id_prefix(idp, sizeof(idp), "trend", pid);
	svg = trend_svg(idp, pname, byword, periods, changes, embargoes, &p, cw_buf_cstr(&desc));
	*out = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s}", "chart", "trend", "provider_id", pid,
		"provider", pname, "by", byword, "periods", periods, "stage_changes", changes,
		"embargoes", embargoes, "svg", svg);
	periods = changes = embargoes = NULL;
done:
	free(svg);
	json_decref(periods);
	json_decref(changes);
	json_decref(embargoes);
	json_decref(prov);
	history_free(&h);
	cw_buf_free(&desc);
	return err;
}
