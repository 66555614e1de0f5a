/* share.c: which build-cache records hold an image's bytes (see share.h). */
#include <stdlib.h>
#include <string.h>

#include "share.h"

/* How many records with one chain key are looked at, at most: more than
 * that many identical chains is doubt, and doubt keeps. */
#define SHARE_SCAN_MAX 64

#define EXEC_PREFIX "mount / from exec "
#define PULLED_PREFIX "pulled from "
#define BUILDKIT_MARK "# buildkit"

/* Per record: the key of its chain of sized layers, and its depth. */
struct rec_chain {
	uint64_t key;
	size_t depth;   /* layers with bytes from the root to it */
	int state;      /* 0 not computed, 1 in progress, 2 done, 3 broken */
};

/* A record by chain key, for the lookup of an image's layer. */
struct key_entry {
	uint64_t key;
	size_t rec;
};

/* Mix one layer size into a chain key (splitmix64's finaliser). */
static uint64_t chain_mix(uint64_t key, int64_t size)
{
	uint64_t z = key ^ ((uint64_t)size + 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The chain of a history: sized steps, oldest first. */
enum ds_code ds_share_chain_from_history(struct ds_layer_chain *out,
					 const struct ds_history *history,
					 size_t n, struct ds_err *err)
{
	size_t i, k = 0;

	memset(out, 0, sizeof(*out));
	out->size = calloc(n + 1, sizeof(*out->size));
	out->created_by = calloc(n + 1, sizeof(*out->created_by));
	if (!out->size || !out->created_by) {
		ds_share_chain_free(out);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	for (i = n; i-- > 0;) {
		if (history[i].size <= 0)
			continue;
		out->size[k] = history[i].size;
		out->created_by[k] = history[i].created_by
				     ? history[i].created_by : "";
		k++;
	}
	out->n = k;
	return DS_OK;
}

/* Free a chain's arrays. */
void ds_share_chain_free(struct ds_layer_chain *chain)
{
	free(chain->size);
	free(chain->created_by);
	memset(chain, 0, sizeof(*chain));
}

/* 1 when the df has a Shared record with bytes. */
int ds_share_needed(const struct ds_df *df)
{
	size_t i;

	for (i = 0; i < df->n_cache; i++)
		if (df->cache_list[i].shared && df->cache_list[i].size > 0)
			return 1;
	return 0;
}

/* A record by ID, for the parent lookup. */
struct id_entry {
	const char *id;
	size_t rec;
};

/* Order ID entries by ID. */
static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct id_entry *)a)->id,
		      ((const struct id_entry *)b)->id);
}

/* The index of the record with this ID, or -1. */
static long find_rec(const struct ds_df *df, const struct id_entry *ids,
		     const char *id)
{
	size_t lo = 0, hi = df->n_cache;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ids[mid].id, id);

		if (c == 0)
			return (long)ids[mid].rec;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Work out the chain key of record r and of every record under it,
 * iteratively (chains can be long).  A record with several parents, a
 * parent not in the snapshot or a cycle breaks the chain.
 */
static void chain_of(const struct ds_df *df, const struct id_entry *ids,
		     struct rec_chain *rc, size_t *stack, size_t r)
{
	size_t top = 0;

	stack[top++] = r;
	while (top) {
		size_t i = stack[top - 1];
		const struct ds_cache *c = &df->cache_list[i];
		uint64_t key = 0;
		size_t depth = 0;

		if (rc[i].state >= 2) {
			top--;
			continue;
		}
		if (c->n_parents > 1) {
			rc[i].state = 3;
			top--;
			continue;
		}
		if (c->n_parents == 1) {
			long p = find_rec(df, ids, c->parents[0]);

			if (p < 0 || rc[p].state == 1 || rc[p].state == 3) {
				rc[i].state = 3;
				top--;
				continue;
			}
			if (rc[p].state == 0) {
				rc[i].state = 1;
				stack[top++] = (size_t)p;
				continue;
			}
			key = rc[p].key;
			depth = rc[p].depth;
		}
		if (c->size > 0) {
			key = chain_mix(key, c->size);
			depth++;
		}
		rc[i].key = key;
		rc[i].depth = depth;
		rc[i].state = 2;
		top--;
	}
}

