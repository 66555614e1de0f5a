/* words.c: blank-separated word lists (see words.h). */
#include <ctype.h>
#include <stdlib.h>
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

/* 1 when s has nothing but blanks. */
int ds_is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* A malloc'd copy of s without blanks at its ends. */
char *ds_trim_copy(const char *s)
{
	size_t len;
	char *out;

	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	out = malloc(len + 1);
	if (out) {
		memcpy(out, s, len);
		out[len] = '\0';
	}
	return out;
}

/* Argument i of a make function, trimmed; NULL when absent or blank. */
char *ds_arg(unsigned int argc, char **argv, unsigned int i)
{
	char *v;

	if (i >= argc || !argv[i] || ds_is_blank(argv[i]))
		return NULL;
	v = ds_trim_copy(argv[i]);
	return v;
}
