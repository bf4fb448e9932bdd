/* carewatch watchlist [--format table|csv|json|markdown|html|xlsx] | qa record */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "carewatch/qa.h"
#include "carewatch/export.h"
#include "carewatch/buf.h"
#include "carewatch/words.h"
#include "args.h"
#include "output.h"
#include "workbook.h"

/* The table's columns; the legend below says what each one means. */
static const cw_col watch_cols[] = {
	{ "provider", "PROVIDER", 24 }, { "stage", "STAGE", 0 },
	{ "level", "LEVEL", 8 }, { "max_score", "MAX", 0 }, { "rayg", "R/A/Y/G", 0 },
	{ "pot", "P/O/T", 0 }, { "review", "NEXT REVIEW", 0 }, { "trend", "TREND", 0 },
	{ "new_since_last_qa", "NEW", 0 }, CW_COL_END
};

static const char *const legend[][2] = {
	{ "STAGE", "of the open case: QA quality assurance, PPM provider performance, embargo"
		" (placements suspended); - no open case" },
	{ "LEVEL", "the provider's overall risk band: agreed, the level the last meeting agreed,"
		" newer than every open concern; computed, the highest band of its open concerns" },
	{ "MAX", "the highest score (likelihood x impact) of an open concern" },
	{ "R/A/Y/G", "open concerns in the red, amber, yellow and green bands" },
	{ "P/O/T", "POVA referrals received within the large-scale POVA window / action-plan"
		" items past their due date / open tasks of the case" },
	{ "NEXT REVIEW", "the next provider performance meeting; ! marks a review that is overdue" },
	{ "TREND", "the level since the last QA meeting: up, same, down, or new (not on the"
		" last list)" },
	{ "NEW", "concerns received since the last QA meeting" },
	{ "group", "under a row: the provider group it belongs to (concerns across a group"
		" count together)" },
	{ "flags", "under a row: prompts for people to judge (see rules show)" },
};

/* Text wrapped to `width` at spaces, the first line after `lead`, the
 * others indented as far. */
