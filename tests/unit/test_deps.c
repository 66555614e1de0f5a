/* test_deps.c: parent links and the children-first order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

#include "deps.h"

static void keys_should_find_the_first_listed_of_equal_keys(void **state)
{
	struct ds_key keys[] = { { "b", 0 }, { "a", 1 }, { "c", 2 },
				 { "a", 3 }, { "b", 4 } };
	size_t n = 5, k;

	(void)state;
	ds_keys_sort(keys, n);
	k = ds_keys_find(keys, n, "a");
	assert_int_equal(k, 0);
	assert_int_equal(keys[k].i, 1);
	assert_int_equal(keys[k + 1].i, 3);
	k = ds_keys_find(keys, n, "b");
	assert_int_equal(keys[k].i, 0);
	assert_int_equal(keys[k + 1].i, 4);
	assert_int_equal(ds_keys_find(keys, n, "c"), 4);
	assert_int_equal(ds_keys_find(keys, n, "0"), n);
	assert_int_equal(ds_keys_find(keys, n, "bb"), n);
	assert_int_equal(ds_keys_find(keys, 0, "a"), 0);
}

/* Order by index, for ds_deps_order. */
static int by_index(const void *ctx, size_t a, size_t b)
{
	(void)ctx;
	return a < b ? -1 : a > b;
}

/* Order by a rank table, for ds_deps_order. */
static int by_rank(const void *ctx, size_t a, size_t b)
{
	const int *rank = ctx;

	return rank[a] - rank[b];
}

static void links_should_count_once_and_never_to_self(void **state)
{
	/* 0 <- 1 <- 2, listed twice, and a self-link of 3 */
	struct ds_edge e[] = { { 1, 2 }, { 0, 1 }, { 1, 2 }, { 3, 3 } };
	struct ds_deps d;
	unsigned char cand[4] = { 1, 1, 1, 1 };
	size_t order[4], n;

	(void)state;
	assert_int_equal(ds_deps_build(&d, 4, e, 4, NULL), DS_OK);
	assert_int_equal(d.child_at[2] - d.child_at[1], 1);
	assert_int_equal(d.child[d.child_at[1]], 2);
	assert_int_equal(d.parent_at[4] - d.parent_at[3], 0);
	assert_int_equal(ds_deps_order(order, &n, &d, cand, by_index, NULL,
				       NULL), DS_OK);
	/* 2 and 3 are ready, 2 goes first; that readies 1, then 0 */
	assert_int_equal(n, 4);
	assert_memory_equal(order, ((size_t[]){ 2, 1, 0, 3 }),
			    4 * sizeof(size_t));
	ds_deps_free(&d);
}

static void what_stays_should_keep_its_ancestors(void **state)
{
	/* 0 <- 1 <- 2 and 0 <- 3; 4 alone; 2 stays */
	struct ds_edge e[] = { { 0, 1 }, { 1, 2 }, { 0, 3 } };
	struct ds_deps d;
	unsigned char cand[5] = { 1, 1, 0, 1, 1 };
	size_t order[5], n;

	(void)state;
	assert_int_equal(ds_deps_build(&d, 5, e, 3, NULL), DS_OK);
	assert_int_equal(ds_deps_spread_stay(&d, cand, NULL), DS_OK);
	assert_memory_equal(cand, ((unsigned char[]){ 0, 0, 0, 1, 1 }), 5);
	assert_int_equal(ds_deps_order(order, &n, &d, cand, by_index, NULL,
				       NULL), DS_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(order, ((size_t[]){ 3, 4 }),
			    2 * sizeof(size_t));
	ds_deps_free(&d);
}

static void order_should_take_the_least_ready_one_each_time(void **state)
{
	/* 0 <- 1 <- 2 (a chain), 3 and 4 alone; 5 <-> 6 a cycle */
	struct ds_edge e[] = { { 0, 1 }, { 1, 2 }, { 5, 6 }, { 6, 5 } };
	int rank[7] = { 0, 1, 50, 10, 60, 0, 0 };
	unsigned char cand[7] = { 1, 1, 1, 1, 1, 1, 1 };
	struct ds_deps d;
	size_t order[7], n;

	(void)state;
	assert_int_equal(ds_deps_build(&d, 7, e, 4, NULL), DS_OK);
	assert_int_equal(ds_deps_order(order, &n, &d, cand, by_rank, rank,
				       NULL), DS_OK);
	/* 3 (10) before 2 (50); 2 frees 1 (1), which goes before 4 (60),
	 * then 0; the cycle never goes */
	assert_int_equal(n, 5);
	assert_memory_equal(order, ((size_t[]){ 3, 2, 1, 0, 4 }),
			    5 * sizeof(size_t));
	ds_deps_free(&d);
}

static void long_chains_should_not_recurse(void **state)
{
	size_t n = 200000, i, m;
	struct ds_edge *e = calloc(n, sizeof(*e));
	unsigned char *cand = calloc(n, 1);
	size_t *order = calloc(n, sizeof(*order));
	struct ds_deps d;

	(void)state;
	assert_non_null(e);
	assert_non_null(cand);
	assert_non_null(order);
	for (i = 0; i + 1 < n; i++)
		e[i] = (struct ds_edge){ i, i + 1 };
	memset(cand, 1, n);
	cand[n - 1] = 0; /* the tip stays: so does every ancestor */
	assert_int_equal(ds_deps_build(&d, n, e, n - 1, NULL), DS_OK);
	assert_int_equal(ds_deps_spread_stay(&d, cand, NULL), DS_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(cand[i], 0);
	memset(cand, 1, n);
	assert_int_equal(ds_deps_order(order, &m, &d, cand, by_index, NULL,
				       NULL), DS_OK);
	assert_int_equal(m, n);
	for (i = 0; i < n; i++)
		assert_int_equal(order[i], n - 1 - i);
	ds_deps_free(&d);
	free(e);
	free(cand);
	free(order);
}

DS_TEST_MAIN(
	cmocka_unit_test(keys_should_find_the_first_listed_of_equal_keys),
	cmocka_unit_test(links_should_count_once_and_never_to_self),
	cmocka_unit_test(what_stays_should_keep_its_ancestors),
	cmocka_unit_test(order_should_take_the_least_ready_one_each_time),
	cmocka_unit_test(long_chains_should_not_recurse))
