/* test_share.c: which build-cache records hold an image's bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model.h"
#include "prune.h"
#include "share.h"
#include "testutil.h"

/* The recorded engine: every image's history, mapped. */
struct rec {
	struct ds_df df;
	struct ds_history *hist[16];
	size_t n_hist[16];
	struct ds_layer_chain chains[16];
	struct ds_share share;
};

static const char *const names[] = { "img1", "img2", "img3", "img4",
				     "legacy", "dangling" };

/* The index of the image with this ID prefix (after "sha256:"). */
static size_t image_at(const struct ds_df *df, const char *prefix)
{
	size_t i;

	for (i = 0; i < df->n_images; i++)
		if (strncmp(df->image_list[i].id + 7, prefix,
			    strlen(prefix)) == 0)
			return i;
	fail_msg("no image %s in the snapshot", prefix);
	return 0;
}

/* The index of the record with this ID. */
static size_t rec_at(const struct ds_df *df, const char *id)
{
	size_t i;

	for (i = 0; i < df->n_cache; i++)
		if (strcmp(df->cache_list[i].id, id) == 0)
			return i;
	fail_msg("no record %s in the snapshot", id);
	return 0;
}

/* Load the recorded df and every history; map them. */
static void load(struct rec *r)
{
	struct ds_err err = DS_ERR_INIT;
	size_t len, i, k;
	char *json = ds_test_read("docker-20.10-share-system-df.json", &len);

	memset(r, 0, sizeof(*r));
	assert_int_equal(ds_model_parse_df(&r->df, json, len, &err), DS_OK);
	free(json);
	assert_int_equal(r->df.n_images, 6);
	for (k = 0; k < 6; k++) {
		char name[128];
		const char *id;

		snprintf(name, sizeof(name),
			 "docker-20.10-share-history-%s.json", names[k]);
		json = ds_test_read(name, &len);
		assert_int_equal(ds_model_parse_history(&r->hist[k],
							&r->n_hist[k], json,
							len, &err), DS_OK);
		free(json);
		/* the newest step's ID is the image's */
		id = r->hist[k][0].id;
		assert_non_null(id);
		i = image_at(&r->df, id + 7);
		assert_int_equal(ds_share_chain_from_history(
			&r->chains[i], r->hist[k], r->n_hist[k], &err), DS_OK);
	}
	assert_int_equal(ds_share_map(&r->share, &r->df, r->chains, &err),
			 DS_OK);
}

static void unload(struct rec *r)
{
	size_t k;

	ds_share_free(&r->share);
	for (k = 0; k < 16; k++) {
		ds_share_chain_free(&r->chains[k]);
		ds_model_history_free(r->hist[k], r->n_hist[k]);
	}
	ds_model_df_free(&r->df);
}

/* The records image i alone holds, as one string of IDs. */
static void records_of(const struct rec *r, size_t i, char *out, size_t cap)
{
	size_t j;

	out[0] = '\0';
	for (j = r->share.first[i]; j < r->share.first[i + 1]; j++) {
		if (out[0])
			strncat(out, " ", cap - strlen(out) - 1);
		strncat(out, r->df.cache_list[r->share.rec[j]].id,
			cap - strlen(out) - 1);
	}
}

/* A history turns into the sized layers, base first. */
static void test_chain_from_history(void **state)
{
	struct rec r;
	size_t i;

	(void)state;
	load(&r);
	i = image_at(&r.df, "5d91a6ce7943"); /* img4: COPY, RUN x, RUN y, ENV */
	assert_int_equal(r.chains[i].n, 3);
	assert_int_equal(r.chains[i].size[0], 1982256);
	assert_int_equal(r.chains[i].size[1], 5000000);
	assert_int_equal(r.chains[i].size[2], 3000000);
	assert_has(r.chains[i].created_by[2], "> /y # buildkit");
	unload(&r);
}

