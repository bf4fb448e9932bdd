/*
 * The template engine under arbitrary templates and hostile values (see
 * checks.h). The input is a template, a NUL, then values separated by NULs.
 * Every placeholder the template names gets a value (round robin), every
 * section a list of two elements, so shipped documents render whole.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "carewatch/error.h"
#include "carewatch/template.h"
#include "checks.h"

#define TMPL_NAME "fuzz.tmpl"
#define MAX_VALUES 16

struct values {
	const char *v[MAX_VALUES];
	size_t n, next;
	bool safe;   /* every non-empty value as "v": what the template alone writes */
};

static json_t *next_value(struct values *vals)
{
	const char *s = vals->n ? vals->v[vals->next++ % vals->n] : "<b>x</b>\n```";

	if (vals->safe)
		return json_string(*s ? "v" : "");
	return json_string(s);
}

/* Set the value at key path `name` (n bytes; "a.b.c") of `ctx`, once. */
static void set_path(json_t *ctx, const char *name, size_t n, json_t *v)
{
	char key[128];
	const char *dot;
	json_t *o = ctx, *sub;
	size_t k;

	while ((dot = memchr(name, '.', n))) {
		k = (size_t)(dot - name);
		if (k == 0 || k >= sizeof(key))
			goto drop;
		memcpy(key, name, k);
		key[k] = '\0';
		sub = json_object_get(o, key);
		if (!sub) {
			sub = json_object();
			/* (jansson frees sub when it refuses a key that is not UTF-8) */
			if (json_object_set_new(o, key, sub) != 0)
				goto drop;
		}
		if (!json_is_object(sub))
			goto drop;
		o = sub;
		name = dot + 1;
		n -= k + 1;
	}
	if (n == 0 || n >= sizeof(key))
		goto drop;
	memcpy(key, name, n);
	key[n] = '\0';
	if (json_object_get(o, key))
		goto drop;
	json_object_set_new(o, key, v);   /* frees v if it refuses the key */
	return;
drop:
	json_decref(v);
}

static json_t *context(const char *tmpl, struct values *vals)
{
	json_t *ctx = json_object();
	const char *p = tmpl, *end;

	vals->next = 0;
	while ((p = strstr(p, "{{")) && (end = strstr(p + 2, "}}"))) {
		const char *name = p + 2;
		char sigil = *name;

		if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!')
			name++;
		while (name < end && *name == ' ')
			name++;
		if (sigil == '#' || sigil == '^') {
			/* a list of two empty objects: inner names resolve at the root */
			set_path(ctx, name, (size_t)(end - name),
				json_pack("[{},{}]"));
		} else if (sigil != '/' && sigil != '!' && !(end - name == 1 && *name == '.')) {
			set_path(ctx, name, (size_t)(end - name), next_value(vals));
		}
		p = end + 2;
	}
	return ctx;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* The text without its blanks and line breaks, for "wrap drops nothing". */
static char *ink(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;

	if (!o)
		abort();
	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			*q++ = *s;
	*q = '\0';
	return o;
}

static const char *render_pair(const char *tmpl, struct values *vals, cw_format f)
{
	cw_template_opts o = { f, NULL, NULL, NULL, NULL };
	json_t *ctx, *safe_ctx;
	char *out = NULL, *safe = NULL;
	const char *msg = NULL;
	int err, serr;

	vals->safe = false;
	ctx = context(tmpl, vals);
	vals->safe = true;
	safe_ctx = context(tmpl, vals);
	err = cw_template_render(tmpl, TMPL_NAME, ctx, &o, &out);
	serr = cw_template_render(tmpl, TMPL_NAME, safe_ctx, &o, &safe);
	if (err != CW_OK) {
		if (err != CW_EINVALID || strncmp(cw_errmsg(), TMPL_NAME, strlen(TMPL_NAME)) != 0 ||
		    strchr(cw_errmsg(), '\n'))
			msg = "template: a failure is not CW_EINVALID with one line naming the template";
		else if (out)
			msg = "template: a failed render left output";
		goto done;
	}
	if (serr != CW_OK)
		goto done;   /* e.g. the output bound, reached by one and not the other */
	if (f == CW_FORMAT_HTML && count_char(out, '<') != count_char(safe, '<'))
		msg = "template: a value wrote an HTML element the template did not";
	else if (f == CW_FORMAT_HTML && count_char(out, '>') != count_char(safe, '>'))
		msg = "template: a value wrote a '>' the template did not";
	else if (f == CW_FORMAT_MARKDOWN && count_char(out, '\n') != count_char(safe, '\n'))
		msg = "template: a value started a Markdown line of its own";
	else if (f == CW_FORMAT_TEXT && strchr(out, '\r') && !strchr(tmpl, '\r'))
		msg = "template: a carriage return in a value reached the text";
	if (!msg && f == CW_FORMAT_TEXT) {
		char *w = cw_template_wrap(out, 40), *a = ink(out), *b = ink(w);

		if (strcmp(a, b) != 0)
			msg = "wrap: wrapping dropped or changed text";
		free(w);
		free(a);
		free(b);
	}
done:
	free(out);
	free(safe);
	json_decref(ctx);
	json_decref(safe_ctx);
	cw_error_clear();
	return msg;
}

const char *cw_fuzz_check_template(const uint8_t *data, size_t size)
{
	struct values vals = { { NULL }, 0, 0, false };
	char *buf, *p, *end;
	const char *msg = NULL;
	int f;

	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	end = buf + size;
	/* values: valid UTF-8 only, as the engine stores nothing else */
	for (p = buf + strlen(buf) + 1; p < end && vals.n < MAX_VALUES; p += strlen(p) + 1) {
		json_t *probe = json_string(p);

		if (probe)
			vals.v[vals.n++] = p;
		json_decref(probe);
	}
	for (f = CW_FORMAT_TEXT; !msg && f <= CW_FORMAT_MARKDOWN; f++)
		msg = render_pair(buf, &vals, (cw_format)f);
	free(buf);
	return msg;
}
