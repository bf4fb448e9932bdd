/* carewatch meeting record | amend | list */
#include <stdio.h>
#include "carewatch/meeting.h"
#include "args.h"
#include "output.h"

static int run_record(cw_cli *cli, int argc, char **argv);
static int run_amend(cw_cli *cli, int argc, char **argv);
static int run_list(cw_cli *cli, int argc, char **argv);

#define MORE_USAGE " [--time HH:MM] [--venue TEXT] [--apology NAME]... [--minutes-to NAME]..." \
	" [--provider-attendance all|part|none] [--sharing \"WHAT|WITH WHOM|WHEN|WHY\"]..." \
	" [--disagreements TEXT] [--legal-advice TEXT] [--media-advice TEXT]" \
	" [--next-attendees TEXT]"

static const cw_subcmd subs[] = {
	{ "record", "--case CASE --date DATE --chair USER --attendee \"NAME|ORG|ROLE\"..."
		" --trend increased|same|decreased [--overall BAND] [--next DATE]"
		" [--provider-attended] [--decisions TEXT]" MORE_USAGE,
		"record a provider performance meeting", run_record, CW_CMD_WRITE },
	{ "amend", "MEETING --reason TEXT [--date DATE] [--chair USER] [--attendee ...]..."
		" [--trend T] [--overall BAND] [--next DATE] [--decisions TEXT]" MORE_USAGE,
		"correct a recorded meeting (before and after kept)", run_amend, CW_CMD_WRITE },
	{ "list", "--case CASE", "the provider performance meetings of a case", run_list, 0 },
	{ 0 }
};

const cw_family cw_family_meeting = { "meeting", "provider performance meetings", subs };

static const char *const meeting_keys[] = {
	"ref", "id", "case_ref", "case_id", "provider", "date", "time", "venue", "chair",
	"provider_attendance", "overall", "trend", "decisions", "disagreements", "next",
	"next_attendees", NULL
};

static const cw_col attendee_cols[] = {
	{ "name", "NAME", 30 }, { "org", "ORGANISATION", 30 }, { "role", "ROLE", 30 },
	{ "contact", "CONTACT", 30 }, { "acknowledged", "CONFIDENTIALITY", 0 }, CW_COL_END
};

static void print_list(const char *title, const json_t *list)
{
	json_t *e;
	size_t i;

	if (json_array_size(list) == 0)
		return;
	printf("\n%s:\n", title);
	json_array_foreach(list, i, e)
		if (json_is_string(e))
			printf("  %s\n", json_string_value(e));
		else
			printf("  %s with %s, %s: %s\n", json_string_value(json_object_get(e, "what")),
				json_string_value(json_object_get(e, "with")),
				json_string_value(json_object_get(e, "when")),
				json_string_value(json_object_get(e, "why")));
}

/* The protocol's record beyond the plain fields: lists, advice, amendments. */
static void print_record(const json_t *m)
{
	const json_t *adv = json_object_get(m, "advice"), *e;
	size_t i;

	print_list("apologies", json_object_get(m, "apologies"));
	print_list("minutes to", json_object_get(m, "minutes_to"));
	print_list("information sharing", json_object_get(m, "sharing"));
	if (json_is_string(json_object_get(adv, "legal")))
		printf("\nlegal advice sought: %s\n", json_string_value(json_object_get(adv, "legal")));
	if (json_is_string(json_object_get(adv, "media")))
		printf("\nmedia advice sought: %s\n", json_string_value(json_object_get(adv, "media")));
	json_array_foreach(json_object_get(m, "amendments"), i, e)
		printf("\namended on %s by %s: %s\n", json_string_value(json_object_get(e, "date")),
			json_string_value(json_object_get(e, "by")),
			json_string_value(json_object_get(e, "reason")));
}

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
	print_record(out);
}

/* The options record and amend share, into `a` and the lists. */
struct lists {
	cw_strlist attendees, apologies, minutes_to, sharing;
};

