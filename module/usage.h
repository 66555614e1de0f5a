/*
 * usage.h: the `docker system df` summary, rendered.  Pure: formats
 * structs into a buffer the caller owns.
 *
 * The table has the docker CLI's columns and spacing (TYPE, TOTAL,
 * ACTIVE, SIZE, RECLAIMABLE; sizes in docker's decimal units; a
 * percentage beside reclaimable bytes except for the build cache), plus
 * a last row "Free space" with the free bytes and where they were
 * measured; on Docker's containerd image store it adds which root that
 * is and that the Images and Build Cache lines overlap (shared
 * snapshots are counted in both; store.h).  The JSON form has every
 * figure in bytes:
 *   {"images":{"total":N,"active":N,"size":N,"reclaimable":N},
 *    "containers":{...},"volumes":{...},"build_cache":{...},
 *    "free":{"bytes":N,"total":N,"mode":"filesystem"|"budget"|"ssh-df",
 *            "path":"...",
 *            "store":"data-root"|"containerd" (filesystem, ssh-df modes),
 *            "images_cache_overlap":true (containerd store only),
 *            "host":"ssh://..." (ssh-df mode)}}
 * The table's last row says which measurement is in force: "of SIZE on
 * PATH" (this host's filesystem), "of budget SIZE", or "of SIZE on PATH
 * at ssh://... (df over ssh)".
 */
#ifndef DS_USAGE_H
#define DS_USAGE_H

#include "buf.h"
#include "model.h"
#include "space.h"

/* Append the table (lines end in "\n" except the last). */
enum ds_code ds_usage_table(struct ds_buf *out, const struct ds_df *df,
			    const struct ds_space *space);

/* Append the JSON object (one line). */
enum ds_code ds_usage_json(struct ds_buf *out, const struct ds_df *df,
			   const struct ds_space *space);

#endif
