/* The progress bar: rows done of rows in all, the rate, and the time left. */
#include <stdio.h>
#include <unistd.h>
#include "carewatch/progress.h"
#include "progress.h"

#define BAR_WIDTH 24
#define REDRAW_NS 100000000L   /* at most ten frames a second */

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void draw(void *arg, size_t done, size_t total)
{
	cw_cli_progress *p = arg;
	struct timespec now;
	char bar[BAR_WIDTH + 1];
	double elapsed, rate, left;
	size_t filled, i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* The last frame is always drawn; the others only so often. */
	if (done < total && p->shown && seconds(&p->drawn, &now) * 1e9 < REDRAW_NS)
		return;
	p->drawn = now;
	p->shown = true;
	if (done > total)
		total = done;
	filled = total ? done * BAR_WIDTH / total : BAR_WIDTH;
	for (i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < filled ? '#' : '-';
	bar[BAR_WIDTH] = '\0';
	elapsed = seconds(&p->started, &now);
	rate = elapsed > 0 ? (double)done / elapsed : 0;
	left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r%s [%s] %zu/%zu %s %3d%%  %.0f %s/s  %.0fs left\033[K", p->what, bar,
		done, total, p->unit, total ? (int)(done * 100 / total) : 100, rate, p->unit, left);
	fflush(stderr);
}

void cw_cli_progress_start(cw_cli_progress *p, const char *what, const char *unit)
{
	p->what = what;
	p->unit = unit;
	p->shown = false;
	p->on = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	p->drawn = p->started;
	if (p->on)
		cw_progress_set(draw, p);
}

void cw_cli_progress_stop(cw_cli_progress *p)
{
	if (!p->on)
		return;
	cw_progress_set(NULL, NULL);
	if (p->shown)
		fputc('\n', stderr);
	p->on = false;
}
