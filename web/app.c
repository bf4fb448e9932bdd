/*
 * The web application as one function of a request (web.h): security
 * headers, static files, login and sessions, CSRF, routing, and each page
 * run as one engine transaction as the session's user with today's date.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "carewatch/auth.h"
#include "carewatch/commissioner.h"
#include "carewatch/calendar.h"
#include "web_internal.h"
#include "embedded.h"

extern const cw_embedded cw_web_govuk_files[];
extern const cw_embedded cw_web_own_files[];

#define COOKIE "cw_session"

struct handle {
	cw_db *db;
	struct handle *next;
};

struct cw_web_app {
	char *dbpath;
	pthread_key_t key;
	pthread_mutex_t lock;
	struct handle *handles;   /* every handle opened, closed with the app */
};

int cw_web_app_new(cw_web_app **out, const char *dbpath)
{
	cw_web_app *app = cw_calloc(1, sizeof(*app));

	app->dbpath = cw_strdup(dbpath);
	if (pthread_key_create(&app->key, NULL) != 0) {
		free(app->dbpath);
		free(app);
		return cw_error(CW_EINTERNAL, "cannot create a thread key");
	}
	pthread_mutex_init(&app->lock, NULL);
	*out = app;
	return CW_OK;
}

void cw_web_app_free(cw_web_app *app)
{
	struct handle *h, *next;

	if (!app)
		return;
	for (h = app->handles; h; h = next) {
		next = h->next;
		cw_db_close(h->db);
		free(h);
	}
	pthread_key_delete(app->key);
	pthread_mutex_destroy(&app->lock);
	free(app->dbpath);
	free(app);
}

/* One database handle per worker thread, opened on its first request. */
static int thread_db(cw_web_app *app, cw_db **out)
{
	struct handle *h = pthread_getspecific(app->key);
	int err;

	if (h) {
		*out = h->db;
		return CW_OK;
	}
	h = cw_calloc(1, sizeof(*h));
	/* The rules in force are the database's own, read once per handle. */
	if ((err = cw_db_open(&h->db, app->dbpath, NULL, cw_date_today_utc(), false)) != CW_OK ||
	    (err = cw_db_rules_load(h->db, NULL, 0)) != CW_OK) {
		cw_db_close(h->db);
		free(h);
		return err;
	}
	pthread_setspecific(app->key, h);
	pthread_mutex_lock(&app->lock);
	h->next = app->handles;
	app->handles = h;
	pthread_mutex_unlock(&app->lock);
	*out = h->db;
	return CW_OK;
}

/* ---- responses ---- */

void cw_resp_header(cw_web_response *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0) {
			free(r->headers[i].value);
			r->headers[i].value = cw_strdup(value);
			return;
		}
	if (r->nheaders < CW_WEB_MAX_HEADERS) {
		r->headers[r->nheaders].name = cw_strdup(name);
		r->headers[r->nheaders].value = cw_strdup(value);
		r->nheaders++;
	}
}

