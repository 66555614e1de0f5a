/*
 * buf.h: a growable byte buffer (git's strbuf, curl's dynbuf).
 *
 * Invariants: after DS_BUF_INIT or any call, ptr is never NULL: it
 * points to len bytes followed by a NUL, so ptr can always be read as a
 * C string (an empty buffer points to a shared "", which cap 0 marks as
 * not allocated).  The buffer owns what it allocated; ds_buf_free()
 * releases it, ds_buf_detach() hands it to the caller (free() it).
 *
 * Errors are sticky (sqlite3_str, git's strbuf): growth past limit
 * (bytes, 0 = DS_BUF_MAX) or out of memory fails with DS_E_NOMEM,
 * leaves the text as it was, and makes every later append a no-op that
 * returns the same code, so a writer may append freely and check
 * ds_buf_error() once at the end.  ds_buf_reset() and ds_buf_free()
 * clear the error.  A zeroed struct (ptr NULL) is accepted as empty.
 */
#ifndef DS_BUF_H
#define DS_BUF_H

#include <stddef.h>

#include "error.h"

#define DS_BUF_MAX ((size_t)256 << 20) /* 256 MiB: no reply is larger */

struct ds_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t limit;
	enum ds_code error;   /* the first failed append's code, sticky */
};

/* The text of every empty, unallocated buffer: "". Never written but
 * for its NUL. */
extern char ds_buf_empty[1];

#define DS_BUF_INIT { ds_buf_empty, 0, 0, 0, DS_OK }
/* An empty buffer that may grow to at most max bytes. */
#define DS_BUF_INIT_LIMIT(max) { ds_buf_empty, 0, 0, (max), DS_OK }

/* The first error of an append since the last reset, or DS_OK. */
enum ds_code ds_buf_error(const struct ds_buf *b);

/* Append n bytes. */
enum ds_code ds_buf_add(struct ds_buf *b, const void *data, size_t n);
/* Append a C string. */
enum ds_code ds_buf_puts(struct ds_buf *b, const char *s);
/* Append printf-formatted text. */
enum ds_code ds_buf_printf(struct ds_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, quotes and escapes included: the
 * escaper behind jsonw.h, which is how the module writes JSON. */
enum ds_code ds_buf_json_string(struct ds_buf *b, const char *s);
/* Append s with the characters Markdown reads specially (\ ` * _ [ ] < >
 * | ~ &) backslash-escaped, for a table cell or a label. */
enum ds_code ds_buf_md_escape(struct ds_buf *b, const char *s);
/*
 * Append s percent-encoded: everything but A-Z a-z 0-9 - . _ ~ and, in
 * a path (query 0), / : @ (an image reference such as
 * "registry:5000/a/b:tag" stays readable; Docker's routes take it).  In
 * a path, a '/'-separated piece that is "." or ".." has its dots escaped
 * (%2E), so that no name can change the route.
 */
enum ds_code ds_buf_url_escape(struct ds_buf *b, const char *s, int query);
/*
 * Append the whole file at path (git's strbuf_read_file).  A missing
 * file (ENOENT, ENOTDIR) is DS_E_NOTFOUND, other failures DS_E_IO, each
 * with "cannot read 'PATH': reason".
 */
enum ds_code ds_buf_read_file(struct ds_buf *b, const char *path,
			      struct ds_err *err);
/* Empty the buffer, keeping its memory; clears the error. */
void ds_buf_reset(struct ds_buf *b);
/* Release the memory; the buffer is DS_BUF_INIT again (its limit kept). */
void ds_buf_free(struct ds_buf *b);
/* Take ownership of the text ("" if empty); caller frees; buffer reset. */
char *ds_buf_detach(struct ds_buf *b);

#endif
