/*
 * model.c: engine replies (JSON text) turned into plain structs (see
 * model.h).  The only file that calls cJSON.
 *
 * Every reader takes a place in the reply ("Images[3]") so that a reply
 * that is not what the API says fails with a message naming the field,
 * e.g. "cannot parse reply of '/system/df': expected an array at
 * 'Images'".  Numbers are read from cJSON's double, never its int (which
 * saturates at INT_MAX): every size below 2^53 is exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "model.h"

/* The reply being read: its endpoint (for messages) and the error. */
struct pctx {
	const char *what;
	struct ds_err *err;
};

/* The Go zero time, 0001-01-01T00:00:00Z, in unix seconds. */
#define GO_ZERO_TIME (-62135596800LL)

/* Whether c is JSON white space. */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether c is an ASCII digit. */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether s starts with prefix. */
static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Write "where.key" (or whichever part is non-empty) into buf. */
static void join_path(char *buf, size_t n, const char *where,
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
static void item_path(char *buf, size_t n, const char *name, size_t i)
{
	if (snprintf(buf, n, "%s[%zu]", name, i) < 0)
		buf[0] = '\0';
}

/* Record that the reply has no `expected` value at where.key. */
static enum ds_code bad(const struct pctx *p, const char *where,
			const char *key, const char *expected)
{
	char path[160];

	join_path(path, sizeof(path), where, key);
	if (!path[0])
		return ds_err_set(p->err, DS_E_PROTOCOL,
				  "cannot parse reply of '%s': expected %s",
				  p->what, expected);
	return ds_err_set(p->err, DS_E_PROTOCOL,
			  "cannot parse reply of '%s': expected %s at '%s'",
			  p->what, expected, path);
}

/* Record an allocation failure while reading the reply. */
static enum ds_code nomem(const struct pctx *p)
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
static enum ds_code parse_root(const struct pctx *p, const char *json,
			       size_t len, int want, cJSON **out)
{
	const char *end = NULL;
	cJSON *root;
	size_t i, at;

	*out = NULL;
	for (i = 0; json && i < len && is_space(json[i]); i++)
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
		if (!is_space(json[i])) {
			cJSON_Delete(root);
			return ds_err_set(p->err, DS_E_PROTOCOL,
					  "cannot parse reply of '%s': data "
					  "after the json value at byte %zu",
					  p->what, i);
		}
	}
	if ((root->type & 0xff) != want) {
		cJSON_Delete(root);
		return bad(p, NULL, NULL, want == cJSON_Array ?
			   "an array" : "an object");
	}
	*out = root;
	return DS_OK;
}

/* The member key of obj, or NULL when it is absent or null. */
static const cJSON *member(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return it && !cJSON_IsNull(it) ? it : NULL;
}

/* Read string member key (absent or null: "" unless required). */
static enum ds_code get_str(const struct pctx *p, const cJSON *obj,
			    const char *where, const char *key, int required,
			    char **out)
{
	const cJSON *it = member(obj, key);

	*out = NULL;
	if (!it && required)
		return bad(p, where, key, "a string");
	if (it && !cJSON_IsString(it))
		return bad(p, where, key, "a string");
	*out = strdup(it ? it->valuestring : "");
	return *out ? DS_OK : nomem(p);
}

/* Convert a JSON number to int64_t; -1 when it does not fit. */
static int to_i64(double d, int64_t *out)
{
	/* The bounds are exact doubles; NaN and infinities fail both. */
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return -1;
	*out = (int64_t)d;
	return 0;
}

/* Read integer member key from its double (absent or null: def). */
static enum ds_code get_i64(const struct pctx *p, const cJSON *obj,
			    const char *where, const char *key, int64_t def,
			    int64_t *out)
{
	const cJSON *it = member(obj, key);

	*out = def;
	if (!it)
		return DS_OK;
	if (!cJSON_IsNumber(it))
		return bad(p, where, key, "a number");
	if (to_i64(it->valuedouble, out))
		return bad(p, where, key, "a 64-bit integer");
	return DS_OK;
}

/* Read boolean member key (absent or null: false). */
static enum ds_code get_flag(const struct pctx *p, const cJSON *obj,
			     const char *where, const char *key, int *out)
{
	const cJSON *it = member(obj, key);

	*out = 0;
	if (!it)
		return DS_OK;
	if (!cJSON_IsBool(it))
		return bad(p, where, key, "a boolean");
	*out = cJSON_IsTrue(it);
	return DS_OK;
}

/* Read array member key; *out is NULL when it is absent or null. */
static enum ds_code get_list(const struct pctx *p, const cJSON *obj,
			     const char *where, const char *key,
			     const cJSON **out)
{
	const cJSON *it = member(obj, key);

	*out = NULL;
	if (it && !cJSON_IsArray(it))
		return bad(p, where, key, "an array");
	*out = it;
	return DS_OK;
}

