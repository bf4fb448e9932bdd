/*
 * Providers: adding them, and building the provider entity with its
 * computed level (SPEC §3), its open case and its flags (SPEC §4, from the
 * flag engine in engine/domain/flags.c).
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/ratings.h"
#include "carewatch/provider.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "flags.h"
#include "lookup.h"
#include "carewatch/rules.h"
#include "store.h"
#include "valid.h"

const char *const cw_provider_types[] = {
	"care_home_residential", "care_home_nursing", "domiciliary",
	"supported_living", "day_service", "other", NULL
};

static const char SQL_EXISTS[] = "SELECT name FROM providers WHERE name_key = ?1";
/* The spelling a group already has, so one group keeps one name. */
static const char SQL_GROUP_SPELLING[] =
	"SELECT grp FROM providers WHERE grp_key = ?1 ORDER BY created, seq LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO providers (id, name, type, regulator_id, in_house, grp, status, created,"
	" name_key, grp_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7, ?8, ?9)";
static const char SQL_LINK[] =
	"INSERT INTO provider_commissioners (provider_id, commissioner_id) VALUES (?1, ?2)";
#define PROVIDER_COLS "id, name, type, regulator_id, in_house, grp, status"
static const char SQL_BY_ID[] =
	"SELECT " PROVIDER_COLS " FROM providers WHERE id = ?1";
static const char SQL_LIST[] =
	"SELECT " PROVIDER_COLS " FROM providers ORDER BY name COLLATE NOCASE";
static const char SQL_COMMISSIONERS[] =
	"SELECT c.name FROM provider_commissioners pc"
	" JOIN commissioners c ON c.id = pc.commissioner_id"
	" WHERE pc.provider_id = ?1 ORDER BY c.name COLLATE NOCASE";
static const char SQL_OPEN_CONCERNS[] =
	"SELECT likelihood, impact, source FROM concerns"
	" WHERE provider_id = ?1 AND status = 'open' AND positive = 0";
/* At most one open case per provider (the cases_one_open index). */
static const char SQL_OPEN_CASE[] =
	"SELECT id, stage FROM cases WHERE provider_id = ?1 AND stage <> 'closed'"
	" ORDER BY opened DESC, seq DESC LIMIT 1";
static const char SQL_GROUP_OTHERS[] =
	"SELECT name FROM providers WHERE grp_key = ?1 AND id <> ?2"
	" ORDER BY name COLLATE NOCASE";

/* What the provider's open concerns say, gathered in one pass. */
struct concern_facts {
	int open;          /* open scored concerns */
	cw_band band;      /* the highest band among them */
	bool red;          /* an open concern in the red band */
	bool regulator;    /* an open concern whose source is the regulator */
};

