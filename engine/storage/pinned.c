/*
 * The rules in force belong to the database (SPEC §11). init pins the
 * rules it was given (the compiled-in default, or the --config file) with
 * the templates they replace; `rules set` replaces them, audited with the
 * file's SHA-256 and what changed. A session on a database with pinned
 * rules uses those and refuses a rules file of its caller's own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include "carewatch/db.h"
#include "carewatch/audit.h"
#include "carewatch/buf.h"
#include "carewatch/file.h"
#include "carewatch/error.h"
#include "carewatch/template.h"
#include "embedded.h"
#include "store.h"

#define MAX_RULES_FILE (1024 * 1024)

static const char SQL_PINNED[] =
	"SELECT seq, text, source, sha256, templates, set_at, set_by"
	" FROM rules_pinned ORDER BY seq DESC LIMIT 1";
static const char SQL_PIN[] =
	"INSERT INTO rules_pinned (text, source, sha256, templates, set_at, set_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static void sha256_hex(const char *text, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL);
	for (i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

/* The whole rules file, checked to be a regular file of sane size. */
static int read_rules_file(const char *path, char **out)
{
	/* Without blocking, and regular files only: a FIFO would hang `rules set`
	 * inside its transaction. */
	FILE *f = cw_file_open_regular(path, false, "rules file");
	cw_buf b = CW_BUF_INIT;
	int rc, err = CW_OK;

	if (!f) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", cw_errmsg());
		return cw_error_at("config", CW_EINVALID, "%s", msg);
	}
	rc = cw_file_read_capped(f, MAX_RULES_FILE, &b);
	if (rc > 0)
		err = cw_error_at("config", CW_EINVALID, "%s: larger than %d bytes", path,
			MAX_RULES_FILE);
	else if (rc < 0)
		err = cw_error_at("config", CW_EINVALID, "%s: cannot read rules file: %s", path,
			strerror(errno));
	fclose(f);
	if (err == CW_OK)
		*out = cw_buf_detach(&b);
	cw_buf_free(&b);
	return err;
}

/* The directory a relative letters_dir or documents_dir is found in. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	cw_buf b = CW_BUF_INIT;

	if (!slash)
		cw_buf_puts(&b, ".");
	else
		cw_buf_put(&b, path, slash == path ? 1 : (size_t)(slash - path));
	return cw_buf_detach(&b);
}

/*
 * The templates these rules replace from letters_dir/documents_dir, read
 * now, so a file changed on disk later changes nothing until `rules set`.
 */
static int read_templates(const cw_rules *r, const char *base, json_t **out)
{
	json_t *map = json_object();
	const cw_embedded *e;
	int err = CW_OK;

	for (e = cw_embedded_files; e->path && err == CW_OK; e++) {
		const char *key = strncmp(e->path, "letters/", 8) == 0 ? "letters_dir"
			: strncmp(e->path, "documents/", 10) == 0 ? "documents_dir" : NULL;
		char *text = NULL, *origin = NULL;

		if (!key || !*cw_rules_string(r, key))
			continue;
		if ((err = cw_template_load(r, key, base, e->path, &text, &origin)) == CW_OK &&
		    strcmp(origin, "built-in") != 0)
			json_object_set_new(map, e->path, json_string(text));
		free(text);
		free(origin);
	}
	if (err != CW_OK) {
		json_decref(map);
		return err;
	}
	*out = map;
	return CW_OK;
}

/* A rules file and its templates, as `rules check` sees them. */
static int load_file(const char *path, cw_rules **rules, char **text)
{
	cw_rules *r = NULL;
	json_t *templates = NULL;
	char *base = NULL;
	int err;

	*text = NULL;
	if ((err = read_rules_file(path, text)) != CW_OK ||
	    (err = cw_rules_load_string(&r, *text, path)) != CW_OK)
		goto fail;
	base = dir_of(path);
	err = read_templates(r, base, &templates);
	free(base);
	if (err != CW_OK)
		goto fail;
	cw_rules_set_templates(r, templates);
	*rules = r;
	return CW_OK;
fail:
	cw_rules_free(r);
	free(*text);
	*text = NULL;
	return err;
}

static int load_default(cw_rules **rules, char **text)
{
	const cw_embedded *def = cw_embedded_find("carewatch.cfg");
	int err;

	if ((err = cw_rules_load(rules, NULL)) != CW_OK)
		return err;
	cw_rules_set_templates(*rules, json_object());
	*text = cw_strdup(def ? def->data : "");
	return CW_OK;
}

