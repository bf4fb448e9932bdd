/* Administration (users, commissioners, import, export, audit, rules) and
 * the user's own account. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/auth.h"
#include "carewatch/audit.h"
#include "carewatch/user.h"
#include "carewatch/commissioner.h"
#include "carewatch/import.h"
#include "carewatch/concern.h"
#include "carewatch/case.h"
#include "carewatch/action.h"
#include "carewatch/export.h"
#include "web_internal.h"

static int require_admin(cw_ctx *c)
{
	if (cw_may(c, "user.write") || cw_may(c, "commissioner.write") || cw_may(c, "import.run") ||
	    cw_may(c, "rules.write"))
		return CW_OK;
	return cw_db_require(c->db, "user.write");
}

int cw_page_admin(cw_ctx *c)
{
	int err;

	if ((err = require_admin(c)) != CW_OK)
		return err;
	cw_page_start(c, "Admin");
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">Administration</h1><ul class=\"govuk-list\">"
		"<li><a class=\"govuk-link\" href=\"/admin/users\">Users</a></li>"
		"<li><a class=\"govuk-link\" href=\"/admin/commissioners\">Commissioners</a></li>"
		"<li><a class=\"govuk-link\" href=\"/admin/audit\">Audit trail</a></li>"
		"<li><a class=\"govuk-link\" href=\"/admin/rules\">Rules in force</a></li></ul>"
		"<h2 class=\"govuk-heading-m\">Export</h2><ul class=\"govuk-list\">"
		"<li><a class=\"govuk-link\" href=\"/admin/export/concerns\">Concerns (CSV)</a></li>"
		"<li><a class=\"govuk-link\" href=\"/admin/export/cases\">Cases (CSV)</a></li>"
		"<li><a class=\"govuk-link\" href=\"/admin/export/actions\">Actions (CSV)</a></li></ul>");
	if (cw_may(c, "import.run")) {
		static const char *const kinds[] = { "providers", "concerns", NULL };

		cw_html(c, "<h2 class=\"govuk-heading-m\">Import a spreadsheet (CSV)</h2>"
			"<p class=\"govuk-body\">All or nothing: the first bad value is named by line and column and nothing is imported.</p>"
			"<form method=\"post\" action=\"/admin/import\" enctype=\"multipart/form-data\" novalidate>");
		cw_csrf_field(c);
		cw_field_select(c, "kind", "What it holds", kinds, cw_form(c, "kind"), false);
		cw_html(c, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"file\">CSV file</label>",
			c->err && c->err_field && strcmp(c->err_field, "file") == 0 ? " govuk-form-group--error" : "");
		cw_html(c, "<input class=\"govuk-file-upload\" id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\"></div>");
		cw_form_end(c, "Import");
	}
	cw_page_end(c);
	return CW_OK;
}

static void user_roles(cw_ctx *c, const json_t *u, size_t i)
{
	char *roles = cw_jtext(json_object_get(u, "roles"));

	(void)i;
	cw_text(c, roles);
	free(roles);
}

static void user_status(cw_ctx *c, const json_t *u, size_t i)
{
	(void)i;
	if (json_is_true(json_object_get(u, "active")))
		cw_html(c, "<strong class=\"govuk-tag govuk-tag--green\">Active</strong>");
	else
		cw_markup(c, "<strong class=\"govuk-tag govuk-tag--grey\">Deactivated</strong> %s",
			cw_js(u, "deactivated"));
}

static void user_manage(cw_ctx *c, const json_t *u, size_t i)
{
	(void)i;
	cw_markup(c, "<a class=\"govuk-link\" href=\"/admin/users/%s\">Manage<span class=\"govuk-visually-hidden\"> %s</span></a>",
		cw_js(u, "id"), cw_js(u, "name"));
}

int cw_page_admin_users(cw_ctx *c)
{
	static const cw_column cols[] = {
		{ "Name", CW_CELL_TEXT, .key = "name" }, { "Roles", CW_CELL_DRAW, .draw = user_roles },
		{ "Status", CW_CELL_DRAW, .draw = user_status },
		{ "<span class=\"govuk-visually-hidden\">Manage</span>", CW_CELL_DRAW, .draw = user_manage },
		{ 0 },
	};
	json_t *list = NULL;
	int err;

	if ((err = cw_user_list(c->db, &list)) != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, list);
		return CW_OK;
	}
	if ((err = cw_db_require(c->db, "user.write")) != CW_OK) {
		json_decref(list);
		return err;
	}
	cw_page_start(c, "Users");
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">Users</h1>");
	cw_table(c, NULL, cols, list, NULL);
	cw_html(c, "<h2 class=\"govuk-heading-m\">Add a user</h2>");
	cw_form_start(c, "/admin/users");
	cw_field_text(c, "name", "Name", NULL, cw_form(c, "name"), "text");
	cw_field_text(c, "roles", "Roles", "Comma-separated: contracts, safeguarding, director, qa, admin, viewer",
		cw_form(c, "roles"), "text");
	cw_field_text(c, "new_password", "Password (optional; at least 10 characters)", NULL, NULL, "password");
	cw_form_end(c, "Add the user");
	cw_page_end(c);
	json_decref(list);
	return CW_OK;
}

int cw_page_admin_user_add(cw_ctx *c)
{
	const char *pw = cw_form(c, "new_password");
	json_t *out = NULL;
	int err;

	if ((err = cw_user_add(c->db, cw_form_or(c, "name", ""), cw_form_or(c, "roles", ""), &out)) == CW_OK &&
	    pw && *pw)
		err = cw_auth_set_password(c->db, cw_form_or(c, "name", ""), pw);
	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		if (c->err_field && strcmp(c->err_field, "password") == 0)
			cw_ctx_field(c, "new_password");
		if (!*c->err_field && strstr(c->err_msg, "role"))
			cw_ctx_field(c, "roles");
		else if (!*c->err_field)
			cw_ctx_field(c, "name");
		json_decref(out);
		return cw_form_again(c, err, err != CW_EFORBIDDEN, cw_page_admin_users);
	}
	if (c->json) {
		cw_send_json(c, 201, out);
		return CW_OK;
	}
	json_decref(out);
	cw_redirect(c, "/admin/users");
	return CW_OK;
}

/* One user, by id or name, from the list (the page's own copy). */
static json_t *find_user(json_t *list, const char *key)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (strcmp(cw_js(e, "id"), key) == 0 || strcmp(cw_js(e, "name"), key) == 0)
			return e;
	return NULL;
}

