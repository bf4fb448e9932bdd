#ifndef CW_DATE_H
#define CW_DATE_H
/*
 * Calendar dates as day numbers (days since 1970-01-01), so date arithmetic
 * is integer arithmetic. Only the proleptic Gregorian calendar, years
 * 1900-9999; "today" is always injected, never read from the clock here.
 */
#include <stdbool.h>

typedef int cw_date;

#define CW_DATE_STRLEN 11  /* "YYYY-MM-DD" and the NUL */

/* Parse exactly YYYY-MM-DD; refuses 2026-02-30, 2026-2-3, trailing text.
 * Returns CW_OK or CW_EINVALID with a message naming the text. */
int cw_date_parse(const char *s, cw_date *out);
bool cw_date_valid(const char *s);
cw_date cw_date_from_ymd(int y, int m, int d);
void cw_date_to_ymd(cw_date d, int *y, int *m, int *dd);
/* Writes "YYYY-MM-DD" into buf (CW_DATE_STRLEN bytes) and returns buf. */
char *cw_date_format(cw_date d, char *buf);
/* 1 = Monday ... 7 = Sunday (ISO 8601). */
int cw_date_weekday(cw_date d);
/* Monday of d's ISO week; first day of d's month; first day of the next month. */
cw_date cw_date_week_start(cw_date d);
cw_date cw_date_month_start(cw_date d);
cw_date cw_date_next_month_start(cw_date d);

/* Today's date in UTC from the clock: only for defaults at the CLI edge. */
cw_date cw_date_today_utc(void);

#endif
