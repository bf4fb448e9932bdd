/* carewatch placement check | record | cancel | lift */
#include <stdio.h>
#include "carewatch/placement.h"
#include "args.h"
#include "output.h"
#include "correct.h"

static const char *const check_keys[] = {
	"allowed", "reason", "warnings", "provider", "commissioner", "kind", "date", "hours",
	"respite", "control", NULL
};

static const char *const placement_keys[] = {
	"id", "provider", "commissioner", "kind", "hours", "respite", "date", "recorded_by",
	"warnings", "control", NULL
};

/* The options of both commands, into one argument block. */
#define PLACEMENT_OPTS(a, hours, date) \
	CW_OPT_STRING_REQ("provider", &(a).provider, "P", "provider name or id"), \
	CW_OPT_STRING_REQ("commissioner", &(a).commissioner, "C", "the commissioner placing"), \
	CW_OPT_ENUM("kind", &(a).kind, cw_placement_kinds, \
		"an admission (default) or a package of care"), \
	CW_OPT_NUM("hours", &(hours), "H", \
		"hours of care a week the package adds (needed under an hours cap)"), \
	CW_OPT_FLAG("respite", &(a).respite, "a respite (short-stay) placement"), \
	CW_OPT_DATE("date", &(date), "the date of the placement (default today)"), \
	CW_OPT_END

/* The arguments of check and record, which take the same options. */
static int parse_placement(cw_cli *cli, int argc, char **argv, cw_placement_args *a)
{
	cw_optnum hours = { false, 0 };
	cw_optdate date = { false, 0 };
	const cw_opt opts[] = { PLACEMENT_OPTS(*a, hours, date) };
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	a->has_hours = hours.set;
	a->hours = hours.v;
	a->has_date = date.set;
	a->date = date.v;
	return CW_OK;
}

/*
 * A refused check is an answer, not a failure: it prints the decision like
 * an allowed one (the JSON object with --json) and exits 4, with the reason
 * on stderr as for any refusal.
 */
static int run_check(cw_cli *cli, int argc, char **argv)
{
	cw_placement_args a = { 0 };
	json_t *out = NULL;
	int err;

	if ((err = parse_placement(cli, argc, argv, &a)) != CW_OK)
		return err;
	err = cw_placement_check(cli->db, &a, &out);
	if (err == CW_EREFUSED && out) {
		fprintf(stderr, "carewatch: %s\n", cw_errmsg());
		cli->exit_code = CW_EREFUSED;
		err = CW_OK;
	}
	if (err != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, check_keys);
	return CW_OK;
}

static int run_record(cw_cli *cli, int argc, char **argv)
{
	cw_placement_args a = { 0 };
	json_t *out = NULL;
	int err;

	if ((err = parse_placement(cli, argc, argv, &a)) != CW_OK)
		return err;
	if ((err = cw_placement_record(cli->db, &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, placement_keys);
	return CW_OK;
}

static const char *const cancelled_keys[] = {
	"id", "provider", "commissioner", "kind", "hours", "respite", "date", "recorded_by",
	"status", "cancelled", NULL
};

static const char *const lift_keys[] = {
	"provider", "commissioner", "lifted", "status", "since", "reason", "decided_by", NULL
};

static int run_cancel(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_with_reason(cli, argc, argv, "why the placement was recorded in error",
		cw_placement_cancel, cw_print_corrected, cancelled_keys);
}

static const cw_col placement_cols[] = {
	{ "date", "DATE", 10 }, { "commissioner", "COMMISSIONER", 24 }, { "kind", "KIND", 9 },
	{ "hours", "HOURS", 5 }, { "status", "STATUS", 9 }, { "id", "ID", 36 }, CW_COL_END
};

static int run_list(cw_cli *cli, int argc, char **argv)
{
	const char *provider = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("provider", &provider, "P", "provider name or id"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_placement_list(cli->db, provider, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, placement_cols);
	return CW_OK;
}

static int run_lift(cw_cli *cli, int argc, char **argv)
{
	cw_placement_lift_args a = { NULL, NULL, NULL };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("provider", &a.provider, "P", "provider name or id"),
		CW_OPT_STRING_REQ("commissioner", &a.commissioner, "C",
			"the commissioner whose suspension or restriction ends"),
		CW_OPT_STRING_REQ("reason", &a.reason, "TEXT", "why it is lifted"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_placement_lift(cli->db, &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, lift_keys);
	return CW_OK;
}

#define PLACEMENT_USAGE "--provider P --commissioner C [--kind admission|package] [--hours H]" \
	" [--respite] [--date DATE]"

static const cw_subcmd subs[] = {
	{ "check", PLACEMENT_USAGE, "may a placement be made? (exit 4 when refused)",
		run_check, 0 },
	{ "record", PLACEMENT_USAGE, "record a placement made (checked first)",
		run_record, CW_CMD_WRITE },
	{ "list", "--provider P", "placements recorded with a provider, newest first (with their ids)",
		run_list, 0 },
	{ "cancel", "ID --reason TEXT",
		"cancel a placement recorded in error: kept, but no longer counted against a cap",
		run_cancel, CW_CMD_WRITE },
	{ "lift", "--provider P --commissioner C --reason TEXT",
		"lift a commissioner's suspension or restriction (decision role)",
		run_lift, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_placement = {
	"placement", "placement control: checking and recording placements", subs
};
