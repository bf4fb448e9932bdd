#ifndef CW_TEMPLATE_H
#define CW_TEMPLATE_H
/*
 * Templates for letters and documents: a small Mustache-like language over
 * a JSON context. The engine never leaves a gap: a placeholder without a
 * value is an error naming it, and every value is escaped for the output
 * format.
 *
 *   {{name}}  {{a.b}}        the value at that key path; the first key is
 *                            looked up from the innermost section outwards
 *   {{.}}                    the current element of a repeated section
 *   {{#name}} ... {{/name}}  a section: repeated for each element of an
 *                            array (an object element is the innermost
 *                            context), shown once for any other value that is
 *                            not "empty"; skipped for a missing key, null,
 *                            false, 0, "" and []
 *   {{^name}} ... {{/name}}  shown only when {{#name}} would be skipped
 *   {{> name}}               the template `name` (the caller's partial hook
 *                            finds it), rendered here in the current context
 *   {{! comment }}
 *
 * A line holding nothing but a section, closing, partial or comment tag (and
 * blanks) leaves no line in the output, so templates can put them on lines
 * of their own. Strings print as they are, whole numbers in decimal, others
 * with %g, true/false as "yes"/"no"; an object or array as a value is an
 * error (use a section).
 */
#include <jansson.h>
#include "carewatch/buf.h"
#include "carewatch/rules.h"

typedef enum {
	CW_FORMAT_TEXT,      /* as is */
	CW_FORMAT_HTML,      /* & < > " ' as entities */
	CW_FORMAT_MARKDOWN   /* characters with a meaning in Markdown backslashed */
} cw_format;

/* "text", "html", "markdown" (NULL-terminated), and parsing one. */
extern const char *const cw_format_names[];
int cw_format_parse(const char *s, cw_format *out);   /* CW_OK or CW_EINVALID */

typedef struct {
	cw_format format;
	/*
	 * Called for a placeholder that has no value (key path `name`): sets the
	 * error and returns the status to fail with (say, CW_ENOTFOUND when a
	 * fact does not exist yet). NULL: CW_EINVALID naming the placeholder.
	 */
	int (*missing)(void *arg, const char *name);
	void *arg;
	/*
	 * Called for a partial {{> name}}: on CW_OK *text is its template
	 * (free() it); else sets the error and returns the status to fail with.
	 * NULL: the template may include none (CW_EINVALID naming the tag).
	 */
	int (*partial)(void *arg, const char *name, char **text);
	void *partial_arg;
} cw_template_opts;

/*
 * Render `tmpl` (called `name` in messages) with the values of `ctx`.
 * On CW_OK *out is the text (free() it). CW_EINVALID, with "name:line:",
 * for a syntax error (an unclosed tag or section, a stray closing tag,
 * sections nested deeper than 32) or a missing value.
 */
int cw_template_render(const char *tmpl, const char *name, const json_t *ctx,
	const cw_template_opts *opts, char **out);

/* Append `s` to `b` escaped for `f`. */
void cw_template_escape(cw_buf *b, const char *s, cw_format f);

/*
 * `text` with every line longer than `width` columns broken between words;
 * continuation lines are indented under the line's value (after "Label:  ",
 * "- ", "[x] " or "1. "). Trailing blanks go; a word longer than the width
 * stays whole. Returns a new string (free() it).
 */
char *cw_template_wrap(const char *text, size_t width);

/*
 * The text of template `file` (a path under config/, e.g.
 * "letters/embargo-placed-provider.txt"): the file of the same base name in
 * the directory the rules setting `dir_key` names ("letters_dir"), when the
 * setting is not empty and the file exists, else the copy built into the
 * program. A relative directory is taken from `base` (the directory of the
 * rules file; NULL: the working directory). On CW_OK *out is the text and
 * *origin (when not NULL) says where it came from; free() both.
 * CW_ENOTFOUND when there is no such template; CW_EINVALID when the file
 * exists but cannot be read.
 */
int cw_template_load(const cw_rules *r, const char *dir_key, const char *base,
	const char *file, char **out, char **origin);

#endif
