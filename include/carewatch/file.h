#ifndef CW_FILE_H
#define CW_FILE_H
/*
 * Opening a file the user named (an import, a rules file, a template) so
 * that it cannot hang or mislead carewatch: it is opened without blocking
 * (a FIFO with no writer would wait for ever), and anything but a regular
 * file (FIFO, device, directory, socket) is refused before a byte is read.
 * With `nofollow`, a symbolic link in the last component is refused too.
 */
#include <stdbool.h>
#include <stdio.h>
#include "carewatch/buf.h"

/* The open stream (blocking again, read-only), or NULL with CW_EINVALID
 * set: "PATH: cannot read WHAT: why". */
FILE *cw_file_open_regular(const char *path, bool nofollow, const char *what);

/* The rest of `f` appended to `b`, stopping once past `max` bytes: 0, 1 when
 * larger than `max`, -1 on a read error (errno says why). Sets no error, so
 * that each caller names the file in its own words; `f` stays open. */
int cw_file_read_capped(FILE *f, size_t max, cw_buf *b);

#endif
