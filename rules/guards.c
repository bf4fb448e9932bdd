/*
 * Guards of the case stage machine: pure functions from a case snapshot and
 * the rules to the conditions that are not met. No SQL, no printing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guards.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"

void cw_unmet_add(cw_unmet *u, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	u->v = cw_reallocarray(u->v, u->n + 1, sizeof(*u->v));
	u->v[u->n++] = cw_strdup(tmp);
}

void cw_unmet_free(cw_unmet *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++)
		free(u->v[i]);
	free(u->v);
	u->v = NULL;
	u->n = 0;
}

/* What a refusal calls an item: its reference, else its id. */
#define SAY(item, field) ((item)->field##_ref ? (item)->field##_ref : (item)->field##_id)
#define NAME(item) ((item)->ref ? (item)->ref : (item)->id)

/* "A red item can never be closed away": every red concern is named. */
static void no_red(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	size_t i;

	(void)r;
	for (i = 0; i < s->nconcerns; i++) {
		const cw_guard_concern *c = &s->concerns[i];

		if (c->band == CW_BAND_RED)
			cw_unmet_add(out, "concern %s is red (score %d)", NAME(c),
				cw_rules_score(c->likelihood, c->impact));
	}
}

static void likelihood_fallen(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	int need = cw_rules_int(r, "closure.likelihood_drop");
	size_t i;

	for (i = 0; i < s->nactions; i++) {
		const cw_guard_action *a = &s->actions[i];

		/* A completed item, or one whose concern is resolved, has done its work. */
		if (a->completed || !a->concern_open || a->likelihood_fall >= need)
			continue;
		if (a->likelihood_fall < 0)
			cw_unmet_add(out, "action %s (not completed): likelihood of concern %s"
				" has risen by %d, needs to fall by %d", NAME(a), SAY(a, concern),
				-a->likelihood_fall, need);
		else
			cw_unmet_add(out, "action %s (not completed): likelihood of concern %s"
				" has fallen by %d, needs %d", NAME(a), SAY(a, concern),
				a->likelihood_fall, need);
	}
}

static void partner_agreement(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	(void)r;
	if (!s->agreed_by)
		cw_unmet_add(out, "no partner agreement recorded (agreed_by: the organisations that agreed)");
}

/* Is `name` the lead commissioner? With no lead recorded, nobody is. */
static bool is_lead(const cw_case_snapshot *s, const char *name)
{
	return s->lead && strcmp(s->lead, name) == 0;
}

static void no_suspension(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	size_t i;

	(void)r;
	for (i = 0; i < s->nsuspended; i++)
		if (is_lead(s, s->suspended_by[i]))
			cw_unmet_add(out, "the lead commissioner %s still has placements suspended",
				s->suspended_by[i]);
}

/* Protocol 11.9: each body decides for itself; closing while one suspends is
 * a judgement the lead may make, with a reason. */
static void other_suspended(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	size_t i;

	(void)r;
	for (i = 0; i < s->nsuspended; i++)
		if (!is_lead(s, s->suspended_by[i]))
			cw_unmet_add(out, "commissioner %s still has placements suspended (its own"
				" decision)", s->suspended_by[i]);
}

static void open_tasks(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	size_t i;

	(void)r;
	for (i = 0; i < s->nopen_tasks; i++)
		cw_unmet_add(out, "notification task %s is not ticked", s->open_tasks[i]);
}

static void decision_role(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	if (!s->decision_role)
		cw_unmet_add(out, "%s does not hold the decision role '%s'",
			s->actor ? s->actor : "the actor", cw_rules_string(r, "decision_role"));
}

/* A red concern is re-rated before it is resolved; only the decision role
 * may resolve one still red, so one user cannot resolve a case's reason away. */
static void resolve_red(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	size_t i;

	for (i = 0; !s->decision_role && i < s->nconcerns; i++)
		if (s->concerns[i].band == CW_BAND_RED)
			cw_unmet_add(out, "concern %s is still rated red (score %d): re-rate it"
				" first, or have the decision role '%s' resolve it", s->concerns[i].id,
				cw_rules_score(s->concerns[i].likelihood, s->concerns[i].impact),
				cw_rules_string(r, "decision_role"));
}

