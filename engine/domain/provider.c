/*
 * Providers: adding them, and building the provider entity with its
 * computed level (SPEC §3), its open case and its flags (SPEC §4, from the
 * flag engine in engine/domain/flags.c).
 */
#include <stdio.h>
#include <stdlib.h>
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
#include "correction.h"

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
/* A link taken off and given again is the same row, back in force. */
static const char SQL_LINK[] =
	"INSERT INTO provider_commissioners (provider_id, commissioner_id) VALUES (?1, ?2)"
	" ON CONFLICT (provider_id, commissioner_id) DO UPDATE SET removed = NULL";
static const char SQL_LINKED[] =
	"SELECT 1 FROM provider_commissioners WHERE provider_id = ?1 AND commissioner_id = ?2"
	" AND removed IS NULL";
static const char SQL_UNLINK[] =
	"UPDATE provider_commissioners SET removed = ?3 WHERE provider_id = ?1"
	" AND commissioner_id = ?2";
static const char SQL_COMMISSIONER_NAME[] = "SELECT name FROM commissioners WHERE id = ?1";
static const char SQL_EDIT[] =
	"UPDATE providers SET type = ?2, regulator_id = ?3, in_house = ?4, grp = ?5, grp_key = ?6"
	" WHERE id = ?1";
static const char SQL_CLOSE[] =
	"UPDATE providers SET status = 'closed', closed = ?2 WHERE id = ?1 AND status <> 'closed'";
#define PROVIDER_COLS "id, name, type, regulator_id, in_house, grp, status, closed"
static const char SQL_BY_ID[] =
	"SELECT " PROVIDER_COLS " FROM providers WHERE id = ?1";
static const char SQL_LIST[] =
	"SELECT " PROVIDER_COLS " FROM providers ORDER BY name COLLATE NOCASE";
static const char SQL_COMMISSIONERS[] =
	"SELECT c.name FROM provider_commissioners pc"
	" JOIN commissioners c ON c.id = pc.commissioner_id"
	" WHERE pc.provider_id = ?1 AND pc.removed IS NULL ORDER BY c.name COLLATE NOCASE";
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
	json_object_set_new(p, "closed", cw_store_col_json_text(row, 7));
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
	/* Its corrections and those of its concerns, actions and placements:
	 * what the provider's timeline shows besides the events themselves. */
	if ((err = cw_fix_provider_history(db, id, &others)) != CW_OK)
		goto done;
	json_object_set_new(p, "corrections", others);
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
static int resolve_commissioners(cw_db *db, const char *const *names, size_t n,
	json_t **out)
{
	json_t *ids = json_array();
	size_t i, j;
	int err;

	for (i = 0; i < n; i++) {
		char cid[CW_ID_LEN];
		bool dup = false;

		if ((err = cw_lookup(db, CW_KIND_COMMISSIONER, names[i], cid)) != CW_OK) {
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

/* Run a link statement on (provider, commissioner[, day]). */
static int link_pair(cw_db *db, const char *sql, const char *pid, const char *cid,
	const char *day)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_text(st, 2, cid);
	if (day)
		cw_store_bind_text(st, 3, day);
	return cw_store_exec_stmt(db, st);
}

int cw_provider_add(cw_db *db, const cw_provider_add_args *a, json_t **out)
{
	char id[CW_ID_LEN];
	int err;

	if ((err = cw_provider_add_id(db, a, id)) != CW_OK)
		return err;
	return cw_provider_get(db, id, out);
}

int cw_provider_add_id(cw_db *db, const cw_provider_add_args *a, char id[CW_ID_LEN])
{
	cw_stmt *st = NULL;
	json_t *cids = NULL, *v;
	char today[CW_DATE_STRLEN], found[CW_NAME_MAX + 1];
	const char *group = a->group;
	size_t i;
	int err;

	if ((err = cw_db_require(db, "provider.write")) != CW_OK ||
	    (err = cw_check_entity_name("provider name", a->name)) != CW_OK ||
	    (err = cw_check_enum("provider type", a->type, cw_provider_types)) != CW_OK ||
	    (a->regulator_id && (err = cw_check_name("regulator id", a->regulator_id)) != CW_OK) ||
	    (a->group && (err = cw_check_name("provider group", a->group)) != CW_OK))
		goto done;
	if ((err = resolve_commissioners(db, a->commissioners, a->ncommissioners, &cids)) != CW_OK)
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
	json_array_foreach(cids, i, v)
		if ((err = link_pair(db, SQL_LINK, id, json_string_value(v), NULL)) != CW_OK)
			goto done;
	if ((err = cw_audit_append(db, "provider.add", id,
			json_pack("{s:s,s:s,s:s?,s:b,s:s?,s:O}", "name", a->name,
				"type", a->type, "regulator_id", a->regulator_id,
				"in_house", a->in_house, "group", group,
				"commissioners", cids))) != CW_OK)
		goto done;
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

/* Is the commissioner linked to the provider now? */
static int linked(cw_db *db, const char *pid, const char *cid, bool *out)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_LINKED, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, pid);
	cw_store_bind_text(st, 2, cid);
	rc = cw_store_step(db, st);
	cw_store_done(st);
	*out = rc == CW_ROW;
	return rc == CW_ROW || rc == CW_OK ? CW_OK : rc;
}

static int commissioner_name(cw_db *db, const char *cid, char *name, size_t n)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_COMMISSIONER_NAME, cid, "commissioner", &st)) == CW_OK)
		snprintf(name, n, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return err;
}

