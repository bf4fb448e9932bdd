#ifndef CW_LOOKUP_H
#define CW_LOOKUP_H
/*
 * Naming entities the way users do: by UUID, by any unique prefix of it
 * (4 characters or more), or, for providers, commissioners and users, by
 * their exact name compared without regard to case.
 */
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
	CW_KIND_COUNT
} cw_kind;

/* "provider", "case", ... */
const char *cw_kind_name(cw_kind k);

/*
 * Resolve `ref` to an id. CW_ENOTFOUND when nothing matches (message names
 * the kind and the text); CW_EINVALID listing the candidates when a prefix
 * matches more than one; CW_EINVALID for an empty reference.
 */
int cw_lookup(cw_db *db, cw_kind kind, const char *ref, char out[CW_ID_LEN]);

#endif
