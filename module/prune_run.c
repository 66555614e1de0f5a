/* prune_run.c: carry out a prune plan on the engine (see prune_run.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiver.h"
#include "buf.h"
#include "prune_run.h"
#include "share.h"
#include "store.h"
#include "units.h"

/* What became of one planned item, and why (for the log). */
struct outcome {
	enum ds_prune_status status;  /* DELETED, SKIPPED, GONE, UNTAGGED */
	char why[600];
};

/* How the engine answered one deleting request. */
enum answer { DONE, GONE, REFUSED };

/*
 * Test-only: run the shell command DOCKSPACE_TEST_HOOK, with
 * DOCKSPACE_TEST_AT="STEP NAME", at a known point of a deletion (see
 * prune_run.h).  Unset (always, outside tests) it does nothing.
 */
static void test_hook(const char *step, const char *name)
{
	const char *hook = getenv("DOCKSPACE_TEST_HOOK");
	char at[600];
	int rc;

	if (!hook || !*hook)
		return;
	snprintf(at, sizeof(at), "%s %s", step, name);
	if (setenv("DOCKSPACE_TEST_AT", at, 1) != 0)
		return;
	rc = system(hook);
	(void)rc;
	unsetenv("DOCKSPACE_TEST_AT");
}

/* Set the outcome's status and its reason (printf-style). */
static void say(struct outcome *out, enum ds_prune_status status,
		const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct outcome *out, enum ds_prune_status status,
		const char *fmt, ...)
{
	va_list ap;

	out->status = status;
	va_start(ap, fmt);
	vsnprintf(out->why, sizeof(out->why), fmt, ap);
	va_end(ap);
}

/*
 * GET path, asked again (5 more times, 20 ms to 320 ms apart) while the
 * engine answers 5xx: Docker answers 500 "layer does not exist" to an
 * inspect of an image someone else is deleting at that moment, and 404
 * once it is gone.  As ds_engine_call otherwise; reply is the caller's.
 */
static enum ds_code get_settled(struct ds_engine *e, const char *path,
				struct ds_http_reply *reply,
				struct ds_err *local)
{
	struct timespec pause = { 0, 20000000L };
	enum ds_code result;
	int tries;

	for (tries = 0;; tries++) {
		ds_err_clear(local);
		ds_http_reply_free(reply);
		result = ds_engine_call(e, "GET", path, NULL, 0, reply, local);
		if (result != DS_E_HTTP || local->status < 500 || tries == 5)
			return result;
		nanosleep(&pause, NULL);
		pause.tv_nsec *= 2;
	}
}

/*
 * 1 when GET probe answers 404: the object is not there (any other
 * answer, or a failure to ask, is 0: not known to be gone).
 */
static int known_gone(struct ds_engine *e, const char *probe)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_err ignored = DS_ERR_INIT;
	int gone;

	gone = get_settled(e, probe, &reply, &ignored) == DS_E_NOTFOUND;
	ds_http_reply_free(&reply);
	return gone;
}

/*
 * Send one deleting request (never with force): DONE, GONE (404: it was
 * already gone) or REFUSED (409: the engine keeps it; msg says why).
 * A 5xx while someone else deletes the same object (Docker answers 500
 * "unrecognized image ID" then) is GONE when GET path+probe_tail then
 * answers 404.  Anything else is an error.
 */
static enum ds_code send_delete(struct ds_engine *e, const char *path,
				const char *probe_tail, enum answer *answer,
				char *msg, size_t n, struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_err local = DS_ERR_INIT;
	struct ds_buf probe = DS_BUF_INIT;
	enum ds_code result;

	result = ds_engine_call(e, "DELETE", path, NULL, 0, &reply, &local);
	ds_http_reply_free(&reply);
	*answer = DONE;
	if (result == DS_E_HTTP && local.status >= 500 &&
	    ds_buf_printf(&probe, "%s%s", path, probe_tail) == DS_OK &&
	    known_gone(e, probe.ptr))
		result = DS_E_NOTFOUND;
	ds_buf_free(&probe);
	if (result == DS_E_NOTFOUND) {
		*answer = GONE;
		return DS_OK;
	}
	if (result == DS_E_HTTP && local.status == 409) {
		*answer = REFUSED;
		snprintf(msg, n, "%s", local.msg);
		return DS_OK;
	}
	if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
		if (err)
			err->status = local.status;
	}
	return result;
}

