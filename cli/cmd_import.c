/* carewatch import providers|concerns FILE.csv | export concerns|cases|actions */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "carewatch/import.h"
#include "carewatch/export.h"
#include "carewatch/buf.h"
#include "carewatch/file.h"
#include "args.h"
#include "output.h"

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

static int run_import(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	const char *pos[2];
	char *text = NULL;
	size_t len = 0;
	json_t *out = NULL;
	cw_import_kind kind;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 2, 2)) != CW_OK)
		return err;
	if (strcmp(pos[0], "providers") == 0)
		kind = CW_IMPORT_PROVIDERS;
	else if (strcmp(pos[0], "concerns") == 0)
		kind = CW_IMPORT_CONCERNS;
	else
		return cw_error(CW_EINVALID, "import what? '%.40s' is not providers or concerns", pos[0]);
	if (cli->input_path && strcmp(cli->input_path, pos[1]) == 0) {
		text = cli->input;     /* read by main before the transaction */
		len = cli->input_len;
	} else if ((err = cw_cli_read_input(pos[1], &text, &len)) != CW_OK) {
		return err;
	}
	err = cw_import_csv(cli->db, kind, text, len, pos[1], &out);
	if (text != cli->input)
		free(text);
	if (err != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_export(cw_cli *cli, int argc, char **argv)
{
	static const char *const formats[] = { "csv", "json", NULL };
	const char *format = "csv", *pos[1];
	const cw_opt opts[] = {
		CW_OPT_ENUM("format", &format, formats, "csv (RFC 4180, default) or json"),
		CW_OPT_END
	};
	cw_export_kind kind;
	json_t *rows = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_export_parse(pos[0], &kind)) != CW_OK ||
	    (err = cw_export_rows(cli->db, kind, &rows)) != CW_OK)
		return err;
	if (strcmp(format, "csv") == 0 && !cli->json)
		cli->raw = cw_export_csv(rows, cw_export_columns(kind));
	cw_cli_result(cli, rows, NULL, NULL);
	return CW_OK;
}

static const cw_subcmd import_subs[] = {
	{ NULL, "providers|concerns FILE.csv", "import a monitoring spreadsheet (all or nothing)",
		run_import, CW_CMD_WRITE | CW_CMD_INPUT },
	{ 0 }
};

static const cw_subcmd export_subs[] = {
	{ NULL, "concerns|cases|actions [--format csv|json]", "export for a spreadsheet or partners",
		run_export, 0 },
	{ 0 }
};

const cw_family cw_family_import = { "import", "import from CSV", import_subs };
const cw_family cw_family_export = { "export", "export as CSV or JSON", export_subs };
