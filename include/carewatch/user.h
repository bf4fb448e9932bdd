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

/* All users, by name. */
int cw_user_list(cw_db *db, json_t **out);

#endif
