/* buf.c: growable byte buffer (see buf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

char ds_buf_empty[1];

/* The buffer's sticky error (see buf.h). */
enum ds_code ds_buf_error(const struct ds_buf *b)
{
	return b->error;
}

/* Record a failed append: the first code sticks; returns it. */
static enum ds_code fail(struct ds_buf *b, enum ds_code code)
{
	if (b->error == DS_OK)
		b->error = code;
	if (!b->ptr)
		b->ptr = ds_buf_empty;
	return b->error;
}

/* Make room for n more bytes plus a NUL, or fail (stickily). */
static enum ds_code grow(struct ds_buf *b, size_t n)
{
	size_t limit = b->limit ? b->limit : DS_BUF_MAX;
	size_t need, cap;
	char *p;

	if (b->error != DS_OK)
		return b->error;
	if (n > limit || b->len > limit - n)
		return fail(b, DS_E_NOMEM);
	need = b->len + n + 1;
	if (need <= b->cap)
		return DS_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	/* an unallocated buffer points to ds_buf_empty (or is zeroed) */
	p = b->cap ? realloc(b->ptr, cap) : malloc(cap);
	if (!p)
		return fail(b, DS_E_NOMEM);
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
	return DS_OK;
}

/* Append n bytes. */
enum ds_code ds_buf_add(struct ds_buf *b, const void *data, size_t n)
{
	enum ds_code result = grow(b, n);

	if (result != DS_OK)
		return result;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return DS_OK;
}

/* Append a C string. */
enum ds_code ds_buf_puts(struct ds_buf *b, const char *s)
{
	return ds_buf_add(b, s, strlen(s));
}

/* Append printf-formatted text. */
enum ds_code ds_buf_printf(struct ds_buf *b, const char *fmt, ...)
{
	enum ds_code result;
	va_list ap;
	int n;

	if (b->error != DS_OK)
		return b->error;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return fail(b, DS_E_NOMEM);
	result = grow(b, (size_t)n);
	if (result != DS_OK)
		return result;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return DS_OK;
}

/* Append s as a JSON string literal, quotes and escapes included. */
enum ds_code ds_buf_json_string(struct ds_buf *b, const char *s)
{
	enum ds_code result = ds_buf_add(b, "\"", 1);

	for (; result == DS_OK && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			result = ds_buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			result = ds_buf_printf(b, "\\u%04x", c);
		else
			result = ds_buf_add(b, s, 1);
	}
	if (result == DS_OK)
		result = ds_buf_add(b, "\"", 1);
	return result;
}

/* Append s with Markdown's special characters escaped (see buf.h). */
enum ds_code ds_buf_md_escape(struct ds_buf *b, const char *s)
{
	enum ds_code result = DS_OK;

	for (; *s && result == DS_OK; s++) {
		if (strchr("\\`*_[]<>|~&", *s))
			result = ds_buf_add(b, "\\", 1);
		if (result == DS_OK)
			result = ds_buf_add(b, s, 1);
	}
	return result;
}

/* True when the '/'-separated piece at p (n bytes) is "." or "..". */
static int dot_segment(const char *p, size_t n)
{
	return (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
}

/*
 * Append s percent-encoded for a URL path (query: a query value).  In a
 * path, the dots of a piece that is "." or ".." are escaped too: curl
 * and servers remove dot segments, and a name must never change the
 * route ("../../x" would leave /images/).
 */
enum ds_code ds_buf_url_escape(struct ds_buf *b, const char *s, int query)
{
	enum ds_code result = DS_OK;
	const char *piece = s;
	int dots = !query && dot_segment(s, strcspn(s, "/"));

	for (; *s && result == DS_OK; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '.' && dots)
			result = ds_buf_puts(b, "%2E");
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || strchr("-._~", c) ||
			 (!query && strchr("/:@", c)))
			result = ds_buf_add(b, s, 1);
		else
			result = ds_buf_printf(b, "%%%02X", c);
		if (c == '/' && !query) {
			piece = s + 1;
			dots = dot_segment(piece, strcspn(piece, "/"));
		}
	}
	return result;
}

/* Append the whole file at path. */
enum ds_code ds_buf_read_file(struct ds_buf *b, const char *path,
			      struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char chunk[8192], reason[128];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return ds_err_set(err, errno == ENOENT || errno == ENOTDIR
				  ? DS_E_NOTFOUND : DS_E_IO,
				  "cannot read '%s': %s", path,
				  ds_errno_text(errno, reason, sizeof(reason)));
	while (result == DS_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (ds_buf_add(b, chunk, n) != DS_OK)
			result = ds_err_set(err, DS_E_NOMEM, "'%s' is too "
					    "large to read", path);
	if (result == DS_OK && ferror(f))
		result = ds_err_set(err, DS_E_IO, "cannot read '%s': %s", path,
				    ds_errno_text(errno, reason,
						  sizeof(reason)));
	fclose(f);
	return result;
}

/* Empty the buffer, keeping its memory; clears the error. */
void ds_buf_reset(struct ds_buf *b)
{
	b->len = 0;
	b->error = DS_OK;
	if (b->cap)
		b->ptr[0] = '\0';
	else
		b->ptr = ds_buf_empty;
}

/* Release the memory; the buffer is empty again, its limit kept. */
void ds_buf_free(struct ds_buf *b)
{
	if (b->cap)
		free(b->ptr);
	b->ptr = ds_buf_empty;
	b->len = b->cap = 0;
	b->error = DS_OK;
}

/* Take ownership of the text ("" if empty); caller frees; buffer reset. */
char *ds_buf_detach(struct ds_buf *b)
{
	char *p = b->cap ? b->ptr : calloc(1, 1);

	b->ptr = ds_buf_empty;
	b->len = b->cap = 0;
	b->error = DS_OK;
	return p;
}
