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

struct demo_provider {
	const char *name, *type, *regulator_id, *group;
	int in_house;
	const char *commissioners;   /* indexes into demo_commissioners, e.g. "01" */
};
static const struct demo_provider demo_providers[] = {
	{ "Elm House", "care_home_nursing", "CH-1001", "Oakfield Care Group", 0, "01" },
	{ "Oakfield Lodge", "care_home_residential", "CH-1002", "Oakfield Care Group", 0, "012" },
	{ "Brookside Court", "care_home_nursing", "CH-1003", NULL, 0, "01" },
	{ "Meadowview Residential Home", "care_home_residential", "CH-1004", NULL, 0, "0" },
	{ "Harbour Lights Home Care", "domiciliary", "DA-2001", NULL, 0, "0" },
	{ "Willow Bank Care", "care_home_residential", "CH-1005", NULL, 0, "02" },
	{ "Riverside Support Services", "supported_living", "SL-3001", NULL, 0, "0" },
	{ "Castle View Day Centre", "day_service", NULL, NULL, 1, "0" },
	{ "Hillcrest Nursing Home", "care_home_nursing", "CH-1006", NULL, 0, "01" },
	{ "Bay Tree Domiciliary Care", "domiciliary", "DA-2002", NULL, 0, "0" },
	{ "Maple Grove", "care_home_residential", "CH-1007", NULL, 0, "0" },
	{ "Seaview Care Home", "care_home_nursing", "CH-1008", NULL, 0, "01" },
	{ "The Larches", "care_home_residential", "CH-1009", NULL, 0, "0" },
	{ "Pennant Home Care", "domiciliary", "DA-2003", NULL, 0, "02" },
	{ "Foxglove Supported Living", "supported_living", "SL-3002", NULL, 0, "0" },
	{ "Tŷ Derw", "care_home_residential", "CH-1010", NULL, 1, "0" },
	{ "Ashgrove House", "care_home_nursing", "CH-1011", NULL, 0, "01" },
	{ "Kingfisher Court", "care_home_residential", "CH-1012", NULL, 0, "0" },
	{ "Lakeside Day Opportunities", "day_service", NULL, NULL, 0, "0" },
	{ "Heather Lea", "care_home_residential", "CH-1013", NULL, 0, "0" },
	{ "Cedar Home Support", "domiciliary", "DA-2004", NULL, 0, "0" },
	{ "Orchard Mews", "supported_living", "SL-3003", NULL, 0, "0" },
	{ "St Brynach's Nursing Home", "care_home_nursing", "CH-1014", NULL, 0, "01" },
	{ "Primrose Cottage", "other", NULL, NULL, 0, "0" },
	{ "Greenacres Care Centre", "care_home_nursing", "CH-1015", NULL, 0, "012" },
};

/* Concerns: provider index, days before today, source, team, category,
 * likelihood, impact (0 = positive feedback), summary. */
