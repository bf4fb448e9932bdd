/* Unit tests of the template engine (engine/paper/template.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <criterion/criterion.h>
#include "carewatch/template.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"

static json_t *ctx;
static char *out;

static void setup(void)
{
	ctx = json_pack("{s:s,s:i,s:f,s:b,s:n,s:s,s:{s:s,s:{s:s}},s:[s,s],s:[{s:s},{s:s}],s:[]}",
		"name", "Oakwood", "count", 3, "hours", 7.5, "yes", 1, "nothing", "empty", "",
		"provider", "type", "nursing home", "address", "town", "Carmarthen",
		"conditions", "two a week", "no respite",
		"items", "what", "audit", "what", "train", "none");
	out = NULL;
}

static void teardown(void)
{
	json_decref(ctx);
	free(out);
	cw_error_clear();
}

TestSuite(template, .init = setup, .fini = teardown);

static int render(const char *tmpl, cw_format f)
{
	cw_template_opts o = { f, NULL, NULL, NULL, NULL };

	free(out);
	out = NULL;
	return cw_template_render(tmpl, "t.txt", ctx, &o, &out);
}

#define RENDERS(tmpl, want) do { \
	cr_assert_eq(render(tmpl, CW_FORMAT_TEXT), CW_OK, "%s", cw_errmsg()); \
	cr_assert_str_eq(out, want); \
} while (0)

Test(template, placeholders_and_key_paths)
{
	RENDERS("Dear {{name}},", "Dear Oakwood,");
	RENDERS("{{ name }} is a {{provider.type}} in {{provider.address.town}}",
		"Oakwood is a nursing home in Carmarthen");
	RENDERS("{{count}} items, {{hours}} hours, {{yes}}", "3 items, 7.5 hours, yes");
	RENDERS("no tags at all\n", "no tags at all\n");
	RENDERS("", "");
	RENDERS("a {{! a comment }}b", "a b");
	RENDERS("single { brace } and }} alone", "single { brace } and }} alone");
}

Test(template, a_placeholder_without_a_value_is_an_error_naming_it)
{
	cr_assert_eq(render("line one\nDear {{nobody}},", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "{{nobody}}"), "%s", cw_errmsg());
	cr_assert(strstr(cw_errmsg(), "t.txt:2"), "%s", cw_errmsg());
	cr_assert_null(out);
	/* null is no value; a missing step of a path neither. */
	cr_assert_eq(render("{{nothing}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert_eq(render("{{provider.postcode}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert_eq(render("{{name.first}}", CW_FORMAT_TEXT), CW_EINVALID);
	/* The empty string is a value (an empty field), not a gap in the template. */
	RENDERS("[{{empty}}]", "[]");
	/* Lists and objects are not values. */
	cr_assert_eq(render("{{conditions}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "section"), "%s", cw_errmsg());
	cr_assert_eq(render("{{provider}}", CW_FORMAT_TEXT), CW_EINVALID);
}

static int hook_calls;

static int hook(void *arg, const char *name)
{
	hook_calls++;
	return cw_error(CW_ENOTFOUND, "%s: %s is not known yet", (const char *)arg, name);
}

Test(template, the_missing_hook_decides_the_status)
{
	cw_template_opts o = { CW_FORMAT_TEXT, hook, "letter", NULL, NULL };

	hook_calls = 0;
	cr_assert_eq(cw_template_render("next: {{meeting.next}}", "t", ctx, &o, &out), CW_ENOTFOUND);
	cr_assert_eq(hook_calls, 1);
	cr_assert_str_eq(cw_errmsg(), "letter: meeting.next is not known yet");
	/* Values that exist never reach it. */
	cr_assert_eq(cw_template_render("{{name}}", "t", ctx, &o, &out), CW_OK);
	cr_assert_eq(hook_calls, 1);
}

Test(template, sections_repeat_over_arrays_and_show_once_for_values)
{
	RENDERS("{{#conditions}}- {{.}}\n{{/conditions}}", "- two a week\n- no respite\n");
	RENDERS("{{#items}}[{{what}} at {{name}}]{{/items}}", "[audit at Oakwood][train at Oakwood]");
	RENDERS("{{#provider}}{{type}}{{/provider}}", "nursing home");
	RENDERS("{{#yes}}shown {{name}}{{/yes}}", "shown Oakwood");
	RENDERS("{{#none}}x{{/none}}{{#nothing}}x{{/nothing}}{{#empty}}x{{/empty}}"
		"{{#missing}}x{{/missing}}.", ".");
	RENDERS("{{^none}}no items{{/none}}{{^items}}never{{/items}}", "no items");
	RENDERS("{{#items}}{{#conditions}}{{what}}:{{.}};{{/conditions}}{{/items}}",
		"audit:two a week;audit:no respite;train:two a week;train:no respite;");
	/* A section tag alone on its line leaves no line behind. */
	RENDERS("Conditions:\n{{#conditions}}\n  - {{.}}\n{{/conditions}}\nEnd\n",
		"Conditions:\n  - two a week\n  - no respite\nEnd\n");
	RENDERS("{{^none}}\nnone\n{{/none}}\n", "none\n");
	RENDERS("{{! standalone comment }}\nText", "Text");
	/* ...but not when it shares the line with text. */
	RENDERS("a {{#yes}}b{{/yes}}\n", "a b\n");
}

Test(template, syntax_errors_name_the_line)
{
	cr_assert_eq(render("ok\n{{name", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "t.txt:2"), "%s", cw_errmsg());
	cr_assert_eq(render("{{#items}}\nno end", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "never closed"), "%s", cw_errmsg());
	cr_assert_eq(render("{{/items}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert_eq(render("{{#items}}{{/conditions}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "expected {{/items}}"), "%s", cw_errmsg());
	cr_assert_eq(render("{{}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert_eq(render("{{#}}{{/}}", CW_FORMAT_TEXT), CW_EINVALID);
	{
		char deep[64 * 12 + 1] = "";
		int i;

		for (i = 0; i < 40; i++)
			strcat(deep, "{{#yes}}");
		cr_assert_eq(render(deep, CW_FORMAT_TEXT), CW_EINVALID);
		cr_assert(strstr(cw_errmsg(), "nested"), "%s", cw_errmsg());
	}
}

Test(template, values_are_escaped_for_the_format)
{
	json_object_set_new(ctx, "name", json_string("<script>alert('x') & \"y\"</script>"));
	cr_assert_eq(render("<p>{{name}}</p>", CW_FORMAT_HTML), CW_OK);
	cr_assert_str_eq(out, "<p>&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p>");
	cr_assert_eq(render("{{name}}", CW_FORMAT_TEXT), CW_OK);
	cr_assert_str_eq(out, "<script>alert('x') & \"y\"</script>");
	json_object_set_new(ctx, "name", json_string("*bold* _it_ [link](x) # | `c` \\"));
	cr_assert_eq(render("{{name}}", CW_FORMAT_MARKDOWN), CW_OK);
	cr_assert_str_eq(out, "\\*bold\\* \\_it\\_ \\[link\\](x) \\# \\| \\`c\\` \\\\");
	/* Inside a repeated section too. */
	json_array_append_new(json_object_get(ctx, "conditions"), json_string("a<b"));
	cr_assert_eq(render("{{#conditions}}{{.}};{{/conditions}}", CW_FORMAT_HTML), CW_OK);
	cr_assert_str_eq(out, "two a week;no respite;a&lt;b;");
}

Test(template, formats_parse)
{
	cw_format f;

	cr_assert_eq(cw_format_parse("html", &f), CW_OK);
	cr_assert_eq(f, CW_FORMAT_HTML);
	cr_assert_eq(cw_format_parse("markdown", &f), CW_OK);
	cr_assert_eq(f, CW_FORMAT_MARKDOWN);
	cr_assert_eq(cw_format_parse("pdf", &f), CW_EINVALID);
}

Test(template, load_prefers_the_rules_directory_then_the_built_in_copy)
{
	cw_rules *r = NULL;
	char dir[] = "/tmp/cwtemplate-XXXXXX", path[128], cfg[160], *text = NULL, *origin = NULL;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(cfg, sizeof(cfg), "letters_dir = \"%s\";\n", dir);
	cr_assert_eq(cw_rules_load_string(&r, cfg, "test.cfg"), CW_OK, "%s", cw_errmsg());
	/* Nothing in the directory: the built-in copy. */
	cr_assert_eq(cw_template_load(r, "letters_dir", NULL, "letters/embargo-placed-provider.txt",
		&text, &origin), CW_OK, "%s", cw_errmsg());
	cr_assert_str_eq(origin, "built-in");
	cr_assert(strstr(text, "{{provider.name}}"));
	free(text);
	free(origin);
	/* A file of the same name wins. */
	snprintf(path, sizeof(path), "%s/embargo-placed-provider.txt", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("Local letter for {{provider.name}}\n", f);
	fclose(f);
	cr_assert_eq(cw_template_load(r, "letters_dir", NULL, "letters/embargo-placed-provider.txt",
		&text, &origin), CW_OK);
	cr_assert_str_eq(text, "Local letter for {{provider.name}}\n");
	cr_assert_str_eq(origin, path);
	free(text);
	free(origin);
	/* One that cannot be read is invalid input, not a silent fallback. */
	cr_assert_eq(chmod(path, 0), 0);
	if (access(path, R_OK) != 0)
		cr_assert_eq(cw_template_load(r, "letters_dir", NULL,
			"letters/embargo-placed-provider.txt", &text, NULL), CW_EINVALID);
	unlink(path);
	cr_assert_eq(cw_template_load(r, "letters_dir", NULL, "letters/no-such.txt", &text, NULL),
		CW_ENOTFOUND);
	rmdir(dir);
	cw_rules_free(r);
}

#define WRAPS(in, width, want) do { \
	free(out); \
	out = cw_template_wrap(in, width); \
	cr_assert_str_eq(out, want); \
} while (0)

Test(template, text_wraps_between_words_under_the_value)
{
	/* Short lines, blank lines and a missing final newline pass as they are. */
	WRAPS("a b\n\nc", 20, "a b\n\nc\n");
	/* A labelled line continues under its value, not under the label. */
	WRAPS("Reason:   one two three four five\n", 20,
		"Reason:   one two\n          three four\n          five\n");
	/* Lists and checklists hang after their marker; trailing blanks go. */
	WRAPS("  - alpha beta gamma delta   \n", 14, "  - alpha beta\n    gamma\n    delta\n");
	WRAPS("[x] alpha beta gamma\n", 12, "[x] alpha\n    beta\n    gamma\n");
	WRAPS("12. alpha beta gamma\n", 12, "12. alpha\n    beta\n    gamma\n");
	/* A word longer than the line stays whole. */
	WRAPS("ab abcdefghijkl cd\n", 6, "ab\nabcdefghijkl\ncd\n");
	/* Columns are code points: "ŵŷŵŷ" is 4 wide, not 8. */
	WRAPS("ŵŷŵŷ ŵŷŵŷ xy\n", 9, "ŵŷŵŷ ŵŷŵŷ\nxy\n");
	/* The hang is counted in columns: "’" is one column, three bytes. */
	WRAPS("Enw’r:  aaa bbb ccc\n", 18, "Enw’r:  aaa bbb\n        ccc\n");
	/* Deep indentation is kept on the first line, not broken into a blank one. */
	WRAPS("          x y\n", 8, "          x\ny\n");
	/* A label wider than half the line does not push the rest off the page. */
	WRAPS("A very long label indeed:  x y z\n", 30, "A very long label indeed:  x y\nz\n");
}

/* Wrapping is linear in its input: a 2.4 MB line (which took 25 s when every
 * piece re-measured the rest of the line) is wrapped whole, word for word.
 * The assertions are on the result; tests/bench has no timing for it. */
Test(template, a_huge_line_wraps_whole, .timeout = 60)
{
	enum { WORDS = 400000 };
	cw_buf in = CW_BUF_INIT;
	const char *p, *line;
	size_t words = 0, i;

	cw_buf_puts(&in, "Summary:  ");
	for (i = 0; i < WORDS; i++)
		cw_buf_printf(&in, "%s%05zu", i ? " " : "", i % 100000);
	cw_buf_puts(&in, " ");
	for (i = 0; i < 200000; i++)
		cw_buf_putc(&in, 'x');   /* and one word longer than the line */
	cw_buf_puts(&in, "\n");
	cr_assert_gt(in.len, 2400000);
	free(out);
	out = cw_template_wrap(cw_buf_cstr(&in), 72);
	/* every line fits (but the long word), continuation lines hang under the value */
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		size_t n = (size_t)(strchr(line, '\n') - line);

		if (line != out)
			cr_assert_eq(strncmp(line, "          ", 10), 0, "no hang: %.40s", line);
		cr_assert(n <= 72 || !memchr(line + 10, ' ', n - 10), "a line of %zu: %.80s", n, line);
	}
	/* no word lost, none split, in order */
	for (p = out + strlen("Summary:  "); *p && *p != 'x'; ) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p == 'x')
			break;
		char want[8];
		snprintf(want, sizeof(want), "%05zu", words % 100000);
		cr_assert_eq(strncmp(p, want, 5), 0, "word %zu: %.10s", words, p);
		p += 5;
		words++;
	}
	cr_assert_eq(words, WORDS);
	cr_assert_eq(strspn(p, "x"), 200000);
	cr_assert_str_eq(p + 200000, "\n");
	cw_buf_free(&in);
}

/* Sections repeated inside repeated sections multiply: the output is bounded. */
Test(template, output_size_is_bounded)
{
	json_t *many = json_array();
	int i;

	for (i = 0; i < 400; i++)
		json_array_append_new(many, json_string("0123456789"));
	json_object_set_new(ctx, "many", many);
	cr_assert_eq(render("{{#many}}{{#many}}{{#many}}{{.}}{{/many}}{{/many}}{{/many}}",
		CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "output is larger than"), "%s", cw_errmsg());
	cr_assert_null(out);
	/* well under the bound renders */
	cr_assert_eq(render("{{#many}}{{#many}}{{.}}{{/many}}{{/many}}", CW_FORMAT_TEXT), CW_OK,
		"%s", cw_errmsg());
	cr_assert_eq(strlen(out), 400 * 400 * 10);
}

Test(template, nesting_depth_is_bounded)
{
	cw_buf t = CW_BUF_INIT;
	int i;

	for (i = 0; i < 40; i++)
		cw_buf_puts(&t, "{{#yes}}");
	for (i = 0; i < 40; i++)
		cw_buf_puts(&t, "{{/yes}}");
	cr_assert_eq(render(cw_buf_cstr(&t), CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "nested more than 32 deep"), "%s", cw_errmsg());
	cw_buf_free(&t);
}

/* Markdown: a value cannot open a fence, a heading, a rule, a list, a cell
 * or a line of its own. */
Test(template, markdown_values_cannot_start_markup)
{
	json_object_set_new(ctx, "v", json_string(
		"ok\n```\n# Owned\r\n| x | y |\r---\n~~~\n<b>&amp;</b> ![i](u)"));
	cr_assert_eq(render("| {{v}} |\n", CW_FORMAT_MARKDOWN), CW_OK, "%s", cw_errmsg());
	cr_assert_str_eq(out, "| ok<br>\\`\\`\\`<br>\\# Owned<br>\\| x \\| y \\|<br>---<br>"
		"\\~\\~\\~<br>\\<b\\>\\&amp;\\</b\\> \\!\\[i\\](u) |\n");
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "a line break got through: %s", out);
	/* At the start of a line: list markers, rules, setext underlines, ordered
	 * lists and indented code are neutralised too. */
	static const char *const lead[][2] = {
		{ "- item", "\\- item" }, { "+ item", "\\+ item" }, { "===", "\\===" },
		{ "---", "\\---" }, { "12. twelve", "12\\. twelve" }, { "3) three", "3\\) three" },
		{ "    code", "&#32;&#32;&#32;&#32;code" }, { "# h", "\\# h" }, { "> q", "\\> q" },
		{ "***", "\\*\\*\\*" }, { "2026 plan", "2026 plan" },
	};
	for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++) {
		json_object_set_new(ctx, "v", json_string(lead[i][0]));
		cr_assert_eq(render("{{v}}\n", CW_FORMAT_MARKDOWN), CW_OK);
		cr_assert_eq(strlen(out), strlen(lead[i][1]) + 1, "%s", out);
		cr_assert_eq(strncmp(out, lead[i][1], strlen(lead[i][1])), 0, "%s", out);
	}
}

/* Text: a line break inside a value continues under the value, so it
 * cannot print a line that reads as a label of its own. */
Test(template, text_value_newlines_stay_under_their_label)
{
	json_object_set_new(ctx, "v", json_string("fine\nStage:    closed\r\nand\rmore"));
	cr_assert_eq(render("Summary:  {{v}}\nNext:     x\n", CW_FORMAT_TEXT), CW_OK);
	cr_assert_str_eq(out, "Summary:  fine\n          Stage:    closed\n          and\n"
		"          more\nNext:     x\n");
	free(out);
	out = cw_template_wrap("Summary:  fine\n          Stage:    closed\n", 72);
	cr_assert_str_eq(out, "Summary:  fine\n          Stage:    closed\n");
}

/* Partials for the tests: "head" and "row" exist, "self" includes itself,
 * "deep" opens sections that the including template has already nested. */
static int partial_hook(void *arg, const char *name, char **text)
{
	const char *t = strcmp(name, "head") == 0 ? "Provider: {{name}}\n"
		: strcmp(name, "row") == 0 ? "- {{what}} ({{name}})\n"
		: strcmp(name, "self") == 0 ? "again {{> self}}"
		: strcmp(name, "deep") == 0 ? (const char *)arg : NULL;

	if (!t)
		return cw_error(CW_ENOTFOUND, "no partial %s", name);
	*text = strdup(t);
	return CW_OK;
}

static int render_partials(const char *tmpl, const char *deep)
{
	cw_template_opts o = { CW_FORMAT_TEXT, NULL, NULL, partial_hook, (void *)deep };

	free(out);
	out = NULL;
	return cw_template_render(tmpl, "t.txt", ctx, &o, &out);
}

Test(template, a_partial_renders_in_place_in_the_current_context)
{
	cr_assert_eq(render_partials("TITLE\n{{> head}}\n{{#items}}\n  {{> row}}\n{{/items}}end\n",
		NULL), CW_OK, "%s", cw_errmsg());
	/* Alone on its line the tag leaves no line; inside a section, the element
	 * is the innermost context and the outer keys are still found. */
	cr_assert_str_eq(out, "TITLE\nProvider: Oakwood\n- audit (Oakwood)\n- train (Oakwood)\nend\n");
	cr_assert_eq(render_partials("a {{>head}}b", NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_str_eq(out, "a Provider: Oakwood\nb");
}

Test(template, partials_fail_clearly)
{
	/* No hook: the template may include nothing. */
	cr_assert_eq(render("{{> head}}", CW_FORMAT_TEXT), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "t.txt:1: {{> head}}: this template can include no other"),
		"%s", cw_errmsg());
	/* The hook's status and message stand. */
	cr_assert_eq(render_partials("{{> nosuch}}", NULL), CW_ENOTFOUND);
	cr_assert_str_eq(cw_errmsg(), "no partial nosuch");
	/* A loop stops at a depth. */
	cr_assert_eq(render_partials("{{> self}}", NULL), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "more than 8 deep"), "%s", cw_errmsg());
	/* An error inside a partial names the partial and its line. */
	cr_assert_eq(render_partials("x\n{{> deep}}", "ok\n{{nobody}}"), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "deep:2: placeholder {{nobody}}"), "%s", cw_errmsg());
	cr_assert_null(out);
}

Test(template, sections_nested_across_partials_are_bounded)
{
	cw_buf outer = CW_BUF_INIT, inner = CW_BUF_INIT;

	/* 20 sections here and 20 in the partial: each template parses, the
	 * walk refuses what no single template could hold. */
	for (int i = 0; i < 20; i++)
		cw_buf_puts(&outer, "{{#yes}}");
	cw_buf_puts(&outer, "{{> deep}}");
	for (int i = 0; i < 20; i++)
		cw_buf_puts(&outer, "{{/yes}}");
	for (int i = 0; i < 20; i++)
		cw_buf_puts(&inner, "{{#yes}}");
	cw_buf_puts(&inner, "{{name}}");
	for (int i = 0; i < 20; i++)
		cw_buf_puts(&inner, "{{/yes}}");
	cr_assert_eq(render_partials(cw_buf_cstr(&outer), cw_buf_cstr(&inner)), CW_EINVALID);
	cr_assert(strstr(cw_errmsg(), "nested more than 32 deep"), "%s", cw_errmsg());
	cw_buf_free(&outer);
	cw_buf_free(&inner);
}
