/* The watch list (the home page), its CSV, and the monthly QA meeting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "carewatch/export.h"
#include "carewatch/case.h"
#include "carewatch/chart.h"
#include "carewatch/concern.h"
#include "carewatch/words.h"
#include "web_internal.h"

static const char *const bands[] = { "red", "amber", "yellow", "green", NULL };

/* Sortable columns: the key and its heading. */
static const struct { const char *key, *label; } columns[] = {
	{ "provider", "Provider" }, { "band", "Level" }, { "stage", "Stage" },
	{ "max_score", "Highest score" }, { "open_concerns", "Open concerns" },
	{ "overdue_actions", "Overdue actions" }, { "next_review", "Next review" },
	{ NULL, NULL }
};

static bool cw_check_team(const char *team)
{
	size_t i;

	for (i = 0; cw_concern_teams[i]; i++)
		if (strcmp(cw_concern_teams[i], team) == 0)
			return true;
	return false;
}

/* The column being sorted on, per worker thread (qsort has no argument). */
static _Thread_local const char *sort_key;

static int cmp_text(const char *a, const char *b)
{
	return strcmp(a ? a : "~", b ? b : "~");
}

/* The list's rows by one column: levels and counts highest first, text A-Z
 * with the empty last. */
static int cmp_rows(const void *pa, const void *pb)
{
	const cw_watch_row *a = *(const cw_watch_row *const *)pa;
	const cw_watch_row *b = *(const cw_watch_row *const *)pb;
	const char *key = sort_key;

	if (strcmp(key, "band") == 0)
		return (int)b->band - (int)a->band;
	if (strcmp(key, "max_score") == 0)
		return b->max_score - a->max_score;
	if (strcmp(key, "open_concerns") == 0)
		return b->open_concerns - a->open_concerns;
	if (strcmp(key, "overdue_actions") == 0)
		return b->overdue_actions - a->overdue_actions;
	if (strcmp(key, "stage") == 0)
		return cmp_text(a->stage, b->stage);
	if (strcmp(key, "next_review") == 0)
		return cmp_text(a->next_review, b->next_review);
	return cmp_text(a->provider, b->provider);
}

static bool has_flag(const cw_watch_row *r, const char *flag)
{
	for (size_t i = 0; i < r->nflags; i++)
		if (strcmp(r->flags[i], flag) == 0)
			return true;
	return false;
}

/* The providers with an open concern from `team`: {provider_id: true}. */
static int team_providers(cw_ctx *c, const char *team, json_t **out)
{
	json_t *list = NULL, *e;
	size_t i;
	int err;

	if ((err = cw_concern_team_providers(c->db, team, &list)) != CW_OK)
		return err;
	*out = json_object();
	json_array_foreach(list, i, e)
		json_object_set_new(*out, json_string_value(e), json_true());
	json_decref(list);
	return CW_OK;
}

/* The watch list's rows filtered (band, stage, flag, team) and sorted as the
 * query asks: a new array of rows borrowed from `l`, *n of them. */
static int filtered(cw_ctx *c, const cw_watch_list *l, const cw_watch_row ***result,
	size_t *n)
{
	const char *band = cw_query(c, "band"), *stage = cw_query(c, "stage");
	const char *flag = cw_query(c, "flag"), *sort = cw_query(c, "sort");
	const char *team = cw_query(c, "team");
	bool desc = cw_query(c, "dir") && strcmp(cw_query(c, "dir"), "desc") == 0;
	const cw_watch_row **v;
	json_t *of_team = NULL;
	size_t i, k;
	int err;

	if (team && *team) {
		if (!cw_check_team(team))
			return cw_error_at("team", CW_EINVALID, "'%s' is not a team", team);
		if ((err = team_providers(c, team, &of_team)) != CW_OK)
			return err;
	}
	*n = 0;
	*result = v = cw_calloc(cw_watch_list_count(l) + 1, sizeof(*v));
	for (i = 0; i < cw_watch_list_count(l); i++) {
		const cw_watch_row *r = cw_watch_list_row(l, i);

		if (of_team && !json_object_get(of_team, r->provider_id))
			continue;
		if (band && *band && (r->band == CW_BAND_NONE || strcmp(cw_band_name(r->band), band) != 0))
			continue;
		if (stage && *stage && (strcmp(stage, "none") == 0 ? r->stage != NULL
				: !r->stage || strcmp(r->stage, stage) != 0))
			continue;
		if (flag && *flag && !has_flag(r, flag))
			continue;
		v[(*n)++] = r;
	}
	json_decref(of_team);
	for (k = 0; sort && columns[k].key; k++)
		if (strcmp(sort, columns[k].key) == 0)
			break;
	if (!sort || !columns[k].key)
		return CW_OK;
	sort_key = columns[k].key;
	qsort(v, *n, sizeof(*v), cmp_rows);
	for (i = 0; desc && i < *n / 2; i++) {
		const cw_watch_row *t = v[i];

		v[i] = v[*n - 1 - i];
		v[*n - 1 - i] = t;
	}
	return CW_OK;
}

