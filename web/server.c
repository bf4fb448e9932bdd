/*
 * libmicrohttpd around cw_web_handle: a thread pool, each worker with its
 * own database handle (web/app.c), forms read from the body, one log line
 * per request on stderr, and a clean stop on SIGINT/SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <microhttpd.h>
#include "web.h"
#include "carewatch/error.h"

#define MAX_BODY (16 * 1024 * 1024)

struct conn {
	cw_buf body;                 /* an urlencoded form, read whole */
	bool multipart, too_big;
	struct MHD_PostProcessor *pp;
	cw_web_pair *form;
	size_t nform;
	cw_buf query;                /* rebuilt from the raw arguments */
	struct timespec start;
};

static void form_add(struct conn *c, const char *key, const char *data, size_t n, bool append)
{
	if (append && c->nform && strcmp(c->form[c->nform - 1].name, key) == 0) {
		cw_web_pair *p = &c->form[c->nform - 1];
		size_t old = strlen(p->value);

		p->value = cw_reallocarray(p->value, old + n + 1, 1);
		memcpy(p->value + old, data, n);
		p->value[old + n] = '\0';
		return;
	}
	c->form = cw_reallocarray(c->form, c->nform + 1, sizeof(*c->form));
	c->form[c->nform].name = cw_strdup(key);
	c->form[c->nform].value = cw_malloc(n + 1);
	memcpy(c->form[c->nform].value, data, n);
	c->form[c->nform].value[n] = '\0';
	c->nform++;
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *filename, const char *content_type, const char *transfer_encoding,
	const char *data, uint64_t off, size_t size)
{
	struct conn *c = cls;

	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	form_add(c, key, data ? data : "", size, off > 0);
	return MHD_YES;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static char *decode(const char *s, size_t n)
{
	char *d = cw_malloc(n + 1), *p = d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			*p++ = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0 &&
			   (hexval(s[i + 1]) | hexval(s[i + 2]))) {
			*p++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			*p++ = s[i];
		}
	}
	*p = '\0';
	return d;
}

/* application/x-www-form-urlencoded, every field kept, empty ones too, so
 * that repeated rows (meeting attendees) stay aligned. */
static void parse_urlencoded(struct conn *c)
{
	const char *q = c->body.ptr;

	while (q && *q) {
		const char *amp = strchr(q, '&'), *eq;
		size_t n = amp ? (size_t)(amp - q) : strlen(q);
		char *k, *v;

		eq = memchr(q, '=', n);
		if (eq && eq > q) {
			k = decode(q, (size_t)(eq - q));
			v = decode(eq + 1, n - (size_t)(eq - q) - 1);
			form_add(c, k, v, strlen(v), false);
			free(k);
			free(v);
		}
		q = amp ? amp + 1 : NULL;
	}
}

static enum MHD_Result arg_iter(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	struct conn *c = cls;

	(void)kind;
	cw_buf_printf(&c->query, "%s%s=%s", c->query.len ? "&" : "", key, value ? value : "");
	return MHD_YES;
}

/* Leave the URL and arguments as sent: web/app.c decodes them once. */
static size_t no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

static void addr_text(struct MHD_Connection *conn, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, cap, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
}

struct server {
	cw_web_app *app;
	bool tls;
};

