/* prune_run.c: carry out a prune plan on the engine (see prune_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "prune_run.h"
#include "share.h"
#include "units.h"

/* Send one deleting request; a 404 counts as already gone. */
static enum ds_code send_delete(struct ds_engine *e, const char *method,
				const char *path, struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;

	result = ds_engine_call(e, method, path, NULL, 0, &reply, &local);
	ds_http_reply_free(&reply);
	if (result == DS_E_NOTFOUND)
		return DS_OK;
	if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
		if (err)
			err->status = local.status;
	}
	return result;
}

/* Delete one image: each tag, then the ID when it had none. */
static enum ds_code delete_image(struct ds_engine *e,
				 const struct ds_image *img,
				 struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_buf path = DS_BUF_INIT;
	size_t i;

	for (i = 0; i < img->n_tags && result == DS_OK; i++) {
		ds_buf_reset(&path);
		if (ds_buf_puts(&path, "/images/") != DS_OK ||
		    ds_buf_url_escape(&path, img->raw_tags[i], 0) != DS_OK) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			break;
		}
		result = send_delete(e, "DELETE", path.ptr, err);
	}
	if (result == DS_OK && img->n_tags == 0) {
		ds_buf_reset(&path);
		if (ds_buf_printf(&path, "/images/%s", img->id) != DS_OK)
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		else
			result = send_delete(e, "DELETE", path.ptr, err);
	}
	ds_buf_free(&path);
	return result;
}

/*
 * Delete one build-cache record through /build/prune's id filter.  The
 * engine answers 200 even when it keeps the record (a record still built
 * on it, say): that is reported as a conflict (409), not a deletion.
 */
static enum ds_code delete_cache(struct ds_engine *e,
				 const struct ds_cache *c, struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf path = DS_BUF_INIT, filter = DS_BUF_INIT;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	int deleted = 0;

	if (ds_buf_puts(&filter, "{\"id\":[") != DS_OK ||
	    ds_buf_json_string(&filter, c->id) != DS_OK ||
	    ds_buf_puts(&filter, "]}") != DS_OK ||
	    ds_buf_puts(&path, "/build/prune?filters=") != DS_OK ||
	    ds_buf_url_escape(&path, filter.ptr, 1) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_engine_call(e, "POST", path.ptr, NULL, 0, &reply, err);
	if (result == DS_OK)
		result = ds_model_build_prune_deleted(&deleted, c->id,
						      reply.body.ptr,
						      reply.body.len, err);
	if (result == DS_OK && !deleted) {
		result = ds_err_set(err, DS_E_HTTP, "the engine kept it (a "
				    "record may still be built on it)");
		if (err)
			err->status = 409;
	}
done:
	ds_http_reply_free(&reply);
	ds_buf_free(&path);
	ds_buf_free(&filter);
	return result;
}

/* Delete one planned object. */
static enum ds_code delete_item(struct ds_engine *e,
				const struct ds_prune_item *item,
				struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf path = DS_BUF_INIT;

	switch (item->kind) {
	case DS_ITEM_IMAGE:
		return delete_image(e, item->image, err);
	case DS_ITEM_CACHE:
		return delete_cache(e, item->cache, err);
	case DS_ITEM_CONTAINER:
		result = ds_buf_printf(&path, "/containers/%s",
				       item->container->id);
		break;
	case DS_ITEM_VOLUME:
		result = ds_buf_puts(&path, "/volumes/");
		if (result == DS_OK)
			result = ds_buf_url_escape(&path, item->volume->name, 0);
		break;
	default:
		result = DS_E_ARG;
	}
	if (result != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	else
		result = send_delete(e, "DELETE", path.ptr, err);
	ds_buf_free(&path);
	return result;
}

/* The histories and chains of the images a prune may delete. */
struct chains {
	struct ds_history **hist;
	size_t *n_hist;
	struct ds_layer_chain *chain;
	size_t n;
};

/* Free what chains_load() filled. */
static void chains_free(struct chains *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		ds_share_chain_free(&c->chain[i]);
		ds_model_history_free(c->hist[i], c->n_hist[i]);
	}
	free(c->hist);
	free(c->n_hist);
	free(c->chain);
	memset(c, 0, sizeof(*c));
}

/*
 * Read the layer chain of every image the options could delete (the
 * plan without a goal lists them all) and map which build-cache records
 * each one alone holds.  Only when the snapshot has shared records: on
 * Podman, or with legacy builds only, there is nothing to map.  An image
 * gone meanwhile has no chain (the map then says nothing of it).
 */
static enum ds_code map_sharing(struct ds_engine *e, const struct ds_df *df,
				const struct ds_prune_opts *opts,
				struct chains *c, struct ds_share *share,
				int *mapped, struct ds_err *err)
{
	enum ds_code result;
	struct ds_prune_opts all = *opts;
	struct ds_prune_plan plan = { 0 };
	size_t i;

	*mapped = 0;
	if (ds_engine_is_podman(e) || !ds_share_needed(df) ||
	    !(opts->kinds & (DS_PRUNE_DANGLING | DS_PRUNE_IMAGES)))
		return DS_OK;
	all.free_goal = all.max_cache = -1;
	all.share = NULL;
	result = ds_prune_plan(&plan, df, &all, err);
	if (result != DS_OK)
		goto done;
	c->n = df->n_images;
	c->hist = calloc(c->n + 1, sizeof(*c->hist));
	c->n_hist = calloc(c->n + 1, sizeof(*c->n_hist));
	c->chain = calloc(c->n + 1, sizeof(*c->chain));
	if (!c->hist || !c->n_hist || !c->chain) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < plan.n; i++) {
		const struct ds_image *img = plan.items[i].image;
		size_t k;
		struct ds_err one = DS_ERR_INIT;

		if (plan.items[i].kind != DS_ITEM_IMAGE)
			continue;
		k = (size_t)(img - df->image_list);
		result = ds_engine_history(e, img->id, &c->hist[k],
					   &c->n_hist[k], &one);
		if (result == DS_E_NOTFOUND) {
			result = DS_OK;
			continue;
		}
		if (result == DS_OK)
			result = ds_share_chain_from_history(
				&c->chain[k], c->hist[k], c->n_hist[k], &one);
		if (result != DS_OK) {
			ds_err_set(err, result, "cannot read the layers of "
				   "image '%s': %s", img->id, one.msg);
			goto done;
		}
	}
	result = ds_share_map(share, df, c->chain, err);
	*mapped = result == DS_OK;
done:
	ds_prune_plan_free(&plan);
	return result;
}

