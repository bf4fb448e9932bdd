/*
 * The audit chain. Each entry's hash covers a canonical JSON array of its
 * fields and the previous entry's hash, so changing, inserting or removing
 * a past entry breaks every link after it. Entries written since the chain
 * was keyed carry an HMAC-SHA-256 under a key kept beside the database, so
 * a chain recomputed without the key fails too; an anchor (`SEQ:HASH`,
 * printed on paper) catches truncation; and each entry seals the entity
 * rows its command wrote, so a row edited behind the engine's back is
 * found by a deep check.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"

#define HASH_HEX 65
static const char GENESIS[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char SQL_LAST[] =
	"SELECT seq, hash, keyed FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO audit (seq, at, actor, action, entity, details, prev_hash, hash,"
	" keyed, seal, date_used) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10)";
static const char SQL_ALL[] =
	"SELECT seq, at, actor, action, entity, details, prev_hash, hash, keyed, seal,"
	" date_used FROM audit ORDER BY seq";
static const char SQL_BY_ENTITY[] =
	"SELECT seq, at, actor, action, entity, details, prev_hash, hash, keyed, seal,"
	" date_used FROM audit WHERE entity >= ?1 AND entity < ?2 ORDER BY seq";

/*
 * The tables whose rows are entities (an id, an audit history). Each row
 * is read whole ("id, *"), so a column a later migration adds is sealed
 * too. Rows are found by rowid because that is what the store's change
 * notes carry (SQLite-specific, like the notes themselves).
 */
struct entity_table {
	const char *table, *noun, *by_rowid, *all;
};

#define ENTITY(t, noun) { t, noun, "SELECT id, * FROM " t " WHERE rowid = ?1", \
	"SELECT id, * FROM " t " ORDER BY id" }
static const struct entity_table entities[] = {
	ENTITY("users", "user"),
	ENTITY("commissioners", "commissioner"),
	ENTITY("providers", "provider"),
	ENTITY("concerns", "concern"),
	ENTITY("cases", "case"),
	ENTITY("actions", "action"),
	ENTITY("meetings", "meeting"),
	ENTITY("placements", "placement"),
	ENTITY("tasks", "task"),
	ENTITY("qa_meetings", "QA meeting"),
};
#define NENTITIES (sizeof(entities) / sizeof(entities[0]))

static void hex(const unsigned char *md, unsigned int n, char out[HASH_HEX])
{
	unsigned int i;

	static const char digits[] = "0123456789abcdef";

	/* By table: snprintf per byte was a measurable part of every write. */
	for (i = 0; i < n && i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * (i < 32 ? i : 32)] = '\0';
}