const char *cw_web_header(const cw_web_response *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

void cw_web_response_free(cw_web_response *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
	cw_buf_free(&r->body);
}

int cw_status_http(int err)
{
	switch (err) {
	case CW_OK: return 200;
	case CW_EINVALID: return 400;
	case CW_ENOTFOUND: return 404;
	case CW_EREFUSED: return 409;
	case CW_EFORBIDDEN: return 403;
	default: return 500;
	}
}

void cw_redirect(cw_ctx *c, const char *location)
{
	c->resp->status = 303;
	cw_resp_header(c->resp, "Location", location);
	cw_buf_clear(&c->resp->body);
	c->rendered = true;
}

int cw_post_done(cw_ctx *c, json_t *out, int json_status, const char *prefix,
	const char *id_key)
{
	cw_buf loc = CW_BUF_INIT;

	if (c->json) {
		cw_send_json(c, json_status, out);
		return CW_OK;
	}
	cw_buf_printf(&loc, "%s%s", prefix, cw_js(out, id_key));
	json_decref(out);
	cw_redirect(c, cw_buf_cstr(&loc));
	cw_buf_free(&loc);
	return CW_OK;
}

void cw_send_json(cw_ctx *c, int status, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	c->resp->status = status;
	cw_resp_header(c->resp, "Content-Type", "application/json; charset=utf-8");
	cw_buf_clear(&c->resp->body);
	cw_buf_puts(&c->resp->body, text ? text : "null");
	cw_buf_putc(&c->resp->body, '\n');
	free(text);
	json_decref(j);
	c->rendered = true;
}

void cw_send_text(cw_ctx *c, const char *type, const char *filename, const char *text)
{
	c->resp->status = 200;
	cw_resp_header(c->resp, "Content-Type", type);
	if (filename) {
		char disp[300];

		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
		cw_resp_header(c->resp, "Content-Disposition", disp);
	}
	cw_buf_clear(&c->resp->body);
	cw_buf_puts(&c->resp->body, text);
	c->rendered = true;
}

/*
 * Until every engine check names its field (cw_error_at), find the form's
 * field the message is about: the engine's checks start with the field's
 * name ("summary is empty", "likelihood 9 is out of range") or end with
 * "is not a valid <field>". Date inputs are name-day/-month/-year.
 */
static char *guess_field(const cw_ctx *c, const char *msg)
{
	const char *best = NULL;
	size_t i, bestlen = 0;

	for (i = 0; i < c->req->nform; i++) {
		char key[64], pat[80];
		const char *k = c->req->form[i].name, *dash = strrchr(k, '-');
		size_t n = dash && (strcmp(dash, "-day") == 0 || strcmp(dash, "-month") == 0 ||
			strcmp(dash, "-year") == 0) ? (size_t)(dash - k) : strlen(k);

		if (n == 0 || n >= sizeof(key) || strcmp(k, "csrf") == 0)
			continue;
		memcpy(key, k, n);
		key[n] = '\0';
		snprintf(pat, sizeof(pat), "valid %s", key);
		if (((strncmp(msg, key, n) == 0 && (msg[n] == ' ' || msg[n] == ':')) || strstr(msg, pat)) &&
		    n > bestlen) {
			best = k;
			bestlen = n;
		}
	}
	if (!best)
		return cw_strdup("");
	{
		char *f = cw_malloc(bestlen + 1);

		memcpy(f, best, bestlen);
		f[bestlen] = '\0';
		return f;
	}
}

int cw_ctx_fail(cw_ctx *c, int err)
{
	size_t i, n = cw_error_unmet_count();

	free(c->err_msg);
	free(c->err_field);
	for (i = 0; i < c->nunmet; i++)
		free(c->unmet[i]);
	c->err = err;
	c->err_msg = cw_strdup(cw_errmsg());
	c->err_field = *cw_error_field() ? cw_strdup(cw_error_field()) : guess_field(c, c->err_msg);
	for (c->nunmet = 0; c->nunmet < n && c->nunmet < CW_WEB_MAX_UNMET; c->nunmet++)
		c->unmet[c->nunmet] = cw_strdup(cw_error_unmet_at(c->nunmet));
	return err;
}

void cw_ctx_field(cw_ctx *c, const char *name)
{
	free(c->err_field);
	c->err_field = cw_strdup(name);
}

int cw_form_again(cw_ctx *c, int err, bool again, cw_page_fn page)
{
	if (!c->json && again && page(c) != CW_OK)
		c->rendered = false;
	return err;
}

static json_t *error_json(const cw_ctx *c)
{
	json_t *e = json_pack("{s:s,s:s}", "code", cw_status_name(c->err),
		"message", c->err_msg ? c->err_msg : "");
	size_t i;

	if (c->err_field && *c->err_field)
		json_object_set_new(e, "field", json_string(c->err_field));
	if (c->nunmet) {
		json_t *u = json_array();

		for (i = 0; i < c->nunmet; i++)
			json_array_append_new(u, json_string(c->unmet[i]));
		json_object_set_new(e, "unmet", u);
	}
	return json_pack("{s:o}", "error", e);
}

/* A failure nobody rendered: a page saying what went wrong, or its JSON. */
static void error_page(cw_ctx *c, int status, const char *title)
{
	if (c->json) {
		cw_send_json(c, status, error_json(c));
		return;
	}
	cw_buf_clear(&c->resp->body);
	cw_page_start(c, title);
	cw_html(c, "<h1 class=\"govuk-heading-l\">");
	cw_text(c, title);
	cw_html(c, "</h1>");
	if (c->nunmet || (c->err_msg && *c->err_msg))
		cw_error_summary(c);
	cw_html(c, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">Back to the watch list</a></p>");
	cw_page_end(c);
	c->resp->status = status;
	c->rendered = true;
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "There is a problem";
	case 403: return "You cannot do that";
	case 404: return "Page not found";
	case 409: return "Refused by a rule";
	default: return "Sorry, there is a problem with the service";
	}
}

