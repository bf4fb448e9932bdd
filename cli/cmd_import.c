/* carewatch import providers|concerns FILE.csv | export concerns|cases|actions */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "carewatch/import.h"
#include "carewatch/export.h"
#include "carewatch/ratings.h"
#include "carewatch/buf.h"
#include "carewatch/file.h"
#include "args.h"
#include "output.h"
#include "progress.h"
#include "workbook.h"

#define MAX_IMPORT_BYTES (256L * 1024 * 1024)

/* A file named on the command line that cannot be read is invalid input. */
int cw_cli_read_input(const char *path, char **text, size_t *len)
{
	FILE *f = cw_file_open_regular(path, false, "the file");
	struct stat sb;
	char *buf;
	size_t n;

	if (!f)
		return cw_error_code();
	if (fstat(fileno(f), &sb) != 0) {
		fclose(f);
		return cw_error(CW_EINVALID, "%s: cannot read: %s", path, strerror(errno));
	}
	if (sb.st_size > MAX_IMPORT_BYTES) {
		fclose(f);
		return cw_error(CW_EINVALID, "%s: too large to import (over 256 MB)", path);
	}
	buf = cw_malloc((size_t)sb.st_size + 1);
	n = fread(buf, 1, (size_t)sb.st_size, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return cw_error(CW_EINVALID, "%s: cannot read: %s", path, strerror(errno));
	}
	fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return CW_OK;
}

/* "1 row", "2 rows": in one of a few rotating buffers, for one printf. */
static const char *count(const json_t *o, const char *key, const char *one, const char *many)
{
	static char bufs[5][48];
	static int next;
	char *b = bufs[next++ % 5];
	long long n = (long long)json_integer_value(json_object_get(o, key));

	snprintf(b, sizeof(bufs[0]), "%lld %s", n, n == 1 ? one : many);
	return b;
}

/* What the regulator's file did, and the locations no provider has, a screenful at most. */
static void print_ratings(cw_cli *cli, json_t *out)
{
	json_t *list = json_object_get(out, "unmatched"), *e;
	size_t i, n = json_array_size(list);

	(void)cli;
	printf("%s ratings from %s: %s; %s matched a provider; %s recorded, %s already known;"
		" %s without a rating.\n",
		json_string_value(json_object_get(out, "regulator")),
		json_string_value(json_object_get(out, "file")),
		count(out, "rows", "row", "rows"), count(out, "matched", "location", "locations"),
		count(out, "recorded", "rating", "ratings"), count(out, "unchanged", "rating", "ratings"),
		count(out, "unrated", "row", "rows"));
	if (n == 0)
		return;
	printf("%zu location%s in the file match no provider's regulator id%s:\n", n,
		n == 1 ? "" : "s", n > 20 ? " (the first 20; --json lists them all)" : "");
	json_array_foreach(list, i, e) {
		if (i == 20)
			break;
		printf("  %-16s %s\n", json_string_value(json_object_get(e, "location_id")),
			json_string_value(json_object_get(e, "name")));
	}
}

/* The columns of each file, for --help: what a council's spreadsheet needs. */
static void print_columns(void)
{
	static const struct { cw_import_kind kind; const char *name; } kinds[] = {
		{ CW_IMPORT_PROVIDERS, "providers" }, { CW_IMPORT_CONCERNS, "concerns" },
	};
	const char *name;
	bool required;
	size_t k;
	int i;

	printf("\nThe first row names the columns, in any order (UTF-8, a byte-order mark\n"
		"is fine; dates YYYY-MM-DD or DD/MM/YYYY):\n");
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		printf("  %-10s", kinds[k].name);
		for (i = 0; cw_import_column(kinds[k].kind, i, &name, &required); i++)
			printf("%s%s%s", i ? ", " : " ", name, required ? " (required)" : "");
		putchar('\n');
	}
	printf("  ratings    the regulator's published file (CQC or CIW), as downloaded\n"
		"A concern already in the database (same provider, received date, summary and\n"
		"source) is refused, naming its line, unless --allow-duplicates.\n");
}

