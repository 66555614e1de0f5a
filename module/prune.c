/* prune.c: the prune plan, decided on data alone (see prune.h). */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deps.h"
#include "prune.h"
#include "ref.h"
#include "units.h"
#include "words.h"

/* Per-image facts the planner works out once. */
struct image_state {
	int used;        /* a kept container uses it */
	int protected;   /* label, pattern or pin */
	int candidate;   /* may be deleted */
	int planned;     /* in the plan */
	int kept;        /* among the keep=N newest of a repository */
	const char *reason;
};

/* Parse WHAT into DS_PRUNE_* bits. */
enum ds_code ds_prune_parse_kinds(unsigned int *out, const char *what,
				  struct ds_err *err)
{
	static const struct { const char *name; unsigned int bits; } words[] = {
		{ "dangling", DS_PRUNE_DANGLING }, { "images", DS_PRUNE_IMAGES },
		{ "cache", DS_PRUNE_CACHE }, { "containers", DS_PRUNE_CONTAINERS },
		{ "volumes", DS_PRUNE_VOLUMES }, { "all", DS_PRUNE_ALL },
	};
	const char *cursor = what, *p;
	unsigned int bits = 0;
	size_t len;

	while ((p = ds_word_next(&cursor, &len))) {
		size_t i;
		int found = 0;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (strlen(words[i].name) == len &&
			    strncmp(words[i].name, p, len) == 0) {
				bits |= words[i].bits;
				found = 1;
			}
		}
		if (!found)
			return ds_err_set(err, DS_E_ARG,
					  "unknown kind '%.*s': use dangling, "
					  "images, cache, containers, volumes "
					  "or all", (int)len, p);
	}
	if (!bits)
		return ds_err_set(err, DS_E_ARG,
				  "nothing to prune: name dangling, images, "
				  "cache, containers, volumes or all");
	*out = bits;
	return DS_OK;
}

/* "container", "image", "cache" or "volume". */
const char *ds_prune_kind_name(enum ds_prune_kind kind)
{
	switch (kind) {
	case DS_ITEM_CONTAINER: return "container";
	case DS_ITEM_IMAGE: return "image";
	case DS_ITEM_CACHE: return "cache";
	case DS_ITEM_VOLUME: return "volume";
	}
	return "object";
}

/* A name to show for an item. */
const char *ds_prune_item_name(const struct ds_prune_item *item)
{
	switch (item->kind) {
	case DS_ITEM_CONTAINER:
		return item->container->name && *item->container->name
		       ? item->container->name : item->container->id;
	case DS_ITEM_IMAGE:
		return item->image->n_tags ? item->image->tags[0]
					   : item->image->id;
	case DS_ITEM_CACHE:
		return item->cache->id;
	case DS_ITEM_VOLUME:
		return item->volume->name;
	}
	return "";
}

/* The ID without its "sha256:" prefix. */
static const char *bare_id(const char *id)
{
	return strncmp(id, "sha256:", 7) == 0 ? id + 7 : id;
}

/* 1 when ref (a pin) names image: a tag or an ID prefix. */
int ds_prune_ref_matches(const struct ds_image *image, const char *ref)
{
	size_t i;

	if (ds_ref_id_matches(image->id, ref))
		return 1;
	for (i = 0; i < image->n_tags; i++)
		if (ds_ref_same(image->tags[i], ref) ||
		    ds_ref_same(image->raw_tags[i], ref))
			return 1;
	return 0;
}

/* The repository of a "repo:tag" (length of the part before the tag). */
static size_t repo_len(const char *tag)
{
	const char *colon = strrchr(tag, ':');
	const char *slash = strrchr(tag, '/');

	if (!colon || (slash && colon < slash))
		return strlen(tag);
	return (size_t)(colon - tag);
}

/* The protect patterns, prepared once per plan. */
struct patterns {
	struct ds_ref_pattern *list;
	size_t n;
	unsigned char *matched;     /* per pattern: matched an image/volume */
	char (*canon)[DS_REF_MAX];  /* scratch: one image's tags normalised */
};

/* Prepare the protect patterns of o for the images of df. */
static enum ds_code patterns_init(struct patterns *p, const struct ds_df *df,
				  const struct ds_prune_opts *o,
				  struct ds_err *err)
{
	size_t i, most = 0;

	memset(p, 0, sizeof(*p));
	p->n = o->n_protect;
	for (i = 0; p->n && i < df->n_images; i++)
		if (df->image_list[i].n_tags > most)
			most = df->image_list[i].n_tags;
	p->list = calloc(p->n + 1, sizeof(*p->list));
	p->matched = calloc(p->n + 1, 1);
	p->canon = calloc(most + 1, sizeof(*p->canon));
	if (!p->list || !p->matched || !p->canon)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < p->n; i++)
		ds_ref_pattern_init(&p->list[i], o->protect[i]);
	return DS_OK;
}

/* Free the prepared patterns. */
static void patterns_free(struct patterns *p)
{
	free(p->list);
	free(p->matched);
	free(p->canon);
}

/* 1 when a prepared pattern names the image (its ID or a tag whose
 * normalised forms are canon[]). */
