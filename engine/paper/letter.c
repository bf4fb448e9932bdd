/*
 * Letters: gather the facts of a case into one JSON context, render the
 * template (engine/paper/template.c) and, for HTML, lay the text out as a page.
 * A fact that does not exist yet is left out of the context with a note of
 * why; the template engine's "missing" hook turns a placeholder that needs
 * it into "not found" (exit 3) saying what is missing, while a placeholder
 * that names no fact at all stays invalid input (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/letter.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "carewatch/commissioner.h"
#include "carewatch/concern.h"
#include "carewatch/meeting.h"
#include "carewatch/task.h"
#include "carewatch/provider.h"
#include "case_ref.h"
#include "case_view.h"
#include "page.h"
#include "placement_internal.h"

const char *const cw_letter_names[] = {
	"ppm-commenced-provider", "ppm-commenced-service-user", "concerns-provider",
	"embargo-placed-provider", "embargo-placed-service-user", "embargo-lifted-provider",
	"embargo-lifted-service-user", "process-closed-provider", "contract-terminated-provider",
	"lack-of-engagement-provider", NULL
};

#define TEXT_WIDTH 78          /* as the text documents */
#define RESPONSE_DAYS 14       /* a written response is asked for within a fortnight */

struct label {
	const char *word, *text;
};

static const struct label types[] = {
	{ "care_home_residential", "residential care home" },
	{ "care_home_nursing", "nursing home" },
	{ "domiciliary", "domiciliary care agency" },
	{ "supported_living", "supported living service" },
	{ "day_service", "day service" },
	{ NULL, "care service" }
};

static const struct label outcomes[] = {
	{ "improved", "The improvements required have been made and sustained, and the"
		" partners agree that the process can close." },
	{ "single_agency_monitoring", "The partners agree that the process can close, with"
		" the service monitored from now on by one agency rather than by all the partners." },
	{ "contract_terminated", "The contract for the service has been terminated." },
	{ "service_closed", "The service has closed." },
	{ NULL, "The process has closed." }
};

/* What happens next, by outcome: a terminated contract is not monitored on. */
static const struct label next_steps[] = {
	{ "improved", "The partner agencies will now revert to their usual roles: care"
		" managers will review the care of the people using your service as planned,"
		" and our contract monitoring will continue as for any other provider." },
	{ "single_agency_monitoring", "Our contract monitoring officers will continue to"
		" monitor the service and the progress of any improvements still being made;"
		" the other partner agencies will revert to their usual roles. Should new"
		" concerns arise, the partners may be asked to meet again." },
	{ "contract_terminated", "The contract ends in accordance with its notice period. No"
		" new placements or packages of care will be made with your service, and care"
		" managers will work with you and with the people who use your service and"
		" their families to arrange their care safely elsewhere." },
	{ "service_closed", "As the service has closed, it is no longer monitored under the"
		" protocol. Care managers have arranged, or are arranging, the care of the"
		" people who used it elsewhere." },
	{ NULL, "" }
};

static const char *label(const struct label *l, const char *word)
{
	for (; l->word; l++)
		if (word && strcmp(l->word, word) == 0)
			break;
	return l->text;
}

static json_t *long_date(const json_t *o, const char *key)
{
	return cw_page_long_date(json_string_value(json_object_get(o, key)));
}

static void why(json_t *notes, const char *fact, const char *fmt, const char *id)
{
	json_object_set_new(notes, fact, json_sprintf(fmt, id));
}

/* "A", "A and B", "A, B and C". */
static void names_in_words(const json_t *names, cw_buf *out)
{
	size_t i, n = json_array_size(names);

	for (i = 0; i < n; i++)
		cw_buf_printf(out, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
			json_string_value(json_array_get(names, i)));
}

