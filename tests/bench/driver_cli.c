/*
 * The CLI side: command lines for the built binary, and rounds that run a
 * command, `carewatch --version` and the same raw operation in rotation so
 * the three see the same load. The raw side runs in a child process that
 * waits on a pipe, so the driver (whose RSS every CLI child inherits) stays
 * small.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "driver.h"

/* ---- command lines ------------------------------------------------------ */

struct cli_ctx {
	const struct opts *o;
	const struct result *r;
	int what;
	long offset;
	const char *db;   /* NULL: r->db */
};

enum { CLI_VERSION, CLI_WATCHLIST, CLI_SHOW, CLI_PLACEMENT, CLI_LOG };

static void common(const struct cli_ctx *c, struct argv_b *a)
{
	argv_add(a, c->o->bin);
	argv_add(a, "--db");
	argv_add(a, c->db ? c->db : c->r->db);
	argv_add(a, "--as");
	argv_add(a, BENCH_USER);
	argv_add(a, "--today");
	argv_add(a, c->r->w.today_s);
	/* The watch list as the operator runs it (the README's main job): the table. */
	if (c->what != CLI_WATCHLIST)
		argv_add(a, "--json");
}

static void build_cli(const void *ctx, long i, struct argv_b *a)
{
	const struct cli_ctx *c = ctx;
	const struct world *w = &c->r->w;
	char name[96], num[16], rec[CW_DATE_STRLEN];

	if (c->what == CLI_VERSION) {
		argv_add(a, c->o->bin);
		argv_add(a, "--version");
		return;
	}
	common(c, a);
	if (c->what == CLI_WATCHLIST) {
		argv_add(a, "watchlist");
		return;
	}
	if (c->what == CLI_SHOW || c->what == CLI_PLACEMENT) {
		bench_rng r = rng_for(w->seed, STREAM_LOOKUP, (uint64_t)(c->offset + i));

		gen_provider_name(w, rng_below(&r, w->providers), name, sizeof(name));
		if (c->what == CLI_SHOW) {
			argv_add(a, "provider");
			argv_add(a, "show");
			argv_add(a, name);
		} else {
			argv_add(a, "placement");
			argv_add(a, "check");
			argv_add(a, "--provider");
			argv_add(a, name);
			argv_add(a, "--commissioner");
			argv_add(a, BENCH_LEAD);
		}
		return;
	}
	{
		struct concern_row cr;

		gen_concern(w, STREAM_LOG, c->offset + i, w->today, 60, true, &cr);
		if (cr.positive) {
			cr.source = "complaint";
			cr.likelihood = cr.impact = 2;
		}
		gen_provider_name(w, cr.provider, name, sizeof(name));
		argv_add(a, "concern");
		argv_add(a, "log");
		argv_add(a, "--provider");
		argv_add(a, name);
		argv_add(a, "--source");
		argv_add(a, cr.source);
		argv_add(a, "--team");
		argv_add(a, cr.team);
		snprintf(num, sizeof(num), "%d", cr.likelihood);
		argv_add(a, "--likelihood");
		argv_add(a, num);
		snprintf(num, sizeof(num), "%d", cr.impact);
		argv_add(a, "--impact");
		argv_add(a, num);
		argv_add(a, "--summary");
		argv_add(a, cr.summary);
		if (cr.category) {
			argv_add(a, "--category");
			argv_add(a, cr.category);
		}
		argv_add(a, "--received");
		argv_add(a, cw_date_format(cr.received, rec));
		if (cr.pova_ref[0]) {
			argv_add(a, "--pova-ref");
			argv_add(a, cr.pova_ref);
			argv_add(a, "--subject");
			argv_add(a, cr.subject_ref);
		}
	}
}

/*
 * The raw side of the CLI rounds runs in a child that waits for requests on
 * a pipe, so the driver (whose RSS every CLI child inherits) stays small.
 */
struct raw_server {
	pid_t pid;
	int req, resp;
};

static int raw_server_start(struct raw_server *s, const struct phase_arg *pa)
{
	int a[2], b[2];

	if (pipe(a) != 0 || pipe(b) != 0)
		return -1;
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		struct raw_ctx raw;
		long i;
		double t;

		close(a[1]);
		close(b[0]);
		if (raw_ctx_open(pa->db_path, pa->w->today, &raw) != 0)
			_exit(1);
		while (read(a[0], &i, sizeof(i)) == (ssize_t)sizeof(i) && i >= 0) {
			t = op_raw(&raw, pa, pa->what, i, NULL);
			if (write(b[1], &t, sizeof(t)) != (ssize_t)sizeof(t))
				break;
		}
		raw_ctx_close(&raw);
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	s->req = a[1];
	s->resp = b[0];
	/* the CLI children need not hold the pipes */
	fcntl(s->req, F_SETFD, FD_CLOEXEC);
	fcntl(s->resp, F_SETFD, FD_CLOEXEC);
	return 0;
}

static double raw_server_call(struct raw_server *s, long i)
{
	double t = -1;

	if (write(s->req, &i, sizeof(i)) != (ssize_t)sizeof(i) ||
	    read(s->resp, &t, sizeof(t)) != (ssize_t)sizeof(t))
		return -1;
	return t;
}