struct demo_concern {
	int provider;
	int days_ago;
	const char *source, *team, *category;
	int likelihood, impact;
	const char *summary;
	int resolved;
};
static const struct demo_concern demo_concerns[] = {
	{ 0, 340, "monitoring_visit", "commissioning", "records", 2, 2, "Care plans not reviewed monthly", 1 },
	{ 0, 75, "pova_referral", "safeguarding", "pressure_care", 3, 4, "Grade 3 pressure ulcer not reported", 0 },
	{ 0, 60, "pova_referral", "safeguarding", "medication", 3, 4, "Missed insulin doses over a weekend", 0 },
	{ 0, 41, "regulator", "health", "staffing", 3, 3, "Inspection found night staffing below assessed need", 0 },
	{ 0, 20, "complaint", "care_management", "nutrition", 2, 3, "Family report weight loss not acted on", 0 },
	{ 1, 200, "pova_referral", "safeguarding", "leadership", 2, 3, "Allegation of rough handling during personal care", 1 },
	{ 1, 50, "monitoring_visit", "commissioning", "medication", 3, 3, "Controlled drugs register not reconciled", 0 },
	{ 2, 300, "pova_referral", "safeguarding", "pressure_care", 2, 4, "Unexplained bruising on admission review", 1 },
	{ 2, 170, "pova_referral", "safeguarding", "medication", 3, 4, "Medication given to the wrong resident", 0 },
	{ 2, 120, "pova_referral", "safeguarding", "staffing", 3, 3, "Resident left unattended after a fall", 0 },
	{ 2, 80, "pova_referral", "safeguarding", "nutrition", 3, 3, "Fluid charts not completed for at-risk residents", 0 },
	{ 2, 30, "pova_referral", "safeguarding", "environment", 2, 4, "Fire door wedged open on the dementia unit", 0 },
	{ 2, 10, "whistleblower", "commissioning", "staffing", 4, 4, "Staff report agency nurses without induction", 0 },
	{ 3, 250, "monitoring_visit", "commissioning", "environment", 2, 2, "Bathroom hoist service overdue", 1 },
	{ 3, 15, "service_user", "care_management", "", 0, 0, "Resident praised the activities programme", 0 },
	{ 4, 88, "complaint", "care_management", "staffing", 3, 3, "Missed and late calls reported by three families", 0 },
	{ 4, 40, "care_manager", "care_management", "records", 2, 3, "Call logs do not match rostered times", 0 },
	{ 4, 12, "complaint", "commissioning", "staffing", 3, 2, "Carers not wearing identification badges", 0 },
	{ 5, 130, "health_board", "health", "pressure_care", 2, 3, "District nurse concerns about repositioning", 0 },
	{ 6, 210, "monitoring_visit", "supporting_people", "records", 2, 2, "Tenancy support plans out of date", 1 },
	{ 6, 25, "service_user", "supporting_people", "", 0, 0, "Tenants' meeting positive about new manager", 0 },
	{ 8, 150, "regulator", "health", "leadership", 3, 4, "Registered manager post vacant for six months", 0 },
	{ 8, 95, "monitoring_visit", "commissioning", "medication", 2, 4, "Covert medication without best-interest record", 0 },
	{ 9, 60, "complaint", "care_management", "staffing", 2, 2, "Frequent changes of carer for one client", 0 },
	{ 10, 180, "monitoring_visit", "commissioning", "environment", 1, 3, "Garden path uneven", 1 },
	{ 11, 70, "pova_referral", "safeguarding", "medication", 2, 3, "PRN pain relief not offered", 0 },
	{ 11, 5, "monitoring_visit", "commissioning", "records", 2, 3, "DoLS authorisations not tracked", 0 },
	{ 12, 320, "complaint", "care_management", "nutrition", 1, 2, "Menu choice limited", 1 },
	{ 13, 45, "care_manager", "care_management", "staffing", 2, 3, "Double-handed calls attended by one carer", 0 },
	{ 14, 33, "service_user", "supporting_people", "", 0, 0, "Good feedback on community access", 0 },
	{ 16, 100, "health_board", "health", "pressure_care", 2, 3, "Pressure relieving equipment not in use", 0 },
	{ 16, 8, "monitoring_visit", "commissioning", "leadership", 1, 3, "Audit schedule lapsed", 0 },
	{ 19, 55, "whistleblower", "safeguarding", "staffing", 2, 3, "Staff asked to work double shifts", 0 },
	{ 20, 22, "complaint", "care_management", "staffing", 1, 2, "Call times changed without notice", 0 },
	{ 22, 140, "regulator", "health", "medication", 3, 3, "Regulator notice: medicines management", 0 },
	{ 22, 18, "monitoring_visit", "commissioning", "records", 2, 2, "Accident book incomplete", 0 },
	{ 24, 90, "complaint", "care_management", "environment", 2, 2, "Heating failure in one wing", 1 },
	{ 24, 3, "service_user", "commissioning", "", 0, 0, "Relatives' survey rated the home highly", 0 },
};

#endif
