/*
 * carewatch: find the command, open the database (whose rules are in force), hand the
 * command to the engine as one unit of work as the acting user, print what
 * it produced.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "carewatch/buf.h"
#include "carewatch/rules.h"
#include "args.h"
#include "output.h"

static const cw_family *const families[] = {
	&cw_family_init,
	&cw_family_rules,
	&cw_family_risk,
	&cw_family_user,
	&cw_family_commissioner,
	&cw_family_provider,
	&cw_family_concern,
	&cw_family_demo,
	&cw_family_case,
	&cw_family_action,
	&cw_family_meeting,
	&cw_family_placement,
	&cw_family_task,
	&cw_family_letter,
	&cw_family_document,
	&cw_family_import,
	&cw_family_export,
	&cw_family_watchlist,
	&cw_family_chart,
	&cw_family_calendar,
	&cw_family_qa,
	&cw_family_audit,
	&cw_family_serve,
	NULL
};

struct globals {
	const char *db, *config, *as, *today;
	bool json, help, version;
};

static void usage(FILE *f)
{
	const cw_family *const *fam;
	const cw_subcmd *s;

	fputs("usage: carewatch [--db PATH] [--config PATH] [--as USER] [--today YYYY-MM-DD]"
		" [--json] COMMAND ...\n\ncommands:\n", f);
	for (fam = families; *fam; fam++)
		for (s = (*fam)->subs; s->run; s++) {
			cw_buf left = CW_BUF_INIT;

			cw_buf_printf(&left, "%s%s%s", (*fam)->name, s->name ? " " : "",
				s->name ? s->name : "");
			fprintf(f, "  %-22s %s\n", cw_buf_cstr(&left), s->summary);
			cw_buf_free(&left);
		}
	fputs("\n'carewatch COMMAND --help' describes a command.\n"
		"Exit codes: 0 ok, 1 failure, 2 invalid input, 3 not found, 4 refused by a rule,"
		" 5 permission denied.\n", f);
}

/*
 * Take the global options out of argv, wherever they stand before a "--",
 * so that `carewatch concern list --json` works as users expect.
 */
static int take_globals(int *argc, char **argv, struct globals *g)
{
	int i, j = 0;
	bool rest = false;

	for (i = 0; i < *argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		const char *names[] = { "--db", "--config", "--as", "--today" };
		const char **dsts[] = { &g->db, &g->config, &g->as, &g->today };
		size_t k;

		if (rest || strncmp(a, "--", 2) != 0) {
			argv[j++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			rest = true;
			argv[j++] = argv[i];
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			g->json = true;
			continue;
		}
		if (strcmp(a, "--help") == 0) {
			g->help = true;
			continue;
		}
		if (strcmp(a, "--version") == 0 && j == 0) {
			g->version = true;
			continue;
		}
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			size_t n = strlen(names[k]);

			if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
				dst = dsts[k];
				if (*dst)
					return cw_error(CW_EINVALID, "%s is given more than once", names[k]);
				if (a[n] == '=') {
					*dst = a + n + 1;
				} else if (i + 1 < *argc) {
					*dst = argv[++i];
				} else {
					return cw_error(CW_EINVALID, "%s needs a value", names[k]);
				}
				if (!**dst)
					return cw_error(CW_EINVALID, "%s needs a value", names[k]);
				break;
			}
		}
		if (!dst)
			argv[j++] = argv[i];
	}
	*argc = j;
	return CW_OK;
}

