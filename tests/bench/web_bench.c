/*
 * carewatch_web_bench: `carewatch serve` under load on loopback, beside the
 * command line doing the same work in the same run (docs/BENCHMARKS.md,
 * "The web server"). Not a test: ctest never runs it.
 *
 * The world is tests/bench's generated council (or region), dated today
 * because the server uses the clock. Two kinds of work: the watch-list page
 * (GET /, the HTML a browser gets; the CLI: `watchlist`) and logging a
 * concern (POST /concerns, answered 303; the CLI: `concern log`). Each runs
 * with 1, 8 and 32 concurrent clients for a fixed time: a client is a
 * thread with one keep-alive HTTP/1.1 connection sending a request, reading
 * the whole answer and sending the next (a bounded closed loop, no load
 * generator to install), or a thread running the CLI one process after
 * another. Requests per second, p50 and p99 latency, failures.
 *
 * Beside them, one library watch-list call (cw_watchlist_rows, and the list
 * as JSON) on the same file in this process: the page's p99 with one client
 * is held against twice that.
 *
 *   carewatch_web_bench [--scale council|region] [--seconds S] [--dir DIR]
 *                       [--threads N] [--out FILE] [--reuse]
 *
 * --reuse keeps a world this program generated earlier today in DIR.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"
#include "carewatch/buf.h"
#include "carewatch/error.h"
#include "carewatch/rules.h"
#include "carewatch/watchlist.h"

#define PASSWORD "bench-password-1"
#define MAX_LAT 200000

struct opts {
	const char *scale, *dir, *out, *bin;
	double seconds;
	unsigned threads;
};

enum kind { WATCHLIST, CONCERN_POST };
enum door { WEB, CLI };

struct run {
	const struct opts *o;
	const struct world *w;
	const char *db;
	int port;
	char cookie[80], csrf[80];
	enum kind kind;
	enum door door;
	double deadline;
	long next_concern;          /* shared counter: which provider a POST names */
	pthread_mutex_t lock;
	double *lat;                /* every latency, seconds */
	long nlat, failures;
	char failure[256];
};

/* ---- a minimal HTTP/1.1 client on one keep-alive connection ---- */

static int http_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Send `req` and read one whole answer (Content-Length framed) into `resp`;
 * returns the status, or -1 when the connection failed. */
