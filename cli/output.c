#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "carewatch/buf.h"
#include "carewatch/csv.h"
#include "carewatch/export.h"
#include "carewatch/words.h"
#include "output.h"

/* Display width of UTF-8 text, counting code points (good enough for
 * the Latin text of names and summaries). */
static int width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* The same for the first n bytes. */
static int width_n(const char *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Code points a terminal must not be handed raw from stored text: controls
 * (tab aside), bidirectional controls that reorder what follows, and
 * zero-width characters that hide a difference. New text refuses them
 * (engine/util/valid.c); older text is shown escaped as \u{XXXX}. */
static bool term_hazard(unsigned c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f) ||
		(c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
		(c >= 0x2060 && c <= 0x2069) || c == 0xfeff || c == 0x061c || c == 0x180e;
}

/* Printable ASCII, tabs and newlines: nothing to escape (most text). */
static bool plain_ascii(const unsigned char *p)
{
	for (; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p >= 0x7f)
			return false;
	return true;
}

char *cw_term_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	cw_buf b = CW_BUF_INIT;

	if (plain_ascii(p))
		return cw_strdup((const char *)p);
	cw_buf_puts(&b, "");
	while (*p) {
		unsigned c = *p;
		size_t n = 1;

		if (c == '\r' && p[1] == '\n') {
			p++;
			continue;
		}
		if (c == '\r')
			c = '\n';
		if (c >= 0xc0 && c < 0xe0 && (p[1] & 0xc0) == 0x80)
			n = 2, c = (c & 0x1fu) << 6 | (p[1] & 0x3fu);
		else if (c >= 0xe0 && c < 0xf0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
			n = 3, c = (c & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		if (c == '\n')
			cw_buf_putc(&b, '\n');
		else if (term_hazard(c))
			cw_buf_printf(&b, "\\u{%04X}", c);
		else
			cw_buf_put(&b, (const char *)p, n);
		p += n;
	}
	return cw_buf_detach(&b);
}

void cw_print_term(FILE *f, const char *s, int indent)
{
	char *t = cw_term_text(s), *p;

	for (p = t; *p; p++)
		if (*p == '\n')
			fprintf(f, "\n%*s", indent, "");
		else
			fputc(*p, f);
	free(t);
}

/* A regulator's rating in words: "Good (CQC, published 2025-01-01)". */
static const char *str_or_dash(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static void rating_words(cw_buf *b, const json_t *r)
{
	cw_buf_printf(b, "%s (%s, published %s)", str_or_dash(r, "rating"),
		str_or_dash(r, "regulator"), str_or_dash(r, "published"));
}

/* A value as text: a rating or a list of ratings in words, else as exported. */
static char *value_text(const char *key, json_t *v)
{
	cw_buf b = CW_BUF_INIT;
	size_t i;
	json_t *r;

	if (strcmp(key, "regulator_rating") == 0 && json_is_object(v)) {
		rating_words(&b, v);
		return cw_buf_detach(&b);
	}
	if (strcmp(key, "regulator_ratings") == 0 && json_is_array(v) && json_array_size(v)) {
		json_array_foreach(v, i, r) {
			cw_buf_puts(&b, i ? "\n" : "");
			rating_words(&b, r);
		}
		return cw_buf_detach(&b);
	}
	return cw_export_value_text(v);
}

/* "key  value" at width w; a stage gets its words beside it, flags what
 * each means under them. */
static void print_pair(const char *key, json_t *v, int w)
{
	char *t = value_text(key, v);
	size_t i;
	json_t *f;

	printf("%-*s  ", w, key);
	cw_print_term(stdout, t, w + 2);
	if (strcmp(key, "stage") == 0 && json_is_string(v) &&
	    strcmp(cw_stage_words(json_string_value(v)), json_string_value(v)) != 0)
		printf(" (%s, %s)", cw_stage_words(json_string_value(v)),
			cw_stage_abbrev(json_string_value(v)));
	putchar('\n');
	free(t);
	if (strcmp(key, "flags") != 0)
		return;
	json_array_foreach(v, i, f) {
		const char *words = cw_flag_words(json_string_value(f));

		if (*words)
			printf("%*s- %s: %s\n", w + 2, "", json_string_value(f), words);
	}
}

static void print_object_keys(json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *v;
	int w = 0;
	const char *const *k;

	if (keys) {
		for (k = keys; *k; k++)
			if (json_object_get(obj, *k) && (int)strlen(*k) > w)
				w = (int)strlen(*k);
		for (k = keys; *k; k++)
			if ((v = json_object_get(obj, *k)))
				print_pair(*k, v, w);
		return;
	}
	json_object_foreach(obj, key, v)
		if ((int)strlen(key) > w)
			w = (int)strlen(key);
	json_object_foreach(obj, key, v)
		print_pair(key, v, w);
}

void cw_print_object(cw_cli *cli, json_t *out)
{
	print_object_keys(out, cli->print_arg);
}

static char *table_text(const json_t *v)
{
	char *raw = cw_export_value_text(v), *t = cw_term_text(raw);

	free(raw);
	return t;
}

int cw_term_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long n;

	if (env && *env) {
		n = strtol(env, &end, 10);
		if (!*end && n >= 20 && n <= 1000)
			return (int)n - 1;
	}
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col - 1;
	return 100 - 1;
}

/*
 * `s` cut into lines of at most `w` code points: at spaces where it can,
 * a word longer than a line split where it must, line breaks kept. Every
 * character is kept (spaces at a break aside), so text is never lost.
 */
static size_t wrap_cell(const char *s, int w, char ***lines)
{
	size_t n = 0;
	char **v = NULL;

	do {
		const char *p = s, *cut = NULL;
		int k = 0;

		while (*p && *p != '\n' && k < w) {
			if (*p == ' ')
				cut = p;
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			k++;
		}
		if (!*p || *p == '\n' || *p == ' ')
			cut = p;
		else if (!cut || cut == s)
			cut = p;
		v = cw_reallocarray(v, n + 1, sizeof(*v));
		v[n] = cw_calloc((size_t)(cut - s) + 1, 1);
		memcpy(v[n++], s, (size_t)(cut - s));
		s = cut;
		if (*s == '\n')
			s++;
		else
			while (*s == ' ')
				s++;
	} while (*s);
	*lines = v;
	return n;
}

/* Longest word of a cell (up to `cap`), so a column need not split one. */
static int longest_word(const char *s, int cap)
{
	int best = 0, k = 0;

	for (;; s++) {
		if (!*s || *s == ' ' || *s == '\n') {
			if (k > best)
				best = k;
			k = 0;
			if (!*s)
				break;
		} else if (((unsigned char)*s & 0xc0) != 0x80) {
			k++;
		}
	}
	return best < cap ? best : cap;
}

#define WORD_CAP 28   /* a longer word may be split rather than widen its column */
#define ID_SHORT 8    /* an id abbreviated: still a prefix every command takes */

/* An id column: its cells may be shortened to a prefix when all else fails. */
static bool id_column(const cw_col *c)
{
	size_t n = strlen(c->key);

	return !c->max && (strcmp(c->key, "id") == 0 || (n > 3 && strcmp(c->key + n - 3, "_id") == 0));
}

/* The name people look a row up by: wrapped last. */
static bool name_column(const cw_col *c)
{
	return strcmp(c->key, "name") == 0 || strcmp(c->key, "provider") == 0;
}

/* Take columns from the wrapping column furthest over its preferred
 * width until the table fits: phase 0 not below that width, phase 1 any
 * column but names, phase 2 any. */
static int shrink(const cw_col *cols, int ncols, int *w, const int *floor, int used, int total,
	int phase)
{
	int i;

	while (used > total) {
		int best = -1;

		for (i = 0; i < ncols; i++)
			if (cols[i].max && w[i] > floor[i] && (phase || w[i] > cols[i].max) &&
			    (phase != 1 || !name_column(&cols[i])) &&
			    (best < 0 || w[i] - cols[i].max > w[best] - cols[best].max))
				best = i;
		if (best < 0)
			break;
		w[best]--;
		used--;
	}
	return used;
}

/*
 * Fit the columns to `total`: every column starts at its widest cell; while
 * the table is too wide, the wrapping column furthest over its preferred
 * width (cw_col.max) gives up a column. Down to the preferred widths first;
 * then ids are abbreviated to ID_SHORT characters (the reference beside them
 * names the entity whole, and the prefix is still an id every command
 * takes); then the text columns go down to their longest word (at most
 * WORD_CAP) or header, names last. Other fixed columns (max 0: references, dates) never
 * change, so a table of them alone may stay wider.
 */
static void fit(const cw_col *cols, int ncols, int *w, const int *floor, bool *shortid,
	int total)
{
	int used = 0, i;

	for (i = 0; i < ncols; i++)
		used += w[i] + (i ? 2 : 0);
	used = shrink(cols, ncols, w, floor, used, total, 0);
	for (i = 0; i < ncols && used > total; i++)
		if (id_column(&cols[i]) && w[i] > ID_SHORT) {
			used -= w[i] - ID_SHORT;
			w[i] = ID_SHORT;
			shortid[i] = true;
		}
	used = shrink(cols, ncols, w, floor, used, total, 1);
	shrink(cols, ncols, w, floor, used, total, 2);
}

void cw_print_cells(size_t nrows, const cw_col *cols, int total, cw_cell_text cell_text,
	cw_row_after_at after, void *arg)
{
	const cw_col *c;
	int ncols = 0, i, *w, *floor;
	bool *shortid;
	size_t r;
	char **text;         /* each cell's text, made once for both passes */

	for (c = cols; c->key; c++)
		ncols++;
	w = cw_calloc((size_t)ncols, sizeof(*w));
	floor = cw_calloc((size_t)ncols, sizeof(*floor));
	shortid = cw_calloc((size_t)ncols, sizeof(*shortid));
	text = cw_calloc(nrows * (size_t)ncols + 1, sizeof(*text));
	for (i = 0; i < ncols; i++)
		w[i] = floor[i] = width(cols[i].header);
	for (r = 0; r < nrows; r++)
		for (i = 0; i < ncols; i++) {
			char *t = cell_text(arg, r, i), *line = t;
			int lword = longest_word(t, WORD_CAP);

			text[r * (size_t)ncols + (size_t)i] = t;
			if (lword > floor[i])
				floor[i] = lword;
			/* A cell's widest line sets the column's natural width. */
			for (const char *nl; line; line = nl ? (char *)nl + 1 : NULL) {
				int lw;

				nl = strchr(line, '\n');
				lw = nl ? width_n(line, (size_t)(nl - line)) : width(line);
				if (lw > w[i])
					w[i] = lw;
			}
		}
	fit(cols, ncols, w, floor, shortid, total);
	for (i = 0; i < ncols; i++)
		printf("%-*s%s", i == ncols - 1 ? 0 : w[i], cols[i].header,
			i == ncols - 1 ? "\n" : "  ");
	for (r = 0; r < nrows; r++) {
		char ***cell = cw_calloc((size_t)ncols, sizeof(*cell));
		size_t *n = cw_calloc((size_t)ncols, sizeof(*n)), height = 1, l, j;

		for (i = 0; i < ncols; i++) {
			char *t = text[r * (size_t)ncols + (size_t)i];

			if (shortid[i] && strlen(t) > ID_SHORT)
				t[ID_SHORT] = '\0';
			n[i] = wrap_cell(t, w[i], &cell[i]);
			if (n[i] > height)
				height = n[i];
		}
		for (l = 0; l < height; l++) {
			int pad = 0;

			for (i = 0; i < ncols; i++) {
				const char *t = l < n[i] ? cell[i][l] : "";

				/* No trailing blanks: pad only before text. */
				if (*t) {
					printf("%*s%s", pad, "", t);
					pad = 0;
				}
				pad += w[i] - width(t) + 2;
			}
			putchar('\n');
		}
		for (i = 0; i < ncols; i++) {
			for (j = 0; j < n[i]; j++)
				free(cell[i][j]);
			free(cell[i]);
		}
		free(cell);
		free(n);
		if (after)
			after(arg, r, total);
	}
	for (r = 0; r < nrows * (size_t)ncols; r++)
		free(text[r]);
	free(text);
	free(w);
	free(floor);
	free(shortid);
}

/* cw_print_rows as cells: JSON rows and their columns' keys. */
struct json_cells {
	const json_t *rows;
	const cw_col *cols;
	cw_row_after after;
	void *arg;
};

static char *json_cell(void *arg, size_t row, int col)
{
	const struct json_cells *j = arg;

	return table_text(json_object_get(json_array_get(j->rows, row), j->cols[col].key));
}

static void json_after(void *arg, size_t row, int total)
{
	const struct json_cells *j = arg;

	j->after(json_array_get(j->rows, row), total, j->arg);
}

void cw_print_rows(const json_t *rows, const cw_col *cols, int total, cw_row_after after,
	void *arg)
{
	struct json_cells j = { rows, cols, after, arg };

	cw_print_cells(json_array_size(rows), cols, total, json_cell, after ? json_after : NULL,
		&j);
}

void cw_print_table(cw_cli *cli, json_t *out)
{
	if (json_array_size(out) == 0) {
		puts("(none)");
		return;
	}
	cw_print_rows(out, cli->print_arg, cw_term_width(), NULL, NULL);
}

void cw_print_json(const json_t *out)
{
	char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	if (s) {
		puts(s);
		free(s);
	}
}

/*
 * The engine names the input that is wrong by its field ("max_admissions");
 * the command line speaks of the option that sets it ("--max-admissions").
 * A message whose subject is the field gets the option in its place, any
 * other gets it in front; a field the command has no option for is left.
 */
static void put_message(cw_buf *line, const cw_cli *cli, const char *msg)
{
	/* Fields whose option is not simply the field with dashes. */
	static const char *const renamed[][2] = { { "subject_ref", "subject" } };
	const char *field = cw_error_field(), *name = field;
	char flag[80];
	size_t n = strlen(field), i;
	int k;

	for (i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (strcmp(field, renamed[i][0]) == 0)
			name = renamed[i][1];
	for (k = 0; cli && n && n < 60 && k < cli->noptnames; k++) {
		for (i = 0; i <= strlen(name); i++)
			flag[i] = name[i] == '_' ? '-' : name[i];
		if (strcmp(cli->optnames[k], flag) != 0)
			continue;
		if (strncmp(msg, field, n) == 0 && (msg[n] == ' ' || msg[n] == ':'))
			cw_buf_printf(line, "--%s%s", flag, msg + n);
		else
			cw_buf_printf(line, "--%s: %s", flag, msg);
		return;
	}
	cw_buf_puts(line, msg);
}

/* The option of this command that sets `field` (its name, '_' as '-'),
 * into flag; false when the command has none. */
static bool option_of(const cw_cli *cli, const char *field, size_t n, char flag[64])
{
	size_t i;
	int k;

	if (!cli || n == 0 || n >= 64)
		return false;
	for (i = 0; i < n; i++)
		flag[i] = field[i] == '_' ? '-' : field[i];
	flag[n] = '\0';
	for (k = 0; k < cli->noptnames; k++)
		if (strcmp(cli->optnames[k], flag) == 0)
			return true;
	/* The options every command takes. */
	return strcmp(flag, "as") == 0 || strcmp(flag, "today") == 0;
}

/*
 * Engine texts name a field in parentheses, "(agreed_by: the organisations
 * that agreed)"; on the command line that field is the option that sets it:
 * "(--agreed-by: ...)". A field the command has no option for is left.
 */
static void put_fields(cw_buf *out, const cw_cli *cli, const char *text)
{
	const char *p = text;
	char flag[64];

	while (*p) {
		size_t n = 0;

		if (*p == '(') {
			while ((p[1 + n] >= 'a' && p[1 + n] <= 'z') || p[1 + n] == '_')
				n++;
			if ((p[1 + n] == ':' || p[1 + n] == ')') && option_of(cli, p + 1, n, flag)) {
				cw_buf_printf(out, "(--%s", flag);
				p += 1 + n;
				continue;
			}
		}
		cw_buf_putc(out, *p++);
	}
}

void cw_print_error(const cw_cli *cli, int code)
{
	const char *msg = cw_errmsg();
	size_t i, n = cw_error_unmet_count();
	cw_buf line = CW_BUF_INIT, first = CW_BUF_INIT;

	put_message(&first, cli, *msg ? msg : "failed");
	put_fields(&line, cli, cw_buf_cstr(&first));
	cw_buf_free(&first);
	/* One line on stderr: the unmet conditions follow the message. */
	for (i = 0; i < n; i++) {
		cw_buf_puts(&line, i ? "; " : ": ");
		put_fields(&line, cli, cw_error_unmet_at(i));
	}
	fprintf(stderr, "carewatch: %s\n", cw_buf_cstr(&line));
	if (cli && cli->json) {
		json_t *err = json_pack("{s:s,s:s}", "code", cw_status_name(code),
			"message", cw_buf_cstr(&line));
		json_t *top;

		if (code == CW_EREFUSED) {
			json_t *unmet = json_array();

			for (i = 0; i < n; i++) {
				cw_buf u = CW_BUF_INIT;

				put_fields(&u, cli, cw_error_unmet_at(i));
				json_array_append_new(unmet, json_string(cw_buf_cstr(&u)));
				cw_buf_free(&u);
			}
			json_object_set_new(err, "unmet", unmet);
		}
		top = json_pack("{s:o}", "error", err);
		cw_print_json(top);
		json_decref(top);
	}
	cw_buf_free(&line);
}