static int pattern_matches_image(const struct ds_ref_pattern *p,
				 const struct ds_image *img,
				 char (*canon)[DS_REF_MAX])
{
	size_t j;

	if (ds_ref_pattern_matches_id(p, img->id))
		return 1;
	for (j = 0; j < img->n_tags; j++)
		if (ds_ref_pattern_matches_tag(p, img->tags[j],
					       img->raw_tags[j], canon[j]))
			return 1;
	return 0;
}

/*
 * 1 when the image is protected by a label, a pattern or a pin.  Every
 * pattern not yet known to match something is tried, so that the plan
 * can say which patterns matched nothing.
 */
static int image_protected(const struct ds_image *img,
			   const struct ds_prune_opts *o,
			   struct patterns *pats)
{
	int protected = 0;
	size_t i;

	for (i = 0; i < img->n_labels; i++)
		if (strcmp(img->label_keys[i], "dockspace.keep") == 0)
			protected = 1;
	for (i = 0; !protected && i < o->n_pins; i++)
		if (ds_prune_ref_matches(img, o->pins[i]))
			protected = 1;
	if (!pats->n)
		return protected;
	for (i = 0; i < img->n_tags; i++)
		ds_ref_canonical(pats->canon[i], sizeof(pats->canon[i]),
				 img->tags[i], 1);
	for (i = 0; i < pats->n; i++) {
		if (protected && pats->matched[i])
			continue;
		if (pattern_matches_image(&pats->list[i], img, pats->canon)) {
			pats->matched[i] = 1;
			protected = 1;
		}
	}
	return protected;
}

/* 1 when a container in this state is stopped (prunable). */
static int container_stopped(const struct ds_container *c)
{
	return ds_prune_state_stopped(c->state);
}

/* 1 when the object is older than opts->until (or until is unset). */
static int old_enough(int64_t when, const struct ds_prune_opts *o)
{
	if (o->until < 0)
		return 1;
	if (when <= 0)
		return 0; /* unknown age: not provably old */
	return when <= o->now - o->until;
}

/* Append an item to the plan. */
static enum ds_code add_item(struct ds_prune_plan *plan, size_t *cap,
			     struct ds_prune_item item, struct ds_err *err)
{
	if (plan->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct ds_prune_item *p = realloc(plan->items,
						  ncap * sizeof(*p));

		if (!p)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		plan->items = p;
		*cap = ncap;
	}
	plan->items[plan->n++] = item;
	plan->total += item.size;
	return DS_OK;
}

/* Append the link parent -> child to a growing edge list. */
static enum ds_code add_edge(struct ds_edge **edges, size_t *n, size_t *cap,
			     size_t parent, size_t child, struct ds_err *err)
{
	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;
		struct ds_edge *e = realloc(*edges, ncap * sizeof(*e));

		if (!e)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		*edges = e;
		*cap = ncap;
	}
	(*edges)[(*n)++] = (struct ds_edge){ parent, child };
	return DS_OK;
}

/* The images of a df indexed by bare ID, and their parent links. */
struct image_index {
	struct ds_key *keys;   /* bare IDs, sorted */
	struct ds_deps deps;   /* parent -> children */
};

/* The index of the first listed image with this ID, or -1. */
static long find_image(const struct ds_df *df, const struct image_index *x,
		       const char *id)
{
	size_t k;

	if (!id || !*id)
		return -1;
	k = ds_keys_find(x->keys, df->n_images, bare_id(id));
	return k < df->n_images ? (long)x->keys[k].i : -1;
}

/* Estimated bytes an image frees: its size less what it shares with
 * other images, less what build-cache records hold of it (share.h),
 * plus the engine's files for it (prune.h). */
static int64_t image_estimate(const struct ds_df *df,
			      const struct ds_prune_opts *o, size_t i)
{
	const struct ds_image *img = &df->image_list[i];
	int64_t own = img->size > 0 ? img->size : 0;
	size_t layers;

	if (img->shared_size > 0 && img->shared_size <= img->size)
		own = img->size - img->shared_size;
	layers = own > 0 ? 1 : 0;
	if (o->share && i < o->share->n_images) {
		own -= o->share->held[i];
		if (own < 0)
			own = 0;
		if (o->share->layers[i] != DS_SHARE_UNKNOWN)
			layers = o->share->layers[i];
		else if (!own)
			layers = 0;
	}
	if (o->meta)
		own += DS_META_IMAGE + DS_META_LAYER * (int64_t)layers;
	return own;
}

/* Estimated bytes a build-cache record frees (prune.h). */
static int64_t cache_estimate(const struct ds_cache *c,
			      const struct ds_prune_opts *o)
{
	int64_t size = c->size > 0 ? c->size : 0;

	if (o->meta)
		size += DS_META_RECORD + (size > 0 ? DS_META_LAYER : 0);
	return size;
}

/* Estimated bytes a container frees: its writable layer, the engine's
 * files for it, and with rootfs_copy the copy of its image. */
static int64_t container_estimate(const struct ds_df *df,
				  const struct image_index *x,
				  const struct ds_container *c,
				  const struct ds_prune_opts *o)
{
	int64_t size = c->size_rw > 0 ? c->size_rw : 0;

	if (o->meta)
		size += DS_META_CONTAINER;
	if (o->rootfs_copy) {
		long k = find_image(df, x, c->image_id);

		if (k >= 0 && df->image_list[k].size > 0)
			size += df->image_list[k].size;
	}
	return size;
}

