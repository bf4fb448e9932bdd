/*
 * The demo's cases, played out day by day through the ordinary engine calls
 * with "today" moved back, so every event, meeting and task carries a
 * believable date: a case in every stage, an embargo by the lead and a
 * joint one by the health board, a restart with conditions, overdue and
 * extended actions, a provider that stopped coming to meetings, a past QA
 * meeting.
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/action.h"
#include "carewatch/meeting.h"
#include "carewatch/concern.h"
#include "carewatch/placement.h"
#include "carewatch/task.h"
#include "carewatch/watchlist.h"
#include "carewatch/error.h"
#include "demo_internal.h"

#define LEAD "Carewatch County Council"
#define HEALTH "Vale Health Board"
#define CHAIR "Morgan Hale"
#define DIRECTOR "Dafydd Rees"

struct demo {
	cw_db *db;
	cw_date today;               /* the real today, days are counted back from it */
	const char (*c)[CW_ID_LEN];  /* concern ids */
};

static int on(struct demo *d, int days_ago, const char *user)
{
	cw_db_set_today(d->db, d->today - days_ago);
	return cw_db_set_actor(d->db, user);
}

/*
 * Every engine call hands back an entity the demo does not need. It takes
 * the address: in drop(f(&j), &j) the second argument may be read before f
 * runs.
 */
static int drop(int err, json_t **j)
{
	json_decref(*j);
	*j = NULL;
	return err;
}

static int open_escalate(struct demo *d, const char *provider, int opened, const char *reason,
	int escalated, const char *trigger)
{
	json_t *j = NULL;
	int err;

	if ((err = on(d, opened, CHAIR)) != CW_OK ||
	    (err = drop(cw_case_open(d->db, provider, reason, &j), &j)) != CW_OK)
		return err;
	if (escalated < 0)
		return CW_OK;
	if ((err = on(d, escalated, CHAIR)) != CW_OK)
		return err;
	return drop(cw_case_escalate(d->db, provider, trigger, CHAIR, NULL, &j), &j);
}

static int meeting(struct demo *d, const char *provider, int held, const char *overall,
	const char *trend, int next, bool attended, const char *decisions)
{
	static const char *const people[] = {
		"Morgan Hale|Carewatch County Council|Contracts manager (chair)|01234 567891",
		"Priya Anand|Carewatch County Council|Safeguarding manager|01234 567892",
		"Rhian Powell|Vale Health Board|Care home support nurse|rhian.powell@vale.example.nhs.uk",
		"Tom Ellis|Care Inspectorate|Inspector|01234 998877",
	};
	static const char *const minutes[] = { "All attendees", "Head of Adult Services" };
	static const char *const apologies[] = { "Jo Price, Northshire Council" };
	static const char *const sharing[] = {
		"Outline of the concerns and the embargo|GP practices serving the home|"
		"within a week|so that visiting clinicians know to report concerns",
	};
	cw_meeting_record_args a = { 0 };
	json_t *j = NULL;
	int err;

	if ((err = on(d, held, CHAIR)) != CW_OK)
		return err;
	a.case_ref = provider;
	a.date = d->today - held;
	a.chair = CHAIR;
	a.attendees = people;
	a.nattendees = 4;
	a.trend = trend;
	a.overall = overall;
	a.has_next = true;
	a.next = d->today - next;
	a.provider_attended = attended;
	a.decisions = decisions;
	a.time = "10:00";
	a.venue = "Committee Room 2, County Hall";
	a.attendance = attended ? "part" : "none";
	a.minutes_to = minutes;
	a.nminutes_to = 2;
	a.apologies = apologies;
	a.napologies = 1;
	a.sharing = sharing;
	a.nsharing = 1;
	a.next_attendees = attended ? "the registered manager and the responsible individual"
		: "the responsible individual";
	return drop(cw_meeting_record(d->db, &a, &j), &j);
}

static int action(struct demo *d, const char *provider, int concern, const char *kind,
	const char *improvement, int due, const char *owner, char id[CW_ID_LEN])
{
	cw_action_add_args a = { 0 };
	json_t *j = NULL;
	int err;

	a.case_ref = provider;
	a.concern = d->c[concern];
	a.kind = kind;
	a.improvement = improvement;
	a.owner = owner;
	a.due = d->today - due;
	if ((err = cw_action_add(d->db, &a, &j)) == CW_OK)
		snprintf(id, CW_ID_LEN, "%s", json_string_value(json_object_get(j, "id")));
	return drop(err, &j);
}

