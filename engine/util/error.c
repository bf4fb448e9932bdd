#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "valid.h"

#define CW_UNMET_MAX 256

static _Thread_local struct {
	int code;
	char msg[1024];
	char field[64];
	char *unmet[CW_UNMET_MAX];
	size_t nunmet;
} last;

/*
 * Messages quote what the user typed, and must stay one printable line of
 * valid UTF-8 (stderr is one line; JSON needs UTF-8): control characters
 * become spaces and bytes that are not UTF-8 become '?'.
 */
static void make_printable(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = 0, i;

		if (*p < 0x20 || *p == 0x7f) {
			*p++ = ' ';
			continue;
		}
		if (*p < 0x80)
			n = 1;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;
		if (n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
			n = 0;
		if (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
			n = 0;
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		/* C1 controls, bidirectional controls and zero-width characters
		 * could reorder or hide what the message says: '?' each byte. */
		if (n > 1) {
			unsigned c = n == 2 ? (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu)
				: n == 3 ? (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu)
				: 0x10000;

			if (cw_text_hazard(c, false))
				memset(p, '?', n);
		}
		p += n;
	}
}

static int set_error(int code, const char *field, const char *fmt, va_list ap)
{
	size_t i;

	/* A new error starts a new list of unmet conditions: add them after. */
	for (i = 0; i < last.nunmet; i++)
		free(last.unmet[i]);
	last.nunmet = 0;
	last.code = code;
	snprintf(last.field, sizeof(last.field), "%s", field ? field : "");
	vsnprintf(last.msg, sizeof(last.msg), fmt, ap);
	make_printable(last.msg);
	return code;
}

int cw_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int cw_error_at(const char *field, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_error(code, field, fmt, ap);
	va_end(ap);
	return code;
}

void cw_error_unmet(const char *fmt, ...)
{
	va_list ap;
	cw_buf b = CW_BUF_INIT;
	char tmp[512];

	if (last.nunmet == CW_UNMET_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	make_printable(tmp);
	cw_buf_puts(&b, tmp);
	last.unmet[last.nunmet++] = cw_buf_detach(&b);
}

int cw_error_code(void) { return last.code; }
const char *cw_error_field(void) { return last.field; }
const char *cw_errmsg(void) { return last.msg; }
size_t cw_error_unmet_count(void) { return last.nunmet; }

const char *cw_error_unmet_at(size_t i)
{
	return i < last.nunmet ? last.unmet[i] : NULL;
}

void cw_error_clear(void)
{
	size_t i;

	for (i = 0; i < last.nunmet; i++)
		free(last.unmet[i]);
	last.nunmet = 0;
	last.code = 0;
	last.msg[0] = '\0';
	last.field[0] = '\0';
}

const char *cw_status_name(int code)
{
	switch (code) {
	case CW_OK: return "ok";
	case CW_EINVALID: return "invalid";
	case CW_ENOTFOUND: return "not_found";
	case CW_EREFUSED: return "refused";
	case CW_EFORBIDDEN: return "forbidden";
	default: return "internal";
	}
}
