/* carewatch commissioner add | edit | list */
#include "carewatch/commissioner.h"
#include "args.h"
#include "output.h"

static const cw_col commissioner_cols[] = {
	{ "name", "NAME", 40 }, { "kind", "KIND", 15 }, { "lead", "LEAD", 4 },
	{ "id", "ID", 0 }, CW_COL_END
};

/* The letterhead options, shared by add and edit. */
#define DETAIL_OPTS(d) \
	CW_OPT_STRING("address", &(d).address, "TEXT", \
		"postal address, lines separated by commas (letterhead)"), \
	CW_OPT_STRING("phone", &(d).phone, "TEXT", "telephone number (letterhead)"), \
	CW_OPT_STRING("email", &(d).email, "TEXT", "email address (letterhead)"), \
	CW_OPT_STRING("department", &(d).department, "TEXT", "department (letterhead)"), \
	CW_OPT_STRING("signatory", &(d).signatory, "NAME", "who signs letters"), \
	CW_OPT_STRING("signatory-title", &(d).signatory_title, "TEXT", "the signatory's title")

static int run_add(cw_cli *cli, int argc, char **argv)
{
	const char *kind = NULL, *pos[1];
	cw_commissioner_details d = { 0 };
	bool lead = false;
	const cw_opt opts[] = {
		CW_OPT_ENUM("kind", &kind, cw_commissioner_kinds,
			"kind of commissioning body (default local_authority)"),
		CW_OPT_FLAG("lead", &lead, "the lead commissioner that runs the protocol (only one)"),
		DETAIL_OPTS(d),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_commissioner_add_details(cli->db, pos[0], kind, lead, &d, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_edit(cw_cli *cli, int argc, char **argv)
{
	const char *pos[1];
	cw_commissioner_details d = { 0 };
	const cw_opt opts[] = { DETAIL_OPTS(d), CW_OPT_END };
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_commissioner_edit(cli->db, pos[0], &d, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_list(cli, argc, argv, cw_commissioner_list, cw_print_table,
		commissioner_cols);
}

static const cw_subcmd subs[] = {
	{ "add", "NAME [--kind local_authority|health_board|other] [--lead] [--address TEXT]"
		" [--phone TEXT] [--email TEXT] [--department TEXT] [--signatory NAME]"
		" [--signatory-title TEXT]", "add a commissioner", run_add, CW_CMD_WRITE },
	{ "edit", "C [--address TEXT] [--phone TEXT] [--email TEXT] [--department TEXT]"
		" [--signatory NAME] [--signatory-title TEXT]",
		"change a commissioner's letterhead details (audited)", run_edit, CW_CMD_WRITE },
	{ "list", "", "list commissioners", run_list, 0 },
	{ 0 }
};

const cw_family cw_family_commissioner = {
	"commissioner", "commissioning bodies (admin)", subs
};