/* The case (cw_case_to_json) and its provider (cw_provider_get) as letter facts. */
static void facts_case(const json_t *kase, const json_t *prov, json_t *ctx, json_t *notes)
{
	const char *id = json_string_value(json_object_get(kase, "id"));
	const json_t *outcome = json_object_get(kase, "outcome");

	json_object_set_new(ctx, "case", json_pack("{s:O,s:O?,s:O,s:o,s:o,s:O,s:O,s:o,s:O,s:o}",
		"id", json_object_get(kase, "id"), "ref", json_object_get(kase, "ref"), "stage", json_object_get(kase, "stage"),
		"opened", long_date(kase, "opened"), "escalated", long_date(kase, "escalated"),
		"trigger", json_object_get(kase, "trigger"), "chair", json_object_get(kase, "chair"),
		"closed", long_date(kase, "closed"), "outcome", outcome,
		"outcome_text", json_is_string(outcome)
			? json_string(label(outcomes, json_string_value(outcome))) : json_null()));
	json_object_set_new(json_object_get(ctx, "case"), "next_steps", json_is_string(outcome)
		? json_string(label(next_steps, json_string_value(outcome))) : json_null());
	if (json_is_string(outcome) && strcmp(json_string_value(outcome), "contract_terminated") == 0)
		json_object_set_new(json_object_get(ctx, "case"), "terminated_on",
			long_date(kase, "closed"));
	json_object_set_new(ctx, "provider", json_pack("{s:O,s:s,s:O,s:O}",
		"name", json_object_get(prov, "name"),
		"type", label(types, json_string_value(json_object_get(prov, "type"))),
		"regulator_id", json_object_get(prov, "regulator_id"),
		"group", json_object_get(prov, "group")));
	why(notes, "case.escalated", "case %s has not been escalated: the provider performance"
		" process has not commenced (case escalate)", id);
	why(notes, "case.chair", "case %s has no chair: it has not been escalated (case escalate)", id);
	why(notes, "case.closed", "case %s is not closed (case close)", id);
	why(notes, "case.outcome", "case %s is not closed (case close)", id);
	why(notes, "case.outcome_text", "case %s is not closed (case close)", id);
	why(notes, "case.next_steps", "case %s is not closed (case close)", id);
	why(notes, "case.terminated_on", "case %s has not been closed with outcome"
		" contract_terminated (case close --outcome contract_terminated)", id);
	why(notes, "provider.regulator_id", "the provider of case %s has no regulator id", id);
	why(notes, "provider.group", "the provider of case %s belongs to no provider group", id);
}

/* Who writes: the lead commissioner, and the provider's commissioners, the lead first. */
static int facts_people(cw_db *db, const json_t *prov, json_t *ctx)
{
	const char *council = json_string_value(json_object_get(json_object_get(ctx, "council"), "name"));
	json_t *all = NULL, *leads = json_array(), *linked = json_array(), *c, *name;
	cw_buf names = CW_BUF_INIT, lead = CW_BUF_INIT;
	size_t i, j;
	int err;

	if ((err = cw_commissioner_list(db, &all)) != CW_OK)
		goto done;
	json_array_foreach(all, i, c)
		if (json_is_true(json_object_get(c, "lead")))
			json_array_append(leads, json_object_get(c, "name"));
	/* The provider's list is by name; the lead goes first. */
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(json_object_get(prov, "commissioners"), i, name) {
			bool is_lead = false;

			json_array_foreach(leads, j, c)
				is_lead |= json_equal(c, name);
			if (is_lead == (pass == 0))
				json_array_append(linked, name);
		}
	names_in_words(linked, &names);
	names_in_words(leads, &lead);
	/* The council that runs the protocol writes even when no body is linked. */
	json_object_set_new(ctx, "lead", json_string(lead.len ? cw_buf_cstr(&lead) : council));
	json_object_set_new(ctx, "commissioners", json_string(names.len ? cw_buf_cstr(&names)
		: lead.len ? cw_buf_cstr(&lead) : council));
done:
	json_decref(all);
	json_decref(leads);
	json_decref(linked);
	cw_buf_free(&names);
	cw_buf_free(&lead);
	return err;
}

/*
 * The dates of the case's last and next provider performance meetings and
 * how many the provider missed. A date that is not known (no meeting yet,
 * or the next one not set or passed) is "not yet set", and a letter that
 * needs it is refused, saying so.
 */
