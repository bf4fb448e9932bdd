/*
 * Concerns and positive feedback: logging, re-rating, resolving, reading.
 * The entity is built here, and only here, so the POVA references are
 * redacted before any caller can see them.
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/concern.h"
#include "carewatch/audit.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "guards.h"
#include "lookup.h"
#include "carewatch/rules.h"
#include "store.h"
#include "valid.h"

const char *const cw_concern_sources[] = {
	"monitoring_visit", "complaint", "pova_referral", "regulator", "health_board",
	"care_manager", "service_user", "whistleblower", "other", NULL
};

const char *const cw_concern_teams[] = {
	"commissioning", "safeguarding", "care_management", "supporting_people",
	"health", "other", NULL
};

#define CONCERN_COLS \
	"c.id, c.provider_id, p.name, c.received, c.source, c.team, c.category," \
	" c.summary, c.likelihood, c.impact, c.status, c.pova_ref, c.subject_ref," \
	" c.positive, c.first_likelihood, c.resolved, c.resolve_note, c.logged_by, c.ref"
#define CONCERN_FROM " FROM concerns c JOIN providers p ON p.id = c.provider_id"

static const char SQL_BY_ID[] =
	"SELECT " CONCERN_COLS CONCERN_FROM " WHERE c.id = ?1";
/* Newest received first: what a reader of the list looks for. */
static const char SQL_LIST[] =
	"SELECT " CONCERN_COLS CONCERN_FROM
	" WHERE (?1 IS NULL OR c.provider_id = ?1) AND (?2 = 0 OR c.status = 'open')"
	" ORDER BY c.received DESC, c.seq DESC";
static const char SQL_INSERT[] =
	"INSERT INTO concerns (id, provider_id, received, source, team, category,"
	" summary, likelihood, first_likelihood, impact, status, pova_ref,"
	" subject_ref, positive, logged_by, created)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, 'open', ?10, ?11, ?12, ?13, ?14)";
static const char SQL_RATING_INSERT[] =
	"INSERT INTO concern_ratings (concern_id, rated_on, actor, likelihood, impact, note)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_RATINGS[] =
	"SELECT rated_on, actor, likelihood, impact, note FROM concern_ratings"
	" WHERE concern_id = ?1 ORDER BY id";
static const char SQL_STATE[] =
	"SELECT status, positive, likelihood, impact, ref FROM concerns WHERE id = ?1";
static const char SQL_RATE[] = "UPDATE concerns SET likelihood = ?2 WHERE id = ?1";
static const char SQL_RESOLVE[] =
	"UPDATE concerns SET status = 'resolved', resolved = ?2, resolve_note = ?3"
	" WHERE id = ?1 AND status = 'open'";

/* A POVA reference as this actor may see it; null stays null, so a reader
 * can still tell a POVA concern from any other. */
static json_t *col_confidential(cw_db *db, cw_stmt *st, int i)
{
	if (cw_store_col_is_null(st, i))
		return json_null();
	if (!cw_db_sees_confidential(db))
		return json_string(CW_CONFIDENTIAL);
	return json_string(cw_store_col_text(st, i));
}

/* Score and band of a rating, null for positive feedback. */
static void set_score(cw_db *db, json_t *obj, json_t *l, json_t *i)
{
	int score;
	const char *band;

	if (!json_is_integer(l) || !json_is_integer(i)) {
		json_object_set_new(obj, "score", json_null());
		json_object_set_new(obj, "band", json_null());
		return;
	}
	score = cw_rules_score((int)json_integer_value(l), (int)json_integer_value(i));
	band = cw_band_name(cw_rules_band(cw_db_rules(db), score));
	json_object_set_new(obj, "score", json_integer(score));
	json_object_set_new(obj, "band", band ? json_string(band) : json_null());
}

