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
#include "store.h"
#include "case_internal.h"
#include "placement_internal.h"

const char *const cw_letter_names[] = {
	"ppm-commenced-provider", "ppm-commenced-service-user", "embargo-placed-provider",
	"embargo-lifted-provider", "process-closed-provider", "lack-of-engagement-provider",
	NULL
};

static const char SQL_CASE[] =
	"SELECT c.id, c.stage, c.opened, c.escalated, c.\"trigger\", u.name, c.closed,"
	" c.outcome, p.name, p.type, p.regulator_id, p.grp"
	" FROM cases c JOIN providers p ON p.id = c.provider_id"
	" LEFT JOIN users u ON u.id = c.chair WHERE c.id = ?1";
static const char SQL_COMMISSIONERS[] =
	"SELECT c.name FROM provider_commissioners pc"
	" JOIN commissioners c ON c.id = pc.commissioner_id WHERE pc.provider_id = ?1"
	" ORDER BY c.is_lead DESC, c.name COLLATE NOCASE";
static const char SQL_LEAD[] = "SELECT name FROM commissioners WHERE is_lead = 1";
static const char SQL_PLAN[] =
	"SELECT count(*), total(status <> 'completed'), total(status <> 'completed' AND due < ?2)"
	" FROM actions WHERE case_id = ?1";
static const char SQL_LAST_MEETING[] =
	"SELECT max(date) FROM meetings WHERE case_id = ?1";
static const char SQL_NEXT_MEETING[] =
	"SELECT next_date FROM meetings WHERE case_id = ?1 AND next_date IS NOT NULL"
	" ORDER BY date DESC, rowid DESC LIMIT 1";
static const char SQL_ATTENDED[] =
	"SELECT provider_attended FROM meetings WHERE case_id = ?1 ORDER BY date DESC, rowid DESC";

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
	{ "single_agency_monitoring", "The partners agree that the process can close; the"
		" service will continue to be monitored through our usual contract monitoring." },
	{ "contract_terminated", "The contract for the service has been terminated." },
	{ "service_closed", "The service has closed." },
	{ NULL, "The process has closed." }
};

static const char *label(const struct label *l, const char *word)
{
	for (; l->word; l++)
		if (word && strcmp(l->word, word) == 0)
			break;
	return l->text;
}

/* "2026-11-22" -> "22 November 2026"; anything else as it is. */
static json_t *long_date(const char *iso)
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	cw_date d;
	int y, m, dd;

	if (!iso || cw_date_parse(iso, &d) != CW_OK) {
		cw_error_clear();
		return iso ? json_string(iso) : json_null();
	}
	cw_date_to_ymd(d, &y, &m, &dd);
	return json_sprintf("%d %s %d", dd, months[m - 1], y);
}

static json_t *col_date(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
		: long_date(cw_store_col_text(st, i));
}

static void why(json_t *notes, const char *fact, const char *fmt, const char *id)
{
	json_object_set_new(notes, fact, json_sprintf(fmt, id));
}

/* "A", "A and B", "A, B and C" from the names a query returns. */
static int names_in_words(cw_db *db, const char *sql, const char *bind, cw_buf *out)
{
	sqlite3_stmt *st = NULL;
	json_t *names = json_array();
	size_t i, n;
	int rc, err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		goto done;
	if (bind)
		cw_store_bind_text(st, 1, bind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(names, json_string(cw_store_col_text(st, 0)));
	cw_store_done(st);
	if (rc != SQLITE_DONE) {
		err = cw_store_error(db, rc);
		goto done;
	}
	n = json_array_size(names);
	for (i = 0; i < n; i++)
		cw_buf_printf(out, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
			json_string_value(json_array_get(names, i)));
done:
	json_decref(names);
	return err;
}

static int facts_case(cw_db *db, const char *id, json_t *ctx, json_t *notes)
{
	sqlite3_stmt *st = NULL;
	json_t *c, *p;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_CASE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		cw_store_done(st);
		return rc == SQLITE_DONE ? cw_error(CW_ENOTFOUND, "no case '%s'", id)
			: cw_store_error(db, rc);
	}
	c = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		"id", cw_store_col_text(st, 0), "stage", cw_store_col_text(st, 1),
		"opened", col_date(st, 2), "escalated", col_date(st, 3),
		"trigger", cw_store_col_json_text(st, 4), "chair", cw_store_col_json_text(st, 5),
		"closed", col_date(st, 6), "outcome", cw_store_col_json_text(st, 7),
		"outcome_text", sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
			: json_string(label(outcomes, cw_store_col_text(st, 7))));
	p = json_pack("{s:s,s:s,s:o,s:o}", "name", cw_store_col_text(st, 8),
		"type", label(types, cw_store_col_text(st, 9)),
		"regulator_id", cw_store_col_json_text(st, 10), "group", cw_store_col_json_text(st, 11));
	cw_store_done(st);
	json_object_set_new(ctx, "case", c);
	json_object_set_new(ctx, "provider", p);
	why(notes, "case.escalated", "case %s has not been escalated: the provider performance"
		" process has not commenced (case escalate)", id);
	why(notes, "case.chair", "case %s has no chair: it has not been escalated (case escalate)", id);
	why(notes, "case.closed", "case %s is not closed (case close)", id);
	why(notes, "case.outcome", "case %s is not closed (case close)", id);
	why(notes, "case.outcome_text", "case %s is not closed (case close)", id);
	why(notes, "provider.regulator_id", "the provider of case %s has no regulator id", id);
	why(notes, "provider.group", "the provider of case %s belongs to no provider group", id);
	return CW_OK;
}

