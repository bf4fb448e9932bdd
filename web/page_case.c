/* Cases: the stage, only the transitions allowed, the action plan,
 * meetings, tasks, documents and letters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/action.h"
#include "carewatch/concern.h"
#include "carewatch/meeting.h"
#include "carewatch/placement.h"
#include "carewatch/task.h"
#include "carewatch/user.h"
#include "carewatch/commissioner.h"
#include "carewatch/document.h"
#include "carewatch/letter.h"
#include "carewatch/words.h"
#include "web_internal.h"

static const char *const band_names[] = { "red", "amber", "yellow", "green", NULL };

/* The transitions of the stage table, with the permission each needs. */
static const struct transition {
	const char *command, *label, *perm;
	const char *stages[3];
	bool should;             /* has "should" guards: offer the override */
} transitions[] = {
	{ "escalate", "Escalate to provider performance", "case.escalate", { "quality_assurance" }, false },
	{ "deescalate", "De-escalate to quality assurance", "case.deescalate", { "provider_performance" }, true },
	{ "suspend", "Suspend placements", "case.decide", { "quality_assurance", "provider_performance", "embargo" }, true },
	{ "restart", "Restart placements", "case.decide", { "quality_assurance", "provider_performance", "embargo" }, true },
	{ "close", "Close the case", "case.close", { "quality_assurance", "provider_performance", "embargo" }, true },
	{ NULL, NULL, NULL, { NULL }, false }
};

static bool any_control(json_t *controls, const char *status)
{
	size_t i;
	json_t *e;

	json_array_foreach(controls, i, e)
		if (strcmp(cw_js(e, "status"), status) == 0)
			return true;
	return false;
}

/* Is this transition offered for the case as it stands, to this user? */
static bool offered(cw_ctx *c, const struct transition *t, json_t *kase, json_t *controls)
{
	const char *stage = cw_js(kase, "stage");
	size_t i;

	if (!cw_may(c, t->perm))
		return false;
	if (strcmp(t->command, "restart") == 0 && !any_control(controls, "suspended") &&
	    !any_control(controls, "restricted"))
		return false;
	if (strcmp(t->command, "suspend") == 0 && !any_control(controls, "open") &&
	    !any_control(controls, "restricted"))
		return false;
	for (i = 0; i < 3 && t->stages[i]; i++)
		if (strcmp(stage, t->stages[i]) == 0)
			return true;
	return false;
}

static const struct transition *find_transition(const char *command)
{
	const struct transition *t;

	for (t = transitions; t->command; t++)
		if (strcmp(t->command, command) == 0)
			return t;
	return NULL;
}

int cw_page_cases(cw_ctx *c)
{
	static const cw_column cols[] = {
		{ "Reference", CW_CELL_LINK, .key = "ref", .cls = "cw-nowrap",
		  .href = "/cases/", .id = "id" },
		{ "Provider", CW_CELL_TEXT, .key = "provider" }, { "Stage", CW_CELL_STAGE, .key = "stage" },
		{ "Opened", CW_CELL_TEXT, .key = "opened" }, { "Open tasks", CW_CELL_INT, .key = "open_tasks" },
		{ 0 },
	};
	json_t *list = NULL;
	int err = cw_case_list(c->db, cw_query(c, "stage"), &list);

	return cw_page_table(c, err, list, "Cases", "Cases", cols);
}

static void action_forms(cw_ctx *c, json_t *item, size_t n)
{
	char prefix[32];

	if (!cw_may(c, "action.write") || strcmp(cw_js(item, "status"), "completed") == 0)
		return;
	/* Every item has these forms: their field ids must differ. */
	snprintf(prefix, sizeof(prefix), "item%zu-", n);
	c->id_prefix = prefix;
	cw_html(c, "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\">"
		"<span class=\"govuk-details__summary-text\">Update this item</span></summary><div class=\"govuk-details__text\">");
	cw_form_startf(c, "/actions/%s/progress", cw_js(item, "id"));
	cw_field_select(c, "status", "Status", cw_action_statuses, cw_js(item, "status"), false);
	cw_field_textarea(c, "evidence", "Evidence (optional)", NULL, NULL);
	cw_form_end(c, "Record progress");
	cw_form_startf(c, "/actions/%s/extend", cw_js(item, "id"));
	cw_field_date(c, "due", "New due date", "For example, 27 3 2026");
	cw_field_textarea(c, "rationale", "Why the date moves", NULL, NULL);
	cw_form_end(c, "Extend");
	cw_html(c, "</div></details>");
	c->id_prefix = NULL;
}

