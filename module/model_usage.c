/*
 * model_usage.c: the disk-usage replies turned into structs (see
 * model.h): /system/df (its containers, volumes and build-cache lists,
 * and each line of `docker system df` computed as the docker CLI does),
 * /containers/json and /containers/{id}/json.  Reads through json.h;
 * the image rows are model_images.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"
#include "model_read.h"
#include "ref.h"

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
static enum ds_code parse_container(const struct ds_json_ctx *p,
				    const cJSON *obj,
				    const char *where, struct ds_container *c)
{
	enum ds_code result;
	const cJSON *names = NULL, *first;
	char *s = NULL;
	const char *name = "";

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(obj)) {
		result = ds_json_bad(p, where, NULL, "an object");
		goto done;
	}
	result = ds_json_str(p, obj, where, "Id", 1, &c->id);
	if (result == DS_OK)
		result = ds_json_list(p, obj, where, "Names", &names);
	if (result != DS_OK)
		goto done;
	first = names ? cJSON_GetArrayItem(names, 0) : NULL;
	if (first) {
		if (!cJSON_IsString(first)) {
			result = ds_json_bad(p, where, "Names",
					     "an array of strings");
			goto done;
		}
		name = first->valuestring;
		if (*name == '/')
			name++;
	}
	c->name = strdup(name);
	if (!c->name) {
		result = ds_json_nomem(p);
		goto done;
	}
	result = ds_json_str(p, obj, where, "Image", 0, &c->image);
	if (result == DS_OK)
		result = ds_json_str(p, obj, where, "ImageID", 0, &s);
	if (result != DS_OK)
		goto done;
	c->image_id = ds_model_prefix_id(s);
	if (!c->image_id) {
		result = ds_json_nomem(p);
		goto done;
	}
	result = ds_json_str(p, obj, where, "State", 0, &c->state);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "SizeRw", 0, &c->size_rw);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "Created", 0, &c->created);
done:
	free(s);
	if (result != DS_OK)
		container_clear(c);
	return result;
}

/* parse_container and container_clear for parse_array. */
static enum ds_code container_item(const struct ds_json_ctx *p,
				   const cJSON *obj,
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
static enum ds_code parse_containers_array(const struct ds_json_ctx *p,
					   const cJSON *arr, const char *name,
					   struct ds_container **out,
					   size_t *n)
{
	return ds_json_array(p, arr, name, sizeof(**out), container_item,
			   container_item_clear, (void **)out, n);
}

/* Read one volume object; no UsageData means size and refs unknown. */
static enum ds_code parse_volume(const struct ds_json_ctx *p, const cJSON *obj,
				 const char *where, struct ds_volume *v)
{
	enum ds_code result;
	const cJSON *usage;
	char path[96];

	memset(v, 0, sizeof(*v));
	if (!cJSON_IsObject(obj))
		return ds_json_bad(p, where, NULL, "an object");
	result = ds_json_obj(p, obj, where, "UsageData", &usage);
	if (result != DS_OK)
		return result;
	v->size = -1;
	v->ref_count = -1;
	if (usage) {
		ds_json_join_path(path, sizeof(path), where, "UsageData");
		result = ds_json_i64(p, usage, path, "Size", 0, &v->size);
		if (result == DS_OK)
			result = ds_json_i64(p, usage, path, "RefCount", 0,
					 &v->ref_count);
		if (result != DS_OK)
			return result;
	}
	result = ds_json_time(p, obj, where, "CreatedAt", &v->created);
	if (result != DS_OK)
		return result;
	return ds_json_str(p, obj, where, "Name", 1, &v->name);
}

/* parse_volume for parse_array. */
static enum ds_code volume_item(const struct ds_json_ctx *p, const cJSON *obj,
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
static enum ds_code parse_volumes_array(const struct ds_json_ctx *p,
					const cJSON *arr, const char *name,
					struct ds_volume **out, size_t *n)
{
	return ds_json_array(p, arr, name, sizeof(**out), volume_item,
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
static enum ds_code get_parents(const struct ds_json_ctx *p, const cJSON *obj,
				const char *where, struct ds_cache *c)
{
	enum ds_code result;
	const cJSON *list = NULL, *it;
	char *one = NULL;
	size_t n = 0;

	result = ds_json_list(p, obj, where, "Parents", &list);
	if (result == DS_OK && !list)
		result = ds_json_list(p, obj, where, " Parents", &list);
	if (result != DS_OK)
		return result;
	if (!list) {
		result = ds_json_str(p, obj, where, "Parent", 0, &one);
		if (result != DS_OK || !*one) {
			free(one);
			return result;
		}
		c->parents = malloc(sizeof(*c->parents));
		if (!c->parents) {
			free(one);
			return ds_json_nomem(p);
		}
		c->parents[0] = one;
		c->n_parents = 1;
		return DS_OK;
	}
	c->parents = calloc((size_t)cJSON_GetArraySize(list) + 1,
			    sizeof(*c->parents));
	if (!c->parents)
		return ds_json_nomem(p);
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it))
			return ds_json_bad(p, where, "Parents",
					   "an array of strings");
		if (!*it->valuestring)
			continue;
		c->parents[n] = strdup(it->valuestring);
		if (!c->parents[n])
			return ds_json_nomem(p);
		c->n_parents = ++n;
	}
	return DS_OK;
}

/* Read one build-cache record. */
static enum ds_code parse_cache(const struct ds_json_ctx *p, const cJSON *obj,
				const char *where, struct ds_cache *c)
{
	enum ds_code result;

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(obj))
		return ds_json_bad(p, where, NULL, "an object");
	result = ds_json_str(p, obj, where, "ID", 1, &c->id);
	if (result == DS_OK)
		result = ds_json_str(p, obj, where, "Type", 0, &c->type);
	if (result == DS_OK)
		result = ds_json_str(p, obj, where, "Description", 0,
				 &c->description);
	if (result == DS_OK)
		result = ds_json_flag(p, obj, where, "InUse", &c->in_use);
	if (result == DS_OK)
		result = ds_json_flag(p, obj, where, "Shared", &c->shared);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "Size", 0, &c->size);
	if (result == DS_OK)
		result = ds_json_time(p, obj, where, "CreatedAt",
				      &c->created_at);
	if (result == DS_OK)
		result = ds_json_time(p, obj, where, "LastUsedAt",
				  &c->last_used_at);
	if (result == DS_OK)
		result = ds_json_i64(p, obj, where, "UsageCount", 0,
				 &c->usage_count);
	if (result == DS_OK)
		result = get_parents(p, obj, where, c);
	if (result != DS_OK)
		cache_clear(c);
	return result;
}

