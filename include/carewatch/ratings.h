#ifndef CW_RATINGS_H
#define CW_RATINGS_H
/*
 * The regulator's published ratings (SPEC §13): the CQC's care directory
 * with ratings (England) and CIW's register (Wales), matched to providers
 * by their regulator id. Each import appends to a history per provider
 * (rating, publication date, import date); an earlier rating is never
 * overwritten. The latest one feeds the flags regulator_rating_poor and
 * regulator_rating_stale (engine/internal/flags.h).
 */
#include <stddef.h>
#include <jansson.h>
#include "carewatch/db.h"
#include "carewatch/progress.h"

/*
 * Import a ratings file (CSV). The header is found among the first lines
 * (the CQC puts a title block above it) by its columns:
 *   CQC ratings:   Location ID, Location Name, Service / Population Group,
 *                  Domain (or Key Question), Latest Rating, Publication Date
 *                  (only the rows whose group and domain are "Overall");
 *   CQC locations: Location ID, Location Name, Location Latest Overall
 *                  Rating, Publication Date;
 *   CIW register:  Service ID (or URN, Registration Number), Service Name,
 *                  Overall Rating (or Rating), Publication Date (or Report
 *                  Published, Date of Last Inspection).
 * Dates are DD/MM/YYYY or YYYY-MM-DD. Needs "import.run". All or nothing:
 * a bad date, a date after today or a row of the wrong length is
 * CW_EINVALID naming the line and the column. A location that matches no
 * provider is counted and listed, not an error; a row without a rating
 * ("Not rated", empty) is counted. A rating already in a provider's
 * history (same rating, same publication date) is not added twice.
 * Reports progress (carewatch/progress.h) in rows of the file.
 * *out: {kind: "ratings", regulator, file, rows, recorded, unchanged,
 * unrated, matched, unmatched_count, unmatched: [{location_id, name}]}.
 */
int cw_ratings_import(cw_db *db, const char *text, size_t len, const char *name,
	json_t **out);

/* A provider's rating history (by exact id), newest publication first:
 * [{regulator, location_id, rating, published, imported}]. */
int cw_ratings_history(cw_db *db, const char *provider_id, json_t **out);

#endif
