/*
 * The template engine: parse the whole template into a tree first, so that
 * syntax errors are reported before anything is rendered and sections can
 * be repeated without re-scanning, then walk the tree with a stack of
 * contexts. No SQL here: callers build the JSON context.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "carewatch/template.h"
#include "carewatch/markdown.h"
#include "carewatch/file.h"
#include "embedded.h"
#include "carewatch/error.h"

#define MAX_DEPTH 32
#define MAX_PARTIALS 8   /* partials within partials: a loop fails, not the stack */
#define MAX_TEMPLATE (1024 * 1024)
/* A section repeated inside repeated sections multiplies: the output is
 * bounded so a hostile template or context fails rather than fills memory. */
#define MAX_OUTPUT (8 * 1024 * 1024)

const char *const cw_format_names[] = { "text", "html", "markdown", NULL };

int cw_format_parse(const char *s, cw_format *out)
{
	int i;

	for (i = 0; cw_format_names[i]; i++)
		if (s && strcmp(s, cw_format_names[i]) == 0) {
			*out = (cw_format)i;
			return CW_OK;
		}
	return cw_error(CW_EINVALID, "'%.40s' is not a format (text, html, markdown)", s ? s : "");
}

enum node_type { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
	enum node_type type;
	const char *s;          /* text, or the tag's name */
	size_t n;
	int line;
	struct node *kids;      /* sections */
	size_t nkids;
};

struct parser {
	const char *src, *p, *name;
	const char *seen;   /* line_of has counted up to here */
	int seen_line;
};

/* Tags come in order, so counting on from the last one keeps parsing linear. */
static int line_of(struct parser *ps, const char *at)
{
	const char *q = ps->seen && ps->seen <= at ? ps->seen : ps->src;
	int line = ps->seen && ps->seen <= at ? ps->seen_line : 1;

	for (; q < at; q++)
		if (*q == '\n')
			line++;
	ps->seen = at;
	ps->seen_line = line;
	return line;
}

static void nodes_free(struct node *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nodes_free(v[i].kids, v[i].nkids);
	free(v);
}

