/* The watch list (the home page), its CSV, and the monthly QA meeting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "carewatch/export.h"
#include "carewatch/case.h"
#include "web_internal.h"

static const char *const bands[] = { "red", "amber", "yellow", "green", NULL };

/* Sortable columns: the key and its heading. */
static const struct { const char *key, *label; } columns[] = {
	{ "provider", "Provider" }, { "band", "Level" }, { "stage", "Stage" },
	{ "max_score", "Highest score" }, { "open_concerns", "Open concerns" },
	{ "overdue_actions", "Overdue actions" }, { "next_review", "Next review" },
	{ NULL, NULL }
};

static int band_rank(const char *b)
{
	size_t i;

	for (i = 0; bands[i]; i++)
		if (b && strcmp(b, bands[i]) == 0)
			return 4 - (int)i;
	return 0;
}

/* The column being sorted on, per worker thread (qsort has no argument). */
static _Thread_local const char *sort_key;

static int cmp_rows(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	const char *key = sort_key;
	const json_t *va = json_object_get(a, key), *vb = json_object_get(b, key);

	if (strcmp(key, "band") == 0)
		return band_rank(json_string_value(vb)) - band_rank(json_string_value(va));
	if (json_is_integer(va) || json_is_integer(vb))
		return (int)(json_integer_value(vb) - json_integer_value(va));
	return strcmp(json_string_value(va) ? json_string_value(va) : "~",
		json_string_value(vb) ? json_string_value(vb) : "~");
}

static bool has_flag(const json_t *row, const char *flag)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(row, "flags"), i, f)
		if (json_string_value(f) && strcmp(json_string_value(f), flag) == 0)
			return true;
	return false;
}

/* The watch list filtered (band, stage, flag) and sorted as the query asks. */
static json_t *filtered(cw_ctx *c, json_t *rows)
{
	const char *band = cw_query(c, "band"), *stage = cw_query(c, "stage");
	const char *flag = cw_query(c, "flag"), *sort = cw_query(c, "sort");
	bool desc = cw_query(c, "dir") && strcmp(cw_query(c, "dir"), "desc") == 0;
	json_t *out = json_array(), *r, **v;
	size_t i, n = 0, k;

	json_array_foreach(rows, i, r) {
		if (band && *band && strcmp(cw_js(r, "band"), band) != 0)
			continue;
		if (stage && *stage && (strcmp(stage, "none") == 0
				? json_is_string(json_object_get(r, "stage"))
				: strcmp(cw_js(r, "stage"), stage) != 0))
			continue;
		if (flag && *flag && !has_flag(r, flag))
			continue;
		json_array_append(out, r);
	}
	for (k = 0; sort && columns[k].key; k++)
		if (strcmp(sort, columns[k].key) == 0)
			break;
	if (!sort || !columns[k].key)
		return out;
	n = json_array_size(out);
	v = cw_calloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(out, i));
	sort_key = columns[k].key;
	qsort(v, n, sizeof(*v), cmp_rows);
	json_array_clear(out);
	for (i = 0; i < n; i++)
		json_array_append_new(out, v[desc ? n - 1 - i : i]);
	free(v);
	return out;
}

static void filter_link(cw_ctx *c, const char *key, const char *label)
{
	const char *sort = cw_query(c, "sort");
	bool desc = cw_query(c, "dir") && strcmp(cw_query(c, "dir"), "desc") == 0;
	bool active = sort && strcmp(sort, key) == 0;

	cw_html(c, "<th scope=\"col\" class=\"govuk-table__header\" aria-sort=\"%s\">"
		"<a class=\"govuk-link\" href=\"/?sort=%s&amp;dir=%s", active ? (desc ? "descending" : "ascending") : "none",
		key, active && !desc ? "desc" : "asc");
	if (cw_query(c, "band")) {
		cw_html(c, "&amp;band=");
		cw_text(c, cw_query(c, "band"));
	}
	if (cw_query(c, "stage")) {
		cw_html(c, "&amp;stage=");
		cw_text(c, cw_query(c, "stage"));
	}
	if (cw_query(c, "flag")) {
		cw_html(c, "&amp;flag=");
		cw_text(c, cw_query(c, "flag"));
	}
	cw_html(c, "\">");
	cw_text(c, label);
	cw_html(c, "</a></th>");
}

static void filter_form(cw_ctx *c, json_t *rows)
{
	static const char *const stages[] = { "quality_assurance", "provider_performance", "embargo", "none", NULL };
	json_t *flags = json_object(), *r, *f;
	const char *name;
	size_t i, j;

	json_array_foreach(rows, i, r)
		json_array_foreach(json_object_get(r, "flags"), j, f)
			json_object_set_new(flags, json_string_value(f), json_true());
	cw_html(c, "<form method=\"get\" action=\"/\" class=\"govuk-!-margin-bottom-6\">"
		"<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-one-quarter\">");
	cw_field_select(c, "band", "Level", bands, cw_query(c, "band"), true);
	cw_html(c, "</div><div class=\"govuk-grid-column-one-quarter\">");
	cw_field_select(c, "stage", "Stage", stages, cw_query(c, "stage"), true);
	cw_html(c, "</div><div class=\"govuk-grid-column-one-quarter\">"
		"<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"flag\">Flag</label>"
		"<select class=\"govuk-select\" id=\"flag\" name=\"flag\"><option value=\"\"></option>");
	json_object_foreach(flags, name, f) {
		cw_html(c, "<option value=\"");
		cw_text(c, name);
		cw_html(c, "\"%s>", cw_query(c, "flag") && strcmp(cw_query(c, "flag"), name) == 0 ? " selected" : "");
		cw_text(c, name);
		cw_html(c, "</option>");
	}
	cw_html(c, "</select></div></div><div class=\"govuk-grid-column-one-quarter\">"
		"<button type=\"submit\" class=\"govuk-button govuk-button--secondary govuk-!-margin-top-6\">Filter</button>"
		"</div></div></form>\n");
	json_decref(flags);
}

