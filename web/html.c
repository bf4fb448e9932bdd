/*
 * HTML for the pages: one escaping function for everything that came from
 * a user or the database, the GOV.UK page template (without the crown or
 * the GOV.UK typeface), and form fields that show their own error and keep
 * what was typed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/commissioner.h"
#include "carewatch/words.h"
#include "web_internal.h"

void cw_esc(cw_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': cw_buf_puts(b, "&amp;"); break;
		case '<': cw_buf_puts(b, "&lt;"); break;
		case '>': cw_buf_puts(b, "&gt;"); break;
		case '"': cw_buf_puts(b, "&quot;"); break;
		case '\'': cw_buf_puts(b, "&#39;"); break;
		default: cw_buf_putc(b, *s);
		}
	}
}

void cw_html(cw_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		cw_buf_put(&c->resp->body, small, (size_t)n);
		return;
	}
	{
		char *big = cw_malloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		cw_buf_put(&c->resp->body, big, (size_t)n);
		free(big);
	}
}

void cw_text(cw_ctx *c, const char *s)
{
	cw_esc(&c->resp->body, s);
}

/* Like cw_html, but each %s is text and escaped; the only conversions
 * are %s, %d, %zu, %lld and %%. */
void cw_markup(cw_ctx *c, const char *fmt, ...)
{
	const char *p, *run = fmt;
	va_list ap;

	va_start(ap, fmt);
	for (p = fmt; *p; p++) {
		size_t skip = 1;   /* what follows the '%' */

		if (*p != '%')
			continue;
		cw_buf_put(&c->resp->body, run, (size_t)(p - run));
		if (p[1] == 's') {
			cw_text(c, va_arg(ap, const char *));
		} else if (p[1] == 'd') {
			cw_html(c, "%d", va_arg(ap, int));
		} else if (strncmp(p + 1, "zu", 2) == 0) {
			cw_html(c, "%zu", va_arg(ap, size_t));
			skip = 2;
		} else if (strncmp(p + 1, "lld", 3) == 0) {
			cw_html(c, "%lld", va_arg(ap, long long));
			skip = 3;
		} else {
			/* "%%", or a lone '%' kept as it is */
			cw_buf_putc(&c->resp->body, '%');
			skip = p[1] == '%';
		}
		p += skip;
		run = p + 1;
	}
	cw_buf_put(&c->resp->body, run, (size_t)(p - run));
	va_end(ap);
}

const char *cw_js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

char *cw_jtext(const json_t *v)
{
	char tmp[64];
	cw_buf b = CW_BUF_INIT;
	size_t i;
	json_t *e;

	if (!v || json_is_null(v))
		return cw_strdup("");
	if (json_is_string(v))
		return cw_strdup(json_string_value(v));
	if (json_is_true(v))
		return cw_strdup("yes");
	if (json_is_false(v))
		return cw_strdup("no");
	if (json_is_integer(v)) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(v));
		return cw_strdup(tmp);
	}
	if (json_is_real(v)) {
		snprintf(tmp, sizeof(tmp), "%g", json_real_value(v));
		return cw_strdup(tmp);
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			char *t = cw_jtext(e);

			cw_buf_printf(&b, "%s%s", i ? ", " : "", t);
			free(t);
		}
		return b.ptr ? cw_buf_detach(&b) : cw_strdup("");
	}
	{
		char *d = json_dumps(v, JSON_COMPACT);
		char *r = cw_strdup(d ? d : "");

		free(d);
		return r;
	}
}

/* The lead commissioner runs the protocol: its name heads every page. */
static void lead_name(cw_ctx *c, char *out, size_t cap)
{
	json_t *list = NULL, *e;
	size_t i;

	snprintf(out, cap, "carewatch");
	if (!c->user)
		return;
	if (cw_commissioner_list(c->db, &list) == CW_OK)
		json_array_foreach(list, i, e)
			if (json_is_true(json_object_get(e, "lead")))
				snprintf(out, cap, "%s", cw_js(e, "name"));
	json_decref(list);
	cw_error_clear();
}

