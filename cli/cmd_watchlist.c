/* carewatch watchlist [--format table|csv|json|markdown|html|xlsx] | qa record */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "carewatch/qa.h"
#include "carewatch/export.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"
#include "workbook.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "-";
}

static long num(const json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

static const char *stage_short(const char *stage)
{
	if (strcmp(stage, "quality_assurance") == 0)
		return "QA";
	if (strcmp(stage, "provider_performance") == 0)
		return "PPM";
	if (strcmp(stage, "embargo") == 0)
		return "EMBARGO";
	return stage;
}

static const char *band_colour(const char *band)
{
	if (strcmp(band, "red") == 0)
		return "\033[1;31m";
	if (strcmp(band, "amber") == 0)
		return "\033[33m";
	if (strcmp(band, "yellow") == 0)
		return "\033[93m";
	if (strcmp(band, "green") == 0)
		return "\033[32m";
	return "";
}

/* Code points in UTF-8 text. */
static int width(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Text in a column `w` code points wide, padded, a cut shown as '~'. */
static void cell(const char *s, int w)
{
	int n = width(s), shown = 0;

	if (n <= w) {
		printf("%s%*s", s, w - n + 1, "");
		return;
	}
	for (; *s; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80 && ++shown == w)
			break;
		putchar(*s);
	}
	fputs("~ ", stdout);
}

/* Flags on their own lines under the row, wrapped to stay under 100 columns. */
static void print_flags(const json_t *flags)
{
	size_t i, col = 0;
	json_t *f;

	json_array_foreach(flags, i, f) {
		const char *name = json_string_value(f);
		size_t n = strlen(name) + (i + 1 < json_array_size(flags) ? 1 : 0);

		if (i == 0) {
			fputs("    flags: ", stdout);
			col = 11;
		} else if (col + 1 + n > 99) {
			fputs("\n           ", stdout);
			col = 11;
		} else {
			putchar(' ');
			col++;
		}
		printf("%s%s", name, i + 1 < json_array_size(flags) ? "," : "");
		col += n;
	}
	if (json_array_size(flags))
		putchar('\n');
}

/* An aligned table under 100 columns; flags go on their own line. */
static void print_table(cw_cli *cli, json_t *rows)
{
	size_t i;
	json_t *r;

	if (json_array_size(rows) == 0) {
		puts("The watch list is empty.");
		return;
	}
	printf("%-24s %-7s %-7s %3s %-11s %4s %3s %3s %-11s %-9s %3s\n", "PROVIDER", "STAGE",
		"BAND", "MAX", "R/A/Y/G", "POVA", "OVD", "TSK", "NEXT REV", "TREND", "NEW");
	json_array_foreach(rows, i, r) {
		const char *band = str(r, "band");
		char rayg[32], review[24];
		char *flags = cw_export_value_text(json_object_get(r, "flags"));

		cell(str(r, "provider"), 24);
		cell(stage_short(str(r, "stage")), 7);
		if (cli->tty && *band_colour(band))
			printf("%s%-7s\033[0m ", band_colour(band), band);
		else
			cell(band, 7);
		snprintf(rayg, sizeof(rayg), "%ld/%ld/%ld/%ld", num(r, "red"), num(r, "amber"),
			num(r, "yellow"), num(r, "green"));
		snprintf(review, sizeof(review), "%s%s", str(r, "next_review"),
			json_is_true(json_object_get(r, "review_overdue")) ? "!" : "");
		printf("%3ld %-11s %4ld %3ld %3ld ", num(r, "max_score"), rayg,
			num(r, "pova_referrals"), num(r, "overdue_actions"), num(r, "open_tasks"));
		cell(review, 11);
		cell(str(r, "trend"), 9);
		printf("%3ld\n", num(r, "new_since_last_qa"));
		print_flags(json_object_get(r, "flags"));
		free(flags);
	}
}

static int run_watchlist(cw_cli *cli, int argc, char **argv)
{
	static const char *const formats[] = { "table", "csv", "json", "markdown", "html", "xlsx",
		NULL };
	const char *format = "table", *file = NULL;
	const cw_opt opts[] = {
		CW_OPT_ENUM("format", &format, formats,
			"table (default), csv, json, markdown or html (the QA agenda, html with"
			" pictures of risk) or xlsx (a workbook)"),
		CW_OPT_STRING("out", &file, "FILE", "xlsx: write the workbook to FILE"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	if (file && strcmp(format, "xlsx") != 0)
		return cw_error_at("out", CW_EINVALID, "--out is for --format xlsx");
	if (strcmp(format, "markdown") == 0 || strcmp(format, "html") == 0) {
		char *base = cw_cli_rules_dir(cli);

		err = strcmp(format, "html") == 0 ? cw_watchlist_agenda_html(cli->db, base, &out)
			: cw_watchlist_agenda_render(cli->db, base, &out);
		free(base);
		if (err != CW_OK)
			return err;
		if (!cli->json)
			cli->raw = cw_strdup(json_string_value(json_object_get(out, "text")));
		json_object_del(out, "text");
		cw_cli_result(cli, out, NULL, NULL);
		return CW_OK;
	}
	if ((err = cw_watchlist(cli->db, &out)) != CW_OK)
		return err;
	if (strcmp(format, "xlsx") == 0) {
		json_decref(out);
		return cw_cli_workbook_export(cli, file, CW_EXPORT_WATCHLIST);
	}
	if (strcmp(format, "csv") == 0 && !cli->json)
		cli->raw = cw_export_csv(out, cw_export_columns(CW_EXPORT_WATCHLIST));
	if (strcmp(format, "json") == 0)
		cli->json = true;
	cw_cli_result(cli, out, print_table, NULL);
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
	json_array_foreach(json_object_get(m, "actions"), i, x)
		printf("  %s (%s, by %s%s)\n", json_string_value(json_object_get(x, "text")),
			json_string_value(json_object_get(x, "owner")),
			json_string_value(json_object_get(x, "due")),
			json_is_true(json_object_get(x, "overdue")) ? ", overdue" : "");
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

static const cw_subcmd watchlist_subs[] = {
	{ NULL, "[--format table|csv|json|markdown|html|xlsx] [--out FILE]", "the watch list for the monthly QA meeting",
		run_watchlist, 0 },
	{ 0 }
};

static const cw_subcmd qa_subs[] = {
	{ "record", "--date DATE [--present NAME]... [--apology NAME]... [--decision TEXT]..."
		" [--action \"TEXT|OWNER|DUE\"]...",
		"record a QA meeting and snapshot the watch list", run_qa_record, CW_CMD_WRITE },
	{ "list", "", "the QA meetings, newest first", run_qa_list, 0 },
	{ "show", "DATE|ID", "a QA meeting with its minutes", run_qa_show, 0 },
	{ 0 }
};

const cw_family cw_family_watchlist = { "watchlist", "the watch list", watchlist_subs };
const cw_family cw_family_qa = { "qa", "the monthly quality-assurance meeting", qa_subs };
