/*
 * Properties checked on arbitrary input; see checks.h. The oracles here are
 * written independently of the engine code they judge (a second, plain
 * reading of the same rule), so that a disagreement is a finding.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "carewatch/date.h"
#include "carewatch/error.h"
#include "carewatch/rules.h"
#include "valid.h"
#include "fold.h"
#include <utf8proc.h>
#include "checks.h"

#define RULES_NAME "fuzz.cfg"

/* The input as a C string: up to the first NUL, as argv and files give it. */
static char *cstr(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* Strict RFC 3629 UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
static bool ref_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		unsigned c = *s, need, cp, min, i;

		if (c < 0x80) {
			s++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		for (i = 1; i <= need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += need + 1;
	}
	return true;
}

/* Next code point of valid UTF-8 at *s (advanced past it). */
static unsigned ref_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned cp, n, i;

	if (p[0] < 0x80)
		n = 0, cp = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		n = 1, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 2, cp = p[0] & 0x0f;
	else
		n = 3, cp = p[0] & 0x07;
	for (i = 1; i <= n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	*s = p + n + 1;
	return cp;
}

/* Invisible characters that can make two texts look alike or reorder what
 * a terminal shows: zero-width and bidirectional controls, listed plainly. */
static bool ref_invisible(unsigned c)
{
	static const unsigned list[] = { 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062,
		0x2063, 0x2064, 0xfeff, 0x180e, 0x200e, 0x200f, 0x061c, 0x202a, 0x202b,
		0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069 };
	size_t i;

	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (c == list[i])
			return true;
	return false;
}

/* The rule of valid.h, read plainly: what cw_check_text should decide. */
static bool ref_text_ok(const char *s, size_t max, bool required, bool multiline)
{
	const unsigned char *p;
	bool blank = true;

	if (!*s)
		return !required;
	if (strlen(s) > max || !ref_utf8(s))
		return false;
	for (p = (const unsigned char *)s; *p;) {
		unsigned c = ref_next(&p);

		if ((c < 0x20 || (c >= 0x7f && c <= 0x9f)) &&
		    !(multiline && (c == '\n' || c == '\t' || c == '\r')))
			return false;
		if (ref_invisible(c))
			return false;
		/* names: every other format character and the line separators too */
		if (!multiline && (c == 0x2028 || c == 0x2029 ||
		    utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_CF))
			return false;
		if (c > 0x7f || !strchr(" \t\r\n", (int)c))
			blank = false;
	}
	return !blank || !required;
}

static bool one_line(const char *s)
{
	return *s && !strchr(s, '\n') && ref_utf8(s);
}

/* ---------------------------------------------------------------- rules */

static const char *check_loaded(const cw_rules *r)
{
	static const char *const perms[] = { "provider.write", "concern.pova",
		"case.decide", "confidential.read", "nonsense.perm", NULL };
	static const char *const roles[] = { "contracts", "admin,viewer", "director,qa",
		",,", "", "no-such-role", NULL };
	const char *const *p, *const *ro;
	int l, i, lmax = cw_rules_likelihood_max(r), imax = cw_rules_impact_max(r);
	json_t *j;
	char *text;

	if (lmax < 2 || lmax > 10 || imax < 2 || imax > 10)
		return "rules: the matrix size is outside 2..10";
	for (l = 0; l <= lmax + 1; l++)
		if ((cw_rules_likelihood_label(r, l) != NULL) != (l >= 1 && l <= lmax))
			return "rules: a likelihood label is missing or out of range";
	for (i = 0; i <= imax + 1; i++)
		if ((cw_rules_impact_label(r, i) != NULL) != (i >= 1 && i <= imax))
			return "rules: an impact label is missing or out of range";
	for (l = 1; l <= lmax; l++)
		for (i = 1; i <= imax; i++) {
			cw_band b = cw_rules_band(r, cw_rules_score(l, i));

			if (b == CW_BAND_NONE || !cw_band_name(b))
				return "rules: a score of the matrix has no band";
			if (cw_rules_review_days(r, b) < 0)
				return "rules: a negative review interval";
		}
	if (cw_rules_check_likelihood(r, 0) != CW_EINVALID ||
	    cw_rules_check_likelihood(r, lmax) != CW_OK ||
	    cw_rules_check_impact(r, imax + 1) != CW_EINVALID)
		return "rules: the range checks disagree with the matrix size";
	for (ro = roles; *ro; ro++)
		for (p = perms; *p; p++)
			(void)cw_rules_may(r, *ro, *p);
	if (cw_rules_may(r, "admin", "nonsense.perm"))
		return "rules: an unknown permission was granted";
	if (!cw_rules_role_known(r, cw_rules_string(r, "decision_role")))
		return "rules: the decision role is not a role";
	(void)cw_rules_guard(r, "close_no_red");
	(void)cw_rules_bool(r, "embargo.honour_other_commissioners");
	(void)cw_rules_int(r, "flags.repeated_concerns.count");

	if (!(j = cw_rules_to_json(r)))
		return "rules: cw_rules_to_json failed";
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return "rules: the effective rules are not valid JSON";
	free(text);
	if (!(text = cw_rules_to_text(r)))
		return "rules: cw_rules_to_text failed";
	free(text);
	return NULL;
}

/*
 * `rules show` prints the effective rules as libconfig text, which an admin
 * may save and edit as a rules file: it must load, and mean the same.
 */
static const char *check_reload(const cw_rules *r)
{
	char *text = cw_rules_to_text(r);
	cw_rules *again = NULL;
	json_t *a, *b;
	const char *msg = NULL;

	if (cw_rules_load_string(&again, text, "reload.cfg") != CW_OK) {
		msg = "rules: the text of `rules show` does not load again";
	} else {
		a = cw_rules_to_json(r);
		b = cw_rules_to_json(again);
		json_object_del(a, "source");
		json_object_del(b, "source");
		if (!json_equal(a, b))
			msg = "rules: the text of `rules show` loads as different rules";
		json_decref(a);
		json_decref(b);
	}
	cw_rules_free(again);
	free(text);
	return msg;
}

const char *cw_fuzz_check_rules(const uint8_t *data, size_t size)
{
	char *text = cstr(data, size);
	cw_rules *r = NULL;
	const char *msg = NULL;
	int err;

	cw_error_clear();
	err = cw_rules_load_string(&r, text, RULES_NAME);
	if (err == CW_OK) {
		if (!r)
			msg = "rules: success without a rules handle";
		else if (!(msg = check_loaded(r)))
			msg = check_reload(r);
	} else if (err != CW_EINVALID) {
		msg = "rules: a bad rules text is not CW_EINVALID";
	} else if (r) {
		msg = "rules: a failed load handed out a handle";
	} else if (cw_error_code() != CW_EINVALID || !one_line(cw_errmsg())) {
		msg = "rules: the error message is not one line of UTF-8";
	} else if (strncmp(cw_errmsg(), RULES_NAME, strlen(RULES_NAME)) != 0) {
		msg = "rules: the error message does not name the file";
	}
	cw_rules_free(r);
	cw_error_clear();
	free(text);
	return msg;
}

/* ----------------------------------------------------------------- date */

static bool ref_date(const char *s)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, max;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12)
		return false;
	max = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return d >= 1 && d <= max;
}