/* A secondary button to /cases/id/section/step. */
static void case_button(cw_ctx *c, const char *id, const char *section, const char *step,
	const char *label)
{
	cw_html(c, "<a class=\"govuk-button govuk-button--secondary\" href=\"/cases/");
	cw_text(c, id);
	cw_html(c, "/%s/%s\">", section, step);
	cw_text(c, label);
	cw_html(c, "</a>");
}

/* One document or letter, a link for each format its route serves
 * (letters have no Markdown). */
static void paper_links(cw_ctx *c, const char *id, const char *kind, const char *name,
	bool markdown)
{
	static const char *const formats[][2] = {
		{ "html", "printable page" }, { "markdown", "Markdown" }, { "text", "text" },
	};
	size_t f;

	cw_html(c, "<li>");
	cw_text(c, name);
	cw_html(c, ": ");
	for (f = 0; f < 3; f++) {
		if (f == 1 && !markdown)
			continue;
		cw_html(c, "%s<a class=\"govuk-link\" href=\"/cases/", f ? ", " : "");
		cw_text(c, id);
		cw_html(c, "/%s/%s?format=%s\">%s</a>", kind, name, formats[f][0], formats[f][1]);
	}
	cw_html(c, "</li>");
}

static int case_page(cw_ctx *c, const char *ref)
{
	json_t *k = NULL, *actions = NULL, *meetings = NULL, *tasks = NULL, *controls = NULL, *e;
	const struct transition *t;
	const char *id;
	size_t i;
	int err;

	if ((err = cw_case_show(c->db, ref, &k)) != CW_OK)
		goto done;
	id = cw_js(k, "id");
	if ((err = cw_action_list(c->db, id, false, &actions)) != CW_OK ||
	    (err = cw_meeting_list(c->db, id, &meetings)) != CW_OK ||
	    (err = cw_task_list(c->db, id, false, &tasks)) != CW_OK ||
	    (err = cw_placement_controls(c->db, cw_js(k, "provider_id"), &controls)) != CW_OK)
		goto done;
	if (c->json) {
		json_t *j = json_deep_copy(k);

		json_object_set(j, "actions", actions);
		json_object_set(j, "meetings", meetings);
		json_object_set(j, "tasks", tasks);
		cw_send_json(c, 200, j);
		goto done;
	}
	cw_page_start_provider(c, "Case", cw_js(k, "provider"), cw_js(k, "provider_id"));
	cw_markup(c, "Case %s: %s</h1><dl class=\"govuk-summary-list\">", cw_js(k, "ref"),
		cw_words_stage(cw_js(k, "stage")));
	cw_summary_row(c, "Stage", cw_words_stage(cw_js(k, "stage")));
	cw_summary_row(c, "Opened", cw_js(k, "opened"));
	cw_summary_row(c, "Reason", cw_js(k, "reason"));
	cw_summary_row(c, "Trigger", cw_js(k, "trigger"));
	cw_summary_row(c, "Chair", cw_js(k, "chair"));
	cw_summary_row(c, "Outcome", cw_js(k, "outcome"));
	cw_html(c, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Flags</dt>"
		"<dd class=\"govuk-summary-list__value\">");
	cw_flag_list(c, json_object_get(k, "flags"));
	cw_html(c, "</dd></div>");
	cw_html(c, "</dl>");
	cw_html(c, "<h2 class=\"govuk-heading-m\">What can happen next</h2><div class=\"govuk-button-group\">");
	for (t = transitions; t->command; t++)
		if (offered(c, t, k, controls))
			case_button(c, id, "do", t->command, t->label);
	if (strcmp(cw_js(k, "stage"), "closed") != 0) {
		if (cw_may(c, "meeting.write") && strcmp(cw_js(k, "stage"), "quality_assurance") != 0)
			case_button(c, id, "meetings", "new", "Record a meeting");
		if (cw_may(c, "action.write"))
			case_button(c, id, "actions", "new", "Add to the action plan");
	}
	cw_html(c, "</div>");

	cw_html(c, "<h2 class=\"govuk-heading-m\">Action plan</h2>");
	json_array_foreach(actions, i, e) {
		cw_markup(c, "<div class=\"govuk-summary-card\"><div class=\"govuk-summary-card__title-wrapper\">"
			"<h3 class=\"govuk-summary-card__title\">%s %s: %s", cw_js(e, "ref"), cw_js(e, "kind"),
			cw_js(e, "improvement"));
		if (json_is_true(json_object_get(e, "overdue")))
			cw_html(c, " <strong class=\"govuk-tag govuk-tag--red\">overdue</strong>");
		cw_html(c, "</h3></div><div class=\"govuk-summary-card__content\"><dl class=\"govuk-summary-list\">");
		cw_summary_row(c, "Owner", cw_js(e, "owner"));
		cw_summary_row(c, "Due", cw_js(e, "due"));
		cw_summary_row(c, "Status", cw_js(e, "status"));
		cw_summary_row(c, "Completed", cw_js(e, "completed"));
		cw_html(c, "</dl>");
		action_forms(c, e, i);
		cw_html(c, "</div></div>");
	}
	if (!json_array_size(actions))
		cw_html(c, "<p class=\"govuk-body\">No items yet.</p>");

	cw_html(c, "<h2 class=\"govuk-heading-m\">Meetings</h2><ul class=\"govuk-list\">");
	json_array_foreach(meetings, i, e) {
		cw_markup(c, "<li>%s %s: chaired by %s, trend %s", cw_js(e, "ref"), cw_js(e, "date"),
			cw_js(e, "chair"), cw_js(e, "trend"));
		if (*cw_js(e, "overall")) {
			cw_html(c, ", agreed level ");
			cw_band_tag(c, cw_js(e, "overall"));
		}
		cw_html(c, "</li>");
	}
	if (!json_array_size(meetings))
		cw_html(c, "<li>None yet.</li>");
	cw_html(c, "</ul><h2 class=\"govuk-heading-m\">Tasks</h2><ul class=\"govuk-list\">");
	json_array_foreach(tasks, i, e)
		cw_markup(c, "<li>%s – %s</li>", cw_js(e, "description"), *cw_js(e, "done") ? "done" : "to do");
	cw_html(c, "</ul><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/tasks\">All tasks</a></p>");

	cw_html(c, "<h2 class=\"govuk-heading-m\">Events</h2><ul class=\"govuk-list\">");
	json_array_foreach(json_object_get(k, "events"), i, e) {
		cw_markup(c, "<li>%s: %s → %s by %s", cw_js(e, "date"), cw_js(e, "command"),
			cw_js(e, "to"), cw_js(e, "actor"));
		if (*cw_js(e, "override"))
			cw_markup(c, " (override: %s)", cw_js(e, "override"));
		cw_html(c, "</li>");
	}
	cw_html(c, "</ul><h2 class=\"govuk-heading-m\">Documents</h2><ul class=\"govuk-list\">");
	for (i = 0; cw_document_names[i]; i++)
		paper_links(c, id, "documents", cw_document_names[i], true);
	cw_html(c, "</ul>");
	if (cw_may(c, "letter.write")) {
		cw_html(c, "<h2 class=\"govuk-heading-m\">Letters</h2><ul class=\"govuk-list\">");
		for (i = 0; cw_letter_names[i]; i++)
			paper_links(c, id, "letters", cw_letter_names[i], false);
		cw_html(c, "</ul>");
	}
	cw_page_end(c);
done:
	json_decref(k);
	json_decref(actions);
	json_decref(meetings);
	json_decref(tasks);
	json_decref(controls);
	return err;
}

