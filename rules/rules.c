/*
 * Loading the rules: the compiled-in default is the schema. A user's file is
 * laid over it setting by setting; a setting the default does not have, or
 * one of another type, is an error with the user's file and line. The merged
 * result is then checked as a whole (bands cover the matrix, strengths are
 * "must" or "should", permissions are known).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <libconfig.h>
#include "carewatch/rules.h"
#include "carewatch/error.h"
#include "carewatch/buf.h"
#include "carewatch/file.h"
#include "embedded.h"
#include "rules_internal.h"

#define MAX_AXIS 10

struct cw_rules {
	config_t cfg;            /* the merged rules */
	config_t user;           /* the user's file, for line numbers */
	bool has_user;
	char *user_name;
	int lmax, imax;
	const char *llabel[MAX_AXIS + 1];
	const char *ilabel[MAX_AXIS + 1];
	int band_min[CW_BAND_RED + 1];
	int band_max[CW_BAND_RED + 1];
	json_t *templates;       /* pinned: template path -> text; NULL: none */
};

static const char *const band_names[] = { NULL, "green", "yellow", "amber", "red" };

/* Every permission the engine checks; a rules file may grant only these. */
static const char *const known_perms[] = {
	"provider.write", "concern.write", "concern.pova", "concern.positive",
	"case.open", "case.escalate", "case.deescalate", "case.close",
	"case.decide", "action.write", "meeting.write", "placement.write",
	"task.write", "letter.write", "qa.record", "user.write",
	"commissioner.write", "import.run", "rules.write", "confidential.read",
	NULL
};

/* Line of `path` in the user's file, else of its nearest parent there, else 0. */
static int user_line(const cw_rules *r, const char *path)
{
	char p[256];
	char *dot;

	if (!r->has_user)
		return 0;
	snprintf(p, sizeof(p), "%s", path);
	for (;;) {
		config_setting_t *s = config_lookup((config_t *)&r->user, p);

		if (s)
			return (int)config_setting_source_line(s);
		if (!(dot = strrchr(p, '.')))
			return 0;
		*dot = '\0';
	}
}

/* "file:line: reason" for a setting of the user's file, else "file: reason". */
static int fail_at(const cw_rules *r, const char *path, const char *fmt, const char *what)
{
	char reason[512];
	int line = user_line(r, path);
	const char *file = r->user_name ? r->user_name : "carewatch.cfg (built-in)";

	snprintf(reason, sizeof(reason), fmt, what);
	if (line > 0)
		return cw_error(CW_EINVALID, "%s:%d: %s", file, line, reason);
	return cw_error(CW_EINVALID, "%s: %s", file, reason);
}

static const char *type_name(int t)
{
	switch (t) {
	case CONFIG_TYPE_GROUP: return "a group { ... }";
	case CONFIG_TYPE_ARRAY: case CONFIG_TYPE_LIST: return "a list [ ... ]";
	case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64: return "a whole number";
	case CONFIG_TYPE_FLOAT: return "a number";
	case CONFIG_TYPE_STRING: return "a quoted string";
	case CONFIG_TYPE_BOOL: return "true or false";
	default: return "a value";
	}
}

static bool is_list(int t) { return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST; }
static bool is_int(int t) { return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64; }

