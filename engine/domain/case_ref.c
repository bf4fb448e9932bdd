/*
 * The words of a case (its stages, triggers and outcomes) and naming a
 * case. A leaf: see engine/internal/case_ref.h.
 */
#include <stdio.h>
#include <string.h>
#include "carewatch/case.h"
#include "carewatch/error.h"
#include "lookup.h"
#include "store.h"
#include "case_ref.h"

const char *const cw_case_stages[] = {
	"quality_assurance", "provider_performance", "embargo", "closed", NULL
};
const char *const cw_case_triggers[] = {
	"partner_notification", "unable_to_improve", "unwilling_to_improve",
	"single_or_repeated_concern", "pova_risk_to_others", "pattern_of_issues",
	"other", NULL
};
const char *const cw_case_outcomes[] = {
	"improved", "single_agency_monitoring", "contract_terminated", "service_closed", NULL
};

static const char SQL_CASE[] = "SELECT provider_id, stage FROM cases WHERE id = ?1";
/* A provider's open case, else its latest. */
static const char SQL_CASE_OF_PROVIDER[] =
	"SELECT id FROM cases WHERE provider_id = ?1"
	" ORDER BY stage = 'closed', opened DESC, seq DESC LIMIT 1";

int cw_case_resolve(cw_db *db, const char *ref, struct cw_case_ref *c)
{
	cw_stmt *st = NULL;
	char pid[CW_ID_LEN];
	int err;

	memset(c, 0, sizeof(*c));
	err = cw_lookup(db, CW_KIND_CASE, ref, c->id);
	if (err == CW_ENOTFOUND && cw_lookup(db, CW_KIND_PROVIDER, ref, pid) == CW_OK) {
		if ((err = cw_store_get(db, SQL_CASE_OF_PROVIDER, pid, NULL, &st)) == CW_OK)
			snprintf(c->id, sizeof(c->id), "%s", cw_store_col_text(st, 0));
		cw_store_done(st);
		if (err == CW_ENOTFOUND)
			err = cw_error(CW_ENOTFOUND, "provider '%s' has no case", ref);
	} else if (err == CW_ENOTFOUND) {
		err = cw_error(CW_ENOTFOUND, "no case '%s'", ref);
	}
	if (err != CW_OK)
		return err;
	if ((err = cw_store_get(db, SQL_CASE, c->id, NULL, &st)) == CW_OK) {
		snprintf(c->provider_id, sizeof(c->provider_id), "%s", cw_store_col_text(st, 0));
		snprintf(c->stage, sizeof(c->stage), "%s", cw_store_col_text(st, 1));
	}
	cw_store_done(st);
	return err == CW_ENOTFOUND ? cw_error(CW_ENOTFOUND, "no case '%s'", ref) : err;
}

int cw_case_items(cw_db *db, const char *case_ref, const char *sql, cw_store_id_fn fn,
	void *arg, json_t **out)
{
	cw_stmt *st = NULL;
	struct cw_case_ref c;
	int err;

	if ((err = cw_case_resolve(db, case_ref, &c)) != CW_OK ||
	    (err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, c.id);
	return cw_store_map_ids(db, st, fn, arg, out);
}
