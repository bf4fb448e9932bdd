/*
 * Dates in words and the printable page shell, one of each for letters and
 * documents (engine/internal/page.h).
 */
#include "carewatch/buf.h"
#include "carewatch/commissioner.h"
#include "carewatch/rules.h"
#include "carewatch/error.h"
#include "carewatch/template.h"
#include "page.h"

json_t *cw_page_date(bool has, cw_date d)
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	int y, m, dd;

	if (!has)
		return json_null();
	cw_date_to_ymd(d, &y, &m, &dd);
	return json_sprintf("%d %s %d", dd, months[m - 1], y);
}

json_t *cw_page_long_date(const char *iso)
{
	cw_date d;

	if (!iso)
		return json_null();
	if (cw_date_parse(iso, &d) != CW_OK) {
		cw_error_clear();
		return json_string(iso);
	}
	return cw_page_date(true, d);
}

char *cw_page_html(const char *title, const char *const *css, const char *tag, const char *cls,
	const char *body)
{
	cw_buf b = CW_BUF_INIT;

	cw_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>");
	cw_template_escape(&b, title, CW_FORMAT_HTML);
	cw_buf_puts(&b, "</title>\n<style>\n");
	for (; css && *css; css++)
		cw_buf_puts(&b, *css);
	cw_buf_printf(&b, "</style>\n</head>\n<body>\n<%s class=\"%s\">\n", tag, cls);
	cw_buf_puts(&b, body);
	cw_buf_printf(&b, "</%s>\n</body>\n</html>\n", tag);
	return cw_buf_detach(&b);
}

int cw_page_council(cw_db *db, json_t *ctx)
{
	json_t *head = NULL;
	int err;

	if ((err = cw_commissioner_letterhead(db, &head)) != CW_OK)
		return err;
	json_object_set_new(head, "confidentiality",
		json_string(cw_rules_string(cw_db_rules(db), "council.confidentiality")));
	json_object_set_new(ctx, "council", head);
	return CW_OK;
}
