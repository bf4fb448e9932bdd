#ifndef CW_PROGRESS_H
#define CW_PROGRESS_H
/* Long work (import, demo) reports how far it has gone; a front door draws it. */
#include <stddef.h>

/* `done` of `total` units (rows of a file); called now and then, and once at the end. */
typedef void (*cw_progress_fn)(void *arg, size_t done, size_t total);

#endif
