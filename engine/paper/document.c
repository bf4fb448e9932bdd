/*
 * Documents: gather a case's facts from the engine's getters (redacted as
 * the reader may see them) into one JSON context and render the document's
 * template; HTML is wrapped in a standalone printable A4 page. A document
 * that needs a record that does not exist yet is "not found" (exit 3)
 * saying what is missing; a placeholder with no value is invalid (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/document.h"
#include "carewatch/audit.h"
#include "carewatch/action.h"
#include "carewatch/buf.h"
#include "carewatch/case.h"
#include "carewatch/chart.h"
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/meeting.h"
#include "carewatch/provider.h"
#include "carewatch/task.h"
#include "carewatch/xlsx.h"
#include "lookup.h"
#include "page.h"
#include "placement_internal.h"
#include "paper.h"
#include "store.h"

const char *const cw_document_names[] = {
	"ppm-agenda", "ppm-attendance", "ppm-record", "action-plan", "suspension-form",
	"restart-form", NULL
};

static const char *const titles[] = {
	"Provider Performance Meeting agenda", "Provider Performance Meeting attendance sheet",
	"Provider Performance Meeting record", "Action plan", "Suspending business",
	"Restarting business"
};

#define BLANK_ROWS 12   /* rows to sign on the sheet of a meeting not held yet */
#define TEXT_WIDTH 78   /* a terminal's 80 columns, less a margin */

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *ldk(const json_t *o, const char *k)
{
	return cw_page_long_date(str(o, k));
}

/* "care_home_residential" -> "care home residential" */
static json_t *words(const char *s)
{
	char *w = cw_strdup(s ? s : "");
	json_t *j;

	for (char *p = w; *p; p++)
		if (*p == '_')
			*p = ' ';
	j = json_string(w);
	free(w);
	return j;
}

static int check_name(const char *name, size_t *idx)
{
	cw_buf list = CW_BUF_INIT;
	int err;

	for (size_t i = 0; cw_document_names[i]; i++)
		if (name && strcmp(cw_document_names[i], name) == 0) {
			*idx = i;
			return CW_OK;
		}
	for (size_t i = 0; cw_document_names[i]; i++)
		cw_buf_printf(&list, "%s%s", i ? ", " : "", cw_document_names[i]);
	err = cw_error(CW_EINVALID, "no document '%.60s'; the documents are: %s",
		name ? name : "", cw_buf_cstr(&list));
	cw_buf_free(&list);
	return err;
}

/* What the arguments ask of a document that has `a->name`. */
static int check_args(const cw_document_args *a)
{
	if (a->meeting && strcmp(a->name, "ppm-attendance") != 0 &&
	    strcmp(a->name, "ppm-record") != 0)
		return cw_error_at("meeting", CW_EINVALID, "meeting is for ppm-attendance and"
			" ppm-record; %s is not about one meeting", a->name);
	if (a->has_respond_by || a->record_sent)
		return cw_error_at(a->record_sent ? "record_sent" : "respond_by", CW_EINVALID,
			"%s is for letters; a document is not sent", a->record_sent ? "record_sent"
			: "respond_by");
	return CW_OK;
}

/* Facts every document has: council, today, provider, case. */
static int common(cw_db *db, const json_t *kase, json_t *ctx)
{
	char today[CW_DATE_STRLEN];
	json_t *p = NULL;
	int err;

	if ((err = cw_page_council(db, ctx)) != CW_OK)
		return err;
	json_object_set_new(ctx, "today", cw_page_long_date(cw_date_format(cw_db_today(db), today)));
	/* The audit chain's head as printed: the paper file anchors the chain. */
	json_object_set_new(ctx, "anchor", cw_audit_anchor(db));
	if ((err = cw_provider_show(db, str(kase, "provider_id"), &p)) != CW_OK)
		return err;
	json_object_set_new(ctx, "provider", json_pack("{s:O,s:o,s:O,s:O}",
		"name", json_object_get(p, "name"), "type", words(str(p, "type")),
		"regulator_id", json_object_get(p, "regulator_id"), "level", json_object_get(p, "band")));
	json_decref(p);
	json_object_set_new(ctx, "case", json_pack("{s:O,s:O?,s:o,s:o,s:o,s:O,s:O,s:O}",
		"id", json_object_get(kase, "id"), "ref", json_object_get(kase, "ref"), "stage", words(str(kase, "stage")),
		"opened", ldk(kase, "opened"), "escalated", ldk(kase, "escalated"),
		"chair", json_object_get(kase, "chair"), "reason", json_object_get(kase, "reason"),
		"plan_version", json_object_get(kase, "plan_version")));
	return CW_OK;
}

/*
 * "ongoing: audit 1 done", "completed on 10 December 2026: audits weekly":
 * the status, then the latest evidence if any.
 */
