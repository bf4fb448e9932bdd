#ifndef CW_WEB_H
#define CW_WEB_H
/*
 * carewatch serve: the browser front door (SPEC §12). cw_web_handle() is
 * the whole application as a pure function of a request, so tests call it
 * without a socket; web/server.c adapts libmicrohttpd to it. Pages are
 * server-rendered GOV.UK Frontend HTML; every data page also answers
 * `Accept: application/json` with the engine's own objects.
 */
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "carewatch/buf.h"
#include "carewatch/db.h"
#include "carewatch/rules.h"

typedef struct cw_web_app cw_web_app;

typedef struct {
	char *name;
	char *value;
} cw_web_pair;

typedef struct {
	const char *method;        /* "GET", "POST" */
	const char *path;          /* without the query string */
	const char *query;         /* after '?', still percent-encoded, or NULL */
	const char *cookie;        /* the Cookie header, or NULL */
	const char *accept;        /* the Accept header, or NULL */
	const char *addr;          /* the client's address, for the login throttle */
	bool tls;                  /* served over TLS: cookies are Secure */
	const cw_web_pair *form;   /* POST fields (an upload's content as its value) */
	size_t nform;
	long long now;             /* Unix seconds; 0: the clock */
} cw_web_request;

#define CW_WEB_MAX_HEADERS 12

typedef struct {
	int status;
	cw_web_pair headers[CW_WEB_MAX_HEADERS];
	size_t nheaders;
	cw_buf body;
	char user[256];            /* who made the request, for the log ("" if nobody) */
} cw_web_response;

/*
 * The application: the database path, and a database handle per thread
 * opened on first use, each under the rules pinned in the database.
 */
int cw_web_app_new(cw_web_app **out, const char *dbpath);
void cw_web_app_free(cw_web_app *app);


/* Answer one request. The response must be released with cw_web_response_free. */
void cw_web_handle(cw_web_app *app, const cw_web_request *req, cw_web_response *resp);
void cw_web_response_free(cw_web_response *resp);
const char *cw_web_header(const cw_web_response *resp, const char *name);

/* Serve until SIGINT/SIGTERM (web/server.c). */
typedef struct {
	const char *listen;        /* "ADDR:PORT"; NULL: 127.0.0.1:8080 */
	const char *tls_cert, *tls_key;
	unsigned threads;          /* 0: 4 */
} cw_web_serve_opts;
int cw_web_serve(const char *dbpath, const cw_web_serve_opts *o);

#endif
