#ifndef CW_DEMO_DATA_H
#define CW_DEMO_DATA_H
#include "carewatch/commissioner.h"
/*
 * The fictional demo area. Every name here is invented; any likeness to a
 * real person or provider is accidental.
 */

/* The demo users' password is "carewatch-demo" (fictional area only). */
#define DEMO_PASSWORD "carewatch-demo"
#define DEMO_PASSWORD_HASH \
	"$argon2id$v=19$m=65536,t=2,p=1$bAAze9by+9k9b1lGpmiP7A$8tyLmRxCiuovCO7edfvxCsZLNm33Q9AUjSVGGoy80qY"

struct demo_user { const char *name, *roles; };
static const struct demo_user demo_users[] = {
	{ "Morgan Hale", "contracts" },
	{ "Priya Anand", "safeguarding" },
	{ "Dafydd Rees", "director" },
	{ "Sam Okafor", "qa" },
	{ "Lee Carter", "viewer" },
};

/* The demo council's letterhead is as fictional as the council (example.gov.uk). */
static const cw_commissioner_details demo_letterhead = {
	"County Hall, 1 Market Street, Carewatch, CW1 1AA", "01234 567890",
	"contracts@carewatch.example.gov.uk", "Social Care, Health and Housing",
	"Morgan Hale", "Contracts and Commissioning Manager"
};

struct demo_commissioner { const char *name, *kind; int lead; };
static const struct demo_commissioner demo_commissioners[] = {
	{ "Carewatch County Council", "local_authority", 1 },
	{ "Vale Health Board", "health_board", 0 },
	{ "Northshire Council", "local_authority", 0 },
};

/* The providers and their concerns are rows of data, not code:
 * demo/data/providers.csv and demo/data/concerns.csv (demo/demo_rows.c). */

#endif
