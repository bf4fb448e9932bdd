#ifndef CW_WORDS_H
#define CW_WORDS_H
/*
 * The identifiers people should not have to read, in words: a case's
 * stage, a flag (SPEC §4) and a concern's team. Each returns a short
 * phrase starting with a capital ("Provider performance", "Red concern");
 * an identifier it does not know is returned as it is, and NULL as "".
 */
const char *cw_words_stage(const char *stage);
const char *cw_words_flag(const char *flag);
const char *cw_words_team(const char *team);

#endif