/* Read object member key; *out is NULL when it is absent or null. */
static enum ds_code get_obj(const struct pctx *p, const cJSON *obj,
			    const char *where, const char *key,
			    const cJSON **out)
{
	const cJSON *it = member(obj, key);

	*out = NULL;
	if (it && !cJSON_IsObject(it))
		return bad(p, where, key, "an object");
	*out = it;
	return DS_OK;
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
static int parse_rfc3339(const char *s, int64_t *out)
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
static enum ds_code get_time(const struct pctx *p, const cJSON *obj,
			     const char *where, const char *key,
			     int64_t *out)
{
	const cJSON *it = member(obj, key);

	*out = 0;
	if (!it)
		return DS_OK;
	if (!cJSON_IsString(it) || parse_rfc3339(it->valuestring, out))
		return bad(p, where, key, "an rfc 3339 time");
	return DS_OK;
}

/* An ID with the "sha256:" Podman leaves out; "" stays "". */
static char *prefix_id(const char *id)
{
	static const char prefix[] = "sha256:";
	size_t n;
	char *s;

	if (!*id || strchr(id, ':'))
		return strdup(id);
	n = strlen(id);
	s = malloc(sizeof(prefix) + n);
	if (s) {
		memcpy(s, prefix, sizeof(prefix) - 1);
		memcpy(s + sizeof(prefix) - 1, id, n + 1);
	}
	return s;
}

/* Whether ref names no repository: "<none>", "<none>:<none>", ... */
static int is_none_ref(const char *ref)
{
	if (!*ref)
		return 1;
	if (!starts_with(ref, "<none>"))
		return 0;
	ref += strlen("<none>");
	return !*ref || *ref == ':' || *ref == '@';
}

/*
 * Normalise one reference (see model.h); *out is NULL when it names
 * nothing.  Prefixes that docker's familiar form hides go: Podman's
 * "localhost/", and "docker.io/library/", "docker.io/" (and the older
 * "index.docker.io/" spellings); a registry with a port stays.
 */
static enum ds_code normalise(const char *ref, char **out)
{
	static const char *const strip[] = {
		"localhost/", "docker.io/library/", "docker.io/",
		"index.docker.io/library/", "index.docker.io/"
	};
	const char *s = ref;
	size_t i;

	*out = NULL;
	if (!ref || is_none_ref(ref))
		return DS_OK;
	for (i = 0; i < sizeof(strip) / sizeof(strip[0]); i++) {
		if (starts_with(s, strip[i]) && s[strlen(strip[i])]) {
			s += strlen(strip[i]);
			break;
		}
	}
	*out = strdup(s);
	return *out ? DS_OK : DS_E_NOMEM;
}

/* Normalise one reference as model.h says; NULL for none (or no memory). */
char *ds_model_normalise_ref(const char *ref)
{
	char *out = NULL;

	normalise(ref, &out);
	return out;
}

/* Free an array of n strings. */
static void free_strv(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Release what one image owns and zero it. */
static void image_clear(struct ds_image *img)
{
	free(img->id);
	free_strv(img->tags, img->n_tags);
	free_strv(img->raw_tags, img->n_tags);
	free(img->parent_id);
	free_strv(img->label_keys, img->n_labels);
	free_strv(img->label_values, img->n_labels);
	memset(img, 0, sizeof(*img));
}

/* Whether img already has the normalised tag. */
static int has_tag(const struct ds_image *img, const char *tag)
{
	size_t i;

	for (i = 0; i < img->n_tags; i++)
		if (strcmp(img->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* Append a tag pair, taking ownership of tag and raw (freed on failure). */
static enum ds_code push_tag(struct ds_image *img, char *tag, char *raw)
{
	char **t, **r;

	t = realloc(img->tags, (img->n_tags + 1) * sizeof(*t));
	if (t)
		img->tags = t;
	r = realloc(img->raw_tags, (img->n_tags + 1) * sizeof(*r));
	if (r)
		img->raw_tags = r;
	if (!t || !r) {
		free(tag);
		free(raw);
		return DS_E_NOMEM;
	}
	img->tags[img->n_tags] = tag;
	img->raw_tags[img->n_tags] = raw;
	img->n_tags++;
	return DS_OK;
}

/* Read RepoTags (null, [] and "<none>" entries mean no tag). */
static enum ds_code read_tags(const struct pctx *p, const cJSON *obj,
			      const char *where, struct ds_image *img)
{
	enum ds_code result;
	const cJSON *list, *it;
	char *tag, *raw;

	result = get_list(p, obj, where, "RepoTags", &list);
	if (result != DS_OK || !list)
		return result;
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it))
			return bad(p, where, "RepoTags", "an array of strings");
		if (normalise(it->valuestring, &tag) != DS_OK)
			return nomem(p);
		if (!tag)
			continue;
		if (has_tag(img, tag)) {
			free(tag);
			continue;
		}
		raw = strdup(it->valuestring);
		if (!raw) {
			free(tag);
			return nomem(p);
		}
		if (push_tag(img, tag, raw) != DS_OK)
			return nomem(p);
	}
	return DS_OK;
}

/* Read a Labels object of strings into parallel key/value arrays. */
static enum ds_code read_labels(const struct pctx *p, const cJSON *obj,
				const char *where, char ***keys,
				char ***values, size_t *n)
{
	enum ds_code result;
	const cJSON *labels, *it;
	char path[96];
	int count;

	result = get_obj(p, obj, where, "Labels", &labels);
	if (result != DS_OK || !labels)
		return result;
	count = cJSON_GetArraySize(labels);
	if (count <= 0)
		return DS_OK;
	*keys = calloc((size_t)count, sizeof(**keys));
	*values = calloc((size_t)count, sizeof(**values));
	if (!*keys || !*values)
		return nomem(p);
	cJSON_ArrayForEach(it, labels) {
		if (!cJSON_IsString(it)) {
			join_path(path, sizeof(path), where, "Labels");
			return bad(p, path, it->string, "a string");
		}
		(*keys)[*n] = strdup(it->string);
		(*values)[*n] = strdup(it->valuestring);
		(*n)++;
		if (!(*keys)[*n - 1] || !(*values)[*n - 1])
			return nomem(p);
	}
	return DS_OK;
}

/* Read one image object (from /images/json or /system/df). */
static enum ds_code parse_image(const struct pctx *p, const cJSON *obj,
				const char *where, struct ds_image *img)
{
	enum ds_code result;
	char *s = NULL;
	const char *size_key;

	memset(img, 0, sizeof(*img));
	if (!cJSON_IsObject(obj)) {
		result = bad(p, where, NULL, "an object");
		goto done;
	}
	result = get_str(p, obj, where, "Id", 1, &s);
	if (result != DS_OK)
		goto done;
	img->id = prefix_id(s);
	free(s);
	result = get_str(p, obj, where, "ParentId", 0, &s);
	if (result != DS_OK)
		goto done;
	img->parent_id = prefix_id(s);
	free(s);
	if (!img->id || !img->parent_id) {
		result = nomem(p);
		goto done;
	}
	/* VirtualSize (gone in 1.44) equalled Size; read it only as a
	 * fallback: Podman's /system/df sends it as 0. */
	size_key = member(obj, "Size") ? "Size" : "VirtualSize";
	result = get_i64(p, obj, where, size_key, 0, &img->size);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "SharedSize", 0,
				 &img->shared_size);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "Containers", 0,
				 &img->containers);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "Created", 0, &img->created);
	if (result == DS_OK)
		result = read_tags(p, obj, where, img);
	if (result == DS_OK)
		result = read_labels(p, obj, where, &img->label_keys,
				     &img->label_values, &img->n_labels);
done:
	if (result != DS_OK)
		image_clear(img);
	return result;
}

/* Move img's tags missing from dst into dst, then clear img. */
static enum ds_code merge_tags(struct ds_image *dst, struct ds_image *img)
{
	enum ds_code result = DS_OK;
	size_t i;

	for (i = 0; i < img->n_tags && result == DS_OK; i++) {
		if (has_tag(dst, img->tags[i]))
			continue;
		result = push_tag(dst, img->tags[i], img->raw_tags[i]);
		img->tags[i] = NULL;
		img->raw_tags[i] = NULL;
	}
	image_clear(img);
	return result;
}

/* FNV-1a hash of a string. */
static size_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/*
 * The slot of id in an open-addressing table of n slots holding list
 * indices plus one (0 = free): where it is, or the free slot for it.
 */
static size_t id_slot(const size_t *table, size_t n,
		      const struct ds_image *list, const char *id)
{
	size_t i = hash_str(id) % n;

	while (table[i] && strcmp(list[table[i] - 1].id, id) != 0)
		i = (i + 1) % n;
	return i;
}

/* Read one array item into *out (a struct of the list's type). */
typedef enum ds_code (*item_parser)(const struct pctx *p, const cJSON *obj,
				    const char *where, void *out);
/* Release what one item owns. */
typedef void (*item_clearer)(void *item);

/*
 * Read an array (NULL or empty: an empty list) into a new list of items
 * of size bytes, each read by parse; on failure the items read so far
 * are cleared and nothing is left allocated.
 */
