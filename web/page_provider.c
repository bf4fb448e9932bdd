/* Providers, their concerns, placements and the start of a case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/provider.h"
#include "carewatch/concern.h"
#include "carewatch/case.h"
#include "carewatch/meeting.h"
#include "carewatch/placement.h"
#include "carewatch/commissioner.h"
#include "carewatch/words.h"
#include "carewatch/chart.h"
#include "web_internal.h"

int cw_page_providers(cw_ctx *c)
{
	static const cw_column cols[] = {
		{ "Provider", CW_CELL_LINK, .key = "name", .href = "/providers/", .id = "id" },
		{ "Type", CW_CELL_TEXT, .key = "type" }, { "Level", CW_CELL_BAND, .key = "band" },
		{ "Stage", CW_CELL_STAGE, .key = "stage" }, { "Status", CW_CELL_TEXT, .key = "status" }, { 0 },
	};
	json_t *list = NULL, *commissioners = NULL;
	int err;

	if ((err = cw_provider_list(c->db, &list)) != CW_OK)
		return err;
	if (cw_page_start_list(c, list, "Providers", "Providers"))
		return CW_OK;
	cw_table(c, NULL, cols, list, NULL);
	if (cw_may(c, "provider.write") && cw_commissioner_list(c->db, &commissioners) == CW_OK) {
		cw_html(c, "<h2 class=\"govuk-heading-m\">Add a provider</h2>");
		cw_form_start(c, "/providers");
		cw_field_text(c, "name", "Name", NULL, cw_form(c, "name"), "text");
		cw_field_select(c, "type", "Type", cw_provider_types, cw_form(c, "type"), true);
		cw_field_text(c, "regulator_id", "Regulator id (optional)", NULL, cw_form(c, "regulator_id"), "text");
		cw_field_text(c, "group", "Provider group (optional)", NULL, cw_form(c, "group"), "text");
		cw_field_select_json(c, "commissioner", "Commissioner", commissioners, "id", "name",
			cw_form(c, "commissioner"));
		cw_form_end(c, "Add provider");
	}
	json_decref(commissioners);
	cw_page_end(c);
	json_decref(list);
	return CW_OK;
}

int cw_page_provider_add(cw_ctx *c)
{
	const char *comm = cw_form(c, "commissioner");
	const char *group = cw_form(c, "group"), *reg = cw_form(c, "regulator_id");
	cw_provider_add_args a = {
		.name = cw_form_or(c, "name", ""), .type = cw_form_or(c, "type", ""),
		.regulator_id = reg && *reg ? reg : NULL, .group = group && *group ? group : NULL,
		.commissioners = comm && *comm ? &comm : NULL, .ncommissioners = comm && *comm ? 1 : 0,
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_provider_add(c->db, &a, &out)) != CW_OK) {
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, true, cw_page_providers);
	}
	return cw_post_done(c, out, 201, "/providers/", "id");
}

/* One line of the provider's timeline. */
static void timeline_add(json_t *t, const char *date, const char *what, const char *detail,
	const char *href)
{
	json_array_append_new(t, json_pack("{s:s,s:s,s:s,s:s?}", "date", date ? date : "",
		"what", what, "detail", detail ? detail : "", "href", href));
}

static int cmp_date_desc(const void *pa, const void *pb)
{
	const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;

	return strcmp(cw_js(b, "date"), cw_js(a, "date"));
}

