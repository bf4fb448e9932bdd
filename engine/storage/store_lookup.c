/* Id, prefix and name lookup, one fixed statement set per kind of entity. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lookup.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "store.h"
#include "fold.h"

#define MIN_PREFIX 4
#define MAX_LISTED 10

struct kind_sql {
	const char *name;
	const char *by_name;   /* NULL: the kind has no name */
	const char *by_prefix; /* ids in [?1, ?2) */
	const char *by_ref;    /* NULL: the kind has no reference */
	char letter;
	const char *names;     /* every name and its key, for suggestions */
};

#define BY_PREFIX(table) \
	"SELECT id FROM " table " WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 11"
#define BY_NAME(table) \
	"SELECT id FROM " table " WHERE name_key = ?1"
#define BY_REF(table) \
	"SELECT id FROM " table " WHERE ref = ?1"
#define NAMES(table) \
	"SELECT name, name_key FROM " table " ORDER BY name_key"

static const struct kind_sql kinds[CW_KIND_COUNT] = {
	[CW_KIND_USER] = { "user", BY_NAME("users"), BY_PREFIX("users"), NULL, 0, NAMES("users") },
	[CW_KIND_COMMISSIONER] = { "commissioner", BY_NAME("commissioners"), BY_PREFIX("commissioners"), NULL, 0,
		NAMES("commissioners") },
	[CW_KIND_PROVIDER] = { "provider", BY_NAME("providers"), BY_PREFIX("providers"), NULL, 0,
		NAMES("providers") },
	[CW_KIND_CONCERN] = { "concern", NULL, BY_PREFIX("concerns"), BY_REF("concerns"), 'C', NULL },
	[CW_KIND_CASE] = { "case", NULL, BY_PREFIX("cases"), BY_REF("cases"), 'K', NULL },
	[CW_KIND_ACTION] = { "action", NULL, BY_PREFIX("actions"), BY_REF("actions"), 'A', NULL },
	[CW_KIND_MEETING] = { "meeting", NULL, BY_PREFIX("meetings"), BY_REF("meetings"), 'M', NULL },
	[CW_KIND_TASK] = { "task", NULL, BY_PREFIX("tasks"), NULL, 0, NULL },
};

const char *cw_kind_name(cw_kind k)
{
	return k < CW_KIND_COUNT ? kinds[k].name : "entity";
}

char cw_kind_ref_letter(cw_kind k)
{
	return k < CW_KIND_COUNT ? kinds[k].letter : 0;
}

bool cw_ref_parse(const char *s, char *letter, char out[CW_REF_LEN])
{
	unsigned long long n = 0;
	const char *p;

	if (!s || !isalpha((unsigned char)s[0]) || s[1] != '-' || !s[2])
		return false;
	for (p = s + 2; *p; p++) {
		if (!isdigit((unsigned char)*p) || n > 999999999999ULL)
			return false;
		n = n * 10 + (unsigned)(*p - '0');
	}
	*letter = (char)toupper((unsigned char)s[0]);
	snprintf(out, CW_REF_LEN, "%c-%04llu", *letter, n);
	return true;
}

/* The kind whose references start with `letter`, for a refusal that says
 * which kind a reference given for another one names. */
static const char *ref_kind_name(char letter)
{
	int k;

	for (k = 0; k < CW_KIND_COUNT; k++)
		if (kinds[k].letter && kinds[k].letter == letter)
			return kinds[k].name;
	return NULL;
}

/* By reference; CW_ENOTFOUND when none has it. */
static int by_ref(cw_db *db, const struct kind_sql *k, const char *given, const char *ref,
	char letter, char out[CW_ID_LEN])
{
	const char *other = ref_kind_name(letter);
	cw_stmt *st = NULL;
	int rc;

	if (letter != k->letter) {
		if (other)
			return cw_error(CW_ENOTFOUND, "no %s '%s' (%c- references name %ss)",
				k->name, given, letter, other);
		return cw_error(CW_ENOTFOUND, "no %s '%s' (a %s reference starts %c-)",
			k->name, given, k->name, k->letter);
	}
	if ((rc = cw_store_prepare(db, k->by_ref, &st)) != CW_OK)
		return rc;
	cw_store_bind_text(st, 1, ref);
	if ((rc = cw_store_step(db, st)) == CW_ROW)
		snprintf(out, CW_ID_LEN, "%s", cw_store_col_text(st, 0));
	cw_store_done(st);
	if (rc == CW_OK)
		return cw_error(CW_ENOTFOUND, "no %s %s", k->name, ref);
	return rc == CW_ROW ? CW_OK : rc;
}

static bool id_like(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

/* By name (the folded key); *found false when no name matches. */
static int by_name(cw_db *db, const struct kind_sql *k, const char *ref,
	char out[CW_ID_LEN], bool *found)
{
	cw_stmt *st = NULL;
	int err, rc;

	*found = false;
	if ((err = cw_store_prepare(db, k->by_name, &st)) != CW_OK)
		return err;
	cw_store_bind_fold(st, 1, ref);
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		snprintf(out, CW_ID_LEN, "%s", cw_store_col_text(st, 0));
		*found = true;
	}
	cw_store_done(st);
	return rc == CW_ROW ? CW_OK : rc;
}

/* Edits (insert, delete, replace) from a to b, both folded; long names
 * are compared on their first MAX_COMPARED bytes. */
