/* libFuzzer target: cw_fuzz_check_template (checks_template.c). */
#include <stdio.h>
#include <stdlib.h>
#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = cw_fuzz_check_template(data, size);

	if (msg) {
		fprintf(stderr, "property failed: %s\n", msg);
		abort();
	}
	return 0;
}
