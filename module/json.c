/*
 * json.c: the one JSON reader (see json.h): parsing a document, member
 * lookup, 64-bit integers, strings, booleans, arrays and RFC 3339 times,
 * each failure naming the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json.h"

/* The Go zero time, 0001-01-01T00:00:00Z, in unix seconds. */
#define GO_ZERO_TIME (-62135596800LL)

/* Whether c is JSON white space. */
int ds_json_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether c is an ASCII digit. */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Write "where.key" (or whichever part is non-empty) into buf. */
void ds_json_join_path(char *buf, size_t n, const char *where,
		       const char *key)
{
	if (!where)
		where = "";
	if (!key)
		key = "";
	/* A path too long for buf is cut: it only labels a message. */
	if (snprintf(buf, n, "%s%s%s", where, *where && *key ? "." : "",
		     key) < 0)
		buf[0] = '\0';
}

/* Write "name[i]", the place of an array element, into buf. */
void ds_json_item_path(char *buf, size_t n, const char *name, size_t i)
{
	if (snprintf(buf, n, "%s[%zu]", name, i) < 0)
		buf[0] = '\0';
}

/* Record that the reply has no `expected` value at where.key. */
enum ds_code ds_json_bad(const struct ds_json_ctx *p, const char *where,
			 const char *key, const char *expected)
{
	char path[160];

	ds_json_join_path(path, sizeof(path), where, key);
	if (!path[0])
		return ds_err_set(p->err, DS_E_PROTOCOL,
				  "cannot parse reply of '%s': expected %s",
				  p->what, expected);
	return ds_err_set(p->err, DS_E_PROTOCOL,
			  "cannot parse reply of '%s': expected %s at '%s'",
			  p->what, expected, path);
}

/* Record an allocation failure while reading the reply. */
enum ds_code ds_json_nomem(const struct ds_json_ctx *p)
{
	return ds_err_set(p->err, DS_E_NOMEM,
			  "out of memory reading reply of '%s'", p->what);
}

/*
 * Whether JSON text stops inside a string, object or array: a reply cut
 * short.  (cJSON's error position is only roughly where parsing failed:
 * for an unterminated string it is the string's start.)
 */
static int json_cut_short(const char *s, size_t len)
{
	size_t i, depth = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
		} else if (s[i] == '"') {
			in_string = 1;
		} else if (s[i] == '{' || s[i] == '[') {
			depth++;
		} else if (s[i] == '}' || s[i] == ']') {
			if (depth == 0)
				return 0;
			depth--;
		}
	}
	return in_string || depth > 0;
}

/* Parse a whole reply; its top-level value must be of cJSON type want. */
enum ds_code ds_json_parse(const struct ds_json_ctx *p, const char *json,
			   size_t len, int want, cJSON **out)
{
	const char *end = NULL;
	cJSON *root;
	size_t i, at;

	*out = NULL;
	for (i = 0; json && i < len && ds_json_is_space(json[i]); i++)
		;
	if (!json || i == len)
		return ds_err_set(p->err, DS_E_PROTOCOL,
				  "cannot parse reply of '%s': empty reply",
				  p->what);
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (!root) {
		if (json_cut_short(json, len))
			return ds_err_set(p->err, DS_E_PROTOCOL,
					  "cannot parse reply of '%s': json "
					  "ends too early (%zu bytes)",
					  p->what, len);
		at = end && end >= json ? (size_t)(end - json) : 0;
		return ds_err_set(p->err, DS_E_PROTOCOL,
				  "cannot parse reply of '%s': malformed json "
				  "near byte %zu", p->what, at);
	}
	for (i = (size_t)(end - json); i < len; i++) {
		if (!ds_json_is_space(json[i])) {
			cJSON_Delete(root);
			return ds_err_set(p->err, DS_E_PROTOCOL,
					  "cannot parse reply of '%s': data "
					  "after the json value at byte %zu",
					  p->what, i);
		}
	}
	if ((root->type & 0xff) != want) {
		cJSON_Delete(root);
		return ds_json_bad(p, NULL, NULL, want == cJSON_Array ?
			   "an array" : "an object");
	}
	*out = root;
	return DS_OK;
}

