#ifndef CW_PROVIDER_H
#define CW_PROVIDER_H
/*
 * Providers: care services at one location, contracted by one or more
 * commissioners, optionally part of a provider group. A provider's JSON
 * carries its computed level (SPEC §3) and flags, built by the engine.
 */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"

/* care_home_residential, care_home_nursing, domiciliary, supported_living,
 * day_service, other; NULL-terminated. */
extern const char *const cw_provider_types[];

typedef struct {
	const char *name;
	const char *type;           /* one of cw_provider_types */
	const char *regulator_id;   /* NULL: none */
	bool in_house;
	const char *group;          /* provider group name; NULL: none */
	const char *const *commissioners;  /* names, ids or id prefixes */
	size_t ncommissioners;
} cw_provider_add_args;

/*
 * Add a provider. Needs "provider.write". CW_EINVALID for a bad name, type
 * or text; CW_ENOTFOUND for an unknown commissioner; CW_EREFUSED when the
 * name is taken (any case). On success *out is the provider (see
 * cw_provider_get); the caller owns it.
 */
int cw_provider_add(cw_db *db, const cw_provider_add_args *a, json_t **out);
/* The same, giving only the new id (import: no read-back of the provider). */
int cw_provider_add_id(cw_db *db, const cw_provider_add_args *a, char id[CW_ID_LEN]);

/*
 * The provider with exactly this id as {id, name, type, regulator_id,
 * in_house, group, commissioners[], status, case_id, stage, band, flags[]}.
 * `band` is the computed level: the highest band among its open scored
 * concerns, null when there is none. CW_ENOTFOUND when there is no such id.
 */
int cw_provider_get(cw_db *db, const char *id, json_t **out);

/* All providers, by name, each as cw_provider_get builds it. */
int cw_provider_list(cw_db *db, json_t **out);

/* How many providers there are (the demo fills only an empty database). */
int cw_provider_count(cw_db *db, long *out);

/*
 * The provider named by `ref` (id, id prefix or name) with, besides the
 * keys of cw_provider_get, `open_concerns` (open scored concerns) and, when
 * it has a group, `group_providers` (names of the group's other providers).
 */
int cw_provider_show(cw_db *db, const char *ref, json_t **out);

/* Corrections (SPEC §2): each needs a reason and keeps before and after in
 * the provider's `corrections` (on `show`) and the audit entry. */
typedef struct {
	const char *type;             /* NULL: unchanged */
	const char *regulator_id;     /* NULL: unchanged */
	int in_house;                 /* -1 unchanged, 0 external, 1 in-house */
	const char *group;            /* NULL: unchanged */
	const char *const *add;       /* commissioners to link (names, ids) */
	size_t nadd;
	const char *const *remove;    /* commissioners to unlink (kept as removed) */
	size_t nremove;
	const char *reason;
} cw_provider_edit_args;

/*
 * Correct a provider's type, regulator id, in-house, group or
 * commissioners. Needs "provider.write". CW_EINVALID when nothing would
 * change; CW_ENOTFOUND for an unknown provider or commissioner; CW_EREFUSED
 * for removing a commissioner that is not linked. A removed link is kept
 * with the day it went.
 */
int cw_provider_edit(cw_db *db, const char *ref, const cw_provider_edit_args *a, json_t **out);

/*
 * Close a provider (the service closed or the contract ended) as of `date`
 * (has_date false: today; never after today). Needs "case.decide" (the
 * decision role). From then on placements are refused and no case opens;
 * it shows as `closed`. CW_EREFUSED when already closed.
 */
int cw_provider_close(cw_db *db, const char *ref, const char *reason, bool has_date,
	cw_date date, json_t **out);

#endif
