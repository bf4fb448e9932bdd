#include <stdio.h>
#include <string.h>
#include <time.h>
#include "carewatch/date.h"
#include "carewatch/error.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
cw_date cw_date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void cw_date_to_ymd(cw_date z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* YYYY-MM-DD, or DD/MM/YYYY as a UK spreadsheet writes it. */
int cw_date_parse(const char *s, cw_date *out)
{
	int y, m, d;

	if (s && strlen(s) == 10 && s[2] == '/' && s[5] == '/') {
		d = digits(s, 2);
		m = digits(s + 3, 2);
		y = digits(s + 6, 4);
	} else if (s && strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		y = digits(s, 4);
		m = digits(s + 5, 2);
		d = digits(s + 8, 2);
	} else {
		goto bad;
	}
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		goto bad;
	*out = cw_date_from_ymd(y, m, d);
	return CW_OK;
bad:
	return cw_error(CW_EINVALID, "'%.40s' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)",
		s ? s : "");
}

bool cw_date_valid(const char *s)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

char *cw_date_format(cw_date d, char *buf)
{
	int y, m, dd;

	cw_date_to_ymd(d, &y, &m, &dd);
	/* Dates are kept within 1900-9999, so the text is always 10 characters. */
	y = y < 0 ? 0 : y % 10000;
	snprintf(buf, CW_DATE_STRLEN, "%04u-%02u-%02u", (unsigned)y % 10000u,
		(unsigned)m % 100u, (unsigned)dd % 100u);
	return buf;
}

int cw_date_weekday(cw_date d)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (d % 7 + 7 + 3) % 7;

	return w + 1;
}

cw_date cw_date_week_start(cw_date d)
{
	return d - (cw_date_weekday(d) - 1);
}

cw_date cw_date_month_start(cw_date d)
{
	int y, m, dd;

	cw_date_to_ymd(d, &y, &m, &dd);
	return cw_date_from_ymd(y, m, 1);
}

cw_date cw_date_next_month_start(cw_date d)
{
	int y, m, dd;

	cw_date_to_ymd(d, &y, &m, &dd);
	return m == 12 ? cw_date_from_ymd(y + 1, 1, 1) : cw_date_from_ymd(y, m + 1, 1);
}

cw_date cw_date_today_utc(void)
{
	return (cw_date)(time(NULL) / 86400);
}