/* "/images/" and ref (a tag, escaped; or an ID) into path. */
static enum ds_code image_path(struct ds_buf *path, const char *ref,
			       const char *tail, struct ds_err *err)
{
	ds_buf_reset(path);
	if (ds_buf_puts(path, "/images/") != DS_OK ||
	    ds_buf_url_escape(path, ref, 0) != DS_OK ||
	    ds_buf_puts(path, tail) != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/* GET /images/{ref}/json into *img (freed by the caller, even on
 * failure); *found is 0 on 404 (then img stays empty). */
static enum ds_code inspect_image(struct ds_engine *e, const char *ref,
				  struct ds_image *img, int *found,
				  struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_buf path = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;

	ds_model_image_free(img);
	memset(img, 0, sizeof(*img));
	*found = 0;
	result = image_path(&path, ref, "/json", err);
	if (result != DS_OK)
		goto done;
	result = get_settled(e, path.ptr, &reply, &local);
	if (result == DS_E_NOTFOUND) {
		result = DS_OK;
		goto done;
	}
	if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
		if (err)
			err->status = local.status;
		goto done;
	}
	result = ds_model_parse_image_inspect(img, reply.body.ptr,
					      reply.body.len, err);
	*found = result == DS_OK;
done:
	ds_http_reply_free(&reply);
	ds_buf_free(&path);
	return result;
}

/* 1 when img has the (normalised) tag. */
static int has_tag(const struct ds_image *img, const char *tag)
{
	size_t i;

	for (i = 0; i < img->n_tags; i++)
		if (strcmp(img->tags[i], tag) == 0)
			return 1;
	return 0;
}

/*
 * Check that the image is still the one planned, against a fresh
 * inspect of its ID (cur): its tags are the planned ones or fewer, none
 * of them protected or pinned now, and no planned tag now names another
 * image.  Sets *ok, or the outcome saying why not.
 */
static enum ds_code image_still_planned(struct ds_engine *e,
					const struct ds_prune_opts *o,
					const struct ds_image *img,
					const struct ds_image *cur, int *ok,
					struct outcome *out, struct ds_err *err)
{
	struct ds_image other = { 0 };
	enum ds_code result = DS_OK;
	int found;
	size_t i;

	*ok = 0;
	if (ds_prune_image_protected(cur, o)) {
		/* name the tag that is protected or pinned, when one is */
		for (i = 0; i < cur->n_tags; i++) {
			struct ds_image one = *cur;

			one.tags = cur->tags + i;
			one.raw_tags = cur->raw_tags + i;
			one.n_tags = 1;
			if (ds_prune_image_protected(&one, o))
				break;
		}
		if (i < cur->n_tags)
			say(out, DS_STATUS_SKIPPED, "it is now tagged '%s', "
			    "which is protected or pinned", cur->tags[i]);
		else
			say(out, DS_STATUS_SKIPPED, "it is now protected or "
			    "pinned");
		return DS_OK;
	}
	for (i = 0; i < cur->n_tags; i++)
		if (!has_tag(img, cur->tags[i])) {
			say(out, DS_STATUS_SKIPPED, "it is now also tagged "
			    "'%s', which the plan did not see", cur->tags[i]);
			return DS_OK;
		}
	for (i = 0; i < img->n_tags && result == DS_OK; i++) {
		if (has_tag(cur, img->tags[i]))
			continue;
		result = inspect_image(e, img->raw_tags[i], &other, &found,
				       err);
		if (result == DS_OK && found && strcmp(other.id, img->id)) {
			say(out, DS_STATUS_SKIPPED, "'%s' now names another "
			    "image", img->raw_tags[i]);
			goto done;
		}
	}
	*ok = result == DS_OK;
done:
	ds_model_image_free(&other);
	return result;
}

/*
 * Delete one image by identity.  Inspect its ID and check it is still
 * the one planned (image_still_planned).  One tag or none: DELETE it by
 * ID, which the engine refuses (409) when a container uses it or it
 * gained a tag of another repository.  More tags: untag all but the
 * last, each only after checking the tag still names this image, then
 * DELETE by ID.  The outcome tells DELETED, GONE (404 before anything
 * was done), SKIPPED or UNTAGGED (some tags went, the image stayed).
 */
static enum ds_code delete_image(struct ds_engine *e,
				 const struct ds_prune_opts *o,
				 const struct ds_prune_item *item,
				 struct outcome *out, struct ds_err *err)
{
	const struct ds_image *img = item->image;
	struct ds_image cur = { 0 }, other = { 0 };
	struct ds_buf path = DS_BUF_INIT, untagged = DS_BUF_INIT;
	enum ds_code result;
	enum answer answer = DONE;
	char msg[400] = "";
	int found, ok, n_untagged = 0;
	size_t i;

	test_hook("check", ds_prune_item_name(item));
	result = inspect_image(e, img->id, &cur, &found, err);
	if (result != DS_OK)
		goto done;
	if (!found) {
		say(out, DS_STATUS_GONE, "already gone");
		goto done;
	}
	result = image_still_planned(e, o, img, &cur, &ok, out, err);
	if (result != DS_OK || !ok)
		goto done;
	for (i = 0; cur.n_tags > 1 && i + 1 < cur.n_tags; i++) {
		result = inspect_image(e, cur.raw_tags[i], &other, &found,
				       err);
		if (result != DS_OK)
			goto done;
		if (!found)
			continue; /* untagged meanwhile */
		if (strcmp(other.id, img->id) != 0) {
			snprintf(msg, sizeof(msg), "'%s' now names another "
				 "image", cur.raw_tags[i]);
			answer = REFUSED;
			break;
		}
		test_hook("delete", cur.raw_tags[i]);
		result = image_path(&path, cur.raw_tags[i], "", err);
		if (result == DS_OK)
			result = send_delete(e, path.ptr, "/json", &answer,
					     msg, sizeof(msg), err);
		if (result != DS_OK)
			goto done;
		if (answer == REFUSED)
			break;
		if (answer == DONE &&
		    ds_buf_printf(&untagged, "%s'%s'", n_untagged++ ? ", " : "",
				  cur.raw_tags[i]) != DS_OK) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			goto done;
		}
	}
	if (answer != REFUSED) {
		test_hook("delete", img->id);
		result = image_path(&path, img->id, "", err);
		if (result == DS_OK)
			result = send_delete(e, path.ptr, "/json", &answer,
					     msg, sizeof(msg), err);
		if (result != DS_OK)
			goto done;
	}
	if (answer == DONE)
		say(out, DS_STATUS_DELETED, "%s", "");
	else if (answer == GONE)
		say(out, DS_STATUS_GONE, "already gone%s%s%s",
		    n_untagged ? " (after this call untagged " : "",
		    n_untagged ? untagged.ptr : "", n_untagged ? ")" : "");
	else if (n_untagged)
		say(out, DS_STATUS_UNTAGGED, "untagged %s (image kept: %s)",
		    untagged.ptr, msg);
	else
		say(out, DS_STATUS_SKIPPED, "%s", msg);
done:
	ds_model_image_free(&cur);
	ds_model_image_free(&other);
	ds_buf_free(&path);
	ds_buf_free(&untagged);
	return result;
}

