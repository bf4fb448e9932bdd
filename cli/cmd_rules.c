/* carewatch rules show | rules set FILE | rules check FILE | risk score L I */
#include <stdio.h>
#include <stdlib.h>
#include "carewatch/rules.h"
#include "carewatch/db.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"

static void print_rules(cw_cli *cli, json_t *out)
{
	const cw_rules *r = cli->rules;
	json_t *pinned;
	char *text;
	int l, i;

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
	pinned = json_object_get(out, "pinned");
	if (json_is_object(pinned))
		printf("\nRules pinned in the database: set %s by %s from %s\n(SHA-256 %s)%s\n\n",
			json_string_value(json_object_get(pinned, "set_at")),
			json_string_value(json_object_get(pinned, "set_by")),
			json_string_value(json_object_get(pinned, "source")),
			json_string_value(json_object_get(pinned, "sha256")),
			json_array_size(json_object_get(pinned, "templates"))
				? ", with replaced templates" : "");
	else
		printf("\nEffective rules%s%s:\n\n", cli->config_path ? " with " : " (built-in)",
			cli->config_path ? cli->config_path : "");
	text = cw_rules_to_text(r);
	fputs(text, stdout);
	free(text);
}

static int run_show(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	json_t *out;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	out = cw_rules_to_json(cli->rules);
	if (cli->db) {
		json_t *pinned = NULL;

		if ((err = cw_db_rules_pinned(cli->db, &pinned)) != CW_OK) {
			json_decref(out);
			return err;
		}
		json_object_set_new(out, "pinned", pinned);
	}
	cw_cli_result(cli, out, print_rules, NULL);
	return CW_OK;
}

static void print_set(cw_cli *cli, json_t *out)
{
	json_t *changed = json_object_get(out, "changed"), *c;
	size_t i;

	(void)cli;
	printf("Rules pinned from %s (SHA-256 %s); in force from the next command.\n",
		json_string_value(json_object_get(out, "source")),
		json_string_value(json_object_get(out, "sha256")));
	if (!json_array_size(changed))
		puts("Nothing changed.");
	json_array_foreach(changed, i, c)
		printf("  changed: %s\n", json_string_value(c));
}

static int run_set(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	const char *pos[1];
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_db_rules_set(cli->db, pos[0], &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print_set, NULL);
	return CW_OK;
}

static int run_check(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	const char *pos[1];
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_db_rules_check(pos[0], &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
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
	{ "show", "", "the rules in force: matrix, bands, flags, permissions; when and by whom"
		" they were pinned", run_show, CW_CMD_NODB },
	{ "set", "FILE", "pin a rules file (and its templates) as the database's rules (admin)",
		run_set, CW_CMD_WRITE | CW_CMD_ANYCONFIG },
	{ "check", "FILE", "validate a rules file and its templates without using it", run_check,
		CW_CMD_NODB | CW_CMD_ANYCONFIG },
	{ 0 }
};

static const cw_subcmd risk_subs[] = {
	{ "score", "L I", "score and band of a likelihood and impact", run_score, CW_CMD_NODB },
	{ 0 }
};

const cw_family cw_family_rules = { "rules", "the rules in force", rules_subs };
const cw_family cw_family_risk = { "risk", "the risk matrix", risk_subs };
