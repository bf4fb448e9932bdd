#ifndef CW_DEMO_INTERNAL_H
#define CW_DEMO_INTERNAL_H
#include "carewatch/db.h"
/* Play out the demo area's cases over the past months (demo/demo_cases.c).
 * `concerns` holds the id of each entry of demo_concerns. */
int cw_demo_cases(cw_db *db, const char (*concerns)[CW_ID_LEN]);
#endif