int cw_page_case(cw_ctx *c)
{
	return case_page(c, c->seg[1]);
}

/* The form of one transition, with the values typed kept. */
static int transition_form(cw_ctx *c)
{
	static const char *const per[] = { "week", "month", NULL };
	const struct transition *t = find_transition(c->seg[3]);
	json_t *k = NULL, *users = NULL, *comms = NULL;
	int err;

	if (!t)
		return cw_error(CW_ENOTFOUND, "there is no such step for a case");
	if ((err = cw_case_show(c->db, c->seg[1], &k)) != CW_OK)
		goto done;
	if ((err = cw_db_require(c->db, t->perm)) != CW_OK)
		goto done;
	if ((err = cw_user_list(c->db, &users)) != CW_OK ||
	    (err = cw_commissioner_list(c->db, &comms)) != CW_OK)
		goto done;
	cw_page_start_provider(c, t->label, cw_js(k, "provider"), NULL);
	cw_text(c, t->label);
	cw_html(c, "</h1>");
	cw_form_startf(c, "/cases/%s/do/%s", cw_js(k, "id"), t->command);
	if (strcmp(t->command, "escalate") == 0) {
		cw_field_select(c, "trigger", "Trigger", cw_case_triggers, cw_form(c, "trigger"), true);
		cw_field_select_json(c, "chair", "Chair", users, "name", "name", cw_form(c, "chair"));
		cw_field_textarea(c, "note", "Note (needed for the trigger 'other')", NULL, cw_form(c, "note"));
	} else if (strcmp(t->command, "deescalate") == 0) {
		cw_field_textarea(c, "rationale", "Rationale", NULL, cw_form(c, "rationale"));
	} else if (strcmp(t->command, "suspend") == 0) {
		cw_field_select_json(c, "commissioner", "Commissioner", comms, "id", "name", cw_form(c, "commissioner"));
		cw_field_select(c, "kind", "Kind of embargo", cw_embargo_kinds, cw_form(c, "kind"), true);
		cw_field_textarea(c, "reason", "Reason", NULL, cw_form(c, "reason"));
		cw_field_date(c, "meeting", "Meeting that recommended it (optional)", "For example, 27 3 2026");
	} else if (strcmp(t->command, "restart") == 0) {
		cw_field_select_json(c, "commissioner", "Commissioner", comms, "id", "name", cw_form(c, "commissioner"));
		cw_field_textarea(c, "reason", "Reason", NULL, cw_form(c, "reason"));
		cw_html(c, "<h2 class=\"govuk-heading-s\">Conditions (leave blank for none)</h2>");
		cw_field_text(c, "max_admissions", "At most this many admissions", NULL, cw_form(c, "max_admissions"), "text");
		cw_field_select(c, "per", "Per", per, cw_form(c, "per"), true);
		cw_field_text(c, "max_packages", "At most this many new packages a week", NULL, cw_form(c, "max_packages"), "text");
		cw_field_text(c, "max_hours", "At most this many new hours of care a week", NULL, cw_form(c, "max_hours"), "text");
		cw_field_checkbox(c, "no_respite", "No respite placements", cw_form(c, "no_respite") != NULL);
	} else {
		cw_field_select(c, "outcome", "Outcome", cw_case_outcomes, cw_form(c, "outcome"), true);
		cw_field_textarea(c, "rationale", "Rationale", NULL, cw_form(c, "rationale"));
		cw_field_text(c, "agreed_by", "Agreed by (organisations, comma-separated; optional)", NULL,
			cw_form(c, "agreed_by"), "text");
	}
	if (t->should)
		cw_field_textarea(c, "override", "Override a 'should' rule (optional)",
			"Only where the rules make a condition 'should': say why it may go ahead. The reason is recorded.",
			cw_form(c, "override"));
	cw_form_end(c, t->label);
	cw_page_end(c);
done:
	json_decref(k);
	json_decref(users);
	json_decref(comms);
	return err;
}

