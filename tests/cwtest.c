#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include "carewatch/error.h"
#include "carewatch/rules.h"
#include "cwtest.h"

extern char **environ;

void cwt_setup(cwt *t, const char *init_as)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/cwtest-XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	snprintf(t->db, sizeof(t->db), "%s/carewatch.db", t->dir);
	t->today = "2026-11-22";
	if (init_as) {
		snprintf(t->admin, sizeof(t->admin), "%s", init_as);
		cr_assert_eq(cwt_run(t, init_as, "init", NULL), 0, "init failed: %s", t->err);
	}
}

void cwt_rules(cwt *t, const char *path)
{
	char file[512];

	/* path may be cwt_file's static buffer: copy it before running */
	snprintf(file, sizeof(file), "%s", path ? path : CW_SOURCE_DIR "/config/carewatch.cfg");
	cr_assert_eq(cwt_run(t, t->admin[0] ? t->admin : NULL, "rules", "set", file, NULL), 0,
		"rules set %s: %s", file, t->err);
}

static void clear(cwt *t)
{
	free(t->out);
	free(t->err);
	json_decref(t->json);
	t->out = t->err = NULL;
	t->json = NULL;
}

void cwt_teardown(cwt *t)
{
	char cmd[300];

	clear(t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (strncmp(t->dir, "/tmp/cwtest-", 12) == 0 && system(cmd) != 0)
		cr_log_warn("could not remove %s", t->dir);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	n = (long)fread(buf, 1, (size_t)n, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int cwt_runv(cwt *t, const char *as, const char *const *args)
{
	const char *argv[256];
	char outp[300], errp[300], envdb[320], envtoday[64], envcfg[300], envcols[32];
	char *envp[10];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int n = 0, i, status, e = 0;

	clear(t);
	argv[n++] = CW_BINARY;
	if (as) {
		argv[n++] = "--as";
		argv[n++] = as;
	}
	for (i = 0; args[i] && n < 254; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(outp, sizeof(outp), "%s/stdout", t->dir);
	snprintf(errp, sizeof(errp), "%s/stderr", t->dir);
	snprintf(envdb, sizeof(envdb), "CAREWATCH_DB=%s", t->db);
	snprintf(envtoday, sizeof(envtoday), "CAREWATCH_TODAY=%s", t->today ? t->today : "");
	envp[e++] = envdb;
	if (t->today)
		envp[e++] = envtoday;
	if (t->config) {
		snprintf(envcfg, sizeof(envcfg), "CAREWATCH_CONFIG=%s", t->config);
		envp[e++] = envcfg;
	}
	if (t->columns) {
		snprintf(envcols, sizeof(envcols), "COLUMNS=%s", t->columns);
		envp[e++] = envcols;
	}
	envp[e++] = "CAREWATCH_USER=";
	envp[e++] = "PATH=/usr/bin:/bin";
	envp[e] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_eq(posix_spawn(&pid, CW_BINARY, &fa, NULL, (char **)argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "carewatch died (signal %d)",
		WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	t->code = WEXITSTATUS(status);
	t->out = slurp(outp);
	t->err = slurp(errp);
	t->json = json_loads(t->out, JSON_DECODE_ANY, NULL);
	return t->code;
}

int cwt_run(cwt *t, const char *as, ...)
{
	const char *args[250];
	va_list ap;
	int n = 0;

	va_start(ap, as);
	while (n < 249 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	return cwt_runv(t, as, args);
}

long cwt_count(cwt *t, const char *table)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char sql[128];
	long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	cr_assert_eq(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

int cwt_sql(cwt *t, const char *sql)
{
	sqlite3 *db;
	int rc;

	cr_assert_eq(sqlite3_open(t->db, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

cw_db *cwt_engine(cwt *t, const char *as)
{
	static cw_rules *rules;   /* shared by every session of the test process */
	cw_db *db = NULL;
	cw_date today;

	if (!rules)
		cr_assert_eq(cw_rules_load(&rules, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_date_parse(t->today, &today), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_db_open(&db, t->db, rules, today, false), CW_OK, "%s", cw_errmsg());
	if (as)
		cr_assert_eq(cw_db_set_actor(db, as), CW_OK, "%s", cw_errmsg());
	return db;
}

const char *cwt_str(cwt *t, const char *key)
{
	const char *s = json_string_value(json_object_get(t->json, key));

	return s ? s : "";
}

const char *cwt_file(cwt *t, const char *name, const char *content)
{
	static char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(content, f);
	fclose(f);
	return path;
}

void cwt_letterhead(cwt *t, const char *as, const char *name)
{
	cr_assert_eq(cwt_run(t, as, "commissioner", "edit", name,
		"--address", "County Hall, Market Street, Carewatch, CW1 1AA",
		"--phone", "01234 567890", "--email", "contracts@carewatch.example.gov.uk",
		"--department", "Social Care, Health and Housing", "--signatory", "Jo Bloggs",
		"--signatory-title", "Head of Commissioning", NULL), 0, "letterhead: %s", t->err);
}
