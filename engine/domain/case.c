/*
 * Cases and their stage machine. The transitions are one table of data
 * (below); every command finds its row, checks the permission and the
 * guards (rules/guards.c) and records a case_events row and an audit entry
 * in the command's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/case.h"
#include "guards.h"
#include "carewatch/placement.h"
#include "lookup.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "valid.h"
#include "case_internal.h"
#include "case_view.h"
#include "placement_internal.h"
#include "task_internal.h"

static const char *const OUTCOMES_IMPROVED[] = { "improved", "single_agency_monitoring", NULL };
static const char *const OUTCOMES_ENDED[] = { "contract_terminated", "service_closed", NULL };

static const cw_guard *const G_NONE[] = { NULL };
static const cw_guard *const G_DEESCALATE[] = { &cw_guard_deescalate_no_red, NULL };
static const cw_guard *const G_CLOSE[] = {   /* SPEC §5, conditions 1-5 */
	&cw_guard_close_no_red, &cw_guard_close_likelihood_fallen,
	&cw_guard_close_partner_agreement, &cw_guard_close_no_suspension,
	&cw_guard_close_other_suspended, &cw_guard_close_open_tasks, NULL
};
static const cw_guard *const G_END[] = { &cw_guard_decision_role, NULL };
static const cw_guard *const G_SUSPEND[] = {
	&cw_guard_decision_role, &cw_guard_suspend_not_suspended, NULL
};
static const cw_guard *const G_RESTART[] = {
	&cw_guard_decision_role, &cw_guard_restart_suspended,
	&cw_guard_restart_corrective_complete, &cw_guard_restart_no_red, NULL
};
/* Protocol 11.9: another body restarts on its own judgement; the lead's
 * conditions for lifting its embargo are not that body's to meet. */
static const cw_guard *const G_RESTART_OTHER[] = {
	&cw_guard_decision_role, &cw_guard_restart_suspended, NULL
};

/* The stage machine of SPEC §2. Anything not here is refused (exit 4).
 *
 * Suspend and restart are decisions of one commissioner (SPEC §2, protocol
 * 11.9), so their rows carry a scope. LEAD rows are the lead commissioner's
 * embargo: they move the stage. OTHER rows record another body's own
 * decision and placement control: `to` is NULL (the stage stays) and they
 * are allowed from every open stage. Whether the body has something to
 * restart is a guard, not a stage: a suspension to lift, or the conditions
 * of an earlier restart to change or lift (for the lead too, which is why
 * restart from stages 1 and 2 is open to ANY body and leaves the stage).
 * The guards are the same for every scope: the decision role, and for a
 * restart the protocol's conditions. `event` names the notification
 * checklist the move creates (engine/domain/task.c); only the lead's embargo and
 * its lifting create one, which covers telling the other bodies. */
