/* carewatch provider add | list | show */
#include "carewatch/provider.h"
#include "args.h"
#include "output.h"

/* Fitted to the terminal by cw_print_rows: flags wrap first, names last
 * (they are how users name providers). */
static const cw_col provider_cols[] = {
	{ "name", "NAME", 30 }, { "type", "TYPE", 21 }, { "stage", "STAGE", 20 },
	{ "band", "BAND", 6 }, { "flags", "FLAGS", 14 }, CW_COL_END
};

static int run_add(cw_cli *cli, int argc, char **argv)
{
	cw_provider_add_args a = { 0 };
	cw_strlist comms = { 0 };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_ENUM_REQ("type", &a.type, cw_provider_types, "kind of service"),
		CW_OPT_STRING("regulator-id", &a.regulator_id, "ID", "the regulator's id for the service"),
		CW_OPT_FLAG("in-house", &a.in_house, "run by the council itself"),
		CW_OPT_STRING("group", &a.group, "NAME", "the provider group that runs it"),
		CW_OPT_LIST("commissioner", &comms, "C", "a commissioner that contracts it"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		goto done;
	a.name = pos[0];
	a.commissioners = comms.v;
	a.ncommissioners = (size_t)comms.n;
	if ((err = cw_provider_add(cli->db, &a, &out)) != CW_OK)
		goto done;
	cw_cli_result(cli, out, cw_print_object, NULL);
done:
	cw_strlist_free(&comms);
	return err;
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_list(cli, argc, argv, cw_provider_list, cw_print_table, provider_cols);
}

static int run_show(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_show(cli, argc, argv, cw_provider_show, cw_print_object, NULL);
}

static const cw_subcmd subs[] = {
	{ "add", "NAME --type TYPE [--regulator-id ID] [--in-house] [--group NAME] [--commissioner C]...",
		"add a provider", run_add, CW_CMD_WRITE },
	{ "list", "", "list providers with their level and flags", run_list, 0 },
	{ "show", "P", "one provider (name, id or id prefix)", run_show, 0 },
	{ 0 }
};

const cw_family cw_family_provider = { "provider", "care providers", subs };
