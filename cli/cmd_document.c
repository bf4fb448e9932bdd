/* carewatch document NAME --case CASE [--meeting ID] [--format markdown|html|text|xlsx] */
#include "carewatch/document.h"
#include "args.h"
#include "output.h"
#include "workbook.h"

static const char *const document_formats[] = { "markdown", "html", "text", "xlsx", NULL };

static int write_workbook(cw_cli *cli, void *arg, const char *path, json_t **out)
{
	return cw_document_workbook(cli->db, arg, path, out);
}

static int run_document(cw_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *pos[1], *file = NULL;
	cw_document_args a = { .format = CW_FORMAT_MARKDOWN };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "the case the document is about"),
		CW_OPT_STRING("meeting", &a.meeting, "ID",
			"ppm-record and ppm-attendance: the meeting (id or prefix; default the"
			" latest), or 'next' for a sheet to sign at the next meeting"),
		CW_OPT_ENUM("format", &format, document_formats,
			"markdown (default), html (a printable A4 page), text, or xlsx (the action"
			" plan as a workbook)"),
		CW_OPT_WORKBOOK_OUT(&file),
		CW_OPT_END
	};
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_cli_workbook_out(format, file)) != CW_OK)
		return err;
	a.name = pos[0];
	if (!cw_cli_is_workbook(format))
		return cw_cli_paper(cli, format, cw_document_render, &a);
	/* What the engine refuses is said before where the workbook would go. */
	if ((err = cw_document_workbook_check(&a)) != CW_OK)
		return err;
	return cw_cli_workbook(cli, file, write_workbook, &a);
}

static const cw_subcmd subs[] = {
	{ NULL, "NAME --case CASE [--meeting ID] [--format markdown|html|text|xlsx] [--out FILE]",
		"a meeting document of a case; NAME is ppm-agenda, ppm-attendance, ppm-record,"
		" action-plan, suspension-form or restart-form", run_document, 0 },
	{ 0 }
};

const cw_family cw_family_document = { "document", "meeting documents, forms and action plans",
	subs };