/*
 * Each BuildKit image alone holds the records of its own layers (deepest
 * first); the dangling image a rebuild left holds its old RUN layer's
 * record.  held -1: not checked.
 */
static void test_buildkit_images(void **state)
{
	static const struct {
		const char *image;
		int64_t held;
		const char *records;
	} cases[] = {
		{ "5c94625588e3", 20000000, "luu6s2rxii1x059b00u9qo5tt" }, /* img2 */
		{ "6a1d436ca9b4", -1, "wp9kpph8yffcitz8a4j3ximsx" },       /* img3 */
		{ "5d91a6ce7943", 8000000, "tg99vj7qppgnt2zpdgu4p38rk "
		  "qgjtku5ilww1e59t6wd1fgn6r" },                         /* img4 */
		{ "dbe78d7d4286", 1000000, "uecqlseoazhlgs06e6hs9y00f" }, /* img1 */
		{ "dee562feed40", 20000000, "xowxx4vmpya1jgmxgwi4479y5" }, /* dangling */
	};
	struct rec r;
	char got[512];
	size_t i, k;

	(void)state;
	load(&r);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		i = image_at(&r.df, cases[k].image);
		if (cases[k].held >= 0)
			assert_int_equal(r.share.held[i], cases[k].held);
		records_of(&r, i, got, sizeof(got));
		assert_string_equal(got, cases[k].records);
	}
	i = image_at(&r.df, "dee562feed40");
	assert_int_equal(r.df.image_list[i].n_tags, 0);
	unload(&r);
}

/* A legacy build is held by no record; the shared base by no one image. */
static void test_legacy_and_base(void **state)
{
	struct rec r;
	size_t i, j, base;

	(void)state;
	load(&r);
	i = image_at(&r.df, "c8e557be2872");
	assert_int_equal(r.share.held[i], 0);
	assert_int_equal(r.share.first[i], r.share.first[i + 1]);
	base = rec_at(&r.df, "z1g4wvr9hmgt3jw7u7d1k5rf0");
	for (j = 0; j < r.share.first[r.df.n_images]; j++)
		assert_int_not_equal(r.share.rec[j], base);
	unload(&r);
}

/* Plan on the recorded engine with its map; out is freed by the caller. */
static void plan_with(struct rec *r, const char *what, int64_t goal,
		      struct ds_prune_plan *out)
{
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_err err = DS_ERR_INIT;

	assert_int_equal(ds_prune_parse_kinds(&o.kinds, what, &err), DS_OK);
	o.now = 2000000000;
	o.free_goal = goal;
	o.free_now = 0;
	o.share = &r->share;
	assert_int_equal(ds_prune_plan(out, &r->df, &o, &err), DS_OK);
}

/* dangling alone: the old build frees ~nothing, its 20 MB are held. */
static void test_plan_dangling_held(void **state)
{
	struct rec r;
	struct ds_prune_plan plan;

	(void)state;
	load(&r);
	plan_with(&r, "dangling", -1, &plan);
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.items[0].kind, DS_ITEM_IMAGE);
	assert_int_equal(plan.items[0].size, 0);
	assert_int_equal(plan.total, 0);
	assert_int_equal(plan.held, 20000000);
	ds_prune_plan_free(&plan);
	unload(&r);
}

/* images cache: every record an image alone holds is planned after the
 * images, nothing stays held; the shared base record stays. */
