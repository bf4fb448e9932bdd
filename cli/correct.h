#ifndef CW_CLI_CORRECT_H
#define CW_CLI_CORRECT_H
/* What every correction command shares: `ID --reason TEXT`, and the
 * entity's corrections printed below its `show`. */
#include <jansson.h>
#include "cli.h"

/* An engine call that corrects the entity named by `ref` for `reason`. */
typedef int (*cw_cli_fixer)(cw_db *db, const char *ref, const char *reason, json_t **out);

/* Parse `ID --reason TEXT` (`help` says what the reason is for), call fn,
 * print the result with `print` (print_arg `arg`). */
int cw_cli_with_reason(cw_cli *cli, int argc, char **argv, const char *help,
	cw_cli_fixer fn, cw_printer print, const void *arg);

/*
 * Print `obj` as an object (print_arg: its key list, or NULL for every key
 * but "corrections"), then its "corrections" as a table, when it has any:
 * what was, what is, why, by whom and when.
 */
void cw_print_corrected(cw_cli *cli, json_t *obj);

#endif
