#ifndef CW_LETTER_H
#define CW_LETTER_H
/*
 * Letters (SPEC §2, protocol 10.8, 10.9, 10.14, 11 and appendices L, N,
 * O): rendered from templates with the facts of a case filled in. The
 * templates ship in config/letters/<name>.txt and may be replaced by a file
 * of the same name in the rules' `letters_dir`. A template is plain text:
 * paragraphs separated by blank lines; in HTML a paragraph starting "Re:"
 * is the subject line and one whose lines all start with "- " a list.
 *
 * The facts a template can use: council.{name, department, address,
 * address_lines[], phone, email, contact, signatory, signatory_title} (the
 * lead commissioner's letterhead: without it no letter is written),
 * letterhead and signature (those as blocks of lines), today,
 * letter.reference, provider.{name, type, regulator_id, group},
 * commissioners (names in words), lead,
 * case.{id, stage, opened, escalated, trigger, chair, closed, outcome,
 * outcome_text, next_steps, terminated_on}, plan.{items, open, overdue},
 * meeting.{last, next, missed, time, venue, decisions, next_attendees,
 * provider_attendance, attended} (the latest meeting), informed.{process_commenced,
 * embargo_placed, embargo_lifted, process_ended} (a sentence saying who
 * has been or will be told, from the checklist), concerns[{ref, received,
 * summary, band}] (open), respond_by,
 * embargo.{commissioner, kind, mandatory, voluntary, since, until, reason,
 * meeting}, restart.{commissioner, date, reason, conditions[],
 * has_conditions}. Dates read "22 November 2026".
 */
#include "carewatch/paper.h"

/* The templates that ship, NULL-terminated. */
extern const char *const cw_letter_names[];

/* name, case_ref, format (CW_FORMAT_TEXT or CW_FORMAT_HTML), respond_by
 * and record_sent (carewatch/paper.h). */
typedef cw_paper_args cw_letter_args;

/*
 * Render a letter. Needs "letter.write"; the letter is recorded in the
 * audit trail. CW_EINVALID for an unknown template (listing those there
 * are), a bad format, a meeting (a letter speaks of the latest), or a template with a placeholder that names no fact;
 * CW_ENOTFOUND for an unknown case or when a fact the letter needs does not
 * exist yet (the message says which: no restart yet, no next meeting...).
 * CW_EREFUSED while the lead commissioner's letterhead is incomplete (the
 * message names what is missing), and with record_sent when the case has
 * no open task for this letter. On success *out is {template, case_id,
 * provider, format, source, text, task}: text letters are wrapped at 78
 * columns; with CW_FORMAT_HTML `text` is a standalone printable page;
 * `task` is the task ticked (null without record_sent).
 */
int cw_letter_render(cw_db *db, const cw_letter_args *a, json_t **out);

#endif
