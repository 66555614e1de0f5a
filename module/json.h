/*
 * json.h: the one JSON reader, over cJSON, for engine replies (the
 * model_*.c files) and the JSON files dockspace reads (config.c's
 * build-config.json, endpoint.c's CLI config and context meta).  This
 * is the one header that includes <cJSON.h>: only json.c, the
 * model_*.c set (through model_read.h), config.c and endpoint.c use
 * cJSON, and they read values through the functions below.
 *
 * Every field reader takes the place of its object in the document
 * ("Images[3]") and fails with a message naming the field, e.g.
 * "cannot parse reply of '/system/df': expected an array at 'Images'".
 * Integers are read from cJSON's double, never its valueint (which
 * saturates at INT_MAX): every value below 2^53 is exact, and one that
 * does not fit in 64 bits is an error.
 *
 * Memory: ds_json_parse's tree is the caller's (cJSON_Delete); strings
 * from ds_json_str are new (the caller frees them, also on failure
 * paths where they were set); the cJSON pointers the other readers give
 * point into the tree and live as long as it.
 */
#ifndef DS_JSON_H
#define DS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "error.h"

/* The document being read: its name in messages (an endpoint such as
 * "/system/df") and where errors go. */
struct ds_json_ctx {
	const char *what;
	struct ds_err *err;
};

/* Whether c is JSON white space. */
int ds_json_is_space(char c);

/* Write "where.key" (or whichever part is non-empty) into buf; a path
 * too long for buf is cut (it only labels a message). */
void ds_json_join_path(char *buf, size_t n, const char *where,
		       const char *key);

/* Write "name[i]", the place of an array element, into buf. */
void ds_json_item_path(char *buf, size_t n, const char *name, size_t i);

/* Record DS_E_PROTOCOL: the document has no `expected` value at
 * where.key ("cannot parse reply of 'WHAT': expected X at 'PATH'"). */
enum ds_code ds_json_bad(const struct ds_json_ctx *p, const char *where,
			 const char *key, const char *expected);

/* Record DS_E_NOMEM while reading the document. */
enum ds_code ds_json_nomem(const struct ds_json_ctx *p);

/*
 * Parse a whole document of len bytes; its top-level value must be of
 * cJSON type want (cJSON_Object or cJSON_Array).  Empty text, text cut
 * short, malformed text or data after the value are DS_E_PROTOCOL with
 * a message saying which.  *out is the caller's (cJSON_Delete).
 */
enum ds_code ds_json_parse(const struct ds_json_ctx *p, const char *json,
			   size_t len, int want, cJSON **out);

/*
 * Parse len bytes of text as one JSON value; with whole, only white
 * space may follow it (else anything may).  NULL when it is not one;
 * then *end (if end is not NULL) is where parsing stopped, for a
 * message (a line number).  The tree is the caller's (cJSON_Delete).
 */
cJSON *ds_json_parse_text(const char *text, size_t len, int whole,
			  const char **end);

/* The line (from 1) of at in the len bytes of text, for a message
 * about a parse error; at is within text or just past it. */
size_t ds_json_line(const char *text, size_t len, const char *at);

/* The member key of obj (case-sensitive), or NULL when obj is not an
 * object or the member is absent or null. */
const cJSON *ds_json_member(const cJSON *obj, const char *key);

/* The member key of obj matched without regard to case (as Go's
 * encoding/json does), or NULL when absent or null. */
const cJSON *ds_json_member_nocase(const cJSON *obj, const char *key);

/* The member key of obj (case-sensitive), null included: for schema
 * checks that refuse a null where a value belongs. */
const cJSON *ds_json_get(const cJSON *obj, const char *key);

/* Convert a JSON number to int64_t; -1 when it does not fit (or is NaN
 * or infinite). */
int ds_json_to_i64(double d, int64_t *out);

/* 1 when it is a number that is a whole number from 0 to max (at most
 * 2^63), stored in *out; else 0. */
int ds_json_whole(const cJSON *it, int64_t max, int64_t *out);

/* Read string member key into a new *out (absent or null: "", or an
 * error when required). */
enum ds_code ds_json_str(const struct ds_json_ctx *p, const cJSON *obj,
			 const char *where, const char *key, int required,
			 char **out);

/* Read 64-bit integer member key (absent or null: def). */
enum ds_code ds_json_i64(const struct ds_json_ctx *p, const cJSON *obj,
			 const char *where, const char *key, int64_t def,
			 int64_t *out);

/* Read boolean member key as 0 or 1 (absent or null: 0). */
enum ds_code ds_json_flag(const struct ds_json_ctx *p, const cJSON *obj,
			  const char *where, const char *key, int *out);

/* Read array member key; *out is NULL when it is absent or null. */
enum ds_code ds_json_list(const struct ds_json_ctx *p, const cJSON *obj,
			  const char *where, const char *key,
			  const cJSON **out);

/* Read object member key; *out is NULL when it is absent or null. */
enum ds_code ds_json_obj(const struct ds_json_ctx *p, const cJSON *obj,
			 const char *where, const char *key,
			 const cJSON **out);

/*
 * Parse an RFC 3339 time ("2026-11-22T02:26:34.332511494Z", offsets
 * "+02:00"/"-05:30") into unix seconds, the fraction dropped; -1 when
 * the text is not one.  Go's zero time (an unset time.Time) gives 0.
 */
int ds_json_rfc3339(const char *s, int64_t *out);

/* Read an RFC 3339 member key as unix seconds (absent or null: 0). */
enum ds_code ds_json_time(const struct ds_json_ctx *p, const cJSON *obj,
			  const char *where, const char *key, int64_t *out);

/* Read one array item into *out (a struct of the list's type). */
typedef enum ds_code (*ds_json_item_fn)(const struct ds_json_ctx *p,
					const cJSON *obj, const char *where,
					void *out);
/* Release what one item owns. */
typedef void (*ds_json_clear_fn)(void *item);

/*
 * Read an array (NULL or empty: an empty list) into a new list of items
 * of size bytes, each read by parse at "name[i]"; on failure the items
 * read so far are cleared and nothing is left allocated.  *out is the
 * caller's (free it after clearing each item).
 */
enum ds_code ds_json_array(const struct ds_json_ctx *p, const cJSON *arr,
			   const char *name, size_t size,
			   ds_json_item_fn parse, ds_json_clear_fn clear,
			   void **out, size_t *n);

/* Parse a document that is one array (as ds_json_parse) into a new
 * list, as ds_json_array reads it ("[i]" places). */
enum ds_code ds_json_parse_array(const struct ds_json_ctx *p,
				 const char *json, size_t len, size_t size,
				 ds_json_item_fn parse, ds_json_clear_fn clear,
				 void **out, size_t *n);

/* Clear each of the n items (size bytes each) of list, then free it;
 * NULL is fine. */
void ds_json_array_free(void *list, size_t n, size_t size,
			ds_json_clear_fn clear);

#endif