int cw_page_case_form(cw_ctx *c)
{
	return transition_form(c);
}

static const char *opt(cw_ctx *c, const char *name)
{
	const char *v = cw_form(c, name);

	return v && *v ? v : NULL;
}

static int whole_opt(const char *field, const char *s, bool *has, long *out)
{
	char *end;

	*has = s && *s;
	if (!*has)
		return CW_OK;
	*out = strtol(s, &end, 10);
	if (*end)
		return cw_error_at(field, CW_EINVALID, "This must be a whole number");
	return CW_OK;
}

int cw_page_case_act(cw_ctx *c)
{
	const char *cmd = c->seg[3], *ref = c->seg[1];
	json_t *out = NULL;
	int err;

	if (!find_transition(cmd))
		return cw_error(CW_ENOTFOUND, "there is no such step for a case");
	if (strcmp(cmd, "escalate") == 0) {
		err = cw_case_escalate(c->db, ref, cw_form_or(c, "trigger", ""), cw_form_or(c, "chair", ""),
			opt(c, "note"), &out);
	} else if (strcmp(cmd, "deescalate") == 0) {
		err = cw_case_deescalate(c->db, ref, cw_form_or(c, "rationale", ""), opt(c, "override"), &out);
	} else if (strcmp(cmd, "suspend") == 0) {
		cw_case_suspend_args a = {
			.commissioner = cw_form_or(c, "commissioner", ""), .kind = cw_form_or(c, "kind", ""),
			.reason = cw_form_or(c, "reason", ""), .override = opt(c, "override"),
		};

		if ((err = cw_form_date(c, "meeting", false, &a.has_meeting, &a.meeting)) == CW_OK)
			err = cw_case_suspend(c->db, ref, &a, &out);
	} else if (strcmp(cmd, "restart") == 0) {
		cw_case_restart_args a = {
			.commissioner = cw_form_or(c, "commissioner", ""), .reason = cw_form_or(c, "reason", ""),
			.per = opt(c, "per"), .no_respite = cw_form(c, "no_respite") != NULL,
			.override = opt(c, "override"),
		};
		const char *hours = opt(c, "max_hours");

		err = whole_opt("max_admissions", cw_form(c, "max_admissions"), &a.has_admissions, &a.max_admissions);
		if (err == CW_OK)
			err = whole_opt("max_packages", cw_form(c, "max_packages"), &a.has_packages, &a.max_packages);
		if (err == CW_OK && hours) {
			char *end;

			a.max_hours = strtod(hours, &end);
			a.has_hours = true;
			if (*end)
				err = cw_error_at("max_hours", CW_EINVALID, "This must be a number");
		}
		if (err == CW_OK)
			err = cw_case_restart(c->db, ref, &a, &out);
	} else {
		cw_case_close_args a = {
			.outcome = cw_form_or(c, "outcome", ""), .rationale = cw_form_or(c, "rationale", ""),
			.agreed_by = opt(c, "agreed_by"), .override = opt(c, "override"),
		};

		err = cw_case_close(c->db, ref, &a, &out);
	}
	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, err != CW_ENOTFOUND, transition_form);
	}
	return cw_post_done(c, out, 200, "/cases/", "id");
}