static json_t *progress(const char *status, const char *completed, const json_t *last_evidence)
{
	json_t *w = words(status), *done = cw_page_long_date(completed), *p;

	p = json_sprintf("%s%s%s%s%s", json_string_value(w), json_is_string(done) ? " on " : "",
		json_is_string(done) ? json_string_value(done) : "", last_evidence ? ": " : "",
		last_evidence ? str(last_evidence, "text") : "");
	json_decref(w);
	json_decref(done);
	return p;
}

/*
 * One action plan item as document facts. A dated document reads the
 * record as it stood on its day (engine/storage/store_asat.c), so the status,
 * due date, evidence and extensions here are that day's.
 */
static json_t *item(const json_t *a)
{
	const char *kind = str(a, "kind"), *status = str(a, "status"), *due = str(a, "due");
	const char *completed = str(a, "completed");
	json_t *ext = json_array(), *ev = json_array(), *e, *last = NULL;
	bool overdue = json_is_true(json_object_get(a, "overdue"));
	size_t i;

	json_array_foreach(json_object_get(a, "extensions"), i, e)
		json_array_append_new(ext, json_pack("{s:o,s:o,s:o,s:O}", "made", ldk(e, "made"),
			"from", ldk(e, "from"), "to", ldk(e, "to"),
			"rationale", json_object_get(e, "rationale")));
	json_array_foreach(json_object_get(a, "evidence"), i, e) {
		json_array_append_new(ev, json_pack("{s:o,s:O}", "date", ldk(e, "date"),
			"text", json_object_get(e, "text")));
		last = e;
	}
	return json_pack("{s:O?,s:s,s:s,s:O,s:O,s:o,s:o,s:o,s:o,s:o,s:O,s:O,s:O,s:O,s:o,s:o,s:o}",
		"ref", json_object_get(a, "ref"), "kind", kind, "kind_words", strcmp(kind, "CA") == 0 ? "corrective action"
			: "development action",
		"improvement", json_object_get(a, "improvement"), "owner", json_object_get(a, "owner"),
		"due", cw_page_long_date(due), "status", words(status), "completed", cw_page_long_date(completed),
		"extensions", ext, "evidence", ev,
		"likelihood", json_object_get(a, "likelihood"), "impact", json_object_get(a, "impact"),
		"score", json_object_get(a, "score"), "band", json_object_get(a, "band"),
		"overdue", json_boolean(overdue),
		"progress", progress(status, completed, last), "created", ldk(a, "created"));
}

/* The action plan as it stood on the document's day. */
static int plan(cw_db *db, const char *case_id, json_t *ctx)
{
	json_t *list = NULL, *items = json_array(), *a;
	size_t i, overdue = 0;
	int err;

	if ((err = cw_action_list(db, case_id, false, &list)) != CW_OK) {
		json_decref(items);
		return err;
	}
	json_array_foreach(list, i, a) {
		json_t *it = item(a), *c = NULL;

		if (cw_concern_get(db, str(a, "concern_id"), &c) != CW_OK)
			cw_error_clear();
		json_object_set_new(it, "concern", json_string(c && str(c, "summary")
			? str(c, "summary") : "(concern not found)"));
		json_decref(c);
		json_object_set_new(it, "number", json_integer((json_int_t)json_array_size(items) + 1));
		json_array_append_new(items, it);
		overdue += json_is_true(json_object_get(it, "overdue"));
	}
	json_decref(list);
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "overdue", json_integer((json_int_t)overdue));
	json_object_set_new(ctx, "overdue_words", json_sprintf("%zu action plan item%s overdue",
		overdue, overdue == 1 ? "" : "s"));
	return CW_OK;
}

/* Embargo periods from the case's events: each suspend to the next restart. */
static void embargoes(const json_t *kase, json_t *ctx)
{
	json_t *list = json_array(), *e, *open = NULL;
	size_t i;

	json_array_foreach(json_object_get(kase, "events"), i, e) {
		const char *cmd = str(e, "command");

		if (cmd && strcmp(cmd, "suspend") == 0 && !open) {
			open = json_pack("{s:o}", "start", ldk(e, "date"));
			json_array_append_new(list, open);
		} else if (cmd && strcmp(cmd, "restart") == 0 && open) {
			json_object_set_new(open, "end", ldk(e, "date"));
			open = NULL;
		}
	}
	json_object_set_new(ctx, "embargoes", list);
}

/* "A, B and C" of a list of strings, or `none`. */
static json_t *joined(const json_t *list, const char *none)
{
	cw_buf b = CW_BUF_INIT;
	json_t *x;
	size_t i, n = json_array_size(list);

	json_array_foreach(list, i, x)
		cw_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
			json_string_value(x));
	x = json_string(b.len ? cw_buf_cstr(&b) : none);
	cw_buf_free(&b);
	return x;
}

