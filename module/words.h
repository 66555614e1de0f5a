/*
 * words.h: blank-separated word lists, as make passes them ("api web"),
 * and make functions' arguments.  Pure; only ds_trim_copy and ds_arg
 * allocate (the caller frees).
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

/* 1 when s has nothing but blanks. */
int ds_is_blank(const char *s);

/* A malloc'd copy of s without blanks at its ends; NULL for NULL or
 * when out of memory.  The caller frees it. */
char *ds_trim_copy(const char *s);

/* Argument i of a make function, trimmed and malloc'd (the caller frees
 * it); NULL when absent or blank. */
char *ds_arg(unsigned int argc, char **argv, unsigned int i);

#endif
