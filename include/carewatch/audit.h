#ifndef CW_AUDIT_H
#define CW_AUDIT_H
/*
 * The audit trail: an append-only log in which every entry carries the
 * hash of the previous one, so editing or removing a past entry breaks
 * the chain. Entries are keyed (HMAC-SHA-256 under the key file beside the
 * database), so a chain recomputed without the key is detected; an anchor
 * `SEQ:HASH` kept elsewhere (printed on every document) catches a chain cut
 * short; and each entry seals the entity rows its command wrote.
 */
#include <stdbool.h>
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
 * Walk the chain. CW_OK and {"ok":true,"entries":N,"anchor":"SEQ:HASH"} when
 * intact; CW_EREFUSED naming the first entry whose hash or link fails
 * (`out` then says which, with "ok":false). The chain must start with the
 * init entry, end keyed, and every entity must have an entry.
 */
int cw_audit_verify(cw_db *db, json_t **out);

typedef struct {
	const char *anchor;  /* "SEQ:HASH": the chain must still pass through it */
	bool deep;           /* also check every entity row against its seal */
} cw_audit_verify_opts;
int cw_audit_check(cw_db *db, const cw_audit_verify_opts *o, json_t **out);

/* The newest entry as {"anchor":"SEQ:HASH","seq":N,"hash":H}. */
int cw_audit_head(cw_db *db, json_t **out);

/* The anchor a printed page carries ("SEQ:HASH" of the newest entry, "none"
 * for an empty trail), as a JSON string for a template's {{anchor}}. */
json_t *cw_audit_anchor(cw_db *db);

/* Seal every entity row as it stands (the upgrade that keys the chain). */
int cw_audit_seal_all(cw_db *db);

#endif