/*
 * Link (add) or unlink each commissioner of `ids`, kept as a correction of
 * the field "commissioner" (before null: added; after null: removed). One
 * already linked is not added again; one not linked cannot be removed.
 */
static int relink(cw_db *db, cw_fix *f, const char *pid, json_t *ids, bool add)
{
	char name[CW_NAME_MAX + 1], today[CW_DATE_STRLEN];
	json_t *v;
	size_t i;
	bool now;
	int err;

	cw_date_format(cw_db_today(db), today);
	json_array_foreach(ids, i, v) {
		const char *cid = json_string_value(v);

		if ((err = linked(db, pid, cid, &now)) != CW_OK ||
		    (err = commissioner_name(db, cid, name, sizeof(name))) != CW_OK)
			return err;
		if (!add && !now)
			return cw_error_at("remove-commissioner", CW_EREFUSED,
				"commissioner '%s' does not contract provider '%s'", name, f->label);
		if (now == add)
			continue;
		if ((err = link_pair(db, add ? SQL_LINK : SQL_UNLINK, pid, cid,
				add ? NULL : today)) != CW_OK ||
		    (err = cw_fix_field(db, f, "commissioner", add ? NULL : name,
				add ? name : NULL)) != CW_OK)
			return err;
	}
	return CW_OK;
}

/* What a correction of a provider starts from. */
struct provider_row {
	char id[CW_ID_LEN];
	char *name, *type, *regulator_id, *group, *status;
	bool in_house;
};

static void provider_row_free(struct provider_row *p)
{
	free(p->name);
	free(p->type);
	free(p->regulator_id);
	free(p->group);
	free(p->status);
	memset(p, 0, sizeof(*p));
}

static int provider_row_load(cw_db *db, const char *ref, struct provider_row *p)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_lookup(db, CW_KIND_PROVIDER, ref, p->id)) != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL_BY_ID, p->id, "provider", &st)) == CW_OK) {
		p->name = cw_store_col_dup(st, 1);
		p->type = cw_store_col_dup(st, 2);
		p->regulator_id = cw_store_col_dup(st, 3);
		p->in_house = cw_store_col_int(st, 4) != 0;
		p->group = cw_store_col_dup(st, 5);
		p->status = cw_store_col_dup(st, 6);
	}
	cw_store_done(st);
	return err;
}

static int edit_check(const cw_provider_edit_args *a)
{
	int err;

	if (!a->type && !a->regulator_id && a->in_house < 0 && !a->group && !a->nadd &&
	    !a->nremove)
		return cw_error(CW_EINVALID, "nothing to correct: give --type, --regulator-id,"
			" --in-house or --external, --group, --add-commissioner or --remove-commissioner");
	if ((err = cw_fix_check_reason(a->reason)) != CW_OK ||
	    (a->type && (err = cw_check_enum("type", a->type, cw_provider_types)) != CW_OK) ||
	    (a->regulator_id && (err = cw_check_name("regulator id", a->regulator_id)) != CW_OK) ||
	    (a->group && (err = cw_check_name("provider group", a->group)) != CW_OK))
		return err;
	return CW_OK;
}

