#ifndef CW_AUTH_H
#define CW_AUTH_H
/*
 * Passwords and web sessions (SPEC §12). Passwords are kept only as
 * argon2id strings (libsodium crypto_pwhash_str); a session is a random
 * 256-bit token the browser holds, of which the database keeps only the
 * SHA-256. Idle and absolute lifetimes and the login throttle come from
 * the rules ("sessions.*"). Times are Unix seconds passed in by the caller,
 * so tests can move the clock.
 */
#include <stdbool.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/date.h"

#define CW_AUTH_TOKEN_LEN 65   /* 64 hex digits and the NUL */

/* Set `user`'s password. The actor must be that user or hold "user.write".
 * CW_EINVALID for a password shorter than 10 characters or longer than 200. */
int cw_auth_set_password(cw_db *db, const char *user, const char *password);

/* The same with an argon2id string made elsewhere: the demo area's
 * published password, hashed once rather than at every demo. */
int cw_auth_set_password_hash(cw_db *db, const char *user, const char *hash);

typedef enum {
	CW_LOGIN_OK = 0,
	CW_LOGIN_BAD,       /* unknown user, wrong password or no password set */
	CW_LOGIN_LOCKED     /* too many failures for that name or address */
} cw_login_result;

typedef struct {
	cw_login_result result;
	char user[256];                      /* the user's name as stored (OK only) */
	char token[CW_AUTH_TOKEN_LEN];       /* the new session's token (OK only) */
	char csrf[CW_AUTH_TOKEN_LEN];        /* its CSRF token (OK only) */
} cw_login;

/*
 * Try a login from address `addr`. Returns CW_OK whatever the answer (the
 * failure and any lockout are recorded, so the caller must commit) and
 * says in out->result how it went; costs one argon2id verification in
 * every case, so timing does not tell whether the name exists. Audited:
 * auth.login, auth.failure, auth.lockout. Run in a write unit.
 */
int cw_auth_login(cw_db *db, const char *name, const char *password, const char *addr,
	long long now, cw_login *out);

typedef struct {
	bool valid;
	char user[256];
	char csrf[CW_AUTH_TOKEN_LEN];
	bool touch;   /* the last-seen time is stale: call cw_auth_touch in a write unit */
} cw_session;

/* Look a token up: valid when it names a live session within both
 * timeouts. Read-only. */
int cw_auth_session(cw_db *db, const char *token, long long now, cw_session *out);
/* Record activity on a session (the idle timeout restarts). */
int cw_auth_touch(cw_db *db, const char *token, long long now);
/* End a session server-side (auth.logout); an unknown token is CW_OK. */
int cw_auth_logout(cw_db *db, const char *token, long long now);

/*
 * The actor's secret calendar feed address (SPEC §13): a new random 256-bit
 * token (64 hex digits, in `token`) of which only the SHA-256 is kept; any
 * earlier one stops working. Audited (user.calendar_reset), never the token.
 * Run in a write unit with the user as the actor.
 */
int cw_auth_calendar_reset(cw_db *db, char token[CW_AUTH_TOKEN_LEN]);
/* The date the actor's feed address was made ("" when they have none). */
int cw_auth_calendar_since(cw_db *db, char since[CW_DATE_STRLEN]);
/* The active user whose feed `token` opens, in `user` ("" when none). Read-only. */
int cw_auth_calendar_user(cw_db *db, const char *token, char user[256]);

/* Constant-time comparison of two NUL-terminated tokens. */
bool cw_auth_token_equal(const char *a, const char *b);

#endif
