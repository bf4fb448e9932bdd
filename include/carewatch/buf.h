#ifndef CW_BUF_H
#define CW_BUF_H
/* A growable, always NUL-terminated text buffer (git's strbuf, Redis's sds). */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

typedef struct {
	char *ptr;   /* never NULL after the first append; "" when empty */
	size_t len;
	size_t cap;
} cw_buf;

#define CW_BUF_INIT { NULL, 0, 0 }

/* Appends abort the process on allocation failure: there is no useful way
 * to carry on without memory, and it keeps every caller simple. */
void cw_buf_put(cw_buf *b, const char *s, size_t n);
void cw_buf_puts(cw_buf *b, const char *s);
void cw_buf_putc(cw_buf *b, char c);
void cw_buf_printf(cw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cw_buf_clear(cw_buf *b);
/* Hand the string to the caller (free() it); the buffer is left empty. */
char *cw_buf_detach(cw_buf *b);
const char *cw_buf_cstr(const cw_buf *b);
void cw_buf_free(cw_buf *b);

/* Allocation helpers that abort on failure. */
void *cw_malloc(size_t n);
void *cw_calloc(size_t n, size_t size);
void *cw_reallocarray(void *p, size_t n, size_t size);
char *cw_strdup(const char *s);   /* NULL stays NULL */

/*
 * Comma-separated lists ("contracts,qa", "County Council, Vale Health
 * Board"): the one way carewatch reads them. cw_list_next gives the item
 * at `p` (blanks around it trimmed; it may be empty) and returns where the
 * next one starts, or NULL after the last:
 *
 *	for (p = list; p; p = cw_list_next(p, &item, &n)) ...   (see cw_list_has)
 */
const char *cw_list_next(const char *p, const char **item, size_t *len);
/* Does the list hold `item` exactly (after trimming)? */
bool cw_list_has(const char *list, const char *item);
/* The list's non-empty items as a JSON array of strings. */
json_t *cw_list_json(const char *list);

#endif