static enum ds_code parse_array(const struct pctx *p, const cJSON *arr,
				const char *name, size_t size,
				item_parser parse, item_clearer clear,
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
		return nomem(p);
	cJSON_ArrayForEach(it, arr) {
		item_path(where, sizeof(where), name, *n);
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

/*
 * Read an array of images into a new list, merging rows with the same
 * ID: Podman's /system/df has one row per tag, each with only the tag
 * ("latest"), so an image is counted once with all its tags.  Docker's
 * IDs are unique and pass through unchanged.  A hash table keeps this
 * linear for engines with thousands of images.
 */
static enum ds_code parse_images_array(const struct pctx *p,
				       const cJSON *arr, const char *name,
				       struct ds_image **out, size_t *n)
{
	enum ds_code result = DS_OK;
	struct ds_image *list = NULL, img;
	const cJSON *it;
	char where[96];
	size_t *table = NULL, slots, slot, i, k = 0;
	int count = arr ? cJSON_GetArraySize(arr) : 0;

	*out = NULL;
	*n = 0;
	if (count <= 0)
		return DS_OK;
	slots = 2 * (size_t)count + 1;
	list = calloc((size_t)count, sizeof(*list));
	table = calloc(slots, sizeof(*table));
	if (!list || !table) {
		result = nomem(p);
		goto done;
	}
	cJSON_ArrayForEach(it, arr) {
		item_path(where, sizeof(where), name, k++);
		result = parse_image(p, it, where, &img);
		if (result != DS_OK)
			goto done;
		slot = id_slot(table, slots, list, img.id);
		if (!table[slot]) {
			list[*n] = img;
			table[slot] = ++*n;
			continue;
		}
		i = table[slot] - 1;
		if (img.containers > list[i].containers)
			list[i].containers = img.containers;
		if (merge_tags(&list[i], &img) != DS_OK) {
			result = nomem(p);
			goto done;
		}
	}
done:
	free(table);
	if (result != DS_OK) {
		for (i = 0; list && i < *n; i++)
			image_clear(&list[i]);
		free(list);
		list = NULL;
		*n = 0;
	}
	*out = list;
	return result;
}

/* Release what one container owns and zero it. */
static void container_clear(struct ds_container *c)
{
	free(c->id);
	free(c->name);
	free(c->image);
	free(c->image_id);
	free(c->state);
	memset(c, 0, sizeof(*c));
}

/* Read one container object. */
static enum ds_code parse_container(const struct pctx *p, const cJSON *obj,
				    const char *where, struct ds_container *c)
{
	enum ds_code result;
	const cJSON *names = NULL, *first;
	char *s = NULL;
	const char *name = "";

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(obj)) {
		result = bad(p, where, NULL, "an object");
		goto done;
	}
	result = get_str(p, obj, where, "Id", 1, &c->id);
	if (result == DS_OK)
		result = get_list(p, obj, where, "Names", &names);
	if (result != DS_OK)
		goto done;
	first = names ? cJSON_GetArrayItem(names, 0) : NULL;
	if (first) {
		if (!cJSON_IsString(first)) {
			result = bad(p, where, "Names", "an array of strings");
			goto done;
		}
		name = first->valuestring;
		if (*name == '/')
			name++;
	}
	c->name = strdup(name);
	if (!c->name) {
		result = nomem(p);
		goto done;
	}
	result = get_str(p, obj, where, "Image", 0, &c->image);
	if (result == DS_OK)
		result = get_str(p, obj, where, "ImageID", 0, &s);
	if (result != DS_OK)
		goto done;
	c->image_id = prefix_id(s);
	if (!c->image_id) {
		result = nomem(p);
		goto done;
	}
	result = get_str(p, obj, where, "State", 0, &c->state);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "SizeRw", 0, &c->size_rw);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "Created", 0, &c->created);
done:
	free(s);
	if (result != DS_OK)
		container_clear(c);
	return result;
}

/* parse_container and container_clear for parse_array. */
static enum ds_code container_item(const struct pctx *p, const cJSON *obj,
				   const char *where, void *out)
{
	return parse_container(p, obj, where, out);
}

/* Release one container, for parse_array. */
static void container_item_clear(void *item)
{
	container_clear(item);
}

/* Read an array of containers into a new list. */
static enum ds_code parse_containers_array(const struct pctx *p,
					   const cJSON *arr, const char *name,
					   struct ds_container **out,
					   size_t *n)
{
	return parse_array(p, arr, name, sizeof(**out), container_item,
			   container_item_clear, (void **)out, n);
}

/* Read one volume object; no UsageData means size and refs unknown. */
static enum ds_code parse_volume(const struct pctx *p, const cJSON *obj,
				 const char *where, struct ds_volume *v)
{
	enum ds_code result;
	const cJSON *usage;
	char path[96];

	memset(v, 0, sizeof(*v));
	if (!cJSON_IsObject(obj))
		return bad(p, where, NULL, "an object");
	result = get_obj(p, obj, where, "UsageData", &usage);
	if (result != DS_OK)
		return result;
	v->size = -1;
	v->ref_count = -1;
	if (usage) {
		join_path(path, sizeof(path), where, "UsageData");
		result = get_i64(p, usage, path, "Size", 0, &v->size);
		if (result == DS_OK)
			result = get_i64(p, usage, path, "RefCount", 0,
					 &v->ref_count);
		if (result != DS_OK)
			return result;
	}
	result = get_time(p, obj, where, "CreatedAt", &v->created);
	if (result != DS_OK)
		return result;
	return get_str(p, obj, where, "Name", 1, &v->name);
}

/* parse_volume for parse_array. */
static enum ds_code volume_item(const struct pctx *p, const cJSON *obj,
				const char *where, void *out)
{
	return parse_volume(p, obj, where, out);
}

/* Release one volume, for parse_array. */
static void volume_item_clear(void *item)
{
	struct ds_volume *v = item;

	free(v->name);
	v->name = NULL;
}

/* Read an array of volumes into a new list. */
static enum ds_code parse_volumes_array(const struct pctx *p,
					const cJSON *arr, const char *name,
					struct ds_volume **out, size_t *n)
{
	return parse_array(p, arr, name, sizeof(**out), volume_item,
			   volume_item_clear, (void **)out, n);
}

/* Release what one build-cache record owns and zero it. */
static void cache_clear(struct ds_cache *c)
{
	size_t i;

	free(c->id);
	free(c->type);
	free(c->description);
	for (i = 0; i < c->n_parents; i++)
		free(c->parents[i]);
	free(c->parents);
	memset(c, 0, sizeof(*c));
}

/*
 * Read a record's parents: "Parents" (API 1.42), spelt " Parents" with a
 * leading space by moby 25 to 28, else the older single "Parent" ("" for
 * none).
 */
static enum ds_code get_parents(const struct pctx *p, const cJSON *obj,
				const char *where, struct ds_cache *c)
{
	enum ds_code result;
	const cJSON *list = NULL, *it;
	char *one = NULL;
	size_t n = 0;

	result = get_list(p, obj, where, "Parents", &list);
	if (result == DS_OK && !list)
		result = get_list(p, obj, where, " Parents", &list);
	if (result != DS_OK)
		return result;
	if (!list) {
		result = get_str(p, obj, where, "Parent", 0, &one);
		if (result != DS_OK || !*one) {
			free(one);
			return result;
		}
		c->parents = malloc(sizeof(*c->parents));
		if (!c->parents) {
			free(one);
			return nomem(p);
		}
		c->parents[0] = one;
		c->n_parents = 1;
		return DS_OK;
	}
	c->parents = calloc((size_t)cJSON_GetArraySize(list) + 1,
			    sizeof(*c->parents));
	if (!c->parents)
		return nomem(p);
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it))
			return bad(p, where, "Parents", "an array of strings");
		if (!*it->valuestring)
			continue;
		c->parents[n] = strdup(it->valuestring);
		if (!c->parents[n])
			return nomem(p);
		c->n_parents = ++n;
	}
	return DS_OK;
}