/* 1 when the plan may delete build-cache records. */
static int cache_allowed(const struct ds_prune_opts *o)
{
	return (o->kinds & DS_PRUNE_CACHE) || o->max_cache >= 0;
}

/* Index the images by ID and link each to the image(s) it is built on. */
static enum ds_code image_index_init(struct image_index *x,
				     const struct ds_df *df,
				     struct ds_err *err)
{
	struct ds_edge *edges = NULL;
	size_t i, n_edges = 0, cap = 0;
	enum ds_code result = DS_OK;

	memset(x, 0, sizeof(*x));
	x->keys = calloc(df->n_images + 1, sizeof(*x->keys));
	if (!x->keys)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < df->n_images; i++)
		x->keys[i] = (struct ds_key){ bare_id(df->image_list[i].id), i };
	ds_keys_sort(x->keys, df->n_images);
	for (i = 0; i < df->n_images; i++) {
		const char *parent = df->image_list[i].parent_id;
		size_t k;

		if (!parent || !*parent)
			continue;
		parent = bare_id(parent);
		for (k = ds_keys_find(x->keys, df->n_images, parent);
		     result == DS_OK && k < df->n_images &&
		     strcmp(x->keys[k].key, parent) == 0; k++)
			result = add_edge(&edges, &n_edges, &cap,
					  x->keys[k].i, i, err);
		if (result != DS_OK)
			goto done;
	}
	result = ds_deps_build(&x->deps, df->n_images, edges, n_edges, err);
done:
	free(edges);
	return result;
}

/* Free the image index. */
static void image_index_free(struct image_index *x)
{
	free(x->keys);
	ds_deps_free(&x->deps);
}

/* One (repository, image) pair for keep=N. */
struct repo_entry {
	const char *repo;   /* a tag, of which the first len bytes */
	size_t len;
	const struct ds_image *img;
	size_t i;
};

/* Compare repository entries: by repository, then newest first (time,
 * then ID), then by index. */
static int repo_entry_cmp(const void *a, const void *b)
{
	const struct repo_entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->repo, y->repo, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->img->created != y->img->created)
		return x->img->created > y->img->created ? -1 : 1;
	c = strcmp(x->img->id, y->img->id);
	if (c)
		return -c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* 1 when two entries are of the same repository. */
static int same_repo(const struct repo_entry *x, const struct repo_entry *y)
{
	return x->len == y->len && memcmp(x->repo, y->repo, x->len) == 0;
}

/*
 * Mark images among the keep=N newest of any of their repositories:
 * fewer than N other images of that repository are newer (by time,
 * then ID).  One sort of every (repository, image) pair.
 */
static enum ds_code mark_kept(const struct ds_df *df,
			      struct image_state *st, long keep,
			      struct ds_err *err)
{
	struct repo_entry *e;
	size_t i, t, n = 0, total = 0;

	for (i = 0; i < df->n_images; i++)
		total += df->image_list[i].n_tags;
	e = calloc(total + 1, sizeof(*e));
	if (!e)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < df->n_images; i++) {
		const struct ds_image *a = &df->image_list[i];

		for (t = 0; t < a->n_tags; t++)
			e[n++] = (struct repo_entry){ a->tags[t],
				repo_len(a->tags[t]), a, i };
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), repo_entry_cmp);
	for (i = 0; i < n;) {
		size_t j = i, distinct = 0, newer = 0;

		/* one repository: e[i..j), newest first; newer counts the
		 * distinct images strictly newer than the current one */
		for (; j < n && same_repo(&e[i], &e[j]); j++) {
			int dup = j > i && e[j].i == e[j - 1].i;
			int tie = j > i && e[j].img->created ==
				  e[j - 1].img->created &&
				  strcmp(e[j].img->id, e[j - 1].img->id) == 0;

			if (dup)
				continue;
			if (!tie)
				newer = distinct;
			distinct++;
			if ((long)newer < keep)
				st[e[j].i].kept = 1;
		}
		i = j;
	}
	free(e);
	return DS_OK;
}

/* Work out which images may go (used, protected, age, keep, kinds); a
 * parent of an image that stays cannot go. */
