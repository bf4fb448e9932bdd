#ifndef CW_PAPER_ARGS_H
#define CW_PAPER_ARGS_H
/*
 * Paperwork about a case: meeting documents (carewatch/document.h) and
 * letters (carewatch/letter.h) are asked for with the same arguments and
 * render through the same kind of call, so a front door handles both with
 * one piece of code.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/date.h"
#include "carewatch/db.h"
#include "carewatch/template.h"

typedef struct {
	const char *name;       /* a document or letter name (cw_document_names, cw_letter_names) */
	const char *case_ref;   /* as cases are named */
	/*
	 * Documents ppm-record and ppm-attendance only (everything else refuses
	 * it): a meeting id or id prefix, or "next" (attendance: a sheet to sign
	 * at the next meeting). NULL: the latest meeting; for attendance, the
	 * next one when none has been recorded or the last one's next date has
	 * not passed.
	 */
	const char *meeting;
	cw_format format;
	/* Letters only (documents refuse them): */
	bool has_respond_by;    /* concerns-provider: reply by; else in 14 days */
	cw_date respond_by;
	bool record_sent;       /* tick the checklist task this letter does */
} cw_paper_args;

/* cw_document_render or cw_letter_render. */
typedef int (*cw_paper_render_fn)(cw_db *db, const cw_paper_args *a, json_t **out);

#endif
