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
 * commissioner {id, name, kind, lead}; the caller owns it.
 */
int cw_commissioner_add(cw_db *db, const char *name, const char *kind,
	bool lead, json_t **out);

/* All commissioners, by name (a new array the caller owns). */
int cw_commissioner_list(cw_db *db, json_t **out);

#endif
