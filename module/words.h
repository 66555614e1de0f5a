/*
 * words.h: blank-separated word lists, as make passes them ("api web").
 * Pure; nothing is allocated.
 */
#ifndef DS_WORDS_H
#define DS_WORDS_H

#include <stddef.h>

/*
 * The next word at *cursor: returns its start and sets *len, and moves
 * *cursor past it; NULL when no word is left (cursor may be NULL).
 */
const char *ds_word_next(const char **cursor, size_t *len);

/* 1 when list (may be NULL) has the word w of n bytes. */
int ds_words_has(const char *list, const char *w, size_t n);

#endif
