/*
 * The web front door in-process: cw_web_handle() with no socket, over a
 * fresh demo area. Routing, login, session expiry, CSRF, the throttle,
 * permissions, not-found, form errors and confidentiality per role.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <criterion/criterion.h>
#include "cwtest.h"
#include "web.h"
#include "carewatch/date.h"
#include "carewatch/rules.h"

#define DEMO_PASSWORD "carewatch-demo"

typedef struct {
	cwt t;
	char today[CW_DATE_STRLEN];
	cw_web_app *app;
	char cookie[128];
	char csrf[80];
	long long now;
	const char *addr;
	cw_web_response r;   /* the last response */
} web;

static void web_setup(web *w)
{
	memset(w, 0, sizeof(*w));
	cwt_setup(&w->t, NULL);
	/* The web uses the clock, so the demo is dated by it too. */
	w->t.today = cw_date_format(cw_date_today_utc(), w->today);
	cr_assert_eq(cwt_run(&w->t, "demo-admin", "init", NULL), 0, "%s", w->t.err);
	cr_assert_eq(cwt_run(&w->t, "demo-admin", "demo", NULL), 0, "%s", w->t.err);
	cr_assert_eq(cw_web_app_new(&w->app, w->t.db), 0);
	w->now = (long long)time(NULL);
	w->addr = "192.0.2.1";
}

static void web_teardown(web *w)
{
	cw_web_response_free(&w->r);
	cw_web_app_free(w->app);
	cwt_teardown(&w->t);
}

static int request(web *w, const char *method, const char *path, bool json,
	const cw_web_pair *form, size_t nform)
{
	char pathbuf[512], cookie[160];
	cw_web_request req = { 0 };
	char *q;

	snprintf(pathbuf, sizeof(pathbuf), "%s", path);
	q = strchr(pathbuf, '?');
	if (q)
		*q++ = '\0';
	snprintf(cookie, sizeof(cookie), "cw_session=%s", w->cookie);
	req.method = method;
	req.path = pathbuf;
	req.query = q;
	req.cookie = w->cookie[0] ? cookie : NULL;
	req.accept = json ? "application/json" : "text/html";
	req.addr = w->addr;
	req.form = form;
	req.nform = nform;
	req.now = w->now;
	cw_web_response_free(&w->r);
	cw_web_handle(w->app, &req, &w->r);
	return w->r.status;
}

static int get(web *w, const char *path)
{
	return request(w, "GET", path, false, NULL, 0);
}

static json_t *get_json(web *w, const char *path)
{
	json_t *j;

	cr_assert_eq(request(w, "GET", path, true, NULL, 0), 200, "GET %s: %d %s", path,
		w->r.status, w->r.body.ptr);
	j = json_loads(w->r.body.ptr, 0, NULL);
	cr_assert_not_null(j, "GET %s is not JSON: %s", path, w->r.body.ptr);
	return j;
}

/* POST name, value, ... NULL; the session's CSRF token is added unless
 * the first name is "!nocsrf". */
