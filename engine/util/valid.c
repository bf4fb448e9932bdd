#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "valid.h"
#include "fold.h"

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

static unsigned decode(const unsigned char *p, size_t n)
{
	switch (n) {
	case 2: return (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu);
	case 3: return (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
	case 4: return (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 |
		(p[3] & 0x3fu);
	default: return p[0];
	}
}

const char *cw_text_hazard(unsigned c, bool name)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return "a control character";
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x061c)
		return "a bidirectional control character";
	if ((c >= 0x200b && c <= 0x200d) || (c >= 0x2060 && c <= 0x2064) ||
	    c == 0xfeff || c == 0x180e)
		return "a zero-width character";
	/* In a name, any other invisible format character or line separator
	 * (soft hyphen, tags, interlinear annotation...) could hide a difference. */
	if (name && (c == 0x2028 || c == 0x2029 ||
	    utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_CF))
		return "an invisible formatting character";
	return NULL;
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
		const char *bad;

		if (!(n = utf8_len(p)))
			return cw_error_at(field_of(what), CW_EINVALID, "%s is not valid UTF-8", what);
		if (multiline && (*p == '\n' || *p == '\t' || *p == '\r'))
			continue;
		if ((bad = cw_text_hazard(decode(p, n), !multiline)))
			return cw_error_at(field_of(what), CW_EINVALID, "%s contains %s (U+%04X)",
				what, bad, decode(p, n));
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

int cw_check_entity_name(const char *what, const char *s)
{
	char *key;
	size_t n;
	int err;

	if ((err = check(what, s, CW_NAME_MAX, true, false)) != CW_OK)
		return err;
	/* Ids are lower-case hex and dashes, and resolve first (store_lookup.c):
	 * a name that folds to such text could be read as one or shadow one. */
	key = cw_fold(s);
	n = strlen(key);
	err = n >= 4 && strspn(key, "0123456789abcdef-") == n
		? cw_error(CW_EINVALID, "%s '%s' could be read as an id or id prefix"
			" (only hex digits and dashes); add a word", what, s)
		: CW_OK;
	free(key);
	return err;
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