static int http_exchange(int fd, const char *req, cw_buf *resp)
{
	char chunk[16384];
	char *end = NULL, *cl;
	size_t head = 0, want = 0;
	int status;

	if (write_all(fd, req, strlen(req)) != 0)
		return -1;
	cw_buf_clear(resp);
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof(chunk));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		cw_buf_put(resp, chunk, (size_t)k);
		if (!end && (end = strstr(resp->ptr, "\r\n\r\n"))) {
			head = (size_t)(end - resp->ptr) + 4;
			cl = strstr(resp->ptr, "\r\nContent-Length:");  /* as libmicrohttpd spells it */
			want = cl && cl < end ? (size_t)strtoul(cl + 17, NULL, 10) : 0;
		}
		if (end && resp->len >= head + want)
			break;
	}
	if (sscanf(resp->ptr, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	return status;
}

static void build_request(struct run *r, long i, cw_buf *req)
{
	char id[CW_ID_LEN], body[512];

	cw_buf_clear(req);
	if (r->kind == WATCHLIST) {
		cw_buf_printf(req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
			"Cookie: cw_session=%s\r\n\r\n", r->cookie);
		return;
	}
	gen_provider_id(r->w, i % r->w->providers, id);
	snprintf(body, sizeof(body), "provider=%s&source=complaint&team=commissioning"
		"&summary=Bench+concern+%ld&likelihood=2&impact=3&csrf=%s", id, i, r->csrf);
	cw_buf_printf(req, "POST /concerns HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
		"Cookie: cw_session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: %zu\r\n\r\n%s", r->cookie, strlen(body), body);
}

static void record(struct run *r, double secs, bool ok, const char *why)
{
	pthread_mutex_lock(&r->lock);
	if (ok && r->nlat < MAX_LAT)
		r->lat[r->nlat++] = secs;
	if (!ok) {
		if (!r->failures)
			snprintf(r->failure, sizeof(r->failure), "%s", why);
		r->failures++;
	}
	pthread_mutex_unlock(&r->lock);
}

static long next_index(struct run *r)
{
	long i;

	pthread_mutex_lock(&r->lock);
	i = r->next_concern++;
	pthread_mutex_unlock(&r->lock);
	return i;
}

static void *web_client(void *arg)
{
	struct run *r = arg;
	cw_buf req = CW_BUF_INIT, resp = CW_BUF_INIT;
	int fd = http_connect(r->port);

	while (fd >= 0 && now_s() < r->deadline) {
		double t0 = now_s();
		int status;

		build_request(r, next_index(r), &req);
		status = http_exchange(fd, req.ptr, &resp);
		if (status < 0) {
			close(fd);
			fd = http_connect(r->port);
			record(r, 0, false, "the connection failed");
			continue;
		}
		record(r, now_s() - t0, status == (r->kind == WATCHLIST ? 200 : 303),
			resp.ptr);
	}
	if (fd >= 0)
		close(fd);
	cw_buf_free(&req);
	cw_buf_free(&resp);
	return NULL;
}

static void *cli_client(void *arg)
{
	struct run *r = arg;

	while (now_s() < r->deadline) {
		char id[CW_ID_LEN], summary[64];
		const char *argv[32];
		double secs;
		long rss;
		int n = 0, code;

		argv[n++] = r->o->bin;
		argv[n++] = "--db";
		argv[n++] = r->db;
		argv[n++] = "--as";
		argv[n++] = BENCH_USER;
		if (r->kind == WATCHLIST) {
			argv[n++] = "watchlist";
		} else {
			long i = next_index(r);

			gen_provider_id(r->w, i % r->w->providers, id);
			snprintf(summary, sizeof(summary), "Bench concern %ld", i);
			argv[n++] = "concern";
			argv[n++] = "log";
			argv[n++] = "--provider";
			argv[n++] = id;
			argv[n++] = "--source";
			argv[n++] = "complaint";
			argv[n++] = "--team";
			argv[n++] = "commissioning";
			argv[n++] = "--summary";
			argv[n++] = summary;
			argv[n++] = "--likelihood";
			argv[n++] = "2";
			argv[n++] = "--impact";
			argv[n++] = "3";
		}
		argv[n] = NULL;
		code = run_cli_once((char *const *)argv, NULL, &secs, &rss);
		record(r, secs, code == 0, "the CLI exited with an error");
	}
	return NULL;
}

/* One cell: `clients` threads of one door doing one kind of work. */
static void measure(struct run *r, int clients, struct stats *st)
{
	pthread_t t[64];
	double t0 = now_s();
	int i;

	r->nlat = r->failures = 0;
	r->failure[0] = '\0';
	r->deadline = t0 + r->o->seconds;
	for (i = 0; i < clients; i++)
		pthread_create(&t[i], NULL, r->door == WEB ? web_client : cli_client, r);
	for (i = 0; i < clients; i++)
		pthread_join(t[i], NULL);
	memset(st, 0, sizeof(*st));
	stats_compute(st, r->lat, r->nlat);
	st->failures = r->failures;
	st->rate = (double)r->nlat / (now_s() - t0);
}

/* ---- the server ---- */

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &n) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static pid_t start_server(const struct opts *o, const char *db, int port)
{
	char listen[64], threads[16];
	pid_t pid;
	int i;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	snprintf(threads, sizeof(threads), "%u", o->threads);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		/* The request log (a line per request) goes nowhere: it is not measured. */
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execl(o->bin, o->bin, "--db", db, "serve", "--listen", listen, "--threads", threads,
			(char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		int fd = http_connect(port);

		if (fd >= 0) {
			close(fd);
			return pid;
		}
		usleep(100000);
	}
	kill(pid, SIGTERM);
	return -1;
}

static int set_password(const struct opts *o, const char *db)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' --db '%s' --as %s user passwd %s >/dev/null", o->bin, db,
		BENCH_ADMIN, BENCH_USER);
	if (!(p = popen(cmd, "w")))
		return -1;
	fprintf(p, "%s\n", PASSWORD);
	return pclose(p) == 0 ? 0 : -1;
}

