/*
 * jsonw.h: a JSON writer (git's json-writer, sqlite's json_ functions):
 * the one way the module writes JSON, for its own output and for the
 * engine's request parameters.
 *
 * A writer appends compact JSON (no spaces, no newlines) to a struct
 * ds_buf the caller owns; it puts the commas and the colons itself, so
 * a caller only says what comes next: begin or end an object or array,
 * a key (in an object), a value.  Strings are escaped (" \ and control
 * characters; everything else, UTF-8 included, as it is); integers are
 * printed exactly from int64_t and uint64_t, never through a double.
 *
 * Errors are sticky, as the buffer's are (buf.h): a failed append or a
 * misuse (a value without its key in an object, an end with nothing
 * open, a second value at the top, nesting deeper than DS_JSONW_DEPTH)
 * is DS_E_ARG and makes every later call a no-op; ds_jsonw_finish()
 * says whether the text is one whole value.
 *
 * Memory: the writer owns nothing and needs no freeing; the text is the
 * buffer's (ds_buf_free, ds_buf_detach).
 */
#ifndef DS_JSONW_H
#define DS_JSONW_H

#include <stdint.h>

#include "buf.h"

/* How deeply objects and arrays may nest. */
#define DS_JSONW_DEPTH 32

struct ds_jsonw {
	struct ds_buf *out;                   /* borrowed */
	unsigned depth;                       /* open objects and arrays */
	unsigned char in_object[DS_JSONW_DEPTH];
	unsigned char has_items[DS_JSONW_DEPTH + 1]; /* [0]: the top */
	int after_key;                        /* a key waits for its value */
	enum ds_code error;                   /* misuse, sticky */
};

/* Start writing into out (appended after what out holds). */
void ds_jsonw_init(struct ds_jsonw *w, struct ds_buf *out);

/* Open an object: "{". */
enum ds_code ds_jsonw_object(struct ds_jsonw *w);
/* Open an array: "[". */
enum ds_code ds_jsonw_array(struct ds_jsonw *w);
/* Close the innermost object or array. */
enum ds_code ds_jsonw_end(struct ds_jsonw *w);

/* Write an object's key (escaped); its value comes next. */
enum ds_code ds_jsonw_key(struct ds_jsonw *w, const char *key);

/* Write a string value, escaped; NULL writes null. */
enum ds_code ds_jsonw_string(struct ds_jsonw *w, const char *s);
/* Write a signed integer, exactly. */
enum ds_code ds_jsonw_int(struct ds_jsonw *w, int64_t v);
/* Write an unsigned integer, exactly. */
enum ds_code ds_jsonw_uint(struct ds_jsonw *w, uint64_t v);
/* Write true or false (any non-zero b is true). */
enum ds_code ds_jsonw_bool(struct ds_jsonw *w, int b);
/* Write null. */
enum ds_code ds_jsonw_null(struct ds_jsonw *w);

/*
 * Write json, already one whole JSON value (another writer's finished
 * text), as it is: the caller vouches for it.
 */
enum ds_code ds_jsonw_raw(struct ds_jsonw *w, const char *json);

/* A key and its string value (NULL: null). */
enum ds_code ds_jsonw_kstring(struct ds_jsonw *w, const char *key,
			      const char *s);
/* A key and its signed integer value. */
enum ds_code ds_jsonw_kint(struct ds_jsonw *w, const char *key, int64_t v);
/* A key and its unsigned integer value. */
enum ds_code ds_jsonw_kuint(struct ds_jsonw *w, const char *key,
			    uint64_t v);
/* A key and its boolean value. */
enum ds_code ds_jsonw_kbool(struct ds_jsonw *w, const char *key, int b);

/*
 * The first error (the buffer's or a misuse, DS_E_ARG) or, when none,
 * DS_E_ARG unless one whole value was written (every object and array
 * closed, no key left waiting); DS_OK then.
 */
enum ds_code ds_jsonw_finish(const struct ds_jsonw *w);

#endif