static int post(web *w, const char *path, ...)
{
	cw_web_pair form[40];
	size_t n = 0;
	const char *k;
	va_list ap;
	bool csrf = true;

	va_start(ap, path);
	while ((k = va_arg(ap, const char *)) != NULL && n < 38) {
		if (strcmp(k, "!nocsrf") == 0) {
			csrf = false;
			continue;
		}
		form[n].name = (char *)k;
		form[n].value = (char *)va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	if (csrf && w->csrf[0]) {
		form[n].name = (char *)"csrf";
		form[n].value = w->csrf;
		n++;
	}
	return request(w, "POST", path, false, form, n);
}

static const char *body(web *w)
{
	return w->r.body.ptr ? w->r.body.ptr : "";
}

/* Sign in; the session cookie and its CSRF token are kept for what follows. */
static int login(web *w, const char *name, const char *password)
{
	cw_web_pair form[2] = { { (char *)"name", (char *)name }, { (char *)"password", (char *)password } };
	const char *set;
	int status = request(w, "POST", "/login", true, form, 2);

	if (status != 200)
		return status;
	set = cw_web_header(&w->r, "Set-Cookie");
	cr_assert_not_null(set);
	cr_assert_eq(sscanf(set, "cw_session=%127[0-9a-f]", w->cookie), 1, "%s", set);
	{
		json_t *j = json_loads(body(w), 0, NULL);

		snprintf(w->csrf, sizeof(w->csrf), "%s", json_string_value(json_object_get(j, "csrf")));
		json_decref(j);
	}
	return status;
}

/* The id of a demo provider with no case and of one in a given stage. */
static char *provider_id(web *w, const char *stage)
{
	json_t *list = get_json(w, "/providers"), *p;
	char *id = NULL;
	size_t i;

	json_array_foreach(list, i, p) {
		const char *s = json_string_value(json_object_get(p, "stage"));

		if ((!stage && !s && strcmp(json_string_value(json_object_get(p, "status")), "active") == 0) ||
		    (stage && s && strcmp(s, stage) == 0)) {
			id = strdup(json_string_value(json_object_get(p, "id")));
			break;
		}
	}
	json_decref(list);
	cr_assert_not_null(id, "no demo provider in stage %s", stage ? stage : "(none)");
	return id;
}

static size_t concern_count(web *w)
{
	json_t *l = get_json(w, "/admin/export/concerns");
	size_t n = json_array_size(l);

	json_decref(l);
	return n;
}

TestSuite(web, .timeout = 120);

Test(web, no_session_goes_to_login_and_every_response_is_hardened)
{
	web w;

	web_setup(&w);
	cr_assert_eq(get(&w, "/"), 303);
	cr_assert_str_eq(cw_web_header(&w.r, "Location"), "/login");
	cr_assert_eq(request(&w, "GET", "/providers", true, NULL, 0), 401);
	cr_assert_eq(get(&w, "/login"), 200);
	cr_assert(strstr(body(&w), "Sign in"));
	cr_assert(strstr(cw_web_header(&w.r, "Content-Security-Policy"), "frame-ancestors 'none'"));
	cr_assert(strstr(cw_web_header(&w.r, "Content-Security-Policy"), "script-src 'self'"));
	cr_assert_str_eq(cw_web_header(&w.r, "X-Content-Type-Options"), "nosniff");
	cr_assert_str_eq(cw_web_header(&w.r, "Referrer-Policy"), "same-origin");
	cr_assert_str_eq(cw_web_header(&w.r, "Cache-Control"), "no-store");
	/* No crown, no GOV.UK typeface; before login the product heads the page
	 * (the lead commissioner's name is the record's, shown once signed in). */
	cr_assert_null(strstr(body(&w), "govuk-logo"));
	cr_assert(strstr(body(&w), "carewatch"));
	web_teardown(&w);
}

Test(web, login_sets_a_strict_cookie_and_opens_the_watch_list)
{
	web w;
	const char *set;

	web_setup(&w);
	cr_assert_eq(post(&w, "/login", "name", "Morgan Hale", "password", DEMO_PASSWORD, NULL), 303);
	set = cw_web_header(&w.r, "Set-Cookie");
	cr_assert(strstr(set, "HttpOnly") && strstr(set, "SameSite=Strict") && strstr(set, "Path=/"), "%s", set);
	cr_assert_null(strstr(set, "Secure"), "no Secure without TLS");
	cr_assert_eq(login(&w, "morgan hale", DEMO_PASSWORD), 200, "names are matched without case");
	cr_assert_eq(get(&w, "/"), 200);
	cr_assert(strstr(body(&w), "Watch list"));
	cr_assert(strstr(body(&w), "govuk-tag--red\">red</strong>"), "RAG carries the word");
	cr_assert_eq(w.r.user[0] != '\0', 1);
	cr_assert_str_eq(w.r.user, "Morgan Hale");
	web_teardown(&w);
}

Test(web, wrong_password_and_unknown_user_are_refused_alike)
{
	web w;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", "not-the-password"), 401);
	cr_assert(strstr(body(&w), "user name or password is not right"));
	cr_assert_eq(login(&w, "Nobody At All", "not-the-password"), 401);
	cr_assert(strstr(body(&w), "user name or password is not right"));
	web_teardown(&w);
}

Test(web, the_json_answers_are_the_engines_objects)
{
	web w;
	json_t *rows;

	web_setup(&w);
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);
	rows = get_json(&w, "/");
	cr_assert(json_is_array(rows));
	cr_assert_gt(json_array_size(rows), 3);
	cr_assert_not_null(json_object_get(json_array_get(rows, 0), "computed_band"));
	cr_assert_eq(cwt_run(&w.t, "Lee Carter", "--json", "watchlist", NULL), 0);
	cr_assert(json_equal(rows, w.t.json), "the page's JSON is the CLI's --json");
	json_decref(rows);
	web_teardown(&w);
}

Test(web, idle_and_absolute_timeouts_end_a_session)
{
	web w;
	int i;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	w.now += 29 * 60;
	cr_assert_eq(get(&w, "/"), 200, "within the idle time");
	w.now += 31 * 60;
	cr_assert_eq(get(&w, "/"), 303, "idle for 31 minutes");
	cr_assert_str_eq(cw_web_header(&w.r, "Location"), "/login");

	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	for (i = 0; i < 33; i++) {   /* active every 20 minutes for 11 hours */
		w.now += 20 * 60;
		if (get(&w, "/") != 200)
			break;
	}
	cr_assert_eq(i, 30, "the session ends at 10 hours (request %d, at 620 minutes)", i);
	web_teardown(&w);
}

Test(web, logout_ends_the_session_on_the_server)
{
	web w;
	char old[128];

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	snprintf(old, sizeof(old), "%s", w.cookie);
	cr_assert_eq(post(&w, "/logout", NULL), 303);
	cr_assert(strstr(cw_web_header(&w.r, "Set-Cookie"), "Max-Age=0"));
	snprintf(w.cookie, sizeof(w.cookie), "%s", old);
	cr_assert_eq(get(&w, "/"), 303, "the cookie from before logout is refused");
	cr_assert_eq(request(&w, "GET", "/", true, NULL, 0), 401);
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "--json", "audit", NULL), 0);
	cr_assert(strstr(w.t.out, "auth.login") && strstr(w.t.out, "auth.logout"));
	web_teardown(&w);
}

Test(web, a_post_without_the_sessions_csrf_token_writes_nothing)
{
	web w;
	char *pid;
	size_t before;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	pid = provider_id(&w, NULL);
	before = concern_count(&w);
	cr_assert_eq(post(&w, "/concerns", "!nocsrf", "provider", pid, "source", "complaint", "team",
		"commissioning", "summary", "Forged", "likelihood", "2", "impact", "2", NULL), 403);
	cr_assert_eq(post(&w, "/concerns", "!nocsrf", "csrf", "0000", "provider", pid, "source", "complaint",
		"team", "commissioning", "summary", "Forged", "likelihood", "2", "impact", "2", NULL), 403);
	/* Another session's token is no better. */
	{
		web other = w;
		char mine[80];

		snprintf(mine, sizeof(mine), "%s", w.csrf);
		cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
		snprintf(w.csrf, sizeof(w.csrf), "%s", mine);
		(void)other;
		cr_assert_neq(strcmp(w.cookie, other.cookie), 0);
	}
	cr_assert_eq(post(&w, "/concerns", "provider", pid, "source", "complaint", "team",
		"commissioning", "summary", "Forged", "likelihood", "2", "impact", "2", NULL), 403);
	cr_assert_eq(concern_count(&w), before, "nothing was written");
	free(pid);
	web_teardown(&w);
}

