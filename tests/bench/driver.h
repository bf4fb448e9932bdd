#ifndef CW_BENCH_DRIVER_H
#define CW_BENCH_DRIVER_H
/*
 * The driver's shared state: the scales, what one scale's run found
 * (bench_main.c), the CLI rounds (driver_cli.c) and the report (report.c).
 */
#include <stdio.h>
#include "phases.h"

struct scale_def {
	const char *name;
	long providers, concerns;
	long import_rows;     /* the import sample */
	bool history;         /* run the ten-times-history comparison */
};

/* An index tried on the bench's own copy ("what if"), recommended for engine/storage/schema.c. */
struct whatif_index {
	const char *create, *drop, *serves;
};

extern const struct whatif_index bench_whatif[];
extern const size_t bench_nwhatif;


struct opts {
	const char *dir, *bin, *out;
	uint64_t seed;
	cw_date today;
	bool keep, history, whatif;
};

/* One operation measured every way: paired library/raw samples, CLI
 * rounds (command, `--version`, raw operation in rotation) and memory. */
struct opstats {
	bool done;
	struct stats lib, raw;            /* paired, one process */
	struct stats cli, ver, rawc;      /* CLI rounds */
	struct stats mem_lib, mem_raw;    /* one side per process, for max RSS */
};

struct result {
	const struct scale_def *sc;
	struct world w;
	struct gen_summary gen;
	char db[512], db10[512], plans[512], plans_whatif[512], profile[512], profile10[512];
	bool watchlist_ok;
	struct opstats log, show, pc, wl;
	struct stats imp_lib, imp_raw;
	long plan_indexed, plan_scans;
	/* ten times the resolved history, on a copy, paired with the original */
	bool history;
	long history_rows;
	double history_s;
	struct stats h_lib1, h_lib10, h_raw1, h_raw10, h_cli1, h_cli10, h_mem1, h_mem10;
	struct opstats h10;           /* library and raw aggregate paired, at 10x */
	/* with the recommended indexes */
	bool whatif;
	struct stats w_lib1, w_lib10, w_raw1, w_raw10;
	struct opstats wpair;         /* library and raw paired with the indexes (10x if run) */
	struct opstats apair;         /* the same after ANALYZE */
	char plans_analyze[512];
	double whatif_index_s;
	double seconds;
};

/* A phase's arguments for operation `what` on the scale's database. */
struct phase_arg bench_arg(const struct result *r, int what, long reps, double budget);

/* CLI rounds (driver_cli.c): the command, `--version` and the raw operation in
 * rotation, into s->cli, s->ver, s->rawc. */
void cli_rounds(const struct opts *o, struct result *r, int what, long reps, double budget,
	struct opstats *s);
/* The watch list through the CLI on the 1x and the 10x database, alternating. */
void watchlist_cli_ab(const struct opts *o, struct result *r, double budget, struct stats *one,
	struct stats *ten);

/* The Markdown report (report.c). */
void report_machine(FILE *f, const struct opts *o);
void report_scale(FILE *f, const struct result *r, bool with_plans);

#endif