static void test_plan_images_cache(void **state)
{
	static const char *const released[] = {
		"xowxx4vmpya1jgmxgwi4479y5", "luu6s2rxii1x059b00u9qo5tt",
		"wp9kpph8yffcitz8a4j3ximsx", "uecqlseoazhlgs06e6hs9y00f",
		"tg99vj7qppgnt2zpdgu4p38rk", "qgjtku5ilww1e59t6wd1fgn6r" };
	struct rec r;
	struct ds_prune_plan plan;
	size_t i, k, images = 0, tg = 0, qg = 0;

	(void)state;
	load(&r);
	plan_with(&r, "images cache", -1, &plan);
	for (i = 0; i < plan.n; i++) {
		if (plan.items[i].kind == DS_ITEM_IMAGE) {
			images++;
			continue;
		}
		assert_int_equal(images, 6); /* images first */
		assert_string_not_equal(plan.items[i].cache->id,
					"z1g4wvr9hmgt3jw7u7d1k5rf0");
		if (!strcmp(plan.items[i].cache->id, released[4]))
			tg = i;
		if (!strcmp(plan.items[i].cache->id, released[5]))
			qg = i;
	}
	for (k = 0; k < 6; k++) {
		for (i = 0; i < plan.n; i++)
			if (plan.items[i].kind == DS_ITEM_CACHE &&
			    !strcmp(plan.items[i].cache->id, released[k]))
				break;
		assert_true(i < plan.n);
		assert_string_equal(plan.items[i].reason,
				    "held by a deleted image");
	}
	assert_true(tg < qg); /* the child before its parent */
	assert_int_equal(plan.held, 0);
	ds_prune_plan_free(&plan);
	unload(&r);
}

/* Goal mode: an image is followed at once by the records it held, and
 * the plan stops when the estimates reach the goal. */
static void test_plan_goal_follows_image(void **state)
{
	struct rec r;
	struct ds_prune_plan plan;
	size_t i;
	int64_t cache_first = 0;

	(void)state;
	load(&r);
	for (i = 0; i < r.df.n_cache; i++)
		if (!r.df.cache_list[i].shared && !r.df.cache_list[i].in_use)
			cache_first += r.df.cache_list[i].size;
	plan_with(&r, "images cache", cache_first + 10000000, &plan);
	assert_true(plan.goal_reachable);
	for (i = 0; i < plan.n && plan.items[i].kind == DS_ITEM_CACHE; i++)
		assert_false(plan.items[i].cache->shared);
	assert_true(i + 2 <= plan.n);
	assert_int_equal(plan.items[i].kind, DS_ITEM_IMAGE);
	assert_int_equal(plan.items[i + 1].kind, DS_ITEM_CACHE);
	assert_true(plan.items[i + 1].cache->shared);
	assert_string_equal(plan.items[i + 1].reason, "held by a deleted image");
	assert_true(plan.total >= cache_first + 10000000);
	ds_prune_plan_free(&plan);
	unload(&r);
}

/* A hand-made snapshot: n records, each a chain on the previous. */
struct hand {
	struct ds_df df;
	struct ds_image images[4];
	struct ds_cache cache[8];
	char *parent[8];
	struct ds_layer_chain chains[4];
	int64_t sizes[4][4];
	const char *by[4][4];
	struct ds_share share;
};

/* Add a record: id, parent (NULL: root), size, shared. */
static void hand_rec(struct hand *h, const char *id, const char *parent,
		     int64_t size, const char *desc)
{
	size_t k = h->df.n_cache++;

	h->cache[k] = (struct ds_cache){ 0 };
	h->cache[k].id = (char *)id;
	h->cache[k].description = (char *)desc;
	h->cache[k].type = (char *)"regular";
	h->cache[k].shared = 1;
	h->cache[k].size = size;
	if (parent) {
		h->parent[k] = (char *)parent;
		h->cache[k].parents = &h->parent[k];
		h->cache[k].n_parents = 1;
	}
	h->df.cache_list = h->cache;
}

/* Add an image with a chain of n layers (sizes, RUN commands). */
static size_t hand_image(struct hand *h, int64_t shared, size_t n,
			 const int64_t *sizes, const char *const *by)
{
	size_t k = h->df.n_images++, j;

	h->images[k] = (struct ds_image){ 0 };
	h->images[k].id = (char *)"sha256:00";
	h->images[k].shared_size = shared;
	for (j = 0; j < n; j++) {
		h->sizes[k][j] = sizes[j];
		h->by[k][j] = by[j];
		h->images[k].size += sizes[j];
	}
	h->chains[k].n = n;
	h->chains[k].size = h->sizes[k];
	h->chains[k].created_by = h->by[k];
	h->df.image_list = h->images;
	return k;
}