/* The pinned row as JSON (NULL when the database has none), and its text. */
static int pinned_row(cw_db *db, json_t **row, char **text, json_t **templates)
{
	cw_stmt *st;
	bool has;
	int rc, err;

	*row = NULL;
	if ((err = cw_store_has_table(db, "rules_pinned", &has)) != CW_OK || !has)
		return err;
	if ((err = cw_store_prepare(db, SQL_PINNED, &st)) != CW_OK)
		return err;
	if ((rc = cw_store_step(db, st)) == CW_ROW) {
		json_t *t = json_loads(cw_store_col_text(st, 4), 0, NULL);
		json_t *names = json_array();
		const char *k;
		json_t *v;

		json_object_foreach(t, k, v)
			json_array_append_new(names, json_string(k));
		*row = json_pack("{s:I,s:s,s:s,s:o,s:s,s:s}",
			"version", (json_int_t)cw_store_col_int(st, 0),
			"source", cw_store_col_text(st, 2), "sha256", cw_store_col_text(st, 3),
			"templates", names, "set_at", cw_store_col_text(st, 5),
			"set_by", cw_store_col_text(st, 6));
		if (text)
			*text = cw_strdup(cw_store_col_text(st, 1));
		if (templates)
			*templates = t ? t : json_object();
		else
			json_decref(t);
	}
	cw_store_done(st);
	return rc == CW_ROW || rc == CW_OK ? CW_OK : rc;
}

int cw_db_rules_load(cw_db *db, const char *config_path, unsigned flags)
{
	const cw_embedded *def;
	cw_rules *r = NULL;
	json_t *row = NULL, *templates = NULL;
	char *text = NULL;
	int err;

	/* A bad rules file is refused before anything else happens. */
	if (config_path && (err = load_file(config_path, &r, &text)) != CW_OK)
		return err;
	if ((err = pinned_row(db, &row, NULL, NULL)) != CW_OK)
		goto done;
	if (!row) {
		/* Not pinned yet (a new database, or one init has yet to upgrade):
		 * what init will pin. */
		if (!r && (err = load_default(&r, &text)) != CW_OK)
			goto done;
		cw_store_own_rules(db, r, text, cw_strdup(config_path ? config_path : "built-in"));
		return CW_OK;
	}
	if (config_path && !(flags & CW_RULES_CONFIG_OK)) {
		err = cw_error_at("config", CW_EINVALID,
			"this database's rules are pinned (set %s by %s): a rules file of your own"
			" is refused; an admin changes them with 'carewatch rules set FILE'",
			json_string_value(json_object_get(row, "set_at")),
			json_string_value(json_object_get(row, "set_by")));
		goto done;
	}
	cw_rules_free(r);
	r = NULL;
	free(text);
	text = NULL;
	json_decref(row);
	if ((err = pinned_row(db, &row, &text, &templates)) != CW_OK)
		goto done;
	/* The default pinned as it ships needs no second parse over itself. */
	def = cw_embedded_find("carewatch.cfg");
	err = def && strcmp(text, def->data) == 0 ? cw_rules_load(&r, NULL)
		: cw_rules_load_string(&r, text, "the pinned rules");
	if (err != CW_OK) {
		err = cw_error(CW_EINTERNAL, "the database's pinned rules do not load: %s",
			cw_errmsg());
		goto done;
	}
	cw_rules_set_templates(r, templates);
	templates = NULL;
	cw_store_own_rules(db, r, text, cw_strdup("pinned"));
	r = NULL;
	text = NULL;
done:
	cw_rules_free(r);
	free(text);
	json_decref(row);
	json_decref(templates);
	return err;
}