static int facts_meetings(cw_db *db, const char *id, json_t *ctx, json_t *notes)
{
	char today[CW_DATE_STRLEN];
	json_t *list = NULL, *m = json_object(), *last;
	const char *next = NULL;
	size_t i, n;
	long missed = 0;
	int err;

	json_object_set_new(ctx, "meeting", m);
	if ((err = cw_meeting_list(db, id, &list)) != CW_OK)
		return err;
	/* Oldest first: the latest are at the end. */
	n = json_array_size(list);
	for (i = n; i-- > 0 && !json_is_true(json_object_get(json_array_get(list, i),
			"provider_attended"));)
		missed++;
	for (i = n; i-- > 0 && !next;)
		next = json_string_value(json_object_get(json_array_get(list, i), "next"));
	json_object_set_new(m, "missed", json_integer(missed));
	/* Said with its number agreeing: "the last meeting", "the last 2 meetings". */
	json_object_set_new(m, "missed_words", missed == 1
		? json_string("the last provider performance meeting")
		: json_sprintf("the last %ld provider performance meetings", missed));
	if ((last = json_array_get(list, n - 1))) {
		static const char *const keys[] = { "time", "venue", "decisions",
			"next_attendees", "provider_attendance", NULL };

		json_object_set_new(m, "last", long_date(last, "date"));
		for (i = 0; keys[i]; i++)
			if (json_is_string(json_object_get(last, keys[i])))
				json_object_set(m, keys[i], json_object_get(last, keys[i]));
		json_object_set_new(m, "attended", json_boolean(json_is_true(
			json_object_get(last, "provider_attended"))));
	}
	why(notes, "meeting.last", "no provider performance meeting of case %s is recorded yet"
		" (meeting record)", id);
	cw_date_format(cw_db_today(db), today);
	if (next && strcmp(next, today) >= 0)
		json_object_set_new(m, "next", cw_page_long_date(next));
	why(notes, "meeting.next", "the next provider performance meeting of case %s is not yet"
		" set (it is recorded with a meeting, as its next date)", id);
	json_decref(list);
	return CW_OK;
}

/*
 * "The regulator and the other commissioners have been informed": a
 * sentence that states a fact comes from the record, here the checklist.
 * For each event, the latest tasks to tell the regulator and the other
 * commissioners, ticked or not.
 */
static const char *informed_words(int reg, int comm)
{
	/* reg, comm: -1 no such task, 0 open, 1 ticked */
	if (reg < 0)
		return comm > 0 ? "The other commissioners have been informed."
			: "The other commissioners will be informed.";
	if (reg > 0 && comm > 0)
		return "The regulator and the other commissioners have been informed.";
	if (reg > 0)
		return "The regulator has been informed, and the other commissioners will be.";
	if (comm > 0)
		return "The other commissioners have been informed, and the regulator will be.";
	return "The regulator and the other commissioners will be informed.";
}

static int facts_informed(cw_db *db, const char *case_id, json_t *ctx)
{
	static const char *const events[] = { "process_commenced", "embargo_placed",
		"embargo_lifted", "process_ended", NULL };
	json_t *tasks = NULL, *inf = json_object(), *t;
	size_t i, k;
	int err;

	json_object_set_new(ctx, "informed", inf);
	if ((err = cw_task_list(db, case_id, false, &tasks)) != CW_OK)
		return err;
	for (k = 0; events[k]; k++) {
		int reg = -1, comm = -1;

		/* Oldest first: a later event's tasks overwrite an earlier one's. */
		json_array_foreach(tasks, i, t) {
			const char *who = json_string_value(json_object_get(t, "who_to_tell"));
			int done = json_is_string(json_object_get(t, "done"));

			if (strcmp(json_string_value(json_object_get(t, "event")), events[k]) != 0 ||
			    json_is_string(json_object_get(t, "letter")))
				continue;
			if (strcmp(who, "the regulator") == 0)
				reg = done;
			else if (strncmp(who, "the other commissioners", 23) == 0)
				comm = done;
		}
		json_object_set_new(inf, events[k], json_string(informed_words(reg, comm)));
	}
	json_decref(tasks);
	return CW_OK;
}