/* The layer sizes and commands of most hand-made images: two COPYs. */
static const int64_t sz[] = { 100, 200 };
static const char *const copy_ab[] = { "COPY a /a # buildkit",
				       "COPY b /b # buildkit" };

/* Start a hand-made snapshot with one root record, "base" (100 bytes). */
static void hand_start(struct hand *h)
{
	memset(h, 0, sizeof(*h));
	hand_rec(h, "base", NULL, 100, "fileop target");
}

/* Map the snapshot's sharing; it must succeed (ds_share_free after). */
static void hand_map(struct hand *h)
{
	struct ds_err err = DS_ERR_INIT;

	assert_int_equal(ds_share_map(&h->share, &h->df, h->chains, &err),
			 DS_OK);
}

/* How many records image i alone holds. */
static size_t hand_own(const struct hand *h, size_t i)
{
	return h->share.first[i + 1] - h->share.first[i];
}

/* Two records with the same chain: held, but neither is released. */
static void test_two_records_one_layer(void **state)
{
	struct hand h;
	size_t i;

	(void)state;
	hand_start(&h);
	hand_rec(&h, "top1", "base", 200, "fileop target");
	hand_rec(&h, "top2", "base", 200, "fileop target");
	i = hand_image(&h, 100, 2, sz, copy_ab);
	hand_map(&h);
	assert_int_equal(h.share.held[i], 200);
	assert_int_equal(hand_own(&h, i), 0);
	ds_share_free(&h.share);
}

/* A rebuild with the same sizes: each image's record is the newest made
 * no later than the image; an image older than both says nothing. */
static void test_same_sizes_by_time(void **state)
{
	static const char *const by[] = { "COPY a /a # buildkit",
					   "RUN /bin/sh -c make # buildkit" };
	struct hand h;
	size_t a, b, c;

	(void)state;
	hand_start(&h);
	hand_rec(&h, "run1", "base", 200, "mount / from exec /bin/sh -c make");
	hand_rec(&h, "run2", "base", 200, "mount / from exec /bin/sh -c make");
	h.cache[1].created_at = 1000;
	h.cache[2].created_at = 2000;
	a = hand_image(&h, 100, 2, sz, by);
	b = hand_image(&h, 100, 2, sz, by);
	c = hand_image(&h, 100, 2, sz, by);
	h.images[a].created = 1001;
	h.images[b].created = 2001;
	h.images[c].created = 500; /* SOURCE_DATE_EPOCH */
	hand_map(&h);
	assert_int_equal(hand_own(&h, a), 1);
	assert_int_equal(h.share.rec[h.share.first[a]], 1);
	assert_int_equal(hand_own(&h, b), 1);
	assert_int_equal(h.share.rec[h.share.first[b]], 2);
	assert_int_equal(hand_own(&h, c), 0);
	assert_int_equal(h.share.held[c], 200);
	ds_share_free(&h.share);

	/* made at the same second: no one record is the image's */
	h.cache[1].created_at = 2000;
	hand_map(&h);
	assert_int_equal(hand_own(&h, b), 0);
	ds_share_free(&h.share);
}

/* One record matching two images' own layers: doubt, no release. */
static void test_one_record_two_images(void **state)
{
	struct hand h;
	size_t a, b;

	(void)state;
	hand_start(&h);
	hand_rec(&h, "top", "base", 200, "fileop target");
	a = hand_image(&h, 100, 2, sz, copy_ab);
	b = hand_image(&h, 100, 2, sz, copy_ab);
	hand_map(&h);
	assert_int_equal(h.share.held[a], 200);
	assert_int_equal(h.share.held[b], 200);
	assert_int_equal(h.share.first[h.df.n_images], 0);
	ds_share_free(&h.share);
}

