#ifndef CW_CLI_WORKBOOK_H
#define CW_CLI_WORKBOOK_H
/*
 * Where a workbook goes: the file named by --out, else stdout when it is
 * not a terminal (a zip file is never written to a screen).
 */
#include <jansson.h>
#include "carewatch/export.h"
#include "carewatch/xlsx.h"
#include "args.h"
#include "cli.h"
#include "output.h"

/* --out FILE, which only --format xlsx takes: declared once here for every
 * command that writes a workbook, and checked with cw_cli_workbook_out. */
#define CW_OPT_WORKBOOK_OUT(d) \
	CW_OPT_STRING("out", d, "FILE", "xlsx: write the workbook to FILE")

/* Whether --format `format` (NULL: the command's default) is xlsx. */
bool cw_cli_is_workbook(const char *format);

/* CW_EINVALID when --out `file` comes with a format that is not xlsx. */
int cw_cli_workbook_out(const char *format, const char *file);

/* Writes the workbook to `path`; on CW_OK *out says what was written. */
typedef int (*cw_workbook_fn)(cw_cli *cli, void *arg, const char *path, json_t **out);

/*
 * Run `fn` for --out `out_path` (NULL: none) and record its result, or
 * write to a scratch file and copy it to stdout. CW_EINVALID when stdout
 * is a terminal or --json is asked for without --out.
 */
int cw_cli_workbook(cw_cli *cli, const char *out_path, cw_workbook_fn fn, void *arg);

/* An export (the watch list, concerns, cases, actions) as a workbook, via cw_cli_workbook. */
int cw_cli_workbook_export(cw_cli *cli, const char *out_path, cw_export_kind kind);

#endif