static const struct cw_transition transitions[] = {
	/* from                    command       outcomes           to                      permission         guards        scope        event */
	{ NULL,                   "open",       NULL,              "quality_assurance",    "case.open",       G_NONE,       SCOPE_ANY,   NULL },
	{ "quality_assurance",    "escalate",   NULL,              "provider_performance", "case.escalate",   G_NONE,       SCOPE_ANY,   "process_commenced" },
	{ "provider_performance", "deescalate", NULL,              "quality_assurance",    "case.deescalate", G_DEESCALATE, SCOPE_ANY,   NULL },
	{ "quality_assurance",    "close",      OUTCOMES_IMPROVED, "closed",               "case.close",      G_CLOSE,      SCOPE_ANY,   "process_ended" },
	{ "provider_performance", "close",      OUTCOMES_IMPROVED, "closed",               "case.close",      G_CLOSE,      SCOPE_ANY,   "process_ended" },
	{ "provider_performance", "close",      OUTCOMES_ENDED,    "closed",               "case.close",      G_END,        SCOPE_ANY,   "process_ended" },
	{ "embargo",              "close",      OUTCOMES_ENDED,    "closed",               "case.close",      G_END,        SCOPE_ANY,   "process_ended" },
	/* Suspending is a step up, restarting a step down: the same permissions
	 * as escalating and de-escalating; the decision role is the guard. */
	{ "provider_performance", "suspend",    NULL,              "embargo",              "case.escalate",   G_SUSPEND,    SCOPE_LEAD,  "embargo_placed" },
	{ "embargo",              "restart",    NULL,              "provider_performance", "case.deescalate", G_RESTART,    SCOPE_LEAD,  "embargo_lifted" },
	{ "quality_assurance",    "suspend",    NULL,              NULL,                   "case.escalate",   G_SUSPEND,    SCOPE_OTHER, NULL },
	{ "provider_performance", "suspend",    NULL,              NULL,                   "case.escalate",   G_SUSPEND,    SCOPE_OTHER, NULL },
	{ "embargo",              "suspend",    NULL,              NULL,                   "case.escalate",   G_SUSPEND,    SCOPE_OTHER, NULL },
	{ "quality_assurance",    "restart",    NULL,              NULL,                   "case.deescalate", G_RESTART,    SCOPE_LEAD,  NULL },
	{ "provider_performance", "restart",    NULL,              NULL,                   "case.deescalate", G_RESTART,    SCOPE_LEAD,  NULL },
	{ "quality_assurance",    "restart",    NULL,              NULL,                   "case.deescalate", G_RESTART_OTHER, SCOPE_OTHER, NULL },
	{ "provider_performance", "restart",    NULL,              NULL,                   "case.deescalate", G_RESTART_OTHER, SCOPE_OTHER, NULL },
	{ "embargo",              "restart",    NULL,              NULL,                   "case.deescalate", G_RESTART_OTHER, SCOPE_OTHER, NULL },
};
#define NTRANSITIONS (sizeof(transitions) / sizeof(transitions[0]))

static const char SQL_CASE_OF_PROVIDER[] =
	"SELECT id, stage FROM cases WHERE provider_id = ?1"
	" ORDER BY stage = 'closed', opened DESC, seq DESC LIMIT 1";
static const char SQL_PROVIDER[] = "SELECT name, status FROM providers WHERE id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO cases (id, provider_id, stage, opened, reason, opened_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_SET_STAGE[] = "UPDATE cases SET stage = ?2 WHERE id = ?1";
static const char SQL_ESCALATE[] =
	"UPDATE cases SET stage = ?2, \"trigger\" = ?3, trigger_note = ?4, chair = ?5,"
	" escalated = ?6 WHERE id = ?1";
static const char SQL_CLOSE[] =
	"UPDATE cases SET stage = ?2, outcome = ?3, closed = ?4, close_rationale = ?5,"
	" agreed_by = ?6 WHERE id = ?1";
static const char SQL_PROVIDER_CLOSED[] = "UPDATE providers SET status = 'closed' WHERE id = ?1";
static const char SQL_EVENT[] =
	"INSERT INTO case_events (case_id, on_date, actor, command, from_stage, to_stage,"
	" rationale, override) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* Concerns linked to a case: the open, scored concerns of its provider
 * (the same statement serves the flags in case_view.c). */
static const char SQL_OPEN_CONCERNS[] =
	"SELECT id, likelihood, COALESCE(first_likelihood, likelihood), impact, ref FROM concerns"
	" WHERE provider_id = ?1 AND status = 'open' AND positive = 0"
	" AND likelihood IS NOT NULL AND impact IS NOT NULL ORDER BY received, id";
static const char SQL_PLAN_ITEMS[] =
	"SELECT a.id, a.kind, a.status, a.concern_id, c.status,"
	" COALESCE(c.first_likelihood, c.likelihood) - c.likelihood, a.ref, c.ref"
	" FROM actions a JOIN concerns c ON c.id = a.concern_id"
	" WHERE a.case_id = ?1 AND a.status <> 'withdrawn' ORDER BY a.due, a.id";
