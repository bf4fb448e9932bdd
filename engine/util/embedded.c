#include <string.h>
#include "embedded.h"

const cw_embedded *cw_embedded_find(const char *path)
{
	const cw_embedded *e;

	for (e = cw_embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}
