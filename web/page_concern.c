/* Concerns: log (and positive feedback), show with ratings, re-rate, resolve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/concern.h"
#include "carewatch/provider.h"
#include "carewatch/words.h"
#include "web_internal.h"

/* A select of 1..max, each with the matrix's label. */
static void scale_select(cw_ctx *c, const char *name, const char *label, int max,
	const char *(*labelfn)(const cw_rules *, int), const char *value)
{
	int i;

	cw_html(c, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">",
		c->err && c->err_field && strcmp(c->err_field, name) == 0 ? " govuk-form-group--error" : "", name);
	cw_text(c, label);
	cw_html(c, "</label>");
	if (c->err && c->err_field && strcmp(c->err_field, name) == 0) {
		cw_html(c, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ", name);
		cw_text(c, c->err_msg);
		cw_html(c, "</p>");
	}
	cw_html(c, "<select class=\"govuk-select\" id=\"%s\" name=\"%s\"><option value=\"\"></option>", name, name);
	for (i = 1; i <= max; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", i);
		cw_html(c, "<option value=\"%d\"%s>%d – ", i, value && strcmp(value, v) == 0 ? " selected" : "", i);
		cw_text(c, labelfn(cw_db_rules(c->db), i));
		cw_html(c, "</option>");
	}
	cw_html(c, "</select></div>\n");
}

static int concern_form(cw_ctx *c, const char *prov)
{
	const cw_rules *r = cw_db_rules(c->db);
	json_t *p = NULL;
	int err;

	if ((err = cw_provider_get(c->db, prov, &p)) != CW_OK)
		return err;
	if (!cw_may(c, "concern.write") && !cw_may(c, "concern.positive")) {
		json_decref(p);
		return cw_db_require(c->db, "concern.write");
	}
	cw_page_start_provider(c, "Log a concern", cw_js(p, "name"), NULL);
	cw_html(c, "Log a concern</h1>");
	if (cw_may(c, "concern.write")) {
		cw_form_start(c, "/concerns");
		cw_html(c, "<input type=\"hidden\" name=\"provider\" value=\"");
		cw_text(c, cw_js(p, "id"));
		cw_html(c, "\">");
		cw_field_select(c, "source", "Source", cw_concern_sources, cw_form(c, "source"), true);
		cw_field_select(c, "team", "Team", cw_concern_teams, cw_form(c, "team"), true);
		cw_field_text(c, "category", "Category (optional)", "For example, medication", cw_form(c, "category"), "text");
		cw_field_textarea(c, "summary", "Summary", NULL, cw_form(c, "summary"));
		scale_select(c, "likelihood", "Likelihood", cw_rules_likelihood_max(r),
			cw_rules_likelihood_label, cw_form(c, "likelihood"));
		scale_select(c, "impact", "Impact", cw_rules_impact_max(r),
			cw_rules_impact_label, cw_form(c, "impact"));
		cw_field_date(c, "received", "Date received", "Leave blank for today. For example, 27 3 2026");
		/* POVA references: only for the roles that log POVA referrals. */
		if (cw_may(c, "concern.pova")) {
			cw_field_text(c, "pova_ref", "POVA referral reference (POVA referrals only)", NULL,
				cw_form(c, "pova_ref"), "text");
			cw_field_text(c, "subject_ref", "Service user reference (POVA referrals only)", NULL,
				cw_form(c, "subject_ref"), "text");
		}
		cw_form_end(c, "Log the concern");
	}
	if (cw_may(c, "concern.positive")) {
		cw_html(c, "<h2 class=\"govuk-heading-m\">Or record positive feedback</h2>");
		cw_form_start(c, "/concerns/positive");
		cw_html(c, "<input type=\"hidden\" name=\"provider\" value=\"");
		cw_text(c, cw_js(p, "id"));
		cw_html(c, "\">");
		cw_field_select(c, "feedback_team", "Team", cw_concern_teams, cw_form(c, "feedback_team"), true);
		cw_field_textarea(c, "feedback", "Feedback", NULL, cw_form(c, "feedback"));
		cw_form_end(c, "Record the feedback");
	}
	cw_page_end(c);
	json_decref(p);
	return CW_OK;
}

int cw_page_concern_new(cw_ctx *c)
{
	return concern_form(c, c->seg[1]);
}

static int whole(const char *field, const char *s, long *out)
{
	char *end;

	if (!s || !*s)
		return cw_error_at(field, CW_EINVALID, "Choose the %s", field);
	*out = strtol(s, &end, 10);
	if (*end)
		return cw_error_at(field, CW_EINVALID, "The %s must be a whole number", field);
	return CW_OK;
}

/* Show the form again with the failure, for the provider it was about.
 * `alias` renames the engine's field when this form calls it otherwise. */
static int back_to_form(cw_ctx *c, int err, const char *const *alias)
{
	cw_ctx_fail(c, err);
	for (; alias && alias[0] && c->err_field; alias += 2)
		if (strcmp(c->err_field, alias[0]) == 0) {
			cw_ctx_field(c, alias[1]);
			break;
		}
	if (c->json || err == CW_EFORBIDDEN)
		return err;
	if (concern_form(c, cw_form_or(c, "provider", "")) != CW_OK)
		c->rendered = false;
	return err;
}

int cw_page_concern_log(cw_ctx *c)
{
	const char *cat = cw_form(c, "category"), *pova = cw_form(c, "pova_ref");
	const char *subj = cw_form(c, "subject_ref");
	cw_concern_log_args a = {
		.provider = cw_form_or(c, "provider", ""), .source = cw_form_or(c, "source", ""),
		.team = cw_form_or(c, "team", ""), .category = cat && *cat ? cat : NULL,
		.summary = cw_form_or(c, "summary", ""),
		.pova_ref = pova && *pova ? pova : NULL, .subject_ref = subj && *subj ? subj : NULL,
	};
	json_t *out = NULL;
	int err;

	if ((err = whole("likelihood", cw_form(c, "likelihood"), &a.likelihood)) != CW_OK ||
	    (err = whole("impact", cw_form(c, "impact"), &a.impact)) != CW_OK ||
	    (err = cw_form_date(c, "received", false, &a.received_given, &a.received)) != CW_OK ||
	    (err = cw_concern_log(c->db, &a, &out)) != CW_OK)
		return back_to_form(c, err, NULL);
	return cw_post_done(c, out, 201, "/providers/", "provider_id");
}

int cw_page_positive(cw_ctx *c)
{
	cw_concern_positive_args a = {
		.provider = cw_form_or(c, "provider", ""), .team = cw_form_or(c, "feedback_team", ""),
		.summary = cw_form_or(c, "feedback", ""),
	};
	json_t *out = NULL;
	int err;

	static const char *const alias[] = { "team", "feedback_team", "summary", "feedback", NULL };

	if ((err = cw_concern_positive(c->db, &a, &out)) != CW_OK)
		return back_to_form(c, err, alias);
	return cw_post_done(c, out, 201, "/providers/", "provider_id");
}

int cw_page_concern(cw_ctx *c)
{
	const cw_rules *r = cw_db_rules(c->db);
	json_t *k = NULL, *e;
	size_t i;
	int err;

	if ((err = cw_concern_show(c->db, c->seg[1], &k)) != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, k);
		return CW_OK;
	}
	cw_page_start_provider(c, "Concern", cw_js(k, "provider"), cw_js(k, "provider_id"));
	cw_text(c, json_is_true(json_object_get(k, "positive")) ? "Positive feedback " : "Concern ");
	cw_text(c, cw_js(k, "ref"));
	cw_html(c, "</h1><dl class=\"govuk-summary-list\">");
	cw_summary_row(c, "Summary", cw_js(k, "summary"));
	cw_summary_row(c, "Received", cw_js(k, "received"));
	cw_summary_row(c, "Source", cw_js(k, "source"));
	cw_summary_row(c, "Team", cw_words_team(cw_js(k, "team")));
	cw_summary_row(c, "Category", cw_js(k, "category"));
	cw_html(c, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Level</dt><dd class=\"govuk-summary-list__value\">");
	cw_band_tag(c, cw_js(k, "band"));
	{
		char *l = cw_jtext(json_object_get(k, "likelihood")), *im = cw_jtext(json_object_get(k, "impact"));
		char *sc = cw_jtext(json_object_get(k, "score"));

		cw_html(c, " likelihood ");
		cw_text(c, l);
		cw_html(c, " × impact ");
		cw_text(c, im);
		cw_html(c, " = ");
		cw_text(c, sc);
		free(l);
		free(im);
		free(sc);
	}
	cw_html(c, "</dd></div>");
	cw_summary_row(c, "Status", cw_js(k, "status"));
	cw_summary_row(c, "POVA referral reference", cw_js(k, "pova_ref"));
	cw_summary_row(c, "Service user reference", cw_js(k, "subject_ref"));
	cw_html(c, "</dl><h2 class=\"govuk-heading-m\">Rating history</h2><ul class=\"govuk-list\">");
	json_array_foreach(json_object_get(k, "ratings"), i, e) {
		char *l = cw_jtext(json_object_get(e, "likelihood")), *im = cw_jtext(json_object_get(e, "impact"));

		cw_markup(c, "<li>%s: likelihood %s, impact %s (%s) by %s", cw_js(e, "date"), l, im,
			cw_js(e, "band"), cw_js(e, "actor"));
		if (*cw_js(e, "note"))
			cw_markup(c, " – %s", cw_js(e, "note"));
		cw_html(c, "</li>");
		free(l);
		free(im);
	}
	cw_html(c, "</ul>");
	if (strcmp(cw_js(k, "status"), "open") == 0 && !json_is_true(json_object_get(k, "positive")) &&
	    cw_may(c, "concern.write")) {
		cw_html(c, "<h2 class=\"govuk-heading-m\">Re-rate the likelihood</h2>"
			"<p class=\"govuk-body\">The impact stays ");
		{
			char *im = cw_jtext(json_object_get(k, "impact"));

			cw_text(c, im);
			free(im);
		}
		cw_html(c, ": the impact of what happened does not change once recorded; only how likely it is to happen again.</p>");
		cw_form_startf(c, "/concerns/%s/rate", cw_js(k, "id"));
		scale_select(c, "likelihood", "Likelihood", cw_rules_likelihood_max(r),
			cw_rules_likelihood_label, cw_form(c, "likelihood"));
		cw_field_text(c, "note", "Note (optional)", NULL, cw_form(c, "note"), "text");
		cw_form_end(c, "Re-rate");
		cw_html(c, "<h2 class=\"govuk-heading-m\">Resolve</h2>");
		cw_form_startf(c, "/concerns/%s/resolve", cw_js(k, "id"));
		cw_field_textarea(c, "resolve_note", "How it was resolved", NULL, cw_form(c, "resolve_note"));
		cw_form_end(c, "Resolve the concern");
	}
	cw_page_end(c);
	json_decref(k);
	return CW_OK;
}

static int concern_done(cw_ctx *c, int err, json_t *out, const char *field_alias)
{

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		if (field_alias && c->err_field && *c->err_field)
			cw_ctx_field(c, field_alias);
		return cw_form_again(c, err, err != CW_ENOTFOUND, cw_page_concern);
	}
	return cw_post_done(c, out, 200, "/concerns/", "id");
}

int cw_page_concern_rate(cw_ctx *c)
{
	const char *note = cw_form(c, "note");
	cw_concern_rate_args a = { .note = note && *note ? note : NULL };
	json_t *out = NULL;
	int err;

	a.impact_given = cw_form(c, "impact") != NULL;
	if ((err = whole("likelihood", cw_form(c, "likelihood"), &a.likelihood)) == CW_OK) {
		a.likelihood_given = true;
		err = cw_concern_rate(c->db, c->seg[1], &a, &out);
	}
	return concern_done(c, err, out, NULL);
}

int cw_page_concern_resolve(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_concern_resolve(c->db, c->seg[1], cw_form_or(c, "resolve_note", ""), &out);

	return concern_done(c, err, out, "resolve_note");
}