/* The concern entity from a row of CONCERN_COLS, keys in SPEC §8 order. */
static json_t *row_json(cw_db *db, cw_stmt *st)
{
	json_t *c = json_object(), *l = cw_store_col_json_int(st, 8), *i = cw_store_col_json_int(st, 9);

	json_object_set_new(c, "id", json_string(cw_store_col_text(st, 0)));
	json_object_set_new(c, "ref", cw_store_col_json_text(st, 18));
	json_object_set_new(c, "provider_id", json_string(cw_store_col_text(st, 1)));
	json_object_set_new(c, "provider", json_string(cw_store_col_text(st, 2)));
	json_object_set_new(c, "received", json_string(cw_store_col_text(st, 3)));
	json_object_set_new(c, "source", json_string(cw_store_col_text(st, 4)));
	json_object_set_new(c, "team", json_string(cw_store_col_text(st, 5)));
	json_object_set_new(c, "category", cw_store_col_json_text(st, 6));
	json_object_set_new(c, "summary", json_string(cw_store_col_text(st, 7)));
	json_object_set_new(c, "likelihood", l);
	json_object_set_new(c, "impact", i);
	set_score(db, c, l, i);
	json_object_set_new(c, "status", json_string(cw_store_col_text(st, 10)));
	json_object_set_new(c, "pova_ref", col_confidential(db, st, 11));
	json_object_set_new(c, "subject_ref", col_confidential(db, st, 12));
	json_object_set_new(c, "positive", json_boolean(cw_store_col_int(st, 13)));
	json_object_set_new(c, "first_likelihood", cw_store_col_json_int(st, 14));
	json_object_set_new(c, "resolved", cw_store_col_json_text(st, 15));
	json_object_set_new(c, "resolve_note", cw_store_col_json_text(st, 16));
	json_object_set_new(c, "logged_by", json_string(cw_store_col_text(st, 17)));
	return c;
}

int cw_concern_get(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_BY_ID, id, "concern", &st)) == CW_OK)
		*out = row_json(db, st);
	cw_store_done(st);
	return err;
}

/* A row of the list, left out when a band is asked for and it has another.
 * The band depends on the rules in force, so it is filtered here rather
 * than stored. */
static json_t *list_row(cw_db *db, cw_stmt *st, void *arg)
{
	const char *band = arg;
	json_t *c = row_json(db, st);
	const char *cb = json_string_value(json_object_get(c, "band"));

	if (band && (!cb || strcmp(cb, band) != 0)) {
		json_decref(c);
		return NULL;
	}
	return c;
}

