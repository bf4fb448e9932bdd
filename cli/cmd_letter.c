/* carewatch letter TEMPLATE --case CASE [--format text|html] [--record-sent] */
#include <stdlib.h>
#include <string.h>
#include "carewatch/letter.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"

static const char *const letter_formats[] = { "text", "html", NULL };

static int run_letter(cw_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *pos[1];
	cw_letter_args a = { .format = CW_FORMAT_TEXT };
	cw_optdate respond_by = { false, 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "the case the letter is about"),
		CW_OPT_ENUM("format", &format, letter_formats,
			"text (default) or html (a printable page)"),
		CW_OPT_FLAG("record-sent", &a.record_sent,
			"tick the checklist task this letter does, dated today"),
		CW_OPT_DATE("respond-by", &respond_by,
			"concerns-provider: the date a written response is asked for (default: in 14 days)"),
		CW_OPT_END
	};
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.name = pos[0];
	a.has_respond_by = respond_by.set;
	a.respond_by = respond_by.v;
	return cw_cli_paper(cli, format, cw_letter_render, &a);
}

static const cw_subcmd subs[] = {
	{ NULL, "TEMPLATE --case CASE [--format text|html] [--record-sent] [--respond-by DATE]",
		"write a letter about a case, headed and signed from the lead commissioner's"
		" details; TEMPLATE is ppm-commenced-provider, ppm-commenced-service-user,"
		" concerns-provider, embargo-placed-provider, embargo-placed-service-user,"
		" embargo-lifted-provider, embargo-lifted-service-user, process-closed-provider,"
		" contract-terminated-provider or lack-of-engagement-provider", run_letter,
		CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_letter = { "letter", "letters to providers and service users", subs };
