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
 * Deleting, by identity (what was planned, not what a name means now):
 * each object is checked just before it is deleted, and skipped, with
 * the reason, when it is no longer the one planned:
 * - an image: GET /images/{id}/json; skipped when a protect pattern or
 *   a pin of the plan (or the label dockspace.keep) now holds it, when
 *   it gained a tag the plan did not see, or when a planned tag now
 *   names another image ("'app:latest' now names another image": a
 *   build moved it).  With one tag or none it is deleted by its full ID
 *   (DELETE /images/sha256:..., never forced): the engine refuses (409)
 *   when a container uses it or it gained a tag of another repository,
 *   and can never delete another image.  With more tags, all but the
 *   last are untagged by name, each right after GET /images/{tag}/json
 *   says it still names the planned ID, then the image goes by ID.
 * - a container: GET /containers/{id}/json; deleted only when its
 *   State.Status is still a stopped one (ds_prune_state_stopped:
 *   running, paused, restarting or unknown means keep); the engine
 *   also refuses to delete one that started since (409).
 * - a build-cache record: POST /build/prune with an id filter (the
 *   engine answers whether it deleted it; when it did not, one listing
 *   of the build cache a run tells a record that vanished, under
 *   BuildKit's garbage collection or another prune, which is GONE, from
 *   one the engine kept, SKIPPED); a volume by name (the engine refuses
 *   one in use).
 * The window that remains: between the check of a tag and its untag
 * (a GET and a DELETE on one connection, about a millisecond) a build
 * may move that tag to a new image, which then loses it (and is deleted
 * with it when that was its only tag and no container uses it); only an
 * image with two or more tags is untagged by name.  An image deleted by
 * ID in the same window loses, with itself, any tag of its own
 * repository added in it.  The engine has no compare-and-delete; these
 * are the narrowest windows its API allows.
 *
 * Outcomes (enum ds_prune_status, each told to the log with a reason):
 * DELETED (this call deleted it), GONE (404: already gone, deleted by
 * someone else; also a 5xx to the DELETE when an inspect then answers
 * 404, as Docker's 500 "unrecognized image ID" when two delete one image
 * at once; not counted as deleted nor reclaimed; an inspect answered
 * 5xx, as Docker's 500 "layer does not exist" for an image being
 * deleted, is asked again for about 0.6 s, until it settles), SKIPPED (not
 * deleted: a 409, or a check above failed), UNTAGGED (some tags were
 * removed but the image stayed, e.g. a container started on its last
 * tag meanwhile: "untagged 'app:1' (image kept: ...)").  A 409 skips
 * that object and the run goes on; any other failure stops the run
 * with an error, leaving the rest of the plan undone.
 *
 * Reclaimed bytes: the growth of free space over the run (above; 0
 * when the call deleted nothing).  When someone else deleted too
 * (an object was already gone, or the snapshot after the run lacks an
 * object of the one before that this call did not delete), that change
 * counts their deletions as well: the call then claims at most the
 * plan's estimates of what it deleted itself.  Objects others add
 * meanwhile make the figure smaller, never larger.
 *
 * Test hook (tests only, never set in use): when the environment has
 * DOCKSPACE_TEST_HOOK, that shell command is run (system()) with
 * DOCKSPACE_TEST_AT set to "check NAME" before an image or container is
 * checked, and "delete NAME" (a tag, an image ID, a container, cache or
 * volume name) right before each deleting request: the integration
 * tests use it to make a race happen at a known moment.
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
		       DS_STATUS_SKIPPED, DS_STATUS_NOTE, DS_STATUS_GONE,
		       DS_STATUS_UNTAGGED };

/*
 * Told about each item as it is planned (dry run), deleted, skipped,
 * found gone or untagged only; note (NULL when there is nothing to add)
 * says why it was skipped, or which tags went; for DS_STATUS_NOTE item
 * is NULL and note says something to show.  note is valid for the call.
 */
typedef void (*ds_prune_log_fn)(void *ctx, enum ds_prune_status status,
				const struct ds_prune_item *item,
				const char *note);

struct ds_prune_result {
	int64_t reclaimed;     /* measured bytes (estimated in a dry run) */
	size_t planned;
	size_t deleted;
	size_t skipped;
	size_t gone;           /* already gone (404): not ours */
	size_t untagged;       /* some tags removed, the image kept */
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
