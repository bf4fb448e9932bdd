#ifndef CW_EMBEDDED_H
#define CW_EMBEDDED_H
/* Files of config/ compiled into the program (see cmake/embed.cmake). */
#include <stddef.h>

typedef struct {
	const char *path;   /* relative to config/, e.g. "carewatch.cfg" */
	const char *data;   /* NUL-terminated contents */
	size_t len;
} cw_embedded;

extern const cw_embedded cw_embedded_files[];

/* The embedded file at `path`, or NULL. */
const cw_embedded *cw_embedded_find(const char *path);

#endif
