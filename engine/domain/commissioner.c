/* Commissioners, and the one lead commissioner that runs the protocol. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "carewatch/commissioner.h"
#include "carewatch/buf.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "store.h"
#include "valid.h"
#include "lookup.h"

const char *const cw_commissioner_kinds[] = {
	"local_authority", "health_board", "other", NULL
};

static const char SQL_EXISTS[] = "SELECT name FROM commissioners WHERE name_key = ?1";
static const char SQL_LEAD[] =
	"SELECT name FROM commissioners WHERE is_lead = 1 LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO commissioners (id, name, kind, is_lead, created, name_key)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define COLS "SELECT id, name, kind, is_lead, address, phone, email, department," \
	" signatory, signatory_title FROM commissioners"
static const char SQL_LIST[] = COLS " ORDER BY name COLLATE NOCASE";
static const char SQL_BY_ID[] = COLS " WHERE id = ?1";
static const char SQL_LEAD_ROW[] = COLS " WHERE is_lead = 1 LIMIT 1";
static const char SQL_UPDATE[] =
	"UPDATE commissioners SET address = ?2, phone = ?3, email = ?4, department = ?5,"
	" signatory = ?6, signatory_title = ?7 WHERE id = ?1";

/* The letterhead details: column (from 4 in COLS), option, words. */
static const struct detail {
	const char *key, *option, *words;
	size_t off;
} details[] = {
	{ "address", "--address", "address", offsetof(cw_commissioner_details, address) },
	{ "phone", "--phone", "telephone", offsetof(cw_commissioner_details, phone) },
	{ "email", "--email", "email", offsetof(cw_commissioner_details, email) },
	{ "department", "--department", "department", offsetof(cw_commissioner_details, department) },
	{ "signatory", "--signatory", "signatory", offsetof(cw_commissioner_details, signatory) },
	{ "signatory_title", "--signatory-title", "signatory's title",
		offsetof(cw_commissioner_details, signatory_title) },
};
#define NDETAILS (sizeof(details) / sizeof(details[0]))

static const char *detail_of(const cw_commissioner_details *d, size_t i)
{
	return d ? *(const char *const *)((const char *)d + details[i].off) : NULL;
}

static json_t *row_json(cw_db *db, cw_stmt *st, void *arg)
{
	json_t *o;
	size_t i;

	(void)db;
	(void)arg;
	o = json_pack("{s:s,s:s,s:s,s:b}",
		"id", cw_store_col_text(st, 0),
		"name", cw_store_col_text(st, 1),
		"kind", cw_store_col_text(st, 2),
		"lead", cw_store_col_int(st, 3) != 0);
	for (i = 0; i < NDETAILS; i++)
		json_object_set_new(o, details[i].key, cw_store_col_json_text(st, 4 + (int)i));
	return o;
}

static int check_details(const cw_commissioner_details *d)
{
	size_t i;
	int err;

	for (i = 0; i < NDETAILS; i++) {
		const char *v = detail_of(d, i);

		if (v && (err = cw_check_text(details[i].words, v, CW_NAME_MAX, true)) != CW_OK)
			return err;
	}
	return CW_OK;
}

/* One commissioner by its id, as JSON; `sql` selects COLS. */
static int get_row(cw_db *db, const char *sql, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int rc, err = CW_OK;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	if (id)
		cw_store_bind_text(st, 1, id);
	rc = cw_store_step(db, st);
	if (rc == CW_ROW)
		*out = row_json(db, st, NULL);
	else
		err = rc == CW_OK ? CW_ENOTFOUND : rc;
	cw_store_done(st);
	return err;
}

/* Write the details of `after` (an object from row_json) to the row. */
static int store_details(cw_db *db, const char *id, const json_t *after)
{
	cw_stmt *st = NULL;
	size_t i;
	int err;

	if ((err = cw_store_prepare(db, SQL_UPDATE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	for (i = 0; i < NDETAILS; i++)
		cw_store_bind_text(st, 2 + (int)i,
			json_string_value(json_object_get(after, details[i].key)));
	return cw_store_exec_stmt(db, st);
}

int cw_commissioner_add(cw_db *db, const char *name, const char *kind,
	bool lead, json_t **out)
{
	return cw_commissioner_add_details(db, name, kind, lead, NULL, out);
}

int cw_commissioner_add_details(cw_db *db, const char *name, const char *kind,
	bool lead, const cw_commissioner_details *d, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *row = NULL, *audit;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN], other[CW_NAME_MAX + 1];
	size_t i;
	int err;

	if (!kind)
		kind = "local_authority";
	if ((err = cw_db_require(db, "commissioner.write")) != CW_OK ||
	    (err = cw_check_entity_name("commissioner name", name)) != CW_OK ||
	    (err = cw_check_enum("commissioner kind", kind, cw_commissioner_kinds)) != CW_OK ||
	    (err = check_details(d)) != CW_OK)
		goto done;
	if ((err = cw_store_first_text(db, SQL_EXISTS, name, other, sizeof(other))) != CW_OK)
		goto done;
	if (other[0]) {
		err = cw_error(CW_EREFUSED, "a commissioner named '%s' already exists", other);
		goto done;
	}
	/*
	 * The lead commissioner runs the protocol and alone moves a case into
	 * and out of embargo, so there must never be two. The command holds the
	 * write lock, so the check and the insert cannot interleave with another.
	 */
	if (lead) {
		if ((err = cw_store_first_text(db, SQL_LEAD, NULL, other, sizeof(other))) != CW_OK)
			goto done;
		if (other[0]) {
			err = cw_error(CW_EREFUSED,
				"'%s' is already the lead commissioner; there can be only one", other);
			goto done;
		}
	}
	cw_db_new_id(db, id);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, name);
	cw_store_bind_text(st, 3, kind);
	cw_store_bind_int(st, 4, lead ? 1 : 0);
	cw_store_bind_text(st, 5, cw_date_format(cw_db_today(db), today));
	cw_store_bind_fold(st, 6, name);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = get_row(db, SQL_BY_ID, id, &row)) != CW_OK)
		goto done;
	audit = json_pack("{s:s,s:s,s:b}", "name", name, "kind", kind, "lead", lead);
	for (i = 0; i < NDETAILS; i++)
		if (detail_of(d, i)) {
			json_object_set_new(row, details[i].key, json_string(detail_of(d, i)));
			json_object_set_new(audit, details[i].key, json_string(detail_of(d, i)));
		}
	if ((err = store_details(db, id, row)) != CW_OK ||
	    (err = cw_audit_append(db, "commissioner.add", id, audit)) != CW_OK)
		goto done;
	*out = row;
	row = NULL;