void cw_page_start(cw_ctx *c, const char *title)
{
	char lead[256];

	if (c->db)
		lead_name(c, lead, sizeof(lead));
	else
		snprintf(lead, sizeof(lead), "carewatch");
	c->rendered = true;
	if (!c->resp->status)
		c->resp->status = 200;
	cw_resp_header(c->resp, "Content-Type", "text/html; charset=utf-8");
	cw_html(c, "<!DOCTYPE html>\n<html lang=\"en-GB\" class=\"govuk-template\">\n<head>\n"
		"<meta charset=\"utf-8\">\n<title>");
	if (c->err)
		cw_html(c, "Error: ");
	cw_text(c, title);
	cw_html(c, " – carewatch</title>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\n"
		"<link rel=\"icon\" href=\"/static/assets/images/favicon.svg\" type=\"image/svg+xml\">\n"
		"<link rel=\"stylesheet\" href=\"/static/govuk-frontend.min.css\">\n"
		"<link rel=\"stylesheet\" href=\"/static/carewatch.css\">\n</head>\n"
		"<body class=\"govuk-template__body\">\n"
		"<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">Skip to main content</a>\n"
		"<header class=\"govuk-header\" data-module=\"govuk-header\">\n"
		"<div class=\"govuk-header__container govuk-width-container\">\n"
		"<div class=\"govuk-header__logo\"><a href=\"/\" class=\"govuk-header__link govuk-header__link--homepage\">"
		"<span class=\"govuk-header__logotype-text\">");
	cw_text(c, lead);
	cw_html(c, "</span></a></div>\n<div class=\"govuk-header__content\">"
		"<a href=\"/\" class=\"govuk-header__link govuk-header__service-name\">Provider performance monitoring</a>\n");
	if (c->user) {
		cw_html(c, "<nav aria-label=\"Menu\" class=\"govuk-header__navigation\">"
			"<ul id=\"navigation\" class=\"govuk-header__navigation-list\">"
			"<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/\">Watch list</a></li>"
			"<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/providers\">Providers</a></li>"
			"<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/cases\">Cases</a></li>"
			"<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/tasks\">Tasks</a></li>"
			"<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/qa\">QA meeting</a></li>");
		if (cw_db_may(c->db, "user.write") || cw_db_may(c->db, "commissioner.write") ||
		    cw_db_may(c->db, "import.run"))
			cw_html(c, "<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/admin\">Admin</a></li>");
		cw_html(c, "<li class=\"govuk-header__navigation-item\"><a class=\"govuk-header__link\" href=\"/account\">");
		cw_text(c, c->user);
		cw_html(c, "</a></li></ul></nav>\n");
	}
	cw_html(c, "</div></div></header>\n<div class=\"govuk-width-container\">\n");
	if (c->user) {
		cw_html(c, "<form method=\"post\" action=\"/logout\" class=\"govuk-!-margin-top-2\">");
		cw_csrf_field(c);
		cw_html(c, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary govuk-!-margin-bottom-0\">Sign out</button></form>\n");
	}
	cw_html(c, "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
}

void cw_page_end(cw_ctx *c)
{
	cw_html(c, "\n</main>\n</div>\n<footer class=\"govuk-footer\"><div class=\"govuk-width-container\">"
		"<div class=\"govuk-footer__meta\"><div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">"
		"<p class=\"govuk-body-s\">carewatch – provider performance monitoring. Confidential: for the protocol's members only.</p>"
		"</div></div></div></footer>\n"
		"<script type=\"module\" src=\"/static/app.mjs\"></script>\n</body>\n</html>\n");
}

/* The error summary: the message, linked to its field, and every unmet condition. */
void cw_error_summary(cw_ctx *c)
{
	size_t i;

	cw_html(c, "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\">"
		"<div role=\"alert\"><h2 class=\"govuk-error-summary__title\">There is a problem</h2>"
		"<div class=\"govuk-error-summary__body\"><ul class=\"govuk-list govuk-error-summary__list\">");
	if (c->err_msg && *c->err_msg) {
		cw_html(c, "<li>");
		if (c->err_field && *c->err_field) {
			cw_html(c, "<a href=\"#");
			cw_text(c, c->err_field);
			cw_html(c, "\">");
			cw_text(c, c->err_msg);
			cw_html(c, "</a>");
		} else {
			cw_text(c, c->err_msg);
		}
		cw_html(c, "</li>");
	}
	for (i = 0; i < c->nunmet; i++) {
		cw_html(c, "<li>");
		cw_text(c, c->unmet[i]);
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul></div></div></div>\n");
}

bool cw_page_start_list(cw_ctx *c, json_t *list, const char *title, const char *heading)
{
	if (c->json) {
		cw_send_json(c, 200, list);
		return true;
	}
	cw_page_start(c, title);
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">");
	cw_text(c, heading);
	cw_html(c, "</h1>");
	return false;
}

void cw_page_start_provider(cw_ctx *c, const char *title, const char *provider,
	const char *provider_id)
{
	cw_page_start(c, title);
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<span class=\"govuk-caption-l\">");
	if (provider_id) {
		cw_html(c, "<a class=\"govuk-link\" href=\"/providers/");
		cw_text(c, provider_id);
		cw_html(c, "\">");
	}
	cw_text(c, provider);
	cw_html(c, provider_id ? "</a></span><h1 class=\"govuk-heading-l\">" : "</span><h1 class=\"govuk-heading-l\">");
}

