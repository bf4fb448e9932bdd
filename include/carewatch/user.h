#ifndef CW_USER_H
#define CW_USER_H
/* Users and their roles. */
#include <jansson.h>
#include "carewatch/db.h"

/*
 * Add a user with `roles` (comma-separated, each a role of the rules file).
 * Needs "user.write". A name already taken (any case) is CW_EREFUSED.
 * On success *out is the user {id, name, roles[], created}.
 */
int cw_user_add(cw_db *db, const char *name, const char *roles, json_t **out);

/*
 * Replace a user's roles (the user by name or id). Needs "user.write";
 * audited as user.edit with the roles before and after. CW_EREFUSED when
 * nothing would change or no active admin would remain.
 */
int cw_user_edit(cw_db *db, const char *name, const char *roles, json_t **out);

/*
 * Deactivate a user, with a reason (required). Needs "user.write". The
 * user is kept, so their past records keep their name, but can no longer
 * act (--as, or the web: their sessions and calendar feed end at once).
 * CW_EREFUSED when already deactivated, for oneself, or for the last
 * active admin. Audited as user.deactivate.
 */
int cw_user_deactivate(cw_db *db, const char *name, const char *reason, json_t **out);

/* All users, by name: {id, name, roles[], created, active, deactivated,
 * deactivated_reason}. */
int cw_user_list(cw_db *db, json_t **out);

#endif
