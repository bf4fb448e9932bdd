#ifndef CW_LOOKUP_H
#define CW_LOOKUP_H
/*
 * Naming entities the way users do: by UUID, by any unique prefix of it
 * (4 characters or more), by reference (concerns, actions, cases and
 * meetings: C-0042, A-0007, K-0003, M-0012), or, for providers,
 * commissioners and users, by their exact name compared without regard to
 * case.
 */
#include <stdbool.h>
#include "carewatch/db.h"

typedef enum {
	CW_KIND_USER,
	CW_KIND_COMMISSIONER,
	CW_KIND_PROVIDER,
	CW_KIND_CONCERN,
	CW_KIND_CASE,
	CW_KIND_ACTION,
	CW_KIND_MEETING,
	CW_KIND_TASK,
	CW_KIND_PLACEMENT,
	CW_KIND_COUNT
} cw_kind;

/* "provider", "case", ... */
const char *cw_kind_name(cw_kind k);

/* "C-0042" and its like fit in this, with room for any number of entries. */
#define CW_REF_LEN 24

/* The letter of a kind's references ('C', 'A', 'K', 'M'), 0 if it has none. */
char cw_kind_ref_letter(cw_kind k);

/*
 * `s` as a reference: a letter, '-' and a number, the letter in either
 * case and the number with or without its leading zeros (C-0042, c-42).
 * False when `s` is not one; else the letter (upper case) and the
 * reference as stored ("C-0042").
 */
bool cw_ref_parse(const char *s, char *letter, char out[CW_REF_LEN]);

/*
 * Resolve `ref` to an id. CW_ENOTFOUND when nothing matches (message names
 * the kind and the text); CW_EINVALID listing the candidates when a prefix
 * matches more than one; CW_EINVALID for an empty reference.
 */
int cw_lookup(cw_db *db, cw_kind kind, const char *ref, char out[CW_ID_LEN]);

/*
 * Resolve the chair of a case or meeting (name, id or prefix) into `out`: a
 * user holding a casework role (contracts, safeguarding or director; issue
 * 14). CW_ENOTFOUND for no such user, CW_EREFUSED naming the roles held.
 * Implemented in engine/domain/user.c.
 */
int cw_lookup_chair(cw_db *db, const char *chair, char out[CW_ID_LEN]);

#endif
