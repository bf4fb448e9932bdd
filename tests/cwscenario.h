#ifndef CWSCENARIO_H
#define CWSCENARIO_H
/*
 * The shorthands of a scenario test that drives the binary through one
 * file-level `static cwt t;` (cwtest.h): run as a user, expect success or a
 * given exit code (the output is shown when not), find text in output.
 */
#include <string.h>
#include <criterion/criterion.h>
#include "cwtest.h"

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s%s", t.code, t.err, t.out)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(text, what) cr_assert(strstr((text), (what)), "no '%s' in: %s", (what), (text))

/* An id or reference kept from one run for the next. */
typedef char cid[64];

#endif