static int merge(cw_rules *r, config_setting_t *base, config_setting_t *user,
	const char *prefix)
{
	int i, n = config_setting_length(user);

	for (i = 0; i < n; i++) {
		config_setting_t *u = config_setting_get_elem(user, (unsigned)i);
		const char *name = config_setting_name(u);
		config_setting_t *b = config_setting_get_member(base, name);
		int bt, ut = config_setting_type(u), line = (int)config_setting_source_line(u);
		char path[256];
		int j, err;

		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", name);
		/* A rules file may define roles of its own. */
		if (!b && strcmp(prefix, "permissions") == 0 && is_list(ut))
			b = config_setting_add(base, name, CONFIG_TYPE_ARRAY);
		if (!b)
			return cw_error(CW_EINVALID, "%s:%d: unknown setting '%s'",
				r->user_name, line, path);
		bt = config_setting_type(b);
		if (bt == CONFIG_TYPE_GROUP) {
			if (ut != CONFIG_TYPE_GROUP)
				goto wrong_type;
			if ((err = merge(r, b, u, path)) != CW_OK)
				return err;
		} else if (is_list(bt)) {
			config_setting_t *nb;

			if (!is_list(ut))
				goto wrong_type;
			for (j = 0; j < config_setting_length(u); j++)
				if (config_setting_type(config_setting_get_elem(u, (unsigned)j)) != CONFIG_TYPE_STRING)
					return cw_error(CW_EINVALID, "%s:%d: '%s' must be a list of quoted strings",
						r->user_name, line, path);
			config_setting_remove(base, name);
			nb = config_setting_add(base, name, CONFIG_TYPE_ARRAY);
			for (j = 0; j < config_setting_length(u); j++)
				config_setting_set_string_elem(nb, -1,
					config_setting_get_string_elem(u, (unsigned)j));
		} else if (is_int(bt)) {
			if (!is_int(ut))
				goto wrong_type;
			config_setting_set_int(b, config_setting_get_int(u));
		} else if (bt == CONFIG_TYPE_BOOL) {
			if (ut != CONFIG_TYPE_BOOL)
				goto wrong_type;
			config_setting_set_bool(b, config_setting_get_bool(u));
		} else if (bt == CONFIG_TYPE_STRING) {
			if (ut != CONFIG_TYPE_STRING)
				goto wrong_type;
			config_setting_set_string(b, config_setting_get_string(u));
		} else {
			goto wrong_type;
		}
		continue;
wrong_type:
		return cw_error(CW_EINVALID, "%s:%d: '%s' must be %s, not %s",
			r->user_name, line, path, type_name(bt), type_name(ut));
	}
	return CW_OK;
}

static int load_axis(cw_rules *r, const char *path, const char **labels, int *max)
{
	config_setting_t *s = config_lookup(&r->cfg, path);
	int i, n = config_setting_length(s);

	if (n < 2 || n > MAX_AXIS)
		return fail_at(r, path, "'%s' must have between 2 and 10 labels", path);
	for (i = 0; i < n; i++) {
		labels[i + 1] = config_setting_get_string_elem(s, (unsigned)i);
		if (!labels[i + 1] || !*labels[i + 1])
			return fail_at(r, path, "'%s' has an empty label", path);
	}
	*max = n;
	return CW_OK;
}

static int check_bands(cw_rules *r)
{
	int b, l, i;
	const char *where = user_line(r, "bands") ? "bands" : "matrix";

	for (b = CW_BAND_GREEN; b <= CW_BAND_RED; b++) {
		char path[64];
		int lo, hi;

		snprintf(path, sizeof(path), "bands.%s.min", band_names[b]);
		config_lookup_int(&r->cfg, path, &lo);
		snprintf(path, sizeof(path), "bands.%s.max", band_names[b]);
		config_lookup_int(&r->cfg, path, &hi);
		snprintf(path, sizeof(path), "bands.%s", band_names[b]);
		if (lo < 1 || hi < lo)
			return fail_at(r, path, "band '%s' needs 1 <= min <= max", band_names[b]);
		if (b > CW_BAND_GREEN && lo <= r->band_max[b - 1])
			return fail_at(r, path, "band '%s' overlaps the band below it", band_names[b]);
		r->band_min[b] = lo;
		r->band_max[b] = hi;
	}
	/* Every score the matrix can produce must fall in exactly one band. */
	for (l = 1; l <= r->lmax; l++)
		for (i = 1; i <= r->imax; i++) {
			char what[128];
			int score = l * i;

			if (cw_rules_band(r, score) != CW_BAND_NONE)
				continue;
			snprintf(what, sizeof(what), "%d (likelihood %d x impact %d)", score, l, i);
			return fail_at(r, where, "no band covers the score %s", what);
		}
	return CW_OK;
}

static bool perm_known(const char *p)
{
	const char *const *k;

	for (k = known_perms; *k; k++)
		if (strcmp(*k, p) == 0)
			return true;
	return false;
}

