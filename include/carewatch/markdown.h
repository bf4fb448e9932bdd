#ifndef CW_MARKDOWN_H
#define CW_MARKDOWN_H
/*
 * The one Markdown escaping function, for every value carewatch writes into
 * Markdown (documents through the template engine, the QA agenda, the
 * watch list): whatever the value holds, it renders as that text and
 * cannot start markup, a table cell, HTML, a code fence, a heading, a rule,
 * a list item or a new line of the document.
 */
#include "carewatch/buf.h"

/*
 * Append `s` to `b`: ASCII punctuation with a meaning in Markdown gets a
 * backslash (\ ` * _ [ ] < > # | ~ ! &, so no ``` or ~~~ fence); a value
 * starting with -, +, = or "1." / "1)" gets its marker escaped, leading
 * blanks become &#32; (no indented code block); a newline (LF, CR or CRLF)
 * becomes <br>, so the value stays on its line and inside its table cell.
 */
void cw_md_escape(cw_buf *b, const char *s);

#endif
