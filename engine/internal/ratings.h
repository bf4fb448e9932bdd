#ifndef CW_RATINGS_INTERNAL_H
#define CW_RATINGS_INTERNAL_H
/* The regulator-rating facts of the flag rules, gathered by engine/domain/ratings.c. */
#include "carewatch/db.h"
#include "flags.h"

/* The latest rating of one provider (by exact id) into f->rating*. */
int cw_ratings_fact(cw_db *db, const char *provider_id, cw_flag_facts *f);

/* The latest rating of every provider that has one, handed to `fn`. */
typedef void (*cw_ratings_each_fn)(void *arg, const char *provider_id, const char *rating,
	cw_date published);
int cw_ratings_latest_all(cw_db *db, cw_ratings_each_fn fn, void *arg);

/* Copy a latest rating into the facts (both paths use it, so they agree). */
void cw_ratings_set_fact(cw_flag_facts *f, const char *rating, cw_date published);

#endif
