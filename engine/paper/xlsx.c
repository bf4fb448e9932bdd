/*
 * Workbooks with libxlsxwriter (include/carewatch/xlsx.h). Each cell is
 * typed by its JSON value: numbers as numbers, YYYY-MM-DD as a date (the
 * engine writes every date so, and nothing else so), the rest as text
 * through worksheet_write_string, which stores a string and never a formula.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include "carewatch/action.h"
#include "carewatch/buf.h"
#include "carewatch/case.h"
#include "carewatch/concern.h"
#include "carewatch/date.h"
#include "carewatch/error.h"
#include "carewatch/rules.h"
#include "carewatch/xlsx.h"

#define MAX_COL_WIDTH 60
#define MIN_COL_WIDTH 6

struct formats {
	lxw_format *header, *date, *wrap, *band[CW_BAND_RED + 1];
};

/* GOV.UK colours, as in the pictures of risk; the text keeps AA contrast. */
static const lxw_color_t band_rgb[] = { 0, 0x00703C, 0xFFDD00, 0xF47738, 0xD4351C };

static void formats_make(lxw_workbook *wb, struct formats *f)
{
	int b;

	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0xE8E8E8);
	format_set_pattern(f->header, LXW_PATTERN_SOLID);
	format_set_bottom(f->header, LXW_BORDER_THIN);
	f->date = workbook_add_format(wb);
	format_set_num_format(f->date, "yyyy-mm-dd");
	format_set_align(f->date, LXW_ALIGN_LEFT);
	f->wrap = workbook_add_format(wb);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	for (b = CW_BAND_GREEN; b <= CW_BAND_RED; b++) {
		f->band[b] = workbook_add_format(wb);
		format_set_bg_color(f->band[b], band_rgb[b]);
		format_set_pattern(f->band[b], LXW_PATTERN_SOLID);
		format_set_bold(f->band[b]);
		format_set_font_color(f->band[b],
			b == CW_BAND_RED || b == CW_BAND_GREEN ? LXW_COLOR_WHITE : LXW_COLOR_BLACK);
	}
}

/* A value in the words the CSV export uses: yes/no, lists joined, objects as JSON. */
static char *value_text(const json_t *v)
{
	return cw_export_value_text(v);
}

static bool key_is_band(const char *key)
{
	return strcmp(key, "band") == 0 || strstr(key, "_band") != NULL;
}

/* Code points, for the column width. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static char *header_words(const cw_xlsx_col *c)
{
	char *h;

	if (c->header && *c->header)
		return cw_strdup(c->header);
	h = cw_strdup(c->key);
	for (char *p = h; *p; p++)
		if (*p == '_')
			*p = ' ';
	h[0] = (char)toupper((unsigned char)h[0]);
	return h;
}

static int sheet_write(lxw_workbook *wb, const struct formats *f, const cw_xlsx_sheet *s)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
	cw_xlsx_col *own = NULL;
	const cw_xlsx_col *cols = s->cols;
	size_t ncols = 0, i, c;
	size_t nrows = json_array_size(s->rows);
	json_t *r;
	int err = CW_OK;

	if (!ws)
		return cw_error(CW_EINTERNAL, "cannot add the sheet '%s'", s->name);
	if (!cols) {
		const char *key;
		json_t *v;

		own = cw_calloc(json_object_size(json_array_get(s->rows, 0)) + 1, sizeof(*own));
		json_object_foreach(json_array_get(s->rows, 0), key, v)
			own[ncols++].key = key;
		cols = own;
	}
	for (ncols = 0; cols[ncols].key; ncols++)
		;
	for (c = 0; c < ncols; c++) {
		bool band = key_is_band(cols[c].key);
		char *h = header_words(&cols[c]);
		size_t width = text_width(h) + 3;   /* room for the filter button */

		worksheet_write_string(ws, 0, (lxw_col_t)c, h, f->header);
		free(h);
		json_array_foreach(s->rows, i, r) {
			json_t *v = json_object_get(r, cols[c].key);
			lxw_row_t row = (lxw_row_t)(i + 1);
			char *text;

			if (!v || json_is_null(v))
				continue;
			if (json_is_number(v)) {
				worksheet_write_number(ws, row, (lxw_col_t)c, json_number_value(v), NULL);
				text = value_text(v);
			} else if (json_is_string(v) && cw_date_valid(json_string_value(v))) {
				lxw_datetime dt = { 0 };
				cw_date d;

				cw_date_parse(json_string_value(v), &d);
				cw_date_to_ymd(d, &dt.year, &dt.month, &dt.day);
				worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, f->date);
				text = cw_strdup("2026-12-31");
			} else {
				cw_band b = CW_BAND_NONE;

				text = value_text(v);
				if (band && json_is_string(v))
					cw_band_parse(json_string_value(v), &b);
				/* A string cell, whatever it starts with: never a formula. */
				worksheet_write_string(ws, row, (lxw_col_t)c, text,
					b != CW_BAND_NONE ? f->band[b] : NULL);
			}
			if (text_width(text) + 1 > width)
				width = text_width(text) + 1;
			free(text);
		}
		if (width > MAX_COL_WIDTH)
			width = MAX_COL_WIDTH;
		if (width < MIN_COL_WIDTH)
			width = MIN_COL_WIDTH;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)width, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (ncols)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(ncols - 1));
	free(own);
	return err;
}

