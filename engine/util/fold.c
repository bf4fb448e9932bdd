/*
 * Name keys: Unicode NFKC with full case folding (utf8proc), outer white
 * space trimmed and inner runs collapsed to one space, so "Elm House",
 * " ELM  HOUSE ", "Ｅlm House" and "elm house" have one key.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "carewatch/buf.h"
#include "fold.h"

static bool is_space(utf8proc_int32_t c)
{
	utf8proc_category_t cat;

	if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85)
		return true;
	cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
		cat == UTF8PROC_CATEGORY_ZP;
}

/* One pass: NFKC + case fold, then the white space rule. NULL when `s` is
 * not valid UTF-8. */
static char *fold_once(const char *s)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n, i = 0, k;
	utf8proc_int32_t c;
	cw_buf b = CW_BUF_INIT;
	bool space = false;

	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m, UTF8PROC_NULLTERM |
		UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0)
		return NULL;
	cw_buf_puts(&b, "");
	while (i < n) {
		k = utf8proc_iterate(m + i, n - i, &c);
		if (k <= 0)
			break;   /* cannot happen: utf8proc wrote it */
		if (is_space(c)) {
			space = b.len > 0;
		} else {
			if (space)
				cw_buf_putc(&b, ' ');
			space = false;
			cw_buf_put(&b, (const char *)m + i, (size_t)k);
		}
		i += k;
	}
	free(m);
	return cw_buf_detach(&b);
}

char *cw_fold(const char *s)
{
	char *f, *g;
	int pass;

	f = fold_once(s ? s : "");
	if (!f) {
		/* Not UTF-8: no valid name has this key; ASCII case still folds. */
		cw_buf b = CW_BUF_INIT;
		char *p;

		cw_buf_puts(&b, s);
		f = cw_buf_detach(&b);
		for (p = f; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		return f;
	}
	/* Case folding can produce text that composes differently; a few more
	 * passes reach the fixed point, so folding a key gives the key. */
	for (pass = 0; pass < 3; pass++) {
		g = fold_once(f);
		if (!g || strcmp(f, g) == 0) {
			free(g);
			break;
		}
		free(f);
		f = g;
	}
	return f;
}