/* Read one build-cache record. */
static enum ds_code parse_cache(const struct pctx *p, const cJSON *obj,
				const char *where, struct ds_cache *c)
{
	enum ds_code result;

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(obj))
		return bad(p, where, NULL, "an object");
	result = get_str(p, obj, where, "ID", 1, &c->id);
	if (result == DS_OK)
		result = get_str(p, obj, where, "Type", 0, &c->type);
	if (result == DS_OK)
		result = get_str(p, obj, where, "Description", 0,
				 &c->description);
	if (result == DS_OK)
		result = get_flag(p, obj, where, "InUse", &c->in_use);
	if (result == DS_OK)
		result = get_flag(p, obj, where, "Shared", &c->shared);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "Size", 0, &c->size);
	if (result == DS_OK)
		result = get_time(p, obj, where, "CreatedAt", &c->created_at);
	if (result == DS_OK)
		result = get_time(p, obj, where, "LastUsedAt",
				  &c->last_used_at);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "UsageCount", 0,
				 &c->usage_count);
	if (result == DS_OK)
		result = get_parents(p, obj, where, c);
	if (result != DS_OK)
		cache_clear(c);
	return result;
}

/* parse_cache for parse_array. */
static enum ds_code cache_item(const struct pctx *p, const cJSON *obj,
			       const char *where, void *out)
{
	return parse_cache(p, obj, where, out);
}

/* Release one build-cache record, for parse_array. */
static void cache_item_clear(void *item)
{
	cache_clear(item);
}

/* Read an array of build-cache records into a new list. */
static enum ds_code parse_cache_array(const struct pctx *p,
				      const cJSON *arr, const char *name,
				      struct ds_cache **out, size_t *n)
{
	return parse_array(p, arr, name, sizeof(**out), cache_item,
			   cache_item_clear, (void **)out, n);
}

/*
 * The images line of `docker system df`, as docker/cli computes it
 * (cli/command/formatter/disk_usage.go, v20.10.24 to v28.5.x; the moby
 * client in v29.0 to v29.4.0 differs only in using Containers > 0):
 *   TOTAL       = number of images
 *   ACTIVE      = images with Containers > 0
 *   SIZE        = LayersSize
 *   RECLAIMABLE = SIZE - sum over images with Containers != 0 of
 *                 (Size - SharedSize), skipping rows where either is -1
 *                 (v20.10 used VirtualSize, which equalled Size).
 * (docker CLI 29.4.1 and later instead sum Size - SharedSize over the
 * images with Containers == 0, as API 1.52 engines do in their
 * ImageUsage summary; dockspace keeps the formula above for every
 * version, so one engine state gives one figure whatever the API.)
 * Podman 4.3 reports LayersSize 0 however much it stores; with images
 * present, SIZE is then the sum of Size over distinct image IDs (the
 * list is already merged by ID; Podman's SharedSize is 0), where the
 * CLI would print 0B.  TOTAL and ACTIVE count distinct images too, where
 * the CLI counts Podman's per-tag rows.
 */
static void sum_images(struct ds_df *df)
{
	struct ds_usage_row *row = &df->images;
	int64_t used = 0;
	size_t i;

	memset(row, 0, sizeof(*row));
	row->total = (int64_t)df->n_images;
	row->size = df->layers_size;
	if (row->size == 0) {
		for (i = 0; i < df->n_images; i++)
			if (df->image_list[i].size > 0)
				row->size += df->image_list[i].size;
	}
	for (i = 0; i < df->n_images; i++) {
		const struct ds_image *img = &df->image_list[i];

		if (img->containers > 0)
			row->active++;
		if (img->containers != 0 && img->size != -1 &&
		    img->shared_size != -1)
			used += img->size - img->shared_size;
	}
	row->reclaimable = row->size - used;
}

/* Whether docker/cli counts a container state as active. */
static int container_active(const char *state)
{
	return strcmp(state, "running") == 0 ||
	       strcmp(state, "paused") == 0 ||
	       strcmp(state, "restarting") == 0;
}

/*
 * The containers line (docker/cli disk_usage.go): TOTAL = number of
 * containers, ACTIVE = state running, paused or restarting, SIZE = sum
 * of SizeRw, RECLAIMABLE = sum of SizeRw of the inactive ones.
 */
static void sum_containers(struct ds_df *df)
{
	struct ds_usage_row *row = &df->containers;
	size_t i;

	memset(row, 0, sizeof(*row));
	row->total = (int64_t)df->n_containers;
	for (i = 0; i < df->n_containers; i++) {
		const struct ds_container *c = &df->container_list[i];

		row->size += c->size_rw;
		if (container_active(c->state))
			row->active++;
		else
			row->reclaimable += c->size_rw;
	}
}

/*
 * The local volumes line (docker/cli disk_usage.go): TOTAL = number of
 * volumes, ACTIVE = RefCount > 0, SIZE = sum of UsageData.Size skipping
 * -1, RECLAIMABLE = the same sum over volumes with RefCount 0.  Volumes
 * without UsageData (size and refs -1 here) count in TOTAL only.
 */
static void sum_volumes(struct ds_df *df)
{
	struct ds_usage_row *row = &df->volumes;
	size_t i;

	memset(row, 0, sizeof(*row));
	row->total = (int64_t)df->n_volumes;
	for (i = 0; i < df->n_volumes; i++) {
		const struct ds_volume *v = &df->volume_list[i];

		if (v->ref_count > 0)
			row->active++;
		if (v->size == -1)
			continue;
		row->size += v->size;
		if (v->ref_count == 0)
			row->reclaimable += v->size;
	}
}

/*
 * The build cache line (docker/cli df.go and disk_usage.go): TOTAL =
 * number of records, ACTIVE = InUse, SIZE = sum of Size of records not
 * Shared, RECLAIMABLE = SIZE - sum of Size of records InUse and not
 * Shared (= records neither InUse nor Shared).
 */
static void sum_cache(struct ds_df *df)
{
	struct ds_usage_row *row = &df->cache;
	size_t i;

	memset(row, 0, sizeof(*row));
	row->total = (int64_t)df->n_cache;
	for (i = 0; i < df->n_cache; i++) {
		const struct ds_cache *c = &df->cache_list[i];

		if (c->in_use)
			row->active++;
		if (c->shared)
			continue;
		row->size += c->size;
		if (!c->in_use)
			row->reclaimable += c->size;
	}
}

/* Read an API 1.52 summary ({TotalCount,ActiveCount,TotalSize,
 * Reclaimable}, zero fields omitted) into row. */
static enum ds_code read_usage(const struct pctx *p, const cJSON *u,
			       const char *where, struct ds_usage_row *row)
{
	enum ds_code result;

	result = get_i64(p, u, where, "TotalCount", 0, &row->total);
	if (result == DS_OK)
		result = get_i64(p, u, where, "ActiveCount", 0, &row->active);
	if (result == DS_OK)
		result = get_i64(p, u, where, "TotalSize", 0, &row->size);
	if (result == DS_OK)
		result = get_i64(p, u, where, "Reclaimable", 0,
				 &row->reclaimable);
	return result;
}

/* The list for one /system/df section: the legacy key, else the
 * API 1.52 summary's Items (a verbose reply has only those). */
static enum ds_code df_section(const struct pctx *p, const cJSON *root,
			       const char *legacy, const char *summary,
			       const cJSON **usage, const cJSON **list,
			       char *name, size_t n)
{
	enum ds_code result;

	*list = NULL;
	result = get_obj(p, root, NULL, summary, usage);
	if (result == DS_OK)
		result = get_list(p, root, NULL, legacy, list);
	if (result != DS_OK)
		return result;
	join_path(name, n, legacy, NULL);
	if (*list || !*usage)
		return DS_OK;
	join_path(name, n, summary, "Items");
	return get_list(p, *usage, summary, "Items", list);
}