/* ---- request data ---- */

static const char *pair_get(const cw_web_pair *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return p[i].value;
	return NULL;
}

const char *cw_form(const cw_ctx *c, const char *name)
{
	return pair_get(c->req->form, c->req->nform, name);
}

const char *cw_form_or(const cw_ctx *c, const char *name, const char *def)
{
	const char *v = cw_form(c, name);

	return v ? v : def;
}

size_t cw_form_all(const cw_ctx *c, const char *name, const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < c->req->nform && n < max; i++)
		if (strcmp(c->req->form[i].name, name) == 0)
			out[n++] = c->req->form[i].value;
	return n;
}

const char *cw_query(const cw_ctx *c, const char *name)
{
	return pair_get(c->query, c->nquery, name);
}

bool cw_may(const cw_ctx *c, const char *perm)
{
	return cw_db_may(c->db, perm);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Percent-decode `n` bytes; false for a bad escape or a NUL byte. */
static bool url_decode(const char *s, size_t n, bool plus, char **out)
{
	char *d = cw_malloc(n + 1), *p = d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			*p++ = (char)(hi * 16 + lo);
			i += 2;
			continue;
		}
		*p++ = plus && s[i] == '+' ? ' ' : s[i];
	}
	*p = '\0';
	*out = d;
	return true;
bad:
	free(d);
	return false;
}

static void parse_query(cw_ctx *c, const char *q)
{
	while (q && *q) {
		const char *amp = strchr(q, '&'), *eq;
		size_t n = amp ? (size_t)(amp - q) : strlen(q);
		char *name = NULL, *value = NULL;

		eq = memchr(q, '=', n);
		if (eq && url_decode(q, (size_t)(eq - q), true, &name) &&
		    url_decode(eq + 1, n - (size_t)(eq - q) - 1, true, &value)) {
			c->query = cw_reallocarray(c->query, c->nquery + 1, sizeof(*c->query));
			c->query[c->nquery].name = name;
			c->query[c->nquery].value = value;
			c->nquery++;
		} else {
			free(name);
		}
		q = amp ? amp + 1 : NULL;
	}
}

/* Split the path into decoded segments; false for anything odd ("..", NUL, too deep). */
static bool split_path(cw_ctx *c, const char *path)
{
	const char *p = path;

	if (!path || *path != '/')
		return false;
	while (*p) {
		const char *slash;
		size_t n;
		char *seg;

		p++;
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 && !slash)
			break;
		if (c->nseg == CW_WEB_MAX_SEG || !url_decode(p, n, false, &seg))
			return false;
		c->seg[c->nseg++] = seg;
		if (strcmp(seg, "..") == 0 || strcmp(seg, ".") == 0 || strchr(seg, '/') ||
		    strchr(seg, '\\'))
			return false;
		p += n;
	}
	return true;
}

/* ---- security headers, static files ---- */

static void security_headers(cw_web_response *r)
{
	cw_resp_header(r, "Content-Security-Policy",
		"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
		" font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
		" frame-ancestors 'none'");
	cw_resp_header(r, "X-Content-Type-Options", "nosniff");
	cw_resp_header(r, "X-Frame-Options", "DENY");
	cw_resp_header(r, "Referrer-Policy", "same-origin");
	cw_resp_header(r, "Cache-Control", "no-store");
}

static const char *mime(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".ico") == 0)
		return "image/x-icon";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	return "application/octet-stream";
}

static const cw_embedded *find_static(const cw_embedded *table, const char *path)
{
	for (; table->path; table++)
		if (strcmp(table->path, path) == 0)
			return table;
	return NULL;
}