/* A RUN record matches only the image whose RUN has its command. */
static void test_run_command_compared(void **state)
{
	static const char *const by_a[] = { "COPY a /a # buildkit",
					     "RUN /bin/sh -c make a # buildkit" };
	static const char *const by_b[] = { "COPY a /a # buildkit",
					     "RUN /bin/sh -c make b # buildkit" };
	struct hand h;
	size_t a, b;

	(void)state;
	hand_start(&h);
	hand_rec(&h, "run-a", "base", 200,
		 "mount / from exec /bin/sh -c make a");
	a = hand_image(&h, 100, 2, sz, by_a);
	b = hand_image(&h, 100, 2, sz, by_b);
	hand_map(&h);
	assert_int_equal(h.share.held[a], 200);
	assert_int_equal(hand_own(&h, a), 1);
	assert_int_equal(h.share.rec[h.share.first[a]], 1);
	assert_int_equal(h.share.held[b], 0);
	assert_int_equal(hand_own(&h, b), 0);
	ds_share_free(&h.share);
}

/* Unknown SharedSize, a missing parent, several parents: say nothing. */
static void test_doubt_says_nothing(void **state)
{
	static char *two[] = { (char *)"base", (char *)"other" };
	struct hand h;
	size_t a;

	(void)state;
	hand_start(&h);
	hand_rec(&h, "top", "base", 200, "fileop target");
	a = hand_image(&h, -1, 2, sz, copy_ab);
	hand_map(&h);
	assert_int_equal(h.share.held[a], 0);
	ds_share_free(&h.share);

	h.images[a].shared_size = 100;
	h.parent[1] = (char *)"gone";
	hand_map(&h);
	assert_int_equal(h.share.held[a], 0);
	ds_share_free(&h.share);

	h.cache[1].parents = two;
	h.cache[1].n_parents = 2;
	hand_map(&h);
	assert_int_equal(h.share.held[a], 0);
	ds_share_free(&h.share);
}

/* A cycle of parents ends (no hang) and says nothing. */
static void test_parent_cycle(void **state)
{
	struct hand h;
	size_t a;

	(void)state;
	memset(&h, 0, sizeof(h));
	hand_rec(&h, "x", "y", 100, "fileop target");
	hand_rec(&h, "y", "x", 200, "fileop target");
	a = hand_image(&h, 0, 2, sz, copy_ab);
	hand_map(&h);
	assert_int_equal(h.share.held[a], 0);
	ds_share_free(&h.share);
}

/* Nothing shared with bytes: the map is not needed. */
static void test_needed(void **state)
{
	struct hand h;

	(void)state;
	memset(&h, 0, sizeof(h));
	hand_rec(&h, "a", NULL, 100, "fileop target");
	assert_true(ds_share_needed(&h.df));
	h.cache[0].shared = 0;
	assert_false(ds_share_needed(&h.df));
	h.cache[0].shared = 1;
	h.cache[0].size = 0;
	assert_false(ds_share_needed(&h.df));
}

DS_TEST_MAIN(
	cmocka_unit_test(test_chain_from_history),
	cmocka_unit_test(test_buildkit_images),
	cmocka_unit_test(test_legacy_and_base),
	cmocka_unit_test(test_two_records_one_layer),
	cmocka_unit_test(test_one_record_two_images),
	cmocka_unit_test(test_same_sizes_by_time),
	cmocka_unit_test(test_run_command_compared),
	cmocka_unit_test(test_doubt_says_nothing),
	cmocka_unit_test(test_parent_cycle),
	cmocka_unit_test(test_needed),
	cmocka_unit_test(test_plan_dangling_held),
	cmocka_unit_test(test_plan_images_cache),
	cmocka_unit_test(test_plan_goal_follows_image))