static int login(struct run *r)
{
	static const char body[] = "name=" BENCH_USER "&password=" PASSWORD;
	cw_buf req = CW_BUF_INIT, resp = CW_BUF_INIT;
	int fd = http_connect(r->port), status, ok = -1;
	char *c;

	cw_buf_printf(&req, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
		strlen(body), body);
	status = fd >= 0 ? http_exchange(fd, req.ptr, &resp) : -1;
	if (status == 200 && (c = strstr(resp.ptr, "cw_session=")) &&
	    sscanf(c, "cw_session=%79[0-9a-f]", r->cookie) == 1 &&
	    (c = strstr(resp.ptr, "\"csrf\"")) && sscanf(c, "\"csrf\": \"%79[0-9a-f]", r->csrf) == 1)
		ok = 0;
	else
		fprintf(stderr, "web_bench: login failed (%d): %s\n", status, resp.ptr ? resp.ptr : "");
	if (fd >= 0)
		close(fd);
	cw_buf_free(&req);
	cw_buf_free(&resp);
	return ok;
}

static void loadavg(char *out, size_t n)
{
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f || !fgets(out, (int)n, f))
		snprintf(out, n, "unknown");
	out[strcspn(out, "\n")] = '\0';
	if (f)
		fclose(f);
}

/*
 * One library watch-list call on the file, median wall seconds of 5: as
 * typed rows (lib[0]) and as JSON (cw_watchlist, lib[1]). -1 when it fails.
 */
static void library_call(const char *db_path, cw_date today, double lib[2])
{
	cw_rules *rules = NULL;
	cw_db *db = NULL;
	double t[2][5];

	lib[0] = lib[1] = -1;
	if (cw_rules_load(&rules, NULL) != CW_OK ||
	    cw_db_open(&db, db_path, rules, today, false) != CW_OK)
		goto done;
	for (int i = 0; i < 6; i++)   /* the first call warms the cache */
		for (int k = 0; k < 2; k++) {
			cw_watch_list *l = NULL;
			json_t *j = NULL;
			double t0 = now_s();
			int err;

			if (cw_db_begin(db, false) != CW_OK)
				goto done;
			err = k == 0 ? cw_watchlist_rows(db, &l) : cw_watchlist(db, &j);
			cw_db_commit(db);
			cw_watch_list_free(l);
			json_decref(j);
			if (err != CW_OK)
				goto done;
			if (i > 0)
				t[k][i - 1] = now_s() - t0;
		}
	for (int k = 0; k < 2; k++) {
		struct stats st = { 0 };

		stats_compute(&st, t[k], 5);
		lib[k] = st.p50;
	}
done:
	if (lib[0] < 0)
		fprintf(stderr, "web_bench: library watch list: %s\n", cw_errmsg());
	cw_db_close(db);
	cw_rules_free(rules);
}