/* A field's id: its name, after the page's prefix when it repeats a form. */
static void put_id(cw_ctx *c, const char *name)
{
	if (c->id_prefix)
		cw_text(c, c->id_prefix);
	cw_text(c, name);
}

static bool field_has_error(const cw_ctx *c, const char *name)
{
	return c->err && c->err_field && strcmp(c->err_field, name) == 0;
}

/* The hint and the error message under a label or legend: their ids are
 * the ones described_by names. */
static void hint_and_error(cw_ctx *c, const char *name, const char *hint, bool bad)
{
	if (hint) {
		cw_html(c, "<div id=\"");
		put_id(c, name);
		cw_html(c, "-hint\" class=\"govuk-hint\">");
		cw_text(c, hint);
		cw_html(c, "</div>");
	}
	if (bad) {
		cw_html(c, "<p id=\"");
		put_id(c, name);
		cw_html(c, "-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ");
		cw_text(c, c->err_msg);
		cw_html(c, "</p>");
	}
}

static void group_start(cw_ctx *c, const char *name, const char *label, const char *hint)
{
	bool bad = field_has_error(c, name);

	cw_html(c, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"",
		bad ? " govuk-form-group--error" : "");
	put_id(c, name);
	cw_html(c, "\">");
	cw_text(c, label);
	cw_html(c, "</label>");
	hint_and_error(c, name, hint, bad);
}

static void described_by(cw_ctx *c, const char *name, const char *hint)
{
	bool bad = field_has_error(c, name);

	if (!hint && !bad)
		return;
	cw_html(c, " aria-describedby=\"");
	if (hint) {
		put_id(c, name);
		cw_html(c, "-hint");
	}
	if (bad) {
		cw_html(c, hint ? " " : "");
		put_id(c, name);
		cw_html(c, "-error");
	}
	cw_html(c, "\"");
}

void cw_field_text(cw_ctx *c, const char *name, const char *label, const char *hint,
	const char *value, const char *type)
{
	group_start(c, name, label, hint);
	cw_html(c, "<input class=\"govuk-input%s\" id=\"", field_has_error(c, name) ? " govuk-input--error" : "");
	put_id(c, name);
	cw_html(c, "\" name=\"");
	cw_text(c, name);
	cw_html(c, "\" type=\"%s\"", type ? type : "text");
	if (type && strcmp(type, "password") == 0)
		cw_html(c, " autocomplete=\"current-password\"");
	else if (strcmp(name, "name") == 0 && type && strcmp(type, "text") == 0)
		cw_html(c, " autocomplete=\"off\" spellcheck=\"false\"");
	described_by(c, name, hint);
	if (value) {
		cw_html(c, " value=\"");
		cw_text(c, value);
		cw_html(c, "\"");
	}
	cw_html(c, "></div>\n");
}