/* Parse /system/df into out (see model.h). */
enum ds_code ds_model_parse_df(struct ds_df *out, const char *json,
			       size_t len, struct ds_err *err)
{
	struct pctx p = { "/system/df", err };
	enum ds_code result;
	struct ds_df df;
	cJSON *root = NULL;
	const cJSON *u_img = NULL, *u_ctr = NULL, *u_vol = NULL, *u_bc = NULL;
	const cJSON *list = NULL;
	char name[32];

	memset(&df, 0, sizeof(df));
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result != DS_OK)
		goto done;
	result = get_i64(&p, root, NULL, "LayersSize", 0, &df.layers_size);
	if (result != DS_OK)
		goto done;

	result = df_section(&p, root, "Images", "ImageUsage", &u_img, &list,
			    name, sizeof(name));
	if (result == DS_OK)
		result = parse_images_array(&p, list, name, &df.image_list,
					    &df.n_images);
	if (result == DS_OK)
		result = df_section(&p, root, "Containers", "ContainerUsage",
				    &u_ctr, &list, name, sizeof(name));
	if (result == DS_OK)
		result = parse_containers_array(&p, list, name,
						&df.container_list,
						&df.n_containers);
	if (result == DS_OK)
		result = df_section(&p, root, "Volumes", "VolumeUsage",
				    &u_vol, &list, name, sizeof(name));
	if (result == DS_OK)
		result = parse_volumes_array(&p, list, name, &df.volume_list,
					     &df.n_volumes);
	if (result == DS_OK)
		result = df_section(&p, root, "BuildCache", "BuildCacheUsage",
				    &u_bc, &list, name, sizeof(name));
	if (result == DS_OK)
		result = parse_cache_array(&p, list, name, &df.cache_list,
					   &df.n_cache);
	if (result != DS_OK)
		goto done;

	/* API 1.52 dropped LayersSize from verbose replies. */
	if (!member(root, "LayersSize") && u_img) {
		result = get_i64(&p, u_img, "ImageUsage", "TotalSize", 0,
				 &df.layers_size);
		if (result != DS_OK)
			goto done;
	}

	/*
	 * One accounting for every version: each line is computed from its
	 * list with the CLI's formulas (20.10-28), also from API 1.52 on,
	 * where the engine's own summaries differ: its image Reclaimable
	 * was wrong in 29.0-29.3, and its Build Cache TotalSize counts
	 * Shared records (held by images, counted there already).  The
	 * summary is read only for a section that came without its list.
	 */
	result = u_img && !df.n_images && !member(root, "Images")
		 ? read_usage(&p, u_img, "ImageUsage", &df.images)
		 : (sum_images(&df), DS_OK);
	if (result == DS_OK && u_ctr && !df.n_containers &&
	    !member(root, "Containers"))
		result = read_usage(&p, u_ctr, "ContainerUsage",
				    &df.containers);
	else if (result == DS_OK)
		sum_containers(&df);
	if (result == DS_OK && u_vol && !df.n_volumes &&
	    !member(root, "Volumes"))
		result = read_usage(&p, u_vol, "VolumeUsage", &df.volumes);
	else if (result == DS_OK)
		sum_volumes(&df);
	if (result == DS_OK && u_bc && !df.n_cache &&
	    !member(root, "BuildCache"))
		result = read_usage(&p, u_bc, "BuildCacheUsage", &df.cache);
	else if (result == DS_OK)
		sum_cache(&df);
done:
	cJSON_Delete(root);
	if (result != DS_OK)
		ds_model_df_free(&df);
	*out = df;
	return result;
}

/* Release everything a parsed /system/df owns; the struct is zeroed. */
void ds_model_df_free(struct ds_df *df)
{
	size_t i;

	if (!df)
		return;
	ds_model_images_free(df->image_list, df->n_images);
	ds_model_containers_free(df->container_list, df->n_containers);
	for (i = 0; i < df->n_volumes; i++)
		free(df->volume_list[i].name);
	free(df->volume_list);
	for (i = 0; i < df->n_cache; i++)
		cache_clear(&df->cache_list[i]);
	free(df->cache_list);
	memset(df, 0, sizeof(*df));
}

/* Parse /images/json (an array of images) into a new list. */
enum ds_code ds_model_parse_images(struct ds_image **out, size_t *n,
				   const char *json, size_t len,
				   struct ds_err *err)
{
	struct pctx p = { "/images/json", err };
	enum ds_code result;
	cJSON *root = NULL;

	*out = NULL;
	*n = 0;
	result = parse_root(&p, json, len, cJSON_Array, &root);
	if (result == DS_OK)
		result = parse_images_array(&p, root, "", out, n);
	cJSON_Delete(root);
	return result;
}

/* Release a list of images. */
void ds_model_images_free(struct ds_image *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		image_clear(&list[i]);
	free(list);
}

/* Parse /containers/json (an array of containers) into a new list. */
enum ds_code ds_model_parse_containers(struct ds_container **out,
				       size_t *n, const char *json,
				       size_t len, struct ds_err *err)
{
	struct pctx p = { "/containers/json", err };
	enum ds_code result;
	cJSON *root = NULL;

	*out = NULL;
	*n = 0;
	result = parse_root(&p, json, len, cJSON_Array, &root);
	if (result == DS_OK)
		result = parse_containers_array(&p, root, "", out, n);
	cJSON_Delete(root);
	return result;
}

/* Release a list of containers. */
void ds_model_containers_free(struct ds_container *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		container_clear(&list[i]);
	free(list);
}

/* Release what one image owns (ds_model_parse_image_inspect). */
void ds_model_image_free(struct ds_image *img)
{
	if (img)
		image_clear(img);
}

/*
 * Parse /images/{name}/json: Id, RepoTags, Parent, Created (RFC 3339),
 * Size (VirtualSize when Size is absent) and Config.Labels.
 */
enum ds_code ds_model_parse_image_inspect(struct ds_image *out,
					  const char *json, size_t len,
					  struct ds_err *err)
{
	struct pctx p = { "/images/{name}/json", err };
	enum ds_code result;
	struct ds_image img;
	const cJSON *config = NULL;
	const char *size_key;
	cJSON *root = NULL;
	char *s = NULL;

	memset(&img, 0, sizeof(img));
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "Id", 1, &s);
	if (result == DS_OK) {
		img.id = prefix_id(s);
		free(s);
		s = NULL;
		result = get_str(&p, root, NULL, "Parent", 0, &s);
	}
	if (result == DS_OK) {
		img.parent_id = prefix_id(s);
		free(s);
		if (!img.id || !img.parent_id)
			result = nomem(&p);
	}
	if (result == DS_OK) {
		size_key = member(root, "Size") ? "Size" : "VirtualSize";
		result = get_i64(&p, root, NULL, size_key, 0, &img.size);
	}
	if (result == DS_OK)
		result = get_time(&p, root, NULL, "Created", &img.created);
	if (result == DS_OK)
		result = read_tags(&p, root, NULL, &img);
	if (result == DS_OK)
		result = get_obj(&p, root, NULL, "Config", &config);
	if (result == DS_OK && config)
		result = read_labels(&p, config, "Config", &img.label_keys,
				     &img.label_values, &img.n_labels);
	img.shared_size = -1;
	img.containers = -1;
	cJSON_Delete(root);
	if (result != DS_OK)
		image_clear(&img);
	*out = img;
	return result;
}