/* Day-number arithmetic for one date: the helpers agree with each other. */
static const char *check_day(cw_date d)
{
	char buf[CW_DATE_STRLEN];
	cw_date back;
	int y, m, dd, w;

	cw_date_format(d, buf);
	if (cw_date_parse(buf, &back) != CW_OK || back != d)
		return "date: a day number does not survive format and parse";
	cw_date_to_ymd(d, &y, &m, &dd);
	if (cw_date_from_ymd(y, m, dd) != d)
		return "date: to_ymd and from_ymd disagree";
	w = cw_date_weekday(d);
	if (w < 1 || w > 7 || cw_date_weekday(d + 1) != w % 7 + 1)
		return "date: the weekday is wrong";
	if (cw_date_week_start(d) > d || d - cw_date_week_start(d) > 6 ||
	    cw_date_weekday(cw_date_week_start(d)) != 1)
		return "date: the week does not start on the Monday before";
	if (cw_date_month_start(d) > d || cw_date_next_month_start(d) <= d ||
	    cw_date_next_month_start(d) - cw_date_month_start(d) < 28 ||
	    cw_date_next_month_start(d) - cw_date_month_start(d) > 31)
		return "date: the month boundaries are wrong";
	return NULL;
}

const char *cw_fuzz_check_date(const uint8_t *data, size_t size)
{
	char *s = cstr(data, size);
	char buf[CW_DATE_STRLEN];
	const char *msg = NULL;
	cw_date d = 0;
	bool ok;

	cw_error_clear();
	ok = cw_date_parse(s, &d) == CW_OK;
	if (ok != ref_date(s))
		msg = ok ? "date: cw_date_parse accepts an impossible date"
			: "date: cw_date_parse refuses a real date";
	else if (ok != cw_date_valid(s))
		msg = "date: cw_date_valid and cw_date_parse disagree";
	else if (ok && strcmp(cw_date_format(d, buf), s) != 0)
		msg = "date: cw_date_format does not give back the text parsed";
	else if (ok)
		msg = check_day(d);
	else if (cw_error_code() != CW_EINVALID || !one_line(cw_errmsg()))
		msg = "date: the error is not CW_EINVALID with a one-line message";
	/* Any day number from the raw bytes, clamped into 1900-01-01..9999-12-31. */
	if (!msg && size >= 4) {
		cw_date lo = cw_date_from_ymd(1900, 1, 1), hi = cw_date_from_ymd(9999, 12, 31);
		uint32_t raw;

		memcpy(&raw, data, sizeof(raw));
		msg = check_day(lo + (cw_date)(raw % (uint32_t)(hi - lo + 1)));
	}
	cw_error_clear();
	free(s);
	return msg;
}