/* The protocol's record of a meeting (appendix G) beyond date and people. */
static void meeting_record_facts(const json_t *m, json_t *f)
{
	static const char *const att[][2] = { { "all", "all of the meeting" },
		{ "part", "part of the meeting" }, { "none", "none of the meeting" } };
	const json_t *adv = json_object_get(m, "advice"), *e;
	const char *a = str(m, "provider_attendance");
	json_t *amends = json_array();
	size_t i;

	json_object_set(f, "time", json_object_get(m, "time"));
	json_object_set(f, "venue", json_object_get(m, "venue"));
	json_object_set_new(f, "when", str(m, "time") ? json_sprintf("%s at %s",
		json_string_value(json_object_get(f, "date")), str(m, "time"))
		: json_deep_copy(json_object_get(f, "date")));
	json_object_set_new(f, "apologies", joined(json_object_get(m, "apologies"), "none"));
	json_object_set_new(f, "minutes_to", joined(json_object_get(m, "minutes_to"),
		"the attendees"));
	for (i = 0; a && i < 3; i++)
		if (strcmp(a, att[i][0]) == 0)
			json_object_set_new(f, "attendance", json_string(att[i][1]));
	json_object_set(f, "sharing", json_object_get(m, "sharing"));
	json_object_set(f, "disagreements", json_object_get(m, "disagreements"));
	json_object_set(f, "legal_advice", json_object_get(adv, "legal"));
	json_object_set(f, "media_advice", json_object_get(adv, "media"));
	json_object_set(f, "next_attendees", json_object_get(m, "next_attendees"));
	json_array_foreach(json_object_get(m, "amendments"), i, e)
		json_array_append_new(amends, json_pack("{s:o,s:O,s:O}", "date", ldk(e, "date"),
			"by", json_object_get(e, "by"), "reason", json_object_get(e, "reason")));
	json_object_set_new(f, "amendments", amends);
}

static json_t *meeting_facts(const json_t *m)
{
	json_t *att = json_array(), *x, *f;
	cw_buf names = CW_BUF_INIT;
	size_t i;

	json_array_foreach(json_object_get(m, "attendees"), i, x) {
		json_array_append_new(att, json_pack("{s:O,s:O,s:O,s:O?}", "name",
			json_object_get(x, "name"), "org", json_object_get(x, "org"),
			"role", json_object_get(x, "role"), "contact", json_object_get(x, "contact")));
		cw_buf_printf(&names, "%s%s", i ? ", " : "", str(x, "name"));
	}
	x = json_string(names.len ? cw_buf_cstr(&names) : "nobody recorded");
	cw_buf_free(&names);
	f = json_pack("{s:O,s:O?,s:o,s:o,s:O,s:o,s:O,s:O,s:O,s:O,s:o,s:O}",
		"id", json_object_get(m, "id"), "ref", json_object_get(m, "ref"),
		"names", x,
		"date", ldk(m, "date"), "chair", json_object_get(m, "chair"), "attendees", att,
		"overall", json_object_get(m, "overall"), "trend", json_object_get(m, "trend"),
		"decisions", json_object_get(m, "decisions"),
		"provider_attended", json_object_get(m, "provider_attended"),
		"next", ldk(m, "next"), "iso_date", json_object_get(m, "date"));
	meeting_record_facts(m, f);
	return f;
}

/* The meeting named (reference, id or prefix) or the latest; *out borrowed
 * from `list`. */
static int pick_meeting(const json_t *list, const char *ref, const char *case_id, json_t **out)
{
	size_t n = json_array_size(list), i, hits = 0;
	char canon[CW_REF_LEN], letter;
	bool by_ref;
	json_t *m;

	*out = NULL;
	if (!ref) {
		if (!n)
			return cw_error(CW_ENOTFOUND, "case %s has no provider performance meeting"
				" recorded yet (meeting record)", case_id);
		*out = json_array_get(list, n - 1);
		return CW_OK;
	}
	by_ref = cw_ref_parse(ref, &letter, canon) && letter == cw_kind_ref_letter(CW_KIND_MEETING);
	json_array_foreach(list, i, m)
		if (by_ref ? strcmp(str(m, "ref"), canon) == 0
			   : strncmp(str(m, "id"), ref, strlen(ref)) == 0) {
			*out = m;
			hits++;
		}
	if (hits == 1 && *ref)
		return CW_OK;
	*out = NULL;
	return cw_error(hits ? CW_EINVALID : CW_ENOTFOUND, "%s meeting '%.60s' of case %s",
		hits ? "more than one" : "no", ref, case_id);
}

/* Received after `since` (an ISO date), or open when `since` is NULL. */
static bool listed(const json_t *c, const char *since)
{
	const char *got = str(c, "received");

	return since ? got && strcmp(got, since) > 0
		     : strcmp(str(c, "status") ? str(c, "status") : "", "open") == 0;
}