void cw_field_textarea(cw_ctx *c, const char *name, const char *label, const char *hint,
	const char *value)
{
	group_start(c, name, label, hint);
	cw_html(c, "<textarea class=\"govuk-textarea%s\" rows=\"4\" id=\"",
		field_has_error(c, name) ? " govuk-textarea--error" : "");
	put_id(c, name);
	cw_html(c, "\" name=\"");
	cw_text(c, name);
	cw_html(c, "\"");
	described_by(c, name, hint);
	cw_html(c, ">");
	cw_text(c, value);
	cw_html(c, "</textarea></div>\n");
}

static void option(cw_ctx *c, const char *value, const char *label, bool selected)
{
	cw_html(c, "<option value=\"");
	cw_text(c, value);
	cw_html(c, "\"%s>", selected ? " selected" : "");
	cw_text(c, label);
	cw_html(c, "</option>");
}

/* A select up to its options. The JSON-fed select has never marked its
 * box red on error (the message still shows): mark_error keeps that. */
static void select_start(cw_ctx *c, const char *name, const char *label, bool mark_error)
{
	group_start(c, name, label, NULL);
	cw_html(c, "<select class=\"govuk-select%s\" id=\"",
		mark_error && field_has_error(c, name) ? " govuk-select--error" : "");
	put_id(c, name);
	cw_html(c, "\" name=\"");
	cw_text(c, name);
	cw_html(c, "\"");
	described_by(c, name, NULL);
	cw_html(c, ">");
}

void cw_field_select(cw_ctx *c, const char *name, const char *label,
	const char *const *choices, const char *value, bool blank)
{
	select_start(c, name, label, true);
	if (blank)
		option(c, "", "", !value || !*value);
	for (; *choices; choices++)
		option(c, *choices, *choices, value && strcmp(value, *choices) == 0);
	cw_html(c, "</select></div>\n");
}

void cw_field_select_json(cw_ctx *c, const char *name, const char *label, json_t *items,
	const char *key_value, const char *key_label, const char *value)
{
	size_t i;
	json_t *e;

	select_start(c, name, label, false);
	json_array_foreach(items, i, e)
		option(c, cw_js(e, key_value), cw_js(e, key_label),
			value && strcmp(value, cw_js(e, key_value)) == 0);
	cw_html(c, "</select></div>\n");
}

