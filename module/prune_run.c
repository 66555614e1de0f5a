/* prune_run.c: carry out a prune plan on the engine (see prune_run.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "prune_run.h"

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

/* Engine-accounted bytes now (a fresh /system/df). */
static enum ds_code engine_used(struct ds_engine *e, uint64_t *out,
				struct ds_err *err)
{
	struct ds_df df = { 0 };
	enum ds_code result = ds_engine_df(e, &df, 0, err);

	if (result == DS_OK)
		*out = ds_space_engine_used(&df);
	ds_model_df_free(&df);
	return result;
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
	uint64_t used_before, used_after;
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
	used_before = ds_space_engine_used(&df);
	result = ds_prune_plan(&plan, &df, opts, err);
	if (result != DS_OK)
		goto done;
	warn_unmatched(&plan, log, log_ctx);
	out->planned = plan.n;
	if (dry_run) {
		for (i = 0; i < plan.n; i++)
			log(log_ctx, DS_STATUS_PLANNED, &plan.items[i], NULL);
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
	result = engine_used(e, &used_after, err);
	if (result != DS_OK)
		goto done;
	out->reclaimed = used_before > used_after
			 ? (int64_t)(used_before - used_after) : 0;
	result = ds_space_measure(e, space_opts, &space, err);
	if (result != DS_OK)
		goto done;
	out->free_after = space.free;
	out->goal_met = opts->free_goal < 0 ||
			out->free_after >= (uint64_t)opts->free_goal;
done:
	ds_prune_plan_free(&plan);
	ds_model_df_free(&df);
	return result;
}
