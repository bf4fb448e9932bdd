/* carewatch case open | escalate | deescalate | suspend | restart | close | show | list */
#include <stdio.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/placement.h"
#include "args.h"
#include "output.h"

static int run_open(cw_cli *cli, int argc, char **argv);
static int run_escalate(cw_cli *cli, int argc, char **argv);
static int run_deescalate(cw_cli *cli, int argc, char **argv);
static int run_close(cw_cli *cli, int argc, char **argv);
static int run_suspend(cw_cli *cli, int argc, char **argv);
static int run_restart(cw_cli *cli, int argc, char **argv);
static int run_show(cw_cli *cli, int argc, char **argv);
static int run_list(cw_cli *cli, int argc, char **argv);

static const cw_subcmd subs[] = {
	{ "open", "--provider P --reason TEXT", "open a case (stage quality_assurance)",
		run_open, CW_CMD_WRITE },
	{ "escalate", "CASE --trigger T --chair USER [--note TEXT]",
		"move a case to provider_performance", run_escalate, CW_CMD_WRITE },
	{ "deescalate", "CASE --rationale TEXT [--override REASON]",
		"move a case back to quality_assurance", run_deescalate, CW_CMD_WRITE },
	{ "suspend", "CASE --commissioner C --kind mandatory|voluntary --reason TEXT [--meeting DATE]"
		" [--override REASON]", "suspend new placements (embargo)", run_suspend, CW_CMD_WRITE },
	{ "restart", "CASE --commissioner C --reason TEXT [--max-admissions N --per week|month]"
		" [--max-packages N] [--max-hours H] [--no-respite] [--meeting DATE] [--override REASON]",
		"restart placements, with conditions", run_restart, CW_CMD_WRITE },
	{ "close", "CASE --outcome O --rationale TEXT [--agreed-by ORG[,ORG...]] [--override REASON]",
		"close a case", run_close, CW_CMD_WRITE },
	{ "show", "CASE", "a case with its history", run_show, 0 },
	{ "list", "[--stage S]", "list cases", run_list, 0 },
	{ 0 }
};

const cw_family cw_family_case = { "case", "cases and their stages", subs };

static const char *const case_keys[] = {
	"ref", "id", "provider", "provider_id", "stage", "opened", "reason", "trigger",
	"trigger_note", "chair", "escalated", "outcome", "closed", "close_rationale",
	"agreed_by", "flags", "suggested_letters", "open_tasks", "plan_version", "plan_started",
	"plan_updated", "actions", "open_actions", "overdue_actions", NULL
};

static const cw_col event_cols[] = {
	{ "date", "DATE", 0 }, { "command", "COMMAND", 0 }, { "from", "FROM", 0 },
	{ "to", "TO", 0 }, { "actor", "BY", 20 }, { "rationale", "RATIONALE", 50 },
	{ "override", "OVERRIDE", 50 }, CW_COL_END
};

static const cw_col override_cols[] = {
	{ "date", "DATE", 0 }, { "command", "COMMAND", 0 }, { "actor", "BY", 20 },
	{ "reason", "REASON", 70 }, CW_COL_END
};

static const cw_col placement_cols[] = {
	{ "commissioner", "COMMISSIONER", 30 }, { "status", "STATUS", 0 }, { "kind", "KIND", 0 },
	{ "since", "SINCE", 0 }, { "conditions_text", "CONDITIONS", 70 }, CW_COL_END
};

static const cw_col earlier_cols[] = {
	{ "commissioner", "COMMISSIONER", 30 }, { "status", "STATUS", 0 }, { "kind", "KIND", 0 },
	{ "since", "SINCE", 0 }, { "conditions_text", "CONDITIONS", 70 }, { "case_ref", "CASE", 0 },
	CW_COL_END
};

static const cw_col case_cols[] = {
	{ "ref", "REF", 0 }, { "provider", "PROVIDER", 30 }, { "stage", "STAGE", 0 }, { "opened", "OPENED", 0 },
	{ "outcome", "OUTCOME", 0 }, { "flags", "FLAGS", 40 }, { "id", "ID", 0 }, CW_COL_END
};

/* The case's fields, then its history and the overrides that let it move. */
static void print_case(cw_cli *cli, json_t *out)
{
	json_t *events = json_object_get(out, "events");
	json_t *overrides = json_object_get(out, "overrides");
	json_t *placements = json_object_get(out, "placements");
	json_t *earlier = json_object_get(out, "earlier_conditions");

	cli->print_arg = case_keys;
	cw_print_object(cli, out);
	if (json_array_size(placements)) {
		puts("\nplacements:");
		cli->print_arg = placement_cols;
		cw_print_table(cli, placements);
	}
	if (json_array_size(earlier)) {
		puts("\nin force from an earlier case (they stand until lifted or restarted):");
		cli->print_arg = earlier_cols;
		cw_print_table(cli, earlier);
	}
	if (json_array_size(events)) {
		puts("\nhistory:");
		cli->print_arg = event_cols;
		cw_print_table(cli, events);
	}
	if (json_array_size(overrides)) {
		puts("\noverrides:");
		cli->print_arg = override_cols;
		cw_print_table(cli, overrides);
	}
}

