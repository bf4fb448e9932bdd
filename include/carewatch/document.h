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
#include "carewatch/paper.h"

/* ppm-agenda, ppm-attendance, ppm-record, action-plan, suspension-form,
 * restart-form; NULL-terminated. */
extern const char *const cw_document_names[];

/* name, case_ref, meeting and format (carewatch/paper.h). */
typedef cw_paper_args cw_document_args;

/*
 * Render a document. Read-only. CW_EINVALID for an unknown document (listing
 * them), a meeting for a document not about one, a letter's argument
 * (respond_by, record_sent) or a placeholder with no value (named);
 * CW_ENOTFOUND for an unknown case or meeting, or a record the document
 * needs that does not exist yet (the message says which). On success *out is
 * {document, case_id, provider, format, source, text}.
 */
int cw_document_render(cw_db *db, const cw_document_args *a, json_t **out);

/*
 * Write the document as an Excel workbook at `path`: only the action plan
 * has one. Read-only. CW_EINVALID (field "format") for any other document,
 * (field "meeting") for a meeting; else as cw_xlsx_action_plan.
 * cw_document_workbook_check makes those refusals alone, reading nothing,
 * for a front door to say before it picks where the workbook goes.
 */
int cw_document_workbook(cw_db *db, const cw_document_args *a, const char *path, json_t **out);
int cw_document_workbook_check(const cw_document_args *a);

#endif