/*
 * Concerns by team, received after `since` (a meeting's ISO date; NULL: the
 * open ones), and the POVA referrals received after `pova_since` (NULL: the
 * open ones).
 */
static int concerns(cw_db *db, const json_t *kase, const char *since, const char *pova_since,
	json_t *ctx)
{
	cw_concern_filter f = { str(kase, "provider_id"), false, NULL };
	json_t *list = NULL, *teams = json_array(), *pova = json_array(), *c;
	size_t i;
	int err;

	if ((err = cw_concern_list(db, &f, &list)) != CW_OK) {
		json_decref(teams);
		json_decref(pova);
		return err;
	}
	for (size_t t = 0; cw_concern_teams[t]; t++) {
		json_t *rows = json_array();

		json_array_foreach(list, i, c) {
			const char *team = str(c, "team");

			if (json_is_true(json_object_get(c, "positive")) || !team ||
			    strcmp(team, cw_concern_teams[t]) != 0)
				continue;
			if (listed(c, since))
				json_array_append_new(rows, json_pack("{s:O?,s:o,s:O,s:o,s:O,s:O,s:O}",
					"ref", json_object_get(c, "ref"), "received", ldk(c, "received"),
					"summary", json_object_get(c, "summary"),
					"source", words(str(c, "source")), "score", json_object_get(c, "score"),
					"band", json_object_get(c, "band"), "status", json_object_get(c, "status")));
			if (strcmp(str(c, "source"), "pova_referral") == 0 && listed(c, pova_since))
				json_array_append_new(pova, json_pack("{s:O?,s:o,s:O,s:O,s:O,s:O}",
					"ref", json_object_get(c, "ref"), "received", ldk(c, "received"), "summary", json_object_get(c, "summary"),
					"pova_ref", json_object_get(c, "pova_ref"),
					"subject_ref", json_object_get(c, "subject_ref"),
					"band", json_object_get(c, "band")));
		}
		if (json_array_size(rows))
			json_array_append_new(teams, json_pack("{s:o,s:o}", "team",
				words(cw_concern_teams[t]), "concerns", rows));
		else
			json_decref(rows);
	}
	json_decref(list);
	json_object_set_new(ctx, "teams", teams);
	json_object_set_new(ctx, "pova", pova);
	return CW_OK;
}

/* The "embargo placed" or "embargo lifted" tasks as a checklist. */
static int measures(cw_db *db, const char *case_id, const char *event, json_t *ctx)
{
	json_t *list = NULL, *rows = json_array(), *t;
	size_t i;
	int err;

	if ((err = cw_task_list(db, case_id, false, &list)) != CW_OK) {
		json_decref(rows);
		return err;
	}
	json_array_foreach(list, i, t)
		if (strcmp(str(t, "event"), event) == 0)
			json_array_append_new(rows, json_pack("{s:O,s:O,s:b,s:o}",
				"description", json_object_get(t, "description"),
				"who", json_object_get(t, "who_to_tell"),
				"done", !json_is_null(json_object_get(t, "done")) &&
					json_object_get(t, "done") != NULL,
				"done_on", ldk(t, "done")));
	json_decref(list);
	json_object_set_new(ctx, "measures", rows);
	return CW_OK;
}

static json_t *decision(const cw_placement_decision *d)
{
	const cw_placement_control *c = &d->ctl;

	return json_pack("{s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:s,s:o}",
		"commissioner", d->commissioner, "kind", *c->kind ? json_string(c->kind) : json_null(),
		"reason", c->reason ? c->reason : "", "director", c->decided_by,
		"since", cw_page_date(c->has_since, c->since),
		"until", cw_page_date(c->has_until, c->until),
		"meeting", cw_page_date(c->has_meeting, c->meeting), "status", c->status,
		"conditions", cw_placement_conditions_words(&c->cond));
}

/* The latest meeting held on or before `iso` (long date), or null. */
static json_t *meeting_before(const json_t *meetings, const char *iso)
{
	const json_t *best = NULL, *m;
	size_t i;

	json_array_foreach(meetings, i, m)
		if (iso && strcmp(str(m, "date"), iso) <= 0)
			best = m;
	return best ? ldk(best, "date") : json_null();
}

/*
 * Appendix K's three kinds of restart condition, each ticked when set:
 * admissions; hours or packages of care; respite.
 */