/* `met`: the day of the recorded meeting that recommended it. */
static int suspend(struct demo *d, const char *provider, int day, int met,
	const char *commissioner, const char *kind, const char *reason)
{
	cw_case_suspend_args a = { 0 };
	json_t *j = NULL;
	int err;

	if ((err = on(d, day, DIRECTOR)) != CW_OK)
		return err;
	a.commissioner = commissioner;
	a.kind = kind;
	a.reason = reason;
	a.has_meeting = true;
	a.meeting = d->today - met;
	return drop(cw_case_suspend(d->db, provider, &a, &j), &j);
}

static int progress(struct demo *d, int day, const char *id, const char *status,
	const char *evidence)
{
	json_t *j = NULL;
	int err;

	if ((err = on(d, day, CHAIR)) != CW_OK)
		return err;
	return drop(cw_action_progress(d->db, id, status, evidence, &j), &j);
}

/* Brookside Court: repeated POVA referrals, still under the lead's embargo,
 * joined by the health board's own. */
static int brookside(struct demo *d)
{
	const char *p = "Brookside Court";
	char a1[CW_ID_LEN], a2[CW_ID_LEN];
	int err;

	if ((err = open_escalate(d, p, 100, "Four POVA referrals in five months", 95,
			"pattern_of_issues")) != CW_OK ||
	    (err = meeting(d, p, 90, "red", "increased", 60, true,
			"Corrective action plan issued; weekly medication audits")) != CW_OK ||
	    (err = action(d, p, 8, "CA", "Weekly audit of medication administration records",
			30, "Registered manager", a1)) != CW_OK ||
	    (err = action(d, p, 10, "CA", "Fluid charts completed and reviewed each shift",
			-14, "Deputy manager", a2)) != CW_OK ||
	    (err = progress(d, 70, a2, "ongoing", "Charts sampled at visit: 7 of 10 complete")) != CW_OK ||
	    (err = meeting(d, p, 60, "red", "same", 30, true,
			"No progress on medication audits; director to consider suspension")) != CW_OK ||
	    (err = suspend(d, p, 60, 60, LEAD, "mandatory",
			"Risk to residents from medication errors and staffing")) != CW_OK ||
	    (err = suspend(d, p, 58, 60, HEALTH, "mandatory",
			"Joint decision with the council after the provider performance meeting")) != CW_OK)
		return err;
	return CW_OK;
}

/* Hillcrest: a regulator's notice, an embargo, the manager appointed, the
 * risk re-rated, a restart at two admissions a week; the health board has
 * kept its voluntary embargo. */
static int hillcrest(struct demo *d)
{
	const char *p = "Hillcrest Nursing Home";
	char a1[CW_ID_LEN];
	cw_case_restart_args r = { 0 };
	cw_concern_rate_args rate = { 0 };
	cw_placement_args pl = { 0 };
	json_t *j = NULL;
	int err;

	if ((err = open_escalate(d, p, 140, "Regulator notice: no registered manager", 135,
			"partner_notification")) != CW_OK ||
	    (err = meeting(d, p, 130, "red", "increased", 100, true,
			"Recruit a registered manager; interim cover from the group")) != CW_OK ||
	    (err = action(d, p, 21, "CA", "Appoint a registered manager", 60,
			"Responsible individual", a1)) != CW_OK ||
	    (err = suspend(d, p, 128, 130, LEAD, "mandatory", "No registered manager for six months")) != CW_OK ||
	    (err = suspend(d, p, 120, 130, HEALTH, "voluntary",
			"The provider asked the health board to pause admissions")) != CW_OK ||
	    (err = progress(d, 90, a1, "ongoing", "Interim manager in post from the group")) != CW_OK)
		return err;
	if ((err = on(d, 70, CHAIR)) != CW_OK ||
	    (err = drop(cw_action_extend(d->db, a1, d->today - 50,
			"Preferred candidate's start delayed by notice period", &j), &j)) != CW_OK ||
	    (err = progress(d, 52, a1, "completed", "Registered manager appointed and registered")) != CW_OK)
		return err;
	rate.likelihood = 1;
	rate.likelihood_given = true;
	rate.note = "Registered manager in post";
	if ((err = on(d, 50, CHAIR)) != CW_OK ||
	    (err = drop(cw_concern_rate(d->db, d->c[21], &rate, &j), &j)) != CW_OK ||
	    (err = meeting(d, p, 48, "amber", "decreased", -20, true,
			"Recommend restarting admissions at a managed pace")) != CW_OK ||
	    (err = on(d, 45, DIRECTOR)) != CW_OK)
		return err;
	r.commissioner = LEAD;
	r.reason = "Manager in post and corrective actions complete";
	r.has_admissions = true;
	r.max_admissions = 2;
	r.per = "week";
	r.has_meeting = true;
	r.meeting = d->today - 48;
	if ((err = drop(cw_case_restart(d->db, p, &r, &j), &j)) != CW_OK)
		return err;
	pl.provider = p;
	pl.commissioner = LEAD;
	pl.has_date = true;
	pl.date = d->today - 44;
	if ((err = on(d, 44, CHAIR)) != CW_OK)
		return err;
	return drop(cw_placement_record(d->db, &pl, &j), &j);
}

