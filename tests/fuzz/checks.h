#ifndef CW_FUZZ_CHECKS_H
#define CW_FUZZ_CHECKS_H
/*
 * The properties the fuzz targets check, shared by the libFuzzer targets
 * (fuzz_*.c, built with clang when CW_FUZZ is ON) and by the Criterion
 * replay of their corpora (tests/test_fuzz_regress.c, always built), so
 * CI checks every corpus file without clang.
 *
 * Each takes arbitrary bytes and returns NULL when every property holds,
 * else a message naming the one that failed. None may crash, hang or leak
 * on any input: under libFuzzer with ASan/UBSan that is checked too.
 */
#include <stddef.h>
#include <stdint.h>

/* cw_rules_load_string: succeeds with a usable, self-consistent rule set,
 * or fails with CW_EINVALID and a one-line message naming the file. */
const char *cw_fuzz_check_rules(const uint8_t *data, size_t size);

/* cw_date_parse agrees with an independent YYYY-MM-DD check, and what it
 * accepts cw_date_format writes back as the very same text. */
const char *cw_fuzz_check_date(const uint8_t *data, size_t size);

/* cw_check_text / cw_check_name agree with an independent UTF-8 and
 * control-character check; cw_fold keeps valid UTF-8 valid, keeps the
 * length, is idempotent and ignores ASCII case. */
const char *cw_fuzz_check_text(const uint8_t *data, size_t size);

/* tests/fuzz/checks_import.c. First byte: providers (even) or concerns
 * (odd); the rest is a CSV file. cw_csv_parse either reads it or fails with
 * one line naming the file; what it reads, written with cw_csv_put_field
 * (formula cells neutralised) and read again, is the same; the import into
 * a scratch database either adds exactly the rows it reports (one audit
 * entry each, plus one) or fails invalid/refused/not found with one line
 * naming the file; after the rollback nothing has changed. */
const char *cw_fuzz_check_import(const uint8_t *data, size_t size);

/* tests/fuzz/checks_template.c. A template, NUL, values separated by NULs.
 * Rendered in every format, it either succeeds or fails CW_EINVALID with
 * one line naming the template; in HTML no value adds a '<' or '>', in
 * Markdown no value adds a line, in text no CR gets through, and wrapping
 * the text drops and changes nothing but blanks and line breaks. */
const char *cw_fuzz_check_template(const uint8_t *data, size_t size);

#endif
