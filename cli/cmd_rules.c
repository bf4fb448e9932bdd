/* carewatch rules show | risk score L I */
#include <stdio.h>
#include <stdlib.h>
#include "carewatch/rules.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"

static void print_rules(cw_cli *cli, json_t *out)
{
	const cw_rules *r = cli->rules;
	char *text;
	int l, i;

	(void)out;
	printf("Risk matrix (likelihood x impact), %d x %d:\n\n%-22s",
		cw_rules_likelihood_max(r), cw_rules_impact_max(r), "");
	for (i = 1; i <= cw_rules_impact_max(r); i++)
		printf(" %-14.14s", cw_rules_impact_label(r, i));
	putchar('\n');
	for (l = cw_rules_likelihood_max(r); l >= 1; l--) {
		printf("%d %-20.20s", l, cw_rules_likelihood_label(r, l));
		for (i = 1; i <= cw_rules_impact_max(r); i++) {
			char cell[32];

			snprintf(cell, sizeof(cell), "%d %s", l * i,
				cw_band_name(cw_rules_band(r, l * i)));
			printf(" %-14s", cell);
		}
		putchar('\n');
	}
	printf("\nEffective rules%s%s:\n\n", cli->config_path ? " with " : " (built-in)",
		cli->config_path ? cli->config_path : "");
	text = cw_rules_to_text(r);
	fputs(text, stdout);
	free(text);
}

static int run_show(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	cw_cli_result(cli, cw_rules_to_json(cli->rules), print_rules, NULL);
	return CW_OK;
}

static int run_score(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	const char *pos[2];
	json_t *out = NULL;
	long l, i;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 2, 2)) != CW_OK ||
	    (err = cw_parse_long("likelihood", pos[0], &l)) != CW_OK ||
	    (err = cw_parse_long("impact", pos[1], &i)) != CW_OK ||
	    (err = cw_rules_rating(cli->rules, l, i, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static const cw_subcmd rules_subs[] = {
	{ "show", "", "the effective matrix, bands, flags and permissions", run_show, CW_CMD_NODB },
	{ 0 }
};

static const cw_subcmd risk_subs[] = {
	{ "score", "L I", "score and band of a likelihood and impact", run_score, CW_CMD_NODB },
	{ 0 }
};

const cw_family cw_family_rules = { "rules", "the rules in force", rules_subs };
const cw_family cw_family_risk = { "risk", "the risk matrix", risk_subs };
