#ifndef CW_VALID_H
#define CW_VALID_H
/* Checks on free text before it is stored, shared by the engine modules. */
#include <stdbool.h>
#include <stddef.h>

#define CW_NAME_MAX 200
#define CW_TEXT_MAX 20000

/*
 * Check text the user gave for field `what`: not empty (when `required`),
 * at most `max` bytes, valid UTF-8, no control characters other than
 * newline and tab (names: none at all), no bidirectional controls and no
 * zero-width characters. CW_OK or CW_EINVALID naming `what`.
 */
int cw_check_text(const char *what, const char *s, size_t max, bool required);
int cw_check_name(const char *what, const char *s);
/*
 * A provider, user or commissioner name: cw_check_name, no invisible
 * format characters at all, and not a text that could be read as an id or
 * id prefix (4 or more hex digits and dashes, after folding).
 */
int cw_check_entity_name(const char *what, const char *s);
/*
 * What makes code point `c` unsafe to store or print (C0/C1 controls,
 * bidirectional controls, zero-width characters; in names also any other
 * invisible format character), or NULL. Tab and newline count as controls:
 * callers that allow them in free text skip them first.
 */
const char *cw_text_hazard(unsigned c, bool name);
/* One of `choices` (NULL-terminated)? CW_OK or CW_EINVALID listing them. */
int cw_check_enum(const char *what, const char *s, const char *const *choices);
/* A whole number, strictly: no sign tricks, no overflow, no trailing text. */
int cw_check_whole(const char *what, const char *s, long *out);
#endif