static enum ds_code classify_images(const struct ds_df *df,
				    const struct image_index *x,
				    struct image_state *st,
				    const int *container_goes,
				    const struct ds_prune_opts *o,
				    struct patterns *pats, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	size_t i;
	int64_t *seen = calloc(df->n_images + 1, sizeof(*seen));
	unsigned char *cand = calloc(df->n_images + 1, 1);

	if (!seen || !cand) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < df->n_containers; i++) {
		long k = find_image(df, x, df->container_list[i].image_id);

		if (k < 0)
			continue;
		seen[k]++;
		if (!container_goes[i])
			st[k].used = 1;
	}
	/* The engine counts users we did not see: keep those images. */
	for (i = 0; i < df->n_images; i++)
		if (df->image_list[i].containers > seen[i])
			st[i].used = 1;
	if (o->keep >= 0) {
		result = mark_kept(df, st, o->keep, err);
		if (result != DS_OK)
			goto done;
	}
	/* only=: every other image stays (seen[] is reused as the mark) */
	for (i = 0; i < df->n_images && o->n_only; i++)
		seen[i] = 0;
	for (i = 0; i < o->n_only; i++) {
		long k = find_image(df, x, o->only[i]);

		if (k >= 0)
			seen[k] = 1;
	}
	for (i = 0; i < df->n_images; i++) {
		const struct ds_image *img = &df->image_list[i];
		int dangling = img->n_tags == 0;

		st[i].protected = image_protected(img, o, pats);
		if (st[i].used || st[i].protected || st[i].kept ||
		    !old_enough(img->created, o) || (o->n_only && !seen[i]))
			continue;
		if (dangling && (o->kinds & (DS_PRUNE_DANGLING |
					     DS_PRUNE_IMAGES))) {
			cand[i] = 1;
			st[i].reason = "dangling";
		} else if (!dangling && (o->kinds & DS_PRUNE_IMAGES)) {
			cand[i] = 1;
			st[i].reason = o->keep >= 0 ? "beyond keep" : "unused";
		}
	}
	result = ds_deps_spread_stay(&x->deps, cand, err);
	for (i = 0; result == DS_OK && i < df->n_images; i++)
		st[i].candidate = cand[i];
done:
	free(seen);
	free(cand);
	return result;
}

/* Order of two images: oldest first, then by ID, then as listed. */
static int image_cmp(const void *ctx, size_t a, size_t b)
{
	const struct ds_image *list = ctx;
	int c;

	if (list[a].created != list[b].created)
		return list[a].created < list[b].created ? -1 : 1;
	c = strcmp(list[a].id, list[b].id);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

/* The build-cache records of a df and what the plan does with each. */
struct cache_plan {
	struct ds_deps deps;   /* parent -> children */
	unsigned char *state;  /* 0, RELEASED or PLANNED */
};

#define RELEASED 'r'   /* a planned image alone holds it */
#define PLANNED 'p'    /* in the plan */

static enum ds_code plan_released(struct ds_prune_plan *plan, size_t *cap,
				  const struct ds_df *df,
				  const struct ds_prune_opts *o,
				  struct cache_plan *cp, size_t image,
				  int64_t *need, struct ds_err *err);

/* Add candidate images, oldest first, children before parents; in goal
 * mode stop once *need bytes are covered, and follow each image with
 * the build-cache records it alone holds (cp: NULL without cache). */
static enum ds_code plan_images(struct ds_prune_plan *plan, size_t *cap,
				const struct ds_df *df,
				const struct ds_prune_opts *o,
				const struct image_index *x,
				struct image_state *st, struct cache_plan *cp,
				int64_t *need, struct ds_err *err)
{
	size_t *order = calloc(df->n_images + 1, sizeof(*order));
	unsigned char *cand = calloc(df->n_images + 1, 1);
	size_t i, n = 0;
	enum ds_code result;

	if (!order || !cand) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < df->n_images; i++)
		cand[i] = (unsigned char)st[i].candidate;
	result = ds_deps_order(order, &n, &x->deps, cand, image_cmp,
			       df->image_list, err);
	for (i = 0; result == DS_OK && i < n; i++) {
		const struct ds_image *img = &df->image_list[order[i]];

		if (need && *need <= 0)
			break;
		int64_t est = image_estimate(df, o, order[i]);

		st[order[i]].planned = 1;
		result = add_item(plan, cap, (struct ds_prune_item){
				DS_ITEM_IMAGE, NULL, img, NULL, NULL, est,
				need ? "to reach free=" : st[order[i]].reason },
				err);
		if (need)
			*need -= est;
		if (result == DS_OK && need && cp)
			result = plan_released(plan, cap, df, o, cp, order[i],
					       need, err);
	}
done:
	free(order);
	free(cand);
	return result;
}

/* When a cache record was last used (else made). */
static int64_t cache_time(const struct ds_cache *c)
{
	return c->last_used_at ? c->last_used_at : c->created_at;
}

/* Link each cache record to the records it is built on (by ID). */
static enum ds_code cache_links(struct ds_deps *d, const struct ds_df *df,
				struct ds_err *err)
{
	struct ds_key *keys = calloc(df->n_cache + 1, sizeof(*keys));
	struct ds_edge *edges = NULL;
	size_t i, p, k, n_edges = 0, cap = 0;
	enum ds_code result = DS_OK;

	memset(d, 0, sizeof(*d));
	if (!keys)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < df->n_cache; i++)
		keys[i] = (struct ds_key){ df->cache_list[i].id, i };
	ds_keys_sort(keys, df->n_cache);
	for (i = 0; i < df->n_cache; i++) {
		const struct ds_cache *c = &df->cache_list[i];

		for (p = 0; p < c->n_parents; p++) {
			for (k = ds_keys_find(keys, df->n_cache, c->parents[p]);
			     result == DS_OK && k < df->n_cache &&
			     strcmp(keys[k].key, c->parents[p]) == 0; k++)
				result = add_edge(&edges, &n_edges, &cap,
						  keys[k].i, i, err);
			if (result != DS_OK)
				goto done;
		}
	}
	result = ds_deps_build(d, df->n_cache, edges, n_edges, err);
