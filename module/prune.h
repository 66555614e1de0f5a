/*
 * prune.h: what a prune deletes, decided on data alone.  Pure policy: no
 * I/O; the plan is computed from one /system/df snapshot and options,
 * and the same plan is what a dry run prints and what a real run
 * deletes, in the same order.  In goal mode the real run stops as soon
 * as the measured free space reaches the goal, so it deletes the first
 * items of the plan (which adds estimates) and possibly not all.
 *
 * Kinds (WHAT): dangling (untagged images), images (unused images,
 * tagged or not), cache (build-cache records), containers (stopped
 * containers), volumes (unused volumes).  "all" is dangling, images,
 * cache and containers (volumes only when named).  keep=N needs
 * "images"; max-cache=SIZE implies "cache"; free=SIZE (goal mode)
 * works on dangling, images and cache only.
 *
 * Protect patterns are globs (fnmatch) on an image's repo:tag or its
 * ID, matched as written and normalised as the docker CLI does (see
 * ref.h: "pr:1", "docker.io/library/pr:1" and Podman's
 * "localhost/pr:1" are one tag); a short ID (12+ hex digits, with
 * "sha256:" or not) matches the IDs it starts; a pattern without a tag
 * also matches the repository alone (protect=app keeps every app:*
 * tag); they also protect volumes by name.  The plan lists the
 * patterns that matched no image and no volume of the snapshot.
 *
 * Build cache shares bytes with images (share.h): an image's estimate
 * is its own bytes less what build-cache records hold of them, and
 * those bytes are the records' own estimates.  With cache among WHAT,
 * the records an image alone holds are planned right after it, though
 * the snapshot calls them shared (they will not be once the image is
 * gone); otherwise their bytes are counted in plan.held, never in the
 * plan's total.
 *
 * Never planned: a running, paused or restarting container, or one
 * whose state is missing, null or unknown (only the states
 * ds_prune_state_stopped names are stopped); an image
 * any container uses, unless every container using it is removed by the
 * same plan; an image that is the parent of an image the plan keeps; an
 * image with a tag or ID matching a protect pattern or a pin, or with
 * the label dockspace.keep; a build-cache record in use or shared with
 * an image the plan keeps; a volume in use or of unknown use (RefCount not 0) or
 * matching a protect pattern.  An image the engine says more containers
 * use than the snapshot lists is kept (nothing is deleted on doubt).
 *
 * Order: containers, then images (children before parents, oldest
 * first), then cache (least recently used first), then volumes.  In
 * goal mode (free=SIZE) candidates are cache then images, least
 * recently used first, and the plan stops once the estimated bytes
 * reach the goal.
 *
 * Cost: O(n log n) in the number of images, containers, cache records
 * and volumes (IDs indexed and parent links built once, one sort and a
 * heap for the order); bench/plan measures it.
 *
 * Memory: the plan's items point into the df snapshot it was made from
 * (borrowed: keep the df alive while using the plan); the plan's own
 * arrays are freed with ds_prune_plan_free().
 */
#ifndef DS_PRUNE_H
#define DS_PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"
#include "share.h"

enum {
	DS_PRUNE_DANGLING = 1 << 0,
	DS_PRUNE_IMAGES = 1 << 1,
	DS_PRUNE_CACHE = 1 << 2,
	DS_PRUNE_CONTAINERS = 1 << 3,
	DS_PRUNE_VOLUMES = 1 << 4,
	DS_PRUNE_ALL = DS_PRUNE_DANGLING | DS_PRUNE_IMAGES | DS_PRUNE_CACHE |
		       DS_PRUNE_CONTAINERS
};

struct ds_prune_opts {
	unsigned int kinds;     /* DS_PRUNE_* bits */
	long keep;              /* keep=N per repository, -1 unset */
	int64_t until;          /* seconds; only older objects; -1 unset */
	int64_t max_cache;      /* bytes; trim cache LRU to this; -1 unset */
	int64_t free_goal;      /* bytes; goal mode; -1 unset */
	int64_t free_now;       /* free bytes now (goal mode) */
	char **protect;         /* glob patterns on repo:tag or ID */
	size_t n_protect;
	char **pins;            /* pinned references or IDs */
	size_t n_pins;
	int64_t now;            /* unix seconds, for until */
	int strict;             /* goal mode: not reaching it is an error */
	int meta;               /* add the engine metadata a deletion frees
				   (Docker's graph-driver store; see below) */
	int rootfs_copy;        /* a container holds a copy of its image
				   (Podman's vfs driver) */
	const struct ds_share *share; /* records images hold (share.h), or
					 NULL: no record is held by one */
	const char *const *only;  /* when n_only: the only images that may
				     go (full IDs), and the only records
				     those the planned ones alone hold
				     (a hand-off's prune-source) */
	size_t n_only;
};