/* /static/NAME (ours, then GOV.UK's) and /assets/... (GOV.UK's own URLs). */
static bool serve_static(cw_ctx *c)
{
	const cw_embedded *f = NULL;
	cw_buf rel = CW_BUF_INIT;
	size_t i;

	if (c->nseg == 1 && strcmp(c->seg[0], "favicon.ico") == 0)
		f = find_static(cw_web_govuk_files, "assets/images/favicon.ico");
	else if (c->nseg < 2 || (strcmp(c->seg[0], "static") != 0 && strcmp(c->seg[0], "assets") != 0))
		return false;
	if (strcmp(c->seg[0], "assets") == 0)
		cw_buf_puts(&rel, "assets");
	for (i = 1; i < c->nseg; i++)
		cw_buf_printf(&rel, "%s%s", rel.len ? "/" : "", c->seg[i]);
	if (!f && strcmp(c->seg[0], "static") == 0)
		f = find_static(cw_web_own_files, rel.ptr);
	if (!f && rel.ptr)
		f = find_static(cw_web_govuk_files, rel.ptr);
	if (!f || strcmp(c->req->method, "GET") != 0) {
		c->resp->status = 404;
		cw_resp_header(c->resp, "Content-Type", "text/plain; charset=utf-8");
		cw_buf_puts(&c->resp->body, "Not found\n");
	} else {
		c->resp->status = 200;
		cw_resp_header(c->resp, "Content-Type", mime(f->path));
		cw_resp_header(c->resp, "Cache-Control", "public, max-age=3600");
		cw_buf_put(&c->resp->body, f->data, f->len);
	}
	cw_buf_free(&rel);
	return true;
}

/* ---- login and sessions ---- */

static char *cookie_value(const char *header, const char *name)
{
	size_t n = strlen(name);
	const char *p = header;

	while (p && *p) {
		const char *end;

		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			size_t len = end ? (size_t)(end - p - n - 1) : strlen(p + n + 1);
			char *v = cw_malloc(len + 1);

			memcpy(v, p + n + 1, len);
			v[len] = '\0';
			return v;
		}
		p = end;
	}
	return NULL;
}

static void set_cookie(cw_ctx *c, const char *token, bool clear)
{
	char v[256];

	snprintf(v, sizeof(v), COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
		clear ? "" : token, c->req->tls ? "; Secure" : "",
		clear ? "; Max-Age=0" : "");
	cw_resp_header(c->resp, "Set-Cookie", v);
}

static void login_form(cw_ctx *c, const char *name)
{
	cw_page_start(c, "Sign in");
	if (c->err)
		cw_error_summary(c);
	cw_html(c, "<h1 class=\"govuk-heading-l\">Sign in to carewatch</h1>"
		"<form method=\"post\" action=\"/login\" novalidate>");
	cw_field_text(c, "name", "User name", NULL, name, "text");
	cw_field_text(c, "password", "Password", NULL, NULL, "password");
	cw_html(c, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
		"Sign in</button></form>");
	cw_page_end(c);
	c->rendered = true;
}

struct login_call {
	cw_ctx *c;
	cw_login result;
};

static int login_unit(cw_db *db, void *arg)
{
	struct login_call *l = arg;

	return cw_auth_login(db, cw_form(l->c, "name"), cw_form(l->c, "password"),
		l->c->req->addr, l->c->req->now, &l->result);
}

static void do_login(cw_ctx *c)
{
	struct login_call l = { c, { 0 } };
	int err = cw_db_run(c->db, true, login_unit, &l);

	if (err != CW_OK) {
		cw_ctx_fail(c, err);
		error_page(c, 500, status_title(500));
		return;
	}
	if (l.result.result == CW_LOGIN_OK) {
		snprintf(c->resp->user, sizeof(c->resp->user), "%s", l.result.user);
		set_cookie(c, l.result.token, false);
		if (c->json)
			cw_send_json(c, 200, json_pack("{s:s,s:s}", "user", l.result.user,
				"csrf", l.result.csrf));
		else
			cw_redirect(c, "/");
		memset(&l.result, 0, sizeof(l.result));
		return;
	}
	cw_error_clear();
	cw_ctx_fail(c, cw_error_at("name", l.result.result == CW_LOGIN_LOCKED ? CW_EFORBIDDEN
		: CW_EINVALID, l.result.result == CW_LOGIN_LOCKED
		? "Too many failed sign-ins: this account or address is locked for a while. Try again later or ask an administrator."
		: "The user name or password is not right"));
	if (c->json) {
		cw_send_json(c, l.result.result == CW_LOGIN_LOCKED ? 429 : 401, error_json(c));
		return;
	}
	login_form(c, cw_form(c, "name"));
	c->resp->status = l.result.result == CW_LOGIN_LOCKED ? 429 : 401;
}

