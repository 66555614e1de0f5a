/*
 * share.h: which build-cache records hold an image's bytes.  Pure: no
 * I/O; works on one /system/df snapshot and the layer chains of the
 * images that may be deleted (from /images/{id}/history).
 *
 * Why: BuildKit keeps every layer it builds as a cache record, and on
 * Docker's graph-driver store a layer an image and a record both hold
 * is freed only when both are gone.  /system/df marks such a record
 * Shared but says not with which image, so deleting the image alone
 * frees nothing and the record stays undeletable until the image goes.
 *
 * The model relies on three facts of Docker's layer store and BuildKit:
 *   1. Layers are shared only as whole chains: two images hold the same
 *      layer only if they hold every layer below it too.  So the layers
 *      an image shares with other images are a prefix of its chain,
 *      whose sizes add up to the image's SharedSize; the layers above
 *      that prefix are the image's own.
 *   2. A BuildKit record is one layer, built on its Parent record: the
 *      record chain from a root to a record is that layer's chain, with
 *      the same sizes as the image's history lists them.
 *   3. BuildKit marks the steps it built in the image's history with
 *      "# buildkit"; a record made by a RUN step has the description
 *      "mount / from exec CMD" and the history says "RUN CMD # buildkit".
 *      A record of a pulled layer ("pulled from ...") may be any step.
 * A Shared record whose chain (sizes, and for RUN steps the command)
 * matches the bottom of an image's chain, at a depth above the part the
 * image shares with other images, is held by that image alone: deleting
 * the image makes it deletable, and the image's bytes in that layer are
 * freed only when the record goes.  Where several records match one
 * layer (a rebuild whose layers kept their sizes, as a version bump
 * does), the image's is the newest made no later than the image; where
 * that is no single record, or one record matches two images (or the
 * shared part of another image), the layer counts as held but no record
 * is said to be released: nothing is deleted on doubt.
 * Zero-byte layers and records are left out of the chains on both sides.
 *
 * Cost: O((R + L) log R) for R records and L layers in all chains.
 *
 * Memory: ds_share_chain_from_history() fills a chain whose arrays it
 * owns (its created_by strings are borrowed from the history: keep the
 * history alive while the chain is used); ds_share_chain_free() frees
 * them.  ds_share_map() fills a struct ds_share it owns; free it with
 * ds_share_free().  Both free functions accept a zeroed struct.
 */
#ifndef DS_SHARE_H
#define DS_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"

#define DS_SHARE_UNKNOWN ((size_t)-1)

/* An image's layers with content, the base layer first. */
struct ds_layer_chain {
	size_t n;
	int64_t *size;              /* bytes each layer added (> 0) */
	const char **created_by;    /* the history's CreatedBy (borrowed) */
};

/* What the cache holds of each image of a df (by index in image_list). */
struct ds_share {
	size_t n_images;
	int64_t *held;   /* bytes of the image's own layers a record holds */
	size_t *layers;  /* own layers no record holds (freed with the
			    image); DS_SHARE_UNKNOWN without a chain */
	size_t *first;   /* records of image i: rec[first[i]..first[i+1]) */
	size_t *rec;     /* cache_list indices, deepest (newest) first */
};

/* The chain of a history (newest step first, as the engine sends it). */
enum ds_code ds_share_chain_from_history(struct ds_layer_chain *out,
					 const struct ds_history *history,
					 size_t n, struct ds_err *err);

void ds_share_chain_free(struct ds_layer_chain *chain);

/*
 * Map records to images.  chains has df->n_images entries, in the df's
 * image order; an entry with n == 0 is an image whose layers are not
 * known (nothing is said about it).
 */
enum ds_code ds_share_map(struct ds_share *out, const struct ds_df *df,
			  const struct ds_layer_chain *chains,
			  struct ds_err *err);

void ds_share_free(struct ds_share *share);

/* 1 when the df has a Shared record with bytes (the map can matter). */
int ds_share_needed(const struct ds_df *df);

#endif
