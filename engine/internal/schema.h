#ifndef CW_SCHEMA_H
#define CW_SCHEMA_H
/* Migration `version` (1-based): the SQL that takes the schema from
 * version-1 to version. */
const char *cw_schema_migration(int version);
int cw_schema_count(void);
#endif