/* The member key of obj, or NULL when it is absent or null. */
const cJSON *ds_json_member(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return it && !cJSON_IsNull(it) ? it : NULL;
}

/* Read string member key (absent or null: "" unless required). */
enum ds_code ds_json_str(const struct ds_json_ctx *p, const cJSON *obj,
			 const char *where, const char *key, int required,
			 char **out)
{
	const cJSON *it = ds_json_member(obj, key);

	*out = NULL;
	if (!it && required)
		return ds_json_bad(p, where, key, "a string");
	if (it && !cJSON_IsString(it))
		return ds_json_bad(p, where, key, "a string");
	*out = strdup(it ? it->valuestring : "");
	return *out ? DS_OK : ds_json_nomem(p);
}

/* Convert a JSON number to int64_t; -1 when it does not fit. */
int ds_json_to_i64(double d, int64_t *out)
{
	/* The bounds are exact doubles; NaN and infinities fail both. */
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return -1;
	*out = (int64_t)d;
	return 0;
}

/* Read integer member key from its double (absent or null: def). */
enum ds_code ds_json_i64(const struct ds_json_ctx *p, const cJSON *obj,
			 const char *where, const char *key, int64_t def,
			 int64_t *out)
{
	const cJSON *it = ds_json_member(obj, key);

	*out = def;
	if (!it)
		return DS_OK;
	if (!cJSON_IsNumber(it))
		return ds_json_bad(p, where, key, "a number");
	if (ds_json_to_i64(it->valuedouble, out))
		return ds_json_bad(p, where, key, "a 64-bit integer");
	return DS_OK;
}

/* Read boolean member key (absent or null: false). */
enum ds_code ds_json_flag(const struct ds_json_ctx *p, const cJSON *obj,
			  const char *where, const char *key, int *out)
{
	const cJSON *it = ds_json_member(obj, key);

	*out = 0;
	if (!it)
		return DS_OK;
	if (!cJSON_IsBool(it))
		return ds_json_bad(p, where, key, "a boolean");
	*out = cJSON_IsTrue(it);
	return DS_OK;
}

/* Read member key of cJSON type want (absent or null: *out NULL). */
static enum ds_code typed_member(const struct ds_json_ctx *p,
				 const cJSON *obj, const char *where,
				 const char *key, int want,
				 const char *expected, const cJSON **out)
{
	const cJSON *it = ds_json_member(obj, key);

	*out = NULL;
	if (it && (it->type & 0xff) != want)
		return ds_json_bad(p, where, key, expected);
	*out = it;
	return DS_OK;
}

/* Read array member key; *out is NULL when it is absent or null. */
enum ds_code ds_json_list(const struct ds_json_ctx *p, const cJSON *obj,
			  const char *where, const char *key,
			  const cJSON **out)
{
	return typed_member(p, obj, where, key, cJSON_Array, "an array", out);
}

/* Read object member key; *out is NULL when it is absent or null. */
enum ds_code ds_json_obj(const struct ds_json_ctx *p, const cJSON *obj,
			 const char *where, const char *key,
			 const cJSON **out)
{
	return typed_member(p, obj, where, key, cJSON_Object, "an object",
			    out);
}

/* Read n decimal digits at s into *v; -1 unless all n are digits. */
static int read_digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Whether y is a Gregorian leap year. */
static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Parse an RFC 3339 time ("2026-11-22T02:26:34.332511494Z", offsets
 * "+02:00"/"-05:30") into unix seconds, the fraction dropped; -1 when
 * the text is not one.  Go's zero time (an unset time.Time) gives 0.
 */
