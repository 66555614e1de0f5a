/* usage.c: the disk usage summary as a table or JSON (see usage.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "table.h"
#include "units.h"
#include "usage.h"

#define OVERLAP_NOTE "images and build cache overlap"

/* docker's tabwriter: every column but the last at least 10 wide,
 * padding included, and 3 spaces of padding. */
static const struct ds_table_col usage_cols[] = {
	{ "TYPE", DS_TABLE_LEFT, 7, 3, DS_TABLE_LEFT, 0 },
	{ "TOTAL", DS_TABLE_LEFT, 7, 3, DS_TABLE_LEFT, 0 },
	{ "ACTIVE", DS_TABLE_LEFT, 7, 3, DS_TABLE_LEFT, 0 },
	{ "SIZE", DS_TABLE_LEFT, 7, 3, DS_TABLE_LEFT, 0 },
	{ "RECLAIMABLE", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
};

/* Add one usage line's cells. */
static void usage_row(struct ds_table *t, const char *type,
		      const struct ds_usage_row *r, int percent)
{
	char size[32], recl[32];
	int64_t size_b = r->size > 0 ? r->size : 0;
	int64_t recl_b = r->reclaimable > 0 ? r->reclaimable : 0;

	ds_table_add(t, type);
	ds_table_addf(t, "%" PRId64, r->total);
	ds_table_addf(t, "%" PRId64, r->active);
	ds_table_add(t, ds_size_human((uint64_t)size_b, size, sizeof(size)));
	ds_size_human((uint64_t)recl_b, recl, sizeof(recl));
	if (percent && size_b > 0)
		ds_table_addf(t, "%s (%" PRId64 "%%)", recl,
			      recl_b * 100 / size_b);
	else
		ds_table_add(t, recl);
}

/* Append the table, padded as docker's tabwriter (min 10, padding 3). */
enum ds_code ds_usage_table(struct ds_buf *out, const struct ds_df *df,
			    const struct ds_space *space)
{
	struct ds_table t;
	struct ds_buf last = DS_BUF_INIT;
	char free_h[32], total_h[32];
	enum ds_code result;

	ds_table_init(&t, usage_cols, 5);
	usage_row(&t, "Images", &df->images, 1);
	usage_row(&t, "Containers", &df->containers, 1);
	usage_row(&t, "Local Volumes", &df->volumes, 1);
	usage_row(&t, "Build Cache", &df->cache, 0);
	ds_size_human(space->free, free_h, sizeof(free_h));
	ds_size_human(space->total, total_h, sizeof(total_h));
	ds_table_add(&t, "Free space");
	ds_table_add(&t, "");
	ds_table_add(&t, "");
	ds_table_add(&t, free_h);
	if (space->mode == DS_SPACE_BUDGET)
		ds_buf_printf(&last, "of budget %s", total_h);
	else
		ds_buf_printf(&last, "of %s", total_h);
	if (space->mode == DS_SPACE_FS)
		ds_buf_printf(&last, " on %s", space->path);
	if (space->mode == DS_SPACE_SSH)
		ds_buf_printf(&last, " on %s at %s (df over ssh)", space->path,
			      space->host);
	if ((space->mode == DS_SPACE_FS || space->mode == DS_SPACE_SSH) &&
	    space->store != DS_STORE_DATA_ROOT)
		ds_buf_printf(&last, " (%s; %s)", ds_store_name(space->store),
			      OVERLAP_NOTE);
	result = ds_buf_error(&last);
	if (result == DS_OK)
		result = ds_table_add(&t, last.ptr);
	if (result == DS_OK)
		result = ds_table_text(out, &t, 0);
	ds_table_free(&t);
	ds_buf_free(&last);
	return result;
}

/* Write one usage row as a JSON member. */
static void json_row(struct ds_jsonw *w, const char *key,
		     const struct ds_usage_row *r)
{
	ds_jsonw_key(w, key);
	ds_jsonw_object(w);
	ds_jsonw_kint(w, "total", r->total);
	ds_jsonw_kint(w, "active", r->active);
	ds_jsonw_kint(w, "size", r->size > 0 ? r->size : 0);
	ds_jsonw_kint(w, "reclaimable", r->reclaimable > 0 ? r->reclaimable
		      : 0);
	ds_jsonw_end(w);
}

/* Append the JSON object. */
enum ds_code ds_usage_json(struct ds_buf *out, const struct ds_df *df,
			   const struct ds_space *space)
{
	struct ds_jsonw w;

	ds_jsonw_init(&w, out);
	ds_jsonw_object(&w);
	json_row(&w, "images", &df->images);
	json_row(&w, "containers", &df->containers);
	json_row(&w, "volumes", &df->volumes);
	json_row(&w, "build_cache", &df->cache);
	ds_jsonw_key(&w, "free");
	ds_jsonw_object(&w);
	ds_jsonw_kuint(&w, "bytes", space->free);
	ds_jsonw_kuint(&w, "total", space->total);
	ds_jsonw_kstring(&w, "mode", space->mode == DS_SPACE_BUDGET
			 ? "budget" : space->mode == DS_SPACE_SSH
			 ? "ssh-df" : "filesystem");
	ds_jsonw_kstring(&w, "path", space->path);
	if (space->mode == DS_SPACE_FS || space->mode == DS_SPACE_SSH)
		ds_jsonw_kstring(&w, "store", ds_store_key(space->store));
	if (space->store != DS_STORE_DATA_ROOT)
		ds_jsonw_kbool(&w, "images_cache_overlap", 1);
	if (space->mode == DS_SPACE_SSH)
		ds_jsonw_kstring(&w, "host", space->host);
	ds_jsonw_end(&w);
	ds_jsonw_end(&w);
	return ds_jsonw_finish(&w);
}