/*
 * Delete one container once an inspect just before says it is still
 * stopped (a state ds_prune_state_stopped names; unknown means keep).
 * The engine itself refuses (409) to delete one that started since.
 */
static enum ds_code delete_container(struct ds_engine *e,
				     const struct ds_prune_item *item,
				     struct outcome *out, struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_buf path = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;
	enum answer answer;
	char *state = NULL, msg[400] = "";

	test_hook("check", ds_prune_item_name(item));
	if (ds_buf_printf(&path, "/containers/%s", item->container->id) !=
	    DS_OK ||
	    ds_buf_puts(&path, "/json") != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = get_settled(e, path.ptr, &reply, &local);
	if (result == DS_E_NOTFOUND) {
		result = DS_OK;
		say(out, DS_STATUS_GONE, "already gone");
		goto done;
	}
	if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
		if (err)
			err->status = local.status;
		goto done;
	}
	result = ds_model_parse_container_state(&state, reply.body.ptr,
						reply.body.len, err);
	if (result != DS_OK)
		goto done;
	if (!ds_prune_state_stopped(state)) {
		if (*state)
			say(out, DS_STATUS_SKIPPED, "it is %s now", state);
		else
			say(out, DS_STATUS_SKIPPED, "its state is unknown");
		goto done;
	}
	test_hook("delete", ds_prune_item_name(item));
	path.len -= strlen("/json");
	path.ptr[path.len] = '\0';
	result = send_delete(e, path.ptr, "/json", &answer, msg, sizeof(msg),
			     err);
	if (result == DS_OK)
		say(out, answer == DONE ? DS_STATUS_DELETED : answer == GONE
			 ? DS_STATUS_GONE : DS_STATUS_SKIPPED, "%s",
		    answer == GONE ? "already gone" : msg);
done:
	free(state);
	ds_buf_free(&path);
	ds_http_reply_free(&reply);
	return result;
}