static void corrective_complete(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	size_t i;

	(void)r;
	for (i = 0; i < s->nactions; i++)
		if (s->actions[i].corrective && !s->actions[i].completed)
			cw_unmet_add(out, "corrective action %s is not completed",
				NAME(&s->actions[i]));
}

static bool is_suspended(const cw_case_snapshot *s)
{
	size_t i;

	for (i = 0; s->commissioner && i < s->nsuspended; i++)
		if (strcmp(s->suspended_by[i], s->commissioner) == 0)
			return true;
	return false;
}

static void not_suspended(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	(void)r;
	if (is_suspended(s))
		cw_unmet_add(out, "commissioner %s has already suspended placements"
			" (restart them before suspending again)", s->commissioner);
}

static void suspended(const cw_case_snapshot *s, const cw_rules *r, cw_unmet *out)
{
	(void)r;
	if (!is_suspended(s) && !s->commissioner_restricted)
		cw_unmet_add(out, "commissioner %s has placements neither suspended nor"
			" restricted: there is nothing to restart",
			s->commissioner ? s->commissioner : "(none)");
}

const cw_guard cw_guard_deescalate_no_red = { "deescalate_no_red", CW_EREFUSED, no_red };
const cw_guard cw_guard_close_no_red = { "close_no_red", CW_EREFUSED, no_red };
const cw_guard cw_guard_restart_no_red = { "restart_no_red", CW_EREFUSED, no_red };
const cw_guard cw_guard_close_likelihood_fallen =
	{ "close_likelihood_fallen", CW_EREFUSED, likelihood_fallen };
const cw_guard cw_guard_close_partner_agreement =
	{ "close_partner_agreement", CW_EREFUSED, partner_agreement };
/* The lead's own embargo is lifted by its restart, never overridden. */
const cw_guard cw_guard_close_no_suspension = { NULL, CW_EREFUSED, no_suspension };
const cw_guard cw_guard_close_other_suspended =
	{ "close_other_suspended", CW_EREFUSED, other_suspended };
const cw_guard cw_guard_close_open_tasks = { "close_open_tasks", CW_EREFUSED, open_tasks };
/* Failing the decision role is a matter of permission, hence exit 5. */
const cw_guard cw_guard_decision_role = { "decision_role", CW_EFORBIDDEN, decision_role };
const cw_guard cw_guard_restart_corrective_complete =
	{ "restart_corrective_complete", CW_EREFUSED, corrective_complete };
const cw_guard cw_guard_resolve_red = { "resolve_red", CW_EREFUSED, resolve_red };
/* Whether a body has placements suspended is a fact, not a policy: no strength. */
const cw_guard cw_guard_suspend_not_suspended = { NULL, CW_EREFUSED, not_suspended };
const cw_guard cw_guard_restart_suspended = { NULL, CW_EREFUSED, suspended };

static void move_all(cw_unmet *to, cw_unmet *from)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		to->v = cw_reallocarray(to->v, to->n + 1, sizeof(*to->v));
		to->v[to->n++] = from->v[i];
	}
	free(from->v);
	from->v = NULL;
	from->n = 0;
}

void cw_guards_evaluate(const cw_guard *const *guards, const cw_case_snapshot *s,
	const cw_rules *r, bool override_given, cw_guard_verdict *v)
{
	const cw_guard *const *g;

	memset(v, 0, sizeof(*v));
	for (g = guards; g && *g; g++) {
		cw_unmet found = { NULL, 0 };
		bool should = (*g)->name && cw_rules_guard(r, (*g)->name) == CW_SHOULD;

		(*g)->check(s, r, &found);
		if (found.n == 0)
			continue;
		if (should) {
			move_all(&v->should, &found);
			cw_unmet_add(&v->overridable, "%s", (*g)->name);
		} else {
			/* Permission outranks every other reason to refuse. */
			if (v->status != CW_EFORBIDDEN)
				v->status = (*g)->must_status;
			move_all(&v->must, &found);
		}
	}
	if (v->status != CW_OK || v->should.n == 0)
		return;
	if (override_given)
		v->overridden = true;
	else {
		v->status = CW_EREFUSED;
		v->needs_override = true;
	}
}

void cw_guard_verdict_free(cw_guard_verdict *v)
{
	if (!v)
		return;
	cw_unmet_free(&v->must);
	cw_unmet_free(&v->should);
	cw_unmet_free(&v->overridable);
}
