/*
 * Name keys kept in step with the folding rule (engine/util/fold.c). When
 * the rule changes (it did: utf8proc NFKC and full case folding replaced
 * hand-written tables), `init` recomputes every stored key. Two names that
 * the new rule makes one are not merged: init refuses and names them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "carewatch/error.h"
#include "fold.h"
#include "names.h"
#include "store.h"

struct named {
	char *id, *name, *old, *key;
};

struct table {
	const char *kind;
	const char *select;
	const char *park;    /* a key no name folds to, so updates never collide */
	const char *update;
};

static const char SQL_USERS[] = "SELECT id, name, name_key FROM users ORDER BY id";
static const char SQL_USERS_PARK[] = "UPDATE users SET name_key = '\x01' || id WHERE id = ?1";
static const char SQL_USERS_SET[] = "UPDATE users SET name_key = ?2 WHERE id = ?1";
static const char SQL_COMMS[] = "SELECT id, name, name_key FROM commissioners ORDER BY id";
static const char SQL_COMMS_PARK[] =
	"UPDATE commissioners SET name_key = '\x01' || id WHERE id = ?1";
static const char SQL_COMMS_SET[] = "UPDATE commissioners SET name_key = ?2 WHERE id = ?1";
static const char SQL_PROVS[] = "SELECT id, name, name_key FROM providers ORDER BY id";
static const char SQL_PROVS_PARK[] = "UPDATE providers SET name_key = '\x01' || id WHERE id = ?1";
static const char SQL_PROVS_SET[] = "UPDATE providers SET name_key = ?2 WHERE id = ?1";
static const char SQL_GROUPS[] =
	"SELECT id, grp, grp_key FROM providers WHERE grp IS NOT NULL ORDER BY id";
static const char SQL_GROUPS_SET[] = "UPDATE providers SET grp_key = ?2 WHERE id = ?1";

static const struct table tables[] = {
	{ "user", SQL_USERS, SQL_USERS_PARK, SQL_USERS_SET },
	{ "commissioner", SQL_COMMS, SQL_COMMS_PARK, SQL_COMMS_SET },
	{ "provider", SQL_PROVS, SQL_PROVS_PARK, SQL_PROVS_SET },
};

static char *dup(const char *s)
{
	cw_buf b = CW_BUF_INIT;

	cw_buf_puts(&b, s);
	return cw_buf_detach(&b);
}

static void free_rows(struct named *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].id);
		free(rows[i].name);
		free(rows[i].old);
		free(rows[i].key);
	}
	free(rows);
}

static int by_key(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->id, y->id);
}

static int load(cw_db *db, const char *sql, struct named **out, size_t *count)
{
	struct named *rows = NULL;
	size_t n = 0, cap = 0;
	cw_stmt *st;
	int err, rc;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			rows = realloc(rows, cap * sizeof(*rows));
			if (!rows)
				abort();
		}
		rows[n].id = dup(cw_store_col_text(st, 0));
		rows[n].name = dup(cw_store_col_text(st, 1));
		rows[n].old = dup(cw_store_col_text(st, 2));
		rows[n].key = cw_fold(rows[n].name);
		n++;
	}
	cw_store_done(st);
	*out = rows;
	*count = n;
	return rc == CW_OK ? CW_OK : rc;
}

static int set_key(cw_db *db, const char *sql, const char *id, const char *key)
{
	cw_stmt *st;
	int err;

	if ((err = cw_store_prepare(db, sql, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, id);
	if (key)
		cw_store_bind_text(st, 2, key);
	return cw_store_exec_stmt(db, st);
}

/* Near-duplicates of one table, as "'A' (id) and 'B' (id)" pairs. */
static void near_duplicates(const char *kind, struct named *rows, size_t n, cw_buf *out)
{
	size_t i;

	if (n < 2)
		return;   /* nothing to pair (and qsort must not see a NULL array) */
	qsort(rows, n, sizeof(*rows), by_key);
	for (i = 1; i < n; i++)
		if (strcmp(rows[i - 1].key, rows[i].key) == 0)
			cw_buf_printf(out, "%s%s '%s' (%.8s) and '%s' (%.8s)", out->len ? "; " : "",
				kind, rows[i - 1].name, rows[i - 1].id, rows[i].name, rows[i].id);
}

int cw_store_refold_names(cw_db *db)
{
	struct named *rows[3] = { NULL, NULL, NULL }, *groups = NULL;
	size_t n[3] = { 0, 0, 0 }, ngroups = 0, t, i;
	cw_buf dups = CW_BUF_INIT;
	int err = CW_OK;

	for (t = 0; t < 3; t++) {
		if ((err = load(db, tables[t].select, &rows[t], &n[t])) != CW_OK)
			goto done;
		near_duplicates(tables[t].kind, rows[t], n[t], &dups);
	}
	if (dups.len) {
		err = cw_error(CW_EREFUSED, "these names are the same after Unicode normalisation"
			" (NFKC, case folding, spaces): %s; nothing was changed: rename one of each"
			" pair, then run init again", cw_buf_cstr(&dups));
		goto done;
	}
	for (t = 0; t < 3; t++) {
		for (i = 0; i < n[t]; i++)
			if (strcmp(rows[t][i].old, rows[t][i].key) != 0 &&
			    (err = set_key(db, tables[t].park, rows[t][i].id, NULL)) != CW_OK)
				goto done;
		for (i = 0; i < n[t]; i++)
			if (strcmp(rows[t][i].old, rows[t][i].key) != 0 &&
			    (err = set_key(db, tables[t].update, rows[t][i].id, rows[t][i].key)) != CW_OK)
				goto done;
	}
	if ((err = load(db, SQL_GROUPS, &groups, &ngroups)) != CW_OK)
		goto done;
	for (i = 0; i < ngroups; i++)
		if (strcmp(groups[i].old, groups[i].key) != 0 &&
		    (err = set_key(db, SQL_GROUPS_SET, groups[i].id, groups[i].key)) != CW_OK)
			goto done;
done:
	for (t = 0; t < 3; t++)
		free_rows(rows[t], n[t]);
	free_rows(groups, ngroups);
	cw_buf_free(&dups);
	return err;
}