/* ---- meetings ---- */

#define MAX_ROWS 20

static int meeting_form(cw_ctx *c)
{
	static const char *const trends[] = { "increased", "same", "decreased", NULL };
	const char *names[MAX_ROWS], *orgs[MAX_ROWS], *roles[MAX_ROWS];
	size_t n = cw_form_all(c, "attendee_name", names, MAX_ROWS), i, rows;
	json_t *k = NULL, *users = NULL;
	int err;

	cw_form_all(c, "attendee_org", orgs, MAX_ROWS);
	cw_form_all(c, "attendee_role", roles, MAX_ROWS);
	if ((err = cw_case_show(c->db, c->seg[1], &k)) != CW_OK ||
	    (err = cw_db_require(c->db, "meeting.write")) != CW_OK ||
	    (err = cw_user_list(c->db, &users)) != CW_OK)
		goto done;
	/* Rows typed are kept; "add another" shows one more without JavaScript. */
	rows = n < 3 ? 3 : n + (cw_form(c, "add_row") ? 1 : 0);
	if (rows > MAX_ROWS)
		rows = MAX_ROWS;
	cw_page_start_provider(c, "Record a meeting", cw_js(k, "provider"), NULL);
	cw_html(c, "Record a provider performance meeting</h1>");
	cw_form_startf(c, "/cases/%s/meetings", cw_js(k, "id"));
	cw_field_date(c, "date", "Date held", "For example, 27 3 2026");
	cw_field_select_json(c, "chair", "Chair", users, "name", "name", cw_form(c, "chair"));
	cw_html(c, "<fieldset class=\"govuk-fieldset\" id=\"attendees\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">Attendees</legend>");
	if (c->err && c->err_field && strcmp(c->err_field, "attendees") == 0) {
		cw_html(c, "<p class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> ");
		cw_text(c, c->err_msg);
		cw_html(c, "</p>");
	}
	for (i = 0; i < rows; i++) {
		cw_html(c, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-one-third\"><div class=\"govuk-form-group\">"
			"<label class=\"govuk-label\" for=\"attendee_name-%zu\">Attendee %zu name</label>"
			"<input class=\"govuk-input\" id=\"attendee_name-%zu\" name=\"attendee_name\" type=\"text\" value=\"", i, i + 1, i);
		cw_text(c, i < n ? names[i] : "");
		cw_html(c, "\"></div></div><div class=\"govuk-grid-column-one-third\"><div class=\"govuk-form-group\">"
			"<label class=\"govuk-label\" for=\"attendee_org-%zu\">Organisation</label>"
			"<input class=\"govuk-input\" id=\"attendee_org-%zu\" name=\"attendee_org\" type=\"text\" value=\"", i, i);
		cw_text(c, i < n ? orgs[i] : "");
		cw_html(c, "\"></div></div><div class=\"govuk-grid-column-one-third\"><div class=\"govuk-form-group\">"
			"<label class=\"govuk-label\" for=\"attendee_role-%zu\">Role</label>"
			"<input class=\"govuk-input\" id=\"attendee_role-%zu\" name=\"attendee_role\" type=\"text\" value=\"", i, i);
		cw_text(c, i < n ? roles[i] : "");
		cw_html(c, "\"></div></div></div>");
	}
	cw_html(c, "<button type=\"submit\" name=\"add_row\" value=\"1\" class=\"govuk-button govuk-button--secondary\">Add another attendee</button></fieldset>");
	cw_field_select(c, "trend", "Trend since the last meeting", trends, cw_form(c, "trend"), true);
	cw_field_select(c, "overall", "Agreed overall level (optional)", band_names, cw_form(c, "overall"), true);
	cw_field_date(c, "next", "Next meeting (optional)", "For example, 27 4 2026");
	cw_field_checkbox(c, "provider_attended", "The provider attended", cw_form(c, "provider_attended") != NULL);
	cw_field_textarea(c, "decisions", "Decisions (optional)", NULL, cw_form(c, "decisions"));
	cw_form_end(c, "Record the meeting");
	cw_page_end(c);
done:
	json_decref(k);
	json_decref(users);
	return err;
}

int cw_page_meeting_new(cw_ctx *c)
{
	return meeting_form(c);
}

int cw_page_meeting_record(cw_ctx *c)
{
	const char *names[MAX_ROWS], *orgs[MAX_ROWS], *roles[MAX_ROWS];
	size_t n = cw_form_all(c, "attendee_name", names, MAX_ROWS), i, k = 0;
	char *att[MAX_ROWS];
	cw_meeting_record_args a = {
		.case_ref = c->seg[1], .chair = cw_form_or(c, "chair", ""),
		.trend = cw_form_or(c, "trend", ""), .overall = opt(c, "overall"),
		.provider_attended = cw_form(c, "provider_attended") != NULL,
		.decisions = opt(c, "decisions"),
	};
	json_t *out = NULL;
	bool given;
	int err;

	cw_form_all(c, "attendee_org", orgs, MAX_ROWS);
	cw_form_all(c, "attendee_role", roles, MAX_ROWS);
	if (cw_form(c, "add_row")) {
		/* "Add another attendee": show the form again, nothing recorded. */
		cw_error_clear();
		if (meeting_form(c) != CW_OK)
			return cw_ctx_fail(c, cw_error_code() ? cw_error_code() : CW_EINTERNAL);
		return CW_OK;
	}
	for (i = 0; i < n; i++) {
		cw_buf b = CW_BUF_INIT;

		if (!*names[i] && !*orgs[i] && !*roles[i])
			continue;
		cw_buf_printf(&b, "%s|%s|%s", names[i], orgs[i], roles[i]);
		att[k++] = cw_buf_detach(&b);
	}
	a.attendees = (const char *const *)att;
	a.nattendees = k;
	if ((err = cw_form_date(c, "date", true, &given, &a.date)) == CW_OK &&
	    (err = cw_form_date(c, "next", false, &a.has_next, &a.next)) == CW_OK)
		err = cw_meeting_record(c->db, &a, &out);
	for (i = 0; i < k; i++)
		free(att[i]);
	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		if (c->err_field && strcmp(c->err_field, "attendee") == 0)
			cw_ctx_field(c, "attendees");
		return cw_form_again(c, err, err != CW_ENOTFOUND, meeting_form);
	}
	return cw_post_done(c, out, 201, "/cases/", "case_id");
}