/* How deletions free the engine's own files: Docker's graph-driver
 * store has metadata per object; Podman's vfs copies an image into
 * each container (see prune.h). */
static enum ds_code metadata_opts(struct ds_engine *e,
				  struct ds_prune_opts *opts,
				  struct ds_err *err)
{
	const struct ds_info *info = NULL;
	enum ds_code result;

	opts->meta = !ds_engine_is_podman(e);
	opts->rootfs_copy = 0;
	if (!ds_engine_is_podman(e))
		return DS_OK;
	result = ds_engine_info(e, &info, err);
	if (result == DS_OK && info->driver &&
	    strcmp(info->driver, "vfs") == 0)
		opts->rootfs_copy = 1;
	return result;
}

/* Say what build cache keeps of the planned images, if anything. */
static void note_held(const struct ds_prune_plan *plan,
		      const struct ds_prune_opts *opts, ds_prune_log_fn log,
		      void *log_ctx)
{
	char size[32], note[256];

	if (plan->held <= 0)
		return;
	ds_size_human((uint64_t)plan->held, size, sizeof(size));
	if (opts->kinds & DS_PRUNE_CACHE || opts->max_cache >= 0)
		snprintf(note, sizeof(note), "%s of these images stays held "
			 "by build-cache records the plan keeps (in use, too "
			 "young, or not theirs alone)", size);
	else
		snprintf(note, sizeof(note), "%s of these images stays held "
			 "by build cache: add 'cache' to free it", size);
	log(log_ctx, DS_STATUS_NOTE, NULL, note);
}

/* A note for each protect pattern that matched nothing (a typo would
 * otherwise protect nothing, silently). */
