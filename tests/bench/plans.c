/*
 * What the library actually runs: every statement it steps is caught with
 * sqlite3_trace_v2(SQLITE_TRACE_PROFILE), timed by SQLite itself, and then
 * shown with its EXPLAIN QUERY PLAN, so the plans printed are those of the
 * engine's own SQL and cannot drift from it. The phases at the end run the
 * hot paths once under that trace and write the Markdown the report quotes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "carewatch/concern.h"
#include "carewatch/error.h"
#include "carewatch/placement.h"
#include "carewatch/provider.h"
#include "carewatch/watchlist.h"
#include "store.h"
#include "phases.h"

struct sql_entry {
	char *sql;
	long calls;
	double ns;
};

struct sql_profile {
	struct sql_entry *e;
	size_t n, cap;
};

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
	struct sql_profile *pr = ctx;
	const char *sql;
	size_t i;

	if (type != SQLITE_TRACE_PROFILE)
		return 0;
	sql = sqlite3_sql((sqlite3_stmt *)p);
	if (!sql)
		return 0;
	for (i = 0; i < pr->n; i++)
		if (strcmp(pr->e[i].sql, sql) == 0)
			break;
	if (i == pr->n) {
		if (pr->n == pr->cap) {
			pr->cap = pr->cap ? pr->cap * 2 : 64;
			pr->e = realloc(pr->e, pr->cap * sizeof(*pr->e));
		}
		pr->e[i].sql = strdup(sql);
		pr->e[i].calls = 0;
		pr->e[i].ns = 0;
		pr->n++;
	}
	pr->e[i].calls++;
	pr->e[i].ns += (double)*(sqlite3_int64 *)x;
	return 0;
}

struct sql_profile *profile_start(sqlite3 *h)
{
	struct sql_profile *p = calloc(1, sizeof(*p));

	sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, on_trace, p);
	return p;
}

void profile_stop(sqlite3 *h, struct sql_profile *p)
{
	(void)p;
	sqlite3_trace_v2(h, 0, NULL, NULL);
}

void profile_free(struct sql_profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->e[i].sql);
	free(p->e);
	free(p);
}

static int by_time(const void *a, const void *b)
{
	const struct sql_entry *x = a, *y = b;

	return x->ns > y->ns ? -1 : x->ns < y->ns;
}

/* One line, whitespace squeezed, for a table cell. */
static void squeeze(const char *sql, char *out, size_t n, size_t max)
{
	size_t k = 0;
	bool space = false;

	for (; *sql && k + 4 < n && k < max; sql++) {
		if (isspace((unsigned char)*sql)) {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = *sql == '|' ? '/' : *sql;
	}
	if (*sql && k + 4 < n) {
		out[k++] = '.';
		out[k++] = '.';
		out[k++] = '.';
	}
	out[k] = '\0';
}

void profile_report(const struct sql_profile *p, FILE *f, size_t max)
{
	struct sql_entry *e = malloc((p->n ? p->n : 1) * sizeof(*e));
	double total = 0;
	size_t i;

	memcpy(e, p->e, p->n * sizeof(*e));
	qsort(e, p->n, sizeof(*e), by_time);
	for (i = 0; i < p->n; i++)
		total += e[i].ns;
	fprintf(f, "| calls | total ms | share | statement |\n|---:|---:|---:|---|\n");
	for (i = 0; i < p->n && i < max; i++) {
		char line[400];

		squeeze(e[i].sql, line, sizeof(line), 300);
		fprintf(f, "| %ld | %.2f | %.0f%% | `%s` |\n", e[i].calls, e[i].ns / 1e6,
			total > 0 ? 100.0 * e[i].ns / total : 0.0, line);
	}
	if (p->n > max)
		fprintf(f, "| | | | (%zu more statements) |\n", p->n - max);
	free(e);
}

/* Tables whose rows grow with history (concerns, their ratings, the audit
 * trail...) as opposed to with the number of providers or open cases. */
static bool history_table(const char *t)
{
	static const char *const small[] = {
		"providers", "commissioners", "users", "cases", "qa_meetings",
		"provider_commissioners", NULL
	};
	int i;

	for (i = 0; small[i]; i++)
		if (strcasecmp(t, small[i]) == 0)
			return false;
	return true;
}

/* The table an alias in `sql` stands for ("FROM concerns c" -> c: concerns). */
static void alias_table(const char *sql, const char *alias, char *out, size_t n)
{
	static const char *const kw[] = {
		"ON", "WHERE", "JOIN", "LEFT", "INNER", "GROUP", "ORDER", "LIMIT", "AS",
		"USING", "SET", "VALUES", NULL
	};
	char *copy = strdup(sql), *save = NULL, *tok, *prev = NULL, *prev2 = NULL;

	snprintf(out, n, "%s", alias);
	for (tok = strtok_r(copy, " \t\n(),;", &save); tok; tok = strtok_r(NULL, " \t\n(),;", &save)) {
		if (prev2 && prev && (strcasecmp(prev2, "FROM") == 0 || strcasecmp(prev2, "JOIN") == 0)) {
			int k;
			bool keyword = false;

			for (k = 0; kw[k]; k++)
				if (strcasecmp(tok, kw[k]) == 0)
					keyword = true;
			if (!keyword && strcmp(tok, alias) == 0) {
				snprintf(out, n, "%s", prev);
				break;
			}
		}
		prev2 = prev;
		prev = tok;
	}
	free(copy);
}

/* Is the index named after "USING [COVERING ]INDEX" in `detail` a partial
 * index (CREATE INDEX ... WHERE ...)? A scan of one reads only its rows. */
static bool partial_index(sqlite3 *h, const char *detail)
{
	const char *u = strstr(detail, "INDEX ");
	char name[128];
	size_t k = 0;
	sqlite3_stmt *st = NULL;
	bool partial = false;

	if (!u)
		return false;
	for (u += 6; *u && *u != ' ' && k + 1 < sizeof(name); u++)
		name[k++] = *u;
	name[k] = '\0';
	if (sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
			-1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		partial = strstr((const char *)sqlite3_column_text(st, 0), " WHERE ") != NULL;
	sqlite3_finalize(st);
	return partial;
}

static bool plannable(const char *sql)
{
	static const char *const verbs[] = { "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", NULL };
	int i;

	while (isspace((unsigned char)*sql))
		sql++;
	for (i = 0; verbs[i]; i++)
		if (strncasecmp(sql, verbs[i], strlen(verbs[i])) == 0)
			return true;
	return false;
}

void profile_plans(const struct sql_profile *p, sqlite3 *h, FILE *f, long *indexed, long *scans)
{
	struct sql_entry *e = malloc((p->n ? p->n : 1) * sizeof(*e));
	size_t i;

	memcpy(e, p->e, p->n * sizeof(*e));
	qsort(e, p->n, sizeof(*e), by_time);
	*indexed = *scans = 0;
	for (i = 0; i < p->n; i++) {
		char *q = NULL, line[1200];
		sqlite3_stmt *st = NULL;
		bool history_scan = false, small_scan = false, partial_scan = false, temp_order = false;
		bool limited = strstr(e[i].sql, " LIMIT ") != NULL;
		size_t len;

		if (!plannable(e[i].sql))
			continue;
		len = strlen(e[i].sql) + 32;
		q = malloc(len);
		snprintf(q, len, "EXPLAIN QUERY PLAN %s", e[i].sql);
		squeeze(e[i].sql, line, sizeof(line), 1000);
		fprintf(f, "```\n%s    -- %ld call(s), %.2f ms\n", line, e[i].calls, e[i].ns / 1e6);
		if (sqlite3_prepare_v2(h, q, -1, &st, NULL) != SQLITE_OK) {
			fprintf(f, "(no plan: %s)\n```\n", sqlite3_errmsg(h));
			free(q);
			continue;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 3);

			fprintf(f, "  %s\n", d ? d : "");
			if (d && strstr(d, "USE TEMP B-TREE FOR ORDER BY"))
				temp_order = true;
			if (d && strncmp(d, "SCAN ", 5) == 0) {
				char alias[64], table[64];
				size_t k = 0;

				for (d += 5; *d && *d != ' ' && k + 1 < sizeof(alias); d++)
					alias[k++] = *d;
				alias[k] = '\0';
				alias_table(e[i].sql, alias, table, sizeof(table));
				if (strcmp(alias, "CONSTANT") == 0)
					continue;
				if (partial_index(h, d))
					partial_scan = true;
				else if (history_table(table))
					history_scan = true;
				else
					small_scan = true;
			}
		}
		sqlite3_finalize(st);
		free(q);
		if (history_scan && limited && !temp_order) {
			/* ORDER BY ... LIMIT read in index order: it stops after LIMIT rows */
			fprintf(f, "=> ordered scan stopped by LIMIT: reads only the rows it returns\n");
			(*indexed)++;
		} else if (history_scan) {
			fprintf(f, "=> FULL SCAN of a table that grows with history\n");
			(*scans)++;
		} else if (small_scan || partial_scan) {
			fprintf(f, "=> scans %s\n", small_scan && partial_scan
				? "a partial index (open rows only) and a table that grows with providers"
				: partial_scan ? "a partial index: it reads open rows only"
				: "a table that grows with providers or cases only");
			(*indexed)++;
		} else {
			fprintf(f, "=> indexed\n");
			(*indexed)++;
		}
		fprintf(f, "```\n");
	}
	free(e);
}

/* ---- the phases that print them --------------------------------------- */

static void fail(struct phase_out *o, const char *what)
{
	if (o->error)
		return;
	o->error = 1;
	snprintf(o->message, sizeof(o->message), "%s: %s", what, cw_errmsg());
}

void ph_plans(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct lib_ctx l;
	FILE *f;
	long idx = 0, scans = 0, total_idx = 0, total_scans = 0;
	static const char *const what[] = {
		"watch list (one `cw_watchlist` call)", "concern log (one `cw_concern_log`)",
		"provider show (one `cw_provider_show`)", "placement check (one `cw_placement_check`)",
	};
	int k;

	if (lib_ctx_open(a, &l, o) != 0)
		return;
	if (!(f = fopen(a->out_path, "w"))) {
		o->error = 1;
		snprintf(o->message, sizeof(o->message), "cannot write %s", a->out_path);
		lib_ctx_close(&l);
		return;
	}
	for (k = 0; k < (a->watchlist_only ? 1 : 4); k++) {
		sqlite3 *h = cw_store_handle(l.db);
		struct sql_profile *p;
		json_t *out = NULL;
		char name[96];
		int err;

		gen_provider_name(a->w, op_lookup_provider(a, k), name, sizeof(name));
		cw_db_begin(l.db, k == 1);
		p = profile_start(h);
		if (k == 0) {
			err = cw_watchlist(l.db, &out);
		} else if (k == 1) {
			struct concern_row c;
			cw_concern_log_args g = { 0 };

			op_row(a, 0, &c);
			g.provider = name;
			g.source = "complaint";
			g.team = "commissioning";
			g.summary = c.summary;
			g.likelihood = 2;
			g.impact = 3;
			err = cw_concern_log(l.db, &g, &out);
		} else if (k == 2) {
			err = cw_provider_show(l.db, name, &out);
		} else {
			cw_placement_args pa = { 0 };

			pa.provider = name;
			pa.commissioner = BENCH_LEAD;
			err = cw_placement_check(l.db, &pa, &out);
			if (err == CW_EREFUSED)
				err = CW_OK;
		}
		profile_stop(h, p);
		/* Nothing the plan phase writes is kept. */
		cw_db_rollback(l.db);
		if (!a->watchlist_only) {
			fprintf(f, "\n#### %s%s\n\nStatements stepped:\n\n", what[k],
				err == CW_OK ? "" : " — FAILED");
			if (err != CW_OK)
				fprintf(f, "(error: %s)\n\n", cw_errmsg());
			profile_report(p, f, k == 0 ? 40 : 25);
			fprintf(f, "\nQuery plans:\n\n");
		}
		profile_plans(p, h, f, &idx, &scans);
		fprintf(f, "\n%ld statement(s) indexed, %ld with a full scan of a history table.\n",
			idx, scans);
		total_idx += idx;
		total_scans += scans;
		profile_free(p);
		json_decref(out);
	}
	o->st.rows = total_scans;
	o->st.n = total_idx;
	fclose(f);
	lib_ctx_close(&l);
}

/* The watch list, profiled statement by statement over a few warm calls. */
void ph_profile_watchlist(const void *arg, struct phase_out *o)
{
	const struct phase_arg *a = arg;
	struct lib_ctx l;
	struct sql_profile *p;
	json_t *out = NULL;
	double t0, wall = 0;
	FILE *f;
	int k;

	if (lib_ctx_open(a, &l, o) != 0)
		return;
	if (!(f = fopen(a->out_path, "w"))) {
		o->error = 1;
		lib_ctx_close(&l);
		return;
	}
	/* once to warm the cache as the timed runs are, then profiled */
	cw_db_begin(l.db, false);
	if (cw_watchlist(l.db, &out) != CW_OK)
		fail(o, "watchlist");
	cw_db_commit(l.db);
	json_decref(out);
	p = profile_start(cw_store_handle(l.db));
	for (k = 0; k < a->reps; k++) {
		out = NULL;
		t0 = now_s();
		cw_db_begin(l.db, false);
		if (cw_watchlist(l.db, &out) != CW_OK)
			fail(o, "watchlist");
		cw_db_commit(l.db);
		wall += now_s() - t0;
		json_decref(out);
	}
	profile_stop(cw_store_handle(l.db), p);
	fprintf(f, "Totals over %ld calls (%.1f ms of wall time per call; SQLite times"
		" statements to the millisecond, so only the sums over many calls mean much):\n\n",
		a->reps, 1000.0 * wall / (double)a->reps);
	profile_report(p, f, 12);
	profile_free(p);
	fclose(f);
	lib_ctx_close(&l);
}