static const char SQL_OPEN_TASKS[] =
	"SELECT description FROM tasks WHERE case_id = ?1 AND done IS NULL ORDER BY created, id";

/* What the stage machine needs to know about a case, and the strings it holds. */
struct snapshot {
	cw_case_snapshot s;
	cw_guard_concern *concerns;
	cw_guard_action *actions;
	json_t *suspended;   /* names of the commissioners with placements suspended */
	const char **suspended_by;
	char **tasks;
	char lead[256];
};

static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (s && strcmp(*list, s) == 0)
			return true;
	return false;
}

static void snapshot_free(struct snapshot *sn)
{
	size_t i;

	for (i = 0; i < sn->s.nconcerns; i++) {
		free((char *)sn->concerns[i].id);
		free((char *)sn->concerns[i].ref);
	}
	for (i = 0; i < sn->s.nactions; i++) {
		free((char *)sn->actions[i].id);
		free((char *)sn->actions[i].ref);
		free((char *)sn->actions[i].concern_id);
		free((char *)sn->actions[i].concern_ref);
	}
	free(sn->concerns);
	free(sn->actions);
	free(sn->suspended_by);
	json_decref(sn->suspended);
	for (i = 0; i < sn->s.nopen_tasks; i++)
		free(sn->tasks[i]);
	free(sn->tasks);
}

/* Each row of a query keyed by one id, added to the snapshot by fn. */
static int snapshot_query(cw_db *db, const char *sql, const char *id,
	void (*fn)(cw_db *, cw_stmt *, struct snapshot *), struct snapshot *sn)
{
	cw_stmt *st = NULL;
	int rc, err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	while ((rc = cw_store_step(db, st)) == CW_ROW)
		fn(db, st, sn);
	cw_store_done(st);
	return rc;
}

static void concern_row(cw_db *db, cw_stmt *st, struct snapshot *sn)
{
	cw_guard_concern *k;

	sn->concerns = cw_reallocarray(sn->concerns, sn->s.nconcerns + 1, sizeof(*k));
	k = &sn->concerns[sn->s.nconcerns++];
	k->id = cw_strdup(cw_store_col_text(st, 0));
	k->ref = cw_store_col_dup(st, 4);
	k->likelihood = (int)cw_store_col_int(st, 1);
	k->first_likelihood = (int)cw_store_col_int(st, 2);
	k->impact = (int)cw_store_col_int(st, 3);
	k->band = cw_rules_band(cw_db_rules(db), cw_rules_score(k->likelihood, k->impact));
}

static void action_row(cw_db *db, cw_stmt *st, struct snapshot *sn)
{
	cw_guard_action *a;

	(void)db;
	sn->actions = cw_reallocarray(sn->actions, sn->s.nactions + 1, sizeof(*a));
	a = &sn->actions[sn->s.nactions++];
	a->id = cw_strdup(cw_store_col_text(st, 0));
	a->ref = cw_store_col_dup(st, 6);
	a->concern_ref = cw_store_col_dup(st, 7);
	a->corrective = strcmp(cw_store_col_text(st, 1), "CA") == 0;
	a->completed = strcmp(cw_store_col_text(st, 2), "completed") == 0;
	a->concern_id = cw_strdup(cw_store_col_text(st, 3));
	a->concern_open = strcmp(cw_store_col_text(st, 4), "open") == 0;
	a->likelihood_fall = (int)cw_store_col_int(st, 5);
}

static void task_row(cw_db *db, cw_stmt *st, struct snapshot *sn)
{
	(void)db;
	sn->tasks = cw_reallocarray(sn->tasks, sn->s.nopen_tasks + 1, sizeof(*sn->tasks));
	sn->tasks[sn->s.nopen_tasks++] = cw_strdup(cw_store_col_text(st, 0));
}