static int run_import(cw_cli *cli, int argc, char **argv)
{
	bool dups = false;
	const cw_opt opts[] = {
		CW_OPT_FLAG("allow-duplicates", &dups,
			"import concerns the database already has (same file twice)"),
		CW_OPT_END
	};
	const char *pos[2];
	char *text = NULL;
	size_t len = 0;
	json_t *out = NULL;
	cw_import_kind kind = CW_IMPORT_PROVIDERS;
	cw_buf what = CW_BUF_INIT;
	cw_cli_progress bar;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 2, 2)) != CW_OK) {
		if (err == CW_HELP_SHOWN)
			print_columns();
		return err;
	}
	if (strcmp(pos[0], "providers") == 0)
		kind = CW_IMPORT_PROVIDERS;
	else if (strcmp(pos[0], "concerns") == 0)
		kind = CW_IMPORT_CONCERNS;
	else if (strcmp(pos[0], "ratings") != 0)
		return cw_error(CW_EINVALID, "import what? '%.40s' is not providers, concerns or ratings",
			pos[0]);
	if (cli->input_path && strcmp(cli->input_path, pos[1]) == 0) {
		text = cli->input;     /* read by main before the transaction */
		len = cli->input_len;
	} else if ((err = cw_cli_read_input(pos[1], &text, &len)) != CW_OK) {
		return err;
	}
	cw_buf_printf(&what, "importing %.60s", pos[1]);
	cw_cli_progress_start(&bar, cw_buf_cstr(&what), "rows");
	if (strcmp(pos[0], "ratings") == 0)
		err = cw_ratings_import(cli->db, text, len, pos[1], &out);
	else
		err = cw_import_csv_ex(cli->db, kind, text, len, pos[1], dups, &out);
	cw_cli_progress_stop(&bar);
	cw_buf_free(&what);
	if (text != cli->input)
		free(text);
	if (err != CW_OK)
		return err;
	if (strcmp(pos[0], "ratings") == 0) {
		cw_cli_result(cli, out, print_ratings, NULL);
		return CW_OK;
	}
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_export(cw_cli *cli, int argc, char **argv)
{
	static const char *const formats[] = { "csv", "json", "xlsx", NULL };
	const char *format = "csv", *pos[1], *file = NULL;
	const cw_opt opts[] = {
		CW_OPT_ENUM("format", &format, formats, "csv (RFC 4180, default), json or xlsx"),
		CW_OPT_WORKBOOK_OUT(&file),
		CW_OPT_END
	};
	cw_export_kind kind;
	json_t *rows = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	if ((err = cw_cli_workbook_out(format, file)) != CW_OK)
		return err;
	if ((err = cw_export_parse(pos[0], &kind)) != CW_OK)
		return err;
	if (cw_cli_is_workbook(format))
		return cw_cli_workbook_export(cli, file, kind);
	if ((err = cw_export_rows(cli->db, kind, &rows)) != CW_OK)
		return err;
	if (strcmp(format, "csv") == 0 && !cli->json)
		cli->raw = cw_export_csv(rows, cw_export_columns(kind));
	cw_cli_result(cli, rows, NULL, NULL);
	return CW_OK;
}

static const cw_subcmd import_subs[] = {
	{ NULL, "providers|concerns|ratings FILE.csv",
		"import a monitoring spreadsheet, or the regulator's ratings (all or nothing)",
		run_import, CW_CMD_WRITE | CW_CMD_INPUT },
	{ 0 }
};

static const cw_subcmd export_subs[] = {
	{ NULL, "concerns|cases|actions [--format csv|json|xlsx] [--out FILE]", "export for a spreadsheet or partners",
		run_export, 0 },
	{ 0 }
};

const cw_family cw_family_import = { "import", "import from CSV", import_subs };
const cw_family cw_family_export = { "export", "export as CSV, JSON or an Excel workbook",
	export_subs };
