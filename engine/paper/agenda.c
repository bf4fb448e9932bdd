/*
 * The monthly QA meeting's agenda (protocol appendix D) as Markdown: the
 * engine's agenda facts (cw_watchlist_agenda, already redacted for the
 * actor) made ready for config/documents/qa-agenda.md — a dash for what is
 * not known, flags as a list in words, teams as a list — and rendered with
 * the template engine, which escapes every value.
 */
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "carewatch/audit.h"
#include "carewatch/template.h"
#include "carewatch/buf.h"
#include "carewatch/error.h"
#include "carewatch/chart.h"
#include "carewatch/qa.h"
#include "paper.h"
#include "store.h"

/* A string value, or "-" when there is none. */
static void set_text(json_t *o, const char *key, const char *from)
{
	const char *s = json_string_value(json_object_get(o, from));

	json_object_set_new(o, key, json_string(s && *s ? s : "-"));
}

static void set_flags_text(json_t *o)
{
	cw_buf b = CW_BUF_INIT;
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(o, "flags"), i, f)
		cw_buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(f));
	json_object_set_new(o, "flags_text", json_string(b.len ? cw_buf_cstr(&b) : "-"));
	cw_buf_free(&b);
}

static void prepare_row(json_t *r)
{
	char review[32];
	const char *next = json_string_value(json_object_get(r, "next_review"));

	set_text(r, "band_text", "band");
	set_text(r, "agreed_text", "agreed_band");
	set_text(r, "computed_text", "computed_band");
	set_text(r, "trend_text", "trend");
	snprintf(review, sizeof(review), "%s", next && *next ? next : "-");
	json_object_set_new(r, "review_text", json_string(review));
	set_flags_text(r);
}

static void prepare_concern(json_t *c)
{
	const char *source = json_string_value(json_object_get(c, "source"));

	json_object_set_new(c, "scored", json_boolean(json_is_integer(json_object_get(c, "score"))));
	json_object_set_new(c, "pova", json_boolean(source && strcmp(source, "pova_referral") == 0));
	if (!json_is_string(json_object_get(c, "band")))
		json_object_set_new(c, "band", json_string("-"));
}

static json_t *context(json_t *a)
{
	json_t *ctx = json_deep_copy(a), *teams = json_array(), *list, *e;
	const char *team;
	size_t i;

	json_array_foreach(json_object_get(ctx, "rows"), i, e)
		prepare_row(e);
	json_array_foreach(json_object_get(ctx, "under_protocol"), i, e) {
		prepare_row(e);
		json_object_set_new(e, "first", json_boolean(i == 0));
	}
	json_object_foreach(json_object_get(ctx, "new_concerns"), team, list) {
		json_array_foreach(list, i, e)
			prepare_concern(e);
		json_array_append_new(teams, json_pack("{s:s,s:O}", "team", team, "concerns", list));
	}
	json_object_set_new(ctx, "teams", teams);
	json_object_set_new(ctx, "anything_overdue", json_boolean(
		json_array_size(json_object_get(ctx, "overdue_actions")) ||
		json_array_size(json_object_get(ctx, "open_tasks"))));
	set_text(ctx, "date", "date");
	set_text(ctx, "new_since_text", "new_since");
	set_text(ctx, "next_meeting", "next_meeting");
	return ctx;
}

/* Closures since the last QA meeting and that meeting's actions (appendix D). */
static int qa_feedback(cw_db *db, json_t *ctx)
{
	json_t *fb = NULL;
	int err;

	if ((err = cw_qa_feedback(db, &fb)) != CW_OK)
		return err;
	json_object_set(ctx, "closures", json_object_get(fb, "closures"));
	json_object_set(ctx, "qa_actions", json_object_get(fb, "actions"));
	json_decref(fb);
	return CW_OK;
}

