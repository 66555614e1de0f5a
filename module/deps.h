/*
 * deps.h: parent/child links among n objects (images, build-cache
 * records) and the order that deletes children before their parents,
 * all in O((n + e) log n).  Pure policy helpers for prune.c: no I/O.
 *
 * Objects are numbered 0..n-1 (their index in the df's list).  Keys
 * index them by a string (an ID) so that parent links, which name IDs,
 * are resolved by binary search instead of a scan.
 *
 * Memory: ds_deps_build allocates the link arrays, ds_deps_free frees
 * them; ds_deps_order writes to an array of n the caller owns.  Keys
 * borrow their strings.
 */
#ifndef DS_DEPS_H
#define DS_DEPS_H

#include <stddef.h>

#include "error.h"

/* An object's key (borrowed) and its index. */
struct ds_key {
	const char *key;
	size_t i;
};

/* Sort keys by key, then index (so the first of equal keys is the
 * object listed first). */
void ds_keys_sort(struct ds_key *keys, size_t n);

/* The position in sorted keys of the first key equal to key; n if none.
 * The objects with that key are keys[pos..] while the key is equal. */
size_t ds_keys_find(const struct ds_key *keys, size_t n, const char *key);

/* A link: child is built on parent (indices). */
struct ds_edge {
	size_t parent;
	size_t child;
};

/* The links, both ways: children of i are child[child_at[i] ..
 * child_at[i + 1]), parents of i are parent[parent_at[i] .. +1]). */
struct ds_deps {
	size_t n;
	size_t *child_at;
	size_t *child;
	size_t *parent_at;
	size_t *parent;
};

/*
 * Build the links of n objects from n_edges edges (sorted and stripped
 * of duplicates and self-links in place; a link counts once however
 * often it is listed).
 */
enum ds_code ds_deps_build(struct ds_deps *d, size_t n,
			   struct ds_edge *edges, size_t n_edges,
			   struct ds_err *err);

void ds_deps_free(struct ds_deps *d);

/*
 * Clear candidate[i] (0 stays, 1 may go) of every object with a
 * descendant that stays: a parent cannot go while a child stays.
 */
enum ds_code ds_deps_spread_stay(const struct ds_deps *d,
				 unsigned char *candidate,
				 struct ds_err *err);

/* Order of two objects for ds_deps_order: < 0 when a goes first. */
typedef int (*ds_deps_cmp)(const void *ctx, size_t a, size_t b);

/*
 * The candidates in deletion order, into order[] (room for n), their
 * number in *n_order: repeatedly the least (by cmp) candidate all of
 * whose children are already in the order.  Candidates whose children
 * never all go (a child that stays, a cycle) are left out.  With
 * ds_deps_spread_stay applied first, every child of a candidate is a
 * candidate.
 */
enum ds_code ds_deps_order(size_t *order, size_t *n_order,
			   const struct ds_deps *d,
			   const unsigned char *candidate, ds_deps_cmp cmp,
			   const void *ctx, struct ds_err *err);

#endif
