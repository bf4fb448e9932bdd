#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carewatch/buf.h"
#include "args.h"

int cw_parse_long(const char *what, const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return cw_error(CW_EINVALID, "%s '%s' is not a whole number", what, s ? s : "");
	v = strtol(s, &end, 10);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return cw_error(CW_EINVALID, "%s '%.40s' is out of range", what, s);
	if (*end)
		return cw_error(CW_EINVALID, "%s '%.40s' is not a whole number", what, s);
	*out = v;
	return CW_OK;
}

static int parse_num(const char *what, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	/* Decimal only: strtod would also read hex ("0x10" is 16), exponents
	 * and "infinity". Digits with at most one point, at least one digit. */
	if (!s || strspn(s, "0123456789.") != strlen(s) || strcspn(s, "0123456789") == strlen(s) ||
	    (strchr(s, '.') && strchr(s, '.') != strrchr(s, '.')))
		return cw_error(CW_EINVALID, "%s '%.40s' is not a decimal number", what, s ? s : "");
	v = strtod(s, &end);
	if (errno == ERANGE || !isfinite(v) || v > 1e9)
		return cw_error(CW_EINVALID, "%s '%.40s' is out of range", what, s);
	if (*end)
		return cw_error(CW_EINVALID, "%s '%.40s' is not a number", what, s);
	*out = v;
	return CW_OK;
}

static void print_usage(cw_cli *cli, const cw_opt *opts, FILE *f)
{
	const cw_opt *o;

	fprintf(f, "usage: carewatch %s%s%s\n", cli->cmdname,
		cli->usage && *cli->usage ? " " : "", cli->usage ? cli->usage : "");
	if (opts[0].type == CW_OPT_T_END)
		return;
	fputs("\noptions:\n", f);
	for (o = opts; o->type != CW_OPT_T_END; o++) {
		cw_buf left = CW_BUF_INIT;

		cw_buf_printf(&left, "--%s", o->name);
		if (o->type == CW_OPT_T_ENUM) {
			const char *const *c;

			cw_buf_puts(&left, " ");
			for (c = o->choices; *c; c++)
				cw_buf_printf(&left, "%s%s", c == o->choices ? "" : "|", *c);
		} else if (o->type != CW_OPT_T_FLAG) {
			cw_buf_printf(&left, " %s", o->argname ? o->argname : "VALUE");
		}
		fprintf(f, "  %-34s %s%s%s\n", cw_buf_cstr(&left), o->help ? o->help : "",
			o->flags & CW_REQ ? " (required)" : "",
			o->type == CW_OPT_T_LIST ? " (may be repeated)" : "");
		cw_buf_free(&left);
	}
	fputs("\nglobal options: --db PATH --config PATH --as USER"
		" --today YYYY-MM-DD --json\n"
		"--today before the real date shows the watch list, the QA agenda, a provider and\n"
		"the documents as the record stood that day, as far as the record allows: concerns\n"
		"received or logged later, later ratings, resolutions, action progress, meetings,\n"
		"tasks and decisions are not counted; what was corrected in place (a summary, an\n"
		"owner) shows as it is now; facts are dated by the day.\n", f);
}

