#ifndef CW_AUDIT_H
#define CW_AUDIT_H
/*
 * The audit trail: an append-only log in which every entry carries the
 * SHA-256 of the previous one, so editing or removing a past entry breaks
 * the chain.
 */
#include <jansson.h>
#include "carewatch/db.h"

/*
 * Append an entry for a change made in the current transaction. Steals the
 * reference to `details` (may be NULL).
 */
int cw_audit_append(cw_db *db, const char *action, const char *entity_id,
	json_t *details);

/* Entries, oldest first, optionally only those about `entity` (id or prefix). */
int cw_audit_list(cw_db *db, const char *entity, json_t **out);

/*
 * Walk the chain. CW_OK and {"ok":true,"entries":N} when intact; CW_EREFUSED
 * naming the first entry whose hash or link fails.
 */
int cw_audit_verify(cw_db *db, json_t **out);

#endif
