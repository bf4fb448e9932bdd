#ifndef CW_FOLD_H
#define CW_FOLD_H
/*
 * The key a name is compared by: Unicode NFKC with full case folding
 * (utf8proc), leading and trailing white space removed and inner runs of
 * it collapsed to one space. "Elm House", "ELM HOUSE", "Elm House " and
 * "Ｅlm House" have one key; so have "Zoë" and "ZOË". Text that is not
 * valid UTF-8 is its own key. Returns a malloc'd string.
 */
char *cw_fold(const char *s);
#endif
