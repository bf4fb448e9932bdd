#ifndef CWSCENARIO_H
#define CWSCENARIO_H
/*
 * The short names the older scenario tests use for the shorthands of
 * cwtest.h (a file-level `static cwt t;`): run as a user, expect success
 * or a given exit code, find text in output.
 */
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

#define RUN CWT_RUN
#define OK CWT_OK
#define REFUSED CWT_EXIT
#define HAS CWT_HAS

/* An id or reference kept from one run for the next. */
typedef char cid[64];

#endif
