/* redact.c: credentials out of printed addresses (see redact.h). */
#include <stdlib.h>
#include <string.h>

#include "redact.h"

/* Where the redacted copy goes: snprintf-like, counting what it needs. */
struct sink {
	char *out;
	size_t n;     /* room in out, NUL included */
	size_t len;   /* bytes the whole result needs, NUL excluded */
};

/* Append len bytes of s. */
static void put(struct sink *k, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++, k->len++)
		if (k->len + 1 < k->n)
			k->out[k->len] = s[i];
}

/* Terminate the copy and return the length it needs. */
static size_t finish(struct sink *k)
{
	if (k->n)
		k->out[k->len < k->n ? k->len : k->n - 1] = '\0';
	return k->len;
}

/* True when c ends an address inside free text. */
static int text_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' ||
	       c == '\r' || c == '\'' || c == '"' || c == '<' || c == '>' ||
	       c == '`';
}

/*
 * Copy the query starting at q (just after '?') with every value, and
 * every parameter that has no name=value form, replaced; stop where
 * end() says or at '#'; return the first byte not copied.
 */
static const char *put_query(struct sink *k, const char *q,
			     int (*end)(char))
{
	while (!end(*q) && *q != '#') {
		size_t i = 0;

		while (!end(q[i]) && !strchr("=&#", q[i]))
			i++;
		if (q[i] == '=') {
			put(k, q, i);
			put(k, "=" DS_REDACTED, 1 + strlen(DS_REDACTED));
			for (q += i + 1; !end(*q) && *q != '&' && *q != '#';
			     q++)
				;
		} else {
			if (i)
				put(k, DS_REDACTED, strlen(DS_REDACTED));
			q += i;
		}
		if (*q == '&')
			put(k, q++, 1);
	}
	return q;
}

/* True when c ends an address that is the whole string. */
static int addr_end(char c)
{
	return c == '\0';
}

/*
 * Copy the part of an address after "SCHEME://" (or all of a bare
 * one): userinfo redacted, path kept, query values redacted; ends
 * where end() says, or at the last '@' rule of whole addresses.
 * Returns the first byte not copied.
 */
static const char *put_rest(struct sink *k, const char *p, int whole,
			    int (*end)(char))
{
	const char *auth_end = p, *at = NULL, *q;

	if (whole) {
		/* any '@' counts: a password may hold '/', '?' or '#' */
		at = strrchr(p, '@');
	} else {
		while (!end(*auth_end) && !strchr("/?#", *auth_end))
			auth_end++;
		for (q = p; q < auth_end; q++)
			if (*q == '@')
				at = q;
	}
	if (at) {
		put(k, DS_REDACTED, strlen(DS_REDACTED));
		p = at;
	}
	while (!end(*p) && *p != '?')
		put(k, p++, 1);
	if (*p == '?') {
		put(k, p++, 1);
		p = put_query(k, p, end);
		while (!end(*p))
			put(k, p++, 1);
	}
	return p;
}

/* Copy free text with every address's credentials replaced. */
size_t ds_redact_text(char *out, size_t n, const char *text)
{
	struct sink k = { out, n, 0 };
	const char *p = text, *sep;

	while ((sep = strstr(p, "://")) != NULL) {
		put(&k, p, (size_t)(sep - p) + 3);
		p = put_rest(&k, sep + 3, 0, text_end);
	}
	put(&k, p, strlen(p));
	return finish(&k);
}

/* Copy one address with its credentials replaced. */
size_t ds_redact_addr(char *out, size_t n, const char *addr)
{
	struct sink k = { out, n, 0 };
	const char *sep = strstr(addr, "://"), *p = addr;

	if (strncmp(addr, "unix://", 7) == 0 || addr[0] == '/' ||
	    strncmp(addr, "./", 2) == 0) {
		put(&k, addr, strlen(addr));
		return finish(&k);
	}
	if (sep) {
		put(&k, addr, (size_t)(sep - addr) + 3);
		p = sep + 3;
	}
	put_rest(&k, p, 1, addr_end);
	return finish(&k);
}

/* ds_redact_addr() into a malloc'd string. */
char *ds_redact_addr_dup(const char *addr)
{
	size_t len = ds_redact_addr(NULL, 0, addr);
	char *s = malloc(len + 1);

	if (s)
		ds_redact_addr(s, len + 1, addr);
	return s;
}
