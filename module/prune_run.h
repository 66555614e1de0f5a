/*
 * prune_run.h: carry out a prune plan on the engine.  An operation:
 * takes one /system/df snapshot, reads the layers of the images it may
 * delete when build cache shares bytes with them (share.h), plans with
 * prune.h, deletes object by object in plan order (never with force),
 * and measures what was reclaimed as the change in free space that
 * ds_space_measure() sees (statvfs of the engine's filesystem, or the
 * budget less the engine's accounting): what df shows, never the
 * engine's SpaceReclaimed figure.  On a busy host other writers change
 * that figure too; it is never reported below 0.
 *
 * Deleting: a container by ID; an image tag by tag (the last untag
 * deletes it), then an untagged image by ID; a build-cache record with
 * POST /build/prune and an id filter; a volume by name.  A conflict
 * (409: something started using it after the snapshot) skips that
 * object and goes on; any other failure stops the run with an error,
 * leaving the rest of the plan undone.
 *
 * In goal mode (free=SIZE) free space is measured after each deletion
 * and the run stops as soon as the goal is met.
 */
#ifndef DS_PRUNE_RUN_H
#define DS_PRUNE_RUN_H

#include "engine.h"
#include "prune.h"
#include "space.h"

enum ds_prune_status { DS_STATUS_PLANNED, DS_STATUS_DELETED,
		       DS_STATUS_SKIPPED, DS_STATUS_NOTE };

/*
 * Told about each item as it is planned (dry run), deleted or skipped;
 * for DS_STATUS_NOTE item is NULL and note says something to show.
 */
typedef void (*ds_prune_log_fn)(void *ctx, enum ds_prune_status status,
				const struct ds_prune_item *item,
				const char *note);

struct ds_prune_result {
	int64_t reclaimed;     /* measured bytes (estimated in a dry run) */
	size_t planned;
	size_t deleted;
	size_t skipped;
	uint64_t free_before;  /* free space before and after */
	uint64_t free_after;
	int goal_met;          /* goal mode: free_after >= goal */
	int64_t held;          /* bytes of planned images build cache keeps
				  (see ds_prune_plan.held) */
};

/* Plan and (unless dry_run) carry out a prune; see above. */
enum ds_code ds_prune_run(struct ds_engine *e, struct ds_prune_opts *opts,
			  const struct ds_space_opts *space_opts,
			  int dry_run, ds_prune_log_fn log, void *log_ctx,
			  struct ds_prune_result *out, struct ds_err *err);

#endif