#define DS_PRUNE_OPTS_INIT { 0, -1, -1, -1, -1, 0, NULL, 0, NULL, 0, 0, 0, \
			     0, 0, NULL, NULL, 0 }

/*
 * What a deletion frees besides the sizes the API reports, with meta
 * set: the engine's own files, measured on Docker 20.10's overlay2 on
 * ext4 with 4 KiB blocks (a few blocks each): an image's config and
 * imagedb entries; each layer freed with it (its overlay2 directories
 * and layerdb entries; an image whose layers are not known counts one
 * when it has bytes of its own); a build-cache record's snapshot (and
 * the layer under it when it has bytes); a container's directory and
 * init layer.  Other filesystems and drivers differ by a few kB each.
 */
#define DS_META_IMAGE ((int64_t)12 * 1024)
#define DS_META_LAYER ((int64_t)48 * 1024)
#define DS_META_RECORD ((int64_t)12 * 1024)
#define DS_META_CONTAINER ((int64_t)128 * 1024)

enum ds_prune_kind { DS_ITEM_CONTAINER, DS_ITEM_IMAGE, DS_ITEM_CACHE,
		     DS_ITEM_VOLUME };

struct ds_prune_item {
	enum ds_prune_kind kind;
	const struct ds_container *container; /* set for DS_ITEM_CONTAINER */
	const struct ds_image *image;         /* set for DS_ITEM_IMAGE */
	const struct ds_cache *cache;         /* set for DS_ITEM_CACHE */
	const struct ds_volume *volume;       /* set for DS_ITEM_VOLUME */
	int64_t size;        /* bytes it is estimated to free */
	const char *reason;  /* static text: why it is in the plan */
};

struct ds_prune_plan {
	struct ds_prune_item *items;
	size_t n;
	int64_t total;       /* sum of the items' sizes */
	int goal_reachable;  /* goal mode: 1 if the plan reaches the goal */
	int64_t held;        /* bytes of planned images that build-cache
				records keep and the plan does not delete */
	const char **unmatched; /* protect patterns that matched no image
				   and no volume (borrowed from the opts;
				   the array is the plan's) */
	size_t n_unmatched;
};

/* Parse WHAT ("dangling images", "all", ...) into DS_PRUNE_* bits. */
enum ds_code ds_prune_parse_kinds(unsigned int *out, const char *what,
				  struct ds_err *err);

/* The arguments of $(docker-prune WHAT[,OPTION...]), parsed. */
struct ds_prune_args {
	struct ds_prune_opts opts;
	int dry_run;
	int json;
	char **words;        /* owned: protect patterns and pins */
	size_t n_words;
};

/*
 * Parse WHAT and the options keep=N, until=DURATION, max-cache=SIZE,
 * free=SIZE, protect=PATTERN... (space-separated, repeatable), strict,
 * dry-run and json.  pins is a space-separated list of pinned references (may
 * be NULL).  On failure nothing is left allocated.
 */
enum ds_code ds_prune_parse_args(struct ds_prune_args *out, unsigned int argc,
				 char **argv, const char *pins,
				 struct ds_err *err);

void ds_prune_args_free(struct ds_prune_args *args);

/* Decide the plan; out is the caller's to free. */
enum ds_code ds_prune_plan(struct ds_prune_plan *out, const struct ds_df *df,
			   const struct ds_prune_opts *opts,
			   struct ds_err *err);

void ds_prune_plan_free(struct ds_prune_plan *plan);

/* "container", "image", "cache" or "volume". */
const char *ds_prune_kind_name(enum ds_prune_kind kind);

/* A name to show for an item: first tag, container name, ID... */
const char *ds_prune_item_name(const struct ds_prune_item *item);

/* 1 when ref (a pin or a tag) names image: a tag equal to it once both
 * are normalised (ref.h: registry, library/ and ":latest" implied), or
 * an ID it starts (12+ hex digits, with "sha256:" or not). */
int ds_prune_ref_matches(const struct ds_image *image, const char *ref);

/* 1 when a container state is a stopped one ("exited", "created",
 * "dead", Podman's "stopped" and "configured"); NULL, "" or any other
 * state is not (unknown state means keep). */
int ds_prune_state_stopped(const char *state);

/* 1 when the label dockspace.keep, a protect pattern or a pin of opts
 * keeps image (as the plan decides it; used again at delete time). */
int ds_prune_image_protected(const struct ds_image *image,
			     const struct ds_prune_opts *opts);

#endif
