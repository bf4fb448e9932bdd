#ifndef CW_ARGS_H
#define CW_ARGS_H
/*
 * Options as data (git's parse-options): each subcommand declares an array
 * of cw_opt ending in CW_OPT_END, and cw_args_parse() walks any such array,
 * refusing missing, repeated and unknown options, bad numbers, impossible
 * dates and unknown enum values with CW_EINVALID. --help prints the usage
 * from the same array.
 */
#include <stdbool.h>
#include "carewatch/date.h"
#include "cli.h"

typedef struct { bool set; long v; } cw_optint;
typedef struct { bool set; double v; } cw_optnum;
typedef struct { bool set; cw_date v; } cw_optdate;
typedef struct { const char **v; int n; } cw_strlist;

typedef enum {
	CW_OPT_T_END, CW_OPT_T_STR, CW_OPT_T_INT, CW_OPT_T_NUM, CW_OPT_T_DATE,
	CW_OPT_T_ENUM, CW_OPT_T_FLAG, CW_OPT_T_LIST
} cw_opt_type;

#define CW_REQ 0x1

typedef struct {
	cw_opt_type type;
	const char *name;            /* without the dashes */
	void *dst;
	const char *argname;         /* "P", "DATE" */
	const char *help;
	const char *const *choices;  /* CW_OPT_T_ENUM: NULL-terminated */
	unsigned flags;
} cw_opt;

#define CW_OPT_STRING(n, d, a, h)     { CW_OPT_T_STR, n, d, a, h, NULL, 0 }
#define CW_OPT_STRING_REQ(n, d, a, h) { CW_OPT_T_STR, n, d, a, h, NULL, CW_REQ }
#define CW_OPT_INT(n, d, a, h)        { CW_OPT_T_INT, n, d, a, h, NULL, 0 }
#define CW_OPT_INT_REQ(n, d, a, h)    { CW_OPT_T_INT, n, d, a, h, NULL, CW_REQ }
#define CW_OPT_NUM(n, d, a, h)        { CW_OPT_T_NUM, n, d, a, h, NULL, 0 }
#define CW_OPT_DATE(n, d, h)          { CW_OPT_T_DATE, n, d, "DATE", h, NULL, 0 }
#define CW_OPT_DATE_REQ(n, d, h)      { CW_OPT_T_DATE, n, d, "DATE", h, NULL, CW_REQ }
#define CW_OPT_ENUM(n, d, c, h)       { CW_OPT_T_ENUM, n, d, NULL, h, c, 0 }
#define CW_OPT_ENUM_REQ(n, d, c, h)   { CW_OPT_T_ENUM, n, d, NULL, h, c, CW_REQ }
#define CW_OPT_FLAG(n, d, h)          { CW_OPT_T_FLAG, n, d, NULL, h, NULL, 0 }
#define CW_OPT_LIST(n, d, a, h)       { CW_OPT_T_LIST, n, d, a, h, NULL, 0 }
#define CW_OPT_LIST_REQ(n, d, a, h)   { CW_OPT_T_LIST, n, d, a, h, NULL, CW_REQ }
#define CW_OPT_END                    { CW_OPT_T_END, NULL, NULL, NULL, NULL, NULL, 0 }

/* Sentinel status: --help was printed; the command stops with exit 0. */
#define CW_HELP_SHOWN 100

/*
 * Parse argv (the words after the subcommand) against `opts`, collecting
 * between `min_pos` and `max_pos` positional words into `pos`. With
 * cli->help set, prints the usage and returns CW_HELP_SHOWN.
 */
int cw_args_parse(cw_cli *cli, const cw_opt *opts, int argc, char **argv,
	const char **pos, int min_pos, int max_pos);

/* Parse a whole number strictly (no sign tricks, no overflow, no trailing text). */
int cw_parse_long(const char *what, const char *s, long *out);

void cw_strlist_free(cw_strlist *l);

#endif