static struct node *push(struct node **v, size_t *n)
{
	*v = cw_reallocarray(*v, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

static void add_text(struct node **v, size_t *n, const char *s, size_t len)
{
	struct node *t;

	if (len == 0)
		return;
	t = push(v, n);
	t->type = N_TEXT;
	t->s = s;
	t->n = len;
}

static bool blank(const char *s, const char *end)
{
	for (; s < end; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

/*
 * Parse until the closing tag of `close` (NULL: the end). Text runs, tags
 * and sections become nodes; a standalone block tag takes its line with it.
 */
static int parse(struct parser *ps, const char *close, size_t close_n, int depth,
	struct node **out, size_t *nout)
{
	const char *open_at = ps->p;

	if (depth > MAX_DEPTH)
		return cw_error(CW_EINVALID, "%s:%d: sections are nested more than %d deep",
			ps->name, line_of(ps, ps->p), MAX_DEPTH);
	for (;;) {
		const char *tag = strstr(ps->p, "{{"), *end, *name, *ls, *after;
		size_t n;
		char sigil;
		int err;

		if (!tag) {
			if (close)
				return cw_error(CW_EINVALID, "%s:%d: section {{#%.*s}} is never closed"
					" ({{/%.*s}})", ps->name, line_of(ps, open_at), (int)close_n, close,
					(int)close_n, close);
			add_text(out, nout, ps->p, strlen(ps->p));
			ps->p += strlen(ps->p);
			return CW_OK;
		}
		if (!(end = strstr(tag + 2, "}}")))
			return cw_error(CW_EINVALID, "%s:%d: '{{' is never closed with '}}'",
				ps->name, line_of(ps, tag));
		name = tag + 2;
		sigil = strchr("#^/!>", *name) && *name ? *name++ : '\0';
		while (name < end && (*name == ' ' || *name == '\t'))
			name++;
		n = (size_t)(end - name);
		while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
			n--;
		if (sigil != '!' && (n == 0 || memchr(name, '{', n) || memchr(name, '\n', n)))
			return cw_error(CW_EINVALID, "%s:%d: '{{%.*s}}' is not a placeholder",
				ps->name, line_of(ps, tag), (int)(end - tag - 2) > 40 ? 40
				: (int)(end - tag - 2), tag + 2);
		after = end + 2;
		/* A block tag alone on its line: drop the line's blanks and newline. */
		for (ls = tag; ls > ps->p && ls[-1] != '\n'; ls--)
			;
		if (sigil && (ls > ps->p || ls == ps->src || ls[-1] == '\n') && blank(ls, tag)) {
			const char *eol = strchr(after, '\n');

			if (blank(after, eol ? eol : after + strlen(after))) {
				add_text(out, nout, ps->p, (size_t)(ls - ps->p));
				tag = ls;
				after = eol ? eol + 1 : after + strlen(after);
			} else {
				add_text(out, nout, ps->p, (size_t)(tag - ps->p));
			}
		} else {
			add_text(out, nout, ps->p, (size_t)(tag - ps->p));
		}
		ps->p = after;
		if (sigil == '!')
			continue;
		if (sigil == '/') {
			if (close && n == close_n && memcmp(name, close, n) == 0)
				return CW_OK;
			if (close)
				return cw_error(CW_EINVALID, "%s:%d: {{/%.*s}} closes no open section;"
					" expected {{/%.*s}}", ps->name, line_of(ps, name), (int)n, name,
					(int)close_n, close);
			return cw_error(CW_EINVALID, "%s:%d: {{/%.*s}} closes no open section",
				ps->name, line_of(ps, name), (int)n, name);
		}
		{
			struct node *k = push(out, nout);

			k->type = sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED
				: sigil == '>' ? N_PARTIAL : N_VAR;
			k->s = name;
			k->n = n;
			k->line = line_of(ps, name);
			if (k->type == N_VAR || k->type == N_PARTIAL)
				continue;
			/* k may move when *out grows: parse the section into locals. */
			{
				struct node *kids = NULL;
				size_t nkids = 0;

				err = parse(ps, name, n, depth + 1, &kids, &nkids);
				(*out)[*nout - 1].kids = kids;
				(*out)[*nout - 1].nkids = nkids;
				if (err != CW_OK)
					return err;
			}
		}
	}
}

struct render {
	const char *name;
	const cw_template_opts *opts;
	const json_t *stack[MAX_DEPTH + 2];
	int depth;
	int partials;   /* how deep in partials the walk is */
	cw_buf out;
};

#define KEY_MAX 256

/* The first segment of key path `s` (n bytes) into `key`; its length, or 0
 * when empty or too long. */
static size_t key_segment(const char *s, size_t n, char key[KEY_MAX])
{
	const char *dot = memchr(s, '.', n);
	size_t k = dot ? (size_t)(dot - s) : n;

	if (k == 0 || k >= KEY_MAX)
		return 0;
	memcpy(key, s, k);
	key[k] = '\0';
	return k;
}

/* The value at key path `s` (n bytes): "." is the innermost context. */
static const json_t *lookup(const struct render *r, const char *s, size_t n)
{
	const json_t *v = NULL;
	char key[KEY_MAX];
	size_t k;
	int i;

	if (n == 1 && s[0] == '.')
		return r->stack[r->depth];
	if ((k = key_segment(s, n, key)) == 0)
		return NULL;
	for (i = r->depth; i >= 0 && !v; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], key);
	while (v && k < n) {
		s += k + 1;
		n -= k + 1;
		if ((k = key_segment(s, n, key)) == 0)
			return NULL;
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static bool empty(const json_t *v)
{
	return !v || json_is_null(v) || json_is_false(v) ||
		(json_is_string(v) && json_string_length(v) == 0) ||
		(json_is_array(v) && json_array_size(v) == 0) ||
		(json_is_integer(v) && json_integer_value(v) == 0) ||
		(json_is_real(v) && json_real_value(v) == 0);
}

/*
 * A value in a text document: a line break inside it (LF, CR or CRLF)
 * continues under the value's first column, so "Summary:  a\nStage: closed"
 * cannot print a line that reads as a label of its own, and a lone CR
 * cannot return the terminal to the start of the line.
 */
static void text_value(cw_buf *out, const char *s)
{
	size_t col = 0, i, start = out->len;

	if (!strpbrk(s, "\r\n")) {
		cw_buf_puts(out, s);
		return;
	}
	/* (only for a value with a break, so rendering stays linear) */
	while (start > 0 && out->ptr[start - 1] != '\n')
		start--;
	for (i = start; i < out->len; i++)
		col += ((unsigned char)out->ptr[i] & 0xc0) != 0x80;
	if (col > 40)
		col = 4;
	for (; *s; s++) {
		if (*s != '\n' && *s != '\r') {
			cw_buf_putc(out, *s);
			continue;
		}
		if (*s == '\r' && s[1] == '\n')
			s++;
		cw_buf_putc(out, '\n');
		for (i = 0; i < col; i++)
			cw_buf_putc(out, ' ');
	}
}

static int var(struct render *r, const struct node *k)
{
	const json_t *v = lookup(r, k->s, k->n);
	char name[256], num[64];

	snprintf(name, sizeof(name), "%.*s", (int)k->n, k->s);
	if (!v || json_is_null(v)) {
		if (r->opts && r->opts->missing)
			return r->opts->missing(r->opts->arg, name);
		return cw_error(CW_EINVALID, "%s:%d: placeholder {{%s}} has no value",
			r->name, k->line, name);
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (!r->opts || r->opts->format == CW_FORMAT_TEXT)
			text_value(&r->out, json_string_value(v));
		else
			cw_template_escape(&r->out, json_string_value(v), r->opts->format);
		return CW_OK;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		snprintf(num, sizeof(num), "%s", json_is_true(v) ? "yes" : "no");
		break;
	default:
		return cw_error(CW_EINVALID, "%s:%d: {{%s}} is a list or an object, not a value"
			" (use a section {{#%s}}...{{/%s}})", r->name, k->line, name, name, name);
	}
	cw_buf_puts(&r->out, num);
	return CW_OK;
}

static int walk(struct render *r, const struct node *v, size_t n);

static int section(struct render *r, const struct node *k)
{
	const json_t *v = lookup(r, k->s, k->n);
	size_t i;
	int err = CW_OK;

	if (k->type == N_INVERTED)
		return empty(v) ? walk(r, k->kids, k->nkids) : CW_OK;
	if (empty(v))
		return CW_OK;
	/* Each template's nesting is checked when parsed; partials add theirs up. */
	if (r->depth > MAX_DEPTH)
		return cw_error(CW_EINVALID, "%s:%d: sections are nested more than %d deep",
			r->name, k->line, MAX_DEPTH);
	r->depth++;
	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v) && err == CW_OK; i++) {
			r->stack[r->depth] = json_array_get(v, i);
			err = walk(r, k->kids, k->nkids);
		}
	} else {
		r->stack[r->depth] = v;
		err = walk(r, k->kids, k->nkids);
	}
	r->depth--;
	return err;
}

/* {{> name}}: the caller's template of that name, parsed and walked here, in
 * the current context. */
static int partial(struct render *r, const struct node *k)
{
	char name[KEY_MAX], *text = NULL;
	const char *outer = r->name;
	struct parser ps;
	struct node *nodes = NULL;
	size_t n = 0;
	int err;

	snprintf(name, sizeof(name), "%.*s", (int)k->n, k->s);
	if (!r->opts || !r->opts->partial)
		return cw_error(CW_EINVALID, "%s:%d: {{> %s}}: this template can include no other",
			r->name, k->line, name);
	if (r->partials >= MAX_PARTIALS)
		return cw_error(CW_EINVALID, "%s:%d: {{> %s}}: partials include each other more"
			" than %d deep", r->name, k->line, name, MAX_PARTIALS);
	if ((err = r->opts->partial(r->opts->partial_arg, name, &text)) != CW_OK)
		return err;
	ps = (struct parser){ text, text, name, NULL, 1 };
	r->partials++;
	r->name = name;
	if ((err = parse(&ps, NULL, 0, 0, &nodes, &n)) == CW_OK)
		err = walk(r, nodes, n);
	r->name = outer;
	r->partials--;
	nodes_free(nodes, n);
	free(text);
	return err;
}

static int walk(struct render *r, const struct node *v, size_t n)
{
	size_t i;
	int err = CW_OK;

	for (i = 0; i < n && err == CW_OK; i++) {
		if (r->out.len > MAX_OUTPUT)
			return cw_error(CW_EINVALID, "%s: the output is larger than %d bytes"
				" (a section repeats too often)", r->name, MAX_OUTPUT);
		if (v[i].type == N_TEXT)
			cw_buf_put(&r->out, v[i].s, v[i].n);
		else if (v[i].type == N_VAR)
			err = var(r, &v[i]);
		else if (v[i].type == N_PARTIAL)
			err = partial(r, &v[i]);
		else
			err = section(r, &v[i]);
	}
	return err;
}

int cw_template_render(const char *tmpl, const char *name, const json_t *ctx,
	const cw_template_opts *opts, char **out)
{
	struct parser ps = { tmpl, tmpl, name ? name : "template", NULL, 1 };
	struct render r;
	struct node *nodes = NULL;
	size_t n = 0;
	int err;

	memset(&r, 0, sizeof(r));
	r.name = ps.name;
	r.opts = opts;
	r.stack[0] = ctx;
	if ((err = parse(&ps, NULL, 0, 0, &nodes, &n)) == CW_OK &&
	    (err = walk(&r, nodes, n)) == CW_OK) {
		cw_buf_puts(&r.out, "");
		*out = cw_buf_detach(&r.out);
	}
	cw_buf_free(&r.out);
	nodes_free(nodes, n);
	return err;
}

void cw_template_escape(cw_buf *b, const char *s, cw_format f)
{
	if (f == CW_FORMAT_MARKDOWN) {
		cw_md_escape(b, s);
		return;
	}
	for (; s && *s; s++) {
		const char *e = NULL;

		if (f == CW_FORMAT_HTML) {
			switch (*s) {
			case '&': e = "&amp;"; break;
			case '<': e = "&lt;"; break;
			case '>': e = "&gt;"; break;
			case '"': e = "&quot;"; break;
			case '\'': e = "&#39;"; break;
			default: break;
			}
		}
		if (e)
			cw_buf_puts(b, e);
		else
			cw_buf_putc(b, *s);
	}
}

static int read_file(const char *path, char **out)
{
	/* A regular file, not through a symbolic link: a FIFO or device would
	 * hang a command that holds the write lock. */
	FILE *f = cw_file_open_regular(path, true, "template");
	cw_buf b = CW_BUF_INIT;
	int rc, err = CW_OK;

	if (!f)
		return cw_error_code();
	rc = cw_file_read_capped(f, MAX_TEMPLATE, &b);
	if (rc > 0)
		err = cw_error(CW_EINVALID, "template '%s' is larger than %d bytes", path,
			MAX_TEMPLATE);
	else if (rc < 0)
		err = cw_error(CW_EINVALID, "cannot read template '%s': %s", path, strerror(errno));
	else if (memchr(cw_buf_cstr(&b), '\0', b.len))
		err = cw_error(CW_EINVALID, "template '%s' is not text", path);
	fclose(f);
	if (err == CW_OK)
		*out = cw_buf_detach(&b);
	cw_buf_free(&b);
	return err;
}

int cw_template_load(const cw_rules *r, const char *dir_key, const char *base,
	const char *file, char **out, char **origin)
{
	const char *dir = dir_key ? cw_rules_string(r, dir_key) : "";
	const char *slash = strrchr(file, '/');
	const cw_embedded *e;
	struct stat sb;
	cw_buf path = CW_BUF_INIT;
	const json_t *pinned = r ? cw_rules_templates(r) : NULL;
	int err;

	/* Pinned rules carry their templates: the disk is not read again. */
	if (pinned) {
		const char *text = json_string_value(json_object_get(pinned, file));

		if (text) {
			*out = cw_strdup(text);
			if (origin) {
				cw_buf o = CW_BUF_INIT;

				cw_buf_printf(&o, "pinned:%s", file);
				*origin = cw_buf_detach(&o);
			}
			return CW_OK;
		}
		dir = NULL;
	}
	if (dir && *dir) {
		if (dir[0] != '/' && base && *base)
			cw_buf_printf(&path, "%s/", base);
		cw_buf_printf(&path, "%s/%s", dir, slash ? slash + 1 : file);
		/* A replacement wins when it exists; one that cannot be read is an error. */
		if (lstat(cw_buf_cstr(&path), &sb) == 0) {
			if ((err = read_file(cw_buf_cstr(&path), out)) == CW_OK && origin)
				*origin = cw_buf_detach(&path);
			cw_buf_free(&path);
			return err;
		}
	}
	cw_buf_free(&path);
	if (!(e = cw_embedded_find(file)))
		return cw_error(CW_ENOTFOUND, "no template '%s'", file);
	*out = cw_strdup(e->data);
	if (origin)
		*origin = cw_strdup("built-in");
	return CW_OK;
}