/* Order key entries by key, then record index. */
static int by_key(const void *a, const void *b)
{
	const struct key_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/*
 * 1 when a record's step can be the image's step: a layer BuildKit
 * pulled matches any step; one it built matches only a step the history
 * marks "# buildkit", and a RUN only the same command.
 */
static int same_step(const struct ds_cache *c, const char *created_by)
{
	const char *d = c->description ? c->description : "";

	if (strncmp(d, PULLED_PREFIX, strlen(PULLED_PREFIX)) == 0)
		return 1;
	if (!strstr(created_by, BUILDKIT_MARK))
		return 0;
	if (strncmp(d, EXEC_PREFIX, strlen(EXEC_PREFIX)) != 0)
		return 1;
	d += strlen(EXEC_PREFIX);
	return strncmp(created_by, "RUN ", 4) == 0 &&
	       strstr(created_by, d) != NULL;
}

/*
 * 1 when record r's chain is the bottom k layers of the image's chain:
 * same sizes at every depth, same command at every RUN step.
 */
static int chain_matches(const struct ds_df *df, const struct id_entry *ids,
			 const struct rec_chain *rc, size_t r,
			 const struct ds_layer_chain *ch, size_t k)
{
	long i = (long)r;

	if (rc[r].depth != k)
		return 0;
	while (i >= 0) {
		const struct ds_cache *c = &df->cache_list[i];

		if (c->size > 0) {
			if (k == 0 || c->size != ch->size[k - 1] ||
			    !same_step(c, ch->created_by[k - 1]))
				return 0;
			k--;
		}
		if (c->n_parents != 1)
			break;
		i = find_rec(df, ids, c->parents[0]);
	}
	return k == 0;
}

/* Order key entries by depth, deepest first, then record index. */
static int deepest_first(const void *a, const void *b)
{
	const struct key_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/*
 * Of several records with the same chain (a rebuild whose layers kept
 * their sizes, as a version bump does), the one this image's build
 * made: the newest made no later than the image (a build makes its
 * records, then the image).  (size_t)-1 when that is not one record,
 * or the image's time says nothing (before them all: a fixed
 * SOURCE_DATE_EPOCH).
 */
static size_t built_for(const struct ds_df *df, const struct ds_image *img,
			const size_t *matched, size_t n)
{
	size_t m, best = (size_t)-1;
	int tie = 0;

	for (m = 0; m < n; m++) {
		int64_t t = df->cache_list[matched[m]].created_at;

		/* both times are the daemon's, in whole seconds: a record
		 * of the image's build is never later than the image */
		if (t <= 0 || t > img->created)
			continue;
		if (best == (size_t)-1 ||
		    t > df->cache_list[best].created_at) {
			best = matched[m];
			tie = 0;
		} else if (t == df->cache_list[best].created_at) {
			tie = 1;
		}
	}
	return tie ? (size_t)-1 : best;
}

/* How many of the chain's layers the image shares with other images. */
static size_t shared_depth(const struct ds_image *img,
			   const struct ds_layer_chain *ch)
{
	int64_t sum = 0;
	size_t k = 0;

	if (img->shared_size < 0)
		return ch->n; /* unknown: say nothing of this image */
	while (k < ch->n && sum < img->shared_size)
		sum += ch->size[k++];
	return k;
}

/* Map records to images (see share.h). */
enum ds_code ds_share_map(struct ds_share *out, const struct ds_df *df,
			  const struct ds_layer_chain *chains,
			  struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct id_entry *ids = NULL;
	size_t *stack = NULL, *owner = NULL, *cursor = NULL;
	struct rec_chain *rc = NULL;
	struct key_entry *keys = NULL;
	size_t n_keys = 0, i, k;
	const size_t none = (size_t)-1, doubt = (size_t)-2;

	memset(out, 0, sizeof(*out));
	out->n_images = df->n_images;
	out->held = calloc(df->n_images + 1, sizeof(*out->held));
	out->first = calloc(df->n_images + 1, sizeof(*out->first));
	out->layers = calloc(df->n_images + 1, sizeof(*out->layers));
	ids = calloc(df->n_cache + 1, sizeof(*ids));
	stack = calloc(df->n_cache + 1, sizeof(*stack));
	owner = calloc(df->n_cache + 1, sizeof(*owner));
	rc = calloc(df->n_cache + 1, sizeof(*rc));
	keys = calloc(df->n_cache + 1, sizeof(*keys));
	if (!out->held || !out->first || !out->layers || !ids || !stack ||
	    !owner || !rc || !keys) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < df->n_cache; i++) {
		ids[i] = (struct id_entry){ df->cache_list[i].id, i };
		owner[i] = none;
	}
	qsort(ids, df->n_cache, sizeof(*ids), by_id);
	for (i = 0; i < df->n_cache; i++) {
		const struct ds_cache *c = &df->cache_list[i];

		chain_of(df, ids, rc, stack, i);
		if (rc[i].state == 2 && c->shared && c->size > 0)
			keys[n_keys++] = (struct key_entry){ rc[i].key, i };
	}
	qsort(keys, n_keys, sizeof(*keys), by_key);

	for (i = 0; i < df->n_images && i < out->n_images; i++) {
		const struct ds_layer_chain *ch = &chains[i];
		size_t d = ch->n ? shared_depth(&df->image_list[i], ch) : 0;
		uint64_t key = 0;

		out->layers[i] = ch->n ? ch->n - d : DS_SHARE_UNKNOWN;
		if (ch->n && df->image_list[i].shared_size < 0)
			out->layers[i] = DS_SHARE_UNKNOWN;

		for (k = 1; k <= ch->n; k++) {
			size_t lo = 0, hi = n_keys, j, scanned = 0;
			size_t found = 0, match = none, m;
			size_t matched[SHARE_SCAN_MAX];

			key = chain_mix(key, ch->size[k - 1]);
			while (lo < hi) { /* first entry with this key */
				size_t mid = lo + (hi - lo) / 2;

				if (keys[mid].key < key)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (j = lo; j < n_keys && keys[j].key == key &&
				     scanned < SHARE_SCAN_MAX; j++, scanned++)
				if (chain_matches(df, ids, rc, keys[j].rec, ch,
						  k))
					matched[found++] = keys[j].rec;
			if (!found)
				continue;
			if (k <= d) {
				/* a layer other images hold too: its record
				 * is no one image's own */
				for (m = 0; m < found; m++)
					owner[matched[m]] = doubt;
				continue;
			}
			if (j < n_keys && keys[j].key == key)
				match = none; /* too many to tell: doubt */
			else if (found == 1)
				match = matched[0];
			else
				match = built_for(df, &df->image_list[i],
						  matched, found);
			out->held[i] += ch->size[k - 1];
			out->layers[i]--;
			if (match != none)
				owner[match] = owner[match] == none ? i : doubt;
		}
	}

	/* Each image's records, deepest first (children before parents). */
	for (i = 0; i < df->n_cache; i++)
		if (owner[i] != none && owner[i] != doubt)
			out->first[owner[i] + 1]++;
	for (i = 0; i < df->n_images; i++)
		out->first[i + 1] += out->first[i];
	out->rec = calloc(out->first[df->n_images] + 1, sizeof(*out->rec));
	cursor = calloc(df->n_images + 1, sizeof(*cursor));
	if (!out->rec || !cursor) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	memcpy(cursor, out->first, df->n_images * sizeof(*cursor));
	/* keys[] reused: owned records by depth, deepest first */
	n_keys = 0;
	for (i = 0; i < df->n_cache; i++)
		if (owner[i] != none && owner[i] != doubt)
			keys[n_keys++] = (struct key_entry){ rc[i].depth, i };
	qsort(keys, n_keys, sizeof(*keys), deepest_first);
	for (i = 0; i < n_keys; i++)
		out->rec[cursor[owner[keys[i].rec]]++] = keys[i].rec;
done:
	free(ids);
	free(stack);
	free(owner);
	free(rc);
	free(keys);
	free(cursor);
	if (result != DS_OK)
		ds_share_free(out);
	return result;
}

/* Free the map. */
void ds_share_free(struct ds_share *share)
{
	free(share->held);
	free(share->layers);
	free(share->first);
	free(share->rec);
	memset(share, 0, sizeof(*share));
}