static const char *const filters[] = { "band", "stage", "flag", "team", NULL };

static void filter_link(cw_ctx *c, const char *key, const char *label)
{
	size_t i;
	const char *sort = cw_query(c, "sort");
	bool desc = cw_query(c, "dir") && strcmp(cw_query(c, "dir"), "desc") == 0;
	bool active = sort && strcmp(sort, key) == 0;

	cw_html(c, "<th scope=\"col\" class=\"govuk-table__header\" aria-sort=\"%s\">"
		"<a class=\"govuk-link\" href=\"/?sort=%s&amp;dir=%s", active ? (desc ? "descending" : "ascending") : "none",
		key, active && !desc ? "desc" : "asc");
	for (i = 0; filters[i]; i++)
		if (cw_query(c, filters[i])) {
			cw_html(c, "&amp;%s=", filters[i]);
			cw_text(c, cw_query(c, filters[i]));
		}
	cw_html(c, "\">");
	cw_text(c, label);
	cw_html(c, "</a></th>");
}

/* A filter's select: each choice's value its identifier, its text in words. */
static void word_select(cw_ctx *c, const char *name, const char *label,
	const char *const *ids, const char *(*words)(const char *))
{
	const char *now = cw_query(c, name);
	size_t i;

	cw_html(c, "<div class=\"govuk-grid-column-one-quarter\"><div class=\"govuk-form-group\">"
		"<label class=\"govuk-label\" for=\"%s\">%s</label>"
		"<select class=\"govuk-select govuk-!-width-full\" id=\"%s\" name=\"%s\"><option value=\"\">Any</option>",
		name, label, name, name);
	for (i = 0; ids[i]; i++) {
		cw_html(c, "<option value=\"");
		cw_text(c, ids[i]);
		cw_html(c, "\"%s>", now && strcmp(now, ids[i]) == 0 ? " selected" : "");
		cw_text(c, words ? words(ids[i]) : ids[i]);
		cw_html(c, "</option>");
	}
	cw_html(c, "</select></div></div>");
}

static const char *stage_or_none(const char *stage)
{
	return strcmp(stage, "none") == 0 ? "No case" : cw_words_stage(stage);
}

static const char *band_word(const char *band)
{
	static const char *const words[] = { "Red", "Amber", "Yellow", "Green" };
	size_t i;

	for (i = 0; bands[i]; i++)
		if (strcmp(bands[i], band) == 0)
			return words[i];
	return band;
}

static void filter_form(cw_ctx *c, const cw_watch_row *const *rows, size_t nrows)
{
	static const char *const stages[] = { "quality_assurance", "provider_performance", "embargo", "none", NULL };
	json_t *seen = json_object(), *f;
	const char *ids[64];
	const char *name;
	size_t i, j, n = 0;

	for (i = 0; i < nrows; i++)
		for (j = 0; j < rows[i]->nflags; j++)
			json_object_set_new(seen, rows[i]->flags[j], json_true());
	if (cw_query(c, "flag") && *cw_query(c, "flag"))
		json_object_set_new(seen, cw_query(c, "flag"), json_true());
	json_object_foreach(seen, name, f)
		if (n < 63)
			ids[n++] = name;
	ids[n] = NULL;
	cw_html(c, "<form method=\"get\" action=\"/\" class=\"govuk-!-margin-bottom-6\">"
		"<div class=\"govuk-grid-row\">");
	word_select(c, "band", "Level", bands, band_word);
	word_select(c, "stage", "Stage", stages, stage_or_none);
	word_select(c, "flag", "Flag", ids, cw_words_flag);
	word_select(c, "team", "Team with an open concern", cw_concern_teams, cw_words_team);
	cw_html(c, "</div><button type=\"submit\" class=\"govuk-button govuk-button--secondary\">Filter</button>"
		" <a class=\"govuk-link cw-inline-link\" href=\"/\">Clear the filters</a></form>\n");
	json_decref(seen);
}