/* Sorted, borrowed IDs (names for volumes) of one kind of object. */
struct ids {
	const char **v;
	size_t n;
};

/* strcmp for qsort and bsearch over const char *. */
static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many objects of kind k df lists. */
static size_t df_count(const struct ds_df *df, enum ds_prune_kind k)
{
	return k == DS_ITEM_IMAGE ? df->n_images
	       : k == DS_ITEM_CONTAINER ? df->n_containers
	       : k == DS_ITEM_VOLUME ? df->n_volumes : df->n_cache;
}

/* The ID (a volume's name) of the i-th object of kind k in df. */
static const char *df_id(const struct ds_df *df, enum ds_prune_kind k,
			 size_t i)
{
	return k == DS_ITEM_IMAGE ? df->image_list[i].id
	       : k == DS_ITEM_CONTAINER ? df->container_list[i].id
	       : k == DS_ITEM_VOLUME ? df->volume_list[i].name
	       : df->cache_list[i].id;
}

/* The ID (a volume's name) of a planned item. */
static const char *item_id(const struct ds_prune_item *item)
{
	return item->kind == DS_ITEM_IMAGE ? item->image->id
	       : item->kind == DS_ITEM_CONTAINER ? item->container->id
	       : item->kind == DS_ITEM_VOLUME ? item->volume->name
	       : item->cache->id;
}

/* Sort the n IDs gathered in s. */
static void ids_sort(struct ids *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_id);
}

/* 1 when s holds id (s sorted). */
static int ids_has(const struct ids *s, const char *id)
{
	return s->n && bsearch(&id, s->v, s->n, sizeof(*s->v), cmp_id);
}

/*
 * The build-cache records that still exist, listed once a run, when the
 * engine first answers that it did not delete a planned record: BuildKit
 * answers 200 without the record both when it keeps one (a record still
 * built on it) and when the record is no longer there (its GC, on by
 * default in Docker 29, or another prune removed it).  A record missing
 * from the listing is gone: not ours to count.  One listing a run keeps
 * the cost O(n log n); a record that vanishes after it is reported as
 * kept (never as deleted).
 */
struct listing {
	int taken;         /* asked (even when asking failed) */
	int ok;            /* the listing is usable */
	struct ds_df df;
	struct ids ids;
};

/* Free what a listing holds. */
static void listing_free(struct listing *l)
{
	free(l->ids.v);
	ds_model_df_free(&l->df);
	memset(l, 0, sizeof(*l));
}

/* 1 when the record id is known to be gone (see struct listing). */
static int record_gone(struct ds_engine *e, struct listing *l,
		       const char *id)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_err ignored = DS_ERR_INIT;
	size_t i;

	if (!l->taken) {
		l->taken = 1;
		if (ds_engine_call(e, "GET",
				   ds_api_df_cache_path(ds_engine_api(e)),
				   NULL, 0, &reply, &ignored) == DS_OK &&
		    ds_model_parse_df(&l->df, reply.body.ptr, reply.body.len,
				      &ignored) == DS_OK &&
		    (l->ids.v = malloc((l->df.n_cache + 1) *
				       sizeof(*l->ids.v)))) {
			for (i = 0; i < l->df.n_cache; i++)
				l->ids.v[l->ids.n++] = l->df.cache_list[i].id;
			ids_sort(&l->ids);
			l->ok = 1;
		}
		ds_http_reply_free(&reply);
	}
	return l->ok && !ids_has(&l->ids, id);
}

