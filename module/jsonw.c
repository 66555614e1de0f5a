/* jsonw.c: the JSON writer (see jsonw.h). */
#include <inttypes.h>
#include <string.h>

#include "jsonw.h"

/* Start writing into out. */
void ds_jsonw_init(struct ds_jsonw *w, struct ds_buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/* The writer's sticky error: its own, else the buffer's. */
static enum ds_code status(const struct ds_jsonw *w)
{
	return w->error != DS_OK ? w->error : ds_buf_error(w->out);
}

/* Record a misuse; the first error sticks. */
static enum ds_code misuse(struct ds_jsonw *w)
{
	if (w->error == DS_OK)
		w->error = DS_E_ARG;
	return w->error;
}

/*
 * Get ready for a value: in an object only after its key; in an array a
 * comma after the previous value; at the top level only one value.
 */
static enum ds_code before_value(struct ds_jsonw *w)
{
	enum ds_code result = status(w);

	if (result != DS_OK)
		return result;
	if (w->depth && w->in_object[w->depth - 1]) {
		if (!w->after_key)
			return misuse(w);
		w->after_key = 0;
		return DS_OK;
	}
	if (!w->depth && w->has_items[0])
		return misuse(w);
	if (w->has_items[w->depth])
		result = ds_buf_add(w->out, ",", 1);
	w->has_items[w->depth] = 1;
	return result;
}

/* Open an object or array (object: 1). */
static enum ds_code open_nest(struct ds_jsonw *w, int object)
{
	enum ds_code result = before_value(w);

	if (result != DS_OK)
		return result;
	if (w->depth == DS_JSONW_DEPTH)
		return misuse(w);
	w->in_object[w->depth++] = (unsigned char)object;
	w->has_items[w->depth] = 0;
	return ds_buf_add(w->out, object ? "{" : "[", 1);
}

/* Open an object. */
enum ds_code ds_jsonw_object(struct ds_jsonw *w)
{
	return open_nest(w, 1);
}

/* Open an array. */
enum ds_code ds_jsonw_array(struct ds_jsonw *w)
{
	return open_nest(w, 0);
}

/* Close the innermost object or array. */
enum ds_code ds_jsonw_end(struct ds_jsonw *w)
{
	enum ds_code result = status(w);

	if (result != DS_OK)
		return result;
	if (!w->depth || w->after_key)
		return misuse(w);
	w->depth--;
	return ds_buf_add(w->out, w->in_object[w->depth] ? "}" : "]", 1);
}

/* Write an object's key. */
enum ds_code ds_jsonw_key(struct ds_jsonw *w, const char *key)
{
	enum ds_code result = status(w);

	if (result != DS_OK)
		return result;
	if (!w->depth || !w->in_object[w->depth - 1] || w->after_key || !key)
		return misuse(w);
	if (w->has_items[w->depth])
		result = ds_buf_add(w->out, ",", 1);
	w->has_items[w->depth] = 1;
	if (result == DS_OK)
		result = ds_buf_json_string(w->out, key);
	if (result == DS_OK)
		result = ds_buf_add(w->out, ":", 1);
	w->after_key = 1;
	return result;
}

/* Write a string value, escaped; NULL writes null. */
enum ds_code ds_jsonw_string(struct ds_jsonw *w, const char *s)
{
	enum ds_code result = before_value(w);

	if (result != DS_OK)
		return result;
	return s ? ds_buf_json_string(w->out, s) : ds_buf_puts(w->out, "null");
}

/* Write a signed integer, exactly. */
enum ds_code ds_jsonw_int(struct ds_jsonw *w, int64_t v)
{
	enum ds_code result = before_value(w);

	return result != DS_OK ? result
			       : ds_buf_printf(w->out, "%" PRId64, v);
}

/* Write an unsigned integer, exactly. */
enum ds_code ds_jsonw_uint(struct ds_jsonw *w, uint64_t v)
{
	enum ds_code result = before_value(w);

	return result != DS_OK ? result
			       : ds_buf_printf(w->out, "%" PRIu64, v);
}

/* Write true or false. */
enum ds_code ds_jsonw_bool(struct ds_jsonw *w, int b)
{
	enum ds_code result = before_value(w);

	return result != DS_OK ? result
			       : ds_buf_puts(w->out, b ? "true" : "false");
}

/* Write null. */
enum ds_code ds_jsonw_null(struct ds_jsonw *w)
{
	enum ds_code result = before_value(w);

	return result != DS_OK ? result : ds_buf_puts(w->out, "null");
}

/* Write text that is already one whole JSON value, as it is. */
enum ds_code ds_jsonw_raw(struct ds_jsonw *w, const char *json)
{
	enum ds_code result = before_value(w);

	return result != DS_OK ? result : ds_buf_puts(w->out, json);
}

/* A key and its string value. */
enum ds_code ds_jsonw_kstring(struct ds_jsonw *w, const char *key,
			      const char *s)
{
	enum ds_code result = ds_jsonw_key(w, key);

	return result != DS_OK ? result : ds_jsonw_string(w, s);
}

/* A key and its signed integer value. */
enum ds_code ds_jsonw_kint(struct ds_jsonw *w, const char *key, int64_t v)
{
	enum ds_code result = ds_jsonw_key(w, key);

	return result != DS_OK ? result : ds_jsonw_int(w, v);
}

/* A key and its unsigned integer value. */
enum ds_code ds_jsonw_kuint(struct ds_jsonw *w, const char *key,
			    uint64_t v)
{
	enum ds_code result = ds_jsonw_key(w, key);

	return result != DS_OK ? result : ds_jsonw_uint(w, v);
}

/* A key and its boolean value. */
enum ds_code ds_jsonw_kbool(struct ds_jsonw *w, const char *key, int b)
{
	enum ds_code result = ds_jsonw_key(w, key);

	return result != DS_OK ? result : ds_jsonw_bool(w, b);
}

/* The first error, or DS_E_ARG unless the values written are whole. */
enum ds_code ds_jsonw_finish(const struct ds_jsonw *w)
{
	enum ds_code result = status(w);

	if (result == DS_OK && (w->depth || w->after_key ||
				!w->has_items[0]))
		result = DS_E_ARG;
	return result;
}
