#ifndef CW_CLI_H
#define CW_CLI_H
/*
 * The carewatch command: a table of command families (one file each,
 * cli/cmd_<family>.c), options declared as data (args.c) and one output
 * layer (output.c). The CLI parses and prints; the engine decides.
 */
#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/error.h"
#include "carewatch/paper.h"

typedef struct cw_cli cw_cli;
typedef void (*cw_printer)(cw_cli *cli, json_t *out);

struct cw_cli {
	cw_db *db;               /* NULL while only printing --help */
	const cw_rules *rules;
	bool json;
	bool help;               /* --help was asked for: parse prints usage */
	bool tty;                /* stdout is a terminal (colours) */
	const char *cmdname;     /* "concern log", for messages */
	const char *usage;       /* the positional part of the usage line */
	const char *config_path; /* --config, or NULL for the built-in rules */
	const char *db_path;     /* --db, CAREWATCH_DB or ./carewatch.db */
	json_t *out;             /* what the command produced, printed after commit */
	cw_printer print;        /* how to print it as text (NULL: JSON only) */
	const void *print_arg;   /* column table or key list for the printer */
	void *data;              /* a typed result, printed after commit (not JSON) */
	void (*data_free)(void *);
	int exit_code;           /* a successful command's exit code (0) */
	char *raw;               /* verbatim text output (documents, CSV); printed as is */
	/* The command's option names (string constants), so that an engine
	 * error naming a field is printed with the option that sets it. */
	const char *optnames[48];
	int noptnames;
	/* CW_CMD_INPUT: the input file, read before the transaction began */
	const char *input_path;
	char *input;
	size_t input_len;
};

/* A subcommand: `name` NULL for a family that is itself the command. */
#define CW_CMD_WRITE  0x1   /* takes the write lock */
#define CW_CMD_NODB   0x2   /* needs no database (rules show, risk score) */
#define CW_CMD_INIT   0x4   /* may create the database */
#define CW_CMD_ANYCONFIG 0x8 /* --config allowed on pinned rules (rules check/set) */
#define CW_CMD_OWNDB  0x10   /* opens its own database handles (serve) */
/* The last argument is an input file: main reads it (a regular file only)
 * before the transaction starts, so a slow or hostile file never holds the
 * write lock; the command finds it in cli->input. */
#define CW_CMD_INPUT  0x20

typedef struct {
	const char *name;
	const char *usage;     /* e.g. "NAME --role R[,R...]" */
	const char *summary;
	int (*run)(cw_cli *cli, int argc, char **argv);
	unsigned flags;
} cw_subcmd;

typedef struct {
	const char *name;
	const char *summary;
	const cw_subcmd *subs; /* ends with an entry whose run is NULL */
} cw_family;

/* Families, one per cli/cmd_*.c file. */
extern const cw_family
	cw_family_init,
	cw_family_user,
	cw_family_rules,
	cw_family_risk,
	cw_family_audit,
	cw_family_commissioner,
	cw_family_provider,
	cw_family_concern,
	cw_family_demo,
	cw_family_import,
	cw_family_export,
	cw_family_watchlist,
	cw_family_qa,
	cw_family_case,
	cw_family_action,
	cw_family_meeting,
	cw_family_placement,
	cw_family_task,
	cw_family_letter,
	cw_family_document,
	cw_family_chart,
	cw_family_calendar,
	cw_family_serve;

/* Record the command's result: printed after the transaction commits. */
void cw_cli_result(cw_cli *cli, json_t *out, cw_printer print, const void *arg);
/* A typed result (no JSON made): `print` reads cli->data after commit; the
 * result is freed with data_free. Not for --json, which needs JSON. */
void cw_cli_result_data(cw_cli *cli, void *data, void (*data_free)(void *), cw_printer print);

/* Read an input file named on the command line (cli/cmd_import.c):
 * a regular file of at most 256 MB, else CW_EINVALID naming it. */
int cw_cli_read_input(const char *path, char **text, size_t *len);

/* Paperwork (a letter, a document): --format `format` (NULL: a->format
 * stays) parsed into `a`, rendered by `render`; its `text` is printed as it
 * is, and --json prints the result with its facts. */
int cw_cli_paper(cw_cli *cli, const char *format, cw_paper_render_fn render, cw_paper_args *a);

/* The two commands every family has in the same shape: `FAMILY show REF`
 * (one name or id, no options) and `FAMILY list` (no options), each one
 * engine getter whose result is printed with `print` and `arg`. */
typedef int (*cw_cli_getter)(cw_db *db, const char *ref, json_t **out);
typedef int (*cw_cli_lister)(cw_db *db, json_t **out);
int cw_cli_show(cw_cli *cli, int argc, char **argv, cw_cli_getter get, cw_printer print,
	const void *arg);
int cw_cli_list(cw_cli *cli, int argc, char **argv, cw_cli_lister list, cw_printer print,
	const void *arg);

#endif
