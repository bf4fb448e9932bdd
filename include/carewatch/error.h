#ifndef CW_ERROR_H
#define CW_ERROR_H
/*
 * One error convention for the whole engine: every fallible function returns
 * a cw_status (0 on success) and leaves a message, and for refusals the list
 * of unmet conditions, in a per-thread "last error" (like git_error_last()).
 * The status values are the command's exit codes.
 */
#include <stddef.h>

typedef enum {
	CW_OK = 0,
	CW_EINTERNAL = 1,  /* storage or I/O failure */
	CW_EINVALID = 2,   /* usage or invalid input; nothing written */
	CW_ENOTFOUND = 3,  /* a named entity does not exist */
	CW_EREFUSED = 4,   /* refused by a rule */
	CW_EFORBIDDEN = 5  /* permission denied */
} cw_status;

/* Set the last error and return `code`, so callers can `return cw_error(...)`.
 * It clears the unmet conditions of any earlier error: add them after. */
int cw_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The same, naming the input that is wrong: `field` is the engine's name
 * for it ("likelihood", "due", "provider"), which a web form shows beside
 * the field and the command line turns into its option ("--due"). The
 * message speaks of the field, never of a command-line flag.
 */
int cw_error_at(const char *field, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append one unmet condition to the last error (call after cw_error). */
void cw_error_unmet(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last error's code, message ("" when none), field ("" when it names
 * none) and unmet conditions. */
int cw_error_code(void);
const char *cw_error_field(void);
const char *cw_errmsg(void);
size_t cw_error_unmet_count(void);
const char *cw_error_unmet_at(size_t i);

void cw_error_clear(void);

/* "internal", "invalid", "not_found", "refused", "forbidden" (or "ok"). */
const char *cw_status_name(int code);

#endif