static void print_wrapped(const char *lead, const char *text, int width)
{
	int indent = (int)strlen(lead), col = indent;
	const char *p = text;

	fputs(lead, stdout);
	while (*p) {
		const char *sp = strchr(p, ' ');
		int n = sp ? (int)(sp - p) : (int)strlen(p);

		if (col > indent && col + 1 + n > width) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, (size_t)n, stdout);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

static void print_legend(int width)
{
	size_t i;

	puts("Legend:");
	for (i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
		char lead[32];

		snprintf(lead, sizeof(lead), "  %-11s  ", legend[i][0]);
		print_wrapped(lead, legend[i][1], width);
	}
}

/* A row's group and flags in words under it. */
static void print_under(void *arg, size_t i, int width)
{
	const cw_watch_row *r = cw_watch_list_row(arg, i);
	cw_buf b = CW_BUF_INIT;

	if (r->group && *r->group) {
		char *t = cw_term_text(r->group);

		print_wrapped("    group: ", t, width);
		free(t);
	}
	if (!r->nflags)
		return;
	for (size_t k = 0; k < r->nflags; k++) {
		const char *w = cw_flag_words(r->flags[k]);

		cw_buf_printf(&b, "%s%s", k ? "; " : "", *w ? w : r->flags[k]);
	}
	print_wrapped("    flags: ", cw_buf_cstr(&b), width);
	cw_buf_free(&b);
}

/* "up" and "down" keep the column narrow; the legend says what they mean. */
static const char *trend_short(const char *trend)
{
	if (!trend)
		return "-";
	if (strcmp(trend, "increased") == 0)
		return "up";
	if (strcmp(trend, "decreased") == 0)
		return "down";
	return trend;
}

/* A cell as the table shows it: stage short, level marked, counts joined. */
static char *watch_cell(void *arg, size_t i, int col)
{
	const cw_watch_row *r = cw_watch_list_row(arg, i);
	const char *key = watch_cols[col].key;
	const char *band = r->band != CW_BAND_NONE ? cw_band_name(r->band) : NULL;
	cw_buf b = CW_BUF_INIT;

	if (strcmp(key, "provider") == 0)
		return cw_term_text(r->provider);
	if (strcmp(key, "stage") == 0)
		cw_buf_puts(&b, r->stage ? cw_stage_abbrev(r->stage) : "-");
	else if (strcmp(key, "level") == 0)
		cw_buf_printf(&b, "%s%s", band ? band : "-", !band ? ""
			: r->agreed_band == r->band ? ", agreed" : ", computed");
	else if (strcmp(key, "max_score") == 0)
		cw_buf_printf(&b, "%d", r->max_score);
	else if (strcmp(key, "rayg") == 0)
		cw_buf_printf(&b, "%d/%d/%d/%d", r->red, r->amber, r->yellow, r->green);
	else if (strcmp(key, "pot") == 0)
		cw_buf_printf(&b, "%d/%d/%d", r->pova_referrals, r->overdue_actions, r->open_tasks);
	else if (strcmp(key, "review") == 0)
		cw_buf_printf(&b, "%s%s", r->next_review ? r->next_review : "-",
			r->review_overdue ? "!" : "");
	else if (strcmp(key, "trend") == 0)
		cw_buf_puts(&b, trend_short(r->trend));
	else
		cw_buf_printf(&b, "%d", r->new_since_last_qa);
	return cw_buf_detach(&b);
}

/* The table fitted to the terminal, flags in words under each row, the
 * legend under it all. */
static void print_table(cw_cli *cli, json_t *unused)
{
	const cw_watch_list *l = cli->data;

	(void)unused;
	if (cw_watch_list_count(l) == 0) {
		puts("The watch list is empty.");
		return;
	}
	cw_print_cells(cw_watch_list_count(l), watch_cols, cw_term_width(), watch_cell, print_under,
		(void *)l);
	putchar('\n');
	print_legend(cw_term_width());
}

static void free_list(void *l)
{
	cw_watch_list_free(l);
}

/* The table reads the typed rows, after commit: no JSON of the list is made. */
static int watchlist_table(cw_cli *cli)
{
	cw_watch_list *l = NULL;
	int err;

	if ((err = cw_watchlist_rows(cli->db, &l)) != CW_OK)
		return err;
	cw_cli_result_data(cli, l, free_list, print_table);
	return CW_OK;
}

static int run_watchlist(cw_cli *cli, int argc, char **argv)
{
	static const char *const formats[] = { "table", "csv", "json", "markdown", "html", "xlsx",
		NULL };
	const char *format = "table", *file = NULL;
	bool only_legend = false;
	const cw_opt opts[] = {
		CW_OPT_FLAG("legend", &only_legend, "print what the table's columns and marks mean"),
		CW_OPT_ENUM("format", &format, formats,
			"table (default), csv, json, markdown or html (the QA agenda, html with"
			" pictures of risk) or xlsx (a workbook)"),
		CW_OPT_WORKBOOK_OUT(&file),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	if (only_legend) {
		print_legend(cw_term_width());
		return CW_OK;
	}
	if ((err = cw_cli_workbook_out(format, file)) != CW_OK)
		return err;
	if (strcmp(format, "markdown") == 0 || strcmp(format, "html") == 0) {
		err = strcmp(format, "html") == 0 ? cw_watchlist_agenda_html(cli->db, &out)
			: cw_watchlist_agenda_render(cli->db, &out);
		if (err != CW_OK)
			return err;
		if (!cli->json)
			cli->raw = cw_strdup(json_string_value(json_object_get(out, "text")));
		json_object_del(out, "text");
		cw_cli_result(cli, out, NULL, NULL);
		return CW_OK;
	}
	if (cw_cli_is_workbook(format))
		return cw_cli_workbook_export(cli, file, CW_EXPORT_WATCHLIST);
	if (strcmp(format, "table") == 0 && !cli->json)
		return watchlist_table(cli);
	if ((err = cw_watchlist(cli->db, &out)) != CW_OK)
		return err;
	if (strcmp(format, "csv") == 0 && !cli->json)
		cli->raw = cw_export_csv(out, cw_export_columns(CW_EXPORT_WATCHLIST));
	if (strcmp(format, "json") == 0)
		cli->json = true;
	cw_cli_result(cli, out, NULL, NULL);
	return CW_OK;
}

static const char *const qa_keys[] = { "id", "date", "providers", "created_by", NULL };

/* A QA meeting: its fields, then the lists of its minutes. */
static void print_qa(cw_cli *cli, json_t *m)
{
	static const char *const lists[] = { "present", "apologies", "decisions", NULL };
	json_t *x;
	size_t i;

	cli->print_arg = qa_keys;
	cw_print_object(cli, m);
	for (const char *const *l = lists; *l; l++) {
		printf("\n%s:\n", *l);
		json_array_foreach(json_object_get(m, *l), i, x)
			printf("  %s\n", json_string_value(x));
	}
	printf("\nactions:\n");
	json_array_foreach(json_object_get(m, "actions"), i, x) {
		json_t *p = json_object_get(x, "progress");

		printf("  %lld. %s (%s, by %s%s): %s", (long long)json_integer_value(
			json_object_get(x, "n")), json_string_value(json_object_get(x, "text")),
			json_string_value(json_object_get(x, "owner")),
			json_string_value(json_object_get(x, "due")),
			json_is_true(json_object_get(x, "overdue")) ? ", overdue" : "",
			json_string_value(json_object_get(x, "status")));
		if (p)
			printf(" on %s by %s%s%s", json_string_value(json_object_get(p, "date")),
				json_string_value(json_object_get(p, "by")),
				json_object_get(p, "note") ? ": " : "",
				json_object_get(p, "note") ? json_string_value(json_object_get(p, "note")) : "");
		printf("\n");
	}
}

static int run_qa_record(cw_cli *cli, int argc, char **argv)
{
	cw_optdate date = { 0 };
	cw_strlist present = { 0 }, apologies = { 0 }, decisions = { 0 }, actions = { 0 };
	const cw_opt opts[] = {
		CW_OPT_DATE_REQ("date", &date, "the date the meeting was held"),
		CW_OPT_LIST("present", &present, "NAME", "someone present"),
		CW_OPT_LIST("apology", &apologies, "NAME", "someone who sent apologies"),
		CW_OPT_LIST("decision", &decisions, "TEXT", "a decision of the meeting"),
		CW_OPT_LIST("action", &actions, "\"TEXT|OWNER|DUE\"", "an action: what, who, by when"),
		CW_OPT_END
	};
	cw_qa_args a = { 0 };
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) == CW_OK) {
		a.date = date.v;
		a.present = present.v;
		a.npresent = (size_t)present.n;
		a.apologies = apologies.v;
		a.napologies = (size_t)apologies.n;
		a.decisions = decisions.v;
		a.ndecisions = (size_t)decisions.n;
		a.actions = actions.v;
		a.nactions = (size_t)actions.n;
		if ((err = cw_qa_record_meeting(cli->db, &a, &out)) == CW_OK)
			cw_cli_result(cli, out, print_qa, NULL);
	}
	cw_strlist_free(&present);
	cw_strlist_free(&apologies);
	cw_strlist_free(&decisions);
	cw_strlist_free(&actions);
	return err;
}