/* ---- the action plan ---- */

static int action_form(cw_ctx *c)
{
	json_t *k = NULL, *concerns = NULL, *open = json_array(), *e;
	size_t i;
	int err;

	if ((err = cw_case_show(c->db, c->seg[1], &k)) != CW_OK ||
	    (err = cw_db_require(c->db, "action.write")) != CW_OK)
		goto done;
	{
		cw_concern_filter f = { .provider = cw_js(k, "provider_id"), .open_only = true };

		if ((err = cw_concern_list(c->db, &f, &concerns)) != CW_OK)
			goto done;
	}
	json_array_foreach(concerns, i, e)
		if (!json_is_true(json_object_get(e, "positive"))) {
			json_t *o = json_pack("{s:s,s:s++}", "id", cw_js(e, "id"), "label",
				cw_js(e, "received"), " ", cw_js(e, "summary"));

			json_array_append_new(open, o);
		}
	cw_page_start_provider(c, "Add to the action plan", cw_js(k, "provider"), NULL);
	cw_html(c, "Add to the action plan</h1>");
	cw_form_startf(c, "/cases/%s/actions", cw_js(k, "id"));
	cw_field_select_json(c, "concern", "The concern it addresses", open, "id", "label", cw_form(c, "concern"));
	cw_field_select(c, "kind", "Kind (CA corrective, DA development)", cw_action_kinds, cw_form(c, "kind"), true);
	cw_field_textarea(c, "improvement", "Improvement required", NULL, cw_form(c, "improvement"));
	cw_field_text(c, "owner", "Owner", NULL, cw_form(c, "owner"), "text");
	cw_field_date(c, "due", "Due by", "For example, 27 3 2026");
	cw_form_end(c, "Add the item");
	cw_page_end(c);
done:
	json_decref(k);
	json_decref(concerns);
	json_decref(open);
	return err;
}