/* Everything that happened to a provider, newest first. */
static json_t *timeline(cw_ctx *c, json_t *provider, json_t *concerns, json_t *kase,
	json_t *meetings, json_t *controls)
{
	json_t *t = json_array(), *e, *sorted = json_array(), **v;
	size_t i, n;
	char href[96], what[160];

	json_array_foreach(concerns, i, e) {
		snprintf(href, sizeof(href), "/concerns/%s", cw_js(e, "id"));
		if (json_is_true(json_object_get(e, "positive")))
			snprintf(what, sizeof(what), "Positive feedback (%s)", cw_js(e, "team"));
		else
			snprintf(what, sizeof(what), "Concern logged: %s, %s", cw_js(e, "source"),
				*cw_js(e, "band") ? cw_js(e, "band") : "unscored");
		timeline_add(t, cw_js(e, "received"), what, cw_js(e, "summary"), href);
		if (strcmp(cw_js(e, "status"), "resolved") == 0 && *cw_js(e, "resolved"))
			timeline_add(t, cw_js(e, "resolved"), "Concern resolved", cw_js(e, "summary"), href);
	}
	json_array_foreach(json_object_get(kase, "events"), i, e) {
		snprintf(what, sizeof(what), "Case %s%s%s by %s", cw_js(e, "command"),
			*cw_js(e, "to") ? ": now " : "", cw_js(e, "to"), cw_js(e, "actor"));
		timeline_add(t, cw_js(e, "date"), what, cw_js(e, "rationale"), NULL);
	}
	json_array_foreach(meetings, i, e) {
		snprintf(what, sizeof(what), "Provider performance meeting (trend %s)", cw_js(e, "trend"));
		timeline_add(t, cw_js(e, "date"), what, cw_js(e, "decisions"), NULL);
	}
	json_array_foreach(controls, i, e)
		if (*cw_js(e, "since")) {
			snprintf(what, sizeof(what), "Placements %s by %s", cw_js(e, "status"),
				cw_js(e, "commissioner"));
			timeline_add(t, cw_js(e, "since"), what, cw_js(e, "reason"), NULL);
		}
	/* Corrections: what was and what is, with the reason (SPEC §2). */
	json_array_foreach(json_object_get(provider, "corrections"), i, e) {
		const char *label = cw_js(e, "label");
		char detail[1024];

		snprintf(what, sizeof(what), "Corrected%s%s: %s, by %s", *label ? " " : "", label,
			cw_js(e, "field"), cw_js(e, "by"));
		snprintf(detail, sizeof(detail), "was '%s', now '%s': %s",
			cw_js(e, "before"), cw_js(e, "after"), cw_js(e, "reason"));
		timeline_add(t, cw_js(e, "at"), what, detail, NULL);
	}
	(void)c;
	n = json_array_size(t);
	v = cw_calloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(t, i));
	qsort(v, n, sizeof(*v), cmp_date_desc);
	for (i = 0; i < n; i++)
		json_array_append_new(sorted, v[i]);
	free(v);
	json_decref(t);
	return sorted;
}

/* Positive feedback has no band: it says so instead. */
static void concern_level(cw_ctx *c, const json_t *e, size_t i)
{
	(void)i;
	if (json_is_true(json_object_get(e, "positive")))
		cw_html(c, "<strong class=\"govuk-tag govuk-tag--blue\">positive</strong>");
	else
		cw_band_tag(c, cw_js(e, "band"));
}

static void concern_table(cw_ctx *c, json_t *list, const char *caption)
{
	static const cw_column cols[] = {
		{ "Reference", CW_CELL_TEXT, .key = "ref", .cls = "cw-nowrap" },
		{ "Received", CW_CELL_TEXT, .key = "received", .cls = "cw-nowrap" },
		{ "Summary", CW_CELL_LINK, .key = "summary", .href = "/concerns/", .id = "id" },
		{ "Source", CW_CELL_TEXT, .key = "source" },
		{ "Level", CW_CELL_DRAW, .draw = concern_level },
		{ "POVA reference", CW_CELL_TEXT, .key = "pova_ref" }, { 0 },
	};

	cw_table(c, caption, cols, list, "None.");
	cw_html(c, "\n");
}

static void placement_form(cw_ctx *c, const char *pid, json_t *controls)
{
	static const char *const kinds[] = { "admission", "package", NULL };

	cw_html(c, "<h3 class=\"govuk-heading-s\">Check or record a placement</h3>");
	cw_html(c, "<form method=\"post\" action=\"/providers/");
	cw_text(c, pid);
	cw_html(c, "/placement\" novalidate>");
	cw_csrf_field(c);
	cw_field_select_json(c, "commissioner", "Commissioner", controls, "commissioner_id",
		"commissioner", cw_form(c, "commissioner"));
	cw_field_select(c, "kind", "Kind", kinds, cw_form(c, "kind"), false);
	cw_field_text(c, "hours", "Hours of care a week (packages)", NULL, cw_form(c, "hours"), "text");
	cw_html(c, "<div class=\"govuk-button-group\"><button type=\"submit\" name=\"do\" value=\"check\" class=\"govuk-button govuk-button--secondary\">Check</button>");
	if (cw_may(c, "placement.write"))
		cw_html(c, "<button type=\"submit\" name=\"do\" value=\"record\" class=\"govuk-button\">Record the placement</button>");
	cw_html(c, "</div></form>\n");
}