int cw_concern_list(cw_db *db, const cw_concern_filter *f, json_t **out)
{
	static const cw_concern_filter all = { NULL, false, NULL };
	cw_stmt *st = NULL;
	const char *band = NULL;
	char pid[CW_ID_LEN];
	cw_band b;
	int err;

	if (!f)
		f = &all;
	if (f->band) {
		if ((err = cw_band_parse(f->band, &b)) != CW_OK)
			return err;
		band = cw_band_name(b);
	}
	if ((f->provider && (err = cw_lookup(db, CW_KIND_PROVIDER, f->provider, pid)) != CW_OK) ||
	    (err = cw_store_prepare(db, SQL_LIST, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, f->provider ? pid : NULL);
	cw_store_bind_int(st, 2, f->open_only ? 1 : 0);
	return cw_store_rows(db, st, list_row, (void *)band, out);
}

static json_t *rating_json(cw_db *db, cw_stmt *st, void *arg)
{
	json_t *r = json_object();
	json_t *l = cw_store_col_json_int(st, 2), *i = cw_store_col_json_int(st, 3);

	(void)arg;
	json_object_set_new(r, "date", json_string(cw_store_col_text(st, 0)));
	json_object_set_new(r, "actor", json_string(cw_store_col_text(st, 1)));
	json_object_set_new(r, "likelihood", l);
	json_object_set_new(r, "impact", i);
	set_score(db, r, l, i);
	json_object_set_new(r, "note", cw_store_col_json_text(st, 4));
	return r;
}

static int ratings_json(cw_db *db, const char *id, json_t **out)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_RATINGS, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	return cw_store_rows(db, st, rating_json, NULL, out);
}

/* The concern with its rating history, by exact id. */
static int concern_full(cw_db *db, const char *id, json_t **out)
{
	json_t *c = NULL, *ratings = NULL;
	int err;

	if ((err = cw_concern_get(db, id, &c)) != CW_OK ||
	    (err = ratings_json(db, id, &ratings)) != CW_OK) {
		json_decref(c);
		return err;
	}
	json_object_set_new(c, "ratings", ratings);
	*out = c;
	return CW_OK;
}

int cw_concern_show(cw_db *db, const char *ref, json_t **out)
{
	char id[CW_ID_LEN];
	int err;

	if ((err = cw_lookup(db, CW_KIND_CONCERN, ref, id)) != CW_OK)
		return err;
	return concern_full(db, id, out);
}

/* A row for the concerns table; likelihood 0 stores NULL (no score). */
struct new_concern {
	const char *provider_id, *source, *team, *category, *summary;
	const char *pova_ref, *subject_ref;
	int likelihood, impact;
	cw_date received;
	bool positive;
};

static int insert_concern(cw_db *db, const struct new_concern *n, char id[CW_ID_LEN])
{
	cw_stmt *st = NULL;
	char today[CW_DATE_STRLEN];
	int err;

	cw_db_new_id(db, id);
	cw_date_format(cw_db_today(db), today);
	if ((err = cw_store_prepare(db, SQL_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, n->provider_id);
	cw_store_bind_date(st, 3, n->received);
	cw_store_bind_text(st, 4, n->source);
	cw_store_bind_text(st, 5, n->team);
	cw_store_bind_text(st, 6, n->category);
	cw_store_bind_text(st, 7, n->summary);
	if (n->positive) {
		cw_store_bind_null(st, 8);
		cw_store_bind_null(st, 9);
	} else {
		cw_store_bind_int(st, 8, n->likelihood);
		cw_store_bind_int(st, 9, n->impact);
	}
	cw_store_bind_text(st, 10, n->pova_ref);
	cw_store_bind_text(st, 11, n->subject_ref);
	cw_store_bind_int(st, 12, n->positive ? 1 : 0);
	cw_store_bind_text(st, 13, cw_db_actor(db));
	cw_store_bind_text(st, 14, today);
	return cw_store_exec_stmt(db, st);
}

static int insert_rating(cw_db *db, const char *id, int likelihood, int impact,
	const char *note)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_prepare(db, SQL_RATING_INSERT, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_date(st, 2, cw_db_today(db));
	cw_store_bind_text(st, 3, cw_db_actor(db));
	cw_store_bind_int(st, 4, likelihood);
	cw_store_bind_int(st, 5, impact);
	cw_store_bind_text(st, 6, note);
	return cw_store_exec_stmt(db, st);
}

/* The received date: today unless given; never in the future. */
static int received_date(cw_db *db, bool given, cw_date d, cw_date *out)
{
	char a[CW_DATE_STRLEN], b[CW_DATE_STRLEN];

	if (!given) {
		*out = cw_db_today(db);
		return CW_OK;
	}
	if (d > cw_db_today(db))
		return cw_error(CW_EINVALID, "the received date %s is after today (%s)",
			cw_date_format(d, a), cw_date_format(cw_db_today(db), b));
	*out = d;
	return CW_OK;
}

/* Both POVA references for a pova_referral, neither for any other source. */
static int check_pova(const cw_concern_log_args *a, bool pova)
{
	int err;

	if (!pova) {
		if (a->pova_ref || a->subject_ref)
			return cw_error_at(a->pova_ref ? "pova_ref" : "subject_ref", CW_EINVALID,
				"only a pova_referral concern carries a POVA reference"
				" and a service-user reference; this one's source is %s",
				a->source);
		return CW_OK;
	}
	if (!a->pova_ref || !a->subject_ref)
		return cw_error_at(!a->pova_ref ? "pova_ref" : "subject_ref", CW_EINVALID,
			"a pova_referral concern needs both the POVA referral reference"
			" and the service user's reference");
	if ((err = cw_check_name("pova_ref", a->pova_ref)) != CW_OK ||
	    (err = cw_check_name("subject_ref", a->subject_ref)) != CW_OK)
		return err;
	return CW_OK;
}

int cw_concern_log(cw_db *db, const cw_concern_log_args *a, json_t **out)
{
	const cw_rules *r = cw_db_rules(db);
	struct new_concern n = { 0 };
	char pid[CW_ID_LEN], id[CW_ID_LEN], rec[CW_DATE_STRLEN];
	bool pova;
	int err;

	if ((err = cw_db_require(db, "concern.write")) != CW_OK ||
	    (err = cw_check_enum("source", a->source, cw_concern_sources)) != CW_OK)
		return err;
	pova = strcmp(a->source, "pova_referral") == 0;
	if ((pova && (err = cw_db_require(db, "concern.pova")) != CW_OK) ||
	    (err = cw_check_enum("team", a->team, cw_concern_teams)) != CW_OK ||
	    (err = cw_rules_check_likelihood(r, a->likelihood)) != CW_OK ||
	    (err = cw_rules_check_impact(r, a->impact)) != CW_OK ||
	    (err = cw_check_text("summary", a->summary, CW_TEXT_MAX, true)) != CW_OK ||
	    (a->category && (err = cw_check_name("category", a->category)) != CW_OK) ||
	    (err = check_pova(a, pova)) != CW_OK ||
	    (err = received_date(db, a->received_given, a->received, &n.received)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_PROVIDER, a->provider, pid)) != CW_OK)
		return err;
	n.provider_id = pid;
	n.source = a->source;
	n.team = a->team;
	n.category = a->category;
	n.summary = a->summary;
	n.pova_ref = a->pova_ref;
	n.subject_ref = a->subject_ref;
	n.likelihood = (int)a->likelihood;
	n.impact = (int)a->impact;
	if ((err = insert_concern(db, &n, id)) != CW_OK ||
	    (err = insert_rating(db, id, n.likelihood, n.impact, NULL)) != CW_OK)
		return err;
	/* The audit listing redacts pova_ref and subject_ref for its readers. */
	if ((err = cw_audit_append(db, "concern.log", id,
			json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:i,s:i,s:s?,s:s?}",
				"provider_id", pid, "received", cw_date_format(n.received, rec),
				"source", n.source, "team", n.team, "category", n.category,
				"summary", n.summary, "likelihood", n.likelihood,
				"impact", n.impact, "pova_ref", n.pova_ref,
				"subject_ref", n.subject_ref))) != CW_OK)
		return err;
	return cw_concern_get(db, id, out);
}

