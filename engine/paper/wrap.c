/*
 * Plain-text wrapping for documents printed in a terminal: a long line is
 * broken between words, and its continuation lines start under the value
 * (after "Label:  ", "- ", "[x] " or "1. ") so labelled blocks stay readable.
 * Widths count UTF-8 code points, which is what a terminal shows for the
 * scripts names here use.
 */
#include <string.h>
#include "carewatch/template.h"

static size_t cols(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Byte offset where continuation lines of `s` (n bytes, ASCII prefix) start. */
static size_t hang(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*') && s[i + 1] == ' ')
		return i + 2;
	if (i + 3 < n && s[i] == '[' && s[i + 2] == ']' && s[i + 3] == ' ')
		return i + 4;
	for (j = i; j < n && s[j] >= '0' && s[j] <= '9'; j++)
		;
	if (j > i && j + 1 < n && s[j] == '.' && s[j + 1] == ' ')
		return j + 2;
	/* "Label:   value": a colon then two or more blanks, in the first 40 columns. */
	for (j = i; j + 2 < n && cols(s, j) < 40; j++)
		if (s[j] == ':' && s[j + 1] == ' ' && s[j + 2] == ' ') {
			for (j++; j < n && s[j] == ' '; j++)
				;
			return j;
		}
	return i;
}

/* Where the piece of s[start, n) that fits `room` columns ends: the last blank
 * that keeps it within room, else the first blank (a long word stays whole).
 * `left` is the width of s[start, n), kept by the caller, and the scan stops
 * as soon as the piece is known, so wrapping is linear in the line. */
static size_t piece_end(const char *s, size_t start, size_t n, size_t skip, size_t room,
	size_t left)
{
	size_t c = 0, fit = 0;

	if (left <= room)
		return n;
	for (size_t i = start; i < n; i++) {
		if (c > room && fit)
			return fit;
		if (s[i] == ' ' && i >= start + skip && i > start) {
			if (c > room)
				return i;
			fit = i;
		}
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	return fit ? fit : n;
}

static void wrap_line(cw_buf *b, const char *s, size_t n, size_t width)
{
	size_t skip = hang(s, n), indent = cols(s, skip), blanks = 0, start = 0;
	size_t left = cols(s, n);

	/* The first piece never breaks inside its label or its leading blanks. */
	while (blanks < n && s[blanks] == ' ')
		blanks++;
	if (skip < blanks)
		skip = blanks;
	if (indent > width / 2)
		indent = 0;
	while (start < n) {
		size_t lead = start ? indent : 0, room = width > lead ? width - lead : 1;
		size_t end = piece_end(s, start, n, start ? 0 : skip, room, left), next = end;

		while (end > start && s[end - 1] == ' ')
			end--;
		for (size_t i = 0; i < lead; i++)
			cw_buf_putc(b, ' ');
		cw_buf_put(b, s + start, end - start);
		cw_buf_putc(b, '\n');
		left -= cols(s + start, next - start);
		for (start = next; start < n && s[start] == ' '; start++)
			left--;
	}
}

char *cw_template_wrap(const char *text, size_t width)
{
	cw_buf b = CW_BUF_INIT;

	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		if (n == 0)
			cw_buf_putc(&b, '\n');
		else
			wrap_line(&b, text, n, width);
		text += n + (nl != NULL);
	}
	cw_buf_puts(&b, "");
	return cw_buf_detach(&b);
}