static enum MHD_Result send_plain(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
		MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload_data,
	size_t *upload_data_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn *c = *con_cls;
	cw_web_request req = { 0 };
	cw_web_response resp;
	struct MHD_Response *r;
	struct timespec end;
	char addr[64];
	enum MHD_Result ret;
	size_t i;

	(void)version;
	if (!c) {
		const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");

		c = cw_calloc(1, sizeof(*c));
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		if (strcmp(method, "POST") == 0 && type && strncasecmp(type, "multipart/form-data", 19) == 0) {
			c->multipart = true;
			c->pp = MHD_create_post_processor(conn, 65536, post_iter, c);
		}
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (c->body.len + *upload_data_size > MAX_BODY)
			c->too_big = true;
		else if (c->multipart && c->pp)
			MHD_post_process(c->pp, upload_data, *upload_data_size);
		else if (!c->multipart)
			cw_buf_put(&c->body, upload_data, *upload_data_size);
		if (c->multipart)
			c->body.len += *upload_data_size;  /* counts only, for the limit */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->too_big)
		return send_plain(conn, MHD_HTTP_CONTENT_TOO_LARGE, "Too large\n");
	if (c->multipart && !c->pp)
		return send_plain(conn, MHD_HTTP_BAD_REQUEST, "Bad form\n");
	if (!c->multipart && c->body.ptr)
		parse_urlencoded(c);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, arg_iter, c);
	addr_text(conn, addr, sizeof(addr));
	req.method = method;
	req.path = url;
	req.query = c->query.len ? c->query.ptr : NULL;
	req.cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
	req.accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
	req.addr = addr;
	req.tls = srv->tls;
	req.form = c->form;
	req.nform = c->nform;
	cw_web_handle(srv->app, &req, &resp);
	r = MHD_create_response_from_buffer(resp.body.len, resp.body.ptr ? resp.body.ptr : (char *)"",
		MHD_RESPMEM_MUST_COPY);
	for (i = 0; i < resp.nheaders; i++)
		MHD_add_response_header(r, resp.headers[i].name, resp.headers[i].value);
	ret = MHD_queue_response(conn, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	clock_gettime(CLOCK_MONOTONIC, &end);
	/* The path only: never a query string, a form value or a token (a
	 * calendar feed's address is its secret, so it is logged without it). */
	if (strncmp(url, "/calendar/", 10) == 0)
		url = "/calendar/[secret].ics";
	fprintf(stderr, "carewatch serve: %s %s %d %ldms %s\n", method, url, resp.status,
		(long)((end.tv_sec - c->start.tv_sec) * 1000 + (end.tv_nsec - c->start.tv_nsec) / 1000000),
		resp.user[0] ? resp.user : "-");
	cw_web_response_free(&resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	enum MHD_RequestTerminationCode toe)
{
	struct conn *c = *con_cls;
	size_t i;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!c)
		return;
	if (c->pp)
		MHD_destroy_post_processor(c->pp);
	for (i = 0; i < c->nform; i++) {
		free(c->form[i].name);
		free(c->form[i].value);
	}
	free(c->form);
	if (!c->multipart)
		cw_buf_free(&c->body);
	cw_buf_free(&c->query);
	free(c);
	*con_cls = NULL;
}

static int read_all(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	cw_buf b = CW_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		return cw_error(CW_EINVALID, "%s: cannot read: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cw_buf_put(&b, chunk, n);
	fclose(f);
	*out = b.ptr ? cw_buf_detach(&b) : cw_strdup("");
	return CW_OK;
}

/* "ADDR:PORT" or "[V6ADDR]:PORT". */
static int parse_listen(const char *s, struct sockaddr_storage *ss)
{
	char host[128];
	const char *colon;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			goto bad;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	}
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		return CW_OK;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		return CW_OK;
	}
bad:
	return cw_error_at("listen", CW_EINVALID,
		"--listen: '%.80s' is not ADDR:PORT (for example 127.0.0.1:8080 or [::1]:8080)", s);
}

int cw_web_serve(const char *dbpath, const cw_web_serve_opts *o)
{
	struct server srv = { 0 };
	struct sockaddr_storage ss;
	struct MHD_Daemon *d = NULL;
	char *cert = NULL, *key = NULL;
	const char *listen = o->listen ? o->listen : "127.0.0.1:8080";
	unsigned threads = o->threads ? o->threads : 4;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	sigset_t set;
	int sig, err;

	if ((err = parse_listen(listen, &ss)) != CW_OK)
		return err;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (!o->tls_cert != !o->tls_key)
		return cw_error(CW_EINVALID, "--tls-cert and --tls-key go together");
	if (o->tls_cert) {
		if ((err = read_all(o->tls_cert, &cert)) != CW_OK ||
		    (err = read_all(o->tls_key, &key)) != CW_OK)
			goto done;
		flags |= MHD_USE_TLS;
		srv.tls = true;
	}
	if ((err = cw_web_app_new(&srv.app, dbpath)) != CW_OK)
		goto done;
	/* Workers inherit the mask: only sigwait below sees SIGINT/SIGTERM. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	{
		/* One start for both: without TLS the array is its lone END. */
		struct MHD_OptionItem tls[] = {
			{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert },
			{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
			{ MHD_OPTION_END, 0, NULL },
		};

		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_THREAD_POOL_SIZE, threads,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
			MHD_OPTION_CONNECTION_TIMEOUT, 60u,
			MHD_OPTION_ARRAY, srv.tls ? tls : tls + 2,
			MHD_OPTION_END);
	}
	if (!d) {
		err = cw_error(CW_EINTERNAL, "cannot listen on %s (in use, or not an address of this machine?)",
			listen);
		goto done;
	}
	fprintf(stderr, "carewatch serve: listening on %s://%s (%u threads); stop with Ctrl-C\n",
		srv.tls ? "https" : "http", listen, threads);
	while (sigwait(&set, &sig) == 0 && sig != SIGINT && sig != SIGTERM)
		;
	fprintf(stderr, "carewatch serve: stopping\n");
	/* Requests in flight finish before their worker thread is joined. */
	MHD_stop_daemon(d);
	err = CW_OK;
done:
	cw_web_app_free(srv.app);
	free(cert);
	free(key);
	return err;
}
