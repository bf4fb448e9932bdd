#ifndef CW_CLI_PROGRESS_H
#define CW_CLI_PROGRESS_H
/*
 * A progress bar on stderr for long commands (import, demo), drawn only
 * when stderr is a terminal: nothing extra reaches a pipe or a log.
 */
#include <stdbool.h>
#include <time.h>

typedef struct {
	const char *what;           /* "importing ratings.csv" */
	const char *unit;           /* "rows" */
	struct timespec started, drawn;
	bool on, shown;
} cw_cli_progress;

/* Start reporting this thread's engine progress, if stderr is a terminal. */
void cw_cli_progress_start(cw_cli_progress *p, const char *what, const char *unit);
/* Stop; ends the bar's line if one was drawn. */
void cw_cli_progress_stop(cw_cli_progress *p);

#endif