/* A user's page for an admin: roles, deactivation, password reset. */
int cw_page_admin_user(cw_ctx *c)
{
	json_t *list = NULL, *u;
	char *roles = NULL;
	int err;

	if ((err = cw_db_require(c->db, "user.write")) != CW_OK ||
	    (err = cw_user_list(c->db, &list)) != CW_OK)
		return err;
	if (!(u = find_user(list, c->seg[2]))) {
		json_decref(list);
		return cw_error(CW_ENOTFOUND, "no user '%s'", c->seg[2]);
	}
	if (c->json) {
		cw_send_json(c, 200, json_incref(u));
		json_decref(list);
		return CW_OK;
	}
	roles = cw_jtext(json_object_get(u, "roles"));
	cw_page_start(c, cw_js(u, "name"));
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<a class=\"govuk-back-link\" href=\"/admin/users\">All users</a>"
		"<h1 class=\"govuk-heading-l\">");
	cw_text(c, cw_js(u, "name"));
	cw_html(c, "</h1><dl class=\"govuk-summary-list\">");
	cw_summary_row(c, "Roles", roles);
	cw_summary_row(c, "Added", cw_js(u, "created"));
	if (json_is_true(json_object_get(u, "active"))) {
		cw_summary_row(c, "Status", "Active");
	} else {
		cw_summary_row(c, "Status", "Deactivated");
		cw_summary_row(c, "Deactivated on", cw_js(u, "deactivated"));
		cw_summary_row(c, "Reason", cw_js(u, "deactivated_reason"));
	}
	cw_html(c, "</dl>");
	if (json_is_true(json_object_get(u, "active"))) {
		cw_html(c, "<h2 class=\"govuk-heading-m\">Roles</h2>");
		cw_form_startf(c, "/admin/users/%s/roles", cw_js(u, "id"));
		cw_field_text(c, "role", "Roles",
			"Comma-separated: contracts, safeguarding, director, qa, admin, viewer. They replace the present ones.",
			cw_form_or(c, "role", roles), "text");
		cw_form_end(c, "Change the roles");
		cw_html(c, "<h2 class=\"govuk-heading-m\">Reset the password</h2>");
		cw_form_startf(c, "/admin/users/%s/password", cw_js(u, "id"));
		cw_field_text(c, "password", "New password", "At least 10 characters", NULL, "password");
		cw_form_end(c, "Set the password");
		cw_html(c, "<h2 class=\"govuk-heading-m\">Deactivate</h2><p class=\"govuk-body\">"
			"They will no longer be able to sign in or act, and their sessions and calendar"
			" feed end now. Their past records keep their name.</p>");
		cw_form_startf(c, "/admin/users/%s/deactivate", cw_js(u, "id"));
		cw_field_textarea(c, "reason", "Reason", NULL, cw_form(c, "reason"));
		cw_html(c, "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" data-module=\"govuk-button\">Deactivate</button></form>");
	}
	cw_page_end(c);
	free(roles);
	json_decref(list);
	return CW_OK;
}

