#include <string.h>
#include "carewatch/buf.h"
#include "fold.h"

static unsigned lower(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c == 0x178)
		return 0xff;
	/* Latin Extended-A: capital and small letters alternate. */
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c % 2 == 0 ? c + 1 : c;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c % 2 == 1 ? c + 1 : c;
	return c;
}

static void put_cp(cw_buf *b, unsigned c)
{
	char u[3];

	if (c < 0x80) {
		cw_buf_putc(b, (char)c);
	} else {
		/* every code point lower() produces from 2-byte input fits 2 bytes */
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		cw_buf_put(b, u, 2);
	}
}

char *cw_fold(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	cw_buf b = CW_BUF_INIT;

	cw_buf_puts(&b, "");
	while (*p) {
		if (*p < 0x80) {
			put_cp(&b, lower(*p));
			p++;
		} else if (*p >= 0xc2 && *p <= 0xdf && (p[1] & 0xc0) == 0x80) {
			put_cp(&b, lower(((unsigned)(*p & 0x1f) << 6) | (p[1] & 0x3f)));
			p += 2;
		} else {
			cw_buf_putc(&b, (char)*p);
			p++;
		}
	}
	return cw_buf_detach(&b);
}
