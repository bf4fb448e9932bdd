#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"

static void oom(void)
{
	fputs("carewatch: out of memory\n", stderr);
	abort();
}

void *cw_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *cw_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *cw_reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		oom();
	return p;
}

char *cw_strdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		oom();
	return d;
}

static void grow(cw_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		oom();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->ptr = cw_reallocarray(b->ptr, b->cap, 1);
}

void cw_buf_put(cw_buf *b, const char *s, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void cw_buf_puts(cw_buf *b, const char *s)
{
	cw_buf_put(b, s, strlen(s));
}

void cw_buf_putc(cw_buf *b, char c)
{
	cw_buf_put(b, &c, 1);
}

void cw_buf_printf(cw_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* Straight into the room there is; format a second time only when the
	 * text did not fit. */
	grow(b, 0);
	va_start(ap, fmt);
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void cw_buf_clear(cw_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *cw_buf_detach(cw_buf *b)
{
	char *s = b->ptr ? b->ptr : cw_strdup("");

	b->ptr = NULL;
	b->len = b->cap = 0;
	return s;
}

const char *cw_buf_cstr(const cw_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void cw_buf_free(cw_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

const char *cw_list_next(const char *p, const char **item, size_t *len)
{
	const char *end = strchr(p, ',');
	size_t n = end ? (size_t)(end - p) : strlen(p);

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*item = p;
	*len = n;
	return end ? end + 1 : NULL;
}

bool cw_list_has(const char *list, const char *item)
{
	size_t want = strlen(item), n;
	const char *p = list, *it;

	while (p && *p) {
		p = cw_list_next(p, &it, &n);
		if (n == want && memcmp(it, item, n) == 0)
			return true;
	}
	return false;
}

json_t *cw_list_json(const char *list)
{
	json_t *a = json_array();
	const char *p = list, *it;
	size_t n;

	while (p && *p) {
		p = cw_list_next(p, &it, &n);
		if (n)
			json_array_append_new(a, json_stringn(it, n));
	}
	return a;
}
