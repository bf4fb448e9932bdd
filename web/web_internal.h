#ifndef CW_WEB_INTERNAL_H
#define CW_WEB_INTERNAL_H
/* Private to web/: the request context, HTML helpers and the pages. */
#include <stdbool.h>
#include <jansson.h>
#include "web.h"
#include "carewatch/error.h"
#include "carewatch/words.h"

#define CW_WEB_MAX_SEG 8
#define CW_WEB_MAX_UNMET 32

typedef struct {
	cw_web_app *app;
	const cw_web_request *req;
	cw_web_response *resp;
	cw_db *db;
	const char *user;              /* the session's user, NULL on public pages */
	const char *csrf;              /* the session's CSRF token */
	bool json;                     /* Accept: application/json */
	char *seg[CW_WEB_MAX_SEG];     /* decoded path segments */
	size_t nseg;
	cw_web_pair *query;            /* decoded query string */
	size_t nquery;
	/* The failure being shown, copied from the engine's last error. */
	int err;
	char *err_msg, *err_field;
	char *unmet[CW_WEB_MAX_UNMET];
	size_t nunmet;
	bool rendered;                 /* the handler produced the response itself */
	const char *id_prefix;         /* for field ids when a page repeats a form */
} cw_ctx;

/* Request data. */
const char *cw_form(const cw_ctx *c, const char *name);       /* NULL when absent */
const char *cw_form_or(const cw_ctx *c, const char *name, const char *def);
size_t cw_form_all(const cw_ctx *c, const char *name, const char **out, size_t max);
const char *cw_query(const cw_ctx *c, const char *name);
bool cw_may(const cw_ctx *c, const char *perm);

/* Keep the engine's last error (code, message, field, unmet) for display. */
int cw_ctx_fail(cw_ctx *c, int err);

/* Responses. */
void cw_resp_header(cw_web_response *r, const char *name, const char *value);
void cw_redirect(cw_ctx *c, const char *location);
void cw_send_json(cw_ctx *c, int status, json_t *j);     /* steals j */
/* A form's POST succeeded with entity `out` (stolen): JSON answers it with
 * `json_status`; a browser is sent to prefix + out[id_key] (see other). */
int cw_post_done(cw_ctx *c, json_t *out, int json_status, const char *prefix,
	const char *id_key);
void cw_send_text(cw_ctx *c, const char *type, const char *filename, const char *text);
int cw_status_http(int err);

