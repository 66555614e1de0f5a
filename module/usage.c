/* usage.c: the disk usage summary as a table or JSON (see usage.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "units.h"
#include "usage.h"

#define COLS 5
#define ROWS 6
#define OVERLAP_NOTE "images and build cache overlap"

/* Fill one row's cells for a usage line. */
static void usage_cells(char cells[COLS][64], const char *type,
			const struct ds_usage_row *r, int percent)
{
	char size[32], recl[32];
	int64_t size_b = r->size > 0 ? r->size : 0;
	int64_t recl_b = r->reclaimable > 0 ? r->reclaimable : 0;

	snprintf(cells[0], 64, "%s", type);
	snprintf(cells[1], 64, "%" PRId64, r->total);
	snprintf(cells[2], 64, "%" PRId64, r->active);
	snprintf(cells[3], 64, "%s",
		 ds_size_human((uint64_t)size_b, size, sizeof(size)));
	ds_size_human((uint64_t)recl_b, recl, sizeof(recl));
	if (percent && size_b > 0)
		snprintf(cells[4], 64, "%s (%" PRId64 "%%)", recl,
			 recl_b * 100 / size_b);
	else
		snprintf(cells[4], 64, "%s", recl);
}

/* Append the table, padded as docker's tabwriter (min 10, padding 3). */
enum ds_code ds_usage_table(struct ds_buf *out, const struct ds_df *df,
			    const struct ds_space *space)
{
	char cells[ROWS + 1][COLS][64];
	char free_h[32], total_h[32];
	size_t width[COLS] = { 0 }, r, c;
	enum ds_code result = DS_OK;

	memcpy(cells[0], (char[COLS][64]){ "TYPE", "TOTAL", "ACTIVE", "SIZE",
					   "RECLAIMABLE" },
	       sizeof(cells[0]));
	usage_cells(cells[1], "Images", &df->images, 1);
	usage_cells(cells[2], "Containers", &df->containers, 1);
	usage_cells(cells[3], "Local Volumes", &df->volumes, 1);
	usage_cells(cells[4], "Build Cache", &df->cache, 0);
	ds_size_human(space->free, free_h, sizeof(free_h));
	ds_size_human(space->total, total_h, sizeof(total_h));
	snprintf(cells[5][0], 64, "Free space");
	cells[5][1][0] = cells[5][2][0] = '\0';
	snprintf(cells[5][3], 64, "%s", free_h);
	if (space->mode == DS_SPACE_BUDGET)
		snprintf(cells[5][4], 64, "of budget %s", total_h);
	else
		snprintf(cells[5][4], 64, "of %s", total_h);
	for (r = 0; r < ROWS; r++)
		for (c = 0; c + 1 < COLS; c++)
			if (strlen(cells[r][c]) + 3 > width[c])
				width[c] = strlen(cells[r][c]) + 3;
	for (c = 0; c + 1 < COLS; c++)
		if (width[c] < 10)
			width[c] = 10;
	for (r = 0; r < ROWS && result == DS_OK; r++) {
		for (c = 0; c + 1 < COLS && result == DS_OK; c++)
			result = ds_buf_printf(out, "%-*s", (int)width[c],
					       cells[r][c]);
		if (result == DS_OK)
			result = ds_buf_printf(out, "%s", cells[r][COLS - 1]);
		if (result == DS_OK && space->mode == DS_SPACE_FS &&
		    r == ROWS - 1)
			result = ds_buf_printf(out, " on %s", space->path);
		if (result == DS_OK && space->mode == DS_SPACE_SSH &&
		    r == ROWS - 1)
			result = ds_buf_printf(out, " on %s at %s (df over "
					       "ssh)", space->path,
					       space->host);
		if (result == DS_OK && (space->mode == DS_SPACE_FS ||
					space->mode == DS_SPACE_SSH) &&
		    r == ROWS - 1 && space->store != DS_STORE_DATA_ROOT)
			result = ds_buf_printf(out, " (%s; %s)",
					       ds_store_name(space->store),
					       OVERLAP_NOTE);
		if (result == DS_OK && r + 1 < ROWS)
			result = ds_buf_puts(out, "\n");
	}
	return result;
}

/* Append one usage row as a JSON member. */
static enum ds_code json_row(struct ds_buf *out, const char *key,
			     const struct ds_usage_row *r)
{
	return ds_buf_printf(out,
			     "\"%s\":{\"total\":%" PRId64 ",\"active\":%"
			     PRId64 ",\"size\":%" PRId64 ",\"reclaimable\":%"
			     PRId64 "},", key, r->total, r->active,
			     r->size > 0 ? r->size : 0,
			     r->reclaimable > 0 ? r->reclaimable : 0);
}

/* Append the JSON object. */
enum ds_code ds_usage_json(struct ds_buf *out, const struct ds_df *df,
			   const struct ds_space *space)
{
	enum ds_code result = ds_buf_puts(out, "{");

	if (result == DS_OK)
		result = json_row(out, "images", &df->images);
	if (result == DS_OK)
		result = json_row(out, "containers", &df->containers);
	if (result == DS_OK)
		result = json_row(out, "volumes", &df->volumes);
	if (result == DS_OK)
		result = json_row(out, "build_cache", &df->cache);
	if (result == DS_OK)
		result = ds_buf_printf(out,
				       "\"free\":{\"bytes\":%" PRIu64
				       ",\"total\":%" PRIu64 ",\"mode\":\"%s\","
				       "\"path\":", space->free, space->total,
				       space->mode == DS_SPACE_BUDGET
				       ? "budget" : space->mode == DS_SPACE_SSH
				       ? "ssh-df" : "filesystem");
	if (result == DS_OK)
		result = ds_buf_json_string(out, space->path);
	if (result == DS_OK && (space->mode == DS_SPACE_FS ||
				space->mode == DS_SPACE_SSH))
		result = ds_buf_printf(out, ",\"store\":\"%s\"",
				       ds_store_key(space->store));
	if (result == DS_OK && space->store != DS_STORE_DATA_ROOT)
		result = ds_buf_puts(out, ",\"images_cache_overlap\":true");
	if (result == DS_OK && space->mode == DS_SPACE_SSH)
		result = ds_buf_puts(out, ",\"host\":");
	if (result == DS_OK && space->mode == DS_SPACE_SSH)
		result = ds_buf_json_string(out, space->host);
	if (result == DS_OK)
		result = ds_buf_puts(out, "}}");
	return result;
}