/* Harbour Lights: a home-care agency that stopped coming to meetings. */
static int harbour(struct demo *d)
{
	const char *p = "Harbour Lights Home Care";
	char a1[CW_ID_LEN];
	json_t *j = NULL;
	int err;

	if ((err = open_escalate(d, p, 85, "Missed and late calls", 80, "unable_to_improve")) != CW_OK ||
	    (err = meeting(d, p, 75, "amber", "same", 40, false,
			"Provider invited again; call monitoring to be introduced")) != CW_OK ||
	    (err = action(d, p, 15, "DA", "Introduce electronic call monitoring", 30,
			"Branch manager", a1)) != CW_OK ||
	    (err = on(d, 40, CHAIR)) != CW_OK ||
	    (err = drop(cw_action_extend(d->db, a1, d->today - 20,
			"System supplier delayed installation", &j), &j)) != CW_OK ||
	    (err = meeting(d, p, 40, "amber", "same", -10, false,
			"Provider absent again; consider a letter on engagement")) != CW_OK)
		return err;
	return CW_OK;
}

/* Maple Grove: a past case that closed as improved. */
static int maple(struct demo *d)
{
	cw_case_close_args c = { 0 };
	json_t *j = NULL;
	int err;

	if ((err = open_escalate(d, "Maple Grove", 175, "Environment concerns after a visit", -1,
			NULL)) != CW_OK ||
	    (err = on(d, 150, CHAIR)) != CW_OK)
		return err;
	c.outcome = "improved";
	c.rationale = "Repairs completed and checked at a follow-up visit";
	c.agreed_by = LEAD "," HEALTH;
	return drop(cw_case_close(d->db, "Maple Grove", &c, &j), &j);
}

/* Some of the notification checklist has been done, some not. */
static int tick_tasks(struct demo *d, const char *provider, size_t how_many)
{
	json_t *tasks = NULL, *t;
	size_t i;
	int err;

	if ((err = on(d, 55, CHAIR)) != CW_OK ||
	    (err = cw_task_list(d->db, provider, true, &tasks)) != CW_OK)
		return err;
	json_array_foreach(tasks, i, t) {
		json_t *j = NULL;

		if (i == how_many)
			break;
		if ((err = drop(cw_task_done(d->db, json_string_value(json_object_get(t, "id")), &j),
				&j)) != CW_OK)
			break;
	}
	json_decref(tasks);
	return err;
}

int cw_demo_cases(cw_db *db, const char (*concerns)[CW_ID_LEN])
{
	static const char *const present[] = { "Sam Okafor", "Priya Anand", "Morgan Hale",
		"Rhian Powell" };
	struct demo d = { db, cw_db_today(db), concerns };
	json_t *j = NULL;
	int err;

	if ((err = maple(&d)) != CW_OK ||
	    (err = hillcrest(&d)) != CW_OK ||
	    (err = brookside(&d)) != CW_OK ||
	    (err = harbour(&d)) != CW_OK ||
	    (err = tick_tasks(&d, "Hillcrest Nursing Home", 5)) != CW_OK ||
	    (err = tick_tasks(&d, "Brookside Court", 3)) != CW_OK ||
	    (err = open_escalate(&d, "Elm House", 30,
			"Two POVA referrals about medication and pressure care", -1, NULL)) != CW_OK ||
	    (err = on(&d, 21, "Sam Okafor")) != CW_OK ||
	    (err = drop(cw_qa_record(db, d.today - 21, present, 4, &j), &j)) != CW_OK)
		return err;
	cw_db_set_today(db, d.today);
	return CW_OK;
}
