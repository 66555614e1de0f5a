/*
 * model_images.c: the image replies turned into structs (see model.h):
 * /images/json and the image rows of /system/df (Podman's per-tag rows
 * merged by ID), /images/{name}/json, /images/{name}/history, the
 * exec-form commands history steps carry, and what a hand-off reads:
 * /images/load's answer, a manifest's config, `docker save`'s
 * manifest.json.  Reads through json.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"
#include "model_read.h"
#include "ref.h"

/* An ID with the "sha256:" Podman leaves out; "" stays "". */
char *ds_model_prefix_id(const char *id)
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

/* ref's familiar form as a new string (model_read.h). */
enum ds_code ds_model_ref_dup(const char *ref, char **out)
{
	const char *f = ds_ref_familiar(ref);

	*out = NULL;
	if (!f)
		return DS_OK;
	*out = strdup(f);
	return *out ? DS_OK : DS_E_NOMEM;
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

/* Whether img has the normalised tag. */
int ds_model_has_tag(const struct ds_image *img, const char *tag)
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
static enum ds_code read_tags(const struct ds_json_ctx *p, const cJSON *obj,
			      const char *where, struct ds_image *img)
{
	enum ds_code result;
	const cJSON *list, *it;
	char *tag, *raw;

	result = ds_json_list(p, obj, where, "RepoTags", &list);
	if (result != DS_OK || !list)
		return result;
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it))
			return ds_json_bad(p, where, "RepoTags",
					   "an array of strings");
		if (ds_model_ref_dup(it->valuestring, &tag) != DS_OK)
			return ds_json_nomem(p);
		if (!tag)
			continue;
		if (ds_model_has_tag(img, tag)) {
			free(tag);
			continue;
		}
		raw = strdup(it->valuestring);
		if (!raw) {
			free(tag);
			return ds_json_nomem(p);
		}
		if (push_tag(img, tag, raw) != DS_OK)
			return ds_json_nomem(p);
	}
	return DS_OK;
}

/* Read a Labels object of strings into parallel key/value arrays. */
static enum ds_code read_labels(const struct ds_json_ctx *p, const cJSON *obj,
				const char *where, char ***keys,
				char ***values, size_t *n)
{
	enum ds_code result;
	const cJSON *labels, *it;
	char path[96];
	int count;

	result = ds_json_obj(p, obj, where, "Labels", &labels);
	if (result != DS_OK || !labels)
		return result;
	count = cJSON_GetArraySize(labels);
	if (count <= 0)
		return DS_OK;
	*keys = calloc((size_t)count, sizeof(**keys));
	*values = calloc((size_t)count, sizeof(**values));
	if (!*keys || !*values)
		return ds_json_nomem(p);
	cJSON_ArrayForEach(it, labels) {
		if (!cJSON_IsString(it)) {
			ds_json_join_path(path, sizeof(path), where, "Labels");
			return ds_json_bad(p, path, it->string, "a string");
		}
		(*keys)[*n] = strdup(it->string);
		(*values)[*n] = strdup(it->valuestring);
		(*n)++;
		if (!(*keys)[*n - 1] || !(*values)[*n - 1])
			return ds_json_nomem(p);
	}
	return DS_OK;
}

/* Read one image object (from /images/json or /system/df). */
static enum ds_code parse_image(const struct ds_json_ctx *p, const cJSON *obj,
				const char *where, struct ds_image *img)
{
	enum ds_code result;
	char *s = NULL;
	const char *size_key;

	memset(img, 0, sizeof(*img));
	if (!cJSON_IsObject(obj)) {
		result = ds_json_bad(p, where, NULL, "an object");
		goto done;
	}
	result = ds_json_str(p, obj, where, "Id", 1, &s);
	if (result != DS_OK)
		goto done;
	img->id = ds_model_prefix_id(s);
	free(s);
	result = ds_json_str(p, obj, where, "ParentId", 0, &s);
	if (result != DS_OK)
		goto done;
	img->parent_id = ds_model_prefix_id(s);
	free(s);
	if (!img->id || !img->parent_id) {
		result = ds_json_nomem(p);
		goto done;
	}
	/* VirtualSize (gone in 1.44) equalled Size; read it only as a
	 * fallback: Podman's /system/df sends it as 0. */
	size_key = ds_json_member(obj, "Size") ? "Size" : "VirtualSize";
	result = ds_json_i64(p, obj, where, size_key, 0, &img->size);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "SharedSize", 0,
				 &img->shared_size);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "Containers", 0,
				 &img->containers);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "Created", 0,
				     &img->created);
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
		if (ds_model_has_tag(dst, img->tags[i]))
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