static int facts_people(cw_db *db, const char *pid, json_t *ctx)
{
	const char *council = json_string_value(json_object_get(json_object_get(ctx, "council"), "name"));
	cw_buf names = CW_BUF_INIT, lead = CW_BUF_INIT;
	int err;

	if ((err = names_in_words(db, SQL_COMMISSIONERS, pid, &names)) != CW_OK ||
	    (err = names_in_words(db, SQL_LEAD, NULL, &lead)) != CW_OK)
		goto done;
	/* The council that runs the protocol writes even when no body is linked. */
	json_object_set_new(ctx, "lead", json_string(lead.len ? cw_buf_cstr(&lead) : council));
	json_object_set_new(ctx, "commissioners", json_string(names.len ? cw_buf_cstr(&names)
		: lead.len ? cw_buf_cstr(&lead) : council));
done:
	cw_buf_free(&names);
	cw_buf_free(&lead);
	return err;
}

static int facts_plan(cw_db *db, const char *id, json_t *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_PLAN, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(ctx, "plan", json_pack("{s:I,s:I,s:I}",
			"items", (json_int_t)sqlite3_column_int64(st, 0),
			"open", (json_int_t)sqlite3_column_double(st, 1),
			"overdue", (json_int_t)sqlite3_column_double(st, 2)));
	cw_store_done(st);
	return rc == SQLITE_ROW ? CW_OK : cw_store_error(db, rc);
}

