#ifndef CW_DEMO_H
#define CW_DEMO_H
/*
 * Fill an empty database with a fictional area: users of every role,
 * commissioners, providers of every type (two in one group) and about a
 * year of concerns. The same "today" always gives the same data, ids
 * included. Needs "user.write" (an admin); refused (CW_EREFUSED) when the
 * database already holds providers.
 */
#include <jansson.h>
#include "carewatch/db.h"

int cw_demo_fill(cw_db *db, json_t **out);

#endif