/* After a change to user seg[2]: JSON the answer, a browser back to the
 * user's page; a failure shows the page again with what was typed. */
static int user_changed(cw_ctx *c, int err, json_t *out)
{
	char where[200];

	if (err != CW_OK) {
		json_decref(out);
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, err != CW_EFORBIDDEN, cw_page_admin_user);
	}
	/* Back by id: the name may need escaping in a URL. */
	if (out && *cw_js(out, "id"))
		snprintf(where, sizeof(where), "/admin/users/%s", cw_js(out, "id"));
	else
		snprintf(where, sizeof(where), "/admin/users");
	if (c->json) {
		cw_send_json(c, 200, out ? out : json_pack("{s:b}", "ok", 1));
		return CW_OK;
	}
	json_decref(out);
	cw_redirect(c, where);
	return CW_OK;
}

/* A reset by an admin: the engine checks user.write (or that it is oneself). */
int cw_page_admin_user_password(cw_ctx *c)
{
	return user_changed(c, cw_auth_set_password(c->db, c->seg[2],
		cw_form_or(c, "password", "")), NULL);
}

int cw_page_admin_user_roles(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_user_edit(c->db, c->seg[2], cw_form_or(c, "role", ""), &out);

	return user_changed(c, err, out);
}

int cw_page_admin_user_deactivate(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_user_deactivate(c->db, c->seg[2], cw_form_or(c, "reason", ""), &out);

	return user_changed(c, err, out);
}

int cw_page_admin_commissioners(cw_ctx *c)
{
	json_t *list = NULL, *e;
	size_t i;
	int err;

	if ((err = cw_commissioner_list(c->db, &list)) != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, list);
		return CW_OK;
	}
	cw_page_start(c, "Commissioners");
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">Commissioners</h1><ul class=\"govuk-list\">");
	json_array_foreach(list, i, e)
		cw_markup(c, "<li>%s (%s%s)</li>", cw_js(e, "name"), cw_js(e, "kind"),
			json_is_true(json_object_get(e, "lead")) ? ", lead" : "");
	cw_html(c, "</ul>");
	if (cw_may(c, "commissioner.write")) {
		cw_html(c, "<h2 class=\"govuk-heading-m\">Add a commissioner</h2>");
		cw_form_start(c, "/admin/commissioners");
		cw_field_text(c, "name", "Name", NULL, cw_form(c, "name"), "text");
		cw_field_select(c, "kind", "Kind", cw_commissioner_kinds, cw_form(c, "kind"), false);
		cw_field_checkbox(c, "lead", "The lead commissioner (runs the protocol)", cw_form(c, "lead") != NULL);
		cw_form_end(c, "Add the commissioner");
	}
	cw_page_end(c);
	json_decref(list);
	return CW_OK;
}

int cw_page_admin_commissioner_add(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_commissioner_add(c->db, cw_form_or(c, "name", ""), cw_form(c, "kind"),
		cw_form(c, "lead") != NULL, &out);

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		if (!*c->err_field)
			cw_ctx_field(c, "name");
		return cw_form_again(c, err, err != CW_EFORBIDDEN, cw_page_admin_commissioners);
	}
	if (c->json) {
		cw_send_json(c, 201, out);
		return CW_OK;
	}
	json_decref(out);
	cw_redirect(c, "/admin/commissioners");
	return CW_OK;
}

int cw_page_admin_import(cw_ctx *c)
{
	const char *kind = cw_form_or(c, "kind", ""), *file = cw_form(c, "file");
	json_t *out = NULL;
	int err;

	if (strcmp(kind, "providers") != 0 && strcmp(kind, "concerns") != 0)
		err = cw_error_at("kind", CW_EINVALID, "Choose providers or concerns");
	else if (!file || !*file)
		err = cw_error_at("file", CW_EINVALID, "Choose a CSV file to import");
	else
		err = cw_import_csv(c->db, strcmp(kind, "providers") == 0 ? CW_IMPORT_PROVIDERS
			: CW_IMPORT_CONCERNS, file, strlen(file), "the file", &out);
	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		if (!*c->err_field)
			cw_ctx_field(c, "file");
		return cw_form_again(c, err, err != CW_EFORBIDDEN, cw_page_admin);
	}
	if (c->json) {
		cw_send_json(c, 201, out);
		return CW_OK;
	}
	cw_page_start(c, "Imported");
	cw_html(c, "<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">Imported</h1>"
		"<div class=\"govuk-panel__body\">%lld %s</div></div>"
		"<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/admin\">Back to administration</a></p>",
		(long long)json_integer_value(json_object_get(out, "imported")), kind);
	cw_page_end(c);
	json_decref(out);
	return CW_OK;
}

