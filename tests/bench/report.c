/*
 * The Markdown report: per scale, the figures beside raw SQLite's, the
 * ratios and the targets, memory, the ten-times-history comparison, the
 * "what if" indexes, where the watch list's time goes, and the query plans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "driver.h"

/*
 * Indexes tried on the bench's own copy of the database (the "what if"
 * rows of the report): what the report recommends adding to engine/storage/schema.c.
 */
const struct whatif_index bench_whatif[] = {
	{ "CREATE INDEX IF NOT EXISTS concerns_open ON concerns(provider_id, status, positive,"
	  " likelihood, impact, received, source) WHERE status = 'open'",
	  "DROP INDEX IF EXISTS concerns_open",
	  "covering, open rows only: the watch list's open concerns by provider (engine/domain/watchlist.c"
	  " SQL_OPEN_CONCERNS, then a scan of open rows only) and each provider's open concerns"
	  " (engine/domain/flags.c SQL_OPEN_CONCERNS, engine/domain/provider.c SQL_OPEN_CONCERNS)" },
	{ "CREATE INDEX IF NOT EXISTS concerns_group_window ON concerns(provider_id, received,"
	  " positive, source)",
	  "DROP INDEX IF EXISTS concerns_group_window",
	  "covering: the group's concerns in the flag windows (engine/domain/flags.c SQL_GROUP_RECEIVED),"
	  " no table lookups; it can replace concerns_provider_received(provider_id, received)" },
	{ "CREATE INDEX IF NOT EXISTS concerns_pova ON concerns(received, provider_id)"
	  " WHERE source = 'pova_referral'",
	  "DROP INDEX IF EXISTS concerns_pova",
	  "POVA referrals in the window (engine/domain/watchlist.c SQL_POVA); SQLite only picks it when"
	  " the query says GROUP BY +provider_id, else it scans concerns_provider_received whole" },
	{ "CREATE INDEX IF NOT EXISTS concerns_received_provider ON concerns(received, provider_id)",
	  "DROP INDEX IF EXISTS concerns_received_provider",
	  "concerns new since the last QA meeting (engine/domain/watchlist.c SQL_SINCE), covering; likewise"
	  " only with GROUP BY +provider_id; it can replace concerns_received(received)" },
};
const size_t bench_nwhatif = sizeof(bench_whatif) / sizeof(bench_whatif[0]);

static double ms(double s)
{
	return s * 1000.0;
}

static const char *verdict(bool ok)
{
	return ok ? "**met**" : "**missed**";
}

static void lat_cell(FILE *f, const struct stats *s)
{
	if (s->n == 0) {
		fprintf(f, "not measured");
		return;
	}
	fprintf(f, "p50 %.2f ms, p99 %.2f ms (n=%ld)", ms(s->p50), ms(s->p99), s->n);
	if (s->failures)
		fprintf(f, ", %ld FAILED", s->failures);
}

static double mb(long kb)
{
	return (double)kb / 1024.0;
}

