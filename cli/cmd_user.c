/* carewatch user add | list | passwd | edit | deactivate */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "carewatch/user.h"
#include "carewatch/auth.h"
#include "args.h"
#include "output.h"

static const cw_col user_cols[] = {
	{ "name", "NAME", 40 }, { "roles", "ROLES", 50 }, { "active", "ACTIVE", 0 },
	{ "deactivated", "DEACTIVATED", 0 }, { "id", "ID", 0 }, CW_COL_END
};

static int run_add(cw_cli *cli, int argc, char **argv)
{
	const char *role = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("role", &role, "R[,R...]", "roles: contracts, safeguarding, director, qa, admin, viewer"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	if ((err = cw_user_add(cli->db, pos[0], role, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_edit(cw_cli *cli, int argc, char **argv)
{
	const char *role = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("role", &role, "R[,R...]", "the user's roles from now on (replaces them)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_user_edit(cli->db, pos[0], role, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_deactivate(cw_cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("reason", &reason, "TEXT", "why (kept in the audit trail)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_user_deactivate(cli->db, pos[0], reason, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, NULL);
	return CW_OK;
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	return cw_cli_list(cli, argc, argv, cw_user_list, cw_print_table, user_cols);
}

/* One line from the terminal without echo, or from stdin when it is not one. */
static int read_password(const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) != 0)
			return cw_error(CW_EINTERNAL, "cannot read the terminal");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(buf, (int)cap, stdin))
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return CW_OK;
}

static int run_passwd(cw_cli *cli, int argc, char **argv)
{
	static const cw_opt opts[] = { CW_OPT_END };
	const char *pos[1];
	char pw[256], again[256];
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		return err;
	if ((err = read_password("New password: ", pw, sizeof(pw))) != CW_OK)
		return err;
	if (isatty(STDIN_FILENO)) {
		if ((err = read_password("Again: ", again, sizeof(again))) != CW_OK)
			goto done;
		if (strcmp(pw, again) != 0) {
			err = cw_error(CW_EINVALID, "the two passwords differ; nothing was changed");
			goto done;
		}
	}
	if ((err = cw_auth_set_password(cli->db, pos[0], pw)) == CW_OK)
		cw_cli_result(cli, json_pack("{s:s,s:b}", "user", pos[0], "password_set", 1),
			cw_print_object, NULL);
done:
	memset(pw, 0, sizeof(pw));
	memset(again, 0, sizeof(again));
	return err;
}

static const cw_subcmd subs[] = {
	{ "add", "NAME --role R[,R...]", "add a user with roles", run_add, CW_CMD_WRITE },
	{ "list", "", "list users", run_list, 0 },
	{ "edit", "NAME --role R[,R...]", "replace a user's roles", run_edit, CW_CMD_WRITE },
	{ "deactivate", "NAME --reason TEXT",
		"stop a user acting (kept, so their records keep their name)", run_deactivate,
		CW_CMD_WRITE },
	/* Not CW_CMD_WRITE: the write lock is not held while someone types. */
	{ "passwd", "NAME", "set a user's password for the web (reads the terminal or stdin)",
		run_passwd, 0 },
	{ 0 }
};

const cw_family cw_family_user = { "user", "users and their roles", subs };
