/* The per-thread progress reporter (include/carewatch/progress.h). */
#include "carewatch/progress.h"

static _Thread_local cw_progress_fn reporter;
static _Thread_local void *reporter_arg;
static _Thread_local bool held;

void cw_progress_set(cw_progress_fn fn, void *arg)
{
	reporter = fn;
	reporter_arg = arg;
}

void cw_progress_hold(bool hold)
{
	held = hold;
}

void cw_progress_report(size_t done, size_t total)
{
	if (reporter && !held)
		reporter(reporter_arg, done, total);
}
