/* carewatch watchlist [--format table|csv|json|markdown] | qa record */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/watchlist.h"
#include "carewatch/buf.h"
#include "carewatch/markdown.h"
#include "args.h"
#include "output.h"

static const cw_col csv_cols[] = {
	{ "provider_id", "", 0 }, { "provider", "", 0 }, { "type", "", 0 }, { "stage", "", 0 },
	{ "band", "", 0 }, { "computed_band", "", 0 }, { "agreed_band", "", 0 },
	{ "max_score", "", 0 }, { "open_concerns", "", 0 }, { "red", "", 0 }, { "amber", "", 0 },
	{ "yellow", "", 0 }, { "green", "", 0 }, { "pova_referrals", "", 0 },
	{ "overdue_actions", "", 0 }, { "open_tasks", "", 0 }, { "next_review", "", 0 },
	{ "review_overdue", "", 0 }, { "trend", "", 0 }, { "new_since_last_qa", "", 0 },
	{ "placements", "", 0 }, { "flags", "", 0 },
	CW_COL_END
};

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
		char *flags = cw_value_text(json_object_get(r, "flags"));

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

/* Markdown text: the engine's one escaping function (carewatch/markdown.h). */
static void md(cw_buf *b, const char *s)
{
	cw_md_escape(b, s);
}

static void md_concern(cw_buf *b, const json_t *c)
{
	cw_buf_puts(b, "- ");
	md(b, str(c, "received"));
	cw_buf_puts(b, " — **");
	md(b, str(c, "provider"));
	cw_buf_puts(b, "**: ");
	md(b, str(c, "summary"));
	if (json_is_integer(json_object_get(c, "score"))) {
		cw_buf_printf(b, " (score %ld, ", num(c, "score"));
		md(b, str(c, "band"));
		cw_buf_puts(b, ")");
	}
	if (strcmp(str(c, "source"), "pova_referral") == 0) {
		cw_buf_puts(b, " — POVA ");
		md(b, str(c, "pova_ref"));
	}
	cw_buf_puts(b, "\n");
}

static char *agenda_markdown(const json_t *a)
{
	cw_buf b = CW_BUF_INIT;
	const char *team;
	json_t *list, *e;
	size_t i;

	cw_buf_puts(&b, "# Monthly Quality Assurance Meeting — agenda\n\n**Date:** ");
	md(&b, str(a, "date"));
	cw_buf_puts(&b, "  \n**Previous meeting:** ");
	md(&b, str(a, "last_qa"));
	cw_buf_puts(&b, "\n\n## 1. Introductions and apologies\n\n## 2. Minutes of the previous meeting\n\n"
		"## 3. Providers already under the provider performance protocol\n\n");
	list = json_object_get(a, "under_protocol");
	if (json_array_size(list) == 0)
		cw_buf_puts(&b, "None.\n");
	else
		cw_buf_puts(&b, "| Provider | Stage | Level | Agreed | Max | Overdue actions | Open tasks | Next review | Flags |\n"
			"|---|---|---|---|---|---|---|---|---|\n");
	json_array_foreach(list, i, e) {
		char *flags = cw_value_text(json_object_get(e, "flags"));

		cw_buf_puts(&b, "| ");
		md(&b, str(e, "provider"));
		cw_buf_puts(&b, " | ");
		md(&b, str(e, "stage"));
		cw_buf_puts(&b, " | ");
		md(&b, str(e, "band"));
		cw_buf_puts(&b, " | ");
		md(&b, str(e, "agreed_band"));
		cw_buf_printf(&b, " | %ld | %ld | %ld | ", num(e, "max_score"),
			num(e, "overdue_actions"), num(e, "open_tasks"));
		md(&b, str(e, "next_review"));
		cw_buf_puts(&b, " | ");
		md(&b, flags);
		cw_buf_puts(&b, " |\n");
		free(flags);
	}
	cw_buf_puts(&b, "\n### Watch list\n\n| Provider | Level | Computed | Max | R/A/Y/G | POVA | Trend | New | Flags |\n"
		"|---|---|---|---|---|---|---|---|---|\n");
	json_array_foreach(json_object_get(a, "rows"), i, e) {
		char *flags = cw_value_text(json_object_get(e, "flags"));

		cw_buf_puts(&b, "| ");
		md(&b, str(e, "provider"));
		cw_buf_puts(&b, " | ");
		md(&b, str(e, "band"));
		cw_buf_puts(&b, " | ");
		md(&b, str(e, "computed_band"));
		cw_buf_printf(&b, " | %ld | %ld/%ld/%ld/%ld | %ld | ", num(e, "max_score"),
			num(e, "red"), num(e, "amber"), num(e, "yellow"), num(e, "green"),
			num(e, "pova_referrals"));
		md(&b, str(e, "trend"));
		cw_buf_printf(&b, " | %ld | ", num(e, "new_since_last_qa"));
		md(&b, flags);
		cw_buf_puts(&b, " |\n");
		free(flags);
	}
	cw_buf_puts(&b, "\n## 4. New concerns regarding contracted services (since ");
	md(&b, str(a, "new_since"));
	cw_buf_puts(&b, ")\n\n");
	if (json_object_size(json_object_get(a, "new_concerns")) == 0)
		cw_buf_puts(&b, "None.\n");
	json_object_foreach(json_object_get(a, "new_concerns"), team, list) {
		cw_buf_puts(&b, "\n### ");
		md(&b, team);
		cw_buf_puts(&b, "\n\n");
		json_array_foreach(list, i, e)
			md_concern(&b, e);
	}
	cw_buf_puts(&b, "\n## 5. Positive feedback regarding contracted services\n\n");
	if (json_array_size(json_object_get(a, "positive")) == 0)
		cw_buf_puts(&b, "None.\n");
	json_array_foreach(json_object_get(a, "positive"), i, e)
		md_concern(&b, e);
	cw_buf_puts(&b, "\n## 6. Overdue actions and tasks\n\n");
	if (!json_array_size(json_object_get(a, "overdue_actions")) &&
	    !json_array_size(json_object_get(a, "open_tasks")))
		cw_buf_puts(&b, "None.\n");
	json_array_foreach(json_object_get(a, "overdue_actions"), i, e) {
		cw_buf_puts(&b, "- Action (");
		md(&b, str(e, "kind"));
		cw_buf_puts(&b, ", due ");
		md(&b, str(e, "due"));
		cw_buf_puts(&b, ", ");
		md(&b, str(e, "owner"));
		cw_buf_puts(&b, "): ");
		md(&b, str(e, "improvement"));
		cw_buf_puts(&b, "\n");
	}
	json_array_foreach(json_object_get(a, "open_tasks"), i, e) {
		cw_buf_puts(&b, "- Task for **");
		md(&b, str(e, "provider"));
		cw_buf_puts(&b, "** (since ");
		md(&b, str(e, "created"));
		cw_buf_puts(&b, "): ");
		md(&b, str(e, "task"));
		cw_buf_puts(&b, "\n");
	}
	cw_buf_puts(&b, "\n## 7. Any other business\n\n## 8. Summary of actions\n\n"
		"## 9. Date and time of next meeting\n\n");
	md(&b, str(a, "next_meeting"));
	cw_buf_puts(&b, "\n");
	return cw_buf_detach(&b);
}

