#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "valid.h"

/* Length of the valid UTF-8 sequence at s, or 0. Overlongs and surrogates fail. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* A label that is a plain identifier ("summary") is the field it checks;
 * one in words ("provider name") names no field. */
static const char *field_of(const char *what)
{
	return what[strspn(what, "abcdefghijklmnopqrstuvwxyz_")] ? NULL : what;
}

static int check(const char *what, const char *s, size_t max, bool required, bool multiline)
{
	const unsigned char *p;
	size_t n;

	if (!s || !*s)
		return required ? cw_error_at(field_of(what), CW_EINVALID, "%s is empty", what) : CW_OK;
	n = strlen(s);
	if (n > max)
		return cw_error_at(field_of(what), CW_EINVALID,
			"%s is too long (%zu bytes; at most %zu)", what, n, max);
	for (p = (const unsigned char *)s; *p; p += n) {
		if (*p < 0x20 || *p == 0x7f) {
			if (!(multiline && (*p == '\n' || *p == '\t' || *p == '\r')))
				return cw_error_at(field_of(what), CW_EINVALID,
					"%s contains a control character", what);
		}
		if (!(n = utf8_len(p)))
			return cw_error_at(field_of(what), CW_EINVALID, "%s is not valid UTF-8", what);
	}
	if (strspn(s, " \t\r\n") == strlen(s))
		return required ? cw_error_at(field_of(what), CW_EINVALID, "%s is blank", what) : CW_OK;
	return CW_OK;
}

int cw_check_text(const char *what, const char *s, size_t max, bool required)
{
	return check(what, s, max, required, true);
}

int cw_check_name(const char *what, const char *s)
{
	return check(what, s, CW_NAME_MAX, true, false);
}

int cw_check_enum(const char *what, const char *s, const char *const *choices)
{
	const char *const *c;
	cw_buf list = CW_BUF_INIT;
	int err;

	for (c = choices; s && *c; c++)
		if (strcmp(*c, s) == 0)
			return CW_OK;
	for (c = choices; *c; c++)
		cw_buf_printf(&list, "%s%s", c == choices ? "" : ", ", *c);
	err = cw_error_at(field_of(what), CW_EINVALID, "'%s' is not a valid %s (one of: %s)",
		s ? s : "", what, cw_buf_cstr(&list));
	cw_buf_free(&list);
	return err;
}

int cw_check_whole(const char *what, const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	if (!s || !*s || !(*s == '-' || (*s >= '0' && *s <= '9')))
		return cw_error_at(field_of(what), CW_EINVALID, "%s '%.40s' is not a whole number",
			what, s ? s : "");
	v = strtol(s, &end, 10);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return cw_error_at(field_of(what), CW_EINVALID, "%s '%.40s' is out of range", what, s);
	if (*end)
		return cw_error_at(field_of(what), CW_EINVALID, "%s '%.40s' is not a whole number", what, s);
	*out = v;
	return CW_OK;
}