static void warn_unmatched(const struct ds_prune_plan *plan,
			   ds_prune_log_fn log, void *log_ctx)
{
	char note[640];
	size_t i;

	for (i = 0; i < plan->n_unmatched; i++) {
		snprintf(note, sizeof(note), "protect='%s' matches no image "
			 "and no volume", plan->unmatched[i]);
		log(log_ctx, DS_STATUS_NOTE, NULL, note);
	}
}

/* Plan and (unless dry_run) carry out a prune. */
enum ds_code ds_prune_run(struct ds_engine *e, struct ds_prune_opts *opts,
			  const struct ds_space_opts *space_opts,
			  int dry_run, ds_prune_log_fn log, void *log_ctx,
			  struct ds_prune_result *out, struct ds_err *err)
{
	enum ds_code result;
	struct ds_df df = { 0 };
	struct ds_prune_plan plan = { 0 };
	struct ds_space space;
	struct chains chains = { 0 };
	struct ds_share share = { 0 };
	int mapped = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (ds_engine_is_podman(e) && (opts->kinds & DS_PRUNE_CACHE)) {
		if (!(opts->kinds & ~DS_PRUNE_CACHE) && opts->max_cache < 0)
			return ds_err_set(err, DS_E_UNSUPPORTED,
					  "engine at '%s' is podman, which "
					  "has no build-cache API: nothing to "
					  "prune", ds_engine_url(e));
		log(log_ctx, DS_STATUS_NOTE, NULL,
		    "podman has no build-cache API: build cache not pruned");
	}
	result = ds_space_measure(e, space_opts, &space, err);
	if (result != DS_OK)
		goto done;
	out->free_before = out->free_after = space.free;
	opts->free_now = (int64_t)space.free;
	if (!opts->now)
		opts->now = (int64_t)time(NULL);
	result = ds_engine_df(e, &df, 0, err);
	if (result != DS_OK)
		goto done;
	result = metadata_opts(e, opts, err);
	if (result != DS_OK)
		goto done;
	result = map_sharing(e, &df, opts, &chains, &share, &mapped, err);
	if (result != DS_OK)
		goto done;
	opts->share = mapped ? &share : NULL;
	result = ds_prune_plan(&plan, &df, opts, err);
	opts->share = NULL;
	if (result != DS_OK)
		goto done;
	warn_unmatched(&plan, log, log_ctx);
	out->planned = plan.n;
	out->held = plan.held;
	if (dry_run) {
		for (i = 0; i < plan.n; i++)
			log(log_ctx, DS_STATUS_PLANNED, &plan.items[i], NULL);
		note_held(&plan, opts, log, log_ctx);
		out->reclaimed = plan.total;
		out->goal_met = opts->free_goal < 0 || plan.goal_reachable;
		goto done;
	}
	for (i = 0; i < plan.n; i++) {
		struct ds_err one = DS_ERR_INIT;

		if (opts->free_goal >= 0 &&
		    out->free_after >= (uint64_t)opts->free_goal)
			break;
		result = delete_item(e, &plan.items[i], &one);
		if (result == DS_E_HTTP && one.status == 409) {
			out->skipped++;
			log(log_ctx, DS_STATUS_SKIPPED, &plan.items[i],
			    one.msg);
			result = DS_OK;
			continue;
		}
		if (result != DS_OK) {
			ds_err_set(err, result, "%s (after %zu of %zu "
				   "deletions)", one.msg, out->deleted,
				   plan.n);
			goto done;
		}
		out->deleted++;
		log(log_ctx, DS_STATUS_DELETED, &plan.items[i], NULL);
		if (opts->free_goal >= 0) {
			result = ds_space_measure(e, space_opts, &space, err);
			if (result != DS_OK)
				goto done;
			out->free_after = space.free;
		}
	}
	note_held(&plan, opts, log, log_ctx);
	result = ds_space_measure(e, space_opts, &space, err);
	if (result != DS_OK)
		goto done;
	out->free_after = space.free;
	out->reclaimed = out->free_after > out->free_before
			 ? (int64_t)(out->free_after - out->free_before) : 0;
	out->goal_met = opts->free_goal < 0 ||
			out->free_after >= (uint64_t)opts->free_goal;
done:
	ds_prune_plan_free(&plan);
	ds_share_free(&share);
	chains_free(&chains);
	ds_model_df_free(&df);
	return result;
}
