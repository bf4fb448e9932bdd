/*
 * The demo area is built through the same engine calls a user's commands
 * make, each as the user whose role would make it, so the demo exercises
 * the rules and leaves a full audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/demo.h"
#include "carewatch/user.h"
#include "carewatch/auth.h"
#include "carewatch/commissioner.h"
#include "carewatch/provider.h"
#include "carewatch/concern.h"
#include "carewatch/ratings.h"
#include "carewatch/progress.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "demo_data.h"
#include "demo_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DEMO_SEED 20261122UL
/* Progress is counted in the things the demo makes: people, bodies, providers,
 * concerns, then the cases and the ratings as one step each. */
#define DEMO_PROVIDERS_AT (N(demo_users) + N(demo_commissioners))
#define DEMO_CONCERNS_AT(r) (DEMO_PROVIDERS_AT + (r)->nproviders)
#define DEMO_UNITS(r) (DEMO_CONCERNS_AT(r) + (r)->nconcerns + 2)

/*
 * Every demo user, and the admin who fills the demo, log in to
 * `carewatch serve` with the published demo password DEMO_PASSWORD (README).
 * Its argon2id string is made once here rather than at every demo.
 */
static int add_users(cw_db *db)
{
	size_t i;
	int err;

	for (i = 0; i < N(demo_users); i++) {
		json_t *u = NULL;

		if ((err = cw_user_add(db, demo_users[i].name, demo_users[i].roles, &u)) != CW_OK ||
		    (err = cw_auth_set_password_hash(db, demo_users[i].name, DEMO_PASSWORD_HASH)) != CW_OK)
			return err;
		json_decref(u);
	}
	if (cw_db_actor(db))
		return cw_auth_set_password_hash(db, cw_db_actor(db), DEMO_PASSWORD_HASH);
	return CW_OK;
}

static int add_commissioners(cw_db *db)
{
	size_t i;
	int err;

	for (i = 0; i < N(demo_commissioners); i++) {
		json_t *c = NULL;

		if ((err = cw_commissioner_add_details(db, demo_commissioners[i].name,
				demo_commissioners[i].kind, demo_commissioners[i].lead,
				demo_commissioners[i].lead ? &demo_letterhead : NULL, &c)) != CW_OK)
			return err;
		json_decref(c);
	}
	return CW_OK;
}

static int add_providers(cw_db *db, const struct demo_rows *r)
{
	size_t i;
	int err;

	for (i = 0; i < r->nproviders; i++) {
		const struct demo_provider *p = &r->providers[i];
		const char *comm[N(demo_commissioners)];
		char names[256], *n = names;
		cw_provider_add_args a = { 0 };
		json_t *out = NULL;
		size_t k = 0;

		/* "A;B": the names, cut apart in a copy. */
		snprintf(names, sizeof(names), "%s", p->commissioners);
		while (*n && k < N(comm)) {
			comm[k++] = n;
			n += strcspn(n, ";");
			if (*n)
				*n++ = '\0';
		}
		a.name = p->name;
		a.type = p->type;
		a.regulator_id = p->regulator_id;
		a.in_house = p->in_house;
		a.group = p->group;
		a.commissioners = comm;
		a.ncommissioners = k;
		if ((err = cw_provider_add(db, &a, &out)) != CW_OK)
			return err;
		json_decref(out);
		cw_progress_report(DEMO_PROVIDERS_AT + i + 1, DEMO_UNITS(r));
	}
	return CW_OK;
}

/* Keeps each concern's id, in the order of its row, for the cases. */
static int add_concerns(cw_db *db, const struct demo_rows *r, char (*ids)[CW_ID_LEN])
{
	size_t i;
	int err, pova = 0;

	for (i = 0; i < r->nconcerns; i++) {
		const struct demo_concern *c = &r->concerns[i];
		const char *who = strcmp(c->team, "safeguarding") == 0 ||
			strcmp(c->source, "pova_referral") == 0 ? "Priya Anand" : "Morgan Hale";
		char pref[32], sref[32];
		json_t *out = NULL;

		if ((err = cw_db_set_actor(db, who)) != CW_OK)
			return err;
		if (c->impact == 0) {
			cw_concern_positive_args a = { 0 };

			a.provider = c->provider;
			a.team = c->team;
			a.summary = c->summary;
			a.received_given = true;
			a.received = cw_db_today(db) - c->days_ago;
			err = cw_concern_positive(db, &a, &out);
		} else {
			cw_concern_log_args a = { 0 };

			a.provider = c->provider;
			a.source = c->source;
			a.team = c->team;
			a.category = *c->category ? c->category : NULL;
			a.summary = c->summary;
			a.likelihood = c->likelihood;
			a.impact = c->impact;
			a.received_given = true;
			a.received = cw_db_today(db) - c->days_ago;
			if (strcmp(c->source, "pova_referral") == 0) {
				pova++;
				snprintf(pref, sizeof(pref), "POVA-%04d", 100 + pova);
				snprintf(sref, sizeof(sref), "SU-%05d", 40000 + pova * 37);
				a.pova_ref = pref;
				a.subject_ref = sref;
			}
			err = cw_concern_log(db, &a, &out);
		}
		if (err != CW_OK)
			return err;
		snprintf(ids[i], CW_ID_LEN, "%s", json_string_value(json_object_get(out, "id")));
		cw_progress_report(DEMO_CONCERNS_AT(r) + i + 1, DEMO_UNITS(r));
		if (c->resolved) {
			json_t *res = NULL;
			const char *id = json_string_value(json_object_get(out, "id"));

			err = cw_concern_resolve(db, id, "Resolved at a monitoring visit", &res);
			json_decref(res);
		}
		json_decref(out);
		if (err != CW_OK)
			return err;
	}
	return CW_OK;
}

