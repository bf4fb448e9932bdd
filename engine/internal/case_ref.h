#ifndef CW_CASE_REF_H
#define CW_CASE_REF_H
/*
 * Naming a case: the leaf every module that acts on a case includes
 * (engine/domain/case_ref.c). It depends on the lookup and the store only,
 * so the stage machine, the case's JSON and the checklist can all use it
 * without depending on one another.
 */
#include "carewatch/db.h"
#include "store.h"

struct cw_case_ref {
	char id[CW_ID_LEN];
	char provider_id[CW_ID_LEN];
	char stage[32];
};

/*
 * Resolve a case by id, id prefix, or its provider's exact name (the
 * provider's open case, else its latest). CW_ENOTFOUND / CW_EINVALID as
 * cw_lookup.
 */
int cw_case_resolve(cw_db *db, const char *ref, struct cw_case_ref *out);

/*
 * The list of a case's items: resolve `case_ref`, run `sql` (its one
 * parameter the case id, its first column an item id) and build each
 * item with fn (engine/internal/store.h, cw_store_map_ids).
 */
int cw_case_items(cw_db *db, const char *case_ref, const char *sql, cw_store_id_fn fn,
	void *arg, json_t **out);

#endif