static int gather_concerns(cw_db *db, const char *id, struct concern_facts *f)
{
	const cw_rules *r = cw_db_rules(db);
	cw_stmt *st = NULL;
	int rc, err;

	memset(f, 0, sizeof(*f));
	if ((err = cw_store_prepare(db, SQL_OPEN_CONCERNS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		cw_band b;

		/* Positive feedback is filtered out above; a NULL rating here
		 * would be a damaged row, and it scores nothing. */
		if (cw_store_col_is_null(st, 0) || cw_store_col_is_null(st, 1))
			continue;
		b = cw_rules_band(r, cw_rules_score((int)cw_store_col_int(st, 0),
			(int)cw_store_col_int(st, 1)));
		f->open++;
		if (b > f->band)
			f->band = b;
		if (b == CW_BAND_RED)
			f->red = true;
		if (strcmp(cw_store_col_text(st, 2), "regulator") == 0)
			f->regulator = true;
	}
	cw_store_done(st);
	return rc;
}

/*
 * The provider's flags (SPEC §4), from the one flag engine
 * (engine/domain/flags.c), so that the provider, its case and the watch list
 * always agree.
 */
static int provider_flags(cw_db *db, const char *id, json_t **out)
{
	return cw_flags_provider(db, id, out);
}

/* The provider's open case and its stage; both null when it has none. */
static int provider_case(cw_db *db, const char *id, json_t *p)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_OPEN_CASE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	rc = cw_store_step(db, st);
	json_object_set_new(p, "case_id", rc == CW_ROW
		? json_string(cw_store_col_text(st, 0)) : json_null());
	json_object_set_new(p, "stage", rc == CW_ROW
		? json_string(cw_store_col_text(st, 1)) : json_null());
	cw_store_done(st);
	return rc == CW_ROW || rc == CW_OK ? CW_OK : rc;
}

static int commissioner_names(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_COMMISSIONERS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	return cw_store_text_list(db, st, out);
}

/* Build the provider entity from a row of PROVIDER_COLS; `facts` may be
 * NULL, or receives what the concerns said (for `provider show`). */
static int provider_json(cw_db *db, cw_stmt *row, struct concern_facts *facts,
	json_t **out)
{
	struct concern_facts f;
	json_t *p = NULL, *names = NULL, *flags = NULL;
	char id[CW_ID_LEN];
	int err;

	snprintf(id, sizeof(id), "%s", cw_store_col_text(row, 0));
	p = json_pack("{s:s,s:s,s:s,s:o,s:b,s:o}",
		"id", id,
		"name", cw_store_col_text(row, 1),
		"type", cw_store_col_text(row, 2),
		"regulator_id", cw_store_col_json_text(row, 3),
		"in_house", cw_store_col_int(row, 4) != 0,
		"group", cw_store_col_json_text(row, 5));
	if (!p) {
		err = cw_error(CW_EINTERNAL, "cannot build the provider");
		goto done;
	}
	/* Keys go in the order of SPEC §8; `row` stays valid meanwhile, as
	 * the queries below run on other statements. */
	if ((err = commissioner_names(db, id, &names)) != CW_OK)
		goto done;
	json_object_set_new(p, "commissioners", names);
	json_object_set_new(p, "status", json_string(cw_store_col_text(row, 6)));
	if ((err = provider_case(db, id, p)) != CW_OK ||
	    (err = gather_concerns(db, id, &f)) != CW_OK)
		goto done;
	json_object_set_new(p, "band", f.band == CW_BAND_NONE
		? json_null() : json_string(cw_band_name(f.band)));
	if ((err = provider_flags(db, id, &flags)) != CW_OK)
		goto done;
	json_object_set_new(p, "flags", flags);
	if (facts)
		*facts = f;
	*out = p;
	p = NULL;
done:
	json_decref(p);
	return err;
}

int cw_provider_get(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_BY_ID, id, "provider", &st)) == CW_OK)
		err = provider_json(db, st, NULL, out);
	cw_store_done(st);
	return err;
}

int cw_provider_list(cw_db *db, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *list = json_array(), *p;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_LIST, &st)) != CW_OK)
		goto done;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		if ((err = provider_json(db, st, NULL, &p)) != CW_OK)
			goto done;
		json_array_append_new(list, p);
	}
	if (rc != CW_OK) {
		err = rc;
		goto done;
	}
	*out = list;
	list = NULL;
done:
	cw_store_done(st);
	json_decref(list);
	return err;
}

static int group_others(cw_db *db, const char *group, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_GROUP_OTHERS, &st)) != CW_OK)
		return err;
	cw_store_bind_fold(st, 1, group);
	cw_store_bind_text(st, 2, id);
	return cw_store_text_list(db, st, out);
}

static int provider_now(cw_db *db, const char *ref, json_t **out)
{
	cw_stmt *st = NULL;
	struct concern_facts f;
	json_t *p = NULL, *others = NULL;
	const char *group;
	char id[CW_ID_LEN];
	int err;

	if ((err = cw_lookup(db, CW_KIND_PROVIDER, ref, id)) != CW_OK)
		goto done;
	if ((err = cw_store_get(db, SQL_BY_ID, id, NULL, &st)) != CW_OK) {
		if (err == CW_ENOTFOUND)
			err = cw_error(CW_ENOTFOUND, "no provider '%s'", ref);
		goto done;
	}
	if ((err = provider_json(db, st, &f, &p)) != CW_OK)
		goto done;
	json_object_set_new(p, "open_concerns", json_integer(f.open));
	group = json_string_value(json_object_get(p, "group"));
	if (group) {
		if ((err = group_others(db, group, id, &others)) != CW_OK)
			goto done;
		json_object_set_new(p, "group_providers", others);
	}
	/* The regulator's ratings, newest first (import ratings). */
	if ((err = cw_ratings_history(db, id, &others)) != CW_OK)
		goto done;
	json_object_set(p, "regulator_rating", json_array_size(others)
		? json_array_get(others, 0) : json_null());
	json_object_set_new(p, "regulator_ratings", others);
	*out = p;
	p = NULL;
done:
	cw_store_done(st);
	json_decref(p);
	return err;
}

