/* carewatch demo */
#include "carewatch/demo.h"
#include "args.h"
#include "output.h"
#include "progress.h"

static int run_demo(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	cw_cli_progress bar;
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	cw_cli_progress_start(&bar, "building the demo area", "items");
	err = cw_demo_fill(cli->db, &out);
	cw_cli_progress_stop(&bar);
	if (err != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ NULL, "", "fill an empty database with a fictional demo area", run_demo, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_demo = { "demo", "a fictional demo area", subs };