/* The provider's open concerns, oldest first, and the date a reply is asked by. */
static int facts_concerns(cw_db *db, const cw_letter_args *a, const json_t *prov, json_t *ctx)
{
	cw_concern_filter f = { json_string_value(json_object_get(prov, "id")), true, NULL };
	json_t *all = NULL, *list = json_array(), *c;
	size_t i;
	int err;

	if ((err = cw_concern_list(db, &f, &all)) != CW_OK) {
		json_decref(list);
		return err;
	}
	for (i = json_array_size(all); i-- > 0;) {
		c = json_array_get(all, i);
		if (json_is_true(json_object_get(c, "positive")))
			continue;
		json_array_append_new(list, json_pack("{s:O?,s:o,s:O,s:O?}", "ref",
			json_object_get(c, "ref"), "received", long_date(c, "received"),
			"summary", json_object_get(c, "summary"), "band", json_object_get(c, "band")));
	}
	json_decref(all);
	json_object_set_new(ctx, "concerns", list);
	json_object_set_new(ctx, "respond_by", cw_page_date(true, a->has_respond_by
		? a->respond_by : cw_db_today(db) + RESPONSE_DAYS));
	return CW_OK;
}

/* The letterhead and the signature as blocks of lines (no blank line in them). */
static void facts_letterhead(json_t *ctx)
{
	const json_t *c = json_object_get(ctx, "council"), *line;
	cw_buf head = CW_BUF_INIT, sig = CW_BUF_INIT;
	size_t i;

	cw_buf_printf(&head, "%s\n%s\n", json_string_value(json_object_get(c, "name")),
		json_string_value(json_object_get(c, "department")));
	json_array_foreach(json_object_get(c, "address_lines"), i, line)
		cw_buf_printf(&head, "%s\n", json_string_value(line));
	cw_buf_printf(&head, "Telephone: %s\nEmail: %s",
		json_string_value(json_object_get(c, "phone")),
		json_string_value(json_object_get(c, "email")));
	cw_buf_printf(&sig, "%s\n%s\n%s", json_string_value(json_object_get(c, "signatory")),
		json_string_value(json_object_get(c, "signatory_title")),
		json_string_value(json_object_get(c, "name")));
	json_object_set_new(ctx, "letterhead", json_string(cw_buf_cstr(&head)));
	json_object_set_new(ctx, "signature", json_string(cw_buf_cstr(&sig)));
	cw_buf_free(&head);
	cw_buf_free(&sig);
}

/* "1 of the 5 items of the action plan is past its target date", the
 * verb agreeing with the count. */
static json_t *overdue_words(json_int_t overdue, json_int_t items)
{
	return json_sprintf("%lld of the %lld item%s of the action plan %s past %s target date"
		" and not completed", (long long)overdue, (long long)items, items == 1 ? "" : "s",
		overdue == 1 ? "is" : "are", overdue == 1 ? "its" : "their");
}

/* A placement-control decision as letter facts, dates in words. */
static json_t *decision_facts(const cw_placement_decision *d, bool restart)
{
	const cw_placement_control *c = &d->ctl;
	json_t *words = cw_placement_conditions_words(&c->cond);

	return json_pack("{s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:o,s:b,s:o}",
		"commissioner", d->commissioner, "reason", c->reason ? c->reason : "",
		restart ? "date" : "since", cw_page_date(c->has_since, c->since),
		"until", cw_page_date(c->has_until, c->until),
		"kind", *c->kind ? json_string(c->kind) : json_null(),
		"mandatory", strcmp(c->kind, "mandatory") == 0,
		"voluntary", strcmp(c->kind, "voluntary") == 0,
		"meeting", cw_page_date(c->has_meeting, c->meeting),
		"has_conditions", json_array_size(words) > 0, "conditions", words);
}