/* The lead commissioner's name, and the case's notification tasks not ticked. */
static int snapshot_load_more(cw_db *db, const struct cw_case_ref *c, struct snapshot *sn)
{
	cw_placement_body *bodies = NULL;
	size_t i, n = 0;
	int err;

	if ((err = cw_placement_commissioners(db, c->provider_id, &bodies, &n)) != CW_OK)
		return err;
	for (i = 0; i < n; i++)
		if (bodies[i].lead) {
			snprintf(sn->lead, sizeof(sn->lead), "%s", bodies[i].name);
			sn->s.lead = sn->lead;
		}
	free(bodies);
	err = snapshot_query(db, SQL_OPEN_TASKS, c->id, task_row, sn);
	sn->s.open_tasks = (const char *const *)sn->tasks;
	return err;
}

static int snapshot_load(cw_db *db, const struct cw_case_ref *c, const struct cw_move *m,
	struct snapshot *sn)
{
	const cw_rules *r = cw_db_rules(db);
	size_t i;
	int err;

	memset(sn, 0, sizeof(*sn));
	sn->s.stage = c->stage;
	sn->s.actor = cw_db_actor(db);
	sn->s.agreed_by = m->agreed_by;
	sn->s.commissioner = m->commissioner;
	sn->s.commissioner_restricted = m->restricted;
	if ((err = cw_placement_suspended_by(db, c->provider_id, &sn->suspended)) != CW_OK)
		return err;
	sn->s.nsuspended = json_array_size(sn->suspended);
	sn->suspended_by = cw_calloc(sn->s.nsuspended + 1, sizeof(*sn->suspended_by));
	for (i = 0; i < sn->s.nsuspended; i++)
		sn->suspended_by[i] = json_string_value(json_array_get(sn->suspended, i));
	sn->s.suspended_by = sn->suspended_by;
	sn->s.decision_role = cw_list_has(cw_db_actor_roles(db), cw_rules_string(r, "decision_role"));
	err = snapshot_query(db, SQL_OPEN_CONCERNS, c->provider_id, concern_row, sn);
	sn->s.concerns = sn->concerns;
	if (err != CW_OK)
		return err;
	err = snapshot_query(db, SQL_PLAN_ITEMS, c->id, action_row, sn);
	sn->s.actions = sn->actions;
	if (err != CW_OK)
		return err;
	return snapshot_load_more(db, c, sn);
}

const char *cw_case_command_perm(const char *command)
{
	size_t i;

	for (i = 0; i < NTRANSITIONS; i++)
		if (strcmp(transitions[i].command, command) == 0)
			return transitions[i].perm;
	return NULL;
}

/* Does the row apply to a command made for the lead commissioner or not? */
static bool in_scope(const struct cw_transition *t, bool lead)
{
	return t->scope == SCOPE_ANY || (t->scope == SCOPE_LEAD) == lead;
}

static bool row_matches(const struct cw_transition *t, const char *stage,
	const char *command, const char *outcome, bool lead)
{
	if ((t->from == NULL) != (stage == NULL) || (t->from && stage && strcmp(t->from, stage) != 0))
		return false;
	return strcmp(t->command, command) == 0 && (!t->outcomes || in_list(t->outcomes, outcome))
		&& in_scope(t, lead);
}

static const struct cw_transition *find_row(const char *stage, const char *command,
	const char *outcome, bool lead)
{
	size_t i;

	for (i = 0; i < NTRANSITIONS; i++)
		if (row_matches(&transitions[i], stage, command, outcome, lead))
			return &transitions[i];
	return NULL;
}

/* "case close (outcome: improved)", and the same for what is allowed
 * instead; the field in parentheses, as every front door names it. */
static void describe(cw_buf *b, const char *command, const char *const *outcomes)
{
	const char *const *o;

	cw_buf_printf(b, "case %s", command);
	for (o = outcomes; o && *o; o++)
		cw_buf_printf(b, "%s%s", o == outcomes ? " (outcome: " : "|", *o);
	if (outcomes && *outcomes)
		cw_buf_putc(b, ')');
}