static int render_md(cw_db *db, const char *unused, json_t **out)
{
	cw_template_opts opts = { CW_FORMAT_MARKDOWN, NULL, NULL, NULL, NULL };
	json_t *a = NULL, *ctx = NULL;
	char *tmpl = NULL, *text = NULL;
	int err;
	(void)unused;

	if ((err = cw_watchlist_agenda(db, &a)) != CW_OK ||
	    (err = cw_template_load(cw_db_rules(db), "documents_dir", NULL,
			"documents/qa-agenda.md", &tmpl, NULL)) != CW_OK)
		goto done;
	ctx = context(a);
	/* The audit chain's head as printed: the paper file anchors the chain. */
	json_object_set_new(ctx, "anchor", cw_audit_anchor(db));
	if ((err = qa_feedback(db, ctx)) != CW_OK ||
	    (err = cw_template_render(tmpl, "qa-agenda.md", ctx, &opts, &text)) != CW_OK)
		goto done;
	json_object_set_new(a, "text", json_string(text));
	*out = a;
	a = NULL;
done:
	free(text);
	free(tmpl);
	json_decref(ctx);
	json_decref(a);
	return err;
}

/* The area's heat map and each escalated provider's trend, as a section. */
static int agenda_charts(cw_db *db, const json_t *under, cw_buf *b)
{
	json_t *hm = NULL, *tr = NULL, *r;
	size_t i;
	int err;

	if ((err = cw_chart_heatmap(db, NULL, &hm)) != CW_OK)
		return err;
	cw_buf_puts(b, "<section class=\"charts\">\n<h2>Pictures of risk</h2>\n<figure>\n");
	cw_buf_puts(b, json_string_value(json_object_get(hm, "svg")));
	cw_buf_puts(b, "</figure>\n");
	json_decref(hm);
	json_array_foreach(under, i, r) {
		const char *stage = json_string_value(json_object_get(r, "stage"));

		if (!stage || (strcmp(stage, "provider_performance") != 0 &&
		    strcmp(stage, "embargo") != 0))
			continue;
		if ((err = cw_chart_trend(db, json_string_value(json_object_get(r, "provider_id")),
				CW_CHART_AUTO, &tr)) != CW_OK)
			return err;
		cw_buf_printf(b, "<figure>\n%s</figure>\n",
			json_string_value(json_object_get(tr, "svg")));
		json_decref(tr);
	}
	cw_buf_puts(b, "</section>\n");
	return CW_OK;
}

#define CHARTS_MARK "<!-- carewatch:charts -->"

static int render_html(cw_db *db, const char *unused, json_t **out)
{
	cw_template_opts opts = { CW_FORMAT_HTML, NULL, NULL, NULL, NULL };
	json_t *a = NULL, *ctx = NULL, *e, *under;
	char *tmpl = NULL, *text = NULL, *page = NULL, *at;
	cw_buf body = CW_BUF_INIT;
	size_t i;
	int err;
	(void)unused;

	if ((err = cw_watchlist_agenda(db, &a)) != CW_OK ||
	    (err = cw_template_load(cw_db_rules(db), "documents_dir", NULL,
			"documents/qa-agenda.html", &tmpl, NULL)) != CW_OK)
		goto done;
	ctx = context(a);
	under = json_object_get(ctx, "under_protocol");
	json_array_foreach(under, i, e)
		json_object_set_new(e, "last", json_boolean(i + 1 == json_array_size(under)));
	if ((err = qa_feedback(db, ctx)) != CW_OK ||
	    (err = cw_template_render(tmpl, "qa-agenda.html", ctx, &opts, &text)) != CW_OK)
		goto done;
	if ((at = strstr(text, CHARTS_MARK))) {
		cw_buf_put(&body, text, (size_t)(at - text));
		if ((err = agenda_charts(db, json_object_get(a, "under_protocol"), &body)) != CW_OK)
			goto done;
		cw_buf_puts(&body, at + strlen(CHARTS_MARK));
	} else {
		cw_buf_puts(&body, text);
	}
	page = cw_paper_html_page("Monthly Quality Assurance Meeting: agenda", cw_buf_cstr(&body),
		true);
	json_object_set_new(a, "text", json_string(page));
	*out = a;
	a = NULL;
done:
	free(page);
	free(text);
	free(tmpl);
	cw_buf_free(&body);
	json_decref(ctx);
	json_decref(a);
	return err;
}

/* The agenda as at its print date: with --today in the past, the record as
 * it stood that day, charts included (store.h). */
int cw_watchlist_agenda_render(cw_db *db, json_t **out)
{
	return cw_store_as_at_today_get(db, render_md, NULL, out);
}

int cw_watchlist_agenda_html(cw_db *db, json_t **out)
{
	return cw_store_as_at_today_get(db, render_html, NULL, out);
}