/*
 * Delete one build-cache record through /build/prune's id filter (the
 * one request shape every version from 1.39 to 1.54 takes: no
 * keep-storage, reserved-space or until).  The engine answers 200 even
 * when it does not delete the record: GONE when a listing says it is no
 * longer there, else a skip; never a deletion.
 */
static enum ds_code delete_cache(struct ds_engine *e,
				 const struct ds_prune_item *item,
				 struct listing *listing,
				 struct outcome *out, struct ds_err *err)
{
	const struct ds_cache *c = item->cache;
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
	test_hook("delete", ds_prune_item_name(item));
	result = ds_engine_call(e, "POST", path.ptr, NULL, 0, &reply, err);
	if (result == DS_OK)
		result = ds_model_build_prune_deleted(&deleted, c->id,
						      reply.body.ptr,
						      reply.body.len, err);
	if (result == DS_OK && deleted)
		say(out, DS_STATUS_DELETED, "%s", "");
	else if (result == DS_OK && record_gone(e, listing, c->id))
		say(out, DS_STATUS_GONE, "already gone (BuildKit's garbage "
		    "collection or another prune removed it)");
	else if (result == DS_OK)
		say(out, DS_STATUS_SKIPPED, "the engine kept it (a record "
		    "may still be built on it)");
done:
	ds_http_reply_free(&reply);
	ds_buf_free(&path);
	ds_buf_free(&filter);
	return result;
}

/* Delete one volume by name (the engine refuses one in use: 409). */
static enum ds_code delete_volume(struct ds_engine *e,
				  const struct ds_prune_item *item,
				  struct outcome *out, struct ds_err *err)
{
	struct ds_buf path = DS_BUF_INIT;
	enum ds_code result;
	enum answer answer;
	char msg[400] = "";

	test_hook("delete", ds_prune_item_name(item));
	if (ds_buf_puts(&path, "/volumes/") != DS_OK ||
	    ds_buf_url_escape(&path, item->volume->name, 0) != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	else
		result = send_delete(e, path.ptr, "", &answer, msg,
				     sizeof(msg), err);
	if (result == DS_OK)
		say(out, answer == DONE ? DS_STATUS_DELETED : answer == GONE
			 ? DS_STATUS_GONE : DS_STATUS_SKIPPED, "%s",
		    answer == GONE ? "already gone" : msg);
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

/* Delete one planned object, if it is still the one planned. */
static enum ds_code delete_item(struct ds_engine *e,
				const struct ds_prune_opts *o,
				const struct ds_prune_item *item,
				struct listing *listing,
				struct outcome *out, struct ds_err *err)
{
	out->why[0] = '\0';
	switch (item->kind) {
	case DS_ITEM_IMAGE:
		return delete_image(e, o, item, out, err);
	case DS_ITEM_CACHE:
		return delete_cache(e, item, listing, out, err);
	case DS_ITEM_CONTAINER:
		return delete_container(e, item, out, err);
	case DS_ITEM_VOLUME:
		return delete_volume(e, item, out, err);
	}
	return ds_err_set(err, DS_E_ARG, "unknown kind of item");
}

/*
 * Set *found when an object of the snapshot before is missing from the
 * snapshot after although this call did not delete it (mine[i] marks
 * the plan items it deleted): someone else deleted it meanwhile, and
 * the change in accounting counts that too.  O(n log n).
 */
static enum ds_code foreign_gone(const struct ds_df *before,
				 const struct ds_df *after,
				 const struct ds_prune_plan *plan,
				 const unsigned char *mine, int *found,
				 struct ds_err *err)
{
	enum ds_prune_kind k;
	struct ids gone = { NULL, 0 }, ours = { NULL, 0 };
	enum ds_code result = DS_OK;
	size_t i;

	*found = 0;
	for (k = DS_ITEM_CONTAINER; k <= DS_ITEM_VOLUME && !*found; k++) {
		free(gone.v);
		free(ours.v);
		gone.n = ours.n = 0;
		gone.v = malloc((df_count(after, k) + 1) * sizeof(*gone.v));
		ours.v = malloc((plan->n + 1) * sizeof(*ours.v));
		if (!gone.v || !ours.v) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			break;
		}
		/* gone.v first holds what is left (after), then is used as
		 * that set: an object is gone when it is not in it */
		for (i = 0; i < df_count(after, k); i++)
			gone.v[gone.n++] = df_id(after, k, i);
		for (i = 0; i < plan->n; i++)
			if (mine[i] && plan->items[i].kind == k)
				ours.v[ours.n++] = item_id(&plan->items[i]);
		ids_sort(&gone);
		ids_sort(&ours);
		for (i = 0; i < df_count(before, k) && !*found; i++) {
			const char *id = df_id(before, k, i);

			*found = !ids_has(&gone, id) && !ids_has(&ours, id);
		}
	}
	free(gone.v);
	free(ours.v);
	return result;
}

/* How deletions free the engine's own files: Docker's graph-driver
 * store has metadata per object (measured on overlay2; not added on the
 * containerd image store, where it was never measured); Podman's vfs
 * copies an image into each container (see prune.h). */
static enum ds_code metadata_opts(struct ds_engine *e,
				  struct ds_prune_opts *opts,
				  struct ds_err *err)
{
	const struct ds_info *info = NULL;
	enum ds_code result;