Test(web, five_failures_lock_the_name_even_against_the_right_password)
{
	web w;
	int i;

	web_setup(&w);
	for (i = 0; i < 4; i++)
		cr_assert_eq(login(&w, "Morgan Hale", "wrong-password"), 401, "failure %d", i + 1);
	cr_assert_eq(login(&w, "Morgan Hale", "wrong-password"), 429, "the fifth locks");
	w.addr = "192.0.2.99";   /* from another address: the name is locked */
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 429);
	cr_assert(strstr(body(&w), "locked"));
	cr_assert_eq(login(&w, "Priya Anand", DEMO_PASSWORD), 200, "other names are not");
	w.now += 16 * 60;
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200, "15 minutes later it opens");
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "--json", "audit", NULL), 0);
	cr_assert(strstr(w.t.out, "auth.failure") && strstr(w.t.out, "auth.lockout"));
	cr_assert_null(strstr(w.t.out, "wrong-password"), "passwords are never recorded");
	cr_assert_null(strstr(w.t.out, DEMO_PASSWORD));
	web_teardown(&w);
}

Test(web, failures_from_one_address_lock_that_address)
{
	web w;
	int i;

	web_setup(&w);
	for (i = 0; i < 5; i++)
		login(&w, i % 2 ? "Someone Else" : "Nobody Here", "wrong-password");
	cr_assert_eq(login(&w, "Priya Anand", DEMO_PASSWORD), 429);
	w.addr = "192.0.2.2";
	cr_assert_eq(login(&w, "Priya Anand", DEMO_PASSWORD), 200);
	web_teardown(&w);
}

Test(web, each_permission_refusal_is_403_and_writes_nothing)
{
	web w;
	char *pid, *ppm, path[160];
	json_t *p;
	size_t before;

	web_setup(&w);
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);  /* viewer */
	pid = provider_id(&w, NULL);
	before = concern_count(&w);
	cr_assert_eq(post(&w, "/concerns", "provider", pid, "source", "complaint", "team",
		"commissioning", "summary", "Viewer tries", "likelihood", "2", "impact", "2", NULL), 403);
	cr_assert_eq(concern_count(&w), before);
	snprintf(path, sizeof(path), "/providers/%s/concerns/new", pid);
	cr_assert_eq(get(&w, path), 403);
	cr_assert_eq(get(&w, "/admin"), 403);
	cr_assert_eq(get(&w, "/admin/users"), 403);
	cr_assert_eq(post(&w, "/admin/users", "name", "Mallory", "roles", "admin", NULL), 403);
	snprintf(path, sizeof(path), "/providers/%s/case", pid);
	cr_assert_eq(post(&w, path, "reason", "viewer", NULL), 403);
	cr_assert_eq(post(&w, "/qa", "date-day", "1", "date-month", "1", "date-year", "2026", NULL), 403);

	/* A contracts manager may not suspend: the decision is the director's. */
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	ppm = provider_id(&w, "provider_performance");
	snprintf(path, sizeof(path), "/providers/%s", ppm);
	p = get_json(&w, path);
	snprintf(path, sizeof(path), "/cases/%s/do/suspend",
		json_string_value(json_object_get(p, "case_id")));
	cr_assert_eq(get(&w, path), 403);
	cr_assert_eq(post(&w, path, "commissioner", "Carewatch County Council", "kind", "voluntary",
		"reason", "not mine to decide", NULL), 403);
	cr_assert(strstr(body(&w), "You cannot do that"));
	json_decref(p);
	free(pid);
	free(ppm);
	web_teardown(&w);
}

Test(web, unknown_pages_and_static_traversal_are_404)
{
	web w;

	web_setup(&w);
	cr_assert_eq(get(&w, "/static/govuk-frontend.min.css"), 200);
	cr_assert(strstr(cw_web_header(&w.r, "Content-Type"), "text/css"));
	cr_assert_eq(get(&w, "/static/carewatch.css"), 200);
	cr_assert(strstr(body(&w), "system-ui"), "our own font stack");
	cr_assert_eq(get(&w, "/static/../CMakeLists.txt"), 404);
	cr_assert_eq(get(&w, "/static/%2e%2e/CMakeLists.txt"), 404);
	cr_assert_eq(get(&w, "/static/..%2fCMakeLists.txt"), 404);
	cr_assert_eq(get(&w, "/static/nothing.css"), 404);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	cr_assert_eq(get(&w, "/no/such/page"), 404);
	cr_assert_eq(get(&w, "/providers/00000000-0000-0000-0000-000000000000"), 404);
	cr_assert_eq(get(&w, "/concerns/ffffffff"), 404);
	cr_assert_eq(request(&w, "DELETE", "/", false, NULL, 0), 405);
	web_teardown(&w);
}

Test(web, a_form_error_names_its_field_and_keeps_what_was_typed)
{
	web w;
	char *pid;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	pid = provider_id(&w, NULL);
	cr_assert_eq(post(&w, "/concerns", "provider", pid, "source", "complaint", "team",
		"commissioning", "summary", "Call bells <unanswered>", "likelihood", "9", "impact", "2",
		NULL), 400);
	cr_assert(strstr(body(&w), "govuk-error-summary"));
	cr_assert(strstr(body(&w), "<a href=\"#likelihood\">"), "the summary links to the field");
	cr_assert(strstr(body(&w), "id=\"likelihood-error\""), "the error is beside the field");
	cr_assert(strstr(body(&w), "Call bells &lt;unanswered&gt;</textarea>"), "typed text kept, escaped");
	cr_assert(strstr(body(&w), "<option value=\"complaint\" selected>"));
	/* A date that does not exist is the date field's error. */
	cr_assert_eq(post(&w, "/concerns", "provider", pid, "source", "complaint", "team",
		"commissioning", "summary", "x", "likelihood", "2", "impact", "2", "received-day", "31",
		"received-month", "2", "received-year", "2026", NULL), 400);
	cr_assert(strstr(body(&w), "id=\"received-error\""));
	cr_assert(strstr(body(&w), "value=\"31\""));
	free(pid);
	web_teardown(&w);
}

