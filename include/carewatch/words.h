#ifndef CW_WORDS_H
#define CW_WORDS_H
/*
 * The engine's stored words (stage names, flag names, placement controls)
 * as a person reads them, so the command line, the web pages and the
 * documents all say the same thing. Every function here is pure: no
 * database, no printing.
 */
#include <stdbool.h>
#include <jansson.h>

/* "provider performance" for "provider_performance"; an unknown stage is
 * given back as it is. */
const char *cw_stage_words(const char *stage);

/* The short name people use: "QA", "PPM", "embargo", "closed". */
const char *cw_stage_abbrev(const char *stage);

/*
 * A stage as a person may type it: its stored name, its words, or its
 * short name ("qa", "ppm"), without regard to case. The stored name, or
 * NULL (and CW_EINVALID as the last error, on field "stage", listing the
 * choices) when it names no stage.
 */
const char *cw_stage_parse(const char *s);

/* What a flag means, for people: "red_concern" -> "an open concern is in
 * the red band"; "" for a flag it does not know. */
const char *cw_flag_words(const char *flag);

/* The legend of the watch list's flags: a NULL-terminated list of
 * {name, words} pairs in listing order. */
typedef struct {
	const char *name;
	const char *words;
} cw_word_pair;
extern const cw_word_pair cw_flag_legend[];

/* "1 item" / "2 items": `n` and the singular or plural noun, as a new
 * string (free() it). */
char *cw_count_words(long n, const char *one, const char *many);

/*
 * A placement control or a placement check in words (SPEC §6), from the
 * JSON the engine gives: a check or a recorded placement
 * {status, used, cap, unit, per, period} says "restricted: 2 admissions
 * a week, 1 used (30 Nov – 6 Dec)"; a control {status, kind (or embargo), since,
 * conditions} says "suspended: mandatory embargo since 3 Oct 2026" or
 * "restricted: no more than 2 new admissions per week". With `who` and a
 * "commissioner" key, the commissioner's name comes first. A new string.
 */
char *cw_placement_words(const json_t *p, bool who);

#endif