/* HTML: escape text; a page's start and end; pieces of GOV.UK markup. */
void cw_esc(cw_buf *b, const char *s);
void cw_html(cw_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cw_text(cw_ctx *c, const char *s);                     /* escaped */
/* Markup with text in it: as cw_html, but every %s is escaped text. Only
 * %s, %d, %zu, %lld and %% are understood. */
void cw_markup(cw_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cw_page_start(cw_ctx *c, const char *title);
void cw_page_end(cw_ctx *c);
void cw_error_summary(cw_ctx *c);
/* A list page: a JSON client is sent `list` (stolen) and true returned; a
 * browser gets the page started, error summary and <h1> heading, and false. */
bool cw_page_start_list(cw_ctx *c, json_t *list, const char *title, const char *heading);
/* A page about one provider's record: the error summary, the provider as
 * caption (linked to its page when provider_id is given), an open <h1>. */
void cw_page_start_provider(cw_ctx *c, const char *title, const char *provider,
	const char *provider_id);
void cw_field_text(cw_ctx *c, const char *name, const char *label, const char *hint,
	const char *value, const char *type);
void cw_field_textarea(cw_ctx *c, const char *name, const char *label, const char *hint,
	const char *value);
void cw_field_select(cw_ctx *c, const char *name, const char *label,
	const char *const *choices, const char *value, bool blank);
void cw_field_select_json(cw_ctx *c, const char *name, const char *label, json_t *items,
	const char *key_value, const char *key_label, const char *value);
void cw_field_date(cw_ctx *c, const char *name, const char *legend, const char *hint);
void cw_field_checkbox(cw_ctx *c, const char *name, const char *label, bool checked);
void cw_form_start(cw_ctx *c, const char *action);
/* cw_form_start to a formatted action ("/concerns/%s/rate"). */
void cw_form_startf(cw_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cw_form_end(cw_ctx *c, const char *button);
void cw_csrf_field(cw_ctx *c);
void cw_button_form(cw_ctx *c, const char *action, const char *label, bool secondary);
void cw_band_tag(cw_ctx *c, const char *band);
/* <a class="govuk-link" href="PREFIXID">text</a>, id and text escaped. */
void cw_link(cw_ctx *c, const char *prefix, const char *id, const char *text);
/* A table of JSON rows is declared as its columns: a heading (markup) and
 * what the cell shows of the row's member `key`. */
typedef enum {
	CW_CELL_TEXT,       /* the text */
	CW_CELL_INT,        /* a whole number */
	CW_CELL_STAGE,      /* a case's stage in words */
	CW_CELL_BAND,       /* a band as a tag */
	CW_CELL_LINK,       /* a link to href + the row's `id` member */
	CW_CELL_DRAW,       /* whatever draw() writes */
} cw_cell_kind;

typedef struct {
	const char *head;   /* NULL ends the columns */
	cw_cell_kind kind;
	const char *key;
	const char *cls;    /* another class for the cell (cw-nowrap), or NULL */
	const char *href, *id;
	void (*draw)(cw_ctx *c, const json_t *row, size_t i);
} cw_column;

/* The table: caption escaped (or NULL), a row each, `none` alone in a row
 * when there are no rows (or nothing, when NULL). */
void cw_table(cw_ctx *c, const char *caption, const cw_column *cols, const json_t *rows,
	const char *none);
/* A list page that is one table: `err` from the engine's getter of `list`
 * (stolen), then as cw_page_start_list, the table and the page's end. */
int cw_page_table(cw_ctx *c, int err, json_t *list, const char *title, const char *heading,
	const cw_column *cols);
void cw_summary_row(cw_ctx *c, const char *key, const char *value);
/* Flags in words: a list of "flag: what it means". */
void cw_flag_list(cw_ctx *c, const json_t *flags);
const char *cw_js(const json_t *o, const char *key);         /* string or "" */
char *cw_jtext(const json_t *v);                              /* any value as text (free) */
/* A GOV.UK date input read back: name-day, name-month, name-year. */
int cw_form_date(cw_ctx *c, const char *name, bool required, bool *given, cw_date *out);

/* Pages: each a route handler run inside one engine transaction. */
typedef int (*cw_page_fn)(cw_ctx *c);
/* Show the failed field under the form's name for it (the engine's differs). */
void cw_ctx_field(cw_ctx *c, const char *name);
/* A form's POST failed (kept by cw_ctx_fail): when `again`, a browser sees
 * `page` redrawn with the error; else, or when that fails, the error page. */
int cw_form_again(cw_ctx *c, int err, bool again, cw_page_fn page);
int cw_page_home(cw_ctx *c);
int cw_page_watchlist_csv(cw_ctx *c);
int cw_page_providers(cw_ctx *c);
int cw_page_provider(cw_ctx *c);
int cw_page_provider_add(cw_ctx *c);
int cw_page_concern_new(cw_ctx *c);
int cw_page_concern_log(cw_ctx *c);
int cw_page_concern(cw_ctx *c);
int cw_page_concern_rate(cw_ctx *c);
int cw_page_concern_resolve(cw_ctx *c);
int cw_page_positive(cw_ctx *c);
int cw_page_case(cw_ctx *c);
int cw_page_cases(cw_ctx *c);
int cw_page_case_open(cw_ctx *c);
int cw_page_case_form(cw_ctx *c);
int cw_page_case_act(cw_ctx *c);
int cw_page_meeting_new(cw_ctx *c);
int cw_page_meeting_record(cw_ctx *c);
int cw_page_action_new(cw_ctx *c);
int cw_page_action_add(cw_ctx *c);
int cw_page_action_extend(cw_ctx *c);
int cw_page_action_progress(cw_ctx *c);
int cw_page_placement(cw_ctx *c);
int cw_page_tasks(cw_ctx *c);
int cw_page_task_done(cw_ctx *c);
int cw_page_document(cw_ctx *c);
int cw_page_letter(cw_ctx *c);
int cw_page_qa(cw_ctx *c);
int cw_page_qa_record(cw_ctx *c);
int cw_page_agenda_md(cw_ctx *c);
int cw_page_account(cw_ctx *c);
int cw_page_account_password(cw_ctx *c);
int cw_page_account_calendar(cw_ctx *c);
int cw_page_admin(cw_ctx *c);
int cw_page_admin_users(cw_ctx *c);
int cw_page_admin_user_add(cw_ctx *c);
int cw_page_admin_user_password(cw_ctx *c);
int cw_page_admin_user(cw_ctx *c);
int cw_page_admin_user_roles(cw_ctx *c);
int cw_page_admin_user_deactivate(cw_ctx *c);
int cw_page_admin_commissioners(cw_ctx *c);
int cw_page_admin_commissioner_add(cw_ctx *c);
int cw_page_admin_import(cw_ctx *c);
int cw_page_admin_export(cw_ctx *c);
int cw_page_admin_audit(cw_ctx *c);
int cw_page_admin_verify(cw_ctx *c);
int cw_page_admin_rules(cw_ctx *c);

#endif