Test(web, a_refused_transition_lists_every_unmet_condition)
{
	web w;
	char *ppm, path[160];
	json_t *p;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	ppm = provider_id(&w, "provider_performance");
	snprintf(path, sizeof(path), "/providers/%s", ppm);
	p = get_json(&w, path);
	snprintf(path, sizeof(path), "/cases/%s/do/close", json_string_value(json_object_get(p, "case_id")));
	cr_assert_eq(post(&w, path, "outcome", "improved", "rationale", "Looks better", NULL), 409,
		"%s", body(&w));
	cr_assert(strstr(body(&w), "govuk-error-summary"));
	cr_assert(strstr(body(&w), "unmet condition"));
	cr_assert(strstr(body(&w), "Looks better"), "the rationale typed is kept");
	json_decref(p);
	free(ppm);
	web_teardown(&w);
}

Test(web, a_pova_reference_is_seen_only_by_the_roles_that_may)
{
	web w;
	char *pid, path[160];
	static const char *const secret = "POVA-SECRET-4471";

	web_setup(&w);
	cr_assert_eq(login(&w, "Priya Anand", DEMO_PASSWORD), 200);  /* safeguarding */
	pid = provider_id(&w, NULL);
	snprintf(path, sizeof(path), "/providers/%s/concerns/new", pid);
	cr_assert_eq(get(&w, path), 200);
	cr_assert(strstr(body(&w), "name=\"pova_ref\""), "safeguarding gets the POVA fields");
	cr_assert_eq(post(&w, "/concerns", "provider", pid, "source", "pova_referral", "team",
		"safeguarding", "summary", "Unexplained bruising", "likelihood", "3", "impact", "4",
		"pova_ref", secret, "subject_ref", "SU-SECRET-88", NULL), 303, "%s", body(&w));
	snprintf(path, sizeof(path), "/providers/%s", pid);
	cr_assert_eq(get(&w, path), 200);
	cr_assert(strstr(body(&w), secret));

	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);  /* viewer */
	cr_assert_eq(get(&w, path), 200);
	cr_assert_null(strstr(body(&w), secret), "not on the provider page");
	cr_assert(strstr(body(&w), "[confidential]"));
	cr_assert_eq(request(&w, "GET", path, true, NULL, 0), 200);
	cr_assert_null(strstr(body(&w), secret), "nor in its JSON");
	cr_assert_eq(get(&w, "/admin/export/concerns"), 200);
	cr_assert_null(strstr(body(&w), secret), "nor in an export");
	cr_assert_null(strstr(body(&w), "SU-SECRET-88"));
	cr_assert_eq(get(&w, "/agenda.md"), 200);
	cr_assert(strstr(body(&w), "Agenda") || strstr(body(&w), "agenda"), "%s", body(&w));
	cr_assert_null(strstr(body(&w), secret), "nor in the QA agenda");
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);  /* contracts */
	cr_assert_eq(get(&w, path), 200);
	cr_assert_null(strstr(body(&w), secret));
	snprintf(path, sizeof(path), "/providers/%s/concerns/new", pid);
	cr_assert_eq(get(&w, path), 200);
	cr_assert_null(strstr(body(&w), "name=\"pova_ref\""), "no POVA fields for contracts");
	cr_assert_eq(login(&w, "Dafydd Rees", DEMO_PASSWORD), 200);  /* director */
	snprintf(path, sizeof(path), "/providers/%s", pid);
	cr_assert_eq(get(&w, path), 200);
	cr_assert(strstr(body(&w), secret));
	free(pid);
	web_teardown(&w);
}

Test(web, a_case_runs_from_concern_to_escalation_in_the_browser_forms)
{
	web w;
	char *pid, path[200], caseid[64];
	const char *loc;
	json_t *k;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	pid = provider_id(&w, NULL);
	cr_assert_eq(post(&w, "/concerns", "provider", pid, "source", "monitoring_visit", "team",
		"commissioning", "summary", "MAR charts incomplete", "likelihood", "3", "impact", "4",
		"received-day", "", "received-month", "", "received-year", "", NULL), 303, "%s", body(&w));
	snprintf(path, sizeof(path), "/providers/%s/case", pid);
	cr_assert_eq(post(&w, path, "reason", "Red concern at a visit", NULL), 303, "%s", body(&w));
	loc = cw_web_header(&w.r, "Location");
	cr_assert_eq(sscanf(loc, "/cases/%63s", caseid), 1);
	snprintf(path, sizeof(path), "/cases/%s", caseid);
	cr_assert_eq(get(&w, path), 200);
	cr_assert(strstr(body(&w), "/do/escalate"), "escalate is offered");
	cr_assert_null(strstr(body(&w), "/do/deescalate"), "de-escalate is not, in QA");
	cr_assert_null(strstr(body(&w), "/do/suspend"), "suspend is the director's");
	snprintf(path, sizeof(path), "/cases/%s/do/escalate", caseid);
	cr_assert_eq(post(&w, path, "trigger", "single_or_repeated_concern", "chair", "Morgan Hale",
		"note", "", NULL), 303, "%s", body(&w));
	snprintf(path, sizeof(path), "/cases/%s", caseid);
	k = get_json(&w, path);
	cr_assert_str_eq(json_string_value(json_object_get(k, "stage")), "provider_performance");
	json_decref(k);
	/* A meeting with repeated attendee rows, one of them left blank. */
	snprintf(path, sizeof(path), "/cases/%s/meetings", caseid);
	{
		char day[4], month[4], year[8];
		int y, m, d;

		cw_date_to_ymd(cw_date_today_utc(), &y, &m, &d);
		snprintf(day, sizeof(day), "%d", d);
		snprintf(month, sizeof(month), "%d", m);
		snprintf(year, sizeof(year), "%d", y);
		cr_assert_eq(post(&w, path, "date-day", day, "date-month", month, "date-year", year,
			"chair", "Morgan Hale",
			"attendee_name", "Morgan Hale", "attendee_org", "Council", "attendee_role", "Chair",
			"attendee_name", "Ann Provider", "attendee_org", "Elm", "attendee_role", "Manager",
			"attendee_name", "", "attendee_org", "", "attendee_role", "",
			"trend", "same", "overall", "red", NULL), 303, "%s", body(&w));
	}
	snprintf(path, sizeof(path), "/cases/%s", caseid);
	k = get_json(&w, path);
	cr_assert_eq(json_array_size(json_object_get(k, "meetings")), 1);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(k, "meetings"), 0),
		"attendees")), 2);
	json_decref(k);
	free(pid);
	web_teardown(&w);
}

