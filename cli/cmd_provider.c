/* carewatch provider add | list | show | edit | close */
#include "carewatch/provider.h"
#include "args.h"
#include "output.h"
#include "correct.h"

/* Fitted to the terminal by cw_print_rows: flags wrap first, names last
 * (they are how users name providers). */
static const cw_col provider_cols[] = {
	{ "name", "NAME", 30 }, { "type", "TYPE", 21 },
	{ "stage", "STAGE", 20 }, { "band", "BAND", 6 }, { "flags", "FLAGS", 14 }, CW_COL_END
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
	return cw_cli_show(cli, argc, argv, cw_provider_show, cw_print_corrected, NULL);
}

static int run_edit(cw_cli *cli, int argc, char **argv)
{
	cw_provider_edit_args a = { 0 };
	cw_strlist add = { 0 }, rm = { 0 };
	bool in_house = false, external = false;
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_ENUM("type", &a.type, cw_provider_types, "the corrected kind of service"),
		CW_OPT_STRING("regulator-id", &a.regulator_id, "ID", "the corrected regulator id"),
		CW_OPT_FLAG("in-house", &in_house, "run by the council itself"),
		CW_OPT_FLAG("external", &external, "not run by the council"),
		CW_OPT_STRING("group", &a.group, "NAME", "the provider group that runs it"),
		CW_OPT_LIST("add-commissioner", &add, "C", "a commissioner that contracts it"),
		CW_OPT_LIST("remove-commissioner", &rm, "C",
			"a commissioner that no longer does (the link is kept as removed)"),
		CW_OPT_STRING_REQ("reason", &a.reason, "TEXT", "why the record was wrong"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		goto done;
	if (in_house && external) {
		err = cw_error(CW_EINVALID, "--in-house and --external contradict each other");
		goto done;
	}
	a.in_house = in_house ? 1 : external ? 0 : -1;
	a.add = add.v;
	a.nadd = (size_t)add.n;
	a.remove = rm.v;
	a.nremove = (size_t)rm.n;
	if ((err = cw_provider_edit(cli->db, pos[0], &a, &out)) != CW_OK)
		goto done;
	cw_cli_result(cli, out, cw_print_corrected, NULL);
done:
	cw_strlist_free(&add);
	cw_strlist_free(&rm);
	return err;
}

static int run_close(cw_cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *pos[1];
	cw_optdate date = { 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("reason", &reason, "TEXT",
			"why: the service closed or the contract ended"),
		CW_OPT_DATE("date", &date, "the day it closed (default today; not after today)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_provider_close(cli->db, pos[0], reason, date.set, date.v, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_corrected, NULL);
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ "add", "NAME --type TYPE [--regulator-id ID] [--in-house] [--group NAME] [--commissioner C]...",
		"add a provider", run_add, CW_CMD_WRITE },
	{ "list", "", "list providers with their level and flags", run_list, 0 },
	{ "show", "P", "one provider (name, id or id prefix)", run_show, 0 },
	{ "edit", "P [--type TYPE] [--regulator-id ID] [--in-house|--external] [--group NAME]"
		" [--add-commissioner C]... [--remove-commissioner C]... --reason TEXT",
		"correct a provider's record (before and after are kept)", run_edit, CW_CMD_WRITE },
	{ "close", "P --reason TEXT [--date DATE]",
		"the service closed or the contract ended (decision role): placements are refused",
		run_close, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_provider = { "provider", "care providers", subs };
