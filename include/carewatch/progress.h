#ifndef CW_PROGRESS_H
#define CW_PROGRESS_H
/*
 * Long work (import, demo) reports how far it has gone; a front door may
 * draw it. The reporter is per thread, like the last error, so a web
 * server's requests never draw on each other's terminals.
 */
#include <stdbool.h>
#include <stddef.h>

/* `done` of `total` units (rows of a file, items of the demo); called every
 * so often and always once with done == total at the end. */
typedef void (*cw_progress_fn)(void *arg, size_t done, size_t total);

/* Set (NULL: remove) this thread's reporter. */
void cw_progress_set(cw_progress_fn fn, void *arg);

/* Hold reports back (true) or let them through again: for work that calls
 * other reporting work as one step of its own (the demo's ratings import). */
void cw_progress_hold(bool hold);

/* Report to this thread's reporter, if any. */
void cw_progress_report(size_t done, size_t total);

#endif