static int pin(cw_db *db, const char *text, const char *source, const cw_rules *r,
	char sha[65])
{
	cw_stmt *st;
	char *templates;
	char at[32];
	time_t now = time(NULL);
	struct tm tm;
	int err;

	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	sha256_hex(text, sha);
	templates = cw_rules_templates(r) ? json_dumps(cw_rules_templates(r),
		JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if ((err = cw_store_prepare(db, SQL_PIN, &st)) != CW_OK)
		goto done;
	cw_store_bind_text(st, 1, text);
	cw_store_bind_text(st, 2, source);
	cw_store_bind_text(st, 3, sha);
	cw_store_bind_text(st, 4, templates ? templates : "{}");
	cw_store_bind_text(st, 5, at);
	cw_store_bind_text(st, 6, cw_db_actor(db) ? cw_db_actor(db) : "");
	err = cw_store_exec_stmt(db, st);
done:
	free(templates);
	return err;
}

static json_t *template_names(const cw_rules *r)
{
	json_t *names = json_array(), *v;
	const char *k;

	json_object_foreach((json_t *)cw_rules_templates(r), k, v)
		json_array_append_new(names, json_string(k));
	return names;
}

int cw_db_rules_pin_initial(cw_db *db)
{
	json_t *row = NULL;
	const char *text, *source;
	const cw_embedded *def = cw_embedded_find("carewatch.cfg");
	char sha[65];
	int err;

	if ((err = pinned_row(db, &row, NULL, NULL)) != CW_OK || row) {
		json_decref(row);
		return err;
	}
	cw_store_rules_origin(db, &text, &source);
	if (!text) {
		/* A caller that handed cw_db_open its own rules: the default is pinned. */
		text = def ? def->data : "";
		source = "built-in";
	}
	if ((err = pin(db, text, source, cw_db_rules(db), sha)) != CW_OK)
		return err;
	return cw_audit_append(db, "rules.pin", NULL, json_pack("{s:s,s:s,s:o}",
		"source", source, "sha256", sha, "templates", template_names(cw_db_rules(db))));
}

/* Every leaf of a rules object as path -> value, for the diff summary. */
static void flatten(json_t *j, const char *prefix, json_t *into)
{
	const char *k;
	json_t *v;

	if (!json_is_object(j)) {
		json_object_set(into, prefix, j);
		return;
	}
	json_object_foreach(j, k, v) {
		cw_buf path = CW_BUF_INIT;

		cw_buf_printf(&path, "%s%s%s", prefix, *prefix ? "." : "", k);
		flatten(v, cw_buf_cstr(&path), into);
		cw_buf_free(&path);
	}
}

static json_t *diff(const cw_rules *from, const cw_rules *to)
{
	json_t *a = json_object(), *b = json_object(), *ja = cw_rules_to_json(from),
		*jb = cw_rules_to_json(to), *changed = json_array(), *v;
	const json_t *ta = cw_rules_templates(from), *tb = cw_rules_templates(to);
	const char *k;

	/* where the rules came from is not a setting */
	json_object_del(ja, "source");
	json_object_del(jb, "source");
	flatten(ja, "", a);
	flatten(jb, "", b);
	json_object_foreach(b, k, v)
		if (!json_equal(v, json_object_get(a, k)))
			json_array_append_new(changed, json_string(k));
	json_object_foreach(a, k, v)
		if (!json_object_get(b, k))
			json_array_append_new(changed, json_string(k));
	json_object_foreach((json_t *)tb, k, v)
		if (!ta || !json_equal(v, json_object_get(ta, k)))
			json_array_append_new(changed, json_string(k));
	json_object_foreach((json_t *)ta, k, v)
		if (!tb || !json_object_get(tb, k))
			json_array_append_new(changed, json_string(k));
	json_decref(a);
	json_decref(b);
	json_decref(ja);
	json_decref(jb);
	return changed;
}

int cw_db_rules_set(cw_db *db, const char *path, json_t **out)
{
	cw_rules *r = NULL;
	json_t *changed = NULL;
	char *text = NULL, sha[65];
	int err;

	if ((err = cw_db_require(db, "rules.write")) != CW_OK ||
	    (err = load_file(path, &r, &text)) != CW_OK)
		goto done;
	if ((err = pin(db, text, path, r, sha)) != CW_OK)
		goto done;
	changed = diff(cw_db_rules(db), r);
	if ((err = cw_audit_append(db, "rules.set", NULL, json_pack("{s:s,s:s,s:O,s:o}",
			"source", path, "sha256", sha, "changed", changed,
			"templates", template_names(r)))) != CW_OK)
		goto done;
	/* In force from the next command: this one finishes under the old. */
	*out = json_pack("{s:s,s:s,s:O}", "source", path, "sha256", sha, "changed", changed);
done:
	json_decref(changed);
	cw_rules_free(r);
	free(text);
	return err;
}

int cw_db_rules_pinned(cw_db *db, json_t **out)
{
	json_t *row = NULL;
	int err;

	if ((err = pinned_row(db, &row, NULL, NULL)) != CW_OK)
		return err;
	*out = row ? row : json_null();
	return CW_OK;
}

int cw_db_rules_check(const char *path, json_t **out)
{
	cw_rules *r = NULL;
	char *text = NULL, sha[65];
	int err;

	if ((err = load_file(path, &r, &text)) != CW_OK)
		return err;
	sha256_hex(text, sha);
	*out = json_pack("{s:b,s:s,s:s,s:o}", "ok", 1, "file", path, "sha256", sha,
		"templates", template_names(r));
	cw_rules_free(r);
	free(text);
	return CW_OK;
}