static int check_rest(cw_rules *r)
{
	config_setting_t *s;
	int i, n, v;
	static const char *const positive[] = {
		"flags.repeated_concerns.count", "flags.repeated_concerns.days",
		"flags.large_scale_pova.count", "flags.large_scale_pova.days",
		"flags.provider_not_engaging.meetings", "flags.regulator_rating_stale.months",
		"time_limits.escalation_to_first_ppm", "time_limits.ppm_to_provider_letter",
		"sessions.idle_minutes", "sessions.max_hours", "sessions.login_failures",
		"sessions.lockout_minutes",
		NULL
	};
	static const char *const nonneg[] = {
		"review_days.red", "review_days.amber", "review_days.yellow",
		"review_days.green", "closure.likelihood_drop", NULL
	};
	const char *const *k;

	for (k = positive; *k; k++) {
		config_lookup_int(&r->cfg, *k, &v);
		if (v < 1 || v > 100000)
			return fail_at(r, *k, "'%s' must be a whole number from 1 to 100000", *k);
	}
	for (k = nonneg; *k; k++) {
		config_lookup_int(&r->cfg, *k, &v);
		if (v < 0 || v > 100000)
			return fail_at(r, *k, "'%s' must be a whole number from 0 to 100000", *k);
	}
	config_lookup_int(&r->cfg, "closure.likelihood_drop", &v);
	if (v >= r->lmax)
		return fail_at(r, "closure.likelihood_drop",
			"'%s' must be smaller than the number of likelihood levels",
			"closure.likelihood_drop");

	s = config_lookup(&r->cfg, "guards");
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		const char *val = config_setting_get_string(g);
		char path[128];

		snprintf(path, sizeof(path), "guards.%s", config_setting_name(g));
		if (strcmp(val, "must") != 0 && strcmp(val, "should") != 0)
			return fail_at(r, path, "'%s' must be \"must\" or \"should\"", path);
	}

	s = config_lookup(&r->cfg, "permissions");
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		config_setting_t *role = config_setting_get_elem(s, (unsigned)i);
		int j;

		for (j = 0; j < config_setting_length(role); j++) {
			const char *p = config_setting_get_string_elem(role, (unsigned)j);
			char path[128], what[256];

			if (perm_known(p))
				continue;
			snprintf(path, sizeof(path), "permissions.%s", config_setting_name(role));
			snprintf(what, sizeof(what), "unknown permission '%s' in %s", p, path);
			return fail_at(r, path, "%s", what);
		}
	}
	{
		const char *o = cw_rules_string(r, "dates.today_override");

		if (strcmp(o, "allow") != 0 && strcmp(o, "read_only") != 0 &&
		    strcmp(o, "refuse") != 0)
			return fail_at(r, "dates.today_override",
				"'%s' must be \"allow\", \"read_only\" or \"refuse\"",
				"dates.today_override");
	}
	if (!cw_rules_role_known(r, cw_rules_string(r, "decision_role")))
		return fail_at(r, "decision_role", "decision_role '%s' is not a role under permissions",
			cw_rules_string(r, "decision_role"));
	return CW_OK;
}

/* The whole file, so it can be checked before libconfig reads it. */
static int read_all(FILE *f, const char *path, char **out)
{
	cw_buf b = CW_BUF_INIT;
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > 1024 * 1024) {
			cw_buf_free(&b);
			return cw_error(CW_EINVALID, "%s: rules file is too large (over 1 MB)", path);
		}
		cw_buf_put(&b, chunk, n);
	}
	if (ferror(f)) {
		cw_buf_free(&b);
		return cw_error(CW_EINVALID, "%s: cannot read rules file: %s", path, strerror(errno));
	}
	if (b.len && memchr(b.ptr, '\0', b.len)) {
		cw_buf_free(&b);
		return cw_error(CW_EINVALID, "%s: rules file contains a NUL byte", path);
	}
	*out = cw_buf_detach(&b);
	return CW_OK;
}

/*
 * A rules file is one file: libconfig's @include would read other files
 * (and its scanner exits the process on a directory), so it is refused.
 */
static int refuse_include(const cw_rules *r, const char *text)
{
	const char *p = text;
	int line = 1;

	for (; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (*p == '@' && strncmp(p, "@include", 8) == 0)
			return cw_error(CW_EINVALID, "%s:%d: @include is not allowed in a rules file",
				r->user_name, line);
	}
	return CW_OK;
}