/* Release what one history entry owns. */
static void history_clear(struct ds_history *h)
{
	free(h->id);
	free(h->created_by);
	free(h->comment);
	memset(h, 0, sizeof(*h));
}

/* Read one entry of /images/{name}/history. */
static enum ds_code parse_history_entry(const struct pctx *p,
					const cJSON *obj, const char *where,
					struct ds_history *h)
{
	enum ds_code result;
	char *id = NULL;

	memset(h, 0, sizeof(*h));
	if (!cJSON_IsObject(obj))
		return bad(p, where, NULL, "an object");
	result = get_str(p, obj, where, "Id", 0, &id);
	if (result == DS_OK) {
		/* "<missing>": a step whose image is not kept */
		h->id = *id == '<' || !*id ? strdup(*id ? id : "<missing>")
					    : prefix_id(id);
		if (!h->id)
			result = nomem(p);
	}
	free(id);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "Created", 0, &h->created);
	if (result == DS_OK)
		result = get_str(p, obj, where, "CreatedBy", 0,
				 &h->created_by);
	if (result == DS_OK)
		result = get_str(p, obj, where, "Comment", 0, &h->comment);
	if (result == DS_OK)
		result = get_i64(p, obj, where, "Size", 0, &h->size);
	if (result != DS_OK)
		history_clear(h);
	return result;
}

/* parse_history_entry for parse_array. */
static enum ds_code history_item(const struct pctx *p, const cJSON *obj,
				 const char *where, void *out)
{
	return parse_history_entry(p, obj, where, out);
}

/* Release one history entry, for parse_array. */
static void history_item_clear(void *item)
{
	history_clear(item);
}

/* Parse /images/{name}/history (an array, newest first) into a list. */
enum ds_code ds_model_parse_history(struct ds_history **out, size_t *n,
				    const char *json, size_t len,
				    struct ds_err *err)
{
	struct pctx p = { "/images/{name}/history", err };
	enum ds_code result;
	cJSON *root = NULL;

	*out = NULL;
	*n = 0;
	result = parse_root(&p, json, len, cJSON_Array, &root);
	if (result != DS_OK)
		return result;
	result = parse_array(&p, root, "", sizeof(**out), history_item,
			     history_item_clear, (void **)out, n);
	cJSON_Delete(root);
	return result;
}

/* Release a history list. */
void ds_model_history_free(struct ds_history *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		history_clear(&list[i]);
	free(list);
}

/* Decode text that is a JSON array of strings (an exec-form command). */
enum ds_code ds_model_parse_argv(char ***out, size_t *n, const char *text,
				 size_t len)
{
	enum ds_code result = DS_OK;
	const char *end = NULL;
	const cJSON *it, *list;
	cJSON *root;
	char **v = NULL;
	size_t count = 0, i;
	int total;

	*out = NULL;
	*n = 0;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root)
		return DS_E_PROTOCOL;
	for (i = (size_t)(end - text); i < len; i++)
		if (!is_space(text[i]))
			result = DS_E_PROTOCOL;
	if (result == DS_OK && !cJSON_IsArray(root))
		result = DS_E_PROTOCOL;
	total = result == DS_OK ? cJSON_GetArraySize(root) : 0;
	if (total > 0) {
		v = calloc((size_t)total, sizeof(*v));
		if (!v)
			result = DS_E_NOMEM;
	}
	list = result == DS_OK ? root : NULL;
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it)) {
			result = DS_E_PROTOCOL;
			break;
		}
		v[count] = strdup(it->valuestring);
		if (!v[count]) {
			result = DS_E_NOMEM;
			break;
		}
		count++;
	}
	cJSON_Delete(root);
	if (result != DS_OK) {
		free_strv(v, count);
		return result;
	}
	*out = v;
	*n = count;
	return DS_OK;
}

/* Free what ds_model_parse_argv returned. */
void ds_model_argv_free(char **argv, size_t n)
{
	free_strv(argv, n);
}

/*
 * The "driver-type" pair of /info's DriverStatus ([["key","value"],...];
 * [] on Podman, null on some engines): a new string, "" when absent.
 * Pairs of another shape are skipped, not an error.
 */
static enum ds_code driver_type(const struct pctx *p, const cJSON *root,
				char **out)
{
	enum ds_code result;
	const cJSON *list, *pair, *k, *v;
	const char *found = "";

	result = get_list(p, root, NULL, "DriverStatus", &list);
	if (result != DS_OK)
		return result;
	cJSON_ArrayForEach(pair, list) {
		k = cJSON_IsArray(pair) ? cJSON_GetArrayItem(pair, 0) : NULL;
		v = cJSON_IsArray(pair) ? cJSON_GetArrayItem(pair, 1) : NULL;
		if (cJSON_IsString(k) && cJSON_IsString(v) &&
		    strcmp(k->valuestring, "driver-type") == 0) {
			found = v->valuestring;
			break;
		}
	}
	*out = strdup(found);
	return *out ? DS_OK : nomem(p);
}

/* Parse /info: DockerRootDir, Driver, ServerVersion, DriverStatus's
 * driver-type and Containerd.Address ("" when absent). */
enum ds_code ds_model_parse_info(struct ds_info *out, const char *json,
				 size_t len, struct ds_err *err)
{
	struct pctx p = { "/info", err };
	enum ds_code result;
	struct ds_info info;
	const cJSON *containerd = NULL;
	cJSON *root = NULL;

	memset(&info, 0, sizeof(info));
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "DockerRootDir", 0,
				 &info.root_dir);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "Driver", 0, &info.driver);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "ServerVersion", 0,
				 &info.server_version);
	if (result == DS_OK)
		result = driver_type(&p, root, &info.driver_type);
	if (result == DS_OK)
		result = get_obj(&p, root, NULL, "Containerd", &containerd);
	if (result == DS_OK)
		result = get_str(&p, containerd, "Containerd", "Address", 0,
				 &info.containerd_address);
	cJSON_Delete(root);
	if (result != DS_OK)
		ds_model_info_free(&info);
	*out = info;
	return result;
}

/* Release a parsed /info; the struct is zeroed. */
void ds_model_info_free(struct ds_info *info)
{
	if (!info)
		return;
	free(info->root_dir);
	free(info->driver);
	free(info->server_version);
	free(info->driver_type);
	free(info->containerd_address);
	memset(info, 0, sizeof(*info));
}

/* Whether /version's Components has one named "Podman Engine". */
static enum ds_code find_podman(const struct pctx *p, const cJSON *root,
				int *is_podman)
{
	enum ds_code result;
	const cJSON *list, *it, *name;

	*is_podman = 0;
	result = get_list(p, root, NULL, "Components", &list);
	if (result != DS_OK || !list)
		return result;
	cJSON_ArrayForEach(it, list) {
		name = cJSON_IsObject(it) ?
		       cJSON_GetObjectItemCaseSensitive(it, "Name") : NULL;
		if (cJSON_IsString(name) &&
		    strcmp(name->valuestring, "Podman Engine") == 0)
			*is_podman = 1;
	}
	return DS_OK;
}

/* Parse /version: Version, ApiVersion, MinAPIVersion, Podman or not. */
enum ds_code ds_model_parse_version(struct ds_version *out,
				    const char *json, size_t len,
				    struct ds_err *err)
{
	struct pctx p = { "/version", err };
	enum ds_code result;
	struct ds_version v;
	cJSON *root = NULL;

