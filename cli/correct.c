/* The shared shape of the correction commands (concern withdraw, action
 * withdraw, placement cancel) and of a corrected entity's `show`. */
#include <stdio.h>
#include "args.h"
#include "correct.h"
#include "output.h"

/* A provider's list names what each correction is of (label); an
 * entity's own list needs not. */
static const cw_col fix_cols_wide[] = {
	{ "at", "DATE", 10 }, { "by", "BY", 16 }, { "label", "WHAT", 16 }, { "field", "FIELD", 22 },
	{ "before", "BEFORE", 20 }, { "after", "AFTER", 20 }, { "reason", "REASON", 40 },
	CW_COL_END
};
static const cw_col fix_cols[] = {
	{ "at", "DATE", 10 }, { "by", "BY", 16 }, { "field", "FIELD", 22 },
	{ "before", "BEFORE", 24 }, { "after", "AFTER", 24 }, { "reason", "REASON", 40 },
	CW_COL_END
};


int cw_cli_with_reason(cw_cli *cli, int argc, char **argv, const char *help,
	cw_cli_fixer fn, cw_printer print, const void *arg)
{
	const char *reason = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("reason", &reason, "TEXT", help),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = fn(cli->db, pos[0], reason, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print, arg);
	return CW_OK;
}

void cw_print_corrected(cw_cli *cli, json_t *obj)
{
	json_t *fixes = json_incref(json_object_get(obj, "corrections"));
	const void *keys = cli->print_arg;

	json_object_del(obj, "corrections");
	cw_print_object(cli, obj);
	if (json_array_size(fixes)) {
		fputs("\ncorrections:\n", stdout);
		cli->print_arg = json_object_get(json_array_get(fixes, 0), "label")
			? fix_cols_wide : fix_cols;
		cw_print_table(cli, fixes);
		cli->print_arg = keys;
	}
	if (fixes)
		json_object_set_new(obj, "corrections", fixes);
}