static int passwd_via_stdin(web *w, const char *as, const char *user, const char *password)
{
	char cmd[1024];
	FILE *p;
	int rc;

	snprintf(cmd, sizeof(cmd), "CAREWATCH_DB='%s' CAREWATCH_TODAY='%s' '%s' --as '%s' user passwd '%s'"
		" >/dev/null 2>&1 </dev/stdin", w->t.db, w->today, CW_BINARY, as, user);
	p = popen(cmd, "w");
	cr_assert_not_null(p);
	fprintf(p, "%s\n", password);
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

Test(web, user_passwd_reads_stdin_and_an_admin_resets_on_the_web)
{
	web w;

	web_setup(&w);
	cr_assert_eq(passwd_via_stdin(&w, "demo-admin", "Lee Carter", "short"), 2, "too short: refused");
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200, "unchanged");
	cr_assert_eq(passwd_via_stdin(&w, "Morgan Hale", "Lee Carter", "morgan-sets-it"), 5,
		"only the user or an admin");
	cr_assert_eq(passwd_via_stdin(&w, "demo-admin", "Lee Carter", "lee-new-password"), 0);
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 401);
	cr_assert_eq(login(&w, "Lee Carter", "lee-new-password"), 200);
	/* The user changes it on the web; an admin resets it. */
	cr_assert_eq(post(&w, "/account/password", "password", "lee-own-choice-1", NULL), 303);
	cr_assert_eq(login(&w, "Lee Carter", "lee-own-choice-1"), 200);
	cr_assert_eq(login(&w, "demo-admin", DEMO_PASSWORD), 200);
	cr_assert_eq(post(&w, "/admin/users/Lee%20Carter/password", "password", "reset-by-admin", NULL), 303,
		"%s", body(&w));
	cr_assert_eq(login(&w, "Lee Carter", "reset-by-admin"), 200);
	cr_assert_eq(post(&w, "/admin/users/Morgan%20Hale/password", "password", "lee-takes-over", NULL), 403,
		"a viewer may not reset passwords");
	web_teardown(&w);
}

Test(web, import_by_upload_is_all_or_nothing_and_names_the_bad_value)
{
	web w;
	json_t *before, *after;

	web_setup(&w);
	cr_assert_eq(login(&w, "demo-admin", DEMO_PASSWORD), 200);
	before = get_json(&w, "/providers");
	cr_assert_eq(post(&w, "/admin/import", "kind", "providers", "file",
		"name,type,commissioner\r\nUpload House,domiciliary,Carewatch County Council\r\n"
		"Bad Row,castle,Carewatch County Council\r\n", NULL), 400, "%s", body(&w));
	cr_assert(strstr(body(&w), "line 3"), "the line of the bad value: %s", body(&w));
	after = get_json(&w, "/providers");
	cr_assert_eq(json_array_size(after), json_array_size(before), "nothing imported");
	json_decref(after);
	cr_assert_eq(post(&w, "/admin/import", "kind", "providers", "file",
		"name,type,commissioner\r\nUpload House,domiciliary,Carewatch County Council\r\n", NULL), 200,
		"%s", body(&w));
	after = get_json(&w, "/providers");
	cr_assert_eq(json_array_size(after), json_array_size(before) + 1);
	json_decref(before);
	json_decref(after);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	cr_assert_eq(post(&w, "/admin/import", "kind", "providers", "file", "name,type\r\nX,domiciliary\r\n",
		NULL), 403);
	web_teardown(&w);
}

