/*
 * Hardening of the command line's edges (issue 15): numbers, files and
 * output a hostile or unlucky environment gives carewatch.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "cwtest.h"

static cwt t;

#define RUN(as, ...) cwt_run(&t, as, __VA_ARGS__, NULL)
#define OK(as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), 0, "exit %d: %s%s", t.code, t.err, t.out)
#define REFUSED(want, as, ...) cr_assert_eq(RUN(as, __VA_ARGS__), want, \
	"expected exit %d, got %d: %s%s", want, t.code, t.err, t.out)
#define HAS(text, what) cr_assert(strstr((text), (what)), "no '%s' in: %s", (what), (text))

static void setup(void)
{
	cwt_setup(&t, "alice");
	OK("alice", "user", "add", "bob", "--role", "contracts");
	OK("alice", "commissioner", "add", "County Council", "--lead");
	OK("bob", "provider", "add", "Oakwood", "--type", "domiciliary",
		"--commissioner", "County Council");
}

static void teardown(void)
{
	cwt_teardown(&t);
}

TestSuite(harden, .init = setup, .fini = teardown, .timeout = 120);

Test(harden, numbers_are_decimal_only)
{
	static const char *const bad[] = { "0x10", "0X1p4", "1e2", "inf", "nan", "1.5.2", ".",
		"+3", " 3", "3 ", "", NULL };
	const char *const *p;
	long before = cwt_count(&t, "placements");

	for (p = bad; *p; p++) {
		REFUSED(2, "bob", "placement", "record", "--provider", "Oakwood",
			"--commissioner", "County Council", "--kind", "package", "--hours", *p);
		HAS(t.err, "--hours");
	}
	cr_assert_eq(cwt_count(&t, "placements"), before);
	REFUSED(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "0x3", "--impact", "2", "--summary", "s");
	REFUSED(2, "bob", "concern", "log", "--provider", "Oakwood", "--source", "complaint",
		"--team", "commissioning", "--likelihood", "3", "--impact", "0b10", "--summary", "s");
	REFUSED(2, "bob", "risk", "score", "0x3", "2");
	OK("bob", "--json", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "County Council", "--kind", "package", "--hours", "12.5");
	OK("bob", "--json", "placement", "record", "--provider", "Oakwood",
		"--commissioner", "County Council", "--kind", "package", "--hours", "7");
}