static json_t *condition_rows(const cw_placement_conditions *c)
{
	static const char *const what[] = {
		"Conditions on the number of new admissions",
		"Conditions on hours or number of new packages of care",
		"Conditions on using respite care",
	};
	json_t *rows = json_array();

	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		cw_placement_conditions part = { .respite_allowed = true };
		json_t *words, *w;
		cw_buf b = CW_BUF_INIT;
		size_t j;

		if (i == 0) {
			part.has_admissions = c->has_admissions;
			part.max_admissions = c->max_admissions;
			memcpy(part.per, c->per, sizeof(part.per));
		} else if (i == 1) {
			part.has_packages = c->has_packages;
			part.max_packages = c->max_packages;
			part.has_hours = c->has_hours;
			part.max_hours = c->max_hours;
		} else {
			part.respite_allowed = c->respite_allowed;
		}
		words = cw_placement_conditions_words(&part);
		json_array_foreach(words, j, w)
			cw_buf_printf(&b, "%s%s", j ? "; " : "", json_string_value(w));
		json_array_append_new(rows, json_pack("{s:s,s:b,s:s}", "what", what[i],
			"required", b.len > 0, "detail", b.len ? cw_buf_cstr(&b) : "none"));
		cw_buf_free(&b);
		json_decref(words);
	}
	return rows;
}

/* Appendix J's "priority improvements to be made before the embargo is
 * lifted": the items of the plan not completed on the day of the
 * suspension (the form's day), corrective ones first. */
static int priorities(cw_db *db, const char *case_id, json_t *ctx)
{
	json_t *list = NULL, *rows = json_array(), *a;
	size_t i;
	int err;

	if ((err = cw_action_list(db, case_id, false, &list)) != CW_OK) {
		json_decref(rows);
		return err;
	}
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(list, i, a)
			if (strcmp(str(a, "status"), "completed") != 0 &&
			    (strcmp(str(a, "kind"), "CA") == 0) == (pass == 0))
				json_array_append_new(rows, json_pack("{s:O,s:O,s:o,s:b}",
					"kind", json_object_get(a, "kind"),
					"improvement", json_object_get(a, "improvement"), "due", ldk(a, "due"),
					"overdue", json_is_true(json_object_get(a, "overdue"))));
	json_decref(list);
	json_object_set_new(ctx, "priorities", rows);
	return CW_OK;
}

static int form(cw_db *db, const json_t *kase, bool restart, const json_t *meetings, json_t *ctx)
{
	const char *id = str(kase, "id");
	cw_placement_decision s, r = { 0 };
	char since[CW_DATE_STRLEN] = "";
	int err;

	if ((err = cw_placement_case_decision(db, id, "suspended", &s)) != CW_OK)
		return err;
	if (!s.ctl.id)
		return cw_error(CW_ENOTFOUND, "no placements have been suspended on case %s"
			" (case suspend)", id);
	json_object_set_new(ctx, "suspension", decision(&s));
	if (restart) {
		json_t *rj;

		if ((err = cw_placement_case_decision(db, id, NULL, &r)) != CW_OK)
			goto done;
		if (!r.ctl.id) {
			err = cw_error(CW_ENOTFOUND, "placements have not been restarted on case %s"
				" (case restart)", id);
			goto done;
		}
		rj = decision(&r);
		if (r.ctl.has_since)
			cw_date_format(r.ctl.since, since);
		/* The meeting that recommended the restart, as the decision names it. */
		if (!r.ctl.has_meeting)
			json_object_set_new(rj, "meeting", meeting_before(meetings, since));
		json_object_set_new(rj, "condition_rows", condition_rows(&r.ctl.cond));
		json_object_set_new(ctx, "restart", rj);
	} else if ((err = priorities(db, id, ctx)) != CW_OK) {
		goto done;
	}
	/* The decision this form records, for the pieces both forms share. */
	json_object_set(ctx, "form", json_object_get(ctx, restart ? "restart" : "suspension"));
	err = measures(db, id, restart ? "embargo_lifted" : "embargo_placed", ctx);
done:
	cw_placement_control_free(&s.ctl);
	cw_placement_control_free(&r.ctl);
	return err;
}

/*
 * The sheet of a recorded meeting, or one with blank rows to sign for the
 * next meeting: asked for with --meeting next, or by default when no
 * meeting has been recorded yet or the last one set a next date that has
 * not passed.
 */
static int attendance(cw_db *db, const json_t *meetings, const char *ref, const char *case_id,
	json_t *ctx)
{
	size_t n = json_array_size(meetings);
	const json_t *last = n ? json_array_get(meetings, n - 1) : NULL;
	const char *next = last ? str(last, "next") : NULL;
	char today[CW_DATE_STRLEN];
	bool upcoming;
	json_t *m, *blank = json_array();
	int err;

	cw_date_format(cw_db_today(db), today);
	upcoming = ref ? strcmp(ref, "next") == 0 : !last || (next && strcmp(next, today) >= 0);
	if (!upcoming) {
		if ((err = pick_meeting(meetings, ref, case_id, &m)) != CW_OK) {
			json_decref(blank);
			return err;
		}
		json_object_set_new(ctx, "meeting", meeting_facts(m));
	} else {
		json_object_set_new(ctx, "meeting", json_pack("{s:o,s:[]}", "date",
			next ? cw_page_long_date(next) : json_string("to be arranged"), "attendees"));
		for (int i = 0; i < BLANK_ROWS; i++)
			json_array_append_new(blank, json_integer(i + 1));
	}
	json_object_set_new(ctx, "blank", blank);
	json_object_set_new(ctx, "upcoming", json_boolean(upcoming));
	return CW_OK;
}

