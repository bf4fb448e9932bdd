#ifndef CW_PAGE_H
#define CW_PAGE_H
/*
 * What letters (engine/paper/letter.c) and documents (document.c) share:
 * dates in words and the standalone printable HTML page around a body.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/date.h"
#include "carewatch/db.h"

/* "2026-11-22" -> "22 November 2026"; NULL -> null; anything else as it is. */
json_t *cw_page_long_date(const char *iso);
/* The same from a date that may be absent (null then). */
json_t *cw_page_date(bool has, cw_date d);

/*
 * A standalone HTML page titled `title` (escaped): the style sheets of
 * the NULL-terminated `css`, then `body` (already HTML) inside
 * <`tag` class="`cls`">. A new string.
 */
char *cw_page_html(const char *title, const char *const *css, const char *tag, const char *cls,
	const char *body);

/*
 * ctx.council: the lead commissioner's letterhead (cw_commissioner_letterhead:
 * name, department, address, address_lines, phone, email, contact,
 * signatory, signatory_title) and the rules' confidentiality statement.
 * CW_EREFUSED, naming what is missing, until those details are recorded.
 */
int cw_page_council(cw_db *db, json_t *ctx);

#endif
