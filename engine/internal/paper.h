#ifndef CW_PAPER_H
#define CW_PAPER_H
/* Shared by the paperwork of engine/paper/. */
#include <stdbool.h>

/* A standalone printable A4 page (landscape for wide tables) around `body`,
 * which is already HTML; `title` is escaped. malloc'd. */
char *cw_paper_html_page(const char *title, const char *body, bool landscape);

#endif
