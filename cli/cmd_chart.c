/* carewatch chart heatmap [--provider P] | chart trend --provider P [--by week|month] */
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "carewatch/chart.h"
#include "args.h"
#include "output.h"

/* The SVG goes to stdout as it is; with --json, the whole object. */
static void result(cw_cli *cli, json_t *out)
{
	free(cli->raw);
	cli->raw = cw_strdup(json_string_value(json_object_get(out, "svg")));
	cw_cli_result(cli, out, NULL, NULL);
}

static int run_heatmap(cw_cli *cli, int argc, char **argv)
{
	const char *provider = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING("provider", &provider, "P", "one provider (default: the whole area)"),
		CW_OPT_END
	};
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK ||
	    (err = cw_chart_heatmap(cli->db, provider, &out)) != CW_OK)
		return err;
	result(cli, out);
	return CW_OK;
}

static int run_trend(cw_cli *cli, int argc, char **argv)
{
	const char *provider = NULL, *by = NULL;
	const cw_opt opts[] = {
		CW_OPT_STRING_REQ("provider", &provider, "P", "the provider"),
		CW_OPT_ENUM("by", &by, cw_chart_periods,
			"week or month (default: weeks for under six months of history)"),
		CW_OPT_END
	};
	cw_chart_period period = CW_CHART_AUTO;
	json_t *out = NULL;
	int err;

	if ((err = cw_args_parse(cli, opts, argc, argv, NULL, 0, 0)) != CW_OK)
		return err;
	if (by)
		period = strcmp(by, "week") == 0 ? CW_CHART_WEEK : CW_CHART_MONTH;
	if ((err = cw_chart_trend(cli->db, provider, period, &out)) != CW_OK)
		return err;
	result(cli, out);
	return CW_OK;
}

static const cw_subcmd subs[] = {
	{ "heatmap", "[--provider P]", "SVG heat map of open concerns on the risk matrix",
		run_heatmap, 0 },
	{ "trend", "--provider P [--by week|month]",
		"SVG of a provider's computed and agreed level over time", run_trend, 0 },
	{ 0 }
};

const cw_family cw_family_chart = { "chart", "pictures of risk (SVG)", subs };