int cw_concern_positive(cw_db *db, const cw_concern_positive_args *a, json_t **out)
{
	struct new_concern n = { 0 };
	char pid[CW_ID_LEN], id[CW_ID_LEN], rec[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "concern.positive")) != CW_OK ||
	    (err = cw_check_enum("team", a->team, cw_concern_teams)) != CW_OK ||
	    (err = cw_check_text("summary", a->summary, CW_TEXT_MAX, true)) != CW_OK ||
	    (err = received_date(db, a->received_given, a->received, &n.received)) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_PROVIDER, a->provider, pid)) != CW_OK)
		return err;
	n.provider_id = pid;
	/*
	 * `concern positive` takes no --source (SPEC §8), yet every concern
	 * carries one of the sources of §2; "other" keeps the one vocabulary,
	 * and `positive` is what tells feedback apart. Feedback stays open
	 * until resolved, like a concern, so the QA meeting sees it once.
	 */
	n.source = "other";
	n.team = a->team;
	n.summary = a->summary;
	n.positive = true;
	if ((err = insert_concern(db, &n, id)) != CW_OK)
		return err;
	if ((err = cw_audit_append(db, "concern.positive", id,
			json_pack("{s:s,s:s,s:s,s:s}", "provider_id", pid,
				"received", cw_date_format(n.received, rec), "team", n.team,
				"summary", n.summary))) != CW_OK)
		return err;
	return cw_concern_get(db, id, out);
}

/* What a change to a concern needs to know of it. */
struct concern_state {
	bool open, positive;
	int likelihood, impact;
	char ref[16];   /* C-0042 */
};

static int load_state(cw_db *db, const char *id, struct concern_state *s)
{
	cw_stmt *st = NULL;
	int err;

	if ((err = cw_store_get(db, SQL_STATE, id, "concern", &st)) == CW_OK) {
		s->open = strcmp(cw_store_col_text(st, 0), "open") == 0;
		s->positive = cw_store_col_int(st, 1) != 0 || cw_store_col_is_null(st, 2) ||
			cw_store_col_is_null(st, 3);
		s->likelihood = (int)cw_store_col_int(st, 2);
		s->impact = (int)cw_store_col_int(st, 3);
		snprintf(s->ref, sizeof(s->ref), "%s", cw_store_col_text(st, 4));
	}
	cw_store_done(st);
	return err;
}