	memset(&v, 0, sizeof(v));
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "Version", 0, &v.version);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "ApiVersion", 0,
				 &v.api_version);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "MinAPIVersion", 0,
				 &v.min_api_version);
	if (result == DS_OK)
		result = find_podman(&p, root, &v.is_podman);
	cJSON_Delete(root);
	if (result != DS_OK)
		ds_model_version_free(&v);
	*out = v;
	return result;
}

/* Release a parsed /version; the struct is zeroed. */
void ds_model_version_free(struct ds_version *v)
{
	if (!v)
		return;
	free(v->version);
	free(v->api_version);
	free(v->min_api_version);
	memset(v, 0, sizeof(*v));
}

/* The non-empty string member key of obj, or NULL. */
static const char *message_member(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(it) && *it->valuestring ? it->valuestring :
	       NULL;
}

/*
 * The message of one JSON error object: errorDetail.message (in-band
 * stream error), else message (Docker; Podman, whose cause repeats part
 * of it), else error; "" when it has such a key but it is empty; NULL
 * when it is not an error object at all.
 */
static const char *object_message(const cJSON *obj)
{
	const cJSON *detail;
	const char *m = NULL;

	if (!cJSON_IsObject(obj))
		return NULL;
	detail = cJSON_GetObjectItemCaseSensitive(obj, "errorDetail");
	if (cJSON_IsObject(detail))
		m = message_member(detail, "message");
	if (!m)
		m = message_member(obj, "message");
	if (!m)
		m = message_member(obj, "error");
	if (!m && (detail || cJSON_GetObjectItemCaseSensitive(obj, "message") ||
		   cJSON_GetObjectItemCaseSensitive(obj, "error")))
		m = "";
	return m;
}

/*
 * Find the error in a JSON body: the whole body as one object, else
 * (a stream of one object a line) the last line that is an error
 * object.  *keep receives the tree the message points into.
 */
static const char *json_message(const char *body, size_t len, cJSON **keep)
{
	const char *end = NULL, *line, *nl, *m = NULL, *lm;
	size_t i;
	cJSON *obj;

	*keep = NULL;
	obj = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (obj) {
		for (i = (size_t)(end - body); i < len; i++)
			if (!is_space(body[i]))
				break;
		if (i == len) {
			*keep = obj;
			return object_message(obj);
		}
		cJSON_Delete(obj);
	}
	for (line = body; line < body + len; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(body + len - line));
		if (!nl)
			nl = body + len;
		obj = cJSON_ParseWithLength(line, (size_t)(nl - line));
		lm = obj ? object_message(obj) : NULL;
		if (lm) {
			cJSON_Delete(*keep);
			*keep = obj;
			m = lm;
		} else {
			cJSON_Delete(obj);
		}
	}
	return m;
}

/* Whether the reply is JSON by its Content-Type or its first byte. */
static int looks_like_json(const char *content_type, const char *body,
			   size_t len)
{
	const char *s;
	size_t i;

	for (s = content_type; s && *s; s++)
		if ((s[0] == 'j' || s[0] == 'J') &&
		    (s[1] == 's' || s[1] == 'S') &&
		    (s[2] == 'o' || s[2] == 'O') &&
		    (s[3] == 'n' || s[3] == 'N'))
			return 1;
	for (i = 0; i < len && is_space(body[i]); i++)
		;
	return i < len && body[i] == '{';
}

/*
 * Copy text into out as one line: runs of white space or control bytes
 * that hold anything but plain spaces become one space, both ends are
 * trimmed, and a cut at n-1 bytes backs off to a UTF-8 boundary.
 */
static void fold_line(char *out, size_t n, const char *text, size_t len)
{
	size_t i = 0, o = 0, j;
	int odd;
	unsigned char c;

	while (i < len && (unsigned char)text[i] <= ' ')
		i++;
	while (i < len && o + 1 < n) {
		c = (unsigned char)text[i];
		if (c > ' ' && c != 0x7f) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		odd = 0;
		for (j = i; j < len && ((unsigned char)text[j] <= ' ' ||
					(unsigned char)text[j] == 0x7f); j++)
			odd |= text[j] != ' ';
		if (j == len)
			break;
		if (odd) {
			out[o++] = ' ';
		} else {
			while (i < j && o + 1 < n)
				out[o++] = text[i++];
		}
		i = j;
	}
	if (i < len && o > 0 && ((unsigned char)text[i] & 0xc0) == 0x80) {
		/* Cut inside a character: drop its leading bytes too. */
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0xc0)
			o--;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The one-line message of an error reply, whatever its shape. */
void ds_model_error_message(char *out, size_t n, const char *content_type,
			    const char *body, size_t len)
{
	const char *m = NULL;
	cJSON *keep = NULL;

	if (!out || n == 0)
		return;
	out[0] = '\0';
	if (!body || len == 0)
		return;
	if (looks_like_json(content_type, body, len))
		m = json_message(body, len, &keep);
	if (m)
		fold_line(out, n, m, strlen(m));
	else
		fold_line(out, n, body, len);
	cJSON_Delete(keep);
}

/* Whether s is exactly 64 lower-case hex digits (a bare image ID). */
static int is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return s[64] == '\0';
}

/* Whether s is an image ID, with or without "sha256:". */
static int is_image_id(const char *s)
{
	return is_hex64(starts_with(s, "sha256:") ? s + 7 : s);
}

/* Podman's event names for what Docker calls otherwise. */
static const char *event_action(const char *type, const char *action)
{
	static const char *const map[][3] = {
		{ "container", "remove", "destroy" },
		{ "image", "loadfromarchive", "load" },
		{ "image", "remove", "delete" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(type, map[i][0]) == 0 &&
		    strcmp(action, map[i][1]) == 0)
			return map[i][2];
	return action;
}

/*
 * Fill ev's id and name from the Actor's ID and "name" attribute, as
 * model.h describes: for an image, an ID that is a reference (Docker's
 * pull and push) is the name, a name that is an ID only fills a missing
 * ID, and IDs carry "sha256:".
 */
static enum ds_code event_names(struct ds_event *ev, const char *id,
				const char *raw)
{
	const char *ref = raw;
	char *s = NULL;

	if (strcmp(ev->type, "image") != 0) {
		ev->id = strdup(id);
		ev->name = strdup(raw);
		return ev->id && ev->name ? DS_OK : DS_E_NOMEM;
	}
	if (*id && !is_image_id(id)) {
		ref = id;
		id = "";
	} else if (!*id && is_image_id(raw)) {
		id = raw;
	}
	ev->id = prefix_id(id);
	if (!ev->id)
		return DS_E_NOMEM;
	if (is_image_id(ref))
		ref = "";
	if (normalise(ref, &s) != DS_OK)
		return DS_E_NOMEM;
	ev->name = s ? s : strdup("");
	return ev->name ? DS_OK : DS_E_NOMEM;
}

/* Parse one /events line (see model.h). */
enum ds_code ds_model_parse_event(struct ds_event *out, const char *json,
				  size_t len, struct ds_err *err)
{
	struct pctx p = { "/events", err };
	enum ds_code result;
	struct ds_event ev;
	const cJSON *actor = NULL, *attrs = NULL;
	cJSON *root = NULL;
	char *raw_name = NULL, *action = NULL, *id = NULL;
	const char *mapped;

	memset(&ev, 0, sizeof(ev));
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "Type", 0, &ev.type);
	if (result == DS_OK)
		result = get_str(&p, root, NULL, "Action", 0, &action);
	if (result == DS_OK && !*action) { /* before API 1.22: "status" */
		free(action);
		result = get_str(&p, root, NULL, "status", 0, &action);
	}
	if (result == DS_OK)
		result = get_obj(&p, root, NULL, "Actor", &actor);
	if (result == DS_OK && actor)
		result = get_str(&p, actor, "Actor", "ID", 0, &id);
	if (result == DS_OK && (!id || !*id)) {
		free(id);
		result = get_str(&p, root, NULL, "id", 0, &id);
	}
	if (result == DS_OK && actor)
		result = get_obj(&p, actor, "Actor", "Attributes", &attrs);
	if (result == DS_OK)
		result = get_str(&p, attrs, "Actor.Attributes", "name", 0,
				 &raw_name);
	if (result == DS_OK)
		result = get_i64(&p, root, NULL, "time", 0, &ev.time);
	if (result == DS_OK) {
		mapped = event_action(ev.type, action);
		ev.action = strdup(mapped);
		if (!ev.action || event_names(&ev, id, raw_name) != DS_OK)
			result = nomem(&p);
	}
	cJSON_Delete(root);
	free(raw_name);
	free(action);
	free(id);
	if (result != DS_OK)
		ds_model_event_free(&ev);
	*out = ev;
	return result;
}

