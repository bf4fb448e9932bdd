#ifndef CW_DEMO_INTERNAL_H
#define CW_DEMO_INTERNAL_H
#include <stddef.h>
#include "carewatch/csv.h"
#include "carewatch/db.h"

/* A provider of demo/data/providers.csv; "" is NULL for the optional texts. */
struct demo_provider {
	const char *name, *type, *regulator_id, *group;
	int in_house;
	const char *commissioners;   /* names of demo_commissioners, split by ';' */
};

/* A concern of demo/data/concerns.csv: impact 0 is positive feedback. */
struct demo_concern {
	const char *provider;        /* a name of providers.csv */
	int days_ago;                /* received this many days before today */
	const char *source, *team, *category;
	int likelihood, impact;
	const char *summary;
	int resolved;
};

/* The rows, pointing into the parsed files they were read from. */
struct demo_rows {
	cw_csv_table *files[2];
	struct demo_provider *providers;
	size_t nproviders;
	struct demo_concern *concerns;
	size_t nconcerns;
};

/* Read the rows built into the program; CW_EINTERNAL naming the file and
 * line of a row that does not have the columns it should. */
int demo_rows_load(struct demo_rows *r);
void demo_rows_free(struct demo_rows *r);

/* Play out the demo area's cases over the past months (demo/demo_cases.c).
 * `concerns` holds the id of each concern row, in the file's order. */
int cw_demo_cases(cw_db *db, const char (*concerns)[CW_ID_LEN]);
#endif
