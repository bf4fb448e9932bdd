/* carewatch calendar [--user NAME] [--days N] */
#include <stdlib.h>
#include "carewatch/calendar.h"
#include "carewatch/buf.h"
#include "args.h"
#include "output.h"

static int run_calendar(cw_cli *cli, int argc, char **argv)
{
	const char *user = NULL;
	cw_optint days = { false, 60 };
	const cw_opt opts[] = {
		CW_OPT_STRING("user", &user, "NAME",
			"whose calendar: what they may see (default: yours; another's needs admin)"),
		CW_OPT_INT("days", &days, "N", "how far ahead, in days (default 60, at most 366)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	char *text = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	if (days.v < 1 || days.v > 366)
		days.v = 0;   /* the engine says what the range is */
	if (cli->json) {
		if ((err = cw_calendar_events(cli->db, user, (int)days.v, &out)) != CW_OK)
			return err;
		cw_cli_result(cli, out, NULL, NULL);
		return CW_OK;
	}
	if ((err = cw_calendar_feed(cli->db, user, (int)days.v, &text)) != CW_OK)
		return err;
	free(cli->raw);
	cli->raw = text;
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ NULL, "[--user NAME] [--days N]",
		"an iCalendar feed of meetings, reviews and due dates", run_calendar, 0 },
	{ 0 }
};

const cw_family cw_family_calendar = { "calendar", "the iCalendar feed", subs };