/* Release a parsed event; the struct is zeroed. */
void ds_model_event_free(struct ds_event *ev)
{
	if (!ev)
		return;
	free(ev->type);
	free(ev->action);
	free(ev->id);
	free(ev->name);
	memset(ev, 0, sizeof(*ev));
}

/* The reply of POST /build/prune: does CachesDeleted name id? */
enum ds_code ds_model_build_prune_deleted(int *deleted, const char *id,
					  const char *json, size_t len,
					  struct ds_err *err)
{
	struct pctx p = { "/build/prune", err };
	enum ds_code result;
	const cJSON *list = NULL, *it;
	cJSON *root = NULL;

	*deleted = 0;
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = get_list(&p, root, "", "CachesDeleted", &list);
	if (result == DS_OK)
		cJSON_ArrayForEach(it, list)
			if (cJSON_IsString(it) && strcmp(it->valuestring, id) == 0)
				*deleted = 1;
	cJSON_Delete(root);
	return result;
}

/* Parse /containers/{id}/json for its State.Status ("" when unknown). */
enum ds_code ds_model_parse_container_state(char **state, const char *json,
					    size_t len, struct ds_err *err)
{
	struct pctx p = { "/containers/{id}/json", err };
	enum ds_code result;
	const cJSON *st = NULL;
	cJSON *root = NULL;

	*state = NULL;
	result = parse_root(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = get_obj(&p, root, NULL, "State", &st);
	if (result == DS_OK && st)
		result = get_str(&p, st, "State", "Status", 0, state);
	else if (result == DS_OK && !(*state = strdup("")))
		result = nomem(&p);
	cJSON_Delete(root);
	return result;
}

/* The first error of a POST /images/load answer (see model.h). */
int ds_model_load_error(char *msg, size_t n, const char *body, size_t len)
{
	const char *line = body, *end = body + len, *nl;
	cJSON *obj, *e;
	int found = 0;

	msg[0] = '\0';
	while (!found && line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		while (line < nl && (*line == ' ' || *line == '\r'))
			line++;
		if (line < nl) {
			obj = cJSON_ParseWithLength(line, (size_t)(nl - line));
			e = obj ? cJSON_GetObjectItemCaseSensitive(obj, "error")
				: NULL;
			if (!obj) {
				snprintf(msg, n, "%.*s", (int)(nl - line), line);
				found = 1;
			} else if (cJSON_IsString(e) && e->valuestring[0]) {
				snprintf(msg, n, "%s", e->valuestring);
				found = 1;
			}
			cJSON_Delete(obj);
		}
		line = nl + 1;
	}
	return found;
}

/* An image manifest's config digest. */
enum ds_code ds_model_manifest_config(char *out, size_t n, const char *json,
				      size_t len, struct ds_err *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len), *cfg, *d;

	cfg = root ? cJSON_GetObjectItemCaseSensitive(root, "config") : NULL;
	d = cfg ? cJSON_GetObjectItemCaseSensitive(cfg, "digest") : NULL;
	if (!cJSON_IsString(d) || strlen(d->valuestring) >= n) {
		cJSON_Delete(root);
		out[0] = '\0';
		return ds_err_set(err, DS_E_PROTOCOL, "an image manifest "
				  "without a config digest");
	}
	snprintf(out, n, "%s", d->valuestring);
	cJSON_Delete(root);
	return DS_OK;
}

/* Free a parsed manifest.json. */
void ds_model_save_manifest_free(struct ds_save_manifest *m)
{
	size_t i;

	for (i = 0; m->ids && i < m->n; i++)
		free(m->ids[i]);
	for (i = 0; m->tags && m->first && i < m->first[m->n]; i++)
		free(m->tags[i]);
	free(m->ids);
	free(m->first);
	free(m->tags);
	memset(m, 0, sizeof(*m));
}

/* The manifest.json of a `docker save` archive. */
enum ds_code ds_model_parse_save_manifest(struct ds_save_manifest *out,
					  const char *json, size_t len,
					  struct ds_err *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len), *img, *cfg, *tags, *t;
	size_t n, ntags = 0, k = 0, i = 0;
	const char *name;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return ds_err_set(err, DS_E_PROTOCOL, "manifest.json is not "
				  "a list of images");
	}
	n = (size_t)cJSON_GetArraySize(root);
	cJSON_ArrayForEach(img, root) {
		tags = cJSON_GetObjectItemCaseSensitive(img, "RepoTags");
		ntags += cJSON_IsArray(tags) ? (size_t)cJSON_GetArraySize(tags)
					     : 0;
	}
	out->ids = calloc(n + 1, sizeof(*out->ids));
	out->first = calloc(n + 1, sizeof(*out->first));
	out->tags = calloc(ntags + 1, sizeof(*out->tags));
	if (!out->ids || !out->first || !out->tags)
		goto nomem;
	cJSON_ArrayForEach(img, root) {
		cfg = cJSON_GetObjectItemCaseSensitive(img, "Config");
		tags = cJSON_GetObjectItemCaseSensitive(img, "RepoTags");
		if (!cJSON_IsString(cfg))
			continue;
		name = strrchr(cfg->valuestring, '/');
		name = name ? name + 1 : cfg->valuestring;
		out->ids[i] = malloc(strlen(name) + 8);
		if (!out->ids[i])
			goto nomem;
		snprintf(out->ids[i], strlen(name) + 8, "sha256:%.*s",
			 (int)strcspn(name, "."), name);
		out->first[i] = k;
		out->n = ++i;
		out->first[i] = k;
		cJSON_ArrayForEach(t, tags) {
			if (!cJSON_IsString(t))
				continue;
			if (!(out->tags[k] = strdup(t->valuestring)))
				goto nomem;
			out->first[i] = ++k;
		}
	}
	cJSON_Delete(root);
	return DS_OK;
nomem:
	cJSON_Delete(root);
	ds_model_save_manifest_free(out);
	return ds_err_set(err, DS_E_NOMEM, "out of memory");
}