static void usage(void)
{
	fprintf(stderr, "usage: carewatch_web_bench [--scale council|region] [--seconds S]"
		" [--dir DIR] [--threads N] [--out FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const int levels[] = { 1, 8, 32 };
	static const char *const kinds[] = { "watch-list page", "log a concern" };
	struct opts o = { "council", "/tmp/carewatch-bench", NULL, CW_BINARY, 5, 4 };
	struct world w = { .seed = 42 };
	struct gen_summary gs = { 0 };
	struct run r = { 0 };
	char db[512], load0[128], load1[128];
	FILE *out = stdout;
	double g0, lib[2], page_p99 = -1;
	bool reuse = false;
	pid_t server;
	int i, k, d, l;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			o.scale = argv[++i];
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			o.seconds = atof(argv[++i]);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			o.dir = argv[++i];
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			o.threads = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			o.out = argv[++i];
		else if (strcmp(argv[i], "--reuse") == 0)
			reuse = true;
		else
			usage();
	}
	if (strcmp(o.scale, "council") == 0) {
		w.providers = 300;
		w.concerns = 5000;
	} else if (strcmp(o.scale, "region") == 0) {
		w.providers = 3000;
		w.concerns = 300000;
	} else {
		usage();
	}
	if (o.seconds <= 0 || o.threads < 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	/* The server dates everything by the clock, so the world is dated today. */
	w.today = cw_date_today_utc();
	cw_date_format(w.today, w.today_s);
	w.span_days = world_span_days(w.providers, w.concerns);
	mkdir(o.dir, 0700);
	snprintf(db, sizeof(db), "%s/web-%s.db", o.dir, o.scale);
	if (reuse && access(db, F_OK) == 0) {
		fprintf(stderr, "web_bench: reusing %s\n", db);
		gs.open = -1;
	} else {
		unlink(db);
		fprintf(stderr, "web_bench: generating the %s (%ld providers, %ld concerns)...\n",
			o.scale, w.providers, w.concerns);
		g0 = now_s();
		if (gen_world(db, &w, &gs) != CW_OK || set_password(&o, db) != 0) {
			fprintf(stderr, "web_bench: could not build %s\n", db);
			return 1;
		}
		fprintf(stderr, "web_bench: generated in %.1f s\n", now_s() - g0);
	}
	library_call(db, w.today, lib);
	r.o = &o;
	r.w = &w;
	r.db = db;
	r.port = free_port();
	r.lat = calloc(MAX_LAT, sizeof(*r.lat));
	pthread_mutex_init(&r.lock, NULL);
	if (r.port < 0 || (server = start_server(&o, db, r.port)) < 0 || login(&r) != 0) {
		fprintf(stderr, "web_bench: the server did not start\n");
		return 1;
	}
	if (o.out && !(out = fopen(o.out, "w"))) {
		perror(o.out);
		return 1;
	}
	loadavg(load0, sizeof(load0));
	if (gs.open >= 0)
		fprintf(out, "### The web server at %s scale (%ld providers, %ld concerns, %ld open)\n\n",
			o.scale, w.providers, w.concerns, gs.open);
	else
		fprintf(out, "### The web server at %s scale (%ld providers, %ld concerns)\n\n",
			o.scale, w.providers, w.concerns);
	fprintf(out, "`carewatch serve --threads %u` on loopback; %.0f s per cell; the CLI is one"
		" process per command. Load average before: %s.\n\n", o.threads, o.seconds, load0);
	fprintf(out, "| work | door | clients | requests | failures | per second | p50 ms | p99 ms |\n"
		"|---|---|---:|---:|---:|---:|---:|---:|\n");
	for (k = 0; k < 2; k++)
		for (l = 0; l < 3; l++)
			for (d = 0; d < 2; d++) {
				struct stats st;

				r.kind = (enum kind)k;
				r.door = (enum door)d;
				fprintf(stderr, "web_bench: %s, %s, %d client(s)\n", kinds[k],
					d == WEB ? "web" : "CLI", levels[l]);
				measure(&r, levels[l], &st);
				fprintf(out, "| %s | %s | %d | %ld | %ld | %.1f | %.1f | %.1f |\n", kinds[k],
					d == WEB ? "web" : "CLI", levels[l], st.n, st.failures, st.rate,
					st.p50 * 1e3, st.p99 * 1e3);
				if (k == WATCHLIST && d == WEB && levels[l] == 1)
					page_p99 = st.p99;
				if (st.failures)
					fprintf(stderr, "web_bench: first failure: %.200s\n", r.failure);
				fflush(out);
			}
	loadavg(load1, sizeof(load1));
	fprintf(out, "\nLoad average after: %s.\n", load1);
	if (lib[0] > 0 && page_p99 > 0)
		fprintf(out, "\nOne library watch-list call on the same file, median of 5 (wall):"
			" %.1f ms as typed rows, %.1f ms as JSON. The page's p99 with one client,"
			" %.1f ms, is %.2f × the typed call (goal ≤ 2): **%s**.\n", lib[0] * 1e3,
			lib[1] * 1e3, page_p99 * 1e3, page_p99 / lib[0],
			page_p99 <= 2 * lib[0] ? "met" : "missed");
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
	if (out != stdout)
		fclose(out);
	free(r.lat);
	return 0;
}