Test(web, letters_and_documents_print_and_download)
{
	web w;
	char *ppm, path[200];
	json_t *p;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	ppm = provider_id(&w, "provider_performance");
	snprintf(path, sizeof(path), "/providers/%s", ppm);
	p = get_json(&w, path);
	snprintf(path, sizeof(path), "/cases/%s/letters/ppm-commenced-provider?format=text",
		json_string_value(json_object_get(p, "case_id")));
	cr_assert_eq(get(&w, path), 200, "%s", body(&w));
	cr_assert(strstr(cw_web_header(&w.r, "Content-Disposition"), "attachment"));
	cr_assert(strstr(cw_web_header(&w.r, "Content-Type"), "text/plain"));
	snprintf(path, sizeof(path), "/cases/%s/documents/action-plan?format=html",
		json_string_value(json_object_get(p, "case_id")));
	cr_assert_eq(get(&w, path), 200, "%s", body(&w));
	cr_assert(strstr(body(&w), "<html"), "a standalone page");
	cr_assert(strstr(cw_web_header(&w.r, "Content-Security-Policy"), "default-src 'none'"),
		"a printable page runs no script");
	snprintf(path, sizeof(path), "/cases/%s/documents/action-plan?format=markdown",
		json_string_value(json_object_get(p, "case_id")));
	cr_assert_eq(get(&w, path), 200);
	cr_assert(strstr(cw_web_header(&w.r, "Content-Type"), "text/markdown"));
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);
	snprintf(path, sizeof(path), "/cases/%s/letters/ppm-commenced-provider?format=text",
		json_string_value(json_object_get(p, "case_id")));
	cr_assert_eq(get(&w, path), 403, "letters are written by those who may send them");
	json_decref(p);
	free(ppm);
	web_teardown(&w);
}

Test(web, a_refusal_in_json_carries_the_unmet_conditions)
{
	web w;
	char *ppm, path[200];
	cw_web_pair form[4];
	json_t *p, *e;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	ppm = provider_id(&w, "provider_performance");
	snprintf(path, sizeof(path), "/providers/%s", ppm);
	p = get_json(&w, path);
	snprintf(path, sizeof(path), "/cases/%s/do/close", json_string_value(json_object_get(p, "case_id")));
	form[0].name = (char *)"rationale";
	form[0].value = (char *)"Better now";
	form[1].name = (char *)"csrf";
	form[1].value = w.csrf;
	form[2].name = (char *)"outcome";
	form[2].value = (char *)"improved";
	cr_assert_eq(request(&w, "POST", path, true, form, 3), 409, "%s", body(&w));
	e = json_loads(body(&w), 0, NULL);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(e, "error"), "code")), "refused");
	cr_assert_gt(json_array_size(json_object_get(json_object_get(e, "error"), "unmet")), 0, "%s", body(&w));
	json_decref(e);
	json_decref(p);
	free(ppm);
	web_teardown(&w);
}

Test(web, an_admin_edits_roles_and_a_deactivated_user_is_shut_out_everywhere)
{
	web w;
	char lee[128], lee_csrf[80];
	json_t *u;

	web_setup(&w);
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);
	snprintf(lee, sizeof(lee), "%s", w.cookie);
	snprintf(lee_csrf, sizeof(lee_csrf), "%s", w.csrf);
	cr_assert_eq(login(&w, "demo-admin", DEMO_PASSWORD), 200);
	cr_assert_eq(get(&w, "/admin/users/Lee%20Carter"), 200, "%s", body(&w));
	cr_assert(strstr(body(&w), "action=\"/admin/users/") && strstr(body(&w), "/deactivate\""));
	cr_assert_eq(post(&w, "/admin/users/Lee%20Carter/roles", "role", "viewer,castle", NULL), 400);
	cr_assert(strstr(body(&w), "href=\"#role\""), "the error names the field: %s", body(&w));
	cr_assert(strstr(body(&w), "value=\"viewer,castle\""), "what was typed is kept");
	cr_assert_eq(post(&w, "/admin/users/Lee%20Carter/roles", "role", "viewer,qa", NULL), 303,
		"%s", body(&w));
	u = get_json(&w, "/admin/users/Lee%20Carter");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(u, "roles"), 1)), "qa");
	json_decref(u);
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "audit", NULL), 0, "%s", w.t.err);
	cr_assert(strstr(w.t.out, "user.edit") && strstr(w.t.out, "viewer,qa"),
		"audited with before and after: %s", w.t.out);
	/* The last admin cannot be removed, nor deactivate themselves. */
	cr_assert_eq(post(&w, "/admin/users/demo-admin/roles", "role", "viewer", NULL), 409);
	cr_assert_eq(post(&w, "/admin/users/demo-admin/deactivate", "reason", "leaving", NULL), 409);
	/* A reason is required; nothing is written without one. */
	cr_assert_eq(post(&w, "/admin/users/Lee%20Carter/deactivate", "reason", "", NULL), 400);
	cr_assert_eq(request(&w, "GET", "/admin/users/Lee%20Carter", true, NULL, 0), 200);
	cr_assert(strstr(body(&w), "\"active\": true"), "%s", body(&w));
	cr_assert_eq(post(&w, "/admin/users/Lee%20Carter/deactivate", "reason", "Left the council", NULL),
		303, "%s", body(&w));
	cr_assert_eq(get(&w, "/admin/users"), 200);
	cr_assert(strstr(body(&w), "Deactivated"));
	/* Lee's open session ended with the deactivation. */
	snprintf(w.cookie, sizeof(w.cookie), "%s", lee);
	snprintf(w.csrf, sizeof(w.csrf), "%s", lee_csrf);
	cr_assert_eq(get(&w, "/"), 303, "the old session is refused");
	cr_assert_str_eq(cw_web_header(&w.r, "Location"), "/login");
	w.cookie[0] = '\0';
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 401, "cannot log in");
	/* Nor act on the command line. */
	cr_assert_eq(cwt_run(&w.t, "Lee Carter", "watchlist", NULL), 5);
	cr_assert(strstr(w.t.err, "deactivated"), "%s", w.t.err);
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "user", "deactivate", "Lee Carter", "--reason", "again",
		NULL), 4, "already deactivated");
	/* Their past records keep their name; the list says who is active. */
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "user", "list", "--json", NULL), 0);
	cr_assert(strstr(w.t.out, "Lee Carter"));
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "user", "edit", "Morgan Hale", "--role", "contracts,qa",
		NULL), 0, "%s", w.t.err);
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "user", "deactivate", "Morgan Hale", NULL), 2,
		"--reason is required");
	web_teardown(&w);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Sorting by a column and filtering by level and stage: the same rows as the
 * whole list, in the order asked for (levels and counts highest first). */
