/*
 * The placement check of SPEC §6 (see engine/internal/caps.h): embargoes,
 * the other commissioners' embargoes, respite and the caps of a restart,
 * as one pure function from typed facts to the decision. `placement check`
 * and `placement record` both go through it, so the two never disagree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "caps.h"

void cw_placement_control_free(cw_placement_control *c)
{
	if (c) {
		free(c->reason);
		c->reason = NULL;
	}
}

const char *cw_cap_unit_name(cw_cap_unit u)
{
	return u == CW_CAP_ADMISSIONS ? "admissions" : u == CW_CAP_PACKAGES ? "packages" : "hours";
}

const char *cw_cap_counts_kind(cw_cap_unit u)
{
	return u == CW_CAP_ADMISSIONS ? "admission" : "package";
}

static void cap_at(cw_cap *c, const cw_placement_control *ctl, cw_cap_unit unit, double cap,
	const char *per, cw_date date)
{
	bool month = strcmp(per, "month") == 0;

	c->unit = unit;
	c->cap = cap;
	c->per = month ? "month" : "week";
	c->from = month ? cw_date_month_start(date) : cw_date_week_start(date);
	c->to = (month ? cw_date_next_month_start(date) : c->from + 7) - 1;
	/* Placements made before the conditions started do not count against them. */
	c->count_from = ctl->has_since && ctl->since > c->from ? ctl->since : c->from;
	c->used = 0;
}

size_t cw_caps_applying(const cw_placement_control *ctl, const char *kind, cw_date date,
	cw_cap out[3])
{
	const cw_placement_conditions *c = &ctl->cond;
	size_t n = 0;

	if (strcmp(ctl->status, "restricted") != 0)
		return 0;
	if (strcmp(kind, "admission") == 0 && c->has_admissions)
		cap_at(&out[n++], ctl, CW_CAP_ADMISSIONS, (double)c->max_admissions, c->per, date);
	if (strcmp(kind, "package") == 0 && c->has_packages)
		cap_at(&out[n++], ctl, CW_CAP_PACKAGES, (double)c->max_packages, "week", date);
	if (strcmp(kind, "package") == 0 && c->has_hours)
		cap_at(&out[n++], ctl, CW_CAP_HOURS, c->max_hours, "week", date);
	return n;
}

static void refuse(cw_caps_decision *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void refuse(cw_caps_decision *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
	d->allowed = false;
}

static void warn(cw_caps_decision *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(cw_caps_decision *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->warnings = cw_reallocarray(d->warnings, d->nwarnings + 1, sizeof(*d->warnings));
	d->warnings[d->nwarnings++] = cw_strdup(msg);
}

/* YYYY-MM-DD of a date that may be absent ("" then). */
static const char *day(bool has, cw_date d, char buf[CW_DATE_STRLEN])
{
	buf[0] = '\0';
	return has ? cw_date_format(d, buf) : buf;
}

/* Refusals and warnings from the other commissioners' embargoes. */
static void others(const cw_caps_request *q, cw_caps_decision *d)
{
	char since[CW_DATE_STRLEN];

	for (size_t i = 0; i < q->nothers; i++) {
		const cw_placement_control *c = q->others[i].ctl;
		char what[600];

		if (strcmp(c->status, "suspended") != 0)
			continue;
		snprintf(what, sizeof(what), "%s has suspended new placements with %s:"
			" %s embargo since %s", q->others[i].name, q->provider, c->kind,
			day(c->has_since, c->since, since));
		if (q->honour_others && d->allowed)
			refuse(d, "%s, and the rules honour other commissioners' embargoes"
				" (embargo.honour_other_commissioners)", what);
		else if (!q->honour_others)
			warn(d, "%s (%s decides for itself; the rules do not honour other"
				" commissioners' embargoes)", what, q->commissioner);
	}
}

/* Refuse when cap i is reached (or, for hours, would be exceeded). */
static void check_cap(const cw_caps_request *q, size_t i, cw_caps_decision *d)
{
	const cw_cap *c = &q->caps[i];
	char since[CW_DATE_STRLEN], from[CW_DATE_STRLEN], to[CW_DATE_STRLEN];

	if (!d->allowed)
		return;
	day(q->ctl->has_since, q->ctl->since, since);
	cw_date_format(c->from, from);
	cw_date_format(c->to, to);
	if (c->unit == CW_CAP_HOURS && c->used + q->hours > c->cap)
		refuse(d, "the cap of %g new hours of care per week set on %s for %s would be"
			" exceeded: %g hours recorded in the week %s to %s, and this package adds %g",
			c->cap, since, q->commissioner, c->used, from, to, q->hours);
	else if (c->unit != CW_CAP_HOURS && c->used >= c->cap)
		refuse(d, "the cap of %g %s per %s set on %s for %s is reached: %g recorded in"
			" the %s %s to %s", c->cap, cw_cap_unit_name(c->unit), c->per, since,
			q->commissioner, c->used, c->per, from, to);
	else
		return;
	d->binding = (int)i;
}

int cw_caps_decide(const cw_caps_request *q, cw_caps_decision *d)
{
	const cw_placement_control *ctl = q->ctl;
	const char *status = ctl->status;
	char since[CW_DATE_STRLEN];
	bool restricted = strcmp(status, "restricted") == 0;

	memset(d, 0, sizeof(*d));
	d->allowed = true;
	d->binding = -1;
	day(ctl->has_since, ctl->since, since);
	if (q->provider_closed)
		refuse(d, "provider %s is closed (contract terminated or service closed):"
			" no new placements", q->provider);
	else if (strcmp(status, "suspended") == 0)
		refuse(d, "%s has suspended new placements with %s: %s embargo since %s (%s)",
			q->commissioner, q->provider, ctl->kind, since, ctl->reason ? ctl->reason : "");
	others(q, d);
	if (d->allowed && restricted) {
		/* Every condition of the restart that applies. */
		if (q->respite && !ctl->cond.respite_allowed)
			refuse(d, "respite placements are not allowed under the conditions set on %s"
				" for %s", since, q->commissioner);
		for (size_t i = 0; i < q->ncaps; i++) {
			if (q->caps[i].unit == CW_CAP_HOURS && !q->has_hours) {
				int err = cw_error_at("hours", CW_EINVALID, "%s caps new hours of care"
					" with %s at %g a week: give the package's hours",
					q->commissioner, q->provider, q->caps[i].cap);

				cw_caps_decision_free(d);
				return err;
			}
			check_cap(q, i, d);
		}
		/* Allowed under caps: report the first that applies. */
		if (d->allowed && q->ncaps)
			d->binding = 0;
	}
	if (d->allowed && restricted)
		snprintf(d->reason, sizeof(d->reason), "allowed within the conditions set by %s on %s",
			q->commissioner, since);
	else if (d->allowed)
		snprintf(d->reason, sizeof(d->reason), "allowed: placements with %s are open for %s",
			q->provider, q->commissioner);
	return CW_OK;
}

void cw_caps_decision_free(cw_caps_decision *d)
{
	for (size_t i = 0; i < d->nwarnings; i++)
		free(d->warnings[i]);
	free(d->warnings);
	memset(d, 0, sizeof(*d));
	d->binding = -1;
}