static int refuse_transition(const struct cw_case_ref *c, const char *command,
	const char *outcome, bool lead)
{
	cw_buf tried = CW_BUF_INIT, allowed = CW_BUF_INIT;
	const char *one[] = { outcome, NULL };
	size_t i;
	int err;

	describe(&tried, command, outcome ? one : NULL);
	if (strcmp(command, "suspend") == 0 || strcmp(command, "restart") == 0)
		cw_buf_puts(&tried, lead ? " (lead commissioner)" : " (not the lead commissioner)");
	for (i = 0; i < NTRANSITIONS; i++)
		if (transitions[i].from && strcmp(transitions[i].from, c->stage) == 0 &&
		    in_scope(&transitions[i], lead)) {
			if (allowed.len)
				cw_buf_puts(&allowed, ", ");
			describe(&allowed, transitions[i].command, transitions[i].outcomes);
		}
	if (allowed.len)
		err = cw_error(CW_EREFUSED,
			"case %s is in stage %s: '%s' is not allowed from it (allowed from %s: %s)",
			cw_case_name(c), c->stage, cw_buf_cstr(&tried), c->stage, cw_buf_cstr(&allowed));
	else
		err = cw_error(CW_EREFUSED,
			"case %s is in stage %s: '%s' is not allowed from it (nothing is allowed"
			" from %s; open a new case with 'case open')",
			cw_case_name(c), c->stage, cw_buf_cstr(&tried), c->stage);
	cw_buf_free(&tried);
	cw_buf_free(&allowed);
	return err;
}

static json_t *unmet_json(const cw_unmet *u)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; u && i < u->n; i++)
		json_array_append_new(a, json_string(u->v[i]));
	return a;
}

/* The one way a command passes the stage machine (see case_internal.h). */
int cw_case_check(cw_db *db, const struct cw_case_ref *c, const struct cw_move *m,
	const struct cw_transition **rowp, json_t **overridden)
{
	struct snapshot sn;
	cw_guard_verdict v;
	const struct cw_transition *row = NULL;
	const char *command = m->command, *override = m->override;
	size_t i;
	int err;

	*overridden = NULL;
	if (!(row = find_row(c->stage, command, m->outcome, m->lead)))
		return refuse_transition(c, command, m->outcome, m->lead);
	if ((err = snapshot_load(db, c, m, &sn)) != CW_OK) {
		snapshot_free(&sn);
		return err;
	}
	cw_guards_evaluate(row->guards, &sn.s, cw_db_rules(db), override != NULL, &v);
	if (v.status != CW_OK) {
		cw_buf why = CW_BUF_INIT;

		for (i = 0; i < v.overridable.n; i++)
			cw_buf_printf(&why, "%s%s", i ? ", " : "", v.overridable.v[i]);
		if (v.needs_override)
			err = cw_error(CW_EREFUSED,
				"'case %s' refused for case %s: %zu unmet condition%s; the rules"
				" make %s a 'should' rule, so an override may proceed (override: the"
				" reason, which is recorded)", command, cw_case_name(c), v.should.n,
				v.should.n == 1 ? "" : "s", cw_buf_cstr(&why));
		else
			err = cw_error(v.status, "'case %s' refused for case %s: %zu unmet condition%s",
				command, cw_case_name(c), v.must.n + v.should.n,
				v.must.n + v.should.n == 1 ? "" : "s");
		for (i = 0; i < v.must.n; i++)
			cw_error_unmet("%s", v.must.v[i]);
		for (i = 0; i < v.should.n; i++)
			cw_error_unmet("%s", v.should.v[i]);
		cw_buf_free(&why);
	} else {
		*rowp = row;
		*overridden = v.overridden ? unmet_json(&v.should) : NULL;
	}
	cw_guard_verdict_free(&v);
	snapshot_free(&sn);
	return err;
}

/*
 * The case_events row and the audit entry of a transition. `details` (stolen)
 * carries what the command adds; `override` is kept only when it lifted
 * something (`overridden` is then stolen too).
 */
