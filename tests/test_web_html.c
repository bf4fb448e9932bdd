/*
 * The web's HTML pieces on their own: cw_markup (markup with escaped text)
 * and cw_table (a table declared as its columns), compared byte for byte.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "web_internal.h"

static cw_web_response resp;
static cw_ctx ctx;

static void setup(void)
{
	memset(&resp, 0, sizeof(resp));
	memset(&ctx, 0, sizeof(ctx));
	ctx.resp = &resp;
}

static void teardown(void)
{
	cw_web_response_free(&resp);
}

static const char *out(void)
{
	return resp.body.ptr ? resp.body.ptr : "";
}

TestSuite(web_html, .init = setup, .fini = teardown);

Test(web_html, markup_escapes_text_and_keeps_numbers)
{
	cw_markup(&ctx, "<li title=\"%s\">%s: %d, %zu, %lld</li>", "a\"b", "<x> & 'y'", -3,
		(size_t)42, (long long)1234567890123LL);
	cr_assert_str_eq(out(), "<li title=\"a&quot;b\">&lt;x&gt; &amp; &#39;y&#39;: -3, 42, 1234567890123</li>");
}

Test(web_html, markup_percent_signs)
{
	cw_markup(&ctx, "100%% of %s", "them");
	cw_markup(&ctx, " and 5%%");
	cr_assert_str_eq(out(), "100% of them and 5%");
}

static void draw_index(cw_ctx *c, const json_t *row, size_t i)
{
	cw_markup(c, "#%zu %s", i + 1, cw_js(row, "name"));
}

static const cw_column cols[] = {
	{ "Ref", CW_CELL_LINK, .key = "ref", .cls = "cw-nowrap", .href = "/cases/", .id = "id" },
	{ "Stage", CW_CELL_STAGE, .key = "stage" }, { "Level", CW_CELL_BAND, .key = "band" },
	{ "N", CW_CELL_INT, .key = "n" }, { "<b>Who</b>", CW_CELL_DRAW, .draw = draw_index },
	{ 0 },
};

Test(web_html, table_from_columns)
{
	json_t *rows = json_pack("[{s:s,s:s,s:s,s:s,s:i,s:s}]", "ref", "C-1", "id", "a&b",
		"stage", "embargo", "band", "red", "n", 7, "name", "<Al>");
	char want[2048];

	cw_table(&ctx, "Cap<tion>", cols, rows, "None.");
	snprintf(want, sizeof(want),
		"<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">Cap&lt;tion&gt;</caption>"
		"<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
		"<th scope=\"col\" class=\"govuk-table__header\">Ref</th><th scope=\"col\" class=\"govuk-table__header\">Stage</th>"
		"<th scope=\"col\" class=\"govuk-table__header\">Level</th><th scope=\"col\" class=\"govuk-table__header\">N</th>"
		"<th scope=\"col\" class=\"govuk-table__header\"><b>Who</b></th></tr></thead><tbody class=\"govuk-table__body\">"
		"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell cw-nowrap\"><a class=\"govuk-link\" href=\"/cases/a&amp;b\">C-1</a></td>"
		"<td class=\"govuk-table__cell\">%s</td>"
		"<td class=\"govuk-table__cell\"><strong class=\"govuk-tag govuk-tag--red\">red</strong></td>"
		"<td class=\"govuk-table__cell\">7</td><td class=\"govuk-table__cell\">#1 &lt;Al&gt;</td></tr>"
		"</tbody></table>", cw_words_stage("embargo"));
	cr_assert_str_eq(out(), want);
	json_decref(rows);
}

Test(web_html, table_stage_in_words)
{
	json_t *rows = json_pack("[{s:s}]", "stage", "embargo");
	static const cw_column stage[] = { { "Stage", CW_CELL_STAGE, .key = "stage" }, { 0 } };

	cw_table(&ctx, NULL, stage, rows, NULL);
	cr_assert(strstr(out(), cw_words_stage("embargo")), "%s", out());
	cr_assert_null(strstr(out(), ">embargo<"), "%s", out());
	json_decref(rows);
}

Test(web_html, empty_table_says_none_across_every_column)
{
	json_t *rows = json_array();

	cw_table(&ctx, NULL, cols, rows, "None.");
	cr_assert(strstr(out(), "</thead><tbody class=\"govuk-table__body\"><tr class=\"govuk-table__row\">"
		"<td class=\"govuk-table__cell\" colspan=\"5\">None.</td></tr></tbody></table>"), "%s", out());
	json_decref(rows);
}
