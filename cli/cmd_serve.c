/* carewatch serve: the web front door (web/), on this database and rules. */
#include <stdio.h>
#include "web.h"
#include "args.h"
#include "output.h"

static int run_serve(cw_cli *cli, int argc, char **argv)
{
	cw_web_serve_opts o = { 0 };
	cw_optint threads = { 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING("listen", &o.listen, "ADDR:PORT", "where to listen (default 127.0.0.1:8080)"),
		CW_OPT_STRING("tls-cert", &o.tls_cert, "FILE", "serve HTTPS with this certificate (PEM)"),
		CW_OPT_STRING("tls-key", &o.tls_key, "FILE", "and this private key (PEM)"),
		CW_OPT_INT("threads", &threads, "N", "worker threads, each with its own database handle (default 4)"),
		CW_OPT_END
	};
	cw_db *probe = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	if (threads.set && (threads.v < 1 || threads.v > 256))
		return cw_error(CW_EINVALID, "--threads must be from 1 to 256");
	/* A missing or old database, or a --config on pinned rules, is said
	 * now, not at the first request. */
	if ((err = cw_db_open(&probe, cli->db_path, NULL, cw_date_today_utc(), false)) != CW_OK ||
	    (err = cw_db_rules_load(probe, cli->config_path, 0)) != CW_OK) {
		cw_db_close(probe);
		return err;
	}
	cw_db_close(probe);
	o.threads = threads.set ? (unsigned)threads.v : 0;
	return cw_web_serve(cli->db_path, &o);
}

static const cw_subcmd subs[] = {
	{ NULL, "[--listen ADDR:PORT] [--tls-cert F --tls-key F] [--threads N]",
		"serve the web front door (login, every casework page)", run_serve, CW_CMD_OWNDB },
	{ 0 }
};

const cw_family cw_family_serve = { "serve", "the web front door for the team", subs };