#define SHARED_OPTS(a, l) \
	CW_OPT_STRING("time", &(a).time, "HH:MM", "when it started"), \
	CW_OPT_STRING("venue", &(a).venue, "TEXT", "where it was held"), \
	CW_OPT_LIST("apology", &(l).apologies, "NAME", "apologies: who could not attend"), \
	CW_OPT_LIST("minutes-to", &(l).minutes_to, "NAME", "who receives the minutes"), \
	CW_OPT_ENUM("provider-attendance", &(a).attendance, cw_meeting_attendance, \
		"whether the provider attended all, part or none of it"), \
	CW_OPT_LIST("sharing", &(l).sharing, "\"WHAT|WITH WHOM|WHEN|WHY\"", \
		"an information-sharing decision (protocol 8.12)"), \
	CW_OPT_STRING("disagreements", &(a).disagreements, "TEXT", \
		"concerns and disagreements (agenda item 9)"), \
	CW_OPT_STRING("legal-advice", &(a).legal_advice, "TEXT", "legal advice sought (8.11)"), \
	CW_OPT_STRING("media-advice", &(a).media_advice, "TEXT", "media advice sought (8.11)"), \
	CW_OPT_STRING("next-attendees", &(a).next_attendees, "TEXT", \
		"who must attend the next meeting"), \
	CW_OPT_STRING("decisions", &(a).decisions, "TEXT", "what the meeting decided"), \
	CW_OPT_STRING("overall", &(a).overall, "BAND", \
		"the agreed overall level of risk (red, amber, yellow, green)")

static void lists_into(struct lists *l, cw_meeting_record_args *a)
{
	a->attendees = l->attendees.v;
	a->nattendees = (size_t)l->attendees.n;
	a->apologies = l->apologies.v;
	a->napologies = (size_t)l->apologies.n;
	a->minutes_to = l->minutes_to.v;
	a->nminutes_to = (size_t)l->minutes_to.n;
	a->sharing = l->sharing.v;
	a->nsharing = (size_t)l->sharing.n;
}

static void lists_free(struct lists *l)
{
	cw_strlist_free(&l->attendees);
	cw_strlist_free(&l->apologies);
	cw_strlist_free(&l->minutes_to);
	cw_strlist_free(&l->sharing);
}

static int run_record(cw_cli *cli, int argc, char **argv)
{
	cw_meeting_record_args a = { 0 };
	cw_optdate date = { false, 0 }, next = { false, 0 };
	struct lists l = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("case", &a.case_ref, "CASE", "the case (stage provider_performance or embargo)"),
		CW_OPT_DATE_REQ("date", &date, "when the meeting was held (not after today)"),
		CW_OPT_STRING_REQ("chair", &a.chair, "USER", "who chaired it (a carewatch user)"),
		CW_OPT_LIST_REQ("attendee", &l.attendees, "\"NAME|ORG|ROLE[|CONTACT]\"",
			"who attended; each has acknowledged the confidentiality statement"),
		CW_OPT_ENUM_REQ("trend", &a.trend, cw_meeting_trends, "how the risk has moved"),
		CW_OPT_DATE("next", &next, "the date of the next meeting (after --date)"),
		CW_OPT_FLAG("provider-attended", &a.provider_attended,
			"the provider attended (all of it)"),
		SHARED_OPTS(a, l),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		goto done;
	a.date = date.v;
	a.has_next = next.set;
	a.next = next.v;
	lists_into(&l, &a);
	if ((err = cw_meeting_record(cli->db, &a, &out)) != CW_OK)
		goto done;
	cw_cli_result(cli, out, print_meeting, NULL);
done:
	lists_free(&l);
	return err;
}

static int run_amend(cw_cli *cli, int argc, char **argv)
{
	cw_meeting_amend_args m = { 0 };
	cw_meeting_record_args *a = &m.set;
	cw_optdate date = { false, 0 }, next = { false, 0 };
	struct lists l = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	const char *pos[1];
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("reason", &m.reason, "TEXT", "why the record is corrected"),
		CW_OPT_DATE("date", &date, "when the meeting was held"),
		CW_OPT_STRING("chair", &a->chair, "USER", "who chaired it"),
		CW_OPT_LIST("attendee", &l.attendees, "\"NAME|ORG|ROLE[|CONTACT]\"",
			"who attended (replaces the list)"),
		CW_OPT_ENUM("trend", &a->trend, cw_meeting_trends, "how the risk has moved"),
		CW_OPT_DATE("next", &next, "the date of the next meeting"),
		SHARED_OPTS(*a, l),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, pos, 1, 1)) != CW_OK)
		goto done;
	m.meeting = pos[0];
	m.has_date = date.set;
	a->date = date.v;
	a->has_next = next.set;
	a->next = next.v;
	lists_into(&l, a);
	if ((err = cw_meeting_amend(cli->db, &m, &out)) != CW_OK)
		goto done;
	cw_cli_result(cli, out, print_meeting, NULL);
done:
	lists_free(&l);
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