int cw_page_provider(cw_ctx *c)
{
	static const cw_column placement_cols[] = {
		{ "Commissioner", CW_CELL_TEXT, .key = "commissioner" },
		{ "New placements", CW_CELL_TEXT, .key = "status" }, { "Since", CW_CELL_TEXT, .key = "since" },
		{ "Conditions", CW_CELL_TEXT, .key = "conditions_text" }, { 0 },
	};
	json_t *p = NULL, *concerns = NULL, *kase = NULL, *meetings = NULL, *controls = NULL;
	json_t *open = json_array(), *closed = json_array(), *tl = NULL, *e;
	json_t *trend = NULL, *heat = NULL;
	cw_concern_filter f = { 0 };
	const char *pid;
	size_t i;
	int err;

	if ((err = cw_provider_show(c->db, c->seg[1], &p)) != CW_OK)
		goto done;
	pid = cw_js(p, "id");
	f.provider = pid;
	if ((err = cw_concern_list(c->db, &f, &concerns)) != CW_OK ||
	    (err = cw_placement_controls(c->db, pid, &controls)) != CW_OK)
		goto done;
	if (*cw_js(p, "case_id") &&
	    ((err = cw_case_show(c->db, cw_js(p, "case_id"), &kase)) != CW_OK ||
	     (err = cw_meeting_list(c->db, cw_js(p, "case_id"), &meetings)) != CW_OK))
		goto done;
	tl = timeline(c, p, concerns, kase, meetings, controls);
	if (c->json) {
		json_t *j = json_deep_copy(p);

		json_object_set(j, "concerns", concerns);
		json_object_set(j, "case", kase ? kase : json_null());
		json_object_set(j, "placement_controls", controls);
		json_object_set(j, "timeline", tl);
		cw_send_json(c, 200, j);
		goto done;
	}
	json_array_foreach(concerns, i, e)
		json_array_append(strcmp(cw_js(e, "status"), "open") == 0 ? open : closed, e);
	cw_page_start(c, cw_js(p, "name"));
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<span class=\"govuk-caption-l\">Provider</span><h1 class=\"govuk-heading-l\">");
	cw_text(c, cw_js(p, "name"));
	cw_html(c, "</h1><dl class=\"govuk-summary-list\">");
	cw_summary_row(c, "Type", cw_js(p, "type"));
	cw_summary_row(c, "Regulator id", cw_js(p, "regulator_id"));
	cw_summary_row(c, "Group", cw_js(p, "group"));
	{
		char *comm = cw_jtext(json_object_get(p, "commissioners"));
		cw_summary_row(c, "Commissioners", comm);
		cw_summary_row(c, "Status", cw_js(p, "status"));
		cw_html(c, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Computed level</dt>"
			"<dd class=\"govuk-summary-list__value\">");
		cw_band_tag(c, cw_js(p, "band"));
		cw_html(c, "</dd></div>");
		if (kase) {
			const json_t *m = json_array_size(meetings)
				? json_array_get(meetings, json_array_size(meetings) - 1) : NULL;

			cw_summary_row(c, "Agreed level (last meeting)", m ? cw_js(m, "overall") : "");
		}
		cw_html(c, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Flags</dt>"
			"<dd class=\"govuk-summary-list__value\">");
		cw_flag_list(c, json_object_get(p, "flags"));
		cw_html(c, "</dd></div>");
		free(comm);
	}
	cw_html(c, "</dl>");
	cw_html(c, "<h2 class=\"govuk-heading-m\">Case</h2>");
	if (kase) {
		cw_html(c, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/cases/");
		cw_text(c, cw_js(kase, "id"));
		cw_html(c, "\">Case ");
		cw_text(c, cw_js(kase, "ref"));
		cw_html(c, " opened ");
		cw_text(c, cw_js(kase, "opened"));
		cw_html(c, "</a>, stage <strong>");
		cw_text(c, cw_words_stage(cw_js(kase, "stage")));
		cw_html(c, "</strong>.</p>");
	} else {
		cw_html(c, "<p class=\"govuk-body\">No open case.</p>");
		if (cw_may(c, "case.open")) {
			cw_form_startf(c, "/providers/%s/case", pid);
			cw_field_textarea(c, "reason", "Why open a case", NULL, cw_form(c, "reason"));
			cw_form_end(c, "Open a case");
		}
	}
	if ((err = cw_chart_trend(c->db, pid, CW_CHART_AUTO, &trend)) != CW_OK ||
	    (err = cw_chart_heatmap(c->db, pid, &heat)) != CW_OK)
		goto done;
	cw_html(c, "<h2 class=\"govuk-heading-m\">Level of risk over time</h2><div class=\"cw-chart\">%s</div>"
		"<h2 class=\"govuk-heading-m\">Open concerns on the risk matrix</h2><div class=\"cw-chart\">%s</div>",
		cw_js(trend, "svg"), cw_js(heat, "svg"));
	cw_html(c, "<h2 class=\"govuk-heading-m\">Concerns</h2>");
	if (cw_may(c, "concern.write") || cw_may(c, "concern.positive")) {
		cw_html(c, "<p class=\"govuk-body\"><a class=\"govuk-button\" href=\"/providers/");
		cw_text(c, pid);
		cw_html(c, "/concerns/new\">Log a concern or feedback</a></p>");
	}
	concern_table(c, open, "Open");
	concern_table(c, closed, "Resolved");
	cw_html(c, "<h2 class=\"govuk-heading-m\">Placements</h2>");
	cw_table(c, NULL, placement_cols, controls, NULL);
	if (json_array_size(controls))
		placement_form(c, pid, controls);
	cw_html(c, "<h2 class=\"govuk-heading-m\">Timeline</h2><ol class=\"cw-timeline\">");
	json_array_foreach(tl, i, e) {
		cw_html(c, "<li><p class=\"govuk-body govuk-!-margin-bottom-1\"><strong>");
		cw_text(c, cw_js(e, "date"));
		cw_html(c, "</strong> – ");
		if (*cw_js(e, "href")) {
			cw_html(c, "<a class=\"govuk-link\" href=\"");
			cw_text(c, cw_js(e, "href"));
			cw_html(c, "\">");
			cw_text(c, cw_js(e, "what"));
			cw_html(c, "</a>");
		} else {
			cw_text(c, cw_js(e, "what"));
		}
		cw_html(c, "</p><p class=\"govuk-body-s\">");
		cw_text(c, cw_js(e, "detail"));
		cw_html(c, "</p></li>");
	}
	cw_html(c, "</ol>");
	cw_page_end(c);
done:
	json_decref(trend);
	json_decref(heat);
	json_decref(p);
	json_decref(concerns);
	json_decref(kase);
	json_decref(meetings);
	json_decref(controls);
	json_decref(open);
	json_decref(closed);
	json_decref(tl);
	return err;
}

