/* carewatch concern log | positive | list | show | rate | resolve | edit | withdraw */
#include <stdio.h>
#include "carewatch/concern.h"
#include "args.h"
#include "output.h"
#include "correct.h"

/* At most 8+10+14+5+6+9+14+19 columns and seven gaps: under 100 wide.
 * The reference names the concern, aloud and on the command line. */
static const cw_col concern_cols[] = {
	{ "ref", "REF", 8 }, { "received", "RECEIVED", 10 }, { "provider", "PROVIDER", 14 },
	{ "score", "SCORE", 5 }, { "band", "BAND", 6 }, { "status", "STATUS", 9 },
	{ "pova_ref", "POVA REF", 14 }, { "summary", "SUMMARY", 19 }, CW_COL_END
};

static const cw_col rating_cols[] = {
	{ "date", "DATE", 10 }, { "actor", "ACTOR", 20 }, { "likelihood", "L", 2 },
	{ "impact", "I", 2 }, { "score", "SCORE", 5 }, { "band", "BAND", 6 },
	{ "note", "NOTE", 40 }, CW_COL_END
};

/* Every key but the rating history, which is printed as a table below. */
static const char *const show_keys[] = {
	"ref", "id", "provider", "provider_id", "received", "source", "team", "category",
	"summary", "likelihood", "impact", "score", "band", "status", "pova_ref",
	"subject_ref", "positive", "first_likelihood", "resolved", "resolve_note",
	"logged_by", "replaces", "replaced_by", NULL
};

static const char *const band_choices[] = { "red", "amber", "yellow", "green", NULL };

static void print_show(cw_cli *cli, json_t *out)
{
	const void *keys = cli->print_arg;

	cw_print_corrected(cli, out);
	fputs("\nratings:\n", stdout);
	cli->print_arg = rating_cols;
	cw_print_table(cli, json_object_get(out, "ratings"));
	cli->print_arg = keys;
}