static int run_open(cw_cli *cli, int argc, char **argv)
{
	const char *provider = NULL, *reason = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("provider", &provider, "P", "provider name or id"),
		CW_OPT_STRING_REQ("reason", &reason, "TEXT", "why the case is opened"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_case_open(cli->db, provider, reason, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_case, NULL);
	return CW_OK;
}

static int run_escalate(cw_cli *cli, int argc, char **argv)
{
	const char *trigger = NULL, *chair = NULL, *note = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_ENUM_REQ("trigger", &trigger, cw_case_triggers, "why the case is escalated"),
		CW_OPT_STRING_REQ("chair", &chair, "USER", "who chairs the provider performance meetings"),
		CW_OPT_STRING("note", &note, "TEXT", "details (required with --trigger other)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_case_escalate(cli->db, pos[0], trigger, chair, note, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_case, NULL);
	return CW_OK;
}

static int run_deescalate(cw_cli *cli, int argc, char **argv)
{
	const char *rationale = NULL, *override = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("rationale", &rationale, "TEXT", "why the case goes back to stage 1"),
		CW_OPT_STRING("override", &override, "REASON",
			"proceed despite a failing 'should' rule (recorded)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_case_deescalate(cli->db, pos[0], rationale, override, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_case, NULL);
	return CW_OK;
}

static int run_close(cw_cli *cli, int argc, char **argv)
{
	cw_case_close_args a = { NULL, NULL, NULL, NULL };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_ENUM_REQ("outcome", &a.outcome, cw_case_outcomes, "how the process ended"),
		CW_OPT_STRING_REQ("rationale", &a.rationale, "TEXT", "why the case closes"),
		CW_OPT_STRING("agreed-by", &a.agreed_by, "ORG[,ORG...]",
			"the partner organisations that agree to the closure"),
		CW_OPT_STRING("override", &a.override, "REASON",
			"proceed despite failing 'should' rules (recorded)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_case_close(cli->db, pos[0], &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_case, NULL);
	return CW_OK;
}

static int run_show(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_show(cli, argc, argv, cw_case_show, print_case, NULL);
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	const char *stage = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING("stage", &stage, "S", "only cases in this stage: quality_assurance (qa),"
			" provider_performance (ppm), embargo or closed"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_case_list(cli->db, stage, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, case_cols);
	return CW_OK;
}

static int run_suspend(cw_cli *cli, int argc, char **argv)
{
	cw_case_suspend_args a = { NULL, NULL, NULL, false, 0, NULL };
	cw_optdate meeting = { false, 0 };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("commissioner", &a.commissioner, "C",
			"the commissioner whose decision it is"),
		CW_OPT_ENUM_REQ("kind", &a.kind, cw_embargo_kinds,
			"mandatory (the commissioner's) or voluntary (the provider's own limit)"),
		CW_OPT_STRING_REQ("reason", &a.reason, "TEXT", "why placements are suspended"),
		CW_OPT_DATE("meeting", &meeting,
			"the recorded provider performance meeting that recommended it"),
		CW_OPT_STRING("override", &a.override, "REASON",
			"proceed despite a failing 'should' rule (recorded)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.has_meeting = meeting.set;
	a.meeting = meeting.v;
	if ((err = cw_case_suspend(cli->db, pos[0], &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_case, NULL);
	return CW_OK;
}

static int run_restart(cw_cli *cli, int argc, char **argv)
{
	cw_case_restart_args a;
	cw_optint admissions = { false, 0 }, packages = { false, 0 };
	cw_optnum hours = { false, 0 };
	cw_optdate meeting = { false, 0 };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("commissioner", &a.commissioner, "C",
			"the commissioner whose decision it is"),
		CW_OPT_STRING_REQ("reason", &a.reason, "TEXT", "why placements restart"),
		CW_OPT_DATE("meeting", &meeting,
			"the recorded provider performance meeting that recommended it"),
		CW_OPT_INT("max-admissions", &admissions, "N", "at most N new admissions per --per"),
		CW_OPT_ENUM("per", &a.per, cw_cap_periods, "the period of --max-admissions"),
		CW_OPT_INT("max-packages", &packages, "N", "at most N new packages of care a week"),
		CW_OPT_NUM("max-hours", &hours, "H", "at most H new hours of care a week"),
		CW_OPT_FLAG("no-respite", &a.no_respite, "no respite placements"),
		CW_OPT_STRING("override", &a.override, "REASON",
			"proceed despite failing 'should' rules (recorded)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	memset(&a, 0, sizeof(a));
	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.has_admissions = admissions.set;
	a.max_admissions = admissions.v;
	a.has_packages = packages.set;
	a.max_packages = packages.v;
	a.has_hours = hours.set;
	a.max_hours = hours.v;
	a.has_meeting = meeting.set;
	a.meeting = meeting.v;
	if ((err = cw_case_restart(cli->db, pos[0], &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_case, NULL);
	return CW_OK;
}
