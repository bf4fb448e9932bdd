/* --format xlsx: the file the user names, or stdout when it is not a terminal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "carewatch/buf.h"
#include "workbook.h"

static int copy_to_stdout(const char *path)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int err = CW_OK;

	if (!f)
		return cw_error(CW_EINTERNAL, "%s: cannot read back the workbook: %s", path,
			strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n) {
			err = cw_error(CW_EINTERNAL, "cannot write the workbook to stdout: %s",
				strerror(errno));
			break;
		}
	if (ferror(f) && err == CW_OK)
		err = cw_error(CW_EINTERNAL, "%s: cannot read back the workbook", path);
	fclose(f);
	return err;
}

bool cw_cli_is_workbook(const char *format)
{
	return format && strcmp(format, "xlsx") == 0;
}

int cw_cli_workbook_out(const char *format, const char *file)
{
	if (file && !cw_cli_is_workbook(format))
		return cw_error_at("out", CW_EINVALID, "--out is for --format xlsx");
	return CW_OK;
}

int cw_cli_workbook(cw_cli *cli, const char *out_path, cw_workbook_fn fn, void *arg)
{
	const char *tmpdir = getenv("TMPDIR");
	json_t *out = NULL;
	cw_buf path = CW_BUF_INIT;
	int fd, err;

	if (out_path) {
		if ((err = fn(cli, arg, out_path, &out)) != CW_OK)
			return err;
		cw_cli_result(cli, out, cw_print_object, NULL);
		return CW_OK;
	}
	if (cli->tty)
		return cw_error_at("out", CW_EINVALID, "a workbook is not for a terminal: name a file"
			" with --out FILE (or redirect the output)");
	if (cli->json)
		return cw_error_at("out", CW_EINVALID, "--json prints what was written: name the"
			" workbook's file with --out FILE");
	cw_buf_printf(&path, "%s/carewatch-XXXXXX.xlsx", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if ((fd = mkstemps(path.ptr, 5)) < 0) {
		err = cw_error(CW_EINTERNAL, "cannot make a scratch file for the workbook: %s",
			strerror(errno));
		goto done;
	}
	close(fd);
	if ((err = fn(cli, arg, path.ptr, &out)) == CW_OK)
		err = copy_to_stdout(path.ptr);
	unlink(path.ptr);
done:
	json_decref(out);
	cw_buf_free(&path);
	return err;
}

static int write_export(cw_cli *cli, void *arg, const char *path, json_t **out)
{
	return cw_xlsx_export(cli->db, *(const cw_export_kind *)arg, path, out);
}

int cw_cli_workbook_export(cw_cli *cli, const char *out_path, cw_export_kind kind)
{
	return cw_cli_workbook(cli, out_path, write_export, &kind);
}