	opts->meta = 0;
	opts->rootfs_copy = 0;
	result = ds_engine_info(e, &info, err);
	if (result != DS_OK)
		return result;
	if (!ds_engine_is_podman(e))
		opts->meta = !ds_store_is_containerd(info);
	else if (info->driver && strcmp(info->driver, "vfs") == 0)
		opts->rootfs_copy = 1;
	return DS_OK;
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
	struct ds_df df = { 0 }, after = { 0 };
	struct ds_prune_plan plan = { 0 };
	struct ds_space space;
	struct chains chains = { 0 };
	struct ds_share share = { 0 };
	int mapped = 0;
	int64_t deleted_bytes = 0;
	unsigned char *mine = NULL;  /* plan items this call deleted */
	struct listing listing = { 0 };
	int foreign = 0;
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
	mine = calloc(plan.n + 1, 1);
	if (!mine) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < plan.n; i++) {
		const struct ds_prune_item *item = &plan.items[i];
		struct ds_err one = DS_ERR_INIT;
		struct outcome oc;

		if (opts->free_goal >= 0 &&
		    out->free_after >= (uint64_t)opts->free_goal)
			break;
		result = delete_item(e, opts, item, &listing, &oc, &one);
		if (result != DS_OK) {
			ds_err_set(err, result, "%s (after %zu of %zu "
				   "deletions)", one.msg, out->deleted,
				   plan.n);
			goto done;
		}
		switch (oc.status) {
		case DS_STATUS_DELETED:
			mine[i] = 1;
			out->deleted++;
			deleted_bytes += item->size > 0 ? item->size : 0;
			break;
		case DS_STATUS_GONE:
			out->gone++;
			break;
		case DS_STATUS_UNTAGGED:
			out->untagged++;
			break;
		default:
			out->skipped++;
		}
		log(log_ctx, oc.status, item, oc.why[0] ? oc.why : NULL);
		if (opts->free_goal >= 0 && oc.status == DS_STATUS_DELETED) {
			result = ds_space_measure(e, space_opts, &space, err);
			if (result != DS_OK)
				goto done;
			out->free_after = space.free;
		}
	}
	note_held(&plan, opts, log, log_ctx);
	result = ds_engine_df(e, &after, 0, err);
	if (result == DS_OK)
		result = foreign_gone(&df, &after, &plan, mine, &foreign, err);
	if (result != DS_OK)
		goto done;
	result = ds_space_measure(e, space_opts, &space, err);
	if (result != DS_OK)
		goto done;
	out->free_after = space.free;
	out->reclaimed = out->free_after > out->free_before
			 ? (int64_t)(out->free_after - out->free_before) : 0;
	/* someone else deleted too (a 404, or an object gone that this
	 * call did not delete): the growth of free space counts their
	 * deletions as well; claim at most the estimates of ours */
	if ((out->gone || foreign) && out->reclaimed > deleted_bytes)
		out->reclaimed = deleted_bytes;
	if (!out->deleted)
		out->reclaimed = 0;
	out->goal_met = opts->free_goal < 0 ||
			out->free_after >= (uint64_t)opts->free_goal;
done:
	free(mine);
	listing_free(&listing);
	ds_prune_plan_free(&plan);
	ds_share_free(&share);
	chains_free(&chains);
	ds_model_df_free(&after);
	ds_model_df_free(&df);
	return result;
}
