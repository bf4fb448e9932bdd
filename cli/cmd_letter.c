/* carewatch letter TEMPLATE --case CASE [--format text|html] */
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
	cw_letter_args a = { NULL, NULL, CW_FORMAT_TEXT };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "the case the letter is about"),
		CW_OPT_ENUM("format", &format, letter_formats,
			"text (default) or html (a printable page)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.name = pos[0];
	if (format && (err = cw_format_parse(format, &a.format)) != CW_OK)
		return err;
	err = cw_letter_render(cli->db, &a, &out);
	return err != CW_OK ? err : cw_cli_paper(cli, out);
}

static const cw_subcmd subs[] = {
	{ NULL, "TEMPLATE --case CASE [--format text|html]",
		"write a letter about a case; TEMPLATE is ppm-commenced-provider,"
		" ppm-commenced-service-user, embargo-placed-provider, embargo-lifted-provider,"
		" process-closed-provider or lack-of-engagement-provider", run_letter, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_letter = { "letter", "letters to providers and service users", subs };
