/* deps.c: parent/child links and children-first order (see deps.h). */
#include <stdlib.h>
#include <string.h>

#include "deps.h"

/* Compare two keys by key, then index. */
static int key_cmp(const void *a, const void *b)
{
	const struct ds_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Sort keys by key, then index. */
void ds_keys_sort(struct ds_key *keys, size_t n)
{
	if (n > 1)
		qsort(keys, n, sizeof(*keys), key_cmp);
}

/* The first position of key in sorted keys (lower bound), n if absent. */
size_t ds_keys_find(const struct ds_key *keys, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(keys[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(keys[lo].key, key) == 0 ? lo : n;
}

/* Compare two edges by parent, then child. */
static int edge_cmp(const void *a, const void *b)
{
	const struct ds_edge *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->child < y->child ? -1 : x->child > y->child;
}

/* Fill at[] (n + 1 offsets) and list[] from the node of each edge. */
static void link_list(size_t *at, size_t *list, size_t n,
		      const struct ds_edge *edges, size_t n_edges,
		      int by_child)
{
	size_t i, *next = at + 1;

	for (i = 0; i < n_edges; i++)
		next[by_child ? edges[i].child : edges[i].parent]++;
	for (i = 0; i < n; i++)
		at[i + 1] += at[i];
	/* place each edge; next[k] walks from at[k] (restored below) */
	for (i = 0; i < n_edges; i++) {
		size_t k = by_child ? edges[i].child : edges[i].parent;

		list[at[k]++] = by_child ? edges[i].parent : edges[i].child;
	}
	for (i = n; i > 0; i--)
		at[i] = at[i - 1];
	at[0] = 0;
}

/* Build the links of n objects from their edges. */
enum ds_code ds_deps_build(struct ds_deps *d, size_t n,
			   struct ds_edge *edges, size_t n_edges,
			   struct ds_err *err)
{
	size_t i, k = 0;

	memset(d, 0, sizeof(*d));
	if (n_edges > 1)
		qsort(edges, n_edges, sizeof(*edges), edge_cmp);
	for (i = 0; i < n_edges; i++) {
		if (edges[i].parent == edges[i].child ||
		    (k && edges[k - 1].parent == edges[i].parent &&
		     edges[k - 1].child == edges[i].child))
			continue;
		edges[k++] = edges[i];
	}
	d->n = n;
	d->child_at = calloc(n + 1, sizeof(size_t));
	d->parent_at = calloc(n + 1, sizeof(size_t));
	d->child = calloc(k + 1, sizeof(size_t));
	d->parent = calloc(k + 1, sizeof(size_t));
	if (!d->child_at || !d->parent_at || !d->child || !d->parent) {
		ds_deps_free(d);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	link_list(d->child_at, d->child, n, edges, k, 0);
	link_list(d->parent_at, d->parent, n, edges, k, 1);
	return DS_OK;
}

/* Free the links. */
void ds_deps_free(struct ds_deps *d)
{
	free(d->child_at);
	free(d->child);
	free(d->parent_at);
	free(d->parent);
	memset(d, 0, sizeof(*d));
}

/* Clear the candidacy of every ancestor of an object that stays. */
enum ds_code ds_deps_spread_stay(const struct ds_deps *d,
				 unsigned char *candidate,
				 struct ds_err *err)
{
	size_t *stack = malloc((d->n + 1) * sizeof(*stack));
	size_t top = 0, i, k;

	if (!stack)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < d->n; i++)
		if (!candidate[i])
			stack[top++] = i;
	/* each object is pushed at most once: when it stops being one */
	while (top) {
		size_t x = stack[--top];

		for (k = d->parent_at[x]; k < d->parent_at[x + 1]; k++) {
			size_t p = d->parent[k];

			if (candidate[p]) {
				candidate[p] = 0;
				stack[top++] = p;
			}
		}
	}
	free(stack);
	return DS_OK;
}

/* A binary min-heap of object indices ordered by cmp. */
struct heap {
	size_t *at;
	size_t n;
	ds_deps_cmp cmp;
	const void *ctx;
};

/* 1 when heap slot a goes before slot b. */
static int before(const struct heap *h, size_t a, size_t b)
{
	return h->cmp(h->ctx, h->at[a], h->at[b]) < 0;
}

/* Swap two heap slots. */
static void swap(struct heap *h, size_t a, size_t b)
{
	size_t t = h->at[a];

	h->at[a] = h->at[b];
	h->at[b] = t;
}

/* Add object x. */
static void heap_push(struct heap *h, size_t x)
{
	size_t i = h->n++;

	h->at[i] = x;
	while (i && before(h, i, (i - 1) / 2)) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* Remove and return the least object. */
static size_t heap_pop(struct heap *h)
{
	size_t top = h->at[0], i = 0;

	h->at[0] = h->at[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && before(h, l, m))
			m = l;
		if (r < h->n && before(h, r, m))
			m = r;
		if (m == i)
			break;
		swap(h, i, m);
		i = m;
	}
	return top;
}

/* The candidates in deletion order: children first, least first. */
enum ds_code ds_deps_order(size_t *order, size_t *n_order,
			   const struct ds_deps *d,
			   const unsigned char *candidate, ds_deps_cmp cmp,
			   const void *ctx, struct ds_err *err)
{
	struct heap h = { NULL, 0, cmp, ctx };
	size_t *pending = calloc(d->n + 1, sizeof(*pending));
	size_t i, k;

	*n_order = 0;
	h.at = malloc((d->n + 1) * sizeof(*h.at));
	if (!pending || !h.at) {
		free(pending);
		free(h.at);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	for (i = 0; i < d->n; i++) {
		pending[i] = d->child_at[i + 1] - d->child_at[i];
		if (candidate[i] && !pending[i])
			heap_push(&h, i);
	}
	while (h.n) {
		size_t x = heap_pop(&h);

		order[(*n_order)++] = x;
		for (k = d->parent_at[x]; k < d->parent_at[x + 1]; k++) {
			size_t p = d->parent[k];

			if (--pending[p] == 0 && candidate[p])
				heap_push(&h, p);
		}
	}
	free(pending);
	free(h.at);
	return DS_OK;
}