struct session_call {
	const char *token;
	long long now;
	cw_session s;
};

static int session_unit(cw_db *db, void *arg)
{
	struct session_call *s = arg;

	return cw_auth_session(db, s->token, s->now, &s->s);
}

static int touch_unit(cw_db *db, void *arg)
{
	struct session_call *s = arg;

	return cw_auth_touch(db, s->token, s->now);
}

static int logout_unit(cw_db *db, void *arg)
{
	struct session_call *s = arg;

	return cw_auth_logout(db, s->token, s->now);
}

/* ---- the calendar feed: its secret address instead of a session ---- */

struct feed_call {
	const char *token;
	char user[256];
	int days;
	char *text;
};

static int feed_user_unit(cw_db *db, void *arg)
{
	struct feed_call *f = arg;

	return cw_auth_calendar_user(db, f->token, f->user);
}

static int feed_unit(cw_db *db, void *arg)
{
	struct feed_call *f = arg;

	return cw_calendar_feed(db, NULL, f->days, &f->text);
}

/* GET /calendar/<token>.ics: the feed as its owner sees it (their
 * redaction), for a calendar that cannot sign in. An unknown, reset or
 * deactivated user's address is simply not found. */
static void calendar_feed(cw_ctx *c)
{
	struct feed_call f = { .days = 90 };
	const char *seg = c->seg[1], *days = cw_query(c, "days");
	size_t n = strlen(seg);
	char token[CW_AUTH_TOKEN_LEN] = "";
	int err;

	if (n == CW_AUTH_TOKEN_LEN - 1 + 4 && strcmp(seg + n - 4, ".ics") == 0) {
		memcpy(token, seg, CW_AUTH_TOKEN_LEN - 1);
		token[CW_AUTH_TOKEN_LEN - 1] = '\0';
	}
	if (days) {
		char *end;
		long v = strtol(days, &end, 10);

		f.days = *days && !*end && v >= 1 && v <= 366 ? (int)v : 0;
	}
	f.token = token;
	if ((err = cw_db_run(c->db, false, feed_user_unit, &f)) == CW_OK && !f.user[0])
		err = cw_error(CW_ENOTFOUND, "there is no calendar at this address");
	if (err == CW_OK)
		err = cw_db_run_as(c->db, f.user, false, feed_unit, &f);
	if (err != CW_OK) {
		cw_send_text(c, "text/plain; charset=utf-8", NULL, cw_errmsg());
		c->resp->status = cw_status_http(err);
		free(f.text);
		return;
	}
	snprintf(c->resp->user, sizeof(c->resp->user), "%s", f.user);
	cw_send_text(c, "text/calendar; charset=utf-8", NULL, f.text);
	free(f.text);
}

/* ---- routing ---- */

struct route {
	const char *method;
	const char *pattern;   /* "/cases/ * /do/ *" with '*' for one segment */
	cw_page_fn fn;
};

