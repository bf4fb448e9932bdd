/*
 * Passwords and sessions (include/carewatch/auth.h). Secrets never reach
 * the database or the audit trail: passwords as argon2id strings, session
 * tokens as their SHA-256. Failed logins are rows of login_attempts, never
 * deleted: a success starts the name's count again.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "carewatch/auth.h"
#include "carewatch/audit.h"
#include "carewatch/buf.h"
#include "carewatch/error.h"
#include "store.h"
#include "fold.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 200
#define TOUCH_EVERY 60   /* seconds: at most one write per session a minute */

static const char SQL_USER[] = "SELECT id, name FROM users WHERE name_key = ?1 OR id = ?2";
static const char SQL_ACTIVE[] = "SELECT 1 FROM users WHERE id = ?1 AND deactivated IS NULL";
static const char SQL_HASH[] = "SELECT hash FROM credentials WHERE user_id = ?1";
static const char SQL_SET_HASH[] =
	"INSERT INTO credentials (user_id, hash, set_at) VALUES (?1, ?2, ?3)"
	" ON CONFLICT(user_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at";
static const char SQL_FAILURES[] =
	"SELECT count(*) FROM login_attempts WHERE key = ?1 AND ok = 0 AND at > ?2"
	" AND at > coalesce((SELECT max(at) FROM login_attempts WHERE key = ?1 AND ok = 1), 0)";
static const char SQL_ATTEMPT[] = "INSERT INTO login_attempts (key, at, ok) VALUES (?1, ?2, ?3)";
static const char SQL_SESSION_NEW[] =
	"INSERT INTO sessions (id, user_id, created, last_seen, addr) VALUES (?1, ?2, ?3, ?3, ?4)";
static const char SQL_SESSION[] =
	"SELECT u.name, s.created, s.last_seen, s.ended FROM sessions s"
	" JOIN users u ON u.id = s.user_id WHERE s.id = ?1 AND u.deactivated IS NULL";
static const char SQL_TOUCH[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1 AND ended IS NULL";
static const char SQL_END[] =
	"UPDATE sessions SET ended = ?2 WHERE id = ?1 AND ended IS NULL RETURNING user_id";

static const char SQL_CAL_DROP[] = "DELETE FROM calendar_tokens WHERE user_id = ?1";
static const char SQL_CAL_NEW[] =
	"INSERT INTO calendar_tokens (hash, user_id, set_at) VALUES (?1, ?2, ?3)";
static const char SQL_CAL_SET_AT[] =
	"SELECT t.set_at FROM calendar_tokens t JOIN users u ON u.id = t.user_id"
	" WHERE u.name_key = ?1";
static const char SQL_CAL_USER[] =
	"SELECT u.name FROM calendar_tokens t JOIN users u ON u.id = t.user_id"
	" WHERE t.hash = ?1 AND u.deactivated IS NULL";

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];
static bool sodium_ok;

/* A hash of a random password, verified against when the name is unknown
 * so that a login costs the same whether or not the user exists. */
static void init_once(void)
{
	unsigned char pw[16];

	if (sodium_init() < 0)
		return;
	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof(pw),
			crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return;
	sodium_ok = true;
}

static int ready(void)
{
	pthread_once(&once, init_once);
	return sodium_ok ? CW_OK : cw_error(CW_EINTERNAL, "libsodium could not start");
}

/* SHA-256 of `prefix` then `token`, in hex: what the database keeps. */
static void digest(const char *prefix, const char *token, char out[CW_AUTH_TOKEN_LEN])
{
	crypto_hash_sha256_state st;
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)prefix, strlen(prefix));
	crypto_hash_sha256_update(&st, (const unsigned char *)token, strlen(token));
	crypto_hash_sha256_final(&st, md);
	sodium_bin2hex(out, CW_AUTH_TOKEN_LEN, md, sizeof(md));
}

bool cw_auth_token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* The user named (or, with `by_id`, with exactly this id): id and stored name.
 * Logins go by name only, so the throttle's per-name count holds. */
static int find_user(cw_db *db, const char *name, bool by_id, char id[CW_ID_LEN],
	char *stored, size_t cap, bool *found)
{
	cw_stmt *st;
	int err;

	*found = false;
	if ((err = cw_store_prepare(db, SQL_USER, &st)) != CW_OK)
		return err;
	cw_store_bind_fold(st, 1, name);
	cw_store_bind_text(st, 2, by_id ? name : NULL);
	if ((err = cw_store_step(db, st)) == CW_ROW) {
		snprintf(id, CW_ID_LEN, "%s", cw_store_col_text(st, 0));
		snprintf(stored, cap, "%s", cw_store_col_text(st, 1));
		*found = true;
		err = CW_OK;
	}
	cw_store_done(st);
	return err;
}