void cw_field_date(cw_ctx *c, const char *name, const char *legend, const char *hint)
{
	static const char *const parts[] = { "day", "month", "year" };
	static const char *const labels[] = { "Day", "Month", "Year" };
	bool bad = field_has_error(c, name);
	size_t i;

	cw_html(c, "<div class=\"govuk-form-group%s\"><fieldset class=\"govuk-fieldset\" role=\"group\"",
		bad ? " govuk-form-group--error" : "");
	described_by(c, name, hint);
	cw_html(c, "><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">");
	cw_text(c, legend);
	cw_html(c, "</legend>");
	hint_and_error(c, name, hint, bad);
	cw_html(c, "<div class=\"govuk-date-input\" id=\"");
	put_id(c, name);
	cw_html(c, "\">");
	for (i = 0; i < 3; i++) {
		char key[96];
		const char *v;

		snprintf(key, sizeof(key), "%s-%s", name, parts[i]);
		v = cw_form(c, key);
		cw_html(c, "<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\">"
			"<label class=\"govuk-label govuk-date-input__label\" for=\"");
		put_id(c, key);
		cw_html(c, "\">%s</label><input class=\"govuk-input govuk-date-input__input "
			"govuk-input--width-%d%s\" id=\"", labels[i], i == 2 ? 4 : 2,
			bad ? " govuk-input--error" : "");
		put_id(c, key);
		cw_html(c, "\" name=\"");
		cw_text(c, key);
		cw_html(c, "\" type=\"text\" inputmode=\"numeric\" value=\"");
		cw_text(c, v);
		cw_html(c, "\"></div></div>");
	}
	cw_html(c, "</div></fieldset></div>\n");
}

void cw_field_checkbox(cw_ctx *c, const char *name, const char *label, bool checked)
{
	cw_html(c, "<div class=\"govuk-form-group\"><div class=\"govuk-checkboxes govuk-checkboxes--small\">"
		"<div class=\"govuk-checkboxes__item\"><input class=\"govuk-checkboxes__input\" id=\"");
	put_id(c, name);
	cw_html(c, "\" name=\"");
	cw_text(c, name);
	cw_html(c, "\" type=\"checkbox\" value=\"yes\"%s><label class=\"govuk-label govuk-checkboxes__label\" for=\"",
		checked ? " checked" : "");
	put_id(c, name);
	cw_html(c, "\">");
	cw_text(c, label);
	cw_html(c, "</label></div></div></div>\n");
}

void cw_csrf_field(cw_ctx *c)
{
	cw_html(c, "<input type=\"hidden\" name=\"csrf\" value=\"");
	cw_text(c, c->csrf);
	cw_html(c, "\">");
}

void cw_form_start(cw_ctx *c, const char *action)
{
	cw_html(c, "<form method=\"post\" action=\"");
	cw_text(c, action);
	cw_html(c, "\" novalidate>");
	cw_csrf_field(c);
}

void cw_form_startf(cw_ctx *c, const char *fmt, ...)
{
	char action[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(action, sizeof(action), fmt, ap);
	va_end(ap);
	cw_form_start(c, action);
}

void cw_form_end(cw_ctx *c, const char *button)
{
	cw_html(c, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">");
	cw_text(c, button);
	cw_html(c, "</button></form>\n");
}

void cw_button_form(cw_ctx *c, const char *action, const char *label, bool secondary)
{
	cw_html(c, "<form method=\"post\" action=\"");
	cw_text(c, action);
	cw_html(c, "\" class=\"cw-inline-form\">");
	cw_csrf_field(c);
	cw_html(c, "<button type=\"submit\" class=\"govuk-button%s\">", secondary ? " govuk-button--secondary" : "");
	cw_text(c, label);
	cw_html(c, "</button></form>");
}

/* RAG as a tag that carries the word as well as the colour. */
void cw_band_tag(cw_ctx *c, const char *band)
{
	const char *cls = "govuk-tag--grey";

	if (!band || !*band) {
		cw_html(c, "<strong class=\"govuk-tag govuk-tag--grey\">none</strong>");
		return;
	}
	if (strcmp(band, "red") == 0)
		cls = "govuk-tag--red";
	else if (strcmp(band, "amber") == 0)
		cls = "govuk-tag--orange";
	else if (strcmp(band, "yellow") == 0)
		cls = "govuk-tag--yellow";
	else if (strcmp(band, "green") == 0)
		cls = "govuk-tag--green";
	cw_html(c, "<strong class=\"govuk-tag %s\">", cls);
	cw_text(c, band);
	cw_html(c, "</strong>");
}

void cw_link(cw_ctx *c, const char *prefix, const char *id, const char *text)
{
	cw_html(c, "<a class=\"govuk-link\" href=\"%s", prefix);
	cw_text(c, id);
	cw_html(c, "\">");
	cw_text(c, text);
	cw_html(c, "</a>");
}

/* The table up to its body: the caption (escaped, or NULL) and the column heads. */
static void table_head(cw_ctx *c, const char *caption, const cw_column *cols)
{
	cw_html(c, "<table class=\"govuk-table\">");
	if (caption) {
		cw_html(c, "<caption class=\"govuk-table__caption govuk-table__caption--s\">");
		cw_text(c, caption);
		cw_html(c, "</caption>");
	}
	cw_html(c, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
	for (; cols->head; cols++)
		cw_html(c, "<th scope=\"col\" class=\"govuk-table__header\">%s</th>", cols->head);
	cw_html(c, "</tr></thead><tbody class=\"govuk-table__body\">");
}

static void table_cell(cw_ctx *c, const cw_column *col, const json_t *row, size_t i)
{
	const char *v = col->key ? cw_js(row, col->key) : "";

	cw_html(c, "<td class=\"govuk-table__cell%s%s\">", col->cls ? " " : "", col->cls ? col->cls : "");
	switch (col->kind) {
	case CW_CELL_TEXT: cw_text(c, v); break;
	case CW_CELL_INT:
		cw_html(c, "%lld", (long long)json_integer_value(json_object_get(row, col->key)));
		break;
	case CW_CELL_STAGE: cw_text(c, cw_words_stage(v)); break;
	case CW_CELL_BAND: cw_band_tag(c, v); break;
	case CW_CELL_LINK: cw_link(c, col->href, cw_js(row, col->id), v); break;
	case CW_CELL_DRAW: col->draw(c, row, i); break;
	}
	cw_html(c, "</td>");
}

void cw_table(cw_ctx *c, const char *caption, const cw_column *cols, const json_t *rows,
	const char *none)
{
	const cw_column *col;
	json_t *row;
	size_t i;

	table_head(c, caption, cols);
	json_array_foreach(rows, i, row) {
		cw_html(c, "<tr class=\"govuk-table__row\">");
		for (col = cols; col->head; col++)
			table_cell(c, col, row, i);
		cw_html(c, "</tr>");
	}
	if (none && !json_array_size(rows)) {
		for (i = 0; cols[i].head; i++)
			;
		cw_markup(c, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\" colspan=\"%zu\">%s</td></tr>",
			i, none);
	}
	cw_html(c, "</tbody></table>");
}

int cw_page_table(cw_ctx *c, int err, json_t *list, const char *title, const char *heading,
	const cw_column *cols)
{
	if (err != CW_OK) {
		json_decref(list);
		return err;
	}
	if (cw_page_start_list(c, list, title, heading))
		return CW_OK;
	cw_table(c, NULL, cols, list, NULL);
	cw_page_end(c);
	json_decref(list);
	return CW_OK;
}

void cw_summary_row(cw_ctx *c, const char *key, const char *value)
{
	cw_html(c, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">");
	cw_text(c, key);
	cw_html(c, "</dt><dd class=\"govuk-summary-list__value\">");
	cw_text(c, value && *value ? value : "–");
	cw_html(c, "</dd></div>");
}

/* Day, month and year boxes back into a date; the error names the field. */
int cw_form_date(cw_ctx *c, const char *name, bool required, bool *given, cw_date *out)
{
	char kd[96], km[96], ky[96];
	const char *d, *m, *y;
	long dd, mm, yy;
	char *end;

	snprintf(kd, sizeof(kd), "%s-day", name);
	snprintf(km, sizeof(km), "%s-month", name);
	snprintf(ky, sizeof(ky), "%s-year", name);
	d = cw_form_or(c, kd, "");
	m = cw_form_or(c, km, "");
	y = cw_form_or(c, ky, "");
	*given = *d || *m || *y;
	if (!*given) {
		if (required)
			return cw_error_at(name, CW_EINVALID, "Enter the date");
		return CW_OK;
	}
	dd = strtol(d, &end, 10);
	if (!*d || *end)
		goto bad;
	mm = strtol(m, &end, 10);
	if (!*m || *end)
		goto bad;
	yy = strtol(y, &end, 10);
	if (!*y || *end || yy < 1900 || yy > 9999 || mm < 1 || mm > 12 || dd < 1 || dd > 31)
		goto bad;
	*out = cw_date_from_ymd((int)yy, (int)mm, (int)dd);
	{
		int ry, rm, rd;

		cw_date_to_ymd(*out, &ry, &rm, &rd);
		if (ry != yy || rm != mm || rd != dd)
			goto bad;
	}
	return CW_OK;
bad:
	return cw_error_at(name, CW_EINVALID, "The date must be a real date, for example 27 3 2026");
}

void cw_flag_list(cw_ctx *c, const json_t *flags)
{
	size_t i;
	json_t *f;

	if (!json_array_size(flags)) {
		cw_html(c, "none");
		return;
	}
	cw_html(c, "<ul class=\"govuk-list\">");
	json_array_foreach(flags, i, f) {
		const char *w = cw_flag_words(json_string_value(f));

		cw_html(c, "<li><strong>");
		cw_text(c, cw_words_flag(json_string_value(f)));
		cw_html(c, "</strong>");
		if (*w) {
			cw_html(c, ": ");
			cw_text(c, w);
		}
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul>");
}
