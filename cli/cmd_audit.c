/* carewatch audit [--entity ID] | audit verify [--anchor SEQ:HASH] [--deep] | audit head */
#include <stdio.h>
#include "carewatch/audit.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"

static const cw_col audit_cols[] = {
	{ "seq", "SEQ", 0 }, { "at", "AT (UTC)", 0 }, { "actor", "ACTOR", 20 },
	{ "action", "ACTION", 24 }, { "entity", "ENTITY", 36 }, { "details", "DETAILS", 60 },
	CW_COL_END
};

static int run_list(cw_cli *cli, int argc, char **argv)
{
	const char *entity = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING("entity", &entity, "ID", "only entries about this id (or id prefix)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_audit_list(cli->db, entity, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, audit_cols);
	return CW_OK;
}

static int run_verify(cw_cli *cli, int argc, char **argv)
{
	cw_audit_verify_opts o = { 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING("anchor", &o.anchor, "SEQ:HASH",
			"the chain must still pass through this entry ('audit head' printed it)"),
		CW_OPT_FLAG("deep", &o.deep,
			"also check every entity's row against its latest audit entry"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	err = cw_audit_check(cli->db, &o, &out);
	if (err == CW_OK)
		cw_cli_result(cli, out, cw_print_object, NULL);
	else
		json_decref(out);
	return err;
}

static int run_head(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	json_t *out = NULL;
	cw_buf line = CW_BUF_INIT;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_audit_head(cli->db, &out)) != CW_OK)
		return err;
	cw_buf_printf(&line, "%s\n", json_string_value(json_object_get(out, "anchor")));
	cli->raw = cw_buf_detach(&line);
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ "verify", "[--anchor SEQ:HASH] [--deep]", "check the audit chain (exit 4 when broken)",
		run_verify, 0 },
	{ "head", "", "the newest entry as SEQ:HASH, an anchor to keep elsewhere", run_head, 0 },
	{ NULL, "[--entity ID]", "list the audit trail", run_list, 0 },
	{ 0 }
};

const cw_family cw_family_audit = { "audit", "the audit trail", subs };