/* ----------------------------------------------------------------- text */

static char *ascii_upper(const char *s)
{
	char *u = strdup(s), *p;

	if (!u)
		abort();
	for (p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return u;
}

/* "  " + s + " \t": outer white space that folding must remove. */
static char *padded(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 5);

	if (!p)
		abort();
	memcpy(p, "  ", 2);
	memcpy(p + 2, s, n);
	memcpy(p + 2 + n, " \t", 3);
	return p;
}

static const char *check_fold(const char *s)
{
	char *f = cw_fold(s), *ff = NULL, *u = NULL, *fu = NULL, *pad = NULL, *fp = NULL;
	const char *msg = NULL, *p;

	if (!f)
		return "fold: cw_fold returned NULL";
	ff = cw_fold(f);
	u = ascii_upper(s);
	fu = cw_fold(u);
	pad = padded(s);
	fp = cw_fold(pad);
	if (ref_utf8(s) && !ref_utf8(f))
		msg = "fold: valid UTF-8 folded into invalid UTF-8";
	else if (strcmp(ff, f) != 0)
		msg = "fold: folding twice differs from folding once";
	else if (strcmp(fu, f) != 0)
		msg = "fold: ASCII capitals fold differently from small letters";
	else if (ref_utf8(s) && strcmp(fp, f) != 0)
		msg = "fold: outer white space changes the key";
	else if (ref_utf8(s) && (f[0] == ' ' || (*f && f[strlen(f) - 1] == ' ') ||
			strstr(f, "  ") || strpbrk(f, "\t\n\r\v\f")))
		msg = "fold: the key keeps outer white space or a run of it";
	else if (!ref_utf8(s) && strlen(f) != strlen(s))
		msg = "fold: text that is not UTF-8 lost a byte";
	for (p = f; !msg && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			msg = "fold: an ASCII capital survived folding";
	free(f);
	free(ff);
	free(u);
	free(fu);
	free(pad);
	free(fp);
	return msg;
}

const char *cw_fuzz_check_text(const uint8_t *data, size_t size)
{
	char *s;
	const char *msg = NULL;
	size_t max;
	bool required, ok;

	if (size == 0)
		return NULL;
	/* The first byte picks the limit and whether the field is required. */
	max = data[0] & 0x80 ? CW_TEXT_MAX : (size_t)(data[0] & 0x3f);
	required = data[0] & 0x40;
	s = cstr(data + 1, size - 1);
	cw_error_clear();

	ok = cw_check_text("summary", s, max, required) == CW_OK;
	if (ok != ref_text_ok(s, max, required, true))
		msg = ok ? "text: cw_check_text accepts text it must refuse"
			: "text: cw_check_text refuses good text";
	else if (!ok && (cw_error_code() != CW_EINVALID || !one_line(cw_errmsg()) ||
			!strstr(cw_errmsg(), "summary")))
		msg = "text: the refusal is not CW_EINVALID with one line naming the field";
	if (!msg) {
		ok = cw_check_name("name", s) == CW_OK;
		if (ok != ref_text_ok(s, CW_NAME_MAX, true, false))
			msg = ok ? "text: cw_check_name accepts a name it must refuse"
				: "text: cw_check_name refuses a good name";
	}
	if (!msg && cw_check_entity_name("name", s) == CW_OK) {
		/* An accepted provider/user/commissioner name never folds to text
		 * that a lookup would read as an id or id prefix. */
		char *key = cw_fold(s);
		size_t n = strlen(key);

		if (!ref_text_ok(s, CW_NAME_MAX, true, false))
			msg = "text: cw_check_entity_name accepts a name cw_check_name refuses";
		else if (n >= 4 && strspn(key, "0123456789abcdef-") == n)
			msg = "text: cw_check_entity_name accepts a name that reads as an id";
		free(key);
	}
	if (!msg)
		msg = check_fold(s);
	cw_error_clear();
	free(s);
	return msg;
}