/* A recorded meeting with what came before it, not what came after it. */
static int record(cw_db *db, const json_t *kase, const json_t *meetings, const char *ref,
	json_t *ctx)
{
	const char *id = str(kase, "id");
	json_t *m, *prev = NULL, *x;
	size_t i;
	int err;

	if (ref && strcmp(ref, "next") == 0)
		return cw_error(CW_ENOTFOUND, "the next meeting of case %s has not been held:"
			" a record needs a recorded meeting (meeting record)", id);
	if ((err = pick_meeting(meetings, ref, id, &m)) != CW_OK)
		return err;
	json_array_foreach(meetings, i, x) {
		if (x == m)
			break;
		prev = x;
	}
	json_object_set_new(ctx, "meeting", meeting_facts(m));
	if (prev)
		json_object_set_new(ctx, "previous", meeting_facts(prev));
	if ((err = plan(db, id, ctx)) != CW_OK)
		return err;
	/* The record is read as it stood on the meeting's day: the concerns
	 * open then, one resolved since among them, at their rating then; the
	 * referrals received since the meeting before. */
	return concerns(db, kase, NULL, prev ? str(prev, "date") : NULL, ctx);
}

static int facts(cw_db *db, size_t doc, const cw_document_args *a, const json_t *kase,
	json_t *ctx)
{
	const char *id = str(kase, "id");
	json_t *meetings = NULL;
	size_t n;
	int err;

	if ((err = common(db, kase, ctx)) != CW_OK ||
	    (err = cw_meeting_list(db, id, &meetings)) != CW_OK)
		return err;
	n = json_array_size(meetings);
	json_object_set_new(ctx, "document", json_pack("{s:s}", "title", titles[doc]));
	if (strcmp(cw_document_names[doc], "ppm-agenda") == 0) {
		json_t *last = n ? json_array_get(meetings, n - 1) : NULL;

		json_object_set_new(ctx, "first_meeting", json_boolean(!last));
		if (last) {
			json_object_set_new(ctx, "last", meeting_facts(last));
			json_object_set_new(ctx, "next", ldk(last, "next"));
		}
		if ((err = plan(db, id, ctx)) == CW_OK)
			err = concerns(db, kase, last ? str(last, "date") : NULL,
				last ? str(last, "date") : NULL, ctx);
	} else if (strcmp(cw_document_names[doc], "ppm-attendance") == 0) {
		err = attendance(db, meetings, a->meeting, id, ctx);
	} else if (strcmp(cw_document_names[doc], "ppm-record") == 0) {
		err = record(db, kase, meetings, a->meeting, ctx);
	} else if (strcmp(cw_document_names[doc], "action-plan") == 0) {
		json_object_set_new(ctx, "plan", json_pack("{s:O,s:o,s:o}",
			"version", json_object_get(kase, "plan_version"),
			"started", ldk(kase, "plan_started"), "updated", ldk(kase, "plan_updated")));
		embargoes(kase, ctx);
		err = plan(db, id, ctx);
	} else {
		err = form(db, kase, strcmp(cw_document_names[doc], "restart-form") == 0, meetings, ctx);
	}
	json_decref(meetings);
	return err;
}

static const char PAGE_CSS[] =
	"@page { size: A4; margin: 1.5cm; }\n"
	"body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; color: #000;"
	" background: #fff; margin: 0; }\n"
	".doc { max-width: 18cm; margin: 1.5em auto; padding: 0 1em; }\n"
	"h1 { font-size: 15pt; margin: 0 0 .3em; } h2 { font-size: 12pt; margin: 1.2em 0 .4em; }\n"
	".council { font-size: 9pt; color: #333; margin: 0 0 1em; }\n"
	"table { border-collapse: collapse; width: 100%; margin: 0 0 1em; page-break-inside: auto; }\n"
	"tr { page-break-inside: avoid; }\n"
	"th, td { border: 1px solid #444; padding: 4px 6px; text-align: left; vertical-align: top; }\n"
	"th { background: #e8e8e8; }\n"
	"table.facts th { width: 38%; }\n"
	"th.tick, td.tick { text-align: center; white-space: nowrap; width: 7em; }\n"
	"td.sign { height: 2.2em; }\n"
	".statement { border: 1px solid #444; padding: .6em; font-style: italic; }\n"
	".band { font-weight: bold; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }\n"
	".band-red { background: #d9342b; color: #fff; }\n"
	".band-amber { background: #f0a030; color: #000; }\n"
	".band-yellow { background: #f5e23b; color: #000; }\n"
	".band-green { background: #3a9a4a; color: #fff; }\n"
	".overdue { color: #b00; font-weight: bold; }\n"
	".foot { font-size: 8pt; color: #555; margin-top: 2em; }\n"
	"ul.check { list-style: none; padding-left: 0; }\n"
	".charts figure { margin: 0 0 1em; page-break-inside: avoid; }\n"
	".charts svg { max-width: 100%; height: auto; }\n"
	"* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"@media print { .doc { margin: 0; max-width: none; padding: 0; } }\n";

