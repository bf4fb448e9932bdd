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

/* The open stream (blocking again, read-only), or NULL with CW_EINVALID
 * set: "PATH: cannot read WHAT: why". */
FILE *cw_file_open_regular(const char *path, bool nofollow, const char *what);

#endif