static const cw_col qa_cols[] = {
	{ "date", "DATE", 0 }, { "providers", "PROVIDERS", 0 }, { "created_by", "BY", 20 },
	{ "id", "ID", 0 }, CW_COL_END
};

static int run_qa_list(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_list(cli, argc, argv, cw_qa_list, cw_print_table, qa_cols);
}

static int run_qa_show(cw_cli *cli, int argc, char **argv)
{
	const char *pos[1];
	const cw_opt opts[] = { CW_OPT_END };
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_qa_show(cli->db, pos[0], &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_qa, NULL);
	return CW_OK;
}

static const char *const qa_statuses[] = { "ongoing", "done", NULL };

static int run_qa_progress(cw_cli *cli, int argc, char **argv)
{
	const char *pos[1], *status = NULL, *note = NULL;
	cw_optint n = { 0 };
	const cw_opt opts[] = {
		CW_OPT_INT_REQ("action", &n, "N", "the action's number, as 'qa show' lists it"),
		CW_OPT_ENUM_REQ("status", &status, qa_statuses, "where the action stands"),
		CW_OPT_STRING("note", &note, "TEXT", "what was done or what is left"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_qa_progress(cli->db, pos[0], n.v, status, note, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_qa, NULL);
	return CW_OK;
}

static const cw_subcmd watchlist_subs[] = {
	{ NULL, "[--format table|csv|json|markdown|html|xlsx] [--out FILE] | --legend", "the watch list for the monthly QA meeting",
		run_watchlist, 0 },
	{ 0 }
};

static const cw_subcmd qa_subs[] = {
	{ "record", "--date DATE [--present NAME]... [--apology NAME]... [--decision TEXT]..."
		" [--action \"TEXT|OWNER|DUE\"]...",
		"record a QA meeting and snapshot the watch list", run_qa_record, CW_CMD_WRITE },
	{ "list", "", "the QA meetings, newest first", run_qa_list, 0 },
	{ "show", "DATE|ID", "a QA meeting with its minutes", run_qa_show, 0 },
	{ "progress", "DATE|ID --action N --status ongoing|done [--note TEXT]",
		"report progress on one of a QA meeting's actions", run_qa_progress, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_watchlist = { "watchlist", "the watch list", watchlist_subs };
const cw_family cw_family_qa = { "qa", "the monthly quality-assurance meeting", qa_subs };
