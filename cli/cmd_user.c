/* carewatch user add | list */
#include "carewatch/user.h"
#include "args.h"
#include "output.h"

static const cw_col user_cols[] = {
	{ "name", "NAME", 40 }, { "roles", "ROLES", 50 }, { "id", "ID", 0 }, CW_COL_END
};

static int run_add(cw_cli *cli, int argc, char **argv)
{
	const char *role = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("role", &role, "R[,R...]", "roles: contracts, safeguarding, director, qa, admin, viewer"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	if ((err = cw_user_add(cli->db, pos[0], role, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_list(cli, argc, argv, cw_user_list, cw_print_table, user_cols);
}

static const cw_subcmd subs[] = {
	{ "add", "NAME --role R[,R...]", "add a user with roles", run_add, CW_CMD_WRITE },
	{ "list", "", "list users", run_list, 0 },
	{ 0 }
};

const cw_family cw_family_user = { "user", "users and their roles", subs };