/* Flags in words, one to a line. */
static void flag_words(cw_ctx *c, const cw_watch_row *r)
{
	if (!r->nflags)
		return;
	cw_html(c, "<ul class=\"govuk-list govuk-!-font-size-16 govuk-!-margin-bottom-0\">");
	for (size_t i = 0; i < r->nflags; i++) {
		cw_html(c, "<li>");
		cw_text(c, cw_words_flag(r->flags[i]));
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul>");
}

/* The rows the page shows, as JSON (the page with Accept: application/json). */
static void send_rows_json(cw_ctx *c, const cw_watch_row *const *rows, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, cw_watch_row_json(rows[i]));
	cw_send_json(c, 200, a);
}

/* The page reads the typed rows: the list's JSON is made only when asked for. */
int cw_page_home(cw_ctx *c)
{
	cw_watch_list *l = NULL;
	const cw_watch_row **shown = NULL;
	json_t *heat = NULL;
	size_t i, n = 0;
	int err;

	if ((err = cw_watchlist_rows(c->db, &l)) != CW_OK)
		return err;
	if ((err = filtered(c, l, &shown, &n)) != CW_OK)
		goto done;
	if (c->json) {
		send_rows_json(c, shown, n);
		goto done;
	}
	if ((err = cw_chart_heatmap(c->db, NULL, &heat)) != CW_OK)
		goto done;
	cw_page_start(c, "Watch list");
	cw_html(c, "<h1 class=\"govuk-heading-l\">Watch list</h1>"
		"<p class=\"govuk-body\">Every provider with an open case, a level of yellow or above, or a flag."
		" Download it as <a class=\"govuk-link\" href=\"/watchlist.csv\">CSV</a> or the"
		" <a class=\"govuk-link\" href=\"/agenda.md\">QA meeting agenda (Markdown)</a>.</p>\n");
	filter_form(c, shown, n);
	cw_html(c, "<table class=\"govuk-table govuk-table--small-text-until-tablet cw-watchlist\"><caption class=\"govuk-table__caption govuk-table__caption--m\">"
		"%zu provider%s</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">",
		n, n == 1 ? "" : "s");
	for (i = 0; columns[i].key; i++)
		filter_link(c, columns[i].key, columns[i].label);
	cw_html(c, "<th scope=\"col\" class=\"govuk-table__header\">Flags</th></tr></thead><tbody class=\"govuk-table__body\">");
	for (i = 0; i < n; i++) {
		const cw_watch_row *r = shown[i];

		cw_html(c, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">");
		cw_link(c, "/providers/", r->provider_id, r->provider);
		if (r->case_ref && *r->case_ref)
			cw_markup(c, "<br><a class=\"govuk-link govuk-!-font-size-16\" href=\"/cases/%s\">case %s</a>",
				r->case_id, r->case_ref);
		cw_html(c, "</td><td class=\"govuk-table__cell\">");
		cw_band_tag(c, r->band != CW_BAND_NONE ? cw_band_name(r->band) : "");
		cw_html(c, "</td><td class=\"govuk-table__cell\">");
		cw_text(c, r->stage ? cw_words_stage(r->stage) : "No case");
		cw_html(c, "</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">%d</td>"
			"<td class=\"govuk-table__cell govuk-table__cell--numeric\">%d</td>"
			"<td class=\"govuk-table__cell govuk-table__cell--numeric\">%d</td><td class=\"govuk-table__cell cw-nowrap\">",
			r->max_score, r->open_concerns, r->overdue_actions);
		cw_text(c, r->next_review ? r->next_review : "");
		if (r->review_overdue)
			cw_html(c, "<br><strong class=\"govuk-tag govuk-tag--red\">overdue</strong>");
		cw_html(c, "</td><td class=\"govuk-table__cell\">");
		flag_words(c, r);
		cw_html(c, "</td></tr>\n");
	}
	cw_html(c, "</tbody></table>\n<h2 class=\"govuk-heading-m\">Open concerns on the risk matrix</h2>"
		"<div class=\"cw-chart\">%s</div>\n", cw_js(heat, "svg"));
	cw_page_end(c);
done:
	json_decref(heat);
	free(shown);
	cw_watch_list_free(l);
	return err;
}

