/* carewatch meeting record | list */
#include <stdio.h>
#include "carewatch/meeting.h"
#include "args.h"
#include "output.h"

static int run_record(cw_cli *cli, int argc, char **argv);
static int run_list(cw_cli *cli, int argc, char **argv);

static const cw_subcmd subs[] = {
	{ "record", "--case CASE --date DATE --chair USER --attendee \"NAME|ORG|ROLE\"..."
		" --trend increased|same|decreased [--overall BAND] [--next DATE]"
		" [--provider-attended] [--decisions TEXT]",
		"record a provider performance meeting", run_record, CW_CMD_WRITE },
	{ "list", "--case CASE", "the provider performance meetings of a case", run_list, 0 },
	{ 0 }
};

const cw_family cw_family_meeting = { "meeting", "provider performance meetings", subs };

static const char *const meeting_keys[] = {
	"ref", "id", "case_ref", "case_id", "provider", "date", "chair", "provider_attended", "overall", "trend",
	"decisions", "next", NULL
};

static const cw_col attendee_cols[] = {
	{ "name", "NAME", 30 }, { "org", "ORGANISATION", 30 }, { "role", "ROLE", 30 },
	{ "acknowledged", "CONFIDENTIALITY", 0 }, CW_COL_END
};

static const cw_col meeting_cols[] = {
	{ "ref", "REF", 0 }, { "date", "DATE", 0 }, { "chair", "CHAIR", 20 }, { "provider_attended", "PROVIDER", 0 },
	{ "overall", "OVERALL", 0 }, { "trend", "TREND", 0 }, { "next", "NEXT", 0 },
	{ "id", "ID", 0 }, CW_COL_END
};

/* The meeting's fields, then who attended (and so acknowledged). */
static void print_meeting(cw_cli *cli, json_t *out)
{
	cli->print_arg = meeting_keys;
	cw_print_object(cli, out);
	puts("\nattendees:");
	cli->print_arg = attendee_cols;
	cw_print_table(cli, json_object_get(out, "attendees"));
}

static int run_record(cw_cli *cli, int argc, char **argv)
{
	cw_meeting_record_args a = { 0 };
	cw_optdate date = { false, 0 }, next = { false, 0 };
	cw_strlist attendees = { NULL, 0 };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "the case (stage provider_performance or embargo)"),
		CW_OPT_DATE_REQ("date", &date, "when the meeting was held (not after today)"),
		CW_OPT_STRING_REQ("chair", &a.chair, "USER", "who chaired it (a carewatch user)"),
		CW_OPT_LIST_REQ("attendee", &attendees, "\"NAME|ORG|ROLE\"",
			"who attended; each has acknowledged the confidentiality statement"),
		CW_OPT_ENUM_REQ("trend", &a.trend, cw_meeting_trends, "how the risk has moved"),
		CW_OPT_STRING("overall", &a.overall, "BAND",
			"the agreed overall level of risk (red, amber, yellow, green)"),
		CW_OPT_DATE("next", &next, "the date of the next meeting (after --date)"),
		CW_OPT_FLAG("provider-attended", &a.provider_attended, "the provider attended"),
		CW_OPT_STRING("decisions", &a.decisions, "TEXT", "what the meeting decided"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		goto done;
	a.date = date.v;
	a.has_next = next.set;
	a.next = next.v;
	a.attendees = attendees.v;
	a.nattendees = (size_t)attendees.n;
	if ((err = cw_meeting_record(cli->db, &a, &out)) != CW_OK)
		goto done;
	cw_cli_result(cli, out, print_meeting, NULL);
done:
	cw_strlist_free(&attendees);
	return err;
}

static int run_list(cw_cli *cli, int argc, char **argv)
{
	const char *case_ref = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &case_ref, "CASE", "the case"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_meeting_list(cli->db, case_ref, &out)) != CW_OK)
		return err;
	cw_cli_result(cli, out, cw_print_table, meeting_cols);
	return CW_OK;
}