Test(web, the_watch_list_sorts_and_filters_by_level_and_stage)
{
	static const char *const rank[] = { "green", "yellow", "amber", "red" };
	web w;
	json_t *all, *by_score, *by_score_up, *red, *none, *by_band, *r;
	size_t i, n;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	all = get_json(&w, "/");
	by_score = get_json(&w, "/?sort=max_score");
	by_score_up = get_json(&w, "/?sort=max_score&dir=desc");
	by_band = get_json(&w, "/?sort=band");
	red = get_json(&w, "/?band=red");
	none = get_json(&w, "/?stage=none");
	n = json_array_size(all);
	cr_assert_gt(n, 3);
	cr_assert_eq(json_array_size(by_score), n);
	for (i = 1; i < n; i++) {
		cr_assert_geq(json_integer_value(json_object_get(json_array_get(by_score, i - 1), "max_score")),
			json_integer_value(json_object_get(json_array_get(by_score, i), "max_score")));
		cr_assert_leq(json_integer_value(json_object_get(json_array_get(by_score_up, i - 1), "max_score")),
			json_integer_value(json_object_get(json_array_get(by_score_up, i), "max_score")));
	}
	for (i = 1; i < n; i++) {
		int a = -1, b = -1;

		for (int k = 0; k < 4; k++) {
			if (jstr(json_array_get(by_band, i - 1), "band") &&
			    strcmp(jstr(json_array_get(by_band, i - 1), "band"), rank[k]) == 0)
				a = k;
			if (jstr(json_array_get(by_band, i), "band") &&
			    strcmp(jstr(json_array_get(by_band, i), "band"), rank[k]) == 0)
				b = k;
		}
		cr_assert_geq(a, b, "by level, highest first");
	}
	cr_assert_gt(json_array_size(red), 0);
	cr_assert_lt(json_array_size(red), n);
	json_array_foreach(red, i, r)
		cr_assert_str_eq(jstr(r, "band"), "red");
	cr_assert_gt(json_array_size(none), 0);
	cr_assert_lt(json_array_size(none), n);
	json_array_foreach(none, i, r)
		cr_assert(json_is_null(json_object_get(r, "stage")), "%s has a case", jstr(r, "provider"));
	json_decref(all);
	json_decref(by_score);
	json_decref(by_score_up);
	json_decref(by_band);
	json_decref(red);
	json_decref(none);
	web_teardown(&w);
}

Test(web, the_watch_list_filters_by_team_and_speaks_in_words_with_its_heat_map)
{
	web w;
	json_t *all, *safe, *concerns, *r, *e;
	size_t i, j;

	web_setup(&w);
	cr_assert_eq(login(&w, "Morgan Hale", DEMO_PASSWORD), 200);
	all = get_json(&w, "/");
	safe = get_json(&w, "/?team=safeguarding");
	concerns = get_json(&w, "/admin/export/concerns");
	cr_assert_gt(json_array_size(safe), 0);
	cr_assert_lt(json_array_size(safe), json_array_size(all), "the team filter filters");
	/* Every row kept has an open concern from that team; every row left out has none. */
	json_array_foreach(all, i, r) {
		bool has = false, kept = false;

		json_array_foreach(concerns, j, e)
			if (strcmp(json_string_value(json_object_get(e, "provider_id")),
					json_string_value(json_object_get(r, "provider_id"))) == 0 &&
			    strcmp(json_string_value(json_object_get(e, "team")), "safeguarding") == 0 &&
			    !json_is_true(json_object_get(e, "positive")) &&
			    strcmp(json_string_value(json_object_get(e, "status")), "open") == 0)
				has = true;
		json_array_foreach(safe, j, e)
			if (json_equal(json_object_get(e, "provider_id"), json_object_get(r, "provider_id")))
				kept = true;
		cr_assert_eq(has, kept, "%s", json_string_value(json_object_get(r, "provider")));
	}
	json_decref(all);
	json_decref(safe);
	json_decref(concerns);
	cr_assert_eq(get(&w, "/?team=castle"), 400);
	cr_assert_eq(get(&w, "/?team=safeguarding&stage=embargo"), 200);
	cr_assert(strstr(body(&w), "<option value=\"safeguarding\" selected>Safeguarding</option>"),
		"the filter keeps its choice, in words");
	cr_assert_eq(get(&w, "/"), 200);
	/* Stages and flags in words; the case's reference; the heat map. */
	cr_assert(strstr(body(&w), ">Provider performance<"), "%s", body(&w));
	cr_assert(strstr(body(&w), "<li>Red concern</li>"));
	cr_assert_null(strstr(body(&w), "<li>red_concern</li>"));
	cr_assert_null(strstr(body(&w), ">provider_performance<"), "no identifier as text");
	cr_assert(strstr(body(&w), "case K-0"), "the case's reference");
	cr_assert(strstr(body(&w), "<svg") && strstr(body(&w), "<title id=\"cw-heatmap-area-title\">"),
		"the heat map, with its title");
	/* References in the other tables people read. */
	cr_assert_eq(get(&w, "/cases"), 200);
	cr_assert(strstr(body(&w), ">K-0001<"), "the cases table names cases by reference");
	{
		char *pid = provider_id(&w, "embargo"), path[160];

		snprintf(path, sizeof(path), "/providers/%s", pid);
		cr_assert_eq(get(&w, path), 200);
		cr_assert(strstr(body(&w), "\">C-0"), "the concerns table names concerns by reference");
		cr_assert(strstr(body(&w), "<title id=\"cw-trend-"), "the provider's trend: %.300s",
			strstr(body(&w), "<svg") ? strstr(body(&w), "<svg") : "no svg");
		free(pid);
	}
	web_teardown(&w);
}