int cw_provider_edit(cw_db *db, const char *ref, const cw_provider_edit_args *a, json_t **out)
{
	cw_stmt *st = NULL;
	struct provider_row p = { 0 };
	cw_fix f = { 0 };
	json_t *add = NULL, *rm = NULL;
	char found[CW_NAME_MAX + 1];
	const char *type, *reg, *group;
	bool in_house;
	int err;

	if ((err = cw_db_require(db, "provider.write")) != CW_OK ||
	    (err = edit_check(a)) != CW_OK ||
	    (err = provider_row_load(db, ref, &p)) != CW_OK ||
	    (err = resolve_commissioners(db, a->add, a->nadd, &add)) != CW_OK ||
	    (err = resolve_commissioners(db, a->remove, a->nremove, &rm)) != CW_OK)
		goto done;
	type = a->type ? a->type : p.type;
	reg = a->regulator_id ? a->regulator_id : p.regulator_id;
	in_house = a->in_house < 0 ? p.in_house : a->in_house != 0;
	group = a->group ? a->group : p.group;
	/* One group keeps one spelling, as when a provider is added. */
	if (a->group) {
		if ((err = cw_store_first_text(db, SQL_GROUP_SPELLING, a->group, found,
				sizeof(found))) != CW_OK)
			goto done;
		if (found[0])
			group = found;
	}
	cw_fix_begin(&f, "provider", p.id, p.name, p.id, a->reason);
	if ((err = cw_fix_field(db, &f, "type", p.type, type)) != CW_OK ||
	    (err = cw_fix_field(db, &f, "regulator_id", p.regulator_id, reg)) != CW_OK ||
	    (err = cw_fix_field(db, &f, "in_house", p.in_house ? "yes" : "no",
			in_house ? "yes" : "no")) != CW_OK ||
	    (err = cw_fix_field(db, &f, "group", p.group, group)) != CW_OK ||
	    (err = relink(db, &f, p.id, add, true)) != CW_OK ||
	    (err = relink(db, &f, p.id, rm, false)) != CW_OK)
		goto done;
	if (!cw_fix_count(&f)) {
		err = cw_error(CW_EINVALID, "provider '%s' already reads so: nothing to correct",
			p.name);
		goto done;
	}
	if ((err = cw_store_prepare(db, SQL_EDIT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, p.id);
	cw_store_bind_text(st, 2, type);
	cw_store_bind_text(st, 3, reg);
	cw_store_bind_int(st, 4, in_house ? 1 : 0);
	cw_store_bind_text(st, 5, group);
	cw_store_bind_fold(st, 6, group);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_fix_commit(db, &f, "provider.edit", NULL)) != CW_OK)
		goto done;
	err = cw_provider_show(db, p.id, out);
done:
	cw_fix_free(&f);
	json_decref(add);
	json_decref(rm);
	provider_row_free(&p);
	return err;
}

int cw_provider_close(cw_db *db, const char *ref, const char *reason, bool has_date,
	cw_date date, json_t **out)
{
	cw_stmt *st = NULL;
	struct provider_row p = { 0 };
	cw_fix f = { 0 };
	char day[CW_DATE_STRLEN], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "provider.write")) != CW_OK ||
	    (err = cw_fix_check_reason(reason)) != CW_OK)
		return err;
	if (!has_date)
		date = cw_db_today(db);
	if (date > cw_db_today(db))
		return cw_error_at("date", CW_EINVALID, "the closing date %s is after today (%s)",
			cw_date_format(date, day), cw_date_format(cw_db_today(db), today));
	if ((err = provider_row_load(db, ref, &p)) != CW_OK ||
	    (err = cw_fix_decision_role(db, "closing a provider")) != CW_OK)
		goto done;
	if (strcmp(p.status, "closed") == 0) {
		err = cw_error(CW_EREFUSED, "provider '%s' is already closed", p.name);
		goto done;
	}
	cw_date_format(date, day);
	cw_fix_begin(&f, "provider", p.id, p.name, p.id, reason);
	if ((err = cw_fix_field(db, &f, "status", p.status, "closed")) != CW_OK ||
	    (err = cw_fix_field(db, &f, "closed", NULL, day)) != CW_OK ||
	    (err = cw_store_prepare(db, SQL_CLOSE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, p.id);
	cw_store_bind_text(st, 2, day);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_fix_commit(db, &f, "provider.close", NULL)) != CW_OK)
		goto done;
	err = cw_provider_show(db, p.id, out);
done:
	cw_fix_free(&f);
	provider_row_free(&p);
	return err;
}