static int facts_embargo(cw_db *db, const char *id, json_t *ctx, json_t *notes)
{
	cw_placement_decision d;
	int err;

	if ((err = cw_placement_case_decision(db, id, "suspended", &d)) != CW_OK)
		return err;
	if (d.ctl.id)
		json_object_set_new(ctx, "embargo", decision_facts(&d, false));
	cw_placement_control_free(&d.ctl);
	why(notes, "embargo", "no embargo has been placed on case %s (case suspend)", id);
	why(notes, "embargo.meeting", "the embargo on case %s names no recommending meeting"
		" (the meeting's date is recorded with the suspension)", id);
	why(notes, "embargo.until", "the embargo on case %s has not been lifted (case restart)", id);
	if ((err = cw_placement_case_decision(db, id, NULL, &d)) != CW_OK)
		return err;
	if (d.ctl.id)
		json_object_set_new(ctx, "restart", decision_facts(&d, true));
	cw_placement_control_free(&d.ctl);
	why(notes, "restart", "placements have not been restarted on case %s (case restart)", id);
	return CW_OK;
}

struct missing {
	const json_t *notes;
	const char *letter;
};

/* The note of the longest fact path that starts `name`, else no such fact. */
static int on_missing(void *arg, const char *name)
{
	const struct missing *m = arg;
	const char *key, *best = NULL;
	json_t *v;

	json_object_foreach((json_t *)m->notes, key, v) {
		size_t n = strlen(key);

		if (strncmp(name, key, n) == 0 && (name[n] == '\0' || name[n] == '.') &&
		    (!best || strlen(best) < n))
			best = key;
	}
	if (best)
		return cw_error(CW_ENOTFOUND, "letter '%s' cannot be written yet: %s", m->letter,
			json_string_value(json_object_get(m->notes, best)));
	return cw_error(CW_EINVALID, "letter '%s': placeholder {{%s}} names no fact of a case",
		m->letter, name);
}

/* A paragraph of the letter (already escaped) as HTML. */
static void html_block(cw_buf *b, const char *s, size_t n, bool first)
{
	const char *p = s, *end = s + n, *eol;
	bool list = true;

	for (p = s; p < end; p = eol + 1) {
		if (!(eol = memchr(p, '\n', (size_t)(end - p))))
			eol = end;
		while (p < eol && *p == ' ')
			p++;
		if (eol - p < 2 || p[0] != '-' || p[1] != ' ')
			list = false;
	}
	cw_buf_puts(b, list ? "<ul>\n" : first ? "<p class=\"letterhead\">"
		: n >= 3 && strncmp(s, "Re:", 3) == 0 ? "<p class=\"subject\">" : "<p>");
	for (p = s; p < end; p = eol + 1) {
		if (!(eol = memchr(p, '\n', (size_t)(end - p))))
			eol = end;
		if (list) {
			while (*p == ' ')
				p++;
			cw_buf_puts(b, "<li>");
			cw_buf_put(b, p + 2, (size_t)(eol - p - 2));
			cw_buf_puts(b, "</li>\n");
		} else {
			cw_buf_put(b, p, (size_t)(eol - p));
			if (eol < end)
				cw_buf_puts(b, "<br>\n");
		}
	}
	cw_buf_puts(b, list ? "</ul>\n" : "</p>\n");
}

static const char LETTER_CSS[] =
	"@page { size: A4; margin: 2cm; }\n"
	"body { font-family: Georgia, \"Times New Roman\", serif; font-size: 11pt;"
	" line-height: 1.45; color: #000; background: #fff; margin: 0; }\n"
	".letter { max-width: 17cm; margin: 2em auto; padding: 0 1em; }\n"
	".letterhead { text-align: right; }\n"
	".subject { font-weight: bold; }\n"
	"p { margin: 0 0 1em; }\n"
	"ul { margin: 0 0 1em 1.5em; padding: 0; }\n"
	"@media print { .letter { margin: 0; max-width: none; padding: 0; } }\n";