/* One text value from a one-row query bound to the case, or NULL. */
static int one_text(cw_db *db, const char *sql, const char *id, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc, err;

	out[0] = '\0';
	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	if (id)
		cw_store_bind_text(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(out, n, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CW_OK : cw_store_error(db, rc);
}

/* How many of the latest meetings in a row the provider did not attend. */
static int meetings_missed(cw_db *db, const char *id, long *out)
{
	sqlite3_stmt *st = NULL;
	int rc, err;

	*out = 0;
	if ((err = cw_store_prepare(db, SQL_ATTENDED, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0)
		(*out)++;
	cw_store_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CW_OK : cw_store_error(db, rc);
}

/*
 * The dates of the case's last and next provider performance meetings and
 * how many the provider missed. A date that is not known (no meeting yet,
 * or the next one not set or passed) is "not yet set", and a letter that
 * needs it is refused, saying so.
 */
static int next_meeting_date(cw_db *db, const char *id, json_t *ctx, json_t *notes)
{
	char last[CW_DATE_STRLEN + 8], next[CW_DATE_STRLEN + 8], today[CW_DATE_STRLEN];
	json_t *m = json_object();
	long missed;
	int err;

	json_object_set_new(ctx, "meeting", m);
	if ((err = meetings_missed(db, id, &missed)) != CW_OK)
		return err;
	json_object_set_new(m, "missed", json_integer(missed));
	if ((err = one_text(db, SQL_LAST_MEETING, id, last, sizeof(last))) != CW_OK ||
	    (err = one_text(db, SQL_NEXT_MEETING, id, next, sizeof(next))) != CW_OK)
		return err;
	if (last[0])
		json_object_set_new(m, "last", long_date(last));
	why(notes, "meeting.last", "no provider performance meeting of case %s is recorded yet"
		" (meeting record)", id);
	cw_date_format(cw_db_today(db), today);
	if (next[0] && strcmp(next, today) >= 0)
		json_object_set_new(m, "next", long_date(next));
	why(notes, "meeting.next", "the next provider performance meeting of case %s is not yet"
		" set (meeting record --next DATE)", id);
	return CW_OK;
}

/* A placement-control decision as letter facts, dates in words. */
static json_t *decision_facts(json_t *d, bool restart)
{
	json_t *f = json_pack("{s:O,s:O,s:o,s:o,s:O}", "commissioner", json_object_get(d, "commissioner"),
		"reason", json_object_get(d, "reason"),
		restart ? "date" : "since", long_date(json_string_value(json_object_get(d, "since"))),
		"until", long_date(json_string_value(json_object_get(d, "until"))),
		"kind", json_object_get(d, "kind"));
	const char *kind = json_string_value(json_object_get(d, "kind"));
	json_t *words = cw_placement_conditions_words(json_object_get(d, "conditions"));

	json_object_set_new(f, "mandatory", json_boolean(kind && strcmp(kind, "mandatory") == 0));
	json_object_set_new(f, "voluntary", json_boolean(kind && strcmp(kind, "voluntary") == 0));
	json_object_set_new(f, "meeting",
		long_date(json_string_value(json_object_get(d, "meeting_date"))));
	json_object_set_new(f, "has_conditions", json_boolean(json_array_size(words) > 0));
	json_object_set_new(f, "conditions", words);
	return f;
}

static int facts_embargo(cw_db *db, const char *id, json_t *ctx, json_t *notes)
{
	json_t *d = NULL;
	int err;

	if ((err = cw_placement_case_decision(db, id, "suspended", &d)) != CW_OK)
		return err;
	if (d)
		json_object_set_new(ctx, "embargo", decision_facts(d, false));
	json_decref(d);
	why(notes, "embargo", "no embargo has been placed on case %s (case suspend)", id);
	why(notes, "embargo.meeting", "the embargo on case %s names no recommending meeting"
		" (case suspend --meeting DATE)", id);
	why(notes, "embargo.until", "the embargo on case %s has not been lifted (case restart)", id);
	if ((err = cw_placement_case_decision(db, id, NULL, &d)) != CW_OK)
		return err;
	if (d)
		json_object_set_new(ctx, "restart", decision_facts(d, true));
	json_decref(d);
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

/* The letter as a standalone printable page: paragraphs at blank lines. */
static char *html_page(const char *title, const char *text)
{
	cw_buf b = CW_BUF_INIT;
	const char *p = text;
	bool first = true;

	cw_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>");
	cw_template_escape(&b, title, CW_FORMAT_HTML);
	cw_buf_puts(&b, "</title>\n<style>\n"
		"@page { size: A4; margin: 2cm; }\n"
		"body { font-family: Georgia, \"Times New Roman\", serif; font-size: 11pt;"
		" line-height: 1.45; color: #000; background: #fff; margin: 0; }\n"
		".letter { max-width: 17cm; margin: 2em auto; padding: 0 1em; }\n"
		".letterhead { text-align: right; }\n"
		".subject { font-weight: bold; }\n"
		"p { margin: 0 0 1em; }\n"
		"ul { margin: 0 0 1em 1.5em; padding: 0; }\n"
		"@media print { .letter { margin: 0; max-width: none; padding: 0; } }\n"
		"</style>\n</head>\n<body>\n<article class=\"letter\">\n");
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
	cw_buf_puts(&b, "</article>\n</body>\n</html>\n");
	return cw_buf_detach(&b);
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

/* Every fact of the case; `notes` says why each absent one is absent. */
static int facts(cw_db *db, const struct cw_case_ref *c, json_t *ctx, json_t *notes)
{
	const cw_rules *r = cw_db_rules(db);
	char today[CW_DATE_STRLEN], ref[16];
	int err;

	json_object_set_new(ctx, "council", json_pack("{s:s,s:s,s:s}",
		"name", cw_rules_string(r, "council.name"),
		"department", cw_rules_string(r, "council.department"),
		"contact", cw_rules_string(r, "council.contact")));
	json_object_set_new(ctx, "today", long_date(cw_date_format(cw_db_today(db), today)));
	/* The audit chain's head as printed: the paper file anchors the chain. */
	json_object_set_new(ctx, "anchor", cw_audit_anchor(db));
	snprintf(ref, sizeof(ref), "CW/%.8s", c->id);
	json_object_set_new(ctx, "letter", json_pack("{s:s}", "reference", ref));
	if ((err = facts_case(db, c->id, ctx, notes)) != CW_OK ||
	    (err = facts_people(db, c->provider_id, ctx)) != CW_OK ||
	    (err = facts_plan(db, c->id, ctx)) != CW_OK ||
	    (err = next_meeting_date(db, c->id, ctx, notes)) != CW_OK)
		return err;
	return facts_embargo(db, c->id, ctx, notes);
}

int cw_letter_render(cw_db *db, const cw_letter_args *a, json_t **out)
{
	struct cw_case_ref c;
	struct missing m = { NULL, a->name };
	cw_template_opts opts = { a->format, on_missing, &m };
	json_t *ctx = json_object(), *notes = json_object();
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
	snprintf(file, sizeof(file), "letters/%s.txt", a->name);
	if ((err = cw_case_resolve(db, a->case_ref, &c)) != CW_OK ||
	    (err = cw_template_load(cw_db_rules(db), "letters_dir", a->base_dir, file,
			&tmpl, &source)) != CW_OK ||
	    (err = facts(db, &c, ctx, notes)) != CW_OK)
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
	if ((err = cw_audit_append(db, "letter.write", c.id, json_pack("{s:s,s:s,s:s}",
			"template", a->name, "format", cw_format_names[a->format],
			"source", source))) != CW_OK)
		goto done;
	*out = json_pack("{s:s,s:s,s:O,s:s,s:s,s:s}", "template", a->name, "case_id", c.id,
		"provider", json_object_get(json_object_get(ctx, "provider"), "name"),
		"format", cw_format_names[a->format], "source", source, "text", text);
done:
	cw_buf_free(&esc);
	free(escaped);
	free(tmpl);
	free(source);
	free(text);
	json_decref(ctx);
	json_decref(notes);
	return err;
}