static const char *default_actor(void)
{
	const char *u = getenv("CAREWATCH_USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	if ((u = getlogin()) && *u)
		return u;
	pw = getpwuid(geteuid());
	return pw ? pw->pw_name : NULL;
}

static const char *env_or(const char *v, const char *env, const char *def)
{
	const char *e;

	if (v)
		return v;
	e = getenv(env);
	return e && *e ? e : def;
}

static int find_command(int argc, char **argv, const cw_family **famp,
	const cw_subcmd **subp, int *consumed)
{
	const cw_family *const *fam;
	const cw_subcmd *s;

	for (fam = families; *fam; fam++)
		if (strcmp((*fam)->name, argv[0]) == 0)
			break;
	if (!*fam)
		return cw_error(CW_EINVALID, "unknown command '%.60s' (see carewatch --help)", argv[0]);
	*famp = *fam;
	for (s = (*fam)->subs; s->run; s++)
		if (s->name && argc > 1 && strcmp(s->name, argv[1]) == 0) {
			*subp = s;
			*consumed = 2;
			return CW_OK;
		}
	for (s = (*fam)->subs; s->run; s++)
		if (!s->name) {
			*subp = s;
			*consumed = 1;
			return CW_OK;
		}
	if (argc > 1)
		return cw_error(CW_EINVALID, "unknown command '%s %.60s' (see carewatch %s --help)",
			argv[0], argv[1], argv[0]);
	return cw_error(CW_EINVALID, "'%s' needs a subcommand (see carewatch %s --help)",
		argv[0], argv[0]);
}

static void family_usage(const cw_family *fam)
{
	const cw_subcmd *s;

	printf("%s: %s\n\n", fam->name, fam->summary);
	for (s = fam->subs; s->run; s++)
		printf("  carewatch %s%s%s %s\n", fam->name, s->name ? " " : "",
			s->name ? s->name : "", s->usage ? s->usage : "");
}

void cw_cli_result(cw_cli *cli, json_t *out, cw_printer print, const void *arg)
{
	json_decref(cli->out);
	cli->out = out;
	cli->print = print;
	cli->print_arg = arg;
}

void cw_cli_result_data(cw_cli *cli, void *data, void (*data_free)(void *), cw_printer print)
{
	if (cli->data_free)
		cli->data_free(cli->data);
	cli->data = data;
	cli->data_free = data_free;
	cli->print = print;
}

int cw_cli_paper(cw_cli *cli, const char *format, cw_paper_render_fn render, cw_paper_args *a)
{
	json_t *out = NULL;
	int err;

	if ((format && (err = cw_format_parse(format, &a->format)) != CW_OK) ||
	    (err = render(cli->db, a, &out)) != CW_OK)
		return err;
	free(cli->raw);
	cli->raw = cw_strdup(json_string_value(json_object_get(out, "text")));
	cw_cli_result(cli, out, NULL, NULL);
	return CW_OK;
}

int cw_cli_show(cw_cli *cli, int argc, char **argv, cw_cli_getter get, cw_printer print,
	const void *arg)
{
	static const cw_opt opts[] = { CW_OPT_END };
	const char *pos[1];
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = get(cli->db, pos[0], &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print, arg);
	return CW_OK;
}

int cw_cli_list(cw_cli *cli, int argc, char **argv, cw_cli_lister list, cw_printer print,
	const void *arg)
{
	static const cw_opt opts[] = { CW_OPT_END };
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = list(cli->db, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, print, arg);
	return CW_OK;
}

static void emit(cw_cli *cli)
{
	if (cli->raw && !cli->json) {
		fputs(cli->raw, stdout);
		return;
	}
	if (cli->data && cli->print && !cli->json) {
		cli->print(cli, NULL);
		return;
	}
	if (!cli->out)
		return;
	if (cli->json || !cli->print)
		cw_print_json(cli->out);
	else
		cli->print(cli, cli->out);
}

/* The command as one engine unit of work: init first when it is init. */
struct command_call {
	cw_cli *cli;
	const cw_subcmd *sub;
	int argc;
	char **argv;
	const char *init_actor;
};

static int run_command(cw_db *db, void *arg)
{
	struct command_call *c = arg;
	int err;

	if (c->init_actor && (err = cw_db_init(db, c->init_actor)) != CW_OK)
		return err;
	return c->sub->run(c->cli, c->argc, c->argv);
}

int main(int argc, char **argv)
{
	struct command_call call = { 0 };
	struct globals g = { 0 };
	cw_cli cli = { 0 };
	cw_rules *rules = NULL;
	const cw_family *fam = NULL;
	const cw_subcmd *sub = NULL;
	const char *dbpath, *actor, *today_s;
	cw_date today;
	char cmdname[128];
	int err, consumed = 0, nargs = argc - 1;
	unsigned rules_flags;
	char **args = argv + 1;

	/* Every file carewatch creates (the database, its WAL) is owner-only. */
	umask(077);
	/* Known before anything can fail, so every error honours --json. */
	for (int i = 0; i < nargs && strcmp(args[i], "--") != 0; i++)
		if (strcmp(args[i], "--json") == 0)
			cli.json = true;
	if ((err = take_globals(&nargs, args, &g)) != CW_OK)
		goto out;
	cli.json = g.json;
	if (g.version) {
		puts("carewatch " CW_VERSION);
		return 0;
	}
	if (nargs == 0) {
		if (g.help) {
			usage(stdout);
			return 0;
		}
		err = cw_error(CW_EINVALID, "no command given (see carewatch --help)");
		goto out;
	}
	if ((err = find_command(nargs, args, &fam, &sub, &consumed)) != CW_OK) {
		if (g.help && fam) {
			family_usage(fam);
			return 0;
		}
		goto out;
	}
	snprintf(cmdname, sizeof(cmdname), "%s%s%s", fam->name, sub->name ? " " : "",
		sub->name ? sub->name : "");
	cli.cmdname = cmdname;
	cli.usage = sub->usage;
	cli.tty = isatty(STDOUT_FILENO);
	cli.help = g.help;
	if (g.help) {
		err = sub->run(&cli, nargs - consumed, args + consumed);
		if (err == CW_HELP_SHOWN)
			err = CW_OK;
		goto out;
	}

	/* Paths only: which rules are in force is the engine's business (a
	 * database's pinned rules; a rules file only where none are pinned). */
	cli.config_path = env_or(g.config, "CAREWATCH_CONFIG", NULL);
	rules_flags = sub->flags & CW_CMD_ANYCONFIG ? CW_RULES_CONFIG_OK : 0;
	today_s = env_or(g.today, "CAREWATCH_TODAY", NULL);
	if (today_s) {
		if ((err = cw_date_parse(today_s, &today)) != CW_OK) {
			err = cw_error(CW_EINVALID, "--today: '%.40s' is not a valid date (YYYY-MM-DD)",
				today_s);
			goto out;
		}
	} else {
		today = cw_date_today_utc();
	}
	dbpath = env_or(g.db, "CAREWATCH_DB", "./carewatch.db");
	cli.db_path = dbpath;
	if (sub->flags & CW_CMD_OWNDB) {
		/* serve: each request acts as its signed-in user, never as --as. */
		err = sub->run(&cli, nargs - consumed, args + consumed);
		goto out;
	}
	actor = env_or(g.as, "CAREWATCH_USER", NULL);
	if (!actor)
		actor = default_actor();
	if (sub->flags & CW_CMD_NODB) {
		struct stat sb;

		/* Rules are public, but once a database exists only its users act,
		 * under its rules. */
		if (stat(dbpath, &sb) == 0) {
			if ((err = cw_db_open(&cli.db, dbpath, NULL, today, false)) != CW_OK ||
			    (err = cw_db_rules_load(cli.db, cli.config_path, rules_flags)) != CW_OK ||
			    (err = cw_db_set_actor(cli.db, actor)) != CW_OK)
				goto out;
			cli.rules = cw_db_rules(cli.db);
		} else {
			if ((err = cw_rules_load(&rules, cli.config_path)) != CW_OK)
				goto out;
			cli.rules = rules;
		}
		err = sub->run(&cli, nargs - consumed, args + consumed);
		goto out;
	}
	/* Refuse a bad name or a bad rules file before init creates any file. */
	if ((sub->flags & CW_CMD_INIT) && (err = cw_db_check_user_name(actor)) != CW_OK)
		goto out;
	if ((sub->flags & CW_CMD_INIT) && cli.config_path) {
		json_t *checked = NULL;

		if ((err = cw_db_rules_check(cli.config_path, &checked)) != CW_OK)
			goto out;
		json_decref(checked);
	}
	if ((err = cw_db_open(&cli.db, dbpath, NULL, today, sub->flags & CW_CMD_INIT)) != CW_OK ||
	    (err = cw_db_rules_load(cli.db, cli.config_path, rules_flags)) != CW_OK)
		goto out;
	cli.rules = cw_db_rules(cli.db);
	/* After the open, which refuses another application's file and makes
	 * SQLite's -wal and -shm (with the main file's mode). */
	if (sub->flags & CW_CMD_INIT) {
		char *tightened = NULL;

		if ((err = cw_db_secure_files(dbpath, &tightened)) != CW_OK)
			goto out;
		if (tightened)
			fprintf(stderr, "carewatch: others could read the database files: made %s"
				" owner-only (0600)\n", tightened);
		free(tightened);
	}
	/* An input file is read whole before the transaction takes the lock. */
	if ((sub->flags & CW_CMD_INPUT) && nargs - consumed > 0 &&
	    args[nargs - 1][0] != '-') {
		cli.input_path = args[nargs - 1];
		if ((err = cw_cli_read_input(cli.input_path, &cli.input, &cli.input_len)) != CW_OK)
			goto out;
	}
	call.cli = &cli;
	call.sub = sub;
	call.argc = nargs - consumed;
	call.argv = args + consumed;
	if (sub->flags & CW_CMD_INIT) {
		call.init_actor = actor;
		err = cw_db_run(cli.db, true, run_command, &call);
	} else {
		err = cw_db_run_as(cli.db, actor, sub->flags & CW_CMD_WRITE, run_command, &call);
	}

out:
	if (err == CW_OK) {
		emit(&cli);
		err = cli.exit_code;
		/* Committed, but the output is lost (stdout closed, disk full): say
		 * on stderr that it was saved and what, so a script does not run
		 * it again and make a duplicate. */
		errno = 0;
		if ((fflush(stdout) != 0 || ferror(stdout)) && sub &&
		    (sub->flags & (CW_CMD_WRITE | CW_CMD_INIT))) {
			const char *id = json_string_value(json_object_get(cli.out, "id"));
			int e = errno;

			fprintf(stderr, "carewatch: %s was saved%s%s, but its output could not be"
				" written (%s): do not run it again\n", cli.cmdname, id ? " as " : "",
				id ? id : "", e ? strerror(e) : "write error");
			err = CW_EINTERNAL;
		}
	} else if (err != CW_HELP_SHOWN) {
		cw_print_error(&cli, err);
	} else {
		err = CW_OK;
	}
	json_decref(cli.out);
	if (cli.data_free)
		cli.data_free(cli.data);
	free(cli.raw);
	free(cli.input);
	cw_db_close(cli.db);
	cw_rules_free(rules);
	cw_error_clear();
	if (fflush(stdout) != 0 && err == CW_OK)
		err = CW_EINTERNAL;
	return err;
}