#define MAX_COMPARED 120
static size_t edits(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j, row[MAX_COMPARED + 1];

	n = n > MAX_COMPARED ? MAX_COMPARED : n;
	m = m > MAX_COMPARED ? MAX_COMPARED : m;
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		size_t diag = row[0], up;

		row[0] = i;
		for (j = 1; j <= m; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[m];
}

#define MAX_SUGGESTED 3

/*
 * The names nearest to one that matched none, for "did you mean": a name
 * that holds the text (or that the text holds) first, then names a few
 * edits away (a third of the text's length, at least 2), nearest first.
 */
static int suggest(cw_db *db, const struct kind_sql *k, const char *ref, cw_buf *out)
{
	struct { size_t score; char *name; } best[MAX_SUGGESTED];
	size_t nbest = 0, i, limit;
	char *key = cw_fold(ref);
	cw_stmt *st = NULL;
	int rc;

	limit = strlen(key) / 3 > 2 ? strlen(key) / 3 : 2;
	if ((rc = cw_store_prepare(db, k->names, &st)) != CW_OK)
		goto done;
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		const char *name = cw_store_col_text(st, 0), *nk = cw_store_col_text(st, 1);
		size_t score;

		if (*key && (strstr(nk, key) || strstr(key, nk)))
			score = strlen(nk) > strlen(key) ? strlen(nk) - strlen(key)
				: strlen(key) - strlen(nk);
		else if ((score = edits(key, nk)) <= limit)
			score += MAX_COMPARED;  /* after every name that holds the text */
		else
			continue;
		if (nbest == MAX_SUGGESTED && score >= best[nbest - 1].score)
			continue;
		if (nbest == MAX_SUGGESTED)
			free(best[--nbest].name);
		for (i = nbest; i > 0 && best[i - 1].score > score; i--)
			best[i] = best[i - 1];
		best[i].score = score;
		best[i].name = cw_strdup(name);
		nbest++;
	}
	cw_store_done(st);
	for (i = 0; i < nbest; i++)
		cw_buf_printf(out, "%s'%s'", i == 0 ? "; did you mean " : i + 1 == nbest ? " or " : ", ",
			best[i].name);
	if (nbest)
		cw_buf_putc(out, '?');
done:
	for (i = 0; i < nbest; i++)
		free(best[i].name);
	free(key);
	return rc;
}

/* Nothing has this name: say so, with the nearest names there are. */
static int not_named(cw_db *db, const struct kind_sql *k, const char *ref)
{
	cw_buf hint = CW_BUF_INIT;
	int err = k->names ? suggest(db, k, ref, &hint) : CW_OK;

	if (err == CW_OK)
		err = cw_error(CW_ENOTFOUND, "no %s '%s'%s", k->name, ref, cw_buf_cstr(&hint));
	cw_buf_free(&hint);
	return err;
}

/*
 * An id or id prefix resolves as an id before any name is tried, so a name
 * that looks like an id (refused today, but an older database may hold one)
 * can never take over another entity's lookups.
 */
int cw_lookup(cw_db *db, cw_kind kind, const char *ref, char out[CW_ID_LEN])
{
	const struct kind_sql *k = &kinds[kind];
	cw_stmt *st = NULL;
	char lo[CW_ID_LEN], hi[CW_ID_LEN], canon[CW_REF_LEN], letter;
	size_t n, i, found = 0;
	cw_buf list = CW_BUF_INIT;
	bool named;
	int err, rc;

	if (!ref || !*ref)
		return cw_error(CW_EINVALID, "no %s given", k->name);
	/* A reference is never an id prefix: an id's second character is hex. */
	if (k->by_ref && cw_ref_parse(ref, &letter, canon))
		return by_ref(db, k, ref, canon, letter, out);
	n = strlen(ref);
	if (n < MIN_PREFIX || n > CW_ID_LEN - 1 || !id_like(ref))
		goto name;
	for (i = 0; i < n; i++)
		lo[i] = (char)tolower((unsigned char)ref[i]);
	lo[n] = '\0';
	/* The upper bound: the prefix with its last character raised by one. */
	memcpy(hi, lo, n + 1);
	hi[n - 1]++;
	if ((err = cw_store_prepare(db, k->by_prefix, &st)) != CW_OK)
		return err;
	cw_store_bind_text(st, 1, lo);
	cw_store_bind_text(st, 2, hi);
	while ((rc = cw_store_step(db, st)) == CW_ROW) {
		if (found == 0)
			snprintf(out, CW_ID_LEN, "%s", cw_store_col_text(st, 0));
		if (found < MAX_LISTED)
			cw_buf_printf(&list, "%s%s", found ? ", " : "", cw_store_col_text(st, 0));
		found++;
	}
	cw_store_done(st);
	if (rc != CW_OK) {
		cw_buf_free(&list);
		return rc;
	}
	if (found == 1) {
		cw_buf_free(&list);
		return CW_OK;
	}
	if (found > 1) {
		err = cw_error(CW_EINVALID, "%s id prefix '%s' is ambiguous; it matches %s%s",
			k->name, ref, cw_buf_cstr(&list), found > MAX_LISTED ? ", ..." : "");
		cw_buf_free(&list);
		return err;
	}
	cw_buf_free(&list);
name:
	if (k->by_name) {
		if ((err = by_name(db, k, ref, out, &named)) != CW_OK)
			return err;
		if (named)
			return CW_OK;
	}
	return not_named(db, k, ref);
}