int cw_xlsx_write(const char *path, const cw_xlsx_sheet *sheets, size_t nsheets)
{
	lxw_workbook *wb;
	struct formats f;
	lxw_error rc;
	int err = CW_OK;
	size_t i;
	FILE *probe;

	/* Find out first, so the message is ours alone: libxlsxwriter would
	 * print its own on stderr when it finds out at the end. */
	if (!(probe = fopen(path, "wb")))
		return cw_error_at("out", CW_EINVALID, "%s: cannot write: %s", path, strerror(errno));
	fclose(probe);
	if (!(wb = workbook_new(path)))
		return cw_error(CW_EINTERNAL, "%s: cannot write the workbook", path);
	formats_make(wb, &f);
	for (i = 0; i < nsheets && err == CW_OK; i++)
		err = sheet_write(wb, &f, &sheets[i]);
	rc = workbook_close(wb);
	if (err == CW_OK && rc != LXW_NO_ERROR)
		err = cw_error(CW_EINTERNAL, "%s: cannot write the workbook: %s", path,
			lxw_strerror(rc));
	if (err != CW_OK)
		remove(path);
	return err;
}

int cw_xlsx_export(cw_db *db, cw_export_kind kind, const char *path, json_t **out)
{
	static const char *const sheet_names[] = {
		[CW_EXPORT_CONCERNS] = "Concerns", [CW_EXPORT_CASES] = "Cases",
		[CW_EXPORT_ACTIONS] = "Actions", [CW_EXPORT_WATCHLIST] = "Watch list",
	};
	const char *const *keys = cw_export_columns(kind);
	cw_xlsx_col *cols = NULL;
	cw_xlsx_sheet sheet;
	json_t *rows = NULL;
	size_t n = 0;
	int err;

	if ((err = cw_export_rows(db, kind, &rows)) != CW_OK)
		return err;
	while (keys[n])
		n++;
	cols = cw_calloc(n + 1, sizeof(*cols));
	for (size_t i = 0; i < n; i++)
		cols[i].key = keys[i];
	sheet = (cw_xlsx_sheet){ sheet_names[kind], cols, rows };
	if ((err = cw_xlsx_write(path, &sheet, 1)) == CW_OK)
		*out = json_pack("{s:s,s:s,s:I}", "file", path, "sheet", sheet_names[kind], "rows",
			(json_int_t)json_array_size(rows));
	free(cols);
	json_decref(rows);
	return err;
}

/* ---- the action plan as a workbook ------------------------------------- */

static const cw_xlsx_col plan_cols[] = {
	{ "fact", "Action plan" }, { "value", "" }, { NULL, NULL }
};

static const cw_xlsx_col item_cols[] = {
	{ "number", "No." }, { "concern", "Issue of concern" },
	{ "improvement", "Improvement required" }, { "kind", "CA/DA" }, { "due", "By when" },
	{ "owner", "Person responsible" }, { "likelihood", "" }, { "impact", "" },
	{ "score", "Rating" }, { "band", "Band" }, { "status", "" }, { "completed", "" },
	{ "overdue", "" }, { NULL, NULL }
};

static const cw_xlsx_col evidence_cols[] = {
	{ "number", "Item" }, { "date", "Date" }, { "text", "Evidence" }, { "by", "Recorded by" },
	{ NULL, NULL }
};

