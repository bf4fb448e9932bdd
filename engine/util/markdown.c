#include <string.h>
#include "carewatch/markdown.h"

void cw_md_escape(cw_buf *b, const char *s)
{
	const char *p = s ? s : "";
	size_t digits;

	/* What only means something at the start of a line. */
	while (*p == ' ' || *p == '\t') {
		cw_buf_puts(b, *p == ' ' ? "&#32;" : "&#9;");
		p++;
	}
	if (*p == '-' || *p == '+' || *p == '=') {
		cw_buf_putc(b, '\\');
		cw_buf_putc(b, *p++);
	} else {
		digits = strspn(p, "0123456789");
		if (digits && (p[digits] == '.' || p[digits] == ')')) {
			cw_buf_put(b, p, digits);
			cw_buf_putc(b, '\\');
			cw_buf_putc(b, p[digits]);
			p += digits + 1;
		}
	}
	for (; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			cw_buf_puts(b, "<br>");
			if (*p == '\r' && p[1] == '\n')
				p++;
			continue;
		}
		if (strchr("\\`*_[]<>#|~!&", *p))
			cw_buf_putc(b, '\\');
		cw_buf_putc(b, *p);
	}
}