int cw_page_watchlist_csv(cw_ctx *c)
{
	json_t *rows = NULL;
	char *csv;
	int err;

	if ((err = cw_watchlist(c->db, &rows)) != CW_OK)
		return err;
	csv = cw_export_csv(rows, cw_export_columns(CW_EXPORT_WATCHLIST));
	cw_send_text(c, "text/csv; charset=utf-8", "watchlist.csv", csv);
	free(csv);
	json_decref(rows);
	return CW_OK;
}

/* The agenda the QA meeting reads, as `watchlist --format markdown` prints it. */
int cw_page_agenda_md(cw_ctx *c)
{
	json_t *a = NULL;
	int err;

	if ((err = cw_watchlist_agenda_render(c->db, &a)) != CW_OK)
		return err;
	cw_send_text(c, "text/markdown; charset=utf-8", "qa-agenda.md", cw_js(a, "text"));
	json_decref(a);
	return CW_OK;
}

/* The QA meeting: the agenda as data, and the form that records it. */
int cw_page_qa(cw_ctx *c)
{
	json_t *a = NULL, *e;
	size_t i;
	int err;

	if ((err = cw_watchlist_agenda(c->db, &a)) != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, a);
		return CW_OK;
	}
	cw_page_start(c, "Monthly QA meeting");
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">Monthly quality assurance meeting</h1>"
		"<p class=\"govuk-body\">Previous meeting: ");
	cw_text(c, *cw_js(a, "last_qa") ? cw_js(a, "last_qa") : "none recorded");
	cw_html(c, ". <a class=\"govuk-link\" href=\"/agenda.md\">Download the agenda (Markdown)</a>.</p>"
		"<h2 class=\"govuk-heading-m\">Providers under the protocol</h2><ul class=\"govuk-list govuk-list--bullet\">");
	json_array_foreach(json_object_get(a, "under_protocol"), i, e) {
		cw_html(c, "<li>");
		cw_link(c, "/providers/", cw_js(e, "provider_id"), cw_js(e, "provider"));
		cw_markup(c, " – %s ", cw_words_stage(cw_js(e, "stage")));
		cw_band_tag(c, cw_js(e, "band"));
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul><h2 class=\"govuk-heading-m\">Positive feedback</h2><ul class=\"govuk-list govuk-list--bullet\">");
	json_array_foreach(json_object_get(a, "positive"), i, e)
		cw_markup(c, "<li>%s: %s</li>", cw_js(e, "provider"), cw_js(e, "summary"));
	cw_html(c, "</ul>");
	if (cw_may(c, "qa.record")) {
		const char *present[32];
		size_t n = cw_form_all(c, "present", present, 32);

		cw_html(c, "<h2 class=\"govuk-heading-m\">Record this meeting</h2>");
		cw_form_start(c, "/qa");
		cw_field_date(c, "date", "Date held", "For example, 27 3 2026");
		for (i = 0; i < 4; i++)
			cw_markup(c, "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"present-%zu\">Present %zu</label>"
				"<input class=\"govuk-input govuk-!-width-one-half\" id=\"present-%zu\" name=\"present\" type=\"text\" value=\"%s\"></div>",
				i, i + 1, i, i < n ? present[i] : "");
		cw_form_end(c, "Record the QA meeting");
	}
	cw_page_end(c);
	json_decref(a);
	return CW_OK;
}

int cw_page_qa_record(cw_ctx *c)
{
	const char *raw[32], *present[32];
	size_t n = cw_form_all(c, "present", raw, 32), i, k = 0;
	json_t *out = NULL;
	cw_date d = 0;
	bool given;
	int err;

	for (i = 0; i < n; i++)
		if (*raw[i])
			present[k++] = raw[i];
	if ((err = cw_form_date(c, "date", true, &given, &d)) != CW_OK ||
	    (err = cw_qa_record(c->db, d, present, k, &out)) != CW_OK) {
		cw_ctx_fail(c, err);
		if (c->json)
			return err;
		cw_page_qa(c);
		return err;
	}
	if (c->json) {
		cw_send_json(c, 201, out);
		return CW_OK;
	}
	json_decref(out);
	cw_redirect(c, "/qa");
	return CW_OK;
}
