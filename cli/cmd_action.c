/* carewatch action add | extend | progress | show | list | edit | withdraw */
#include <stdio.h>
#include "carewatch/action.h"
#include "args.h"
#include "output.h"
#include "correct.h"

static int run_add(cw_cli *cli, int argc, char **argv);
static int run_extend(cw_cli *cli, int argc, char **argv);
static int run_progress(cw_cli *cli, int argc, char **argv);
static int run_show(cw_cli *cli, int argc, char **argv);
static int run_list(cw_cli *cli, int argc, char **argv);
static int run_edit(cw_cli *cli, int argc, char **argv);
static int run_withdraw(cw_cli *cli, int argc, char **argv);

static const cw_subcmd subs[] = {
	{ "add", "--case CASE --concern ID --kind CA|DA --improvement TEXT --due DATE --owner NAME",
		"add an item to a case's action plan", run_add, CW_CMD_WRITE },
	{ "extend", "ID --due DATE --rationale TEXT", "move an item's due date",
		run_extend, CW_CMD_WRITE },
	{ "progress", "ID --status not_started|ongoing|completed [--evidence TEXT]",
		"record an item's progress", run_progress, CW_CMD_WRITE },
	{ "show", "ID", "an item with its extensions and evidence", run_show, 0 },
	{ "list", "--case CASE [--overdue]", "a case's action plan", run_list, 0 },
	{ "edit", "ID [--improvement TEXT] [--owner NAME] --reason TEXT",
		"correct an item's improvement or owner (before and after are kept)",
		run_edit, CW_CMD_WRITE },
	{ "withdraw", "ID --reason TEXT", "withdraw an item recorded in error: it stays on the"
		" plan, counts for nothing (overdue, closure, restart)", run_withdraw, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_action = { "action", "the action plan of a case", subs };

static const char *const action_keys[] = {
	"ref", "id", "case_ref", "case_id", "concern_ref", "concern_id", "provider", "kind", "improvement", "owner", "due", "status",
	"completed", "overdue", "likelihood", "impact", "score", "band", NULL
};

static const cw_col extension_cols[] = {
	{ "made", "MADE", 0 }, { "from", "FROM", 0 }, { "to", "TO", 0 }, { "by", "BY", 20 },
	{ "rationale", "RATIONALE", 60 }, CW_COL_END
};

static const cw_col evidence_cols[] = {
	{ "date", "DATE", 0 }, { "by", "BY", 20 }, { "text", "EVIDENCE", 70 }, CW_COL_END
};

static const cw_col action_cols[] = {
	{ "ref", "REF", 0 }, { "concern_ref", "CONCERN", 0 }, { "kind", "KIND", 0 }, { "due", "DUE", 0 }, { "status", "STATUS", 0 },
	{ "overdue", "OVERDUE", 0 }, { "band", "BAND", 0 }, { "owner", "OWNER", 20 },
	{ "improvement", "IMPROVEMENT", 40 }, { "id", "ID", 0 }, CW_COL_END
};

static void print_action(cw_cli *cli, json_t *out)
{
	json_t *ext = json_object_get(out, "extensions");
	json_t *ev = json_object_get(out, "evidence");

	cli->print_arg = action_keys;
	cw_print_corrected(cli, out);
	if (json_array_size(ext)) {
		puts("\nextensions:");
		cli->print_arg = extension_cols;
		cw_print_table(cli, ext);
	}
	if (json_array_size(ev)) {
		puts("\nevidence:");
		cli->print_arg = evidence_cols;
		cw_print_table(cli, ev);
	}
}

static int run_add(cw_cli *cli, int argc, char **argv)
{
	cw_action_add_args a = { NULL, NULL, NULL, NULL, NULL, 0 };
	cw_optdate due = { false, 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "case id"),
		CW_OPT_STRING_REQ("concern", &a.concern, "ID", "the concern the item addresses"),
		CW_OPT_ENUM_REQ("kind", &a.kind, cw_action_kinds,
			"CA corrective (breach, immediate safety) or DA development (good practice)"),
		CW_OPT_STRING_REQ("improvement", &a.improvement, "TEXT", "the improvement required"),
		CW_OPT_DATE_REQ("due", &due, "target date"),
		CW_OPT_STRING_REQ("owner", &a.owner, "NAME", "the person responsible"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	a.due = due.v;
	if ((err = cw_action_add(cli->db, &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_action, NULL);
	return CW_OK;
}

static int run_extend(cw_cli *cli, int argc, char **argv)
{
	const char *rationale = NULL, *pos[1];
	cw_optdate due = { false, 0 };
	const cw_opt opts[] = {
		CW_OPT_DATE_REQ("due", &due, "the new due date"),
		CW_OPT_STRING_REQ("rationale", &rationale, "TEXT", "why the date moves"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_action_extend(cli->db, pos[0], due.v, rationale, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_action, NULL);
	return CW_OK;
}

static int run_progress(cw_cli *cli, int argc, char **argv)
{
	const char *status = NULL, *evidence = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_ENUM_REQ("status", &status, cw_action_statuses, "where the item stands"),
		CW_OPT_STRING("evidence", &evidence, "TEXT", "a dated evidence entry"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_action_progress(cli->db, pos[0], status, evidence, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_action, NULL);
	return CW_OK;
}

static int run_show(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_show(cli, argc, argv, cw_action_show, print_action, NULL);
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	const char *case_ref = NULL;
	bool overdue = false;
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &case_ref, "CASE", "case id"),
		CW_OPT_FLAG("overdue", &overdue, "only items past their due date and not completed"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_action_list(cli->db, case_ref, overdue, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, action_cols);
	return CW_OK;
}

static int run_edit(cw_cli *cli, int argc, char **argv)
{
	cw_action_edit_args a = { NULL, NULL, NULL };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING("improvement", &a.improvement, "TEXT", "the corrected improvement"),
		CW_OPT_STRING("owner", &a.owner, "NAME", "the corrected person responsible"),
		CW_OPT_STRING_REQ("reason", &a.reason, "TEXT", "why the record was wrong"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_action_edit(cli->db, pos[0], &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_action, NULL);
	return CW_OK;
}

static int run_withdraw(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_with_reason(cli, argc, argv, "why the item was recorded in error",
		cw_action_withdraw, print_action, NULL);
}