/* The letter as a standalone printable page: paragraphs at blank lines. */
static char *html_page(const char *title, const char *text)
{
	static const char *const css[] = { LETTER_CSS, NULL };
	cw_buf b = CW_BUF_INIT;
	const char *p = text;
	bool first = true;
	char *page;

	while (*p) {
		const char *gap = strstr(p, "\n\n");
		size_t n = gap ? (size_t)(gap - p) : strlen(p);

		while (n && p[n - 1] == '\n')
			n--;
		if (n) {
			html_block(&b, p, n, first);
			first = false;
		}
		if (!gap)
			break;
		for (p = gap; *p == '\n'; p++)
			;
	}
	page = cw_page_html(title, css, "article", "letter", b.len ? cw_buf_cstr(&b) : "");
	cw_buf_free(&b);
	return page;
}

static int check_name(const char *name)
{
	const char *const *n;
	cw_buf list = CW_BUF_INIT;
	int err;

	for (n = cw_letter_names; *n; n++)
		if (name && strcmp(*n, name) == 0)
			return CW_OK;
	for (n = cw_letter_names; *n; n++)
		cw_buf_printf(&list, "%s%s", n == cw_letter_names ? "" : ", ", *n);
	err = cw_error(CW_EINVALID, "no letter template '%.60s'; the letters are: %s",
		name ? name : "", cw_buf_cstr(&list));
	cw_buf_free(&list);
	return err;
}

/* Every fact of the case, from the engine's getters; `notes` says why each
 * absent one is absent. */
static int facts(cw_db *db, const cw_letter_args *a, const struct cw_case_ref *c,
	json_t *ctx, json_t *notes)
{
	json_t *kase = NULL, *prov = NULL;
	char today[CW_DATE_STRLEN], ref[48];
	int err;

	if ((err = cw_page_council(db, ctx)) != CW_OK)
		return err;
	facts_letterhead(ctx);
	json_object_set_new(ctx, "today", cw_page_long_date(cw_date_format(cw_db_today(db), today)));
	/* The audit chain's head as printed: the paper file anchors the chain. */
	json_object_set_new(ctx, "anchor", cw_audit_anchor(db));
	if ((err = cw_case_to_json(db, c->id, false, &kase)) != CW_OK ||
	    (err = cw_provider_get(db, c->provider_id, &prov)) != CW_OK)
		goto done;
	/* The case's reference, which a reply can quote back to any command. */
	snprintf(ref, sizeof(ref), "CW/%.24s", json_string_value(json_object_get(kase, "ref")));
	json_object_set_new(ctx, "letter", json_pack("{s:s}", "reference", ref));
	facts_case(kase, prov, ctx, notes);
	json_object_set_new(ctx, "plan", json_pack("{s:O,s:O,s:O,s:o}",
		"items", json_object_get(kase, "actions"), "open", json_object_get(kase, "open_actions"),
		"overdue", json_object_get(kase, "overdue_actions"), "overdue_words", overdue_words(
			json_integer_value(json_object_get(kase, "overdue_actions")),
			json_integer_value(json_object_get(kase, "actions")))));
	if ((err = facts_people(db, prov, ctx)) != CW_OK ||
	    (err = facts_meetings(db, c->id, ctx, notes)) != CW_OK ||
	    (err = facts_informed(db, c->id, ctx)) != CW_OK ||
	    (err = facts_concerns(db, a, prov, ctx)) != CW_OK)
		goto done;
	err = facts_embargo(db, c->id, ctx, notes);
done:
	json_decref(kase);
	json_decref(prov);
	return err;
}

/*
 * --record-sent: tick the case's open checklist task that this letter does
 * (the latest, if an event came twice), dated today.
 */
static int record_sent(cw_db *db, const struct cw_case_ref *c, const char *name, json_t **out)
{
	json_t *tasks = NULL, *t, *open = NULL, *done = NULL;
	size_t i;
	int err;

	if ((err = cw_task_list(db, c->id, false, &tasks)) != CW_OK)
		return err;
	json_array_foreach(tasks, i, t) {
		const char *l = json_string_value(json_object_get(t, "letter"));

		if (!l || strcmp(l, name) != 0)
			continue;
		if (json_is_string(json_object_get(t, "done")))
			done = t;
		else
			open = t;
	}
	if (open)
		err = cw_task_done(db, json_string_value(json_object_get(open, "id")), out);
	else if (done)
		err = cw_error(CW_EREFUSED, "letter '%s' of case %s is already recorded as sent"
			" (task done on %s by %s)", name, cw_case_name(c),
			json_string_value(json_object_get(done, "done")),
			json_string_value(json_object_get(done, "done_by")));
	else
		err = cw_error(CW_EREFUSED, "the checklist of case %s has no task for letter '%s'"
			" yet: it comes with the event the letter is about", cw_case_name(c), name);
	json_decref(tasks);
	return err;
}