int cw_concern_rate(cw_db *db, const char *ref, const cw_concern_rate_args *a,
	json_t **out)
{
	cw_stmt *st = NULL;
	struct concern_state s;
	char id[CW_ID_LEN];
	int err;

	if ((err = cw_db_require(db, "concern.write")) != CW_OK ||
	    (err = cw_lookup(db, CW_KIND_CONCERN, ref, id)) != CW_OK ||
	    (err = load_state(db, id, &s)) != CW_OK)
		return err;
	/* SPEC §2: the impact is what the harm would be; only how likely it
	 * is may change, so any impact offered is refused, even the same, and
	 * before anything else is asked of the command. */
	if (a->impact_given)
		return cw_error(CW_EREFUSED,
			"impact never changes once recorded (it is %d); re-rating changes likelihood only",
			s.impact);
	if (!a->likelihood_given)
		return cw_error_at("likelihood", CW_EINVALID, "a re-rating needs a likelihood");
	if ((err = cw_rules_check_likelihood(cw_db_rules(db), a->likelihood)) != CW_OK ||
	    (a->note && (err = cw_check_text("note", a->note, CW_TEXT_MAX, true)) != CW_OK))
		return err;
	if (s.positive)
		return cw_error(CW_EREFUSED, "concern %s is positive feedback and has no rating", id);
	if (!s.open)
		return cw_error(CW_EREFUSED, "concern %s is resolved; a resolved concern is not re-rated",
			id);
	if ((err = cw_store_prepare(db, SQL_RATE, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_int(st, 2, (int)a->likelihood);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK ||
	    (err = insert_rating(db, id, (int)a->likelihood, s.impact, a->note)) != CW_OK ||
	    (err = cw_audit_append(db, "concern.rate", id, json_pack("{s:i,s:i,s:i,s:s?}",
			"from", s.likelihood, "to", (int)a->likelihood, "impact", s.impact,
			"note", a->note))) != CW_OK)
		return err;
	return concern_full(db, id, out);
}

/* SPEC §5: a concern still rated red is resolved only by the decision role
 * (resolve_red); the guard's verdict becomes the command's refusal. */
static int check_resolve_red(cw_db *db, const char *id, const struct concern_state *s,
	const char *override, json_t **overridden)
{
	static const cw_guard *const guards[] = { &cw_guard_resolve_red, NULL };
	const cw_rules *r = cw_db_rules(db);
	cw_guard_concern k = { id, s->likelihood, s->likelihood, s->impact, CW_BAND_NONE,
		s->ref[0] ? s->ref : NULL };
	cw_case_snapshot sn;
	cw_guard_verdict v;
	size_t i;
	int err = CW_OK;

	memset(&sn, 0, sizeof(sn));
	if (!s->positive)
		k.band = cw_rules_band(r, cw_rules_score(s->likelihood, s->impact));
	sn.actor = cw_db_actor(db);
	sn.concerns = &k;
	sn.nconcerns = 1;
	sn.decision_role = cw_list_has(cw_db_actor_roles(db), cw_rules_string(r, "decision_role"));
	cw_guards_evaluate(guards, &sn, r, override != NULL, &v);
	if (v.status != CW_OK) {
		if (v.needs_override)
			err = cw_error(CW_EREFUSED, "'concern resolve' refused for concern %s: the"
				" rules make resolve_red a 'should' rule, so an override may proceed"
				" (override: the reason, which is recorded)", id);
		else
			err = cw_error(v.status, "'concern resolve' refused for concern %s", id);
		for (i = 0; i < v.must.n; i++)
			cw_error_unmet("%s", v.must.v[i]);
		for (i = 0; i < v.should.n; i++)
			cw_error_unmet("%s", v.should.v[i]);
	} else if (v.overridden) {
		*overridden = json_array();
		for (i = 0; i < v.should.n; i++)
			json_array_append_new(*overridden, json_string(v.should.v[i]));
	}
	cw_guard_verdict_free(&v);
	return err;
}

int cw_concern_resolve(cw_db *db, const char *ref, const char *note, json_t **out)
{
	return cw_concern_resolve_override(db, ref, note, NULL, out);
}

int cw_concern_resolve_override(cw_db *db, const char *ref, const char *note,
	const char *override, json_t **out)
{
	cw_stmt *st = NULL;
	struct concern_state s;
	json_t *overridden = NULL;
	char id[CW_ID_LEN], today[CW_DATE_STRLEN];
	int err;

	if ((err = cw_db_require(db, "concern.write")) != CW_OK ||
	    (err = cw_check_text("note", note, CW_TEXT_MAX, true)) != CW_OK ||
	    (override && (err = cw_check_text("override", override, CW_TEXT_MAX, true)) != CW_OK) ||
	    (err = cw_lookup(db, CW_KIND_CONCERN, ref, id)) != CW_OK ||
	    (err = load_state(db, id, &s)) != CW_OK)
		return err;
	if (!s.open)
		return cw_error(CW_EREFUSED, "concern %s is already resolved", id);
	if ((err = check_resolve_red(db, id, &s, override, &overridden)) != CW_OK)
		return err;
	cw_date_format(cw_db_today(db), today);
	if ((err = cw_store_prepare(db, SQL_RESOLVE, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, id);
	cw_store_bind_text(st, 2, today);
	cw_store_bind_text(st, 3, note);
	if ((err = cw_store_exec_stmt(db, st)) != CW_OK)
		goto done;
	/* An override is kept only when it lifted something. */
	err = cw_audit_append(db, "concern.resolve", id, json_pack("{s:s,s:s,s:s?,s:o?}",
		"resolved", today, "note", note, "override", overridden ? override : NULL,
		"overridden", overridden));
	overridden = NULL;
	if (err == CW_OK)
		err = cw_concern_get(db, id, out);
done:
	json_decref(overridden);
	return err;
}