/* The same exports as `carewatch export`, redacted by the engine as ever. */
int cw_page_admin_export(cw_ctx *c)
{
	cw_export_kind kind;
	json_t *rows = NULL;
	char file[64], *csv;
	int err;

	if (cw_export_parse(c->seg[2], &kind) != CW_OK)
		return cw_error(CW_ENOTFOUND, "there is no export called '%.40s'", c->seg[2]);
	if ((err = cw_export_rows(c->db, kind, &rows)) != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, rows);
		return CW_OK;
	}
	csv = cw_export_csv(rows, cw_export_columns(kind));
	snprintf(file, sizeof(file), "%s.csv", c->seg[2]);
	cw_send_text(c, "text/csv; charset=utf-8", file, csv);
	free(csv);
	json_decref(rows);
	return CW_OK;
}

int cw_page_admin_audit(cw_ctx *c)
{
	json_t *list = NULL, *e;
	size_t i, n;
	int err;

	if ((err = require_admin(c)) != CW_OK ||
	    (err = cw_audit_list(c->db, cw_query(c, "entity"), &list)) != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, list);
		return CW_OK;
	}
	cw_page_start(c, "Audit trail");
	cw_html(c, "<h1 class=\"govuk-heading-l\">Audit trail</h1>");
	if (c->err)
		cw_error_summary(c);
	cw_form_start(c, "/admin/audit/verify");
	cw_form_end(c, "Verify the chain");
	n = json_array_size(list);
	cw_html(c, "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">The latest %zu of %zu entries, newest first</caption>"
		"<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">#</th>"
		"<th scope=\"col\" class=\"govuk-table__header\">When</th><th scope=\"col\" class=\"govuk-table__header\">Who</th>"
		"<th scope=\"col\" class=\"govuk-table__header\">What</th></tr></thead><tbody class=\"govuk-table__body\">",
		n < 200 ? n : (size_t)200, n);
	for (i = n; i > 0 && n - i < 200; i--) {
		e = json_array_get(list, i - 1);
		cw_markup(c, "<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">%lld</td>"
			"<td class=\"govuk-table__cell\">%s</td><td class=\"govuk-table__cell\">%s</td>"
			"<td class=\"govuk-table__cell\">%s</td></tr>",
			(long long)json_integer_value(json_object_get(e, "seq")), cw_js(e, "at"),
			cw_js(e, "actor"), cw_js(e, "action"));
	}
	cw_html(c, "</tbody></table>");
	cw_page_end(c);
	json_decref(list);
	return CW_OK;
}

int cw_page_admin_verify(cw_ctx *c)
{
	json_t *out = NULL;
	int err;

	if ((err = require_admin(c)) != CW_OK)
		return err;
	err = cw_audit_verify(c->db, &out);
	if (err != CW_OK && err != CW_EREFUSED)
		return err;
	if (err != CW_OK)
		cw_ctx_fail(c, err);
	if (c->json) {
		cw_send_json(c, err == CW_OK ? 200 : 409, out ? out : json_null());
		return CW_OK;
	}
	cw_page_start(c, "Audit verified");
	if (err == CW_OK)
		cw_html(c, "<div class=\"govuk-panel govuk-panel--confirmation\"><h1 class=\"govuk-panel__title\">The audit chain is intact</h1>"
			"<div class=\"govuk-panel__body\">%lld %s checked</div></div>",
			(long long)json_integer_value(json_object_get(out, "entries")),
			json_integer_value(json_object_get(out, "entries")) == 1 ? "entry" : "entries");
	else {
		cw_html(c, "<h1 class=\"govuk-heading-l\">The audit chain is broken</h1>");
		cw_error_summary(c);
	}
	cw_html(c, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/admin/audit\">Back to the audit trail</a></p>");
	cw_page_end(c);
	json_decref(out);
	return CW_OK;
}

