#ifndef CWTEST_H
#define CWTEST_H
/*
 * Helpers for the scenario tests: each test gets a scratch directory and a
 * database in it, runs the built carewatch binary as a user would, and
 * looks at its exit code, stdout and stderr.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

typedef struct {
	char dir[256];
	char db[300];
	const char *today;   /* CAREWATCH_TODAY for the runs; default 2026-11-22 */
	const char *config;  /* CAREWATCH_CONFIG, or NULL */
	const char *columns; /* COLUMNS (the width tables fit), or NULL */
	int code;            /* exit code of the last run */
	char *out;           /* its stdout */
	char *err;           /* its stderr */
	json_t *json;        /* stdout parsed as JSON, when it parses */
	char admin[64];      /* the user cwt_setup ran init as */
} cwt;

/* Make a scratch dir; with `init_as`, run `init` as that user. */
void cwt_setup(cwt *t, const char *init_as);
void cwt_teardown(cwt *t);
/* Record a fictional letterhead on commissioner `name` (as `as`), so that
 * letters and documents can be printed; asserts it worked. */
void cwt_letterhead(cwt *t, const char *as, const char *name);

/* Run carewatch as user `as` (NULL: no --as) with the NULL-terminated
 * arguments; returns the exit code. */
int cwt_run(cwt *t, const char *as, ...) __attribute__((sentinel));
int cwt_runv(cwt *t, const char *as, const char *const *argv);

/*
 * Pin a rules file as the test database's rules (`rules set`, as the admin
 * init made); NULL pins the shipped default. A database's rules are its
 * own: CAREWATCH_CONFIG is refused once init has pinned them.
 */
void cwt_rules(cwt *t, const char *path);

/* Number of rows in a table of the test database (to prove nothing was written). */
long cwt_count(cwt *t, const char *table);
/* Run SQL on the test database directly (tampering tests). */
int cwt_sql(cwt *t, const char *sql);

/*
 * The test database opened through the engine, for tests of the engine's
 * API: the compiled-in rules, t->today, and `as` as the actor (NULL: none).
 * Each call opens a session of its own; close it with cw_db_close().
 */
cw_db *cwt_engine(cwt *t, const char *as);
/* The string at `key` of the last JSON output ("" when absent). */
const char *cwt_str(cwt *t, const char *key);
/* Write a file in the scratch dir; returns its path (static buffer). */
const char *cwt_file(cwt *t, const char *name, const char *content);

/* Shorthands for a scenario test whose cwt is a file-level `t`: run as a
 * user; expect success (exit 0) or a given exit code; text contains. */
#define CWT_RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define CWT_OK(as, ...) cr_assert_eq(CWT_RUN(as, __VA_ARGS__), 0, "exit %d: %s%s", \
	t.code, t.err, t.out)
#define CWT_EXIT(want, as, ...) cr_assert_eq(CWT_RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define CWT_HAS(text, what) cr_assert(strstr((text), (what)), "no '%s' in: %s", (what), (text))

#endif