static int sha256_hex(const char *text, char out[HASH_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return cw_error(CW_EINTERNAL, "SHA-256 failed");
	hex(md, mdlen, out);
	return CW_OK;
}

/* The fields of an entry as its hash sees them. */
struct entry {
	long long seq;
	const char *at, *actor, *action, *entity, *details, *prev, *seal, *date_used;
	bool keyed;
};

/*
 * A plain entry (written before the chain was keyed): SHA-256 of
 * [seq, at, actor, action, entity, details, prev]. A keyed entry: HMAC-SHA-256
 * of the same array with the seal and the date used appended.
 */
static int entry_hash(const struct entry *e, const unsigned char *key, char out[HASH_HEX])
{
	json_t *fields = json_pack("[I,s,s,s,s?,s,s]", (json_int_t)e->seq, e->at, e->actor,
		e->action, e->entity, e->details, e->prev);
	char *text = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int err = CW_OK;

	if (fields && e->keyed) {
		json_array_append_new(fields, e->seal ? json_string(e->seal) : json_null());
		json_array_append_new(fields, e->date_used ? json_string(e->date_used) : json_null());
	}
	text = fields ? json_dumps(fields, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(fields);
	if (!text)
		return cw_error(CW_EINTERNAL, "cannot encode an audit entry");
	if (!e->keyed) {
		err = sha256_hex(text, out);
	} else if (!HMAC(EVP_sha256(), key, CW_AUDIT_KEY_LEN, (const unsigned char *)text,
			strlen(text), md, &mdlen) || mdlen != 32) {
		err = cw_error(CW_EINTERNAL, "HMAC-SHA-256 failed");
	} else {
		hex(md, mdlen, out);
	}
	free(text);
	return err;
}

/* The SHA-256 of an entity row as read by "SELECT id, *". */
static int row_hash(const char *table, cw_stmt *st, char out[HASH_HEX])
{
	json_t *row = cw_store_row_json(st, 1);
	char *text;
	int err;

	json_array_insert_new(row, 0, json_string(table));
	text = json_dumps(row, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(row);
	if (!text)
		return cw_error(CW_EINTERNAL, "cannot encode a row");
	err = sha256_hex(text, out);
	free(text);
	return err;
}

static const struct entity_table *entity_table(const char *table)
{
	size_t i;

	for (i = 0; i < NENTITIES; i++)
		if (strcmp(entities[i].table, table) == 0)
			return &entities[i];
	return NULL;
}

/* Add a written row to the seal, when it is an entity's. */
static int seal_row(cw_db *db, const char *table, long long rowid, void *arg)
{
	const struct entity_table *t = entity_table(table);
	json_t *seal = arg;
	cw_stmt *st;
	char hash[HASH_HEX];
	int rc, err;

	if (!t)
		return CW_OK;
	if ((err = cw_store_prepare(db, t->by_rowid, &st)) != CW_OK)
		return err;
	cw_store_bind_int(st, 1, rowid);
	/* A row undone by a nested unit's rollback is simply not there. */
	if ((rc = cw_store_step(db, st)) == CW_ROW &&
	    (err = row_hash(t->table, st, hash)) == CW_OK)
		json_object_set_new(seal, cw_store_col_text(st, 0), json_string(hash));
	cw_store_done(st);
	if (rc != CW_ROW && rc != CW_OK)
		return rc;
	return err;
}

static int append(cw_db *db, const char *action, const char *entity_id,
	const char *details, json_t *seal)
{
	const unsigned char *key;
	cw_stmt *st = NULL;
	struct entry e = { .seq = 1, .action = action, .entity = entity_id,
		.details = details, .keyed = true };
	char prev[HASH_HEX], hash[HASH_HEX], at[32], used[CW_DATE_STRLEN];
	char *seal_text = NULL;
	time_t now = time(NULL);
	struct tm tm;
	cw_date clock;
	int rc, err;

	if ((err = cw_store_key(db, &key)) != CW_OK)
		return err;
	memcpy(prev, GENESIS, HASH_HEX);
	if ((err = cw_store_prepare(db, SQL_LAST, &st)) != CW_OK)
		return err;
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		e.seq = cw_store_col_int(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (rc != CW_ROW && rc != CW_OK)
		return rc;
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	clock = cw_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* A write under --today records the date it used beside the clock's. */
	if (cw_db_today(db) != clock)
		e.date_used = cw_date_format(cw_db_today(db), used);
	if (json_object_size(seal) > 0)
		seal_text = json_dumps(seal, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	e.seal = seal_text;
	e.at = at;
	e.actor = cw_db_actor(db) ? cw_db_actor(db) : "";
	e.prev = prev;
	if ((err = entry_hash(&e, key, hash)) != CW_OK)
		goto done;
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		goto done;
	cw_store_bind_int(st, 1, e.seq);
	cw_store_bind_text(st, 2, e.at);
	cw_store_bind_text(st, 3, e.actor);
	cw_store_bind_text(st, 4, action);
	cw_store_bind_text(st, 5, entity_id);
	cw_store_bind_text(st, 6, details);
	cw_store_bind_text(st, 7, prev);
	cw_store_bind_text(st, 8, hash);
	cw_store_bind_text(st, 9, e.seal);
	cw_store_bind_text(st, 10, e.date_used);
	err = cw_store_exec_stmt(db, st);
done:
	free(seal_text);
	return err;
}

int cw_audit_append(cw_db *db, const char *action, const char *entity_id,
	json_t *details)
{
	json_t *seal = json_object();
	char *text = NULL;
	int err;

	if (!details)
		details = json_object();
	text = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		err = cw_error(CW_EINTERNAL, "cannot encode audit details");
		goto done;
	}
	if ((err = cw_store_take_changes(db, seal_row, seal)) != CW_OK)
		goto done;
	err = append(db, action, entity_id, text, seal);
done:
	free(text);
	json_decref(seal);
	json_decref(details);
	return err;
}

int cw_audit_seal_pending(cw_db *db)
{
	json_t *seal = json_object();
	int err;

	if ((err = cw_store_take_changes(db, seal_row, seal)) == CW_OK &&
	    json_object_size(seal) > 0)
		err = append(db, "audit.seal", NULL, "{}", seal);
	json_decref(seal);
	return err;
}

int cw_audit_seal_all(cw_db *db)
{
	json_t *seal = json_object();
	size_t i;
	int rc = CW_OK, err = CW_OK;

	for (i = 0; i < NENTITIES && err == CW_OK; i++) {
		cw_stmt *st;
		char hash[HASH_HEX];

		if ((err = cw_store_prepare(db, entities[i].all, &st)) != CW_OK)
			break;
		while ((rc = cw_store_step(db, st)) == CW_ROW &&
		       (err = row_hash(entities[i].table, st, hash)) == CW_OK)
			json_object_set_new(seal, cw_store_col_text(st, 0), json_string(hash));
		cw_store_done(st);
		if (err == CW_OK && rc != CW_OK)
			err = rc;
	}
	if (err == CW_OK && json_object_size(seal) > 0)
		err = append(db, "audit.seal", NULL, "{}", seal);
	json_decref(seal);
	return err;
}

int cw_audit_head(cw_db *db, json_t **out)
{
	cw_stmt *st;
	int rc, err;

	if ((err = cw_store_prepare(db, SQL_LAST, &st)) != CW_OK)
		return err;
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		char anchor[96];

		snprintf(anchor, sizeof(anchor), "%lld:%s", cw_store_col_int(st, 0),
			cw_store_col_text(st, 1));
		*out = json_pack("{s:s,s:I,s:s}", "anchor", anchor,
			"seq", (json_int_t)cw_store_col_int(st, 0), "hash", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	if (rc == CW_OK)
		return cw_error(CW_ENOTFOUND, "the audit trail is empty");
	return rc == CW_ROW ? CW_OK : rc;
}

json_t *cw_audit_anchor(cw_db *db)
{
	json_t *head = NULL, *anchor;

	if (cw_audit_head(db, &head) != CW_OK) {
		cw_error_clear();
		return json_string("none");
	}
	anchor = json_incref(json_object_get(head, "anchor"));
	json_decref(head);
	return anchor;
}

/* Confidential keys are redacted here, in the engine, for every reader. */
static void redact(json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if ((strcmp(key, "pova_ref") == 0 || strcmp(key, "subject_ref") == 0) &&
			    !json_is_null(v))
				json_object_set_new(j, key, json_string(CW_CONFIDENTIAL));
			else
				redact(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			redact(v);
	}
}

static json_t *row_json(cw_stmt *st, bool confidential)
{
	json_t *details = json_loads(cw_store_col_text(st, 5), 0, NULL), *e;

	if (!details)
		details = json_string(cw_store_col_text(st, 5));
	if (!confidential)
		redact(details);
	e = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}",
		"seq", (json_int_t)cw_store_col_int(st, 0),
		"at", cw_store_col_text(st, 1),
		"actor", cw_store_col_text(st, 2),
		"action", cw_store_col_text(st, 3),
		"entity", cw_store_col_json_text(st, 4),
		"details", details);
	if (!cw_store_col_is_null(st, 10)) {
		json_object_set_new(e, "date_used", cw_store_col_json_text(st, 10));
		json_object_set_new(e, "clock_date", json_stringn(cw_store_col_text(st, 1), 10));
	}
	return e;
}

int cw_audit_list(cw_db *db, const char *entity, json_t **out)
{
	cw_stmt *st = NULL;
	json_t *list = json_array();
	bool conf = cw_db_sees_confidential(db);
	int rc, err;

	if (entity && *entity) {
		char lo[128], hi[128];
		size_t n = strlen(entity), i;

		if (n >= sizeof(hi)) {
			err = cw_error(CW_EINVALID, "entity id is too long");
			goto fail;
		}
		/* Ids are stored in lower case; users may type them in either. */
		for (i = 0; i <= n; i++)
			lo[i] = (char)tolower((unsigned char)entity[i]);
		memcpy(hi, lo, n + 1);
		hi[n - 1]++;
		if ((err = cw_store_prepare(db, SQL_BY_ENTITY, &st)) != CW_OK)
			goto fail;
		cw_store_bind_text(st, 1, lo);
		cw_store_bind_text(st, 2, hi);
	} else if ((err = cw_store_prepare(db, SQL_ALL, &st)) != CW_OK) {
		goto fail;
	}
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		json_array_append_new(list, row_json(st, conf));
	cw_store_done(st);
	if (rc != CW_OK) {
		err = rc;
		goto fail;
	}
	*out = list;
	return CW_OK;
fail:
	json_decref(list);
	return err;
}

/* What the walk of the chain found. */
struct walk {
	const cw_audit_verify_opts *o;
	long long anchor_seq;
	char anchor_hash[HASH_HEX];
	bool anchor_seen;
	long long n, last_seq;
	bool last_keyed;
	char last_hash[HASH_HEX];
	json_t *seen;      /* entity id -> latest sealed row hash, or true */
};

static int parse_anchor(const char *s, struct walk *w)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	char *end;
	size_t i;

	if (!colon || colon == s || strlen(colon + 1) != HASH_HEX - 1)
		goto bad;
	w->anchor_seq = strtoll(s, &end, 10);
	if (end != colon || w->anchor_seq < 1 || !isdigit((unsigned char)s[0]))
		goto bad;
	for (i = 0; i < HASH_HEX - 1; i++) {
		int c = tolower((unsigned char)colon[1 + i]);

		if (!isxdigit(c))
			goto bad;
		w->anchor_hash[i] = (char)c;
	}
	w->anchor_hash[HASH_HEX - 1] = '\0';
	return CW_OK;
bad:
	return cw_error_at("anchor", CW_EINVALID,
		"'%.80s' is not an anchor (SEQ:HASH, as 'carewatch audit head' prints it)",
		s ? s : "");
}

static int broken(json_t **out, const struct walk *w, long long seq, const char *why)
{
	*out = json_pack("{s:b,s:I,s:I,s:s}", "ok", 0, "entries", (json_int_t)w->n,
		"first_bad", (json_int_t)seq, "reason", why);
	return cw_error(CW_EREFUSED, "audit chain broken at entry %lld: %s", seq, why);
}

/* Note an entry's entity and seal: the latest seal of a row wins. */
static void note_entry(struct walk *w, const char *entity, const char *seal)
{
	json_t *s;
	const char *id;
	json_t *h;

	if (entity && !json_object_get(w->seen, entity))
		json_object_set_new(w->seen, entity, json_true());
	if (seal && (s = json_loads(seal, 0, NULL)) != NULL) {
		json_object_foreach(s, id, h)
			json_object_set(w->seen, id, h);
		json_decref(s);
	}
}

static int walk_chain(cw_db *db, struct walk *w, json_t **out)
{
	const unsigned char *key = NULL;
	cw_stmt *st = NULL;
	char prev[HASH_HEX], hash[HASH_HEX];
	long long expect = 1;
	int rc, err = CW_OK;

	memcpy(prev, GENESIS, HASH_HEX);
	if ((err = cw_store_prepare(db, SQL_ALL, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		struct entry e = {
			.seq = cw_store_col_int(st, 0), .at = cw_store_col_text(st, 1),
			.actor = cw_store_col_text(st, 2), .action = cw_store_col_text(st, 3),
			.entity = cw_store_col_is_null(st, 4) ? NULL : cw_store_col_text(st, 4),
			.details = cw_store_col_text(st, 5), .prev = prev,
			.keyed = cw_store_col_int(st, 8) != 0,
			.seal = cw_store_col_is_null(st, 9) ? NULL : cw_store_col_text(st, 9),
			.date_used = cw_store_col_is_null(st, 10) ? NULL : cw_store_col_text(st, 10),
		};
		const char *why = NULL;

		if (e.keyed && !key && (err = cw_store_key(db, &key)) != CW_OK)
			break;
		if (e.seq != expect)
			why = e.seq > expect ? "an entry before it is missing" : "out of sequence";
		else if (e.seq == 1 && strcmp(e.action, "db.init") != 0)
			why = "the chain does not start with the init entry";
		else if (strcmp(cw_store_col_text(st, 6), prev) != 0)
			why = "its link to the previous entry does not match";
		else if ((err = entry_hash(&e, key, hash)) != CW_OK)
			break;
		else if (strcmp(hash, cw_store_col_text(st, 7)) != 0)
			why = e.keyed ? "its contents do not match its keyed hash (edited or recomputed)"
				: "its contents do not match its hash (edited)";
		else if (w->anchor_seq == e.seq && strcmp(hash, w->anchor_hash) != 0)
			why = "it is not the entry the anchor names (the chain was rewritten)";
		if (why) {
			err = broken(out, w, e.seq, why);
			break;
		}
		if (w->anchor_seq == e.seq)
			w->anchor_seen = true;
		note_entry(w, e.entity, e.seal);
		snprintf(prev, sizeof(prev), "%s", hash);
		expect = e.seq + 1;
		w->n++;
		w->last_seq = e.seq;
		w->last_keyed = e.keyed;
	}
	cw_store_done(st);
	if (err != CW_OK)
		return err;
	if (rc != CW_OK)
		return rc;
	memcpy(w->last_hash, prev, HASH_HEX);
	if (w->n == 0)
		return broken(out, w, 1, "the audit trail is empty (the init entry is missing)");
	if (!w->last_keyed)
		return broken(out, w, w->last_seq,
			"the chain ends with an entry that is not keyed (recomputed or cut short)");
	if (w->anchor_seq && !w->anchor_seen)
		return broken(out, w, w->anchor_seq,
			"the chain no longer reaches the anchor's entry (cut short)");
	return CW_OK;
}

/*
 * Every entity row must have an audit entry; with `deep`, its current
 * contents must be what its latest entry sealed.
 */
static int check_entities(cw_db *db, struct walk *w, json_t **out)
{
	json_t *bad = json_array();
	cw_buf msg = CW_BUF_INIT;
	size_t i;
	int rc = CW_OK, err = CW_OK;

	for (i = 0; i < NENTITIES && err == CW_OK; i++) {
		const struct entity_table *t = &entities[i];
		cw_stmt *st;

		if ((err = cw_store_prepare(db, t->all, &st)) != CW_OK)
			break;
		while ((rc = cw_store_step(db, st)) == CW_ROW) {
			const char *id = cw_store_col_text(st, 0);
			json_t *sealed = json_object_get(w->seen, id);
			const char *why = NULL;
			char hash[HASH_HEX];

			if (!sealed)
				why = "has no audit entry (written behind the engine's back)";
			else if (w->o->deep && !json_is_string(sealed))
				why = "has no sealed state to check";
			else if (w->o->deep) {
				if ((err = row_hash(t->table, st, hash)) != CW_OK)
					break;
				if (strcmp(hash, json_string_value(sealed)) != 0)
					why = "was changed behind the engine's back (its row does not match"
						" its latest audit entry)";
			}
			if (why) {
				if (json_array_size(bad) < 3)
					cw_buf_printf(&msg, "%s%s %s %s", json_array_size(bad) ? "; " : "",
						t->noun, id, why);
				json_array_append_new(bad, json_pack("{s:s,s:s,s:s}", "kind", t->noun,
					"id", id, "reason", why));
			}
		}
		cw_store_done(st);
		if (err == CW_OK && rc != CW_OK)
			err = rc;
	}
	if (err == CW_OK && json_array_size(bad) > 0) {
		*out = json_pack("{s:b,s:I,s:O}", "ok", 0, "entries", (json_int_t)w->n,
			"entities", bad);
		err = cw_error(CW_EREFUSED, "%zu entit%s not covered by the audit trail: %s%s",
			json_array_size(bad), json_array_size(bad) == 1 ? "y is" : "ies are",
			cw_buf_cstr(&msg), json_array_size(bad) > 3 ? "; ..." : "");
	}
	json_decref(bad);
	cw_buf_free(&msg);
	return err;
}

int cw_audit_check(cw_db *db, const cw_audit_verify_opts *o, json_t **out)
{
	static const cw_audit_verify_opts none = { 0 };
	struct walk w = { .o = o ? o : &none };
	int err;

	*out = NULL;
	if (w.o->anchor && (err = parse_anchor(w.o->anchor, &w)) != CW_OK)
		return err;
	w.seen = json_object();
	if ((err = walk_chain(db, &w, out)) == CW_OK &&
	    (err = check_entities(db, &w, out)) == CW_OK) {
		char anchor[96];

		snprintf(anchor, sizeof(anchor), "%lld:%s", w.last_seq, w.last_hash);
		*out = json_pack("{s:b,s:I,s:s,s:s,s:b}", "ok", 1, "entries", (json_int_t)w.n,
			"last_hash", w.last_hash, "anchor", anchor, "deep", w.o->deep);
	}
	json_decref(w.seen);
	return err;
}

int cw_audit_verify(cw_db *db, json_t **out)
{
	return cw_audit_check(db, NULL, out);
}