done:
	free(keys);
	free(edges);
	return result;
}

/* Order of two cache records: least recently used first, then by ID,
 * then as listed. */
static int cache_cmp(const void *ctx, size_t a, size_t b)
{
	const struct ds_cache *list = ctx;
	int64_t ta = cache_time(&list[a]), tb = cache_time(&list[b]);
	int c;

	if (ta != tb)
		return ta < tb ? -1 : 1;
	c = strcmp(list[a].id, list[b].id);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

/*
 * Add the records an image alone holds, deepest first, right after the
 * image (goal mode).  A record in use, too young, or with a child that
 * is not planned stays, and so do the records under it.
 */
static enum ds_code plan_released(struct ds_prune_plan *plan, size_t *cap,
				  const struct ds_df *df,
				  const struct ds_prune_opts *o,
				  struct cache_plan *cp, size_t image,
				  int64_t *need, struct ds_err *err)
{
	const struct ds_share *sh = o->share;
	size_t j, k;

	if (!sh || image >= sh->n_images)
		return DS_OK;
	for (j = sh->first[image]; j < sh->first[image + 1]; j++) {
		size_t r = sh->rec[j];
		const struct ds_cache *c = &df->cache_list[r];

		if (cp->state[r] == PLANNED)
			continue;
		if (c->in_use || !old_enough(cache_time(c), o))
			break;
		for (k = cp->deps.child_at[r]; k < cp->deps.child_at[r + 1];
		     k++)
			if (cp->state[cp->deps.child[k]] != PLANNED)
				break;
		if (k < cp->deps.child_at[r + 1])
			break;
		cp->state[r] = PLANNED;
		if (add_item(plan, cap, (struct ds_prune_item){
				DS_ITEM_CACHE, NULL, NULL, c, NULL,
				cache_estimate(c, o),
				"held by a deleted image" }, err) != DS_OK)
			return err->code;
		*need -= cache_estimate(c, o);
	}
	return DS_OK;
}

/* Mark the records that planned images alone hold (RELEASED). */
static void mark_released(const struct ds_df *df,
			  const struct ds_prune_opts *o,
			  const struct image_state *st, struct cache_plan *cp)
{
	size_t i, j;

	if (!o->share)
		return;
	for (i = 0; i < df->n_images && i < o->share->n_images; i++)
		if (st[i].planned)
			for (j = o->share->first[i];
			     j < o->share->first[i + 1]; j++)
				cp->state[o->share->rec[j]] = RELEASED;
}

/* Bytes of planned images that records keep and the plan does not
 * delete. */
static int64_t held_bytes(const struct ds_df *df,
			  const struct ds_prune_opts *o,
			  const struct image_state *st,
			  const struct cache_plan *cp)
{
	int64_t held = 0;
	size_t i, j;

	if (!o->share)
		return 0;
	for (i = 0; i < df->n_images && i < o->share->n_images; i++) {
		if (!st[i].planned)
			continue;
		held += o->share->held[i];
		for (j = o->share->first[i]; j < o->share->first[i + 1]; j++)
			if (cp->state[o->share->rec[j]] == PLANNED)
				held -= df->cache_list[o->share->rec[j]].size;
	}
	return held > 0 ? held : 0;
}

/*
 * Add cache records, least recently used first among those whose
 * children are already planned (BuildKit keeps a record while a child
 * of it exists, so children go first): all candidates, down to
 * max_cache, or (goal mode) until *need is covered.  A record in use or
 * shared with an image is no candidate, unless a planned image alone
 * holds it (RELEASED), nor is a parent of a record that stays.
 */
static enum ds_code plan_cache(struct ds_prune_plan *plan, size_t *cap,
			       const struct ds_df *df,
			       const struct ds_prune_opts *o,
			       struct cache_plan *cp, int64_t *need,
			       struct ds_err *err)
{
	unsigned char *cand;
	size_t *order = NULL;
	int64_t total = 0;
	size_t i, n = 0;
	enum ds_code result;

	if (!df->n_cache)
		return DS_OK;
	cand = calloc(df->n_cache, 1);
	order = calloc(df->n_cache, sizeof(*order));
	if (!cand || !order) {
		free(cand);
		free(order);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	for (i = 0; i < df->n_cache; i++) {
		const struct ds_cache *c = &df->cache_list[i];
		int free_to_go = !c->shared || cp->state[i] == RELEASED;

		if (free_to_go)
			total += c->size;
		if (!c->in_use && free_to_go && old_enough(cache_time(c), o) &&
		    (!o->n_only || cp->state[i] == RELEASED))
			cand[i] = 1;
	}
	result = ds_deps_spread_stay(&cp->deps, cand, err);
	if (result == DS_OK)
		result = ds_deps_order(order, &n, &cp->deps, cand, cache_cmp,
				       df->cache_list, err);
	for (i = 0; result == DS_OK && i < n; i++) {
		const struct ds_cache *c = &df->cache_list[order[i]];

		if (need && *need <= 0)
			break;
		if (!need && o->max_cache >= 0 && total <= o->max_cache)
			break;
		cp->state[order[i]] = PLANNED;
		result = add_item(plan, cap, (struct ds_prune_item){
				DS_ITEM_CACHE, NULL, NULL, c, NULL,
				cache_estimate(c, o),
				need ? "to reach free="
				     : c->shared ? "held by a deleted image"
				     : o->max_cache >= 0 ? "over max-cache"
							 : "unused" }, err);
		total -= c->size;
		if (need)
			*need -= cache_estimate(c, o);
	}
	free(cand);
	free(order);
	return result;
}

/* Compare two volumes by name (engines list them in any order). */
static int volume_cmp(const void *a, const void *b)
{
	const struct ds_volume *x = *(const struct ds_volume *const *)a;
	const struct ds_volume *y = *(const struct ds_volume *const *)b;

	return strcmp(x->name, y->name);
}

/* Compare two containers, oldest first, then by ID. */
static int container_cmp(const void *a, const void *b)
{
	const struct ds_container *x = *(const struct ds_container *const *)a;
	const struct ds_container *y = *(const struct ds_container *const *)b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * The df's items of one kind as pointers in a stable order (the
 * engine's listing order is not: Docker lists volumes from a map), so
 * that a dry run and a real run plan the same order.  Caller frees.
 */
static const void **sorted(const void *items, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	const void **list = calloc(n + 1, sizeof(*list));
	size_t i;

	if (!list)
		return NULL;
	for (i = 0; i < n; i++)
		list[i] = (const char *)items + i * size;
	qsort(list, n, sizeof(*list), cmp);
	return list;
}

/* 1 when a protect pattern names the volume. */
static int volume_protected(const struct ds_volume *v,
			    const struct ds_prune_opts *o)
{
	size_t i;

	for (i = 0; i < o->n_protect; i++)
		if (fnmatch(o->protect[i], v->name, 0) == 0)
			return 1;
	return 0;
}

/*
 * List in the plan the protect patterns that matched no image (as
 * classify_images found) and no volume, in the order given.
 */
static enum ds_code list_unmatched(struct ds_prune_plan *plan,
				   const struct ds_df *df,
				   const struct ds_prune_opts *o,
				   struct patterns *pats, struct ds_err *err)
{
	size_t i, k;

	for (k = 0; k < pats->n; k++)
		for (i = 0; !pats->matched[k] && i < df->n_volumes; i++)
			if (fnmatch(o->protect[k], df->volume_list[i].name,
				    0) == 0)
				pats->matched[k] = 1;
	plan->unmatched = calloc(pats->n + 1, sizeof(*plan->unmatched));
	if (!plan->unmatched)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (k = 0; k < pats->n; k++)
		if (!pats->matched[k])
			plan->unmatched[plan->n_unmatched++] = o->protect[k];
	return DS_OK;
}

/* Check option combinations before planning. */
static enum ds_code check_opts(const struct ds_prune_opts *o,
			       struct ds_err *err)
{
	if (o->keep >= 0 && !(o->kinds & DS_PRUNE_IMAGES))
		return ds_err_set(err, DS_E_ARG,
				  "keep=%ld applies to tagged images: add "
				  "'images' to what is pruned", o->keep);
	if (o->free_goal >= 0 &&
	    (o->kinds & (DS_PRUNE_CONTAINERS | DS_PRUNE_VOLUMES)))
		return ds_err_set(err, DS_E_ARG,
				  "free= works on dangling, images and cache "
				  "only: prune containers or volumes in a "
				  "call of their own");
	if (o->free_goal >= 0 && o->max_cache >= 0)
		return ds_err_set(err, DS_E_ARG,
				  "free= and max-cache= cannot be combined: "
				  "use one call for each");
	return DS_OK;
}

/* Decide the plan. */
enum ds_code ds_prune_plan(struct ds_prune_plan *out, const struct ds_df *df,
			   const struct ds_prune_opts *o, struct ds_err *err)
{
	enum ds_code result;
	struct image_state *st = NULL;
	struct image_index index = { 0 };
	struct cache_plan cp = { 0 };
	struct patterns pats = { 0 };
	const struct ds_container **containers = NULL;
	const struct ds_volume **volumes = NULL;
	int *goes = NULL;
	size_t cap = 0, i;
	int64_t need = o->free_goal - o->free_now;
	int goal = o->free_goal >= 0;

	memset(out, 0, sizeof(*out));
	result = check_opts(o, err);
	if (result != DS_OK)
		return result;
	st = calloc(df->n_images + 1, sizeof(*st));
	goes = calloc(df->n_containers + 1, sizeof(*goes));
	cp.state = calloc(df->n_cache + 1, 1);
	if (!st || !goes || !cp.state) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	containers = (const struct ds_container **)sorted(
		df->container_list, df->n_containers,
		sizeof(*df->container_list), container_cmp);
	volumes = (const struct ds_volume **)sorted(
		df->volume_list, df->n_volumes, sizeof(*df->volume_list),
		volume_cmp);
	if (!containers || !volumes) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = patterns_init(&pats, df, o, err);
	if (result == DS_OK)
		result = image_index_init(&index, df, err);
	if (result == DS_OK)
		result = cache_links(&cp.deps, df, err);
	if (result != DS_OK)
		goto done;
	for (i = 0; i < df->n_containers && (o->kinds & DS_PRUNE_CONTAINERS);
	     i++) {
		const struct ds_container *c = containers[i];

		if (!container_stopped(c) || !old_enough(c->created, o))
			continue;
		goes[c - df->container_list] = 1;
		result = add_item(out, &cap, (struct ds_prune_item){
				DS_ITEM_CONTAINER, c, NULL, NULL, NULL,
				container_estimate(df, &index, c, o),
				"stopped" },
				err);
		if (result != DS_OK)
			goto done;
	}
	result = classify_images(df, &index, st, goes, o, &pats, err);
	if (result == DS_OK)
		result = list_unmatched(out, df, o, &pats, err);
	if (result != DS_OK)
		goto done;
	if (goal) {
		if (cache_allowed(o))
			result = plan_cache(out, &cap, df, o, &cp, &need, err);
		if (result == DS_OK)
			result = plan_images(out, &cap, df, o, &index, st,
					     cache_allowed(o) ? &cp : NULL,
					     &need, err);
		out->goal_reachable = need <= 0;
		out->held = held_bytes(df, o, st, &cp);
		goto done;
	}
	result = plan_images(out, &cap, df, o, &index, st, NULL, NULL, err);
	if (result == DS_OK && cache_allowed(o)) {
		mark_released(df, o, st, &cp);
		result = plan_cache(out, &cap, df, o, &cp, NULL, err);
	}
	out->held = held_bytes(df, o, st, &cp);
	for (i = 0; result == DS_OK && (o->kinds & DS_PRUNE_VOLUMES) &&
		    i < df->n_volumes; i++) {
		const struct ds_volume *v = volumes[i];

		if (v->ref_count != 0 || volume_protected(v, o) ||
		    !old_enough(v->created, o))
			continue;
		result = add_item(out, &cap, (struct ds_prune_item){
				DS_ITEM_VOLUME, NULL, NULL, NULL, v,
				v->size > 0 ? v->size : 0, "unused volume" },
				err);
	}
done:
	free(st);
	free(goes);
	free(containers);
	free(volumes);
	patterns_free(&pats);
	image_index_free(&index);
	ds_deps_free(&cp.deps);
	free(cp.state);
	if (result != DS_OK)
		ds_prune_plan_free(out);
	return result;
}

/* Free the plan's arrays (the items borrow from the df, the unmatched
 * patterns from the options). */
void ds_prune_plan_free(struct ds_prune_plan *plan)
{
	free(plan->items);
	free(plan->unmatched);
	memset(plan, 0, sizeof(*plan));
}

/* Append copies of the space-separated words of list to *words. */
static enum ds_code add_words(char ***words, size_t *n, const char *list,
			      struct ds_err *err)
{
	const char *cursor = list, *p;
	size_t len;

	while ((p = ds_word_next(&cursor, &len))) {
		char **grown, *w;

		grown = realloc(*words, (*n + 1) * sizeof(*grown));
		w = strndup(p, len);
		if (grown)
			*words = grown;
		if (!grown || !w) {
			free(w);
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		}
		(*words)[(*n)++] = w;
	}
	return DS_OK;
}

/* Parse a signed size option value into bytes. */
static enum ds_code size_opt(int64_t *out, const char *name,
			     const char *value, struct ds_err *err)
{
	uint64_t v;
	struct ds_err local = DS_ERR_INIT;

	if (ds_size_parse(value, &v, &local) != DS_OK)
		return ds_err_set(err, DS_E_ARG, "%s=: %s", name, local.msg);
	*out = (int64_t)v;
	return DS_OK;
}

/* Parse one option ("keep=2", "dry-run", ...). */
static enum ds_code parse_option(struct ds_prune_args *a, const char *opt,
				 struct ds_err *err)
{
	const char *eq = strchr(opt, '=');
	size_t nlen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *v = eq ? eq + 1 : NULL;
	struct ds_err local = DS_ERR_INIT;
	uint64_t n;
	char *end;

#define IS(name) (nlen == strlen(name) && strncmp(opt, name, nlen) == 0)
	if (IS("dry-run") && !v) {
		a->dry_run = 1;
	} else if (IS("json") && !v) {
		a->json = 1;
	} else if (IS("strict") && !v) {
		a->opts.strict = 1;
	} else if (!v) {
		return ds_err_set(err, DS_E_ARG, "unknown option '%s': use "
				  "keep=N, until=DURATION, max-cache=SIZE, "
				  "free=SIZE, protect=PATTERN, strict, "
				  "dry-run or json", opt);
	} else if (IS("keep")) {
		long k = strtol(v, &end, 10);

		if (!*v || *end || k < 0 || k > 100000)
			return ds_err_set(err, DS_E_ARG, "invalid keep='%s': "
					  "give a whole number such as 2", v);
		a->opts.keep = k;
	} else if (IS("until")) {
		if (ds_duration_parse(v, &n, &local) != DS_OK)
			return ds_err_set(err, DS_E_ARG, "until=: %s",
					  local.msg);
		a->opts.until = (int64_t)n;
	} else if (IS("max-cache")) {
		return size_opt(&a->opts.max_cache, "max-cache", v, err);
	} else if (IS("free")) {
		return size_opt(&a->opts.free_goal, "free", v, err);
	} else if (IS("protect")) {
		if (!*v)
			return ds_err_set(err, DS_E_ARG, "protect= needs a "
					  "pattern, e.g. protect=app:*");
		return add_words(&a->words, &a->n_words, v, err);
	} else {
		return ds_err_set(err, DS_E_ARG, "unknown option '%.*s=': use "
				  "keep=N, until=DURATION, max-cache=SIZE, "
				  "free=SIZE, protect=PATTERN, strict, "
				  "dry-run or json", (int)nlen, opt);
	}
#undef IS
	return DS_OK;
}

/*
 * Parse one option argument (or comma-separated piece of one): blank-
 * separated tokens; a token with '=' starts an option, dry-run and json
 * are flags, and other tokens after protect= are more patterns.
 */
static enum ds_code parse_piece(struct ds_prune_args *out, const char *piece,
				struct ds_err *err)
{
	enum ds_code result = DS_OK;
	const char *cursor = piece, *p;
	int in_protect = 0;
	size_t len;

	while (result == DS_OK && (p = ds_word_next(&cursor, &len))) {
		char *tok = strndup(p, len);

		if (!tok)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		if (in_protect && !strchr(tok, '=') &&
		    strcmp(tok, "dry-run") && strcmp(tok, "json") &&
		    strcmp(tok, "strict"))
			result = add_words(&out->words, &out->n_words, tok,
					   err);
		else
			result = parse_option(out, tok, err);
		in_protect = strncmp(tok, "protect=", 8) == 0 ||
			     (in_protect && !strchr(tok, '='));
		free(tok);
	}
	return result;
}

/* Parse the arguments of $(docker-prune WHAT[,OPTION...]). */
enum ds_code ds_prune_parse_args(struct ds_prune_args *out, unsigned int argc,
				 char **argv, const char *pins,
				 struct ds_err *err)
{
	enum ds_code result;
	size_t n_protect;
	unsigned int k;

	memset(out, 0, sizeof(*out));
	out->opts = (struct ds_prune_opts)DS_PRUNE_OPTS_INIT;
	result = ds_prune_parse_kinds(&out->opts.kinds,
				      argc ? argv[0] : "", err);
	/*
	 * Options are comma-separated arguments.  An argument that still
	 * holds commas came from a variable ($(docker-prune images,$(OPTS))
	 * with OPTS := dry-run,keep=1: make splits only the text written
	 * in the call): it is split as if written inline, no option value
	 * holding a comma.
	 */
	for (k = 1; result == DS_OK && k < argc; k++) {
		const char *piece = argv[k];

		while (result == DS_OK) {
			const char *comma = strchr(piece, ',');
			char *one = strndup(piece, comma
					    ? (size_t)(comma - piece)
					    : strlen(piece));

			if (!one) {
				result = ds_err_set(err, DS_E_NOMEM,
						    "out of memory");
				break;
			}
			result = parse_piece(out, one, err);
			free(one);
			if (!comma)
				break;
			piece = comma + 1;
		}
	}
	/* words[] holds the protect patterns, then the pins */
	n_protect = out->n_words;
	if (result == DS_OK && pins)
		result = add_words(&out->words, &out->n_words, pins, err);
	if (result != DS_OK) {
		ds_prune_args_free(out);
		return result;
	}
	out->opts.n_protect = n_protect;
	out->opts.protect = out->words;
	out->opts.pins = out->words ? out->words + n_protect : NULL;
	out->opts.n_pins = out->n_words - n_protect;
	return DS_OK;
}

/* Free what the parsed arguments own. */
void ds_prune_args_free(struct ds_prune_args *a)
{
	size_t i;

	for (i = 0; i < a->n_words; i++)
		free(a->words[i]);
	free(a->words);
	a->words = NULL;
	a->n_words = 0;
	a->opts.protect = a->opts.pins = NULL;
	a->opts.n_protect = a->opts.n_pins = 0;
}

/* 1 when a container state is a stopped one; unknown states are not. */
int ds_prune_state_stopped(const char *state)
{
	/* a whitelist: a state missing, null or unknown means keep */
	static const char *const stopped[] = { "exited", "created", "dead",
					       "stopped", "configured" };
	size_t i;

	if (!state)
		return 0;
	for (i = 0; i < sizeof(stopped) / sizeof(stopped[0]); i++)
		if (strcasecmp(state, stopped[i]) == 0)
			return 1;
	return 0;
}

/* 1 when a label, a protect pattern or a pin keeps the image. */
int ds_prune_image_protected(const struct ds_image *image,
			     const struct ds_prune_opts *opts)
{
	struct ds_df one = { 0 };
	struct patterns pats;
	struct ds_err err = DS_ERR_INIT;
	int protected = 1; /* out of memory: keep it */

	one.image_list = (struct ds_image *)image; /* read only */
	one.n_images = 1;
	if (patterns_init(&pats, &one, opts, &err) == DS_OK)
		protected = image_protected(image, opts, &pats);
	patterns_free(&pats);
	return protected;
}
