#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/error.h"
#include "carewatch/buf.h"

#define CW_UNMET_MAX 256

static _Thread_local struct {
	int code;
	char msg[1024];
	char *unmet[CW_UNMET_MAX];
	size_t nunmet;
} last;

int cw_error(int code, const char *fmt, ...)
{
	va_list ap;

	last.code = code;
	va_start(ap, fmt);
	vsnprintf(last.msg, sizeof(last.msg), fmt, ap);
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
	cw_buf_puts(&b, tmp);
	last.unmet[last.nunmet++] = cw_buf_detach(&b);
}

int cw_error_code(void) { return last.code; }
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