int cw_case_record(cw_db *db, const struct cw_case_ref *c, const struct cw_transition *row,
	const char *rationale, const char *override, json_t *overridden, json_t *details)
{
	cw_stmt *st = NULL;
	const char *kept = overridden ? override : NULL;
	/* Another commissioner's decision leaves the case where it is. */
	const char *to = row->to ? row->to : c->stage;
	char action[48];
	int err;

	if (!details)
		details = json_object();
	json_object_set_new(details, "provider_id", json_string(c->provider_id));
	json_object_set_new(details, "from", row->from ? json_string(row->from) : json_null());
	json_object_set_new(details, "to", json_string(to));
	json_object_set_new(details, "rationale", rationale ? json_string(rationale) : json_null());
	if (kept) {
		json_object_set_new(details, "override", json_string(kept));
		json_object_set_new(details, "overridden", overridden);
		overridden = NULL;
	}
	if ((err = cw_store_prepare(db, SQL_EVENT, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, c->id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	cw_store_bind_text(st, 3, cw_db_actor(db));
	cw_store_bind_text(st, 4, row->command);
	cw_store_bind_text(st, 5, row->from);
	cw_store_bind_text(st, 6, to);
	cw_store_bind_text(st, 7, rationale);
	cw_store_bind_text(st, 8, kept);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	snprintf(action, sizeof(action), "case.%s", row->command);
	err = cw_audit_append(db, action, c->id, details);
	details = NULL;
	if (err == CW_OK && row->event)
		err = cw_tasks_for_event(db, c->id, row->event);
done:
	json_decref(details);
	json_decref(overridden);
	return err;
}

/* How every move ends: the record, then the case as it now stands. */
int cw_case_record_show(cw_db *db, const struct cw_case_ref *c, const struct cw_transition *row,
	const char *rationale, const char *override, json_t *overridden, json_t *details,
	json_t **out)
{
	int err = cw_case_record(db, c, row, rationale, override, overridden, details);

	return err == CW_OK ? cw_case_to_json(db, c->id, true, out) : err;
}

static int set_case_stage(cw_db *db, const char *id, const char *stage)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_SET_STAGE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, stage);
	return cw_store_exec_stmt(db, st);
}

int cw_case_open(cw_db *db, const char *provider, const char *reason, json_t **out)
{
	const struct cw_transition *row = find_row(NULL, "open", NULL, true);
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	char today[CW_DATE_STRLEN];
	int err;

	memset(&c, 0, sizeof(c));
	if ((err = cw_db_require(db, cw_case_command_perm("open"))) != CW_OK ||
	    (err = cw_check_text("reason", reason, CW_TEXT_MAX, true)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_PROVIDER, provider, c.provider_id)) != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL_PROVIDER, c.provider_id, "provider", &st)) == CW_OK &&
	    strcmp(cw_store_col_text(st, 1), "closed") == 0)
		err = cw_error(CW_EREFUSED, "provider '%s' is closed (contract terminated or"
			" service closed); it cannot have a new case", cw_store_col_text(st, 0));
	cw_store_done(st);
	if (err != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL_CASE_OF_PROVIDER, c.provider_id, NULL, &st)) == CW_OK &&
	    strcmp(cw_store_col_text(st, 1), "closed") != 0)
		err = cw_error(CW_EREFUSED, "provider '%s' already has an open case %s (stage %s)",
			provider, cw_store_col_text(st, 0), cw_store_col_text(st, 1));
	else if (err == CW_ENOTFOUND || err == CW_OK)
		err = CW_OK;
	cw_store_done(st);
	if (err != CW_OK)
		return err;
	cw_db_new_id(db, c.id);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, c.id);
	cw_store_bind_text(st, 2, c.provider_id);
	cw_store_bind_text(st, 3, row->to);
	cw_store_bind_text(st, 4, cw_date_format(cw_db_today(db), today));
	cw_store_bind_text(st, 5, reason);
	cw_store_bind_text(st, 6, cw_db_actor(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = cw_case_record(db, &c, row, reason, NULL, NULL, NULL)) != CW_OK)
		return err;
	return cw_case_to_json(db, c.id, true, out);
}