/* With --today in the past, the provider as it stood that day (store.h). */
int cw_provider_show(cw_db *db, const char *ref, json_t **out)
{
	return cw_store_as_at_today_get(db, provider_now, ref, out);
}

/* Resolve each named commissioner once; a name given twice links once. */
static int resolve_commissioners(cw_db *db, const cw_provider_add_args *a,
	json_t **out)
{
	json_t *ids = json_array();
	size_t i, j;
	int err;

	for (i = 0; i < a->ncommissioners; i++) {
		char cid[CW_ID_LEN];
		bool dup = false;

		if ((err = cw_lookup(db, CW_KIND_COMMISSIONER, a->commissioners[i], cid)) != CW_OK) {
			json_decref(ids);
			return err;
		}
		for (j = 0; j < json_array_size(ids); j++)
			if (strcmp(json_string_value(json_array_get(ids, j)), cid) == 0)
				dup = true;
		if (!dup)
			json_array_append_new(ids, json_string(cid));
	}
	*out = ids;
	return CW_OK;
}

int cw_provider_add(cw_db *db, const cw_provider_add_args *a, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *cids = NULL, *v;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN], found[CW_NAME_MAX + 1];
	const char *group = a->group;
	size_t i;
	int err;

	if ((err = cw_db_require(db, "provider.write")) != CW_OK ||
	    (err = cw_check_entity_name("provider name", a->name)) != CW_OK ||
	    (err = cw_check_enum("provider type", a->type, cw_provider_types)) != CW_OK ||
	    (a->regulator_id && (err = cw_check_name("regulator id", a->regulator_id)) != CW_OK) ||
	    (a->group && (err = cw_check_name("provider group", a->group)) != CW_OK))
		goto done;
	if ((err = resolve_commissioners(db, a, &cids)) != CW_OK)
		goto done;
	if ((err = cw_store_first_text(db, SQL_EXISTS, a->name, found, sizeof(found))) != CW_OK)
		goto done;
	if (found[0]) {
		err = cw_error(CW_EREFUSED, "a provider named '%s' already exists", found);
		goto done;
	}
	if (group) {
		if ((err = cw_store_first_text(db, SQL_GROUP_SPELLING, group, found,
				sizeof(found))) != CW_OK)
			goto done;
		if (found[0])
			group = found;
	}
	cw_db_new_id(db, id);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, a->name);
	cw_store_bind_text(st, 3, a->type);
	cw_store_bind_text(st, 4, a->regulator_id);
	cw_store_bind_int(st, 5, a->in_house ? 1 : 0);
	cw_store_bind_text(st, 6, group);
	cw_store_bind_text(st, 7, cw_date_format(cw_db_today(db), today));
	cw_store_bind_fold(st, 8, a->name);
	cw_store_bind_fold(st, 9, group);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	json_array_foreach(cids, i, v) {
		if ((err = cw_store_prepare(db, SQL_LINK, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, id);
		cw_store_bind_text(st, 2, json_string_value(v));
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
	}
	if ((err = cw_audit_append(db, "provider.add", id,
			json_pack("{s:s,s:s,s:s?,s:b,s:s?,s:O}", "name", a->name,
				"type", a->type, "regulator_id", a->regulator_id,
				"in_house", a->in_house, "group", group,
				"commissioners", cids))) != CW_OK)
		goto done;
	err = cw_provider_get(db, id, out);
done:
	json_decref(cids);
	return err;
}

static const char SQL_COUNT[] = "SELECT count(*) FROM providers";

int cw_provider_count(cw_db *db, long *out)
{
	cw_stmt *st = NULL;
	int rc, err;

	*out = 0;
	if ((err = cw_store_prepare(db, SQL_COUNT, &st)) != CW_OK)
		return err;
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		*out = (long)cw_store_col_int(st, 0);
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}