int cw_page_action_new(cw_ctx *c)
{
	return action_form(c);
}

static int action_done(cw_ctx *c, int err, json_t *out, int (*form)(cw_ctx *))
{

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, form && err != CW_ENOTFOUND, form);
	}
	return cw_post_done(c, out, 200, "/cases/", "case_id");
}

int cw_page_action_add(cw_ctx *c)
{
	cw_action_add_args a = {
		.case_ref = c->seg[1], .concern = cw_form_or(c, "concern", ""),
		.kind = cw_form_or(c, "kind", ""), .improvement = cw_form_or(c, "improvement", ""),
		.owner = cw_form_or(c, "owner", ""),
	};
	json_t *out = NULL;
	bool given;
	int err;

	if ((err = cw_form_date(c, "due", true, &given, &a.due)) == CW_OK)
		err = cw_action_add(c->db, &a, &out);
	return action_done(c, err, out, action_form);
}

/* Extend and progress are forms on the case page: show it with the error. */
static int case_of_action(cw_ctx *c)
{
	json_t *item = NULL;
	int err;

	if ((err = cw_action_show(c->db, c->seg[1], &item)) != CW_OK)
		return err;
	err = case_page(c, cw_js(item, "case_id"));
	json_decref(item);
	return err;
}

int cw_page_action_extend(cw_ctx *c)
{
	json_t *out = NULL;
	cw_date due = 0;
	bool given;
	int err;

	if ((err = cw_form_date(c, "due", true, &given, &due)) == CW_OK)
		err = cw_action_extend(c->db, c->seg[1], due, cw_form_or(c, "rationale", ""), &out);
	return action_done(c, err, out, case_of_action);
}

int cw_page_action_progress(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_action_progress(c->db, c->seg[1], cw_form_or(c, "status", ""), opt(c, "evidence"), &out);

	return action_done(c, err, out, case_of_action);
}

/* ---- tasks ---- */