int cw_page_home(cw_ctx *c)
{
	json_t *rows = NULL, *shown, *r;
	size_t i;
	int err;

	if ((err = cw_watchlist(c->db, &rows)) != CW_OK)
		return err;
	shown = filtered(c, rows);
	json_decref(rows);
	if (c->json) {
		cw_send_json(c, 200, shown);
		return CW_OK;
	}
	cw_page_start(c, "Watch list");
	cw_html(c, "<h1 class=\"govuk-heading-l\">Watch list</h1>"
		"<p class=\"govuk-body\">Every provider with an open case, a level of yellow or above, or a flag."
		" Download it as <a class=\"govuk-link\" href=\"/watchlist.csv\">CSV</a> or the"
		" <a class=\"govuk-link\" href=\"/agenda.md\">QA meeting agenda (Markdown)</a>.</p>\n");
	filter_form(c, shown);
	cw_html(c, "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--m\">"
		"%zu provider%s</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">",
		json_array_size(shown), json_array_size(shown) == 1 ? "" : "s");
	for (i = 0; columns[i].key; i++)
		filter_link(c, columns[i].key, columns[i].label);
	cw_html(c, "<th scope=\"col\" class=\"govuk-table__header\">Flags</th></tr></thead><tbody class=\"govuk-table__body\">");
	json_array_foreach(shown, i, r) {
		char *flags = cw_jtext(json_object_get(r, "flags"));

		cw_html(c, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/providers/");
		cw_text(c, cw_js(r, "provider_id"));
		cw_html(c, "\">");
		cw_text(c, cw_js(r, "provider"));
		cw_html(c, "</a></td><td class=\"govuk-table__cell\">");
		cw_band_tag(c, cw_js(r, "band"));
		cw_html(c, "</td><td class=\"govuk-table__cell\">");
		cw_text(c, *cw_js(r, "stage") ? cw_js(r, "stage") : "no case");
		cw_html(c, "</td><td class=\"govuk-table__cell\">%lld</td><td class=\"govuk-table__cell\">%lld</td>"
			"<td class=\"govuk-table__cell\">%lld</td><td class=\"govuk-table__cell\">",
			(long long)json_integer_value(json_object_get(r, "max_score")),
			(long long)json_integer_value(json_object_get(r, "open_concerns")),
			(long long)json_integer_value(json_object_get(r, "overdue_actions")));
		cw_text(c, cw_js(r, "next_review"));
		if (json_is_true(json_object_get(r, "review_overdue")))
			cw_html(c, " <strong class=\"govuk-tag govuk-tag--red\">overdue</strong>");
		cw_html(c, "</td><td class=\"govuk-table__cell\">");
		cw_text(c, flags);
		cw_html(c, "</td></tr>\n");
		free(flags);
	}
	cw_html(c, "</tbody></table>\n");
	cw_page_end(c);
	json_decref(shown);
	return CW_OK;
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
		cw_html(c, "<li><a class=\"govuk-link\" href=\"/providers/");
		cw_text(c, cw_js(e, "provider_id"));
		cw_html(c, "\">");
		cw_text(c, cw_js(e, "provider"));
		cw_html(c, "</a> – ");
		cw_text(c, cw_js(e, "stage"));
		cw_html(c, " ");
		cw_band_tag(c, cw_js(e, "band"));
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul><h2 class=\"govuk-heading-m\">Positive feedback</h2><ul class=\"govuk-list govuk-list--bullet\">");
	json_array_foreach(json_object_get(a, "positive"), i, e) {
		cw_html(c, "<li>");
		cw_text(c, cw_js(e, "provider"));
		cw_html(c, ": ");
		cw_text(c, cw_js(e, "summary"));
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul>");
	if (cw_may(c, "qa.record")) {
		const char *present[32];
		size_t n = cw_form_all(c, "present", present, 32);

		cw_html(c, "<h2 class=\"govuk-heading-m\">Record this meeting</h2>");
		cw_form_start(c, "/qa");
		cw_field_date(c, "date", "Date held", "For example, 27 3 2026");
		for (i = 0; i < 4; i++) {
			char label[32];

			snprintf(label, sizeof(label), "Present %zu", i + 1);
			cw_html(c, "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"present-%zu\">%s</label>"
				"<input class=\"govuk-input govuk-!-width-one-half\" id=\"present-%zu\" name=\"present\" type=\"text\" value=\"",
				i, label, i);
			cw_text(c, i < n ? present[i] : "");
			cw_html(c, "\"></div>");
		}
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