static int run_watchlist(cw_cli *cli, int argc, char **argv)
{
	static const char *const formats[] = { "table", "csv", "json", "markdown", NULL };
	const char *format = "table";
	const cw_opt opts[] = {
		CW_OPT_ENUM("format", &format, formats, "table (default), csv, json or markdown (the QA agenda)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	if (strcmp(format, "markdown") == 0) {
		if ((err = cw_watchlist_agenda(cli->db, &out)) != CW_OK)
			return err;
		if (!cli->json)
			cli->raw = agenda_markdown(out);
		cw_cli_result(cli, out, NULL, NULL);
		return CW_OK;
	}
	if ((err = cw_watchlist(cli->db, &out)) != CW_OK)
		return err;
	if (strcmp(format, "csv") == 0 && !cli->json)
		cli->raw = cw_rows_csv(out, csv_cols);
	if (strcmp(format, "json") == 0)
		cli->json = true;
	cw_cli_result(cli, out, print_table, NULL);
	return CW_OK;
}

static int run_qa_record(cw_cli *cli, int argc, char **argv)
{
	cw_optdate date = { 0 };
	cw_strlist present = { 0 };
	const cw_opt opts[] = {
		CW_OPT_DATE_REQ("date", &date, "the date the meeting was held"),
		CW_OPT_LIST("present", &present, "NAME", "someone present"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) == CW_OK &&
	    (err = cw_qa_record(cli->db, date.v, present.v, (size_t)present.n, &out)) == CW_OK)
		cw_cli_result(cli, out, cw_print_object, NULL);
	cw_strlist_free(&present);
	return err;
}

static const cw_subcmd watchlist_subs[] = {
	{ NULL, "[--format table|csv|json|markdown]", "the watch list for the monthly QA meeting",
		run_watchlist, 0 },
	{ 0 }
};

static const cw_subcmd qa_subs[] = {
	{ "record", "--date DATE [--present NAME]...", "record a QA meeting and snapshot the watch list",
		run_qa_record, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_watchlist = { "watchlist", "the watch list", watchlist_subs };
const cw_family cw_family_qa = { "qa", "the monthly quality-assurance meeting", qa_subs };