/* The action plan's ten columns need a landscape page, as on paper. */
static const char LANDSCAPE_CSS[] =
	"@page { size: A4 landscape; }\n"
	".doc { max-width: 26.5cm; }\n";

/* The documents' page, for other paperwork printed the same way (the QA agenda). */
char *cw_paper_html_page(const char *title, const char *body, bool landscape)
{
	const char *css[] = { PAGE_CSS, landscape ? LANDSCAPE_CSS : NULL, NULL };

	return cw_page_html(title, css, "main", "doc", body);
}

/*
 * Where an HTML template has the line CHARTS_MARK, the provider's pictures
 * of risk (engine/paper/chart.c): the heat map and the trend for an agenda;
 * for a record, the trend as it stood on the meeting's day, so printing it
 * again later shows the same. The SVG is the engine's, every text in it
 * escaped, so it goes in as it is; the template engine would escape it.
 */
#define CHARTS_MARK "<!-- carewatch:charts -->"

static int embed_charts(cw_db *db, const json_t *kase, const json_t *ctx, char **text)
{
	char *at = strstr(*text, CHARTS_MARK);
	const char *pid = str(kase, "provider_id");
	json_t *hm = NULL, *tr = NULL, *m = NULL;
	cw_date today = cw_db_today(db), day;
	cw_buf b = CW_BUF_INIT;
	int err = CW_OK;

	if (!at)
		return CW_OK;
	if (json_object_get(ctx, "meeting")) {
		if ((err = cw_meeting_get(db, str(json_object_get(ctx, "meeting"), "id"), &m)) != CW_OK)
			goto done;
		if (cw_date_parse(str(m, "date"), &day) == CW_OK)
			cw_db_set_today(db, day);
	} else if ((err = cw_chart_heatmap(db, pid, &hm)) != CW_OK) {
		goto done;
	}
	err = cw_chart_trend(db, pid, CW_CHART_AUTO, &tr);
	cw_db_set_today(db, today);
	if (err != CW_OK)
		goto done;
	cw_buf_put(&b, *text, (size_t)(at - *text));
	cw_buf_puts(&b, "<section class=\"charts\">\n<h2>Pictures of risk</h2>\n");
	if (hm)
		cw_buf_printf(&b, "<figure>\n%s</figure>\n", str(hm, "svg"));
	cw_buf_printf(&b, "<figure>\n%s</figure>\n</section>", str(tr, "svg"));
	cw_buf_puts(&b, at + strlen(CHARTS_MARK));
	free(*text);
	*text = cw_buf_detach(&b);
done:
	json_decref(hm);
	json_decref(tr);
	json_decref(m);
	cw_buf_free(&b);
	return err;
}

/*
 * The day a document is about: a meeting record's meeting, a form's
 * decision; none (false) for the others, which are about today. A
 * reference that names nothing is left for facts() to refuse.
 */
static bool document_day(cw_db *db, size_t doc, const cw_document_args *a, const json_t *kase,
	cw_date *day)
{
	const char *name = cw_document_names[doc], *id = str(kase, "id");
	json_t *meetings = NULL, *m = NULL;
	cw_placement_decision d = { 0 };
	bool dated = false;

	if (strcmp(name, "ppm-record") == 0) {
		if (cw_meeting_list(db, id, &meetings) == CW_OK &&
		    (!a->meeting || strcmp(a->meeting, "next") != 0) &&
		    pick_meeting(meetings, a->meeting, id, &m) == CW_OK)
			dated = cw_date_parse(str(m, "date"), day) == CW_OK;
		json_decref(meetings);
	} else if (strcmp(name, "suspension-form") == 0 || strcmp(name, "restart-form") == 0) {
		if (cw_placement_case_decision(db, id, strcmp(name, "restart-form") == 0 ? NULL
				: "suspended", &d) == CW_OK && d.ctl.id && d.ctl.has_since) {
			*day = d.ctl.since;
			dated = true;
		}
		cw_placement_control_free(&d.ctl);
	}
	cw_error_clear();
	return dated;
}

struct gather {
	size_t doc;
	const cw_document_args *a;
	const char *tmpl, *file;
	cw_template_opts *opts;
	json_t *ctx, *kase;
	char *text;
};