/* A task's status, or the form that marks it done (each row's ids its own). */
static void task_status(cw_ctx *c, const json_t *e, size_t i)
{
	if (*cw_js(e, "done")) {
		cw_markup(c, "done %s by %s", cw_js(e, "done"), cw_js(e, "done_by"));
		if (*cw_js(e, "note"))
			cw_markup(c, "<p class=\"govuk-body-s govuk-!-margin-bottom-0\">%s</p>", cw_js(e, "note"));
	} else if (cw_may(c, "task.write")) {
		cw_markup(c, "<form method=\"post\" action=\"/tasks/%s/done\">", cw_js(e, "id"));
		cw_csrf_field(c);
		cw_html(c, "<label class=\"govuk-label govuk-label--s\" for=\"note-%zu\">Note"
			"<span class=\"govuk-visually-hidden\"> for task %zu</span> (optional)</label>"
			"<input class=\"govuk-input govuk-input--width-20 govuk-!-margin-bottom-1\" id=\"note-%zu\" name=\"note\" type=\"text\"> "
			"<button type=\"submit\" class=\"govuk-button govuk-button--secondary govuk-!-margin-bottom-0\">"
			"Mark done<span class=\"govuk-visually-hidden\"> (task %zu)</span></button></form>",
			i + 1, i + 1, i + 1, i + 1);
	} else {
		cw_html(c, "to do");
	}
}

int cw_page_tasks(cw_ctx *c)
{
	static const cw_column cols[] = {
		{ "Provider", CW_CELL_LINK, .key = "provider", .href = "/cases/", .id = "case_id" },
		{ "Task", CW_CELL_TEXT, .key = "description" }, { "Who to tell", CW_CELL_TEXT, .key = "who_to_tell" },
		{ "Status", CW_CELL_DRAW, .draw = task_status }, { 0 },
	};
	json_t *list = NULL;
	int err = cw_task_list(c->db, NULL, cw_query(c, "open") != NULL, &list);

	return cw_page_table(c, err, list, "Tasks", "Notification tasks", cols);
}

int cw_page_task_done(cw_ctx *c)
{
	json_t *out = NULL;
	int err = cw_task_done_note(c->db, c->seg[1], cw_form(c, "note"), &out);

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		return cw_form_again(c, err, err == CW_EREFUSED || err == CW_EINVALID, cw_page_tasks);
	}
	if (c->json) {
		cw_send_json(c, 200, out);
		return CW_OK;
	}
	json_decref(out);
	cw_redirect(c, "/tasks");
	return CW_OK;
}

/* ---- documents and letters ---- */

/* The ?format= asked for, when given. */
static int paper_format(cw_ctx *c, cw_format *f)
{
	const char *q = cw_query(c, "format");

	return q ? cw_format_parse(q, f) : CW_OK;
}

/* A rendered document or letter: JSON as it is, else the page or file. */
static int paper(cw_ctx *c, int err, json_t *out, cw_format f, const char *name)
{
	char file[160];

	if (err != CW_OK)
		return err;
	if (c->json) {
		cw_send_json(c, 200, out);
		return CW_OK;
	}
	if (f == CW_FORMAT_HTML) {
		/* A standalone printable page: its own inline styles, never a script. */
		cw_send_text(c, "text/html; charset=utf-8", NULL, cw_js(out, "text"));
		cw_resp_header(c->resp, "Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
	} else {
		snprintf(file, sizeof(file), "%s.%s", name, f == CW_FORMAT_MARKDOWN ? "md" : "txt");
		cw_send_text(c, f == CW_FORMAT_MARKDOWN ? "text/markdown; charset=utf-8"
			: "text/plain; charset=utf-8", file, cw_js(out, "text"));
	}
	json_decref(out);
	return CW_OK;
}

int cw_page_document(cw_ctx *c)
{
	cw_document_args a = { .name = c->seg[3], .case_ref = c->seg[1], .format = CW_FORMAT_HTML };
	json_t *out = NULL;
	int err;

	if ((err = paper_format(c, &a.format)) != CW_OK)
		return err;
	a.meeting = cw_query(c, "meeting");
	err = cw_document_render(c->db, &a, &out);
	return paper(c, err, out, a.format, a.name);
}

int cw_page_letter(cw_ctx *c)
{
	cw_letter_args a = { .name = c->seg[3], .case_ref = c->seg[1], .format = CW_FORMAT_HTML };
	json_t *out = NULL;
	int err;

	if ((err = paper_format(c, &a.format)) != CW_OK)
		return err;
	err = cw_letter_render(c->db, &a, &out);
	return paper(c, err, out, a.format, a.name);
}