static int load(cw_rules **out, const char *text, const char *name, const char *path)
{
	const cw_embedded *def = cw_embedded_find("carewatch.cfg");
	cw_rules *r = cw_calloc(1, sizeof(*r));
	char *owned = NULL;
	int err;

	config_init(&r->cfg);
	config_init(&r->user);
	if (!def || !config_read_string(&r->cfg, def->data)) {
		err = cw_error(CW_EINTERNAL, "the built-in rules do not parse: %s",
			config_error_text(&r->cfg));
		goto fail;
	}
	if (text || path) {
		r->has_user = true;
		r->user_name = cw_strdup(name ? name : path);
		if (path) {
			/* Regular files only: libconfig's scanner exits the process on a
			 * directory, and a FIFO would hang the command. */
			FILE *f = cw_file_open_regular(path, false, "rules file");

			if (!f) {
				err = cw_error_code();
				goto fail;
			}
			if ((err = read_all(f, path, &owned)) != CW_OK) {
				fclose(f);
				goto fail;
			}
			fclose(f);
			text = owned;
		}
		if ((err = refuse_include(r, text)) != CW_OK)
			goto fail;
		if (!config_read_string(&r->user, text))
			goto parse_error;
		if ((err = merge(r, config_root_setting(&r->cfg),
				config_root_setting(&r->user), "")) != CW_OK)
			goto fail;
	}
	if ((err = load_axis(r, "matrix.likelihood", r->llabel, &r->lmax)) != CW_OK ||
	    (err = load_axis(r, "matrix.impact", r->ilabel, &r->imax)) != CW_OK ||
	    (err = check_bands(r)) != CW_OK ||
	    (err = check_rest(r)) != CW_OK)
		goto fail;
	free(owned);
	*out = r;
	return CW_OK;

parse_error:
	err = cw_error(CW_EINVALID, "%s:%d: %s", r->user_name,
		config_error_line(&r->user), config_error_text(&r->user));
fail:
	free(owned);
	cw_rules_free(r);
	return err;
}

int cw_rules_load(cw_rules **out, const char *path)
{
	return load(out, NULL, NULL, path);
}

int cw_rules_load_string(cw_rules **out, const char *text, const char *name)
{
	return load(out, text ? text : "", name ? name : "<string>", NULL);
}

void cw_rules_set_templates(cw_rules *r, json_t *templates)
{
	json_decref(r->templates);
	r->templates = templates;
}

const json_t *cw_rules_templates(const cw_rules *r)
{
	return r->templates;
}

void cw_rules_free(cw_rules *r)
{
	if (!r)
		return;
	config_destroy(&r->cfg);
	config_destroy(&r->user);
	json_decref(r->templates);
	free(r->user_name);
	free(r);
}

int cw_rules_likelihood_max(const cw_rules *r) { return r->lmax; }
int cw_rules_impact_max(const cw_rules *r) { return r->imax; }

const char *cw_rules_likelihood_label(const cw_rules *r, int l)
{
	return l >= 1 && l <= r->lmax ? r->llabel[l] : NULL;
}

const char *cw_rules_impact_label(const cw_rules *r, int i)
{
	return i >= 1 && i <= r->imax ? r->ilabel[i] : NULL;
}

int cw_rules_check_likelihood(const cw_rules *r, long l)
{
	if (l < 1 || l > r->lmax)
		return cw_error_at("likelihood", CW_EINVALID, "likelihood %ld is out of range (1-%d)", l, r->lmax);
	return CW_OK;
}

int cw_rules_check_impact(const cw_rules *r, long i)
{
	if (i < 1 || i > r->imax)
		return cw_error_at("impact", CW_EINVALID, "impact %ld is out of range (1-%d)", i, r->imax);
	return CW_OK;
}

int cw_rules_score(int likelihood, int impact)
{
	return likelihood * impact;
}

int cw_rules_rating(const cw_rules *r, long likelihood, long impact, json_t **out)
{
	int err, score;

	if ((err = cw_rules_check_likelihood(r, likelihood)) != CW_OK ||
	    (err = cw_rules_check_impact(r, impact)) != CW_OK)
		return err;
	score = cw_rules_score((int)likelihood, (int)impact);
	*out = json_pack("{s:i,s:s,s:i,s:s,s:i,s:s}",
		"likelihood", (int)likelihood,
		"likelihood_label", cw_rules_likelihood_label(r, (int)likelihood),
		"impact", (int)impact, "impact_label", cw_rules_impact_label(r, (int)impact),
		"score", score, "band", cw_band_name(cw_rules_band(r, score)));
	return CW_OK;
}

cw_band cw_rules_band(const cw_rules *r, int score)
{
	int b;

	for (b = CW_BAND_RED; b >= CW_BAND_GREEN; b--)
		if (score >= r->band_min[b] && score <= r->band_max[b])
			return (cw_band)b;
	return CW_BAND_NONE;
}

const char *cw_band_name(cw_band b)
{
	return b >= CW_BAND_GREEN && b <= CW_BAND_RED ? band_names[b] : NULL;
}

int cw_band_parse(const char *s, cw_band *out)
{
	int b;

	for (b = CW_BAND_GREEN; s && b <= CW_BAND_RED; b++)
		if (strcmp(s, band_names[b]) == 0) {
			*out = (cw_band)b;
			return CW_OK;
		}
	return cw_error(CW_EINVALID, "'%s' is not a band (red, amber, yellow, green)",
		s ? s : "");
}