/* The case and the document's facts, rendered: run as at the document's day. */
static int gather(cw_db *db, void *arg)
{
	struct gather *g = arg;
	int err;

	json_decref(g->kase);
	g->kase = NULL;
	if ((err = cw_case_show(db, g->a->case_ref, &g->kase)) != CW_OK ||
	    (err = facts(db, g->doc, g->a, g->kase, g->ctx)) != CW_OK)
		return err;
	/* "Printed" is the day it is printed, whatever day it is about. */
	json_object_set(g->ctx, "today", json_object_get(g->ctx, "printed"));
	if ((err = cw_template_render(g->tmpl, g->file, g->ctx, g->opts, &g->text)) != CW_OK)
		return err;
	return g->a->format == CW_FORMAT_HTML ? embed_charts(db, g->kase, g->ctx, &g->text) : CW_OK;
}

/*
 * {{> name}}: a piece several documents share, config/documents/_NAME.EXT in
 * the document's format; documents_dir may replace it like a document.
 */
struct partials {
	cw_db *db;
	const char *ext;
};

static int load_partial(void *arg, const char *name, char **text)
{
	const struct partials *p = arg;
	char file[128];
	int err;

	if (strlen(name) > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(name))
		return cw_error(CW_EINVALID, "{{> %.64s}}: a partial is named with a-z, 0-9"
			" and '-'", name);
	snprintf(file, sizeof(file), "documents/_%s.%s", name, p->ext);
	err = cw_template_load(cw_db_rules(p->db), "documents_dir", NULL, file, text, NULL);
	if (err == CW_ENOTFOUND)
		err = cw_error(CW_EINVALID, "{{> %s}}: there is no partial %s", name, file);
	return err;
}

int cw_document_render(cw_db *db, const cw_document_args *a, json_t **out)
{
	const char *ext = a->format == CW_FORMAT_HTML ? "html" : a->format == CW_FORMAT_TEXT
		? "txt" : "md";
	struct partials parts = { db, ext };
	cw_template_opts opts = { a->format, NULL, NULL, load_partial, &parts };
	json_t *ctx = json_object(), *kase = NULL;
	char *tmpl = NULL, *source = NULL, *text = NULL, file[128], printed[CW_DATE_STRLEN];
	struct gather g = { 0 };
	cw_date day;
	size_t doc = 0;
	int err;

	if ((err = check_name(a->name, &doc)) != CW_OK || (err = check_args(a)) != CW_OK ||
	    (err = cw_case_show(db, a->case_ref, &kase)) != CW_OK)
		goto done;
	snprintf(file, sizeof(file), "documents/%s.%s", a->name, ext);
	if ((err = cw_template_load(cw_db_rules(db), "documents_dir", NULL, file, &tmpl,
			&source)) != CW_OK)
		goto done;
	/* A document about a past day shows the record as it stood that day, so
	 * printing it again later prints the same facts (SPEC §2). */
	json_object_set_new(ctx, "printed", cw_page_long_date(cw_date_format(cw_db_today(db),
		printed)));
	g = (struct gather){ doc, a, tmpl, file, &opts, ctx, kase, NULL };
	kase = NULL;
	err = document_day(db, doc, a, g.kase, &day) ? cw_store_as_at(db, day, gather, &g)
		: cw_store_as_at_today(db, gather, &g);
	kase = g.kase;
	text = g.text;
	if (err != CW_OK)
		goto done;
	if (a->format == CW_FORMAT_TEXT) {
		char *wrapped = cw_template_wrap(text, TEXT_WIDTH);

		free(text);
		text = wrapped;
	} else if (a->format == CW_FORMAT_HTML) {
		const char *css[] = { PAGE_CSS, strcmp(a->name, "action-plan") == 0
			? LANDSCAPE_CSS : NULL, NULL };
		char title[512];
		char *page;

		snprintf(title, sizeof(title), "%s: %s", titles[doc], str(kase, "provider"));
		page = cw_page_html(title, css, "main", "doc", text);
		free(text);
		text = page;
	}
	*out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "document", a->name, "case_id",
		str(kase, "id"), "provider", str(kase, "provider"), "format",
		cw_format_names[a->format], "source", source, "text", text);
done:
	free(tmpl);
	free(source);
	free(text);
	json_decref(ctx);
	json_decref(kase);
	return err;
}

int cw_document_workbook_check(const cw_document_args *a)
{
	/* The plan's items are a table to sort and filter; the others are pages to read. */
	if (!a->name || strcmp(a->name, "action-plan") != 0)
		return cw_error_at("format", CW_EINVALID, "only the action plan is a workbook;"
			" print %.40s as markdown, html or text", a->name ? a->name : "");
	return check_args(a);
}

int cw_document_workbook(cw_db *db, const cw_document_args *a, const char *path, json_t **out)
{
	int err;

	if ((err = cw_document_workbook_check(a)) != CW_OK)
		return err;
	return cw_xlsx_action_plan(db, a->case_ref, path, out);
}
