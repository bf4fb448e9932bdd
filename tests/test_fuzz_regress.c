/*
 * The fuzz corpora, replayed without clang: every file of
 * tests/fuzz/corpus/<target>/ (the seeds) and tests/fuzz/regress/<target>/
 * (inputs that once failed, one file per finding) goes through the same
 * checks as the libFuzzer target (tests/fuzz/checks.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "checks.h"

typedef const char *(*check_fn)(const uint8_t *data, size_t size);

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n;

	cr_assert_not_null(f, "cannot open %s", path);
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replay every file of `kind`/`target`; returns how many there were. */
static int replay(const char *kind, const char *target, check_fn check)
{
	char dir[512];
	struct dirent **names;
	int n, i, files = 0;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s/%s", CW_SOURCE_DIR, kind, target);
	n = scandir(dir, &names, NULL, by_name);
	if (n < 0 && errno == ENOENT && strcmp(kind, "regress") == 0)
		return 0;   /* no findings for this target (git keeps no empty directory) */
	cr_assert_geq(n, 0, "cannot read %s", dir);
	for (i = 0; i < n; i++) {
		char path[1024];
		unsigned char *data;
		const char *msg;
		size_t len;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		data = slurp(path, &len);
		msg = check(data, len);
		free(data);
		cr_expect_null(msg, "%s: %s", path, msg ? msg : "");
		files++;
	}
	free(names);
	return files;
}

Test(fuzz_regress, rules_corpus)
{
	cr_assert_geq(replay("corpus", "fuzz_rules", cw_fuzz_check_rules), 3);
}

Test(fuzz_regress, date_corpus)
{
	cr_assert_geq(replay("corpus", "fuzz_date", cw_fuzz_check_date), 3);
}

Test(fuzz_regress, text_corpus)
{
	cr_assert_geq(replay("corpus", "fuzz_text", cw_fuzz_check_text), 3);
}

Test(fuzz_regress, import_corpus)
{
	cr_assert_geq(replay("corpus", "fuzz_import", cw_fuzz_check_import), 3);
}

Test(fuzz_regress, template_corpus)
{
	cr_assert_geq(replay("corpus", "fuzz_template", cw_fuzz_check_template), 3);
}

/* Findings: each file once broke a property (see tests/fuzz/README.md). */
Test(fuzz_regress, rules_findings)
{
	replay("regress", "fuzz_rules", cw_fuzz_check_rules);
}

Test(fuzz_regress, date_findings)
{
	replay("regress", "fuzz_date", cw_fuzz_check_date);
}

Test(fuzz_regress, text_findings)
{
	replay("regress", "fuzz_text", cw_fuzz_check_text);
}

Test(fuzz_regress, import_findings)
{
	replay("regress", "fuzz_import", cw_fuzz_check_import);
}

Test(fuzz_regress, template_findings)
{
	replay("regress", "fuzz_template", cw_fuzz_check_template);
}

/* The shipped rules files are seeds, and they are the files themselves. */
Test(fuzz_regress, shipped_rules_files)
{
	static const char *const files[] = { "carewatch.cfg", "nhs-5x5.cfg" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		unsigned char *data;
		size_t len;

		snprintf(path, sizeof(path), "%s/config/%s", CW_SOURCE_DIR, files[i]);
		data = slurp(path, &len);
		cr_expect_null(cw_fuzz_check_rules(data, len), "%s", path);
		free(data);
	}
}
