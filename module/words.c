/* words.c: blank-separated word lists (see words.h). */
#include <ctype.h>
#include <string.h>

#include "words.h"

/* The next word at *cursor. */
const char *ds_word_next(const char **cursor, size_t *len)
{
	const char *p = *cursor, *w;

	if (!p)
		return NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		*cursor = p;
		return NULL;
	}
	w = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	*len = (size_t)(p - w);
	*cursor = p;
	return w;
}

/* 1 when list has the word w of n bytes. */
int ds_words_has(const char *list, const char *w, size_t n)
{
	const char *word;
	size_t len;

	while ((word = ds_word_next(&list, &len)))
		if (len == n && strncmp(word, w, n) == 0)
			return 1;
	return 0;
}