static void copy_file(FILE *f, const char *path)
{
	FILE *in = fopen(path, "r");
	char buf[8192];
	size_t n;

	if (!in) {
		fprintf(f, "(%s not written)\n", path);
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, f);
	fclose(in);
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void row_op(FILE *f, const char *what, const struct stats *lib, const char *rawname,
	const struct stats *raw, const char *target, int ok)
{
	fprintf(f, "| %s | ", what);
	lat_cell(f, lib);
	fprintf(f, " | %s", rawname);
	lat_cell(f, raw);
	fprintf(f, " | %.2f | %s | %s |\n", ratio(lib->p50, raw->p50), target,
		ok < 0 ? "" : verdict(ok));
}

void report_scale(FILE *f, const struct result *r, bool with_plans)
{
	const struct gen_summary *g = &r->gen;
	const struct opstats *lg = &r->log, *pc = &r->pc, *sh = &r->show, *wl = &r->wl;
	double start_ins = lg->ver.p50 + lg->rawc.p50;

	fprintf(f, "\n### %s: %ld providers, %ld concerns\n\n", r->sc->name, g->providers,
		g->concerns);
	fprintf(f, "Generated: %ld providers (%ld provider groups); %ld concerns received over %ld"
		" days, %ld of them open and scored, %ld positive feedback, %ld POVA referrals;"
		" %ld open cases (%ld escalated, %ld under the lead's embargo, %ld with the health"
		" board's suspension in force, %ld restarted by it with conditions), %ld provider"
		" performance meetings, %ld QA meeting, %ld action items, %ld placements, %ld cases"
		" closed (%ld library operations refused by their rules and left out). Raw fill"
		" %.1f s, library part %.1f s; the whole scale took %.0f s.\n\n",
		g->providers, g->groups, g->concerns, r->w.span_days, g->open, g->positive, g->pova,
		g->cases, g->escalated, g->embargoes, g->other_embargoes, g->restricted, g->meetings,
		g->qa_meetings, g->actions, g->placements, g->closed_cases, g->refused,
		g->seconds_raw, g->seconds_lib, r->seconds);

	fprintf(f, "| measure | carewatch | raw SQLite, same work, same run | ratio (p50) | target | |\n"
		"|---|---|---|---:|---|---|\n");
	fprintf(f, "| bulk import, %ld rows (2 imports of %ld, each one transaction) | %.0f rows/s"
		" (`cw_import_csv`, audit chain included) | %.0f rows/s | %.2f (rate) | ≥ 0.50 | %s |\n",
		r->imp_lib.rows, r->imp_lib.rows / 2, r->imp_lib.rate, r->imp_raw.rate,
		ratio(r->imp_lib.rate, r->imp_raw.rate),
		verdict(!r->imp_lib.failures && ratio(r->imp_lib.rate, r->imp_raw.rate) >= 0.5));
	fprintf(f, "| concern log, library, %.0f ops/s | ", lg->lib.rate);
	lat_cell(f, &lg->lib);
	fprintf(f, " | durable insert (concern + rating, one transaction), %.0f ops/s: ",
		lg->raw.rate);
	lat_cell(f, &lg->raw);
	fprintf(f, " | %.2f | — | |\n", ratio(lg->lib.p50, lg->raw.p50));
	fprintf(f, "| concern log, CLI (fork/exec), %.0f ops/s | ", lg->cli.rate);
	lat_cell(f, &lg->cli);
	fprintf(f, " | `--version` p50 %.2f ms + durable insert p50 %.2f ms = %.2f ms | %.2f |"
		" ≤ 1.5 | %s |\n", ms(lg->ver.p50), ms(lg->rawc.p50), ms(start_ins),
		ratio(lg->cli.p50, start_ins),
		verdict(!lg->cli.failures && ratio(lg->cli.p50, start_ins) <= 1.5));
	if (r->watchlist_ok) {
		char what[96];

		double start_wl = wl->ver.p50 + wl->rawc.p50;

		snprintf(what, sizeof(what), "watch list (typed rows), library, %ld rows", wl->lib.rows);
		row_op(f, what, &wl->lib, "raw-SQL watch list: ", &wl->raw, "≤ 1.5",
			ratio(wl->lib.p50, wl->raw.p50) <= 1.5);
		fprintf(f, "| watch list, CLI (`watchlist`, the table) | ");
		lat_cell(f, &wl->cli);
		fprintf(f, " | `--version` p50 %.2f ms + raw-SQL watch list p50 %.2f ms = %.2f ms |"
			" %.2f | ≤ 1.5 | %s |\n", ms(wl->ver.p50), ms(wl->rawc.p50), ms(start_wl),
			ratio(wl->cli.p50, start_wl),
			verdict(!wl->cli.failures && ratio(wl->cli.p50, start_wl) <= 1.5));
	} else {
		fprintf(f, "| watch list | not measured (cw_watchlist failed) | | | ≤ 1.5 | |\n");
	}
	row_op(f, "placement check, library", &pc->lib, "", &pc->raw, "—", -1);
	row_op(f, "placement check, CLI", &pc->cli, "`--version`, same rounds: ", &pc->ver, "≤ 2",
		!pc->cli.failures && ratio(pc->cli.p50, pc->ver.p50) <= 2.0);
	row_op(f, "provider show, library", &sh->lib, "", &sh->raw, "—", -1);
	row_op(f, "provider show, CLI", &sh->cli, "`--version`, same rounds: ", &sh->ver, "—", -1);
	fprintf(f, "| `carewatch --version` start-up | ");
	lat_cell(f, &lg->ver);
	fprintf(f, " | one raw durable insert: ");
	lat_cell(f, &lg->rawc);
	fprintf(f, " | | | |\n");

	fprintf(f, "\nPeak memory (max RSS of a process doing only that work):\n\n"
		"| work | library | raw SQLite | CLI (largest run) |\n|---|---:|---:|---:|\n");
	fprintf(f, "| bulk import (%ld rows) | %.1f MB | %.1f MB | |\n", r->imp_lib.rows / 2,
		mb(r->imp_lib.maxrss_kb), mb(r->imp_raw.maxrss_kb));
	fprintf(f, "| concern log | %.1f MB | %.1f MB | %.1f MB |\n", mb(lg->mem_lib.maxrss_kb),
		mb(lg->mem_raw.maxrss_kb), mb(lg->cli.maxrss_kb));
	if (r->watchlist_ok)
		fprintf(f, "| watch list | %.1f MB | %.1f MB | %.1f MB |\n",
			mb(wl->mem_lib.maxrss_kb), mb(wl->mem_raw.maxrss_kb), mb(wl->cli.maxrss_kb));
	fprintf(f, "| placement check | %.1f MB | %.1f MB | %.1f MB |\n", mb(pc->mem_lib.maxrss_kb),
		mb(pc->mem_raw.maxrss_kb), mb(pc->cli.maxrss_kb));
	fprintf(f, "| provider show | %.1f MB | %.1f MB | %.1f MB |\n", mb(sh->mem_lib.maxrss_kb),
		mb(sh->mem_raw.maxrss_kb), mb(sh->cli.maxrss_kb));
	fprintf(f, "| `--version` | | | %.1f MB |\n", mb(lg->ver.maxrss_kb));

	if (r->history) {
		double lib = ratio(r->h_lib10.p50, r->h_lib1.p50), cl = ratio(r->h_cli10.p50, r->h_cli1.p50);
		double l2r = ratio(r->h10.lib.p50, r->h10.raw.p50);

		fprintf(f, "\nTen times the resolved history: a copy of the database with %ld older"
			" resolved concerns added (in %.1f s), %ld concerns in all, the open concerns,"
			" cases and flags unchanged. Each pair of figures was taken alternating between"
			" the two files call by call:\n\n"
			"| | 1× history | 10× history | 10× ÷ 1× | target | |\n|---|---|---|---:|---|---|\n",
			r->history_rows, r->history_s, g->concerns + r->history_rows);
		fprintf(f, "| watch list, library | p50 %.2f ms (n=%ld) | p50 %.2f ms | %.2f | ≤ 1.2 | %s |\n",
			ms(r->h_lib1.p50), r->h_lib1.n, ms(r->h_lib10.p50), lib, verdict(lib <= 1.2));
		fprintf(f, "| watch list, CLI | p50 %.2f ms (n=%ld) | p50 %.2f ms | %.2f | (≤ 1.2) | %s |\n",
			ms(r->h_cli1.p50), r->h_cli1.n, ms(r->h_cli10.p50), cl, verdict(cl <= 1.2));
		fprintf(f, "| raw-SQL watch list | p50 %.2f ms (n=%ld) | p50 %.2f ms | %.2f | | |\n",
			ms(r->h_raw1.p50), r->h_raw1.n, ms(r->h_raw10.p50), ratio(r->h_raw10.p50, r->h_raw1.p50));
		fprintf(f, "| watch list, library ÷ raw-SQL watch list (paired at 10×: p50 %.2f ms ÷ %.2f ms) |"
			" | %.2f | | ≤ 1.5 | %s |\n", ms(r->h10.lib.p50), ms(r->h10.raw.p50), l2r,
			verdict(l2r <= 1.5));
		fprintf(f, "| watch list memory, library | %.1f MB | %.1f MB | %.2f | flat | %s |\n",
			mb(r->h_mem1.maxrss_kb), mb(r->h_mem10.maxrss_kb),
			ratio((double)r->h_mem10.maxrss_kb, (double)r->h_mem1.maxrss_kb),
			verdict(r->h_mem10.maxrss_kb <= r->h_mem1.maxrss_kb * 11 / 10 + 1024));
		fprintf(f, "| watch list memory, CLI | %.1f MB | %.1f MB | %.2f | flat | %s |\n",
			mb(r->h_cli1.maxrss_kb), mb(r->h_cli10.maxrss_kb),
			ratio((double)r->h_cli10.maxrss_kb, (double)r->h_cli1.maxrss_kb),
			verdict(r->h_cli10.maxrss_kb <= r->h_cli1.maxrss_kb * 11 / 10 + 1024));
	}
	if (r->whatif) {
		size_t i;

		fprintf(f, "\nWith the recommended indexes (created on the bench's copies only");
		if (r->whatif_index_s > 0)
			fprintf(f, ", in %.1f s%s", r->whatif_index_s, r->history ? " on the 10× copy" : "");
		fprintf(f, "):\n\n");
		for (i = 0; i < bench_nwhatif; i++)
			fprintf(f, "- `%s;` — %s\n", bench_whatif[i].create, bench_whatif[i].serves);
		fprintf(f, "\n| | watch list, library | raw-SQL watch list | library ÷ raw (paired) | target | |\n"
			"|---|---|---|---:|---|---|\n");
		fprintf(f, "| %s | p50 %.2f ms | p50 %.2f ms | %.2f | ≤ 1.5 | %s |\n",
			r->history ? "10× history" : "as generated", ms(r->wpair.lib.p50),
			ms(r->wpair.raw.p50), ratio(r->wpair.lib.p50, r->wpair.raw.p50),
			verdict(ratio(r->wpair.lib.p50, r->wpair.raw.p50) <= 1.5));
		if (r->apair.done)
			fprintf(f, "| %s, indexes and `ANALYZE` | p50 %.2f ms | p50 %.2f ms | %.2f | ≤ 1.5 | %s |\n",
				r->history ? "10× history" : "as generated", ms(r->apair.lib.p50),
				ms(r->apair.raw.p50), ratio(r->apair.lib.p50, r->apair.raw.p50),
				verdict(ratio(r->apair.lib.p50, r->apair.raw.p50) <= 1.5));
		if (r->history) {
			double lib = ratio(r->w_lib10.p50, r->w_lib1.p50);

			fprintf(f, "| 1× → 10× history (alternating) | p50 %.2f → %.2f ms: %.2f |"
				" p50 %.2f → %.2f ms: %.2f | | ≤ 1.2 | %s |\n",
				ms(r->w_lib1.p50), ms(r->w_lib10.p50), lib, ms(r->w_raw1.p50),
				ms(r->w_raw10.p50), ratio(r->w_raw10.p50, r->w_raw1.p50), verdict(lib <= 1.2));
		}
	}
	if (r->whatif) {
		fprintf(f, "\nThe watch list's plans with those indexes:\n\n");
		copy_file(f, r->plans_whatif);
		if (r->apair.done) {
			fprintf(f, "\nAnd after `ANALYZE`:\n\n");
			copy_file(f, r->plans_analyze);
		}
	}
	if (r->watchlist_ok) {
		fprintf(f, "\nWhere the watch list's time goes (its statements, timed by SQLite%s):\n\n",
			r->history ? "; 1× history" : "");
		copy_file(f, r->profile);
		if (r->history) {
			fprintf(f, "\nThe same at 10× history:\n\n");
			copy_file(f, r->profile10);
		}
	}
	if (with_plans) {
		fprintf(f, "\n#### Query plans of the hot paths (%s scale)\n\n%ld statements indexed,"
			" %ld with a full scan of a table that grows with history.\n",
			r->sc->name, r->plan_indexed, r->plan_scans);
		copy_file(f, r->plans);
	}
}

void report_machine(FILE *f, const struct opts *o)
{
	FILE *c = fopen("/proc/cpuinfo", "r");
	FILE *m = fopen("/proc/meminfo", "r");
	char line[512], model[256] = "unknown";
	long memkb = 0;
	struct utsname u;

	while (c && fgets(line, sizeof(line), c))
		if (strncmp(line, "model name", 10) == 0) {
			char *p = strchr(line, ':');

			if (p) {
				snprintf(model, sizeof(model), "%s", p + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	while (m && fgets(line, sizeof(line), m))
		if (sscanf(line, "MemTotal: %ld kB", &memkb) == 1)
			break;
	if (c)
		fclose(c);
	if (m)
		fclose(m);
	uname(&u);
	fprintf(f, "Machine: %ld CPUs (nproc), %s, %.1f GB memory; %s %s; SQLite %s;"
		" seed %llu; databases in %s.\n",
		sysconf(_SC_NPROCESSORS_ONLN), model, (double)memkb / 1048576.0, u.sysname,
		u.release, sqlite3_libversion(), (unsigned long long)o->seed, o->dir);
}