static config_setting_t *must_lookup(const cw_rules *r, const char *key)
{
	config_setting_t *s = config_lookup((config_t *)&r->cfg, key);

	if (!s) {
		fprintf(stderr, "carewatch: internal error: no rule '%s'\n", key);
		abort();
	}
	return s;
}

int cw_rules_int(const cw_rules *r, const char *key)
{
	return config_setting_get_int(must_lookup(r, key));
}

bool cw_rules_bool(const cw_rules *r, const char *key)
{
	return config_setting_get_bool(must_lookup(r, key)) != 0;
}

const char *cw_rules_string(const cw_rules *r, const char *key)
{
	const char *s = config_setting_get_string(must_lookup(r, key));

	return s ? s : "";
}

bool cw_rules_list_has(const cw_rules *r, const char *key, const char *value)
{
	config_setting_t *list = must_lookup(r, key);

	for (int i = 0; value && i < config_setting_length(list); i++)
		if (strcasecmp(config_setting_get_string_elem(list, (unsigned)i), value) == 0)
			return true;
	return false;
}

cw_strength cw_rules_guard(const cw_rules *r, const char *guard)
{
	char key[128];

	snprintf(key, sizeof(key), "guards.%s", guard);
	return strcmp(cw_rules_string(r, key), "should") == 0 ? CW_SHOULD : CW_MUST;
}

int cw_rules_review_days(const cw_rules *r, cw_band b)
{
	char key[64];

	if (b == CW_BAND_NONE)
		return 0;
	snprintf(key, sizeof(key), "review_days.%s", band_names[b]);
	return cw_rules_int(r, key);
}

bool cw_rules_role_known(const cw_rules *r, const char *role)
{
	config_setting_t *perms = must_lookup(r, "permissions");

	return role && *role && config_setting_get_member(perms, role) != NULL;
}

bool cw_rules_may(const cw_rules *r, const char *roles, const char *perm)
{
	config_setting_t *perms = must_lookup(r, "permissions");
	const char *p = roles;

	while (p && *p) {
		const char *it;
		char role[64];
		config_setting_t *list;
		size_t n;
		int j;

		p = cw_list_next(p, &it, &n);
		if (n && n < sizeof(role)) {
			memcpy(role, it, n);
			role[n] = '\0';
			list = config_setting_get_member(perms, role);
			for (j = 0; list && j < config_setting_length(list); j++)
				if (strcmp(config_setting_get_string_elem(list, (unsigned)j), perm) == 0)
					return true;
		}
	}
	return false;
}

static json_t *setting_json(const config_setting_t *s)
{
	json_t *j;
	int i, n;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		j = json_object();
		n = config_setting_length(s);
		for (i = 0; i < n; i++) {
			config_setting_t *c = config_setting_get_elem(s, (unsigned)i);

			json_object_set_new(j, config_setting_name(c), setting_json(c));
		}
		return j;
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		j = json_array();
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			json_array_append_new(j, setting_json(config_setting_get_elem(s, (unsigned)i)));
		return j;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return json_integer(config_setting_get_int64(s));
	case CONFIG_TYPE_FLOAT:
		return json_real(config_setting_get_float(s));
	case CONFIG_TYPE_BOOL:
		return json_boolean(config_setting_get_bool(s));
	case CONFIG_TYPE_STRING:
		return json_string(config_setting_get_string(s));
	default:
		return json_null();
	}
}

json_t *cw_rules_to_json(const cw_rules *r)
{
	json_t *j = setting_json(config_root_setting(&r->cfg));
	json_t *grid = json_array();
	int l, i;

	/* The scored grid, highest likelihood first as the protocol prints it. */
	for (l = r->lmax; l >= 1; l--) {
		json_t *row = json_array();

		for (i = 1; i <= r->imax; i++) {
			int sc = l * i;

			json_array_append_new(row, json_pack("{s:i,s:s}", "score", sc,
				"band", cw_band_name(cw_rules_band(r, sc))));
		}
		json_array_append_new(grid, row);
	}
	json_object_set_new(json_object_get(j, "matrix"), "grid", grid);
	if (r->user_name)
		json_object_set_new(j, "source", json_string(r->user_name));
	return j;
}

char *cw_rules_to_text(const cw_rules *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return cw_strdup("");
	config_write(&r->cfg, f);
	fclose(f);
	return text;
}
