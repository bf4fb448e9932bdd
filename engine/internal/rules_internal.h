#ifndef CW_RULES_INTERNAL_H
#define CW_RULES_INTERNAL_H
/* Shared by the files of rules/ only. */
#endif