/*
 * The regulator's ratings of a few homes, as the CQC publishes them (its
 * ratings file's own columns, a row per service group and key question):
 * Brookside's fall to Inadequate, Elm House's Requires improvement, and a
 * Good at Hillcrest so old that it no longer says much.
 */
static int add_ratings(cw_db *db)
{
	static const struct { const char *id, *name, *rating; int days_ago; } rows[] = {
		{ "CH-1003", "Brookside Court", "Good", 1500 },
		{ "CH-1003", "Brookside Court", "Inadequate", 120 },
		{ "CH-1001", "Elm House", "Requires improvement", 300 },
		{ "CH-1006", "Hillcrest Nursing Home", "Good", 1250 },
		{ "CH-1014", "St Brynach's Nursing Home", "Good", 700 },
		{ "CH-9001", "A home in another area", "Good", 200 },
	};
	cw_buf csv = CW_BUF_INIT;
	json_t *out = NULL;
	size_t i;
	int err;

	cw_buf_puts(&csv, "Location ID,Location Name,Service / Population Group,Domain,"
		"Latest Rating,Publication Date\r\n");
	for (i = 0; i < N(rows); i++) {
		int y, m, d;

		cw_date_to_ymd(cw_db_today(db) - rows[i].days_ago, &y, &m, &d);
		cw_buf_printf(&csv, "%s,%s,Overall,Safe,%s,%02d/%02d/%04d\r\n", rows[i].id,
			rows[i].name, rows[i].rating, d, m, y);
		cw_buf_printf(&csv, "%s,%s,Overall,Overall,%s,%02d/%02d/%04d\r\n", rows[i].id,
			rows[i].name, rows[i].rating, d, m, y);
	}
	/* One step of the demo's progress, not a file's. */
	cw_progress_hold(true);
	err = cw_ratings_import(db, csv.ptr, csv.len, "demo-cqc-ratings.csv", &out);
	cw_progress_hold(false);
	json_decref(out);
	cw_buf_free(&csv);
	return err;
}

int cw_demo_fill(cw_db *db, json_t **out)
{
	char *admin = NULL;
	char (*ids)[CW_ID_LEN] = NULL;
	struct demo_rows rows = { 0 };
	cw_date today = cw_db_today(db);
	long providers;
	int err;

	if ((err = cw_db_require(db, "user.write")) != CW_OK)
		return err;
	if ((err = cw_provider_count(db, &providers)) != CW_OK)
		return err;
	if (providers > 0)
		return cw_error(CW_EREFUSED,
			"the demo fills only an empty database; this one has %ld provider%s", providers,
			providers == 1 ? "" : "s");
	if ((err = demo_rows_load(&rows)) != CW_OK)
		goto done;
	admin = cw_strdup(cw_db_actor(db));
	ids = cw_calloc(rows.nconcerns, sizeof(*ids));
	today = cw_db_today(db);
	cw_db_seed_ids(db, DEMO_SEED);
	if ((err = add_users(db)) != CW_OK ||
	    (err = add_commissioners(db)) != CW_OK ||
	    (err = cw_db_set_actor(db, "Morgan Hale")) != CW_OK ||
	    (err = add_providers(db, &rows)) != CW_OK ||
	    (err = add_concerns(db, &rows, ids)) != CW_OK ||
	    (err = cw_demo_cases(db, (const char (*)[CW_ID_LEN])ids)) != CW_OK)
		goto done;
	cw_progress_report(DEMO_UNITS(&rows) - 1, DEMO_UNITS(&rows));
	cw_db_set_today(db, today);
	if ((err = cw_db_set_actor(db, admin)) == CW_OK)
		err = add_ratings(db);
	if (err == CW_OK)
		cw_progress_report(DEMO_UNITS(&rows), DEMO_UNITS(&rows));
	if (err == CW_OK)
		*out = json_pack("{s:i,s:i,s:i,s:i,s:i}",
			"users", (int)N(demo_users), "commissioners", (int)N(demo_commissioners),
			"providers", (int)rows.nproviders, "concerns", (int)rows.nconcerns,
			"cases", 5);
done:
	cw_db_set_today(db, today);
	demo_rows_free(&rows);
	free(ids);
	free(admin);
	return err;
}