static const struct route routes[] = {
	{ "GET", "/", cw_page_home },
	{ "GET", "/watchlist.csv", cw_page_watchlist_csv },
	{ "GET", "/agenda.md", cw_page_agenda_md },
	{ "GET", "/providers", cw_page_providers },
	{ "POST", "/providers", cw_page_provider_add },
	{ "GET", "/providers/*", cw_page_provider },
	{ "GET", "/providers/*/concerns/new", cw_page_concern_new },
	{ "POST", "/providers/*/case", cw_page_case_open },
	{ "POST", "/providers/*/placement", cw_page_placement },
	{ "POST", "/concerns", cw_page_concern_log },
	{ "POST", "/concerns/positive", cw_page_positive },
	{ "GET", "/concerns/*", cw_page_concern },
	{ "POST", "/concerns/*/rate", cw_page_concern_rate },
	{ "POST", "/concerns/*/resolve", cw_page_concern_resolve },
	{ "GET", "/cases", cw_page_cases },
	{ "GET", "/cases/*", cw_page_case },
	{ "GET", "/cases/*/do/*", cw_page_case_form },
	{ "POST", "/cases/*/do/*", cw_page_case_act },
	{ "GET", "/cases/*/meetings/new", cw_page_meeting_new },
	{ "POST", "/cases/*/meetings", cw_page_meeting_record },
	{ "GET", "/cases/*/actions/new", cw_page_action_new },
	{ "POST", "/cases/*/actions", cw_page_action_add },
	{ "GET", "/cases/*/documents/*", cw_page_document },
	{ "GET", "/cases/*/letters/*", cw_page_letter },
	{ "POST", "/actions/*/extend", cw_page_action_extend },
	{ "POST", "/actions/*/progress", cw_page_action_progress },
	{ "GET", "/tasks", cw_page_tasks },
	{ "POST", "/tasks/*/done", cw_page_task_done },
	{ "GET", "/qa", cw_page_qa },
	{ "POST", "/qa", cw_page_qa_record },
	{ "GET", "/account", cw_page_account },
	{ "POST", "/account/password", cw_page_account_password },
	{ "POST", "/account/calendar", cw_page_account_calendar },
	{ "GET", "/admin", cw_page_admin },
	{ "GET", "/admin/users", cw_page_admin_users },
	{ "POST", "/admin/users", cw_page_admin_user_add },
	{ "GET", "/admin/users/*", cw_page_admin_user },
	{ "POST", "/admin/users/*/password", cw_page_admin_user_password },
	{ "POST", "/admin/users/*/roles", cw_page_admin_user_roles },
	{ "POST", "/admin/users/*/deactivate", cw_page_admin_user_deactivate },
	{ "GET", "/admin/commissioners", cw_page_admin_commissioners },
	{ "POST", "/admin/commissioners", cw_page_admin_commissioner_add },
	{ "POST", "/admin/import", cw_page_admin_import },
	{ "GET", "/admin/export/*", cw_page_admin_export },
	{ "GET", "/admin/audit", cw_page_admin_audit },
	{ "POST", "/admin/audit/verify", cw_page_admin_verify },
	{ "GET", "/admin/rules", cw_page_admin_rules },
	{ NULL, NULL, NULL }
};

static bool route_match(const cw_ctx *c, const char *pattern)
{
	const char *p = pattern + 1;
	size_t i = 0;

	if (strcmp(pattern, "/") == 0)
		return c->nseg == 0;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (i >= c->nseg)
			return false;
		if (!(n == 1 && *p == '*') && (strlen(c->seg[i]) != n || strncmp(c->seg[i], p, n) != 0))
			return false;
		i++;
		p += n;
		if (*p == '/')
			p++;
	}
	return i == c->nseg;
}

static int page_unit(cw_db *db, void *arg)
{
	cw_ctx *c = arg;
	const struct route *r;

	(void)db;
	for (r = routes; r->fn; r++)
		if (strcmp(r->method, c->req->method) == 0 && route_match(c, r->pattern))
			return r->fn(c);
	return cw_error(CW_ENOTFOUND, "there is no page at this address");
}

static bool path_known(const cw_ctx *c)
{
	const struct route *r;

	for (r = routes; r->fn; r++)
		if (route_match(c, r->pattern))
			return true;
	return strcmp(c->req->path, "/login") == 0 || strcmp(c->req->path, "/logout") == 0;
}

static bool wants_json(const char *accept)
{
	return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

static void finish(cw_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nseg; i++)
		free(c->seg[i]);
	for (i = 0; i < c->nquery; i++) {
		free(c->query[i].name);
		free(c->query[i].value);
	}
	free(c->query);
	free(c->err_msg);
	free(c->err_field);
	for (i = 0; i < c->nunmet; i++)
		free(c->unmet[i]);
}