/* parse_cache for parse_array. */
static enum ds_code cache_item(const struct ds_json_ctx *p, const cJSON *obj,
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
static enum ds_code parse_cache_array(const struct ds_json_ctx *p,
				      const cJSON *arr, const char *name,
				      struct ds_cache **out, size_t *n)
{
	return ds_json_array(p, arr, name, sizeof(**out), cache_item,
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
static enum ds_code read_usage(const struct ds_json_ctx *p, const cJSON *u,
			       const char *where, struct ds_usage_row *row)
{
	enum ds_code result;

	result = ds_json_i64(p, u, where, "TotalCount", 0, &row->total);
	if (result == DS_OK)
		result = ds_json_i64(p, u, where, "ActiveCount", 0,
				     &row->active);
	if (result == DS_OK)
		result = ds_json_i64(p, u, where, "TotalSize", 0, &row->size);
	if (result == DS_OK)
		result = ds_json_i64(p, u, where, "Reclaimable", 0,
				 &row->reclaimable);
	return result;
}

/* The list for one /system/df section: the legacy key, else the
 * API 1.52 summary's Items (a verbose reply has only those). */
static enum ds_code df_section(const struct ds_json_ctx *p, const cJSON *root,
			       const char *legacy, const char *summary,
			       const cJSON **usage, const cJSON **list,
			       char *name, size_t n)
{
	enum ds_code result;

	*list = NULL;
	result = ds_json_obj(p, root, NULL, summary, usage);
	if (result == DS_OK)
		result = ds_json_list(p, root, NULL, legacy, list);
	if (result != DS_OK)
		return result;
	ds_json_join_path(name, n, legacy, NULL);
	if (*list || !*usage)
		return DS_OK;
	ds_json_join_path(name, n, summary, "Items");
	return ds_json_list(p, *usage, summary, "Items", list);
}

/* Parse /system/df into out (see model.h). */
enum ds_code ds_model_parse_df(struct ds_df *out, const char *json,
			       size_t len, struct ds_err *err)
{
	struct ds_json_ctx p = { "/system/df", err };
	enum ds_code result;
	struct ds_df df;
	cJSON *root = NULL;
	const cJSON *u_img = NULL, *u_ctr = NULL, *u_vol = NULL, *u_bc = NULL;
	const cJSON *list = NULL;
	char name[32];

	memset(&df, 0, sizeof(df));
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result != DS_OK)
		goto done;
	result = ds_json_i64(&p, root, NULL, "LayersSize", 0, &df.layers_size);
	if (result != DS_OK)
		goto done;

	result = df_section(&p, root, "Images", "ImageUsage", &u_img, &list,
			    name, sizeof(name));
	if (result == DS_OK)
		result = ds_model_read_images(&p, list, name, &df.image_list,
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
	if (!ds_json_member(root, "LayersSize") && u_img) {
		result = ds_json_i64(&p, u_img, "ImageUsage", "TotalSize", 0,
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
	result = u_img && !df.n_images && !ds_json_member(root, "Images")
		 ? read_usage(&p, u_img, "ImageUsage", &df.images)
		 : (sum_images(&df), DS_OK);
	if (result == DS_OK && u_ctr && !df.n_containers &&
	    !ds_json_member(root, "Containers"))
		result = read_usage(&p, u_ctr, "ContainerUsage",
				    &df.containers);
	else if (result == DS_OK)
		sum_containers(&df);
	if (result == DS_OK && u_vol && !df.n_volumes &&
	    !ds_json_member(root, "Volumes"))
		result = read_usage(&p, u_vol, "VolumeUsage", &df.volumes);
	else if (result == DS_OK)
		sum_volumes(&df);
	if (result == DS_OK && u_bc && !df.n_cache &&
	    !ds_json_member(root, "BuildCache"))
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
	if (!df)
		return;
	ds_model_images_free(df->image_list, df->n_images);
	ds_model_containers_free(df->container_list, df->n_containers);
	ds_json_array_free(df->volume_list, df->n_volumes,
			   sizeof(*df->volume_list), volume_item_clear);
	ds_json_array_free(df->cache_list, df->n_cache,
			   sizeof(*df->cache_list), cache_item_clear);
	memset(df, 0, sizeof(*df));
}

/* Parse /containers/json (an array of containers) into a new list. */
enum ds_code ds_model_parse_containers(struct ds_container **out,
				       size_t *n, const char *json,
				       size_t len, struct ds_err *err)
{
	struct ds_json_ctx p = { "/containers/json", err };

	return ds_json_parse_array(&p, json, len, sizeof(**out),
				   container_item, container_item_clear,
				   (void **)out, n);
}

/* Release a list of containers. */
void ds_model_containers_free(struct ds_container *list, size_t n)
{
	ds_json_array_free(list, n, sizeof(*list), container_item_clear);
}

/* Parse /containers/{id}/json for its State.Status ("" when unknown). */
enum ds_code ds_model_parse_container_state(char **state, const char *json,
					    size_t len, struct ds_err *err)
{
	struct ds_json_ctx p = { "/containers/{id}/json", err };
	enum ds_code result;
	const cJSON *st = NULL;
	cJSON *root = NULL;

	*state = NULL;
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = ds_json_obj(&p, root, NULL, "State", &st);
	if (result == DS_OK && st)
		result = ds_json_str(&p, st, "State", "Status", 0, state);
	else if (result == DS_OK && !(*state = strdup("")))
		result = ds_json_nomem(&p);
	cJSON_Delete(root);
	return result;
}

/* Parse /volumes/{name}: one volume object. */
enum ds_code ds_model_parse_volume(struct ds_volume *out, const char *json,
				   size_t len, struct ds_err *err)
{
	struct ds_json_ctx p = { "/volumes/{name}", err };
	enum ds_code result;
	cJSON *root = NULL;

	memset(out, 0, sizeof(*out));
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = parse_volume(&p, root, NULL, out);
	cJSON_Delete(root);
	if (result != DS_OK)
		ds_model_volume_free(out);
	return result;
}

/* Release what one volume owns; the struct is zeroed. */
void ds_model_volume_free(struct ds_volume *v)
{
	if (!v)
		return;
	free(v->name);
	memset(v, 0, sizeof(*v));
}