static int run_log(cw_cli *cli, int argc, char **argv)
{
	cw_concern_log_args a = { 0 };
	cw_optint l = { 0 }, i = { 0 };
	cw_optdate received = { 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("provider", &a.provider, "P", "provider name, id or id prefix"),
		CW_OPT_ENUM_REQ("source", &a.source, cw_concern_sources, "where the concern came from"),
		CW_OPT_ENUM_REQ("team", &a.team, cw_concern_teams, "the team that brings it"),
		CW_OPT_INT_REQ("likelihood", &l, "L", "likelihood on the risk matrix"),
		CW_OPT_INT_REQ("impact", &i, "I", "impact on the risk matrix (never changes)"),
		CW_OPT_STRING_REQ("summary", &a.summary, "TEXT", "what the concern is"),
		CW_OPT_STRING("category", &a.category, "C", "e.g. medication, staffing, records"),
		CW_OPT_DATE("received", &received, "date received (default today)"),
		CW_OPT_STRING("pova-ref", &a.pova_ref, "REF", "POVA referral reference (pova_referral only)"),
		CW_OPT_STRING("subject", &a.subject_ref, "REF", "service user's reference (pova_referral only)"),
		CW_OPT_STRING("replaces", &a.replaces, "ID",
			"a withdrawn concern this one logs again (e.g. against the right provider)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	a.likelihood = l.v;
	a.impact = i.v;
	a.received_given = received.set;
	a.received = received.v;
	if ((err = cw_concern_log(cli->db, &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_positive(cw_cli *cli, int argc, char **argv)
{
	cw_concern_positive_args a = { 0 };
	cw_optdate received = { 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("provider", &a.provider, "P", "provider name, id or id prefix"),
		CW_OPT_ENUM_REQ("team", &a.team, cw_concern_teams, "the team that brings it"),
		CW_OPT_STRING_REQ("summary", &a.summary, "TEXT", "the feedback"),
		CW_OPT_DATE("received", &received, "date received (default today)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	a.received_given = received.set;
	a.received = received.v;
	if ((err = cw_concern_positive(cli->db, &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	cw_concern_filter f = { 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING("provider", &f.provider, "P", "only this provider's concerns"),
		CW_OPT_FLAG("open", &f.open_only, "only open concerns"),
		CW_OPT_ENUM("band", &f.band, band_choices, "only concerns in this band"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_concern_list(cli->db, &f, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, concern_cols);
	return CW_OK;
}

static int run_show(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_show(cli, argc, argv, cw_concern_show, print_show, show_keys);
}

static int run_rate(cw_cli *cli, int argc, char **argv)
{
	cw_concern_rate_args a = { 0 };
	cw_optint l = { 0 }, i = { 0 };
	const char *pos[1];
	/* --impact is declared so that it is recognised and reaches the engine,
	 * which refuses it: the rule lives there, not in the parser. */
	const cw_opt opts[] = {
		CW_OPT_INT("likelihood", &l, "L", "the new likelihood (required)"),
		CW_OPT_STRING("note", &a.note, "TEXT", "why the likelihood changed"),
		CW_OPT_INT("impact", &i, "I", "refused: impact never changes once recorded"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.likelihood = l.v;
	a.likelihood_given = l.set;
	a.impact_given = i.set;
	if ((err = cw_concern_rate(cli->db, pos[0], &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_show, show_keys);
	return CW_OK;
}

static int run_resolve(cw_cli *cli, int argc, char **argv)
{
	const char *note = NULL, *override = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("note", &note, "TEXT", "how it was resolved"),
		CW_OPT_STRING("override", &override, "REASON",
			"resolve a concern still rated red when the rules make resolve_red 'should'"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_concern_resolve_override(cli->db, pos[0], note, override, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_edit(cw_cli *cli, int argc, char **argv)
{
	cw_concern_edit_args a = { 0 };
	cw_optdate received = { 0 };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING("summary", &a.summary, "TEXT", "the corrected summary"),
		CW_OPT_STRING("category", &a.category, "C", "the corrected category"),
		CW_OPT_DATE("received", &received, "the corrected date received"),
		CW_OPT_ENUM("source", &a.source, cw_concern_sources,
			"the corrected source (not to or from pova_referral)"),
		CW_OPT_ENUM("team", &a.team, cw_concern_teams, "the corrected team"),
		CW_OPT_STRING_REQ("reason", &a.reason, "TEXT", "why the record was wrong"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	a.received_given = received.set;
	a.received = received.v;
	if ((err = cw_concern_edit(cli->db, pos[0], &a, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_show, show_keys);
	return CW_OK;
}

static int run_withdraw(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_with_reason(cli, argc, argv, "why the concern was recorded in error",
		cw_concern_withdraw, print_show, show_keys);
}

static const cw_subcmd subs[] = {
	{ "log", "--provider P --source S --team T --likelihood L --impact I --summary TEXT"
		" [--category C] [--received DATE] [--pova-ref REF --subject REF] [--replaces ID]",
		"log a concern about a provider", run_log, CW_CMD_WRITE },
	{ "positive", "--provider P --team T --summary TEXT [--received DATE]",
		"record positive feedback about a provider", run_positive, CW_CMD_WRITE },
	{ "list", "[--provider P] [--open] [--band B]", "list concerns, newest first",
		run_list, 0 },
	{ "show", "ID", "one concern with its rating history", run_show, 0 },
	{ "rate", "ID --likelihood L [--note TEXT]",
		"re-rate a concern's likelihood (impact never changes)", run_rate, CW_CMD_WRITE },
	{ "resolve", "ID --note TEXT [--override REASON]",
		"resolve a concern (one still rated red: the decision role)", run_resolve, CW_CMD_WRITE },
	{ "edit", "ID [--summary TEXT] [--category C] [--received DATE] [--source S] [--team T]"
		" --reason TEXT",
		"correct a concern's record (before and after are kept; the rating is `rate`)",
		run_edit, CW_CMD_WRITE },
	{ "withdraw", "ID --reason TEXT",
		"withdraw a concern recorded in error: it stays visible but counts for nothing"
		" (log it again with --replaces ID)", run_withdraw, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_concern = {
	"concern", "concerns and positive feedback", subs
};
