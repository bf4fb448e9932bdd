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
 * newline and tab (names: none at all). CW_OK or CW_EINVALID naming `what`.
 */
int cw_check_text(const char *what, const char *s, size_t max, bool required);
int cw_check_name(const char *what, const char *s);
/* One of `choices` (NULL-terminated)? CW_OK or CW_EINVALID listing them. */
int cw_check_enum(const char *what, const char *s, const char *const *choices);
/* A whole number, strictly: no sign tricks, no overflow, no trailing text. */
int cw_check_whole(const char *what, const char *s, long *out);
#endif
