#ifndef CW_DOCUMENT_H
#define CW_DOCUMENT_H
/*
 * Meeting documents (protocol appendices E, F, G, I, J, K): filled in from
 * the facts of a case, as the engine's getters give them (so POVA and
 * service-user references stay redacted for readers without
 * confidential.read), and rendered with the template engine from
 * config/documents/<name>.md (markdown), <name>.txt (plain text for a
 * terminal: no tables, labelled blocks) and <name>.html (the body of a
 * standalone printable A4 page). A template may be replaced by a file of
 * the same name in the rules' `documents_dir`.
 */
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/template.h"

/* ppm-agenda, ppm-attendance, ppm-record, action-plan, suspension-form,
 * restart-form; NULL-terminated. */
extern const char *const cw_document_names[];

typedef struct {
	const char *name;       /* one of cw_document_names */
	const char *case_ref;   /* as cases are named */
	/*
	 * ppm-record and ppm-attendance only (others refuse it): a meeting id or
	 * id prefix, or "next" (attendance: a sheet to sign at the next meeting).
	 * NULL: the latest meeting; for attendance, the next one when none has
	 * been recorded or the last one's next date has not passed.
	 */
	const char *meeting;
	cw_format format;
} cw_document_args;

/*
 * Render a document. Read-only. CW_EINVALID for an unknown document (listing
 * them) or a placeholder with no value (named); CW_ENOTFOUND for an unknown
 * case or meeting, or a record the document needs that does not exist yet
 * (the message says which). On success *out is
 * {document, case_id, provider, format, source, text}.
 */
int cw_document_render(cw_db *db, const cw_document_args *a, json_t **out);

#endif
