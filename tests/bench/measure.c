/*
 * Timing, statistics and processes. Every measured phase runs in a child
 * process of its own, so its peak RSS (wait4's rusage) is its own and not
 * the driver's; every CLI run is a fork/exec of the built binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "bench.h"

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static double pct(const double *v, long n, double p)
{
	long k = (long)ceil(p / 100.0 * (double)n) - 1;

	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

void stats_compute(struct stats *s, const double *lat, long n)
{
	double *v;
	long i;

	s->n = n;
	if (n <= 0)
		return;
	v = malloc((size_t)n * sizeof(*v));
	memcpy(v, lat, (size_t)n * sizeof(*v));
	qsort(v, (size_t)n, sizeof(*v), by_value);
	s->total = 0;
	for (i = 0; i < n; i++)
		s->total += v[i];
	s->mean = s->total / (double)n;
	s->min = v[0];
	s->max = v[n - 1];
	s->p50 = pct(v, n, 50);
	s->p99 = pct(v, n, 99);
	if (s->rate == 0 && s->total > 0)
		s->rate = (double)n / s->total;
	free(v);
}

int run_phase(phase_fn fn, const void *arg, struct stats *st, struct stats *st2,
	const char *label)
{
	return run_phase_blob(fn, arg, st, st2, NULL, 0, label);
}

int run_phase_blob(phase_fn fn, const void *arg, struct stats *st, struct stats *st2,
	void *blob, size_t bloblen, const char *label)
{
	struct phase_out *out = mmap(NULL, sizeof(*out), PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct rusage ru;
	int status = 0, rc = 0;
	pid_t pid;

	if (out == MAP_FAILED) {
		perror("bench: mmap");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("bench: fork");
		munmap(out, sizeof(*out));
		return -1;
	}
	if (pid == 0) {
		fn(arg, out);
		fflush(NULL);
		_exit(out->error ? 1 : 0);
	}
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	*st = out->st;
	if (out->nlat > 0)
		stats_compute(st, out->lat, out->nlat);
	st->maxrss_kb = ru.ru_maxrss;
	if (st2) {
		*st2 = out->st2;
		if (out->nlat2 > 0)
			stats_compute(st2, out->lat2, out->nlat2);
		st2->maxrss_kb = ru.ru_maxrss;
	}
	if (blob)
		memcpy(blob, out->blob, bloblen < sizeof(out->blob) ? bloblen : sizeof(out->blob));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out->error) {
		fprintf(stderr, "bench: phase '%s' failed: %s\n", label,
			out->message[0] ? out->message : "the child process died");
		st->failures = st->failures ? st->failures : 1;
		rc = -1;
	}
	munmap(out, sizeof(*out));
	return rc;
}

int run_cli_once(char *const *argv, const char *errfile, double *secs, long *rss_kb)
{
	struct rusage ru;
	int status = 0;
	double t0 = now_s();
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		int ef = errfile ? open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600) : fd;

		dup2(fd, STDOUT_FILENO);
		dup2(ef, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	*secs = now_s() - t0;
	*rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run_cli(argv_fn build, const void *ctx, long reps, double budget_s, struct stats *st,
	const char *errfile)
{
	double *lat = calloc((size_t)reps, sizeof(*lat));
	double start = now_s();
	long i, n = 0;
	bool shown = false;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < reps; i++) {
		struct argv_b a = { { NULL }, 0 };
		double secs;
		long rss;
		int code;

		build(ctx, i, &a);
		code = run_cli_once(a.v, errfile, &secs, &rss);
		/* 4 is a refusal (a placement check that says no): an answer. */
		if (code != 0 && code != 4) {
			st->failures++;
			if (!shown) {
				char buf[512] = "";
				FILE *f = errfile ? fopen(errfile, "r") : NULL;

				if (f) {
					size_t k = fread(buf, 1, sizeof(buf) - 1, f);

					buf[k] = '\0';
					fclose(f);
				}
				fprintf(stderr, "bench: %s %s %s ... exited %d: %s\n", a.v[0],
					a.n > 1 ? a.v[a.n > 8 ? 8 : 1] : "", a.n > 9 ? a.v[9] : "", code, buf);
				snprintf(st->note, sizeof(st->note), "exit %d: %.120s", code, buf);
				shown = true;
			}
		}
		argv_free(&a);
		lat[n++] = secs;
		if (rss > st->maxrss_kb)
			st->maxrss_kb = rss;
		/* At least 3 runs; then stop when the time budget is spent. */
		if (i >= 2 && now_s() - start > budget_s)
			break;
	}
	stats_compute(st, lat, n);
	free(lat);
	return st->failures ? -1 : 0;
}

void argv_add(struct argv_b *a, const char *s)
{
	if (a->n < (int)(sizeof(a->v) / sizeof(a->v[0])) - 1) {
		a->v[a->n++] = strdup(s);
		a->v[a->n] = NULL;
	}
}

void argv_free(struct argv_b *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
	a->v[0] = NULL;
}