/*
 * Read an array of images into a new list, merging rows with the same
 * ID: Podman's /system/df has one row per tag, each with only the tag
 * ("latest"), so an image is counted once with all its tags.  Docker's
 * IDs are unique and pass through unchanged.  A hash table keeps this
 * linear for engines with thousands of images.
 */
enum ds_code ds_model_read_images(const struct ds_json_ctx *p,
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
		result = ds_json_nomem(p);
		goto done;
	}
	cJSON_ArrayForEach(it, arr) {
		ds_json_item_path(where, sizeof(where), name, k++);
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
			result = ds_json_nomem(p);
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

/* Parse /images/json (an array of images) into a new list. */
enum ds_code ds_model_parse_images(struct ds_image **out, size_t *n,
				   const char *json, size_t len,
				   struct ds_err *err)
{
	struct ds_json_ctx p = { "/images/json", err };
	enum ds_code result;
	cJSON *root = NULL;

	*out = NULL;
	*n = 0;
	result = ds_json_parse(&p, json, len, cJSON_Array, &root);
	if (result == DS_OK)
		result = ds_model_read_images(&p, root, "", out, n);
	cJSON_Delete(root);
	return result;
}

/* Release one image, for ds_json_array_free. */
static void image_item_clear(void *item)
{
	image_clear(item);
}

/* Release a list of images. */
void ds_model_images_free(struct ds_image *list, size_t n)
{
	ds_json_array_free(list, n, sizeof(*list), image_item_clear);
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
	struct ds_json_ctx p = { "/images/{name}/json", err };
	enum ds_code result;
	struct ds_image img;
	const cJSON *config = NULL;
	const char *size_key;
	cJSON *root = NULL;
	char *s = NULL;

	memset(&img, 0, sizeof(img));
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "Id", 1, &s);
	if (result == DS_OK) {
		img.id = ds_model_prefix_id(s);
		free(s);
		s = NULL;
		result = ds_json_str(&p, root, NULL, "Parent", 0, &s);
	}
	if (result == DS_OK) {
		img.parent_id = ds_model_prefix_id(s);
		free(s);
		if (!img.id || !img.parent_id)
			result = ds_json_nomem(&p);
	}
	if (result == DS_OK) {
		size_key = ds_json_member(root, "Size") ? "Size"
							 : "VirtualSize";
		result = ds_json_i64(&p, root, NULL, size_key, 0, &img.size);
	}
	if (result == DS_OK)
		result = ds_json_time(&p, root, NULL, "Created", &img.created);
	if (result == DS_OK)
		result = read_tags(&p, root, NULL, &img);
	if (result == DS_OK)
		result = ds_json_obj(&p, root, NULL, "Config", &config);
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
static enum ds_code parse_history_entry(const struct ds_json_ctx *p,
					const cJSON *obj, const char *where,
					struct ds_history *h)
{
	enum ds_code result;
	char *id = NULL;

	memset(h, 0, sizeof(*h));
	if (!cJSON_IsObject(obj))
		return ds_json_bad(p, where, NULL, "an object");
	result = ds_json_str(p, obj, where, "Id", 0, &id);
	if (result == DS_OK) {
		/* "<missing>": a step whose image is not kept */
		h->id = *id == '<' || !*id ? strdup(*id ? id : "<missing>")
					    : ds_model_prefix_id(id);
		if (!h->id)
			result = ds_json_nomem(p);
	}
	free(id);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "Created", 0, &h->created);
	if (result == DS_OK)
		result = ds_json_str(p, obj, where, "CreatedBy", 0,
				 &h->created_by);
	if (result == DS_OK)
		result = ds_json_str(p, obj, where, "Comment", 0, &h->comment);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "Size", 0, &h->size);
	if (result != DS_OK)
		history_clear(h);
	return result;
}

/* parse_history_entry for parse_array. */
static enum ds_code history_item(const struct ds_json_ctx *p, const cJSON *obj,
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
	struct ds_json_ctx p = { "/images/{name}/history", err };

	return ds_json_parse_array(&p, json, len, sizeof(**out), history_item,
				   history_item_clear, (void **)out, n);
}

/* Release a history list. */
void ds_model_history_free(struct ds_history *list, size_t n)
{
	ds_json_array_free(list, n, sizeof(*list), history_item_clear);
}

/* Decode text that is a JSON array of strings (an exec-form command). */
enum ds_code ds_model_parse_argv(char ***out, size_t *n, const char *text,
				 size_t len)
{
	enum ds_code result = DS_OK;
	const cJSON *it, *list;
	cJSON *root;
	char **v = NULL;
	size_t count = 0;
	int total;

	*out = NULL;
	*n = 0;
	root = ds_json_parse_text(text, len, 1, NULL);
	if (!root)
		return DS_E_PROTOCOL;
	if (!cJSON_IsArray(root))
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
