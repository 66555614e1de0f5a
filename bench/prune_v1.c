/* prune.c: the prune plan, decided on data alone (see prune.h). */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* 1 when s is 12 or more lower-case hex digits. */
static int is_hex_prefix(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return 0;
	return n >= 12;
}

/* 1 when a and b are the same reference, b possibly without ":latest". */
static int same_ref(const char *tag, const char *ref)
{
	size_t rl = strlen(ref), tl = strlen(tag);
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(ref, ':');

	if (strcmp(tag, ref) == 0)
		return 1;
	/* ref has no tag: it means ref:latest */
	if ((!colon || (slash && colon < slash)) && tl == rl + 7 &&
	    strncmp(tag, ref, rl) == 0 && strcmp(tag + rl, ":latest") == 0)
		return 1;
	return 0;
}

/* 1 when ref (a pin) names image: a tag or an ID prefix.  (prune.h no
 * longer declares it: today's rule is ds_ref_names_image in ref.c.) */
int ds_prune_ref_matches(const struct ds_image *image, const char *ref);
int ds_prune_ref_matches(const struct ds_image *image, const char *ref)
{
	const char *norm = ds_ref_familiar(ref);
	const char *bare = bare_id(ref);
	int match = 0;
	size_t i;

	if (is_hex_prefix(bare) &&
	    strncasecmp(bare_id(image->id), bare, strlen(bare)) == 0)
		match = 1;
	for (i = 0; !match && i < image->n_tags; i++)
		match = same_ref(image->tags[i], norm ? norm : ref) ||
			same_ref(image->raw_tags[i], ref);
	return match;
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

/* 1 when a protect pattern matches the text, or its repository part. */
static int glob_matches(const char *pattern, const char *text, int repo_too)
{
	char repo[512];
	size_t n;

	if (fnmatch(pattern, text, 0) == 0)
		return 1;
	if (!repo_too)
		return 0;
	n = repo_len(text);
	if (n >= sizeof(repo))
		return 0;
	memcpy(repo, text, n);
	repo[n] = '\0';
	return fnmatch(pattern, repo, 0) == 0;
}

/* 1 when the image is protected by a label, a pattern or a pin. */
static int image_protected(const struct ds_image *img,
			   const struct ds_prune_opts *o)
{
	size_t i, j;

	for (i = 0; i < img->n_labels; i++)
		if (strcmp(img->label_keys[i], "dockspace.keep") == 0)
			return 1;
	for (i = 0; i < o->n_pins; i++)
		if (ds_prune_ref_matches(img, o->pins[i]))
			return 1;
	for (i = 0; i < o->n_protect; i++) {
		/* no tag in the pattern (a ':' after its last '/'): it
		 * names a repository; reg:5000/app has a port, no tag */
		int repo_too = repo_len(o->protect[i]) ==
			       strlen(o->protect[i]);

		if (glob_matches(o->protect[i], img->id, 0) ||
		    glob_matches(o->protect[i], bare_id(img->id), 0))
			return 1;
		for (j = 0; j < img->n_tags; j++)
			if (glob_matches(o->protect[i], img->tags[j],
					 repo_too) ||
			    glob_matches(o->protect[i], img->raw_tags[j],
					 repo_too))
				return 1;
	}
	return 0;
}

/* 1 when a container in this state is stopped (prunable). */
static int container_stopped(const struct ds_container *c)
{
	static const char *const live[] = { "running", "paused",
					    "restarting", "removing" };
	size_t i;

	if (!c->state)
		return 0; /* unknown: keep it */
	for (i = 0; i < sizeof(live) / sizeof(live[0]); i++)
		if (strcasecmp(c->state, live[i]) == 0)
			return 0;
	return 1;
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

/* Estimated bytes an image frees: its size less what it shares. */
static int64_t image_estimate(const struct ds_image *img)
{
	if (img->shared_size > 0 && img->shared_size <= img->size)
		return img->size - img->shared_size;
	return img->size > 0 ? img->size : 0;
}

/* The index of the image with this ID, or -1. */
static long find_image(const struct ds_df *df, const char *id)
{
	size_t i;

	if (!id || !*id)
		return -1;
	for (i = 0; i < df->n_images; i++)
		if (strcmp(bare_id(df->image_list[i].id), bare_id(id)) == 0)
			return (long)i;
	return -1;
}

/* Mark images among the keep=N newest of any of their repositories. */
static void mark_kept(const struct ds_df *df, struct image_state *st,
		      long keep)
{
	size_t i, j, t, u;

	for (i = 0; i < df->n_images; i++) {
		const struct ds_image *a = &df->image_list[i];

		for (t = 0; t < a->n_tags && !st[i].kept; t++) {
			size_t rl = repo_len(a->tags[t]);
			long newer = 0;

			/* count distinct images of this repo newer than a */
			for (j = 0; j < df->n_images; j++) {
				const struct ds_image *b = &df->image_list[j];

				if (j == i)
					continue;
				for (u = 0; u < b->n_tags; u++) {
					if (repo_len(b->tags[u]) == rl &&
					    strncmp(b->tags[u], a->tags[t],
						    rl) == 0)
						break;
				}
				if (u == b->n_tags)
					continue;
				if (b->created > a->created ||
				    (b->created == a->created &&
				     strcmp(b->id, a->id) > 0))
					newer++;
			}
			if (newer < keep)
				st[i].kept = 1;
		}
	}
}

/* 1 when some image that stays (not planned) has image i as parent. */
static int has_staying_child(const struct ds_df *df,
			     const struct image_state *st, size_t i,
			     int candidates_stay)
{
	size_t j;

	for (j = 0; j < df->n_images; j++) {
		const char *parent = df->image_list[j].parent_id;

		if (j == i || !parent || !*parent ||
		    strcmp(bare_id(parent), bare_id(df->image_list[i].id)))
			continue;
		if (candidates_stay ? !st[j].planned : !st[j].candidate)
			return 1;
	}
	return 0;
}

/* Work out which images may go (used, protected, age, keep, kinds). */
static void classify_images(const struct ds_df *df, struct image_state *st,
			    const int *container_goes,
			    const struct ds_prune_opts *o)
{
	size_t i;
	int changed;
	int64_t *seen = calloc(df->n_images + 1, sizeof(*seen));

	for (i = 0; i < df->n_containers; i++) {
		long k = find_image(df, df->container_list[i].image_id);

		if (k < 0)
			continue;
		if (seen)
			seen[k]++;
		if (!container_goes[i])
			st[k].used = 1;
	}
	/* The engine counts users we did not see: keep those images. */
	for (i = 0; i < df->n_images; i++)
		if (!seen || df->image_list[i].containers > seen[i])
			st[i].used = 1;
	free(seen);
	if (o->keep >= 0)
		mark_kept(df, st, o->keep);
	for (i = 0; i < df->n_images; i++) {
		const struct ds_image *img = &df->image_list[i];
		int dangling = img->n_tags == 0;

		st[i].protected = image_protected(img, o);
		if (st[i].used || st[i].protected || st[i].kept ||
		    !old_enough(img->created, o))
			continue;
		if (dangling && (o->kinds & (DS_PRUNE_DANGLING |
					     DS_PRUNE_IMAGES))) {
			st[i].candidate = 1;
			st[i].reason = "dangling";
		} else if (!dangling && (o->kinds & DS_PRUNE_IMAGES)) {
			st[i].candidate = 1;
			st[i].reason = o->keep >= 0 ? "beyond keep" : "unused";
		}
	}
	/* a parent of an image that stays cannot be deleted */
	do {
		changed = 0;
		for (i = 0; i < df->n_images; i++) {
			if (st[i].candidate &&
			    has_staying_child(df, st, i, 0)) {
				st[i].candidate = 0;
				changed = 1;
			}
		}
	} while (changed);
}

/* Add candidate images, oldest first, children before parents; in goal
 * mode stop once *need bytes are covered. */
static enum ds_code plan_images(struct ds_prune_plan *plan, size_t *cap,
				const struct ds_df *df,
				struct image_state *st, int64_t *need,
				struct ds_err *err)
{
	for (;;) {
		long best = -1;
		size_t i;

		if (need && *need <= 0)
			return DS_OK;
		for (i = 0; i < df->n_images; i++) {
			const struct ds_image *img = &df->image_list[i];

			if (!st[i].candidate || st[i].planned ||
			    has_staying_child(df, st, i, 1))
				continue;
			if (best < 0 ||
			    img->created < df->image_list[best].created ||
			    (img->created == df->image_list[best].created &&
			     strcmp(img->id, df->image_list[best].id) < 0))
				best = (long)i;
		}
		if (best < 0)
			return DS_OK;
		st[best].planned = 1;
		if (add_item(plan, cap, (struct ds_prune_item){
				DS_ITEM_IMAGE, NULL, &df->image_list[best],
				NULL, NULL,
				image_estimate(&df->image_list[best]),
				need ? "to reach free=" : st[best].reason },
			     err) != DS_OK)
			return err->code;
		if (need)
			*need -= image_estimate(&df->image_list[best]);
	}
}

/* When a cache record was last used (else made). */
static int64_t cache_time(const struct ds_cache *c)
{
	return c->last_used_at ? c->last_used_at : c->created_at;
}

/* 1 when record child is built on record parent. */
static int cache_is_child(const struct ds_cache *child,
			  const struct ds_cache *parent)
{
	size_t i;

	for (i = 0; i < child->n_parents; i++)
		if (strcmp(child->parents[i], parent->id) == 0)
			return 1;
	return 0;
}

/*
 * 1 when record i has a child whose flag is want (0: a record that
 * stays; 'c': a candidate not planned yet).  BuildKit keeps a record
 * while a child of it exists, so children go first.
 */
static int cache_has_child(const struct ds_df *df, const char *flag,
			   size_t i, char want)
{
	size_t j;

	for (j = 0; j < df->n_cache; j++)
		if (j != i && flag[j] == want &&
		    cache_is_child(&df->cache_list[j], &df->cache_list[i]))
			return 1;
	return 0;
}

/*
 * Add cache records, least recently used first among those whose
 * children are already planned: all candidates, down to max_cache, or
 * (goal mode) until *need is covered.  A record in use or shared with an
 * image is no candidate, nor is a parent of a record that stays.
 */
static enum ds_code plan_cache(struct ds_prune_plan *plan, size_t *cap,
			       const struct ds_df *df,
			       const struct ds_prune_opts *o, int64_t *need,
			       struct ds_err *err)
{
	/* per record: 0 stays, 'c' candidate, 'p' planned */
	char *flag;
	int64_t total = 0;
	size_t i;
	int changed;
	enum ds_code result = DS_OK;

	if (!df->n_cache)
		return DS_OK;
	flag = calloc(df->n_cache, 1);
	if (!flag)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < df->n_cache; i++) {
		const struct ds_cache *c = &df->cache_list[i];

		if (!c->shared)
			total += c->size;
		if (!c->in_use && !c->shared && old_enough(cache_time(c), o))
			flag[i] = 'c';
	}
	do {
		changed = 0;
		for (i = 0; i < df->n_cache; i++)
			if (flag[i] == 'c' && cache_has_child(df, flag, i, 0)) {
				flag[i] = 0;
				changed = 1;
			}
	} while (changed);
	for (;;) {
		long best = -1;

		if (need && *need <= 0)
			break;
		if (!need && o->max_cache >= 0 && total <= o->max_cache)
			break;
		for (i = 0; i < df->n_cache; i++) {
			if (flag[i] != 'c' || cache_has_child(df, flag, i, 'c'))
				continue;
			if (best < 0 ||
			    cache_time(&df->cache_list[i]) <
			    cache_time(&df->cache_list[best]) ||
			    (cache_time(&df->cache_list[i]) ==
			     cache_time(&df->cache_list[best]) &&
			     strcmp(df->cache_list[i].id,
				    df->cache_list[best].id) < 0))
				best = (long)i;
		}
		if (best < 0)
			break;
		flag[best] = 'p';
		result = add_item(plan, cap, (struct ds_prune_item){
				DS_ITEM_CACHE, NULL, NULL,
				&df->cache_list[best], NULL,
				df->cache_list[best].size,
				need ? "to reach free="
				     : o->max_cache >= 0 ? "over max-cache"
							 : "unused" }, err);
		if (result != DS_OK)
			break;
		total -= df->cache_list[best].size;
		if (need)
			*need -= df->cache_list[best].size;
	}
	free(flag);
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
	if (!st || !goes) {
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
	for (i = 0; i < df->n_containers && (o->kinds & DS_PRUNE_CONTAINERS);
	     i++) {
		const struct ds_container *c = containers[i];

		if (!container_stopped(c) || !old_enough(c->created, o))
			continue;
		goes[c - df->container_list] = 1;
		result = add_item(out, &cap, (struct ds_prune_item){
				DS_ITEM_CONTAINER, c, NULL, NULL, NULL,
				c->size_rw > 0 ? c->size_rw : 0, "stopped" },
				err);
		if (result != DS_OK)
			goto done;
	}
	classify_images(df, st, goes, o);
	if (goal) {
		result = DS_OK;
		if (o->kinds & DS_PRUNE_CACHE || o->max_cache >= 0)
			result = plan_cache(out, &cap, df, o, &need, err);
		if (result == DS_OK)
			result = plan_images(out, &cap, df, st, &need, err);
		out->goal_reachable = need <= 0;
		goto done;
	}
	result = plan_images(out, &cap, df, st, NULL, err);
	if (result == DS_OK && ((o->kinds & DS_PRUNE_CACHE) ||
				o->max_cache >= 0))
		result = plan_cache(out, &cap, df, o, NULL, err);
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
	if (result != DS_OK)
		ds_prune_plan_free(out);
	return result;
}

/* Free the plan's array (the items borrow from the df). */
void ds_prune_plan_free(struct ds_prune_plan *plan)
{
	free(plan->items);
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
	} else if (!v) {
		return ds_err_set(err, DS_E_ARG, "unknown option '%s': use "
				  "keep=N, until=DURATION, max-cache=SIZE, "
				  "free=SIZE, protect=PATTERN, dry-run or "
				  "json", opt);
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
				  "free=SIZE, protect=PATTERN, dry-run or "
				  "json", (int)nlen, opt);
	}
#undef IS
	return DS_OK;
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
	 * Options are comma-separated arguments, and within one argument
	 * blank-separated tokens: a token with '=' starts an option,
	 * dry-run and json are flags, and other tokens after protect= are
	 * more patterns.
	 */
	for (k = 1; result == DS_OK && k < argc; k++) {
		const char *cursor = argv[k], *p;
		int in_protect = 0;
		size_t len;

		while (result == DS_OK && (p = ds_word_next(&cursor, &len))) {
			char *tok = strndup(p, len);

			if (!tok) {
				result = ds_err_set(err, DS_E_NOMEM,
						    "out of memory");
				break;
			}
			if (in_protect && !strchr(tok, '=') &&
			    strcmp(tok, "dry-run") && strcmp(tok, "json"))
				result = add_words(&out->words, &out->n_words,
						   tok, err);
			else
				result = parse_option(out, tok, err);
			in_protect = strncmp(tok, "protect=", 8) == 0 ||
				     (in_protect && !strchr(tok, '='));
			free(tok);
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
	out->opts.pins = out->words + n_protect;
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
