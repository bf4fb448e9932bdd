/*
 * Exports: the rows of every concern, case or action item (and the watch
 * list) from the engine's getters, and the CSV a spreadsheet or a partner
 * receives. The column sets live here, not in a front door, so the command
 * line and the web server export the same thing.
 */
#include <stdlib.h>
#include <string.h>
#include "carewatch/export.h"
#include "carewatch/concern.h"
#include "carewatch/case.h"
#include "carewatch/action.h"
#include "carewatch/watchlist.h"
#include "carewatch/csv.h"
#include "carewatch/words.h"
#include "carewatch/buf.h"
#include "carewatch/error.h"

const char *const cw_export_kinds[] = { "concerns", "cases", "actions", NULL };

static const char *const concern_cols[] = {
	"id", "ref", "provider_id", "provider", "received", "source", "team", "category", "summary",
	"likelihood", "impact", "score", "band", "status", "pova_ref", "subject_ref", "positive",
	NULL
};

static const char *const case_cols[] = {
	"id", "ref", "provider_id", "provider", "stage", "opened", "trigger", "chair", "outcome",
	"closed", "open_tasks", "flags", NULL
};

static const char *const action_cols[] = {
	"id", "ref", "provider_id", "provider", "case_id", "case_ref", "concern_id",
	"concern_ref", "kind", "improvement", "owner", "due", "status", "completed", "overdue",
	"likelihood", "impact", "score", "band", "extensions", "evidence", NULL
};

static const char *const watchlist_cols[] = {
	"provider_id", "provider", "type", "stage", "band", "computed_band", "agreed_band",
	"max_score", "open_concerns", "red", "amber", "yellow", "green", "pova_referrals",
	"overdue_actions", "open_tasks", "next_review", "review_overdue", "trend",
	"new_since_last_qa", "placements", "flags", NULL
};

int cw_export_parse(const char *s, cw_export_kind *out)
{
	int i;

	for (i = 0; cw_export_kinds[i]; i++)
		if (s && strcmp(s, cw_export_kinds[i]) == 0) {
			*out = (cw_export_kind)i;
			return CW_OK;
		}
	return cw_error(CW_EINVALID, "export what? '%.40s' is not concerns, cases or actions",
		s ? s : "");
}

const char *const *cw_export_columns(cw_export_kind kind)
{
	switch (kind) {
	case CW_EXPORT_CONCERNS: return concern_cols;
	case CW_EXPORT_CASES: return case_cols;
	case CW_EXPORT_ACTIONS: return action_cols;
	default: return watchlist_cols;
	}
}

/* Every action item of every case, oldest case first. */
static int all_actions(cw_db *db, json_t **out)
{
	json_t *cases = NULL, *c, *all = json_array();
	size_t i;
	int err;

	if ((err = cw_case_list(db, NULL, &cases)) != CW_OK)
		goto done;
	json_array_foreach(cases, i, c) {
		json_t *items = NULL;

		if ((err = cw_action_list(db, json_string_value(json_object_get(c, "id")),
				false, &items)) != CW_OK)
			goto done;
		json_array_extend(all, items);
		json_decref(items);
	}
	*out = all;
	all = NULL;
done:
	json_decref(cases);
	json_decref(all);
	return err;
}

int cw_export_rows(cw_db *db, cw_export_kind kind, json_t **out)
{
	static const cw_concern_filter every = { NULL, false, NULL };

	switch (kind) {
	case CW_EXPORT_CONCERNS: return cw_concern_list(db, &every, out);
	case CW_EXPORT_CASES: return cw_case_list(db, NULL, out);
	case CW_EXPORT_ACTIONS: return all_actions(db, out);
	default: return cw_watchlist(db, out);
	}
}

/* An extension, a piece of evidence or a placement control as a cell
 * reads it; NULL for any other object. */
static char *history_text(const json_t *e)
{
	const char *made = json_string_value(json_object_get(e, "made")),
		*from = json_string_value(json_object_get(e, "from")),
		*to = json_string_value(json_object_get(e, "to")),
		*date = json_string_value(json_object_get(e, "date")),
		*text = json_string_value(json_object_get(e, "text")),
		*why = json_string_value(json_object_get(e, "rationale"));
	cw_buf b = CW_BUF_INIT;

	if (json_is_string(json_object_get(e, "commissioner")) &&
	    json_is_string(json_object_get(e, "status")))
		return cw_placement_words(e, true);
	if (made && from && to)
		cw_buf_printf(&b, "%s: due %s moved to %s (%s)", made, from, to, why ? why : "");
	else if (date && text)
		cw_buf_printf(&b, "%s: %s", date, text);
	else
		return NULL;
	return cw_buf_detach(&b);
}

char *cw_export_value_text(const json_t *v)
{
	cw_buf b = CW_BUF_INIT;
	size_t i;
	json_t *e;

	switch (json_typeof(v)) {
	case JSON_STRING:
		cw_buf_puts(&b, json_string_value(v));
		break;
	case JSON_INTEGER:
		cw_buf_printf(&b, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		cw_buf_printf(&b, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		cw_buf_puts(&b, "yes");
		break;
	case JSON_FALSE:
		cw_buf_puts(&b, "no");
		break;
	case JSON_ARRAY:
		if (json_array_size(v) == 0)
			cw_buf_puts(&b, "-");
		json_array_foreach(v, i, e) {
			char *t = json_is_object(e) ? history_text(e) : NULL;

			if (!t)
				t = json_is_object(e) || json_is_array(e)
					? json_dumps(e, JSON_COMPACT) : cw_export_value_text(e);
			cw_buf_printf(&b, "%s%s", i ? (json_is_object(e) ? "; " : ", ") : "",
				t ? t : "");
			free(t);
		}
		break;
	case JSON_OBJECT: {
		char *t = json_dumps(v, JSON_COMPACT);

		cw_buf_puts(&b, t ? t : "");
		free(t);
		break;
	}
	default:
		cw_buf_puts(&b, "-");
	}
	return cw_buf_detach(&b);
}

char *cw_export_csv(const json_t *rows, const char *const *keys)
{
	cw_buf b = CW_BUF_INIT;
	const char *const *k;
	size_t i;
	json_t *row;

	for (k = keys; *k; k++)
		cw_csv_put_field(&b, *k);
	cw_csv_end_record(&b);
	json_array_foreach(rows, i, row) {
		for (k = keys; *k; k++) {
			const json_t *v = json_object_get(row, *k);
			/* Spreadsheets want empty cells for null, not "-". */
			char *t = !v || json_is_null(v) ? cw_strdup("") : cw_export_value_text(v);

			cw_csv_put_field(&b, t);
			free(t);
		}
		cw_csv_end_record(&b);
	}
	return cw_buf_detach(&b);
}