/* A deactivated user cannot log in (their sessions ended with them). */
static int user_may_log_in(cw_db *db, const char *user_id, bool *out)
{
	cw_stmt *st;
	int err;

	*out = false;
	if ((err = cw_store_prepare(db, SQL_ACTIVE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, user_id);
	err = cw_store_step(db, st);
	*out = err == CW_ROW;
	cw_store_done(st);
	return err == CW_ROW ? CW_OK : err;
}

/* Check who may set `user`'s password and find them. */
static int password_target(cw_db *db, const char *user, char id[CW_ID_LEN], char *name,
	size_t cap)
{
	bool found;
	int err;

	if ((err = ready()) != CW_OK ||
	    (err = find_user(db, user ? user : "", true, id, name, cap, &found)) != CW_OK)
		return err;
	if (!found)
		return cw_error_at("user", CW_ENOTFOUND, "no user named '%s'", user ? user : "");
	if (cw_db_actor(db) && strcmp(cw_db_actor(db), name) == 0)
		return CW_OK;
	return cw_db_require(db, "user.write");
}

static int store_hash(cw_db *db, const char *id, const char *name, const char *hash)
{
	char today[CW_DATE_STRLEN];
	cw_stmt *st;
	int err;

	if ((err = cw_store_prepare(db, SQL_SET_HASH, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, hash);
	cw_store_bind_text(st, 3, cw_date_format(cw_db_today(db), today));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		return err;
	return cw_audit_append(db, "user.passwd", id, json_pack("{s:s}", "name", name));
}

int cw_auth_set_password(cw_db *db, const char *user, const char *password)
{
	char id[CW_ID_LEN], name[256], hash[crypto_pwhash_STRBYTES];
	size_t n = password ? strlen(password) : 0;
	int err;

	if ((err = password_target(db, user, id, name, sizeof(name))) != CW_OK)
		return err;
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		return cw_error_at("password", CW_EINVALID,
			"a password must be %d to %d characters long", PASSWORD_MIN, PASSWORD_MAX);
	if (crypto_pwhash_str(hash, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return cw_error(CW_EINTERNAL, "out of memory hashing the password");
	return store_hash(db, id, name, hash);
}

int cw_auth_set_password_hash(cw_db *db, const char *user, const char *hash)
{
	char id[CW_ID_LEN], name[256];
	int err;

	if ((err = password_target(db, user, id, name, sizeof(name))) != CW_OK)
		return err;
	if (!hash || strncmp(hash, "$argon2id$", 10) != 0 || strlen(hash) >= crypto_pwhash_STRBYTES)
		return cw_error_at("password", CW_EINVALID, "not an argon2id password hash");
	return store_hash(db, id, name, hash);
}

static int count_failures(cw_db *db, const char *key, long long since, long *out)
{
	cw_stmt *st;
	int err;

	if ((err = cw_store_prepare(db, SQL_FAILURES, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, key);
	cw_store_bind_int(st, 2, since);
	err = cw_store_step(db, st);
	*out = err == CW_ROW ? (long)cw_store_col_int(st, 0) : 0;
	cw_store_done(st);
	return err == CW_ROW ? CW_OK : err;
}

static int record_attempt(cw_db *db, const char *key, long long now, bool ok)
{
	cw_stmt *st;
	int err;

	if ((err = cw_store_prepare(db, SQL_ATTEMPT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, key);
	cw_store_bind_int(st, 2, now);
	cw_store_bind_int(st, 3, ok);
	return cw_store_exec_stmt(db, st);
}

static int new_session(cw_db *db, const char *user_id, const char *addr, long long now,
	cw_login *out)
{
	unsigned char raw[32];
	char id[CW_AUTH_TOKEN_LEN];
	cw_stmt *st;
	int err;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out->token, sizeof(out->token), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	digest("", out->token, id);
	digest("csrf:", out->token, out->csrf);
	if ((err = cw_store_prepare(db, SQL_SESSION_NEW, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, user_id);
	cw_store_bind_int(st, 3, now);
	cw_store_bind_text(st, 4, addr);
	return cw_store_exec_stmt(db, st);
}

int cw_auth_login(cw_db *db, const char *name, const char *password, const char *addr,
	long long now, cw_login *out)
{
	const cw_rules *r = cw_db_rules(db);
	long limit = cw_rules_int(r, "sessions.login_failures");
	long long window = (long long)cw_rules_int(r, "sessions.lockout_minutes") * 60;
	char id[CW_ID_LEN] = "", stored[256] = "", hash[crypto_pwhash_STRBYTES];
	cw_buf ukey = CW_BUF_INIT, akey = CW_BUF_INIT;
	char *folded = NULL;
	long ufail = 0, afail = 0;
	bool found = false, match, locked, active = false;
	cw_stmt *st;
	int err;

	memset(out, 0, sizeof(*out));
	out->result = CW_LOGIN_BAD;
	name = name ? name : "";
	password = password ? password : "";
	addr = addr && *addr ? addr : "unknown";
	if ((err = ready()) != CW_OK)
		return err;
	folded = cw_fold(name);
	cw_buf_printf(&ukey, "user:%s", folded ? folded : name);
	cw_buf_printf(&akey, "addr:%s", addr);
	if ((err = count_failures(db, ukey.ptr, now - window, &ufail)) != CW_OK ||
	    (err = count_failures(db, akey.ptr, now - window, &afail)) != CW_OK)
		goto done;
	locked = ufail >= limit || afail >= limit;
	memcpy(hash, dummy_hash, sizeof(hash));
	if (*name && strlen(name) < 256 &&
	    (err = find_user(db, name, false, id, stored, sizeof(stored), &found)) != CW_OK)
		goto done;
	if (found) {
		if ((err = cw_store_prepare(db, SQL_HASH, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, id);
		if (cw_store_step(db, st) == CW_ROW)
			snprintf(hash, sizeof(hash), "%s", cw_store_col_text(st, 0));
		else
			found = false;  /* no password set: nobody can log in as them */
		cw_store_done(st);
	}
	/* Always one verification, whatever the outcome will be. */
	match = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	if (locked) {
		out->result = CW_LOGIN_LOCKED;
		goto done;
	}
	if (found && match && (err = user_may_log_in(db, id, &active)) != CW_OK)
		goto done;
	if (found && match && active) {
		if ((err = record_attempt(db, ukey.ptr, now, true)) != CW_OK ||
		    (err = new_session(db, id, addr, now, out)) != CW_OK ||
		    (err = cw_db_set_actor(db, stored)) != CW_OK)
			goto done;
		err = cw_audit_append(db, "auth.login", id, json_pack("{s:s,s:s}",
			"name", stored, "address", addr));
		cw_db_clear_actor(db);
		if (err == CW_OK) {
			out->result = CW_LOGIN_OK;
			snprintf(out->user, sizeof(out->user), "%s", stored);
		}
		goto done;
	}
	if ((err = record_attempt(db, ukey.ptr, now, false)) != CW_OK ||
	    (err = record_attempt(db, akey.ptr, now, false)) != CW_OK ||
	    (err = cw_audit_append(db, "auth.failure", found ? id : NULL,
			json_pack("{s:s,s:s}", "name", name, "address", addr))) != CW_OK)
		goto done;
	if (ufail + 1 == limit || afail + 1 == limit) {
		out->result = CW_LOGIN_LOCKED;
		err = cw_audit_append(db, "auth.lockout", found ? id : NULL,
			json_pack("{s:s,s:s,s:s,s:I}", "name", name, "address", addr,
				"by", ufail + 1 == limit ? "name" : "address",
				"minutes", (json_int_t)(window / 60)));
	}
done:
	if (out->result != CW_LOGIN_OK) {
		sodium_memzero(out->token, sizeof(out->token));
		sodium_memzero(out->csrf, sizeof(out->csrf));
	}
	free(folded);
	cw_buf_free(&ukey);
	cw_buf_free(&akey);
	return err;
}

int cw_auth_session(cw_db *db, const char *token, long long now, cw_session *out)
{
	const cw_rules *r = cw_db_rules(db);
	long long idle = (long long)cw_rules_int(r, "sessions.idle_minutes") * 60;
	long long life = (long long)cw_rules_int(r, "sessions.max_hours") * 3600;
	char id[CW_AUTH_TOKEN_LEN];
	cw_stmt *st;
	int err;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != CW_AUTH_TOKEN_LEN - 1)
		return CW_OK;
	if ((err = ready()) != CW_OK)
		return err;
	digest("", token, id);
	if ((err = cw_store_prepare(db, SQL_SESSION, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if (cw_store_step(db, st) == CW_ROW) {
		long long created = cw_store_col_int(st, 1);
		long long seen = cw_store_col_int(st, 2);

		if (cw_store_col_is_null(st, 3) && now - seen <= idle &&
		    now - created <= life && now >= created) {
			out->valid = true;
			out->touch = now - seen >= TOUCH_EVERY;
			snprintf(out->user, sizeof(out->user), "%s", cw_store_col_text(st, 0));
			digest("csrf:", token, out->csrf);
		}
	}
	cw_store_done(st);
	return CW_OK;
}

int cw_auth_touch(cw_db *db, const char *token, long long now)
{
	char id[CW_AUTH_TOKEN_LEN];
	cw_stmt *st;
	int err;

	digest("", token, id);
	if ((err = cw_store_prepare(db, SQL_TOUCH, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_int(st, 2, now);
	return cw_store_exec_stmt(db, st);
}

int cw_auth_logout(cw_db *db, const char *token, long long now)
{
	char id[CW_AUTH_TOKEN_LEN], user[CW_ID_LEN] = "";
	cw_stmt *st;
	int rc, err;

	if (!token || strlen(token) != CW_AUTH_TOKEN_LEN - 1)
		return CW_OK;
	if ((err = ready()) != CW_OK)
		return err;
	digest("", token, id);
	if ((err = cw_store_prepare(db, SQL_END, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_int(st, 2, now);
	rc = cw_store_step(db, st);
	if (rc == CW_ROW)
		snprintf(user, sizeof(user), "%s", cw_store_col_text(st, 0));
	while (rc == CW_ROW)
		rc = cw_store_step(db, st);
	cw_store_done(st);
	if (rc != CW_OK)
		return rc;
	if (!*user)
		return CW_OK;
	return cw_audit_append(db, "auth.logout", user, NULL);
}

/* ---- the calendar feed's secret address ---- */

int cw_auth_calendar_reset(cw_db *db, char token[CW_AUTH_TOKEN_LEN])
{
	char id[CW_ID_LEN], name[256], hash[CW_AUTH_TOKEN_LEN], today[CW_DATE_STRLEN];
	unsigned char raw[32];
	cw_stmt *st;
	bool found;
	int err;

	token[0] = '\0';
	if ((err = ready()) != CW_OK)
		return err;
	if (!cw_db_actor(db))
		return cw_error(CW_EFORBIDDEN, "sign in first: a calendar address is a user's own");
	if ((err = find_user(db, cw_db_actor(db), false, id, name, sizeof(name), &found)) != CW_OK)
		return err;
	if (!found)
		return cw_error(CW_ENOTFOUND, "no user named '%s'", cw_db_actor(db));
	if ((err = cw_store_prepare(db, SQL_CAL_DROP, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		return err;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, CW_AUTH_TOKEN_LEN, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	digest("calendar:", token, hash);
	if ((err = cw_store_prepare(db, SQL_CAL_NEW, &st)) != CW_OK)
		goto fail;
	cw_store_bind_text(st, 1, hash);
	cw_store_bind_text(st, 2, id);
	cw_store_bind_text(st, 3, cw_date_format(cw_db_today(db), today));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_audit_append(db, "user.calendar_reset", id,
			json_pack("{s:s}", "name", name))) != CW_OK)
		goto fail;
	return CW_OK;
fail:
	sodium_memzero(token, CW_AUTH_TOKEN_LEN);
	return err;
}

int cw_auth_calendar_since(cw_db *db, char since[CW_DATE_STRLEN])
{
	cw_stmt *st;
	int err;

	since[0] = '\0';
	if (!cw_db_actor(db))
		return CW_OK;
	if ((err = cw_store_prepare(db, SQL_CAL_SET_AT, &st)) != CW_OK)
		return err;
	cw_store_bind_fold(st, 1, cw_db_actor(db));
	if ((err = cw_store_step(db, st)) == CW_ROW)
		snprintf(since, CW_DATE_STRLEN, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return err == CW_ROW ? CW_OK : err;
}

int cw_auth_calendar_user(cw_db *db, const char *token, char user[256])
{
	char hash[CW_AUTH_TOKEN_LEN];
	cw_stmt *st;
	int err;

	user[0] = '\0';
	if (!token || strlen(token) != CW_AUTH_TOKEN_LEN - 1 ||
	    strspn(token, "0123456789abcdef") != CW_AUTH_TOKEN_LEN - 1)
		return CW_OK;
	if ((err = ready()) != CW_OK)
		return err;
	digest("calendar:", token, hash);
	if ((err = cw_store_prepare(db, SQL_CAL_USER, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, hash);
	if ((err = cw_store_step(db, st)) == CW_ROW)
		snprintf(user, 256, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	return err == CW_ROW ? CW_OK : err;
}