/* The address /account/calendar made for the signed-in user (JSON). */
static void calendar_path(web *w, char *out, size_t cap)
{
	cw_web_pair form[1] = { { (char *)"csrf", w->csrf } };
	json_t *j;

	cr_assert_eq(request(w, "POST", "/account/calendar", true, form, 1), 201, "%s", body(w));
	j = json_loads(body(w), 0, NULL);
	snprintf(out, cap, "%s", json_string_value(json_object_get(j, "path")));
	json_decref(j);
	cr_assert(strncmp(out, "/calendar/", 10) == 0 && strlen(out) == 10 + 64 + 4, "%s", out);
}

/* GET a feed with no session, unfolded (RFC 5545 folds long lines). */
static int feed(web *w, const char *path, cw_buf *out)
{
	char saved[128];
	const char *p;
	int status;

	snprintf(saved, sizeof(saved), "%s", w->cookie);
	w->cookie[0] = '\0';
	status = get(w, path);
	snprintf(w->cookie, sizeof(w->cookie), "%s", saved);
	cw_buf_clear(out);
	for (p = body(w); *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		cw_buf_putc(out, *p);
	}
	return status;
}

Test(web, a_users_secret_calendar_address_serves_their_feed_until_reset)
{
	web w;
	char viewer[100], director[100], old[100];
	cw_buf ics = CW_BUF_INIT;

	web_setup(&w);
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);  /* viewer */
	cr_assert_eq(get(&w, "/account"), 200);
	cr_assert(strstr(body(&w), "Make a calendar address"));
	calendar_path(&w, viewer, sizeof(viewer));
	cr_assert_eq(get(&w, "/account"), 200);
	cr_assert(strstr(body(&w), "Reset the calendar address"));
	cr_assert_null(strstr(body(&w), viewer + 10), "the address is shown once only");
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "audit", NULL), 0);
	cr_assert(strstr(w.t.out, "user.calendar_reset"));
	cr_assert_null(strstr(w.t.out, viewer + 10), "never the token in the audit trail");
	cr_assert_eq(login(&w, "Dafydd Rees", DEMO_PASSWORD), 200);  /* director */
	calendar_path(&w, director, sizeof(director));

	/* No session needed; each feed is its owner's redaction. */
	cr_assert_eq(feed(&w, director, &ics), 200, "%s", body(&w));
	cr_assert(strstr(cw_web_header(&w.r, "Content-Type"), "text/calendar"));
	cr_assert(strstr(ics.ptr, "BEGIN:VCALENDAR") && strstr(ics.ptr, "BEGIN:VEVENT"));
	cr_assert(strstr(ics.ptr, "(POVA referral POVA-"), "the director sees the reference: %s", ics.ptr);
	cr_assert_eq(feed(&w, viewer, &ics), 200);
	cr_assert_null(strstr(ics.ptr, "(POVA referral POVA-"), "no confidential field for a viewer");
	cr_assert(strstr(ics.ptr, "(POVA referral [confidential])"), "%s", ics.ptr);

	/* A reset ends the old address; a made-up one is not found. */
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);
	snprintf(old, sizeof(old), "%s", viewer);
	calendar_path(&w, viewer, sizeof(viewer));
	cr_assert_str_neq(old, viewer);
	cr_assert_eq(feed(&w, old, &ics), 404, "refused after reset");
	cr_assert_eq(feed(&w, viewer, &ics), 200);
	cr_assert_eq(feed(&w, "/calendar/0000000000000000000000000000000000000000000000000000000000000000.ics",
		&ics), 404);
	cr_assert_eq(feed(&w, "/calendar/nothing.ics", &ics), 404);
	{
		char days[140];

		snprintf(days, sizeof(days), "%s?days=0", viewer);
		cr_assert_eq(feed(&w, days, &ics), 400);
	}
	/* A deactivated user's feed ends with them. */
	cr_assert_eq(cwt_run(&w.t, "demo-admin", "user", "deactivate", "Lee Carter", "--reason", "left",
		NULL), 0, "%s", w.t.err);
	cr_assert_eq(feed(&w, viewer, &ics), 404);
	cw_buf_free(&ics);
	web_teardown(&w);
}

Test(web, the_provider_timeline_shows_each_correction_with_before_after_and_reason)
{
	web w;
	char *pid, path[160];
	json_t *p, *e;
	size_t i;
	bool found = false;

	web_setup(&w);
	cr_assert_eq(login(&w, "Lee Carter", DEMO_PASSWORD), 200);
	pid = provider_id(&w, NULL);
	cr_assert_eq(cwt_run(&w.t, "Morgan Hale", "provider", "edit", pid, "--regulator-id",
		"1-000777", "--reason", "the id was mistyped", NULL), 0, "%s", w.t.err);
	snprintf(path, sizeof(path), "/providers/%s", pid);
	p = get_json(&w, path);
	json_array_foreach(json_object_get(p, "timeline"), i, e)
		if (strstr(json_string_value(json_object_get(e, "what")), "regulator_id") &&
		    strstr(json_string_value(json_object_get(e, "detail")), "now '1-000777'") &&
		    strstr(json_string_value(json_object_get(e, "detail")), "the id was mistyped"))
			found = true;
	json_decref(p);
	cr_assert(found, "the correction is on the provider's timeline");
	cr_assert_eq(get(&w, path), 200);
	cr_assert(strstr(body(&w), "the id was mistyped"), "and on its page: %s", body(&w));
	free(pid);
	web_teardown(&w);
}
