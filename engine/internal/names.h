#ifndef CW_NAMES_H
#define CW_NAMES_H
#include "carewatch/db.h"
/*
 * Recompute every name_key (users, commissioners, providers) and grp_key
 * with the current folding rule; `init` calls it. CW_EREFUSED naming the
 * pairs, and nothing changed, when two stored names now fold to one key.
 */
int cw_store_refold_names(cw_db *db);
#endif
