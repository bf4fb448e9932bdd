/* carewatch init */
#include "carewatch/db.h"
#include "args.h"
#include "output.h"

static int run_init(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	cw_cli_result(cli, json_pack("{s:i,s:s,s:s}", "schema", cw_db_schema_version(),
		"actor", cw_db_actor(cli->db), "roles", cw_db_actor_roles(cli->db)),
		cw_print_object, NULL);
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ NULL, "", "create or upgrade the database (idempotent)", run_init, CW_CMD_INIT },
	{ 0 }
};

const cw_family cw_family_init = { "init", "create or upgrade the database", subs };