int ds_json_rfc3339(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				     31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, dim;
	struct tm tm = { 0 };
	int64_t t;

	if (read_digits(s, 4, &y) || s[4] != '-' ||
	    read_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    read_digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    read_digits(s + 11, 2, &h) || s[13] != ':' ||
	    read_digits(s + 14, 2, &mi) || s[16] != ':' ||
	    read_digits(s + 17, 2, &sec))
		return -1;
	s += 19;
	if (*s == '.') {
		if (!is_digit(*++s))
			return -1;
		while (is_digit(*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (read_digits(s + 1, 2, &oh) || s[3] != ':' ||
		    read_digits(s + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		s += 6;
	} else {
		return -1;
	}
	if (*s || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
	if (d < 1 || d > dim)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
	*out = t == GO_ZERO_TIME ? 0 : t;
	return 0;
}

/* Read an RFC 3339 member key as unix seconds (absent or null: 0). */
enum ds_code ds_json_time(const struct ds_json_ctx *p, const cJSON *obj,
			  const char *where, const char *key, int64_t *out)
{
	const cJSON *it = ds_json_member(obj, key);

	*out = 0;
	if (!it)
		return DS_OK;
	if (!cJSON_IsString(it) || ds_json_rfc3339(it->valuestring, out))
		return ds_json_bad(p, where, key, "an rfc 3339 time");
	return DS_OK;
}

/*
 * Read an array (NULL or empty: an empty list) into a new list of items
 * of size bytes, each read by parse; on failure the items read so far
 * are cleared and nothing is left allocated.
 */
enum ds_code ds_json_array(const struct ds_json_ctx *p, const cJSON *arr,
			   const char *name, size_t size,
			   ds_json_item_fn parse, ds_json_clear_fn clear,
			   void **out, size_t *n)
{
	enum ds_code result = DS_OK;
	char *list;
	const cJSON *it;
	char where[96];
	size_t i;
	int count = arr ? cJSON_GetArraySize(arr) : 0;

	*out = NULL;
	*n = 0;
	if (count <= 0)
		return DS_OK;
	list = calloc((size_t)count, size);
	if (!list)
		return ds_json_nomem(p);
	cJSON_ArrayForEach(it, arr) {
		ds_json_item_path(where, sizeof(where), name, *n);
		result = parse(p, it, where, list + *n * size);
		if (result != DS_OK)
			break;
		(*n)++;
	}
	if (result != DS_OK) {
		for (i = 0; i < *n; i++)
			clear(list + i * size);
		free(list);
		*n = 0;
		return result;
	}
	*out = list;
	return DS_OK;
}


/* Parse text as one JSON value, whole or followed by anything. */
cJSON *ds_json_parse_text(const char *text, size_t len, int whole,
			  const char **end)
{
	const char *stop = NULL;
	cJSON *root;
	size_t i;

	root = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
	if (root && whole) {
		for (i = (size_t)(stop - text); i < len; i++) {
			if (!ds_json_is_space(text[i])) {
				cJSON_Delete(root);
				root = NULL;
				stop = text + i;
				break;
			}
		}
	}
	if (end)
		*end = stop;
	return root;
}

/* The line of at in text, counting line feeds before it. */
size_t ds_json_line(const char *text, size_t len, const char *at)
{
	size_t line = 1, i;

	for (i = 0; i < len && text + i < at; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* The member key matched without regard to case, absent or null: NULL. */
const cJSON *ds_json_member_nocase(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItem(obj, key);

	return it && !cJSON_IsNull(it) ? it : NULL;
}

/* The member key of obj, null included. */
const cJSON *ds_json_get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Whether it is a whole number from 0 to max (stored in *out). */
int ds_json_whole(const cJSON *it, int64_t max, int64_t *out)
{
	int64_t v;

	if (!cJSON_IsNumber(it) || ds_json_to_i64(it->valuedouble, &v) ||
	    v < 0 || v > max || (double)v != it->valuedouble)
		return 0;
	*out = v;
	return 1;
}

/* Parse a one-array document into a new list of items. */
enum ds_code ds_json_parse_array(const struct ds_json_ctx *p,
				 const char *json, size_t len, size_t size,
				 ds_json_item_fn parse, ds_json_clear_fn clear,
				 void **out, size_t *n)
{
	enum ds_code result;
	cJSON *root = NULL;

	*out = NULL;
	*n = 0;
	result = ds_json_parse(p, json, len, cJSON_Array, &root);
	if (result == DS_OK)
		result = ds_json_array(p, root, "", size, parse, clear, out,
				       n);
	cJSON_Delete(root);
	return result;
}

/* Clear and free a list ds_json_array made. */
void ds_json_array_free(void *list, size_t n, size_t size,
			ds_json_clear_fn clear)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		clear((char *)list + i * size);
	free(list);
}