int cw_letter_render(cw_db *db, const cw_letter_args *a, json_t **out)
{
	struct cw_case_ref c;
	struct missing m = { NULL, a->name };
	cw_template_opts opts = { a->format, on_missing, &m, NULL, NULL };
	json_t *ctx = json_object(), *notes = json_object(), *task = NULL;
	char *tmpl = NULL, *source = NULL, *text = NULL, *escaped = NULL, file[128];
	cw_buf esc = CW_BUF_INIT;
	int err;

	m.notes = notes;
	if ((err = cw_db_require(db, "letter.write")) != CW_OK || (err = check_name(a->name)) != CW_OK)
		goto done;
	if (a->format != CW_FORMAT_TEXT && a->format != CW_FORMAT_HTML) {
		err = cw_error(CW_EINVALID, "letters are written as text or html");
		goto done;
	}
	if (a->meeting) {
		err = cw_error_at("meeting", CW_EINVALID, "meeting is for the documents ppm-attendance"
			" and ppm-record; a letter speaks of the case's latest meeting");
		goto done;
	}
	snprintf(file, sizeof(file), "letters/%s.txt", a->name);
	if ((err = cw_case_resolve(db, a->case_ref, &c)) != CW_OK ||
	    (err = cw_template_load(cw_db_rules(db), "letters_dir", NULL, file,
			&tmpl, &source)) != CW_OK ||
	    (err = facts(db, a, &c, ctx, notes)) != CW_OK)
		goto done;
	/* For a page, the template's own words are escaped too, the values by the engine. */
	if (a->format == CW_FORMAT_HTML) {
		cw_template_escape(&esc, tmpl, CW_FORMAT_HTML);
		escaped = cw_buf_detach(&esc);
	}
	if ((err = cw_template_render(escaped ? escaped : tmpl, file, ctx, &opts, &text)) != CW_OK)
		goto done;
	if (a->format == CW_FORMAT_HTML) {
		char title[512];
		char *page;

		snprintf(title, sizeof(title), "%s: %s", a->name, json_string_value(
			json_object_get(json_object_get(ctx, "provider"), "name")));
		page = html_page(title, text);
		free(text);
		text = page;
	}
	if (a->format == CW_FORMAT_TEXT) {
		/* The audit anchor stays on one line, so it can be found and compared. */
		char *anchor = strstr(text, "\nAudit anchor "), *wrapped;
		cw_buf b = CW_BUF_INIT;

		if (anchor)
			*anchor = '\0';
		wrapped = cw_template_wrap(text, TEXT_WIDTH);
		cw_buf_puts(&b, wrapped);
		if (anchor)
			cw_buf_printf(&b, "\n%s", anchor + 1);
		free(wrapped);
		free(text);
		text = cw_buf_detach(&b);
	}
	if ((err = cw_audit_append(db, "letter.write", c.id, json_pack("{s:s,s:s,s:s}",
			"template", a->name, "format", cw_format_names[a->format],
			"source", source))) != CW_OK)
		goto done;
	if (a->record_sent && (err = record_sent(db, &c, a->name, &task)) != CW_OK)
		goto done;
	*out = json_pack("{s:s,s:s,s:O,s:s,s:s,s:s,s:o}", "template", a->name, "case_id", c.id,
		"provider", json_object_get(json_object_get(ctx, "provider"), "name"),
		"format", cw_format_names[a->format], "source", source, "text", text,
		"task", task ? task : json_null());
	task = NULL;
done:
	cw_buf_free(&esc);
	free(escaped);
	free(tmpl);
	free(source);
	free(text);
	json_decref(ctx);
	json_decref(notes);
	json_decref(task);
	return err;
}