int cw_page_admin_rules(cw_ctx *c)
{
	char *text;

	if (c->json) {
		cw_send_json(c, 200, cw_rules_to_json(cw_db_rules(c->db)));
		return CW_OK;
	}
	text = cw_rules_to_text(cw_db_rules(c->db));
	cw_page_start(c, "Rules in force");
	cw_html(c, "<h1 class=\"govuk-heading-l\">Rules in force</h1><pre class=\"govuk-body-s\" tabindex=\"0\">");
	cw_text(c, text);
	cw_html(c, "</pre>");
	cw_page_end(c);
	free(text);
	return CW_OK;
}

static void calendar_section(cw_ctx *c, const char *token);

int cw_page_account(cw_ctx *c)
{
	if (c->json) {
		cw_send_json(c, 200, json_pack("{s:s,s:s}", "user", c->user, "roles", cw_db_actor_roles(c->db)));
		return CW_OK;
	}
	cw_page_start(c, "Your account");
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">Your account</h1><p class=\"govuk-body\">Signed in as <strong>");
	cw_text(c, c->user);
	cw_html(c, "</strong> with the roles ");
	cw_text(c, cw_db_actor_roles(c->db));
	cw_html(c, ".</p><h2 class=\"govuk-heading-m\">Change your password</h2>");
	cw_form_start(c, "/account/password");
	cw_field_text(c, "password", "New password", "At least 10 characters", NULL, "password");
	cw_form_end(c, "Change the password");
	calendar_section(c, NULL);
	cw_page_end(c);
	return CW_OK;
}

/* The calendar feed: its address is shown once, when it is made; after
 * that only that one exists, and a reset replaces it. */
static void calendar_section(cw_ctx *c, const char *token)
{
	const char *base = cw_rules_string(cw_db_rules(c->db), "web.public_url");
	char since[CW_DATE_STRLEN] = "";

	cw_html(c, "<h2 class=\"govuk-heading-m\" id=\"calendar\">Your calendar feed</h2>"
		"<p class=\"govuk-body\">Subscribe to it from Outlook or any calendar to see the meetings,"
		" reviews and due dates coming up, as you see them here. Anyone with its address can read it:"
		" keep it private, and reset it if it may have been shared.</p>");
	if (token) {
		cw_html(c, "<div class=\"govuk-panel govuk-panel--confirmation\"><h3 class=\"govuk-panel__title govuk-!-font-size-24\">"
			"Your calendar address</h3><div class=\"govuk-panel__body govuk-!-font-size-19\"><code class=\"cw-secret\">");
		if (base && *base)
			cw_text(c, base);
		cw_html(c, "%scalendar/", base && *base && base[strlen(base) - 1] == '/' ? "" : "/");
		cw_text(c, token);
		cw_html(c, ".ics</code></div></div><p class=\"govuk-body\">Copy it now: it is shown only"
			" once%s.</p>", base && *base ? "" : " (put this server's address in front of it)");
	} else if (cw_auth_calendar_since(c->db, since) == CW_OK && *since) {
		cw_html(c, "<p class=\"govuk-body\">You made a calendar address on ");
		cw_text(c, since);
		cw_html(c, ". Resetting it stops the old address working and shows you a new one.</p>");
	}
	cw_form_start(c, "/account/calendar");
	cw_form_end(c, *since || token ? "Reset the calendar address" : "Make a calendar address");
}

int cw_page_account_calendar(cw_ctx *c)
{
	char token[CW_AUTH_TOKEN_LEN];
	int err = cw_auth_calendar_reset(c->db, token);

	if (err != CW_OK)
		return err;
	if (c->json) {
		char path[CW_AUTH_TOKEN_LEN + 20];

		snprintf(path, sizeof(path), "/calendar/%s.ics", token);
		cw_send_json(c, 201, json_pack("{s:s}", "path", path));
		memset(path, 0, sizeof(path));
	} else {
		cw_page_start(c, "Your calendar feed");
		cw_html(c, "<a class=\"govuk-back-link\" href=\"/account\">Your account</a>");
		calendar_section(c, token);
		cw_page_end(c);
	}
	memset(token, 0, sizeof(token));
	return CW_OK;
}

int cw_page_account_password(cw_ctx *c)
{
	int err = cw_auth_set_password(c->db, c->user, cw_form_or(c, "password", ""));

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		if (!c->json)
			cw_page_account(c);
		return err;
	}
	if (c->json) {
		cw_send_json(c, 200, json_pack("{s:b}", "ok", 1));
		return CW_OK;
	}
	cw_redirect(c, "/account");
	return CW_OK;
}