static int set_value(const cw_opt *o, const char *val)
{
	char what[80];

	snprintf(what, sizeof(what), "--%s", o->name);
	if (o->type != CW_OPT_T_FLAG && (!val || !*val))
		return cw_error(CW_EINVALID, "--%s needs a value", o->name);
	switch (o->type) {
	case CW_OPT_T_STR:
		*(const char **)o->dst = val;
		return CW_OK;
	case CW_OPT_T_INT: {
		cw_optint *d = o->dst;
		int err = cw_parse_long(what, val, &d->v);

		d->set = err == CW_OK;
		return err;
	}
	case CW_OPT_T_NUM: {
		cw_optnum *d = o->dst;
		int err = parse_num(what, val, &d->v);

		d->set = err == CW_OK;
		return err;
	}
	case CW_OPT_T_DATE: {
		cw_optdate *d = o->dst;

		if (cw_date_parse(val, &d->v) != CW_OK)
			return cw_error(CW_EINVALID, "--%s: '%.40s' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)",
				o->name, val);
		d->set = true;
		return CW_OK;
	}
	case CW_OPT_T_ENUM: {
		const char *const *c;
		cw_buf list = CW_BUF_INIT;
		int err;

		for (c = o->choices; *c; c++)
			if (strcmp(*c, val) == 0) {
				*(const char **)o->dst = *c;
				return CW_OK;
			}
		for (c = o->choices; *c; c++)
			cw_buf_printf(&list, "%s%s", c == o->choices ? "" : ", ", *c);
		err = cw_error(CW_EINVALID, "--%s: '%.60s' is not one of: %s", o->name, val,
			cw_buf_cstr(&list));
		cw_buf_free(&list);
		return err;
	}
	case CW_OPT_T_FLAG:
		*(bool *)o->dst = true;
		return CW_OK;
	case CW_OPT_T_LIST: {
		cw_strlist *l = o->dst;

		l->v = cw_reallocarray(l->v, (size_t)l->n + 1, sizeof(*l->v));
		l->v[l->n++] = val;
		return CW_OK;
	}
	default:
		return cw_error(CW_EINTERNAL, "bad option table");
	}
}

int cw_args_parse(cw_cli *cli, const cw_opt *opts, int argc, char **argv,
	const char **pos, int min_pos, int max_pos)
{
	unsigned char seen[64] = { 0 };
	int i, npos = 0, nopts = 0, err;
	bool only_pos = false;

	while (opts[nopts].type != CW_OPT_T_END) {
		if (cli->noptnames < (int)(sizeof(cli->optnames) / sizeof(cli->optnames[0])))
			cli->optnames[cli->noptnames++] = opts[nopts].name;
		nopts++;
	}
	if (cli->help) {
		print_usage(cli, opts, stdout);
		return CW_HELP_SHOWN;
	}
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		const cw_opt *o = NULL;
		size_t n;
		int k;

		if (only_pos || a[0] != '-' || a[1] != '-' || a[2] == '\0') {
			if (!only_pos && strcmp(a, "--") == 0) {
				only_pos = true;
				continue;
			}
			if (!only_pos && a[0] == '-' && a[1] && a[1] != '-' &&
			    !(a[1] >= '0' && a[1] <= '9'))
				return cw_error(CW_EINVALID, "unknown option '%.60s' for '%s' (see --help)",
					a, cli->cmdname);
			if (npos >= max_pos)
				return cw_error(CW_EINVALID, "unexpected argument '%.60s' for '%s' (see --help)",
					a, cli->cmdname);
			pos[npos++] = a;
			continue;
		}
		eq = strchr(a + 2, '=');
		n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < nopts; k++)
			if (strlen(opts[k].name) == n && strncmp(opts[k].name, a + 2, n) == 0) {
				o = &opts[k];
				break;
			}
		if (!o)
			return cw_error(CW_EINVALID, "unknown option '%.*s' for '%s' (see --help)",
				(int)(n + 2 > 60 ? 60 : n + 2), a, cli->cmdname);
		if (seen[k] && o->type != CW_OPT_T_LIST)
			return cw_error(CW_EINVALID, "--%s is given more than once", o->name);
		seen[k] = 1;
		if (o->type == CW_OPT_T_FLAG) {
			if (eq)
				return cw_error(CW_EINVALID, "--%s takes no value", o->name);
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			return cw_error(CW_EINVALID, "--%s needs a value", o->name);
		}
		if ((err = set_value(o, val)) != CW_OK)
			return err;
	}
	for (i = 0; i < nopts; i++)
		if ((opts[i].flags & CW_REQ) && !seen[i])
			return cw_error(CW_EINVALID, "'%s' needs --%s", cli->cmdname, opts[i].name);
	if (npos < min_pos)
		return cw_error(CW_EINVALID, "'%s' is missing an argument: usage: carewatch %s %s",
			cli->cmdname, cli->cmdname, cli->usage ? cli->usage : "");
	for (i = npos; i < max_pos; i++)
		pos[i] = NULL;
	return CW_OK;
}

void cw_strlist_free(cw_strlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
