#ifndef CW_COMMISSIONER_H
#define CW_COMMISSIONER_H
/*
 * Commissioners: the bodies that contract providers (the lead local
 * authority that runs the protocol, health boards, other councils).
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"

/* "local_authority", "health_board", "other"; NULL-terminated. */
extern const char *const cw_commissioner_kinds[];

/*
 * Add a commissioner. Needs "commissioner.write". `kind` NULL means
 * "local_authority". A name already taken (any case) is CW_EREFUSED, and so
 * is `lead` while another commissioner is the lead (the message names it):
 * the protocol has one lead commissioner. On success *out is the new
 * commissioner {id, name, kind, lead, address, phone, email, department,
 * signatory, signatory_title} (details null when not recorded).
 */
int cw_commissioner_add(cw_db *db, const char *name, const char *kind,
	bool lead, json_t **out);

/*
 * The letterhead details of a commissioner (SPEC §2): the lead
 * commissioner's head and sign every letter and document. NULL: not given.
 */
typedef struct {
	const char *address;          /* "County Hall, Carmarthen, SA31 1JP" */
	const char *phone;
	const char *email;
	const char *department;
	const char *signatory;        /* who signs: a name */
	const char *signatory_title;  /* and their title */
} cw_commissioner_details;

/* cw_commissioner_add with letterhead details (`d` may be NULL). */
int cw_commissioner_add_details(cw_db *db, const char *name, const char *kind,
	bool lead, const cw_commissioner_details *d, json_t **out);

/*
 * Change a commissioner's letterhead details (those given; NULL keeps a
 * detail). Needs "commissioner.write". CW_EINVALID when nothing is given or
 * a value is bad; CW_ENOTFOUND for an unknown commissioner. The audit entry
 * keeps before and after. *out is the commissioner as it now is.
 */
int cw_commissioner_edit(cw_db *db, const char *ref, const cw_commissioner_details *d,
	json_t **out);

/*
 * The letterhead that heads and signs letters and documents: the lead
 * commissioner as {name, department, address, address_lines[], phone,
 * email, contact, signatory, signatory_title}. CW_EREFUSED, naming what is
 * missing and the command that records it, when there is no lead
 * commissioner or any of its details is not yet recorded: nothing prints a
 * council the record does not hold.
 */
int cw_commissioner_letterhead(cw_db *db, json_t **out);

/* The lead commissioner's name into out, or "carewatch" when there is none. */
void cw_commissioner_lead_name(cw_db *db, char *out, size_t cap);

/* All commissioners, by name (a new array the caller owns). */
int cw_commissioner_list(cw_db *db, json_t **out);

#endif