int cw_case_escalate(cw_db *db, const char *ref, const char *trigger,
	const char *chair, const char *note, json_t **out)
{
	const struct cw_move m = { "escalate", NULL, true, false, NULL, false, NULL };
	const struct cw_transition *row = NULL;
	json_t *overridden = NULL;
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	char chair_id[CW_ID_LEN];
	int err;

	if ((err = cw_db_require(db, cw_case_command_perm("escalate"))) != CW_OK ||
	    (err = cw_check_enum("trigger", trigger, cw_case_triggers)) != CW_OK ||
	    (err = cw_check_text("note", note, CW_TEXT_MAX, false)) != CW_OK)
		goto done;
	if (strcmp(trigger, "other") == 0 && (!note || strspn(note, " \t\r\n") == strlen(note))) {
		err = cw_error_at("note", CW_EINVALID, "trigger 'other' needs a note saying what it is");
		goto done;
	}
	if ((err = cw_case_resolve(db, ref, &c)) != CW_OK ||
	    (err = cw_lookup_chair(db, chair, chair_id)) != CW_OK ||
	    (err = cw_case_check(db, &c, &m, &row, &overridden)) != CW_OK ||
	    (err = cw_store_prepare(db, SQL_ESCALATE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, c.id);
	cw_store_bind_text(st, 2, row->to);
	cw_store_bind_text(st, 3, trigger);
	cw_store_bind_text(st, 4, note);
	cw_store_bind_text(st, 5, chair_id);
	cw_store_bind_date(st, 6, cw_db_today(db));
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	err = cw_case_record_show(db, &c, row, note ? note : trigger, NULL, overridden,
		json_pack("{s:s,s:s,s:s?}", "trigger", trigger, "chair", chair_id, "note", note), out);
	overridden = NULL;
done:
	json_decref(overridden);
	return err;
}

int cw_case_deescalate(cw_db *db, const char *ref, const char *rationale,
	const char *override, json_t **out)
{
	const struct cw_move m = { "deescalate", NULL, true, false, NULL, false, override };
	const struct cw_transition *row = NULL;
	json_t *overridden = NULL;
	struct cw_case_ref c;
	int err;

	if ((err = cw_db_require(db, cw_case_command_perm("deescalate"))) != CW_OK ||
	    (err = cw_check_text("rationale", rationale, CW_TEXT_MAX, true)) != CW_OK ||
	    (override && (err = cw_check_text("override", override, CW_TEXT_MAX, true)) != CW_OK) ||
	    (err = cw_case_resolve(db, ref, &c)) != CW_OK ||
	    (err = cw_case_check(db, &c, &m, &row, &overridden)) != CW_OK ||
	    (err = set_case_stage(db, c.id, row->to)) != CW_OK)
		goto done;
	err = cw_case_record_show(db, &c, row, rationale, override, overridden, NULL, out);
	overridden = NULL;
done:
	json_decref(overridden);
	return err;
}

/* "A, b ,C" -> "A,b,C"; CW_EINVALID for an empty organisation. */
static int normalise_orgs(const char *in, cw_buf *out)
{
	const char *p = in;
	int err;

	while (p) {
		const char *it;
		char org[CW_NAME_MAX + 1];
		size_t n;

		p = cw_list_next(p, &it, &n);
		if (n == 0 || n > CW_NAME_MAX)
			return cw_error_at("agreed_by", CW_EINVALID, "agreed_by: '%.60s' is not a list of"
				" organisations (ORG[,ORG...])", in);
		memcpy(org, it, n);
		org[n] = '\0';
		if ((err = cw_check_name("agreed_by", org)) != CW_OK)
			return err;
		cw_buf_printf(out, "%s%s", out->len ? "," : "", org);
	}
	return CW_OK;
}

/*
 * SPEC §5: closing as improved lifts the lead commissioner's restrictions,
 * so a cap never outlives the case; the lifting is named in `details`.
 * Another body's restriction is its own to lift (placement lift).
 */
static int lift_lead_restriction(cw_db *db, const struct cw_case_ref *c, const char *outcome,
	json_t *details)
{
	cw_placement_body *bodies = NULL;
	cw_placement_control ctl;
	char reason[96];
	size_t i, n = 0;
	int err;

	if ((err = cw_placement_commissioners(db, c->provider_id, &bodies, &n)) != CW_OK)
		return err;
	snprintf(reason, sizeof(reason), "case closed (%s)", outcome);
	for (i = 0; i < n && err == CW_OK; i++) {
		if (!bodies[i].lead)
			continue;
		if ((err = cw_placement_control_on(db, c->provider_id, bodies[i].id,
				cw_db_today(db), &ctl)) != CW_OK)
			break;
		if (strcmp(ctl.status, "restricted") == 0 &&
		    (err = cw_placement_lift_control(db, c->provider_id, bodies[i].id, c->id,
				reason)) == CW_OK)
			json_object_set_new(details, "lifted", json_string(bodies[i].name));
		cw_placement_control_free(&ctl);
	}
	free(bodies);
	return err;
}

int cw_case_close(cw_db *db, const char *ref, const cw_case_close_args *a, json_t **out)
{
	json_t *details = NULL;
	const struct cw_transition *row = NULL;
	json_t *overridden = NULL;
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	cw_buf orgs = CW_BUF_INIT;
	struct cw_move m = { "close", a->outcome, true, false, NULL, false, a->override };
	int err;

	if ((err = cw_db_require(db, cw_case_command_perm("close"))) != CW_OK ||
	    (err = cw_check_enum("outcome", a->outcome, cw_case_outcomes)) != CW_OK ||
	    (err = cw_check_text("rationale", a->rationale, CW_TEXT_MAX, true)) != CW_OK ||
	    (a->agreed_by && (err = normalise_orgs(a->agreed_by, &orgs)) != CW_OK) ||
	    (a->override && (err = cw_check_text("override", a->override, CW_TEXT_MAX, true)) != CW_OK) ||
	    (err = cw_case_resolve(db, ref, &c)) != CW_OK)
		goto done;
	m.agreed_by = orgs.len > 0;
	if ((err = cw_case_check(db, &c, &m, &row, &overridden)) != CW_OK)
		goto done;
	if ((err = cw_store_prepare(db, SQL_CLOSE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, c.id);
	cw_store_bind_text(st, 2, row->to);
	cw_store_bind_text(st, 3, a->outcome);
	cw_store_bind_date(st, 4, cw_db_today(db));
	cw_store_bind_text(st, 5, a->rationale);
	cw_store_bind_text(st, 6, orgs.len ? cw_buf_cstr(&orgs) : NULL);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	/* The contract or the service has ended: no new case, no placements. */
	if (in_list(OUTCOMES_ENDED, a->outcome)) {
		if ((err = cw_store_prepare(db, SQL_PROVIDER_CLOSED, &st)) != CW_OK)
			goto done;
		cw_store_bind_text(st, 1, c.provider_id);
		if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
			goto done;
	}
	details = json_pack("{s:s,s:s?}", "outcome", a->outcome,
		"agreed_by", orgs.len ? cw_buf_cstr(&orgs) : NULL);
	if (in_list(OUTCOMES_IMPROVED, a->outcome) &&
	    (err = lift_lead_restriction(db, &c, a->outcome, details)) != CW_OK)
		goto done;
	err = cw_case_record_show(db, &c, row, a->rationale, a->override, overridden, details, out);
	details = NULL;
	overridden = NULL;
done:
	json_decref(details);
	json_decref(overridden);
	cw_buf_free(&orgs);
	return err;
}

