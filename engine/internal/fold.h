#ifndef CW_FOLD_H
#define CW_FOLD_H
/*
 * Case folding for names, so that "Zoë" and "ZOË", or "Tŷ Derw" and
 * "TŶ DERW", are the same name. SQLite's NOCASE folds ASCII only. This
 * folds ASCII, Latin-1, Latin Extended-A (Welsh ŵ ŷ included), Greek and
 * Cyrillic capitals: the scripts of the names this system holds. Other
 * characters are kept as they are. Returns a malloc'd string.
 */
char *cw_fold(const char *s);
#endif
