/*
 * The audit chain. Each entry's hash is SHA-256 over a canonical JSON array
 * of its fields and the previous entry's hash, so changing, inserting or
 * removing a past entry breaks every link after it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"

#define HASH_HEX 65
static const char GENESIS[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char SQL_LAST[] =
	"SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_INSERT[] =
	"INSERT INTO audit (seq, at, actor, action, entity, details, prev_hash, hash)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_ALL[] =
	"SELECT seq, at, actor, action, entity, details, prev_hash, hash"
	" FROM audit ORDER BY seq";
static const char SQL_BY_ENTITY[] =
	"SELECT seq, at, actor, action, entity, details, prev_hash, hash"
	" FROM audit WHERE entity >= ?1 AND entity < ?2 ORDER BY seq";

static int entry_hash(long long seq, const char *at, const char *actor,
	const char *action, const char *entity, const char *details,
	const char *prev, char out[HASH_HEX])
{
	json_t *fields = json_pack("[I,s,s,s,s?,s,s]", (json_int_t)seq, at, actor,
		action, entity, details, prev);
	char *text = fields ? json_dumps(fields, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	int ok;

	json_decref(fields);
	if (!text)
		return cw_error(CW_EINTERNAL, "cannot encode an audit entry");
	ok = EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha256(), NULL);
	free(text);
	if (!ok || mdlen != 32)
		return cw_error(CW_EINTERNAL, "SHA-256 failed");
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return CW_OK;
}

int cw_audit_append(cw_db *db, const char *action, const char *entity_id,
	json_t *details)
{
	sqlite3_stmt *st = NULL;
	long long seq = 1;
	char prev[HASH_HEX], hash[HASH_HEX], at[32];
	char *text = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int err;

	memcpy(prev, GENESIS, HASH_HEX);
	if ((err = cw_store_prepare(db, SQL_LAST, &st)) != CW_OK)
		goto done;
	if (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!details)
		details = json_object();
	text = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		err = cw_error(CW_EINTERNAL, "cannot encode audit details");
		goto done;
	}
	if ((err = entry_hash(seq, at, cw_db_actor(db) ? cw_db_actor(db) : "",
			action, entity_id, text, prev, hash)) != CW_OK)
		goto done;
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		goto done;
	sqlite3_bind_int64(st, 1, seq);
	cw_store_bind_text(st, 2, at);
	cw_store_bind_text(st, 3, cw_db_actor(db) ? cw_db_actor(db) : "");
	cw_store_bind_text(st, 4, action);
	cw_store_bind_text(st, 5, entity_id);
	cw_store_bind_text(st, 6, text);
	cw_store_bind_text(st, 7, prev);
	cw_store_bind_text(st, 8, hash);
	err = cw_store_exec_stmt(db, st);
done:
	free(text);
	json_decref(details);
	return err;
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

static json_t *row_json(sqlite3_stmt *st, bool confidential)
{
	json_t *details = json_loads(cw_store_col_text(st, 5), 0, NULL);

	if (!details)
		details = json_string(cw_store_col_text(st, 5));
	if (!confidential)
		redact(details);
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}",
		"seq", (json_int_t)sqlite3_column_int64(st, 0),
		"at", cw_store_col_text(st, 1),
		"actor", cw_store_col_text(st, 2),
		"action", cw_store_col_text(st, 3),
		"entity", cw_store_col_json_text(st, 4),
		"details", details);
}

int cw_audit_list(cw_db *db, const char *entity, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *list = json_array();
	bool conf = cw_db_sees_confidential(db);
	int rc, err;

	if (entity && *entity) {
		char hi[128];
		size_t n = strlen(entity);

		if (n >= sizeof(hi)) {
			err = cw_error(CW_EINVALID, "entity id is too long");
			goto fail;
		}
		char lo[128];
		size_t i;

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
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, row_json(st, conf));
	cw_store_done(st);
	if (rc != SQLITE_DONE) {
		err = cw_store_error(db, rc);
		goto fail;
	}
	*out = list;
	return CW_OK;
fail:
	json_decref(list);
	return err;
}

int cw_audit_verify(cw_db *db, json_t **out)
{
	sqlite3_stmt *st = NULL;
	char prev[HASH_HEX], hash[HASH_HEX];
	long long expect = 1, n = 0;
	int rc, err;

	memcpy(prev, GENESIS, HASH_HEX);
	if ((err = cw_store_prepare(db, SQL_ALL, &st)) != CW_OK)
		return err;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		const char *why = NULL;

		if (seq != expect)
			why = seq > expect ? "an entry before it is missing" : "out of sequence";
		else if (strcmp(cw_store_col_text(st, 6), prev) != 0)
			why = "its link to the previous entry does not match";
		else if ((err = entry_hash(seq, cw_store_col_text(st, 1),
				cw_store_col_text(st, 2), cw_store_col_text(st, 3),
				sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : cw_store_col_text(st, 4),
				cw_store_col_text(st, 5), prev, hash)) != CW_OK) {
			cw_store_done(st);
			return err;
		} else if (strcmp(hash, cw_store_col_text(st, 7)) != 0)
			why = "its contents do not match its hash (edited)";
		if (why) {
			cw_store_done(st);
			*out = json_pack("{s:b,s:I,s:I,s:s}", "ok", 0, "entries", (json_int_t)n,
				"first_bad", (json_int_t)seq, "reason", why);
			return cw_error(CW_EREFUSED, "audit chain broken at entry %lld: %s", seq, why);
		}
		snprintf(prev, sizeof(prev), "%s", cw_store_col_text(st, 7));
		expect = seq + 1;
		n++;
	}
	cw_store_done(st);
	if (rc != SQLITE_DONE)
		return cw_store_error(db, rc);
	*out = json_pack("{s:b,s:I,s:s}", "ok", 1, "entries", (json_int_t)n,
		"last_hash", prev);
	return CW_OK;
}