static const cw_xlsx_col extension_cols[] = {
	{ "number", "Item" }, { "made", "Extended on" }, { "from", "From" }, { "to", "To" },
	{ "rationale", "Rationale" }, { NULL, NULL }
};

static void fact(json_t *facts, const char *name, json_t *value)
{
	json_array_append_new(facts, json_pack("{s:s,s:o}", "fact", name, "value",
		value ? value : json_null()));
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int cw_xlsx_action_plan(cw_db *db, const char *case_ref, const char *path, json_t **out)
{
	json_t *kase = NULL, *actions = NULL, *a, *e, *facts = json_array();
	json_t *items = json_array(), *evidence = json_array(), *extensions = json_array();
	const char *names[] = { "Plan", "Items", "Evidence", "Extensions" };
	cw_xlsx_sheet sheets[4];
	size_t i, j;
	int err;

	if ((err = cw_case_show(db, case_ref, &kase)) != CW_OK ||
	    (err = cw_action_list(db, jstr(kase, "id"), false, &actions)) != CW_OK)
		goto done;
	fact(facts, "Provider", json_incref(json_object_get(kase, "provider")));
	fact(facts, "Stage", json_incref(json_object_get(kase, "stage")));
	fact(facts, "Date action plan started", json_incref(json_object_get(kase, "plan_started")));
	fact(facts, "Version", json_incref(json_object_get(kase, "plan_version")));
	fact(facts, "Last updated", json_incref(json_object_get(kase, "plan_updated")));
	fact(facts, "Items", json_integer((json_int_t)json_array_size(actions)));
	fact(facts, "Key", json_string("CA: corrective action (a regulatory or contractual"
		" requirement). DA: development action (good practice)."));
	json_array_foreach(actions, i, a) {
		json_t *c = NULL, *it;
		json_int_t n = (json_int_t)i + 1;

		if (cw_concern_get(db, jstr(a, "concern_id"), &c) != CW_OK)
			cw_error_clear();
		it = json_pack("{s:I,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "number", n,
			"concern", c && jstr(c, "summary") ? jstr(c, "summary") : "(concern not found)",
			"improvement", json_object_get(a, "improvement"), "kind", json_object_get(a, "kind"),
			"due", json_object_get(a, "due"), "owner", json_object_get(a, "owner"),
			"likelihood", json_object_get(a, "likelihood"),
			"impact", json_object_get(a, "impact"), "score", json_object_get(a, "score"),
			"band", json_object_get(a, "band"), "status", json_object_get(a, "status"),
			"completed", json_object_get(a, "completed"),
			"overdue", json_object_get(a, "overdue"));
		json_decref(c);
		if (!it) {
			err = cw_error(CW_EINTERNAL, "action plan item %d: unexpected shape", (int)n);
			goto done;
		}
		json_array_append_new(items, it);
		json_array_foreach(json_object_get(a, "evidence"), j, e)
			json_array_append_new(evidence, json_pack("{s:I,s:O,s:O,s:O}", "number", n,
				"date", json_object_get(e, "date"), "text", json_object_get(e, "text"),
				"by", json_object_get(e, "by")));
		json_array_foreach(json_object_get(a, "extensions"), j, e)
			json_array_append_new(extensions, json_pack("{s:I,s:O,s:O,s:O,s:O}", "number", n,
				"made", json_object_get(e, "made"), "from", json_object_get(e, "from"),
				"to", json_object_get(e, "to"), "rationale", json_object_get(e, "rationale")));
	}
	sheets[0] = (cw_xlsx_sheet){ names[0], plan_cols, facts };
	sheets[1] = (cw_xlsx_sheet){ names[1], item_cols, items };
	sheets[2] = (cw_xlsx_sheet){ names[2], evidence_cols, evidence };
	sheets[3] = (cw_xlsx_sheet){ names[3], extension_cols, extensions };
	if ((err = cw_xlsx_write(path, sheets, 4)) != CW_OK)
		goto done;
	*out = json_pack("{s:s,s:s,s:s,s:s,s:[ssss]}", "document", "action-plan",
		"case_id", jstr(kase, "id"), "provider", jstr(kase, "provider"), "file", path,
		"sheets", names[0], names[1], names[2], names[3]);
done:
	json_decref(kase);
	json_decref(actions);
	json_decref(facts);
	json_decref(items);
	json_decref(evidence);
	json_decref(extensions);
	return err;
}