/* Check or record a placement: the answer and its reason. */
int cw_page_placement(cw_ctx *c)
{
	bool record = strcmp(cw_form_or(c, "do", "check"), "record") == 0;
	const char *hours = cw_form_or(c, "hours", "");
	cw_placement_args a = {
		.provider = c->seg[1], .commissioner = cw_form_or(c, "commissioner", ""),
		.kind = cw_form_or(c, "kind", "admission"),
	};
	json_t *out = NULL, *w;
	size_t i;
	int err;

	if (*hours) {
		char *end;

		a.hours = strtod(hours, &end);
		if (*end || a.hours <= 0) {
			cw_ctx_fail(c, cw_error_at("hours", CW_EINVALID, "Hours must be a number above 0"));
			return cw_form_again(c, CW_EINVALID, true, cw_page_provider);
		}
		a.has_hours = true;
	}
	err = record ? cw_placement_record(c->db, &a, &out) : cw_placement_check(c->db, &a, &out);
	if (err != CW_OK && !(err == CW_EREFUSED && out)) {
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, true, cw_page_provider);
	}
	if (err != CW_OK)
		cw_ctx_fail(c, err);
	if (c->json) {
		cw_send_json(c, err == CW_OK ? (record ? 201 : 200) : 409, out);
		return record ? err : CW_OK;
	}
	cw_page_start(c, "Placement");
	cw_html(c, "<span class=\"govuk-caption-l\">");
	cw_text(c, cw_js(out, "provider"));
	cw_html(c, "</span><h1 class=\"govuk-heading-l\">");
	if (err == CW_OK)
		cw_html(c, record ? "Placement recorded" : "The placement is allowed");
	else
		cw_html(c, record ? "The placement was refused: nothing was recorded" : "The placement is refused");
	cw_html(c, "</h1>");
	if (err != CW_OK)
		cw_error_summary(c);
	cw_html(c, "<dl class=\"govuk-summary-list\">");
	cw_summary_row(c, "Commissioner", cw_js(out, "commissioner"));
	cw_summary_row(c, "Kind", cw_js(out, "kind"));
	cw_summary_row(c, "Reason", cw_js(out, "reason"));
	{
		char *used = cw_jtext(json_object_get(out, "used")), *cap = cw_jtext(json_object_get(out, "cap"));

		cw_summary_row(c, "Used", used);
		cw_summary_row(c, "Cap", cap);
		free(used);
		free(cap);
	}
	cw_html(c, "</dl>");
	json_array_foreach(json_object_get(out, "warnings"), i, w) {
		cw_html(c, "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>"
			"<strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning</span>");
		cw_text(c, json_string_value(w));
		cw_html(c, "</strong></div>");
	}
	cw_html(c, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/providers/");
	cw_text(c, c->seg[1]);
	cw_html(c, "\">Back to the provider</a></p>");
	cw_page_end(c);
	json_decref(out);
	/* A check writes nothing: its refusal is an answer, not a failure. */
	return record ? err : CW_OK;
}

/* Open a case; a refusal shows the provider's page again with the reason. */
int cw_page_case_open(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_case_open(c->db, c->seg[1], cw_form_or(c, "reason", ""), &out);

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, err != CW_ENOTFOUND, cw_page_provider);
	}
	return cw_post_done(c, out, 201, "/cases/", "id");
}