done:
	json_decref(row);
	return err;
}

int cw_commissioner_edit(cw_db *db, const char *ref, const cw_commissioner_details *d,
	json_t **out)
{
	json_t *before = NULL, *after = NULL, *b = json_object(), *a = json_object();
	char id[CW_ID_LEN];
	size_t i;
	int err;

	if ((err = cw_db_require(db, "commissioner.write")) != CW_OK ||
	    (err = check_details(d)) != CW_OK)
		goto done;
	for (i = 0; i < NDETAILS && !detail_of(d, i); i++)
		;
	if (i == NDETAILS) {
		err = cw_error(CW_EINVALID, "nothing to change: give --address, --phone, --email,"
			" --department, --signatory or --signatory-title");
		goto done;
	}
	if ((err = cw_lookup(db, CW_KIND_COMMISSIONER, ref, id)) != CW_OK ||
	    (err = get_row(db, SQL_BY_ID, id, &before)) != CW_OK)
		goto done;
	after = json_deep_copy(before);
	/* Before and after name only what changed. */
	for (i = 0; i < NDETAILS; i++) {
		const char *v = detail_of(d, i);
		json_t *was = json_object_get(before, details[i].key);

		if (!v || (json_is_string(was) && strcmp(json_string_value(was), v) == 0))
			continue;
		json_object_set(b, details[i].key, was);
		json_object_set_new(a, details[i].key, json_string(v));
		json_object_set_new(after, details[i].key, json_string(v));
	}
	if (json_object_size(a) == 0) {
		err = cw_error(CW_EINVALID, "nothing to change: commissioner '%s' already has"
			" those details", json_string_value(json_object_get(before, "name")));
		goto done;
	}
	if ((err = store_details(db, id, after)) != CW_OK ||
	    (err = cw_audit_append(db, "commissioner.edit", id,
			json_pack("{s:O,s:O}", "before", b, "after", a))) != CW_OK)
		goto done;
	*out = after;
	after = NULL;
done:
	json_decref(before);
	json_decref(after);
	json_decref(b);
	json_decref(a);
	return err;
}

/* "County Hall, Carmarthen, SA31 1JP" as the lines of a letterhead. */
static json_t *address_lines(const char *address)
{
	json_t *lines = json_array();
	const char *p = address, *comma;

	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		if (n)
			json_array_append_new(lines, json_stringn(p, n));
		p += comma ? (size_t)(comma - p) + 1 : strlen(p);
	}
	return lines;
}

int cw_commissioner_letterhead(cw_db *db, json_t **out)
{
	json_t *lead = NULL;
	cw_buf missing = CW_BUF_INIT, fix = CW_BUF_INIT;
	const char *name;
	size_t i, n = 0;
	int err;

	if ((err = get_row(db, SQL_LEAD_ROW, NULL, &lead)) == CW_ENOTFOUND) {
		err = cw_error(CW_EREFUSED, "no lead commissioner is recorded, so nothing can be"
			" headed or signed: commissioner add NAME --lead --address ... --phone ..."
			" --email ... --department ... --signatory ... --signatory-title ...");
		goto done;
	}
	if (err != CW_OK)
		goto done;
	name = json_string_value(json_object_get(lead, "name"));
	for (i = 0; i < NDETAILS; i++)
		if (!json_is_string(json_object_get(lead, details[i].key))) {
			cw_buf_printf(&missing, "%s%s", n++ ? ", " : "", details[i].words);
			cw_buf_printf(&fix, " %s ...", details[i].option);
		}
	if (n) {
		err = cw_error(CW_EREFUSED, "the lead commissioner '%s' has no %s recorded, so"
			" nothing can be headed or signed: commissioner edit '%s'%s", name,
			cw_buf_cstr(&missing), name, cw_buf_cstr(&fix));
		goto done;
	}
	json_object_set_new(lead, "address_lines",
		address_lines(json_string_value(json_object_get(lead, "address"))));
	json_object_set_new(lead, "contact", json_sprintf("telephone %s, email %s",
		json_string_value(json_object_get(lead, "phone")),
		json_string_value(json_object_get(lead, "email"))));
	*out = lead;
	lead = NULL;
done:
	json_decref(lead);
	cw_buf_free(&missing);
	cw_buf_free(&fix);
	return err;
}

void cw_commissioner_lead_name(cw_db *db, char *out, size_t cap)
{
	if (cw_store_first_text(db, SQL_LEAD, NULL, out, cap) != CW_OK || !out[0]) {
		cw_error_clear();
		snprintf(out, cap, "carewatch");
	}
}

int cw_commissioner_list(cw_db *db, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_LIST, &st)) != CW_OK)
		return err;
	return cw_store_rows(db, st, row_json, NULL, out);
}
