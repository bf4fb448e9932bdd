/* carewatch task list | done */
#include "carewatch/task.h"
#include "args.h"
#include "output.h"

static const cw_col task_cols[] = {
	{ "provider", "PROVIDER", 24 }, { "event", "EVENT", 0 }, { "status", "STATUS", 0 },
	{ "who_to_tell", "WHO", 30 }, { "description", "TASK", 60 }, { "created", "CREATED", 0 },
	{ "done", "DONE", 0 }, { "id", "ID", 0 }, CW_COL_END
};

static const char *const task_keys[] = {
	"id", "case_id", "provider", "event", "description", "who_to_tell", "letter", "created",
	"status", "done", "done_by", "note", NULL
};

static int run_list(cw_cli *cli, int argc, char **argv)
{
	const char *case_ref = NULL;
	bool open_only = false;
	const cw_opt opts[] = {
		CW_OPT_STRING("case", &case_ref, "CASE", "only the tasks of this case"),
		CW_OPT_FLAG("open", &open_only, "only tasks not yet done"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_task_list(cli->db, case_ref, open_only, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, task_cols);
	return CW_OK;
}

static int run_done(cw_cli *cli, int argc, char **argv)
{
	const char *note = NULL, *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING("note", &note, "TEXT", "how it was done (kept with the task)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK ||
	    (err = cw_task_done_note(cli->db, pos[0], note, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_object, task_keys);
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ "list", "[--case CASE] [--open]", "the notification checklist", run_list, 0 },
	{ "done", "ID [--note TEXT]", "tick a task off", run_done, CW_CMD_WRITE },
	{ 0 }
};

const cw_family cw_family_task = { "task", "the notification checklist of cases", subs };