void cw_web_handle(cw_web_app *app, const cw_web_request *req, cw_web_response *resp)
{
	cw_web_request r = *req;
	cw_ctx c = { 0 };
	struct session_call s = { 0 };
	char *token = NULL;
	bool post, write;
	int err;

	memset(resp, 0, sizeof(*resp));
	if (!r.now)
		r.now = (long long)time(NULL);
	c.app = app;
	c.req = &r;
	c.resp = resp;
	c.json = wants_json(r.accept);
	security_headers(resp);
	cw_resp_header(resp, "Content-Type", "text/html; charset=utf-8");
	cw_error_clear();
	post = strcmp(r.method, "POST") == 0;
	if (!post && strcmp(r.method, "GET") != 0) {
		cw_ctx_fail(&c, cw_error(CW_EINVALID, "method not allowed"));
		resp->status = 405;
		cw_resp_header(resp, "Allow", "GET, POST");
		goto done;
	}
	if (!split_path(&c, r.path)) {
		cw_ctx_fail(&c, cw_error(CW_ENOTFOUND, "there is no page at this address"));
		resp->status = 404;
		cw_resp_header(resp, "Content-Type", "text/plain; charset=utf-8");
		cw_buf_puts(&resp->body, "Not found\n");
		goto done;
	}
	if (serve_static(&c))
		goto done;
	parse_query(&c, r.query);
	if ((err = thread_db(app, &c.db)) != CW_OK) {
		cw_ctx_fail(&c, err);
		error_page(&c, 500, status_title(500));
		goto done;
	}
	/* The web always uses the clock: a server running past midnight moves on. */
	cw_db_set_today(c.db, cw_date_today_utc());
	if (!post && c.nseg == 2 && strcmp(c.seg[0], "calendar") == 0) {
		calendar_feed(&c);
		goto done;
	}
	if (strcmp(r.path, "/login") == 0) {
		if (post)
			do_login(&c);
		else
			login_form(&c, NULL);
		goto done;
	}
	token = cookie_value(r.cookie, COOKIE);
	s.token = token;
	s.now = r.now;
	if ((err = cw_db_run(c.db, false, session_unit, &s)) != CW_OK) {
		cw_ctx_fail(&c, err);
		error_page(&c, 500, status_title(500));
		goto done;
	}
	if (!s.s.valid) {
		if (c.json) {
			cw_error_clear();
			cw_ctx_fail(&c, cw_error(CW_EFORBIDDEN, "sign in first (POST /login)"));
			cw_send_json(&c, 401, error_json(&c));
		} else {
			if (token)
				set_cookie(&c, NULL, true);
			cw_redirect(&c, "/login");
		}
		goto done;
	}
	snprintf(resp->user, sizeof(resp->user), "%s", s.s.user);
	c.user = s.s.user;
	c.csrf = s.s.csrf;
	/* Every state change carries the session's CSRF token: else nothing runs. */
	if (post) {
		const char *t = cw_form(&c, "csrf");

		if (!t || !cw_auth_token_equal(t, s.s.csrf)) {
			cw_ctx_fail(&c, cw_error(CW_EFORBIDDEN,
				"This form has expired or did not come from carewatch. Go back, reload the page and try again."));
			error_page(&c, 403, status_title(403));
			goto done;
		}
	}
	if (s.s.touch && (err = cw_db_run(c.db, true, touch_unit, &s)) != CW_OK) {
		cw_ctx_fail(&c, err);
		error_page(&c, 500, status_title(500));
		goto done;
	}
	if (strcmp(r.path, "/logout") == 0 && post) {
		if ((err = cw_db_run(c.db, true, logout_unit, &s)) != CW_OK) {
			cw_ctx_fail(&c, err);
			error_page(&c, 500, status_title(500));
			goto done;
		}
		set_cookie(&c, NULL, true);
		cw_redirect(&c, "/login");
		goto done;
	}
	/* Writing a letter records it in the audit trail: a GET that writes. */
	write = post || (c.nseg == 4 && strcmp(c.seg[0], "cases") == 0 &&
		strcmp(c.seg[2], "letters") == 0);
	err = cw_db_run_as(c.db, c.user, write, page_unit, &c);
	if (err != CW_OK && c.err == CW_OK)
		cw_ctx_fail(&c, err);
	if (!c.rendered) {
		int status = cw_status_http(err);

		if (err == CW_ENOTFOUND && !path_known(&c))
			status = 404;
		error_page(&c, status, status_title(status));
	} else if (err != CW_OK && resp->status == 200) {
		resp->status = cw_status_http(err);
	}
done:
	if (!resp->status)
		resp->status = 200;
	free(token);
	finish(&c);
	cw_error_clear();
}
