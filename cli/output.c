#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "carewatch/csv.h"
#include "carewatch/export.h"
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

/* Byte length of the first `cols` code points, stopping at a newline. */
static size_t prefix_bytes(const char *s, int cols)
{
	const char *p = s;
	int w = 0;

	while (*p && *p != '\n') {
		if (((unsigned char)*p & 0xc0) != 0x80) {
			if (w == cols)
				break;
			w++;
		}
		p++;
	}
	return (size_t)(p - s);
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

char *cw_term_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	cw_buf b = CW_BUF_INIT;

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
		for (k = keys; *k; k++) {
			char *t;

			if (!(v = json_object_get(obj, *k)))
				continue;
			t = cw_export_value_text(v);
			printf("%-*s  ", w, *k);
			cw_print_term(stdout, t, w + 2);
			putchar('\n');
			free(t);
		}
		return;
	}
	json_object_foreach(obj, key, v)
		if ((int)strlen(key) > w)
			w = (int)strlen(key);
	json_object_foreach(obj, key, v) {
		char *t = cw_export_value_text(v);

		printf("%-*s  ", w, key);
		cw_print_term(stdout, t, w + 2);
		putchar('\n');
		free(t);
	}
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

void cw_print_table(cw_cli *cli, json_t *out)
{
	const cw_col *cols = cli->print_arg, *c;
	int ncols = 0, i, *w;
	size_t r;
	json_t *row;

	if (json_array_size(out) == 0) {
		puts("(none)");
		return;
	}
	for (c = cols; c->key; c++)
		ncols++;
	w = cw_calloc((size_t)ncols, sizeof(*w));
	for (i = 0; i < ncols; i++)
		w[i] = width(cols[i].header);
	json_array_foreach(out, r, row)
		for (i = 0; i < ncols; i++) {
			char *t = table_text(json_object_get(row, cols[i].key));
			int tw = width(t);

			if (cols[i].max && tw > cols[i].max)
				tw = cols[i].max;
			if (tw > w[i])
				w[i] = tw;
			free(t);
		}
	for (i = 0; i < ncols; i++)
		printf("%-*s%s", i == ncols - 1 ? 0 : w[i], cols[i].header,
			i == ncols - 1 ? "\n" : "  ");
	json_array_foreach(out, r, row)
		for (i = 0; i < ncols; i++) {
			char *t = table_text(json_object_get(row, cols[i].key));
			int tw = width(t), shown;
			bool cut = (cols[i].max && tw > cols[i].max) || strchr(t, '\n');
			size_t nb = prefix_bytes(t, cut && cols[i].max ? cols[i].max - 1 : tw);

			fwrite(t, 1, nb, stdout);
			if (cut)
				putchar('~');
			t[nb] = '\0';
			shown = width(t) + (cut ? 1 : 0);
			if (i < ncols - 1)
				printf("%*s", w[i] - shown + 2, "");
			else
				putchar('\n');
			free(t);
		}
	free(w);
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

void cw_print_error(const cw_cli *cli, int code)
{
	const char *msg = cw_errmsg();
	size_t i, n = cw_error_unmet_count();
	cw_buf line = CW_BUF_INIT;

	put_message(&line, cli, *msg ? msg : "failed");
	/* One line on stderr: the unmet conditions follow the message. */
	for (i = 0; i < n; i++)
		cw_buf_printf(&line, "%s%s", i ? "; " : ": ", cw_error_unmet_at(i));
	fprintf(stderr, "carewatch: %s\n", cw_buf_cstr(&line));
	if (cli && cli->json) {
		json_t *err = json_pack("{s:s,s:s}", "code", cw_status_name(code),
			"message", cw_buf_cstr(&line));
		json_t *top;

		if (code == CW_EREFUSED) {
			json_t *unmet = json_array();

			for (i = 0; i < n; i++)
				json_array_append_new(unmet, json_string(cw_error_unmet_at(i)));
			json_object_set_new(err, "unmet", unmet);
		}
		top = json_pack("{s:o}", "error", err);
		cw_print_json(top);
		json_decref(top);
	}
	cw_buf_free(&line);
}