static void raw_server_stop(struct raw_server *s)
{
	long stop = -1;

	if (write(s->req, &stop, sizeof(stop)) != (ssize_t)sizeof(stop))
		kill(s->pid, SIGTERM);
	close(s->req);
	close(s->resp);
	waitpid(s->pid, NULL, 0);
}

/*
 * CLI rounds: each runs the command, `carewatch --version` and the raw
 * operation (in this process), in an order that rotates every round, so
 * the three see the same load on the machine.
 */
void cli_rounds(const struct opts *o, struct result *r, int what, long reps,
	double budget, struct opstats *s)
{
	struct cli_ctx cc = { o, r, 0, 0, NULL };
	struct phase_arg pa = bench_arg(r, what, reps, budget);
	struct raw_server raw;
	double *lc = calloc((size_t)reps, sizeof(double)), *lv = calloc((size_t)reps, sizeof(double));
	double *lr = calloc((size_t)reps, sizeof(double)), start = now_s();
	char errfile[600];
	long i, n = 0;

	snprintf(errfile, sizeof(errfile), "%s/cli-stderr.txt", o->dir);
	cc.what = what == OP_WATCHLIST ? CLI_WATCHLIST : what == OP_SHOW ? CLI_SHOW
		: what == OP_PLACEMENT ? CLI_PLACEMENT : CLI_LOG;
	cc.offset = 2000000;
	pa.offset = 3000000;
	memset(&s->cli, 0, sizeof(s->cli));
	memset(&s->ver, 0, sizeof(s->ver));
	memset(&s->rawc, 0, sizeof(s->rawc));
	if (raw_server_start(&raw, &pa) != 0)
		goto done;
	for (i = 0; i < reps; i++) {
		int k;

		for (k = 0; k < 3; k++) {
			int which = (int)((k + i) % 3);

			if (which == 0 || which == 1) {
				struct cli_ctx one = cc;
				struct argv_b av = { { NULL }, 0 };
				double secs = 0;
				long rss = 0;
				int code;

				if (which == 1)
					one.what = CLI_VERSION;
				build_cli(&one, i, &av);
				code = run_cli_once(av.v, errfile, &secs, &rss);
				argv_free(&av);
				if (code != 0 && code != 4) {
					struct stats *f = which == 0 ? &s->cli : &s->ver;

					if (!f->failures) {
						FILE *ef = fopen(errfile, "r");
						char buf[200] = "";

						if (ef) {
							buf[fread(buf, 1, sizeof(buf) - 1, ef)] = '\0';
							fclose(ef);
						}
						buf[strcspn(buf, "\n")] = '\0';
						fprintf(stderr, "bench: CLI exited %d: %s\n", code, buf);
						snprintf(f->note, sizeof(f->note), "exit %d: %.120s", code, buf);
					}
					f->failures++;
				}
				if (which == 0) {
					lc[n] = secs;
					if (rss > s->cli.maxrss_kb)
						s->cli.maxrss_kb = rss;
				} else {
					lv[n] = secs;
					if (rss > s->ver.maxrss_kb)
						s->ver.maxrss_kb = rss;
				}
			} else {
				lr[n] = raw_server_call(&raw, i);
			}
		}
		n++;
		if (i >= 2 && now_s() - start > budget)
			break;
	}
	raw_server_stop(&raw);
	stats_compute(&s->cli, lc, n);
	stats_compute(&s->ver, lv, n);
	stats_compute(&s->rawc, lr, n);
done:
	free(lc);
	free(lv);
	free(lr);
}

/* Paired library/raw samples, each side's memory, and the CLI rounds. */

void watchlist_cli_ab(const struct opts *o, struct result *r, double budget,
	struct stats *one, struct stats *ten)
{
	struct cli_ctx ca = { o, r, CLI_WATCHLIST, 0, r->db }, cb = { o, r, CLI_WATCHLIST, 0, r->db10 };
	double *la = calloc(BENCH_MAX_SAMPLES, sizeof(double));
	double *lb = calloc(BENCH_MAX_SAMPLES, sizeof(double)), start = now_s();
	char errfile[600];
	long i, n = 0;

	snprintf(errfile, sizeof(errfile), "%s/cli-stderr.txt", o->dir);
	memset(one, 0, sizeof(*one));
	memset(ten, 0, sizeof(*ten));
	for (i = 0; i < BENCH_MAX_SAMPLES; i++) {
		int k;

		for (k = 0; k < 2; k++) {
			bool first = (k + i) % 2 == 0;
			struct argv_b av = { { NULL }, 0 };
			struct stats *st = first ? one : ten;
			double secs = 0;
			long rss = 0;

			build_cli(first ? &ca : &cb, i, &av);
			if (run_cli_once(av.v, errfile, &secs, &rss) != 0)
				st->failures++;
			argv_free(&av);
			(first ? la : lb)[n] = secs;
			if (rss > st->maxrss_kb)
				st->maxrss_kb = rss;
		}
		n++;
		if (i >= 2 && now_s() - start > budget)
			break;
	}
	stats_compute(one, la, n);
	stats_compute(ten, lb, n);
	free(la);
	free(lb);
}
