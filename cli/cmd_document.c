/* carewatch document NAME --case CASE [--meeting ID] [--format markdown|html|text] */
#include <stdlib.h>
#include <string.h>
#include "carewatch/document.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"
#include "workbook.h"
#include "carewatch/xlsx.h"

static const char *const document_formats[] = { "markdown", "html", "text", "xlsx", NULL };

static int write_plan(cw_cli *cli, void *arg, const char *path, json_t **out)
{
	return cw_xlsx_action_plan(cli->db, arg, path, out);
}

static int run_document(cw_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *pos[1], *file = NULL;
	cw_document_args a = { NULL, NULL, NULL, CW_FORMAT_MARKDOWN };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "the case the document is about"),
		CW_OPT_STRING("meeting", &a.meeting, "ID",
			"ppm-record and ppm-attendance: the meeting (id or prefix; default the"
			" latest), or 'next' for a sheet to sign at the next meeting"),
		CW_OPT_ENUM("format", &format, document_formats,
			"markdown (default), html (a printable A4 page), text, or xlsx (the action"
			" plan as a workbook)"),
		CW_OPT_STRING("out", &file, "FILE", "xlsx: write the workbook to FILE"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.name = pos[0];
	if (file && !(format && strcmp(format, "xlsx") == 0))
		return cw_error_at("out", CW_EINVALID, "--out is for --format xlsx");
	if (format && strcmp(format, "xlsx") == 0) {
		if (strcmp(a.name, "action-plan") != 0)
			return cw_error_at("format", CW_EINVALID, "only the action plan is a workbook;"
				" print %.40s as markdown, html or text", a.name);
		if (a.meeting)
			return cw_error_at("meeting", CW_EINVALID, "--meeting is for ppm-attendance and"
				" ppm-record; action-plan is not about one meeting");
		return cw_cli_workbook(cli, file, write_plan, (void *)a.case_ref);
	}
	if (format && (err = cw_format_parse(format, &a.format)) != CW_OK)
		return err;
	err = cw_document_render(cli->db, &a, &out);
	return err != CW_OK ? err : cw_cli_paper(cli, out);
}

static const cw_subcmd subs[] = {
	{ NULL, "NAME --case CASE [--meeting ID] [--format markdown|html|text|xlsx] [--out FILE]",
		"a meeting document of a case; NAME is ppm-agenda, ppm-attendance, ppm-record,"
		" action-plan, suspension-form or restart-form", run_document, 0 },
	{ 0 }
};

const cw_family cw_family_document = { "document", "meeting documents, forms and action plans",
	subs };
