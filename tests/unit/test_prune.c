/* test_prune.c: the prune plan, on hand-built engine snapshots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prune.h"
#include "ref.h"
#include "share.h"
#include "testutil.h"

#define MAXT 4

/* A snapshot built in the test; strings are literals (not freed). */
struct snap {
	struct ds_df df;
	struct ds_image images[16];
	char *tags[16][MAXT];
	char *keys[16][2];
	char *vals[16][2];
	struct ds_container containers[8];
	struct ds_cache cache[8];
	struct ds_volume volumes[4];
};

/* Add an image: id, created time, size, shared, tags (NULL-ended). */
static struct ds_image *image(struct snap *s, const char *id, int64_t created,
			      int64_t size, int64_t shared, ...)
{
	struct ds_image *img = &s->images[s->df.n_images];
	size_t k = s->df.n_images++;
	va_list ap;
	const char *t;

	memset(img, 0, sizeof(*img));
	img->id = (char *)id;
	img->parent_id = (char *)"";
	img->created = created;
	img->size = size;
	img->shared_size = shared;
	img->tags = s->tags[k];
	img->raw_tags = s->tags[k];
	img->label_keys = s->keys[k];
	img->label_values = s->vals[k];
	va_start(ap, shared);
	while ((t = va_arg(ap, const char *)) && img->n_tags < MAXT)
		s->tags[k][img->n_tags++] = (char *)t;
	va_end(ap);
	s->df.image_list = s->images;
	return img;
}

/* Add a container using image_id in state. */
static void container(struct snap *s, const char *id, const char *image_id,
		      const char *state, int64_t created, int64_t size_rw)
{
	struct ds_container *c = &s->containers[s->df.n_containers++];

	memset(c, 0, sizeof(*c));
	c->id = (char *)id;
	c->name = (char *)id;
	c->image = (char *)image_id;
	c->image_id = (char *)image_id;
	c->state = (char *)state;
	c->created = created;
	c->size_rw = size_rw;
	s->df.container_list = s->containers;
}

/* Add a build-cache record. */
static void cache(struct snap *s, const char *id, int in_use, int shared,
		  int64_t size, int64_t last_used)
{
	struct ds_cache *c = &s->cache[s->df.n_cache++];

	memset(c, 0, sizeof(*c));
	c->id = (char *)id;
	c->type = (char *)"regular";
	c->in_use = in_use;
	c->shared = shared;
	c->size = size;
	c->created_at = last_used - 10;
	c->last_used_at = last_used;
	s->df.cache_list = s->cache;
}

/* Plan with opts (kinds etc. set by the caller) and expect success. */
static void plan(struct ds_prune_plan *p, struct snap *s,
		 struct ds_prune_opts *o)
{
	struct ds_err err = DS_ERR_INIT;

	if (!o->now)
		o->now = 1000000;
	assert_int_equal(ds_prune_plan(p, &s->df, o, &err), DS_OK);
}

/* The plan as "kind:name" words, for exact comparison. */
static char *words(const struct ds_prune_plan *p)
{
	static char out[1024];
	size_t i;

	out[0] = '\0';
	for (i = 0; i < p->n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, ds_prune_kind_name(p->items[i].kind));
		strcat(out, ":");
		strcat(out, ds_prune_item_name(&p->items[i]));
	}
	return out;
}

/*
 * Plan with opts and fail unless the plan is exactly want (see words;
 * "" when nothing is planned) and frees exactly total bytes (-1: not
 * checked).
 */
static void expect_total(struct snap *s, struct ds_prune_opts *o,
			 const char *want, int64_t total)
{
	struct ds_prune_plan p;

	plan(&p, s, o);
	assert_string_equal(words(&p), want);
	if (total >= 0)
		assert_int_equal(p.total, total);
	ds_prune_plan_free(&p);
}

/* expect_total without the total. */
static void expect(struct snap *s, struct ds_prune_opts *o, const char *want)
{
	expect_total(s, o, want, -1);
}

static void parse_kinds_should_know_every_word(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	unsigned int k = 0;

	(void)state;
	assert_int_equal(ds_prune_parse_kinds(&k, "dangling images", &err),
			 DS_OK);
	assert_int_equal(k, DS_PRUNE_DANGLING | DS_PRUNE_IMAGES);
	assert_int_equal(ds_prune_parse_kinds(&k, " all ", &err), DS_OK);
	assert_int_equal(k, DS_PRUNE_DANGLING | DS_PRUNE_IMAGES |
			    DS_PRUNE_CACHE | DS_PRUNE_CONTAINERS);
	assert_false(k & DS_PRUNE_VOLUMES);
	assert_int_equal(ds_prune_parse_kinds(&k, "all volumes", &err), DS_OK);
	assert_true(k & DS_PRUNE_VOLUMES);
	assert_int_equal(ds_prune_parse_kinds(&k, "images imgs", &err),
			 DS_E_ARG);
	assert_has(err.msg, "unknown kind 'imgs'");
	ds_err_clear(&err);
	assert_int_equal(ds_prune_parse_kinds(&k, "  ", &err), DS_E_ARG);
	assert_has(err.msg, "nothing to prune");
}

static void dangling_should_take_only_untagged_unused_images(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	image(&s, "sha256:aaa", 100, 10, 0, "app:1", NULL);
	image(&s, "sha256:bbb", 100, 20, 0, NULL);
	image(&s, "sha256:ccc", 100, 30, 0, NULL);
	container(&s, "c1", "sha256:ccc", "exited", 100, 0);
	o.kinds = DS_PRUNE_DANGLING;
	expect_total(&s, &o, "image:sha256:bbb", 20);
}

static void images_should_spare_used_protected_and_labelled(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_image *keep;
	char *protect[] = { "db:*" };

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "app:1", NULL);
	image(&s, "sha256:a2", 200, 10, 0, "app:2", NULL);       /* running */
	image(&s, "sha256:a3", 300, 10, 0, "db:5", NULL);        /* protect */
	keep = image(&s, "sha256:a4", 400, 10, 0, "tool:1", NULL);
	keep->n_labels = 1;
	s.keys[3][0] = (char *)"dockspace.keep";
	s.vals[3][0] = (char *)"";
	image(&s, "sha256:a5", 500, 10, 0, "web:1", NULL);      /* stopped */
	container(&s, "run", "sha256:a2", "running", 100, 0);
	container(&s, "old", "sha256:a5", "exited", 100, 0);
	o.kinds = DS_PRUNE_IMAGES;
	o.protect = protect;
	o.n_protect = 1;
	expect(&s, &o, "image:app:1");
}

static void containers_removed_in_the_same_call_free_their_images(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "app:1", NULL);
	image(&s, "sha256:a2", 100, 10, 0, "app:2", NULL);
	container(&s, "stopped", "sha256:a1", "exited", 100, 5);
	container(&s, "created", "sha256:a1", "created", 100, 0);
	container(&s, "live", "sha256:a2", "running", 100, 7);
	container(&s, "frozen", "sha256:a2", "paused", 100, 7);
	o.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CONTAINERS;
	/* containers oldest first, then by ID: a stable order */
	expect_total(&s, &o, "container:created container:stopped image:app:1",
		     5 + 0 + 10);
}

static void unknown_container_states_should_be_kept(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "app:1", NULL);
	image(&s, "sha256:a2", 100, 10, 0, "app:2", NULL);
	image(&s, "sha256:a3", 100, 10, 0, "app:3", NULL);
	container(&s, "nostate", "sha256:a1", NULL, 100, 5);
	container(&s, "empty", "sha256:a2", "", 100, 5);
	container(&s, "going", "sha256:a3", "removing", 100, 5);
	container(&s, "odd", "sha256:a3", "initialized", 100, 5);
	container(&s, "dead", "sha256:a3", "dead", 100, 5);
	o.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CONTAINERS;
	/* only the dead one goes; every image has a container kept */
	expect(&s, &o, "container:dead");
}

static void unknown_users_should_keep_an_image(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_image *img;

	(void)state;
	/* the engine counts a container the snapshot does not list */
	img = image(&s, "sha256:a1", 100, 10, 0, NULL);
	img->containers = 1;
	o.kinds = DS_PRUNE_DANGLING | DS_PRUNE_IMAGES;
	expect(&s, &o, ""); /* nothing */
}

static void keep_should_hold_the_newest_per_repository(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_prune_plan p;

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "app:1", NULL);
	image(&s, "sha256:a2", 200, 10, 0, "app:2", NULL);
	image(&s, "sha256:a3", 300, 10, 0, "app:3", "app:latest", NULL);
	image(&s, "sha256:b1", 150, 10, 0, "registry:5000/team/api:1", NULL);
	image(&s, "sha256:b2", 250, 10, 0, "registry:5000/team/api:2", NULL);
	/* a1 is old for app but the newest of 'legacy': kept */
	s.tags[0][1] = (char *)"legacy:old";
	s.images[0].n_tags = 2;
	image(&s, "sha256:d0", 50, 10, 0, NULL); /* untagged: no repository */
	o.kinds = DS_PRUNE_IMAGES;
	o.keep = 1;
	expect(&s, &o, "image:sha256:d0 image:registry:5000/"
	       "team/api:1 image:app:2");
	o.keep = 0;
	plan(&p, &s, &o);
	assert_int_equal(p.n, 6);
	ds_prune_plan_free(&p);
}

/*
 * Options a plan cannot honour are refused, saying what to do, and
 * nothing is planned: keep= needs images; free= works on dangling,
 * images and cache only (-1: the option is unset).
 */
static void plan_should_refuse_options_it_cannot_honour(void **state)
{
	static const struct {
		unsigned int kinds;
		long keep;
		int64_t free_goal;
		const char *msg;
	} cases[] = {
		{ DS_PRUNE_DANGLING, 2, -1, "add 'images'" },
		{ DS_PRUNE_ALL, -1, 10,
		  "free= works on dangling, images and cache" },
	};
	struct snap s = { 0 };
	struct ds_prune_plan p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
		struct ds_err err = DS_ERR_INIT;

		o.kinds = cases[i].kinds;
		o.keep = cases[i].keep;
		o.free_goal = cases[i].free_goal;
		assert_int_equal(ds_prune_plan(&p, &s.df, &o, &err), DS_E_ARG);
		assert_has(err.msg, cases[i].msg);
		assert_null(p.items);
	}
}

static void until_should_spare_young_objects(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	image(&s, "sha256:old", 1000, 10, 0, NULL);
	image(&s, "sha256:new", 990000, 10, 0, NULL);
	image(&s, "sha256:unknown", 0, 10, 0, NULL);
	container(&s, "c-old", "sha256:none", "exited", 1000, 1);
	container(&s, "c-new", "sha256:none", "exited", 999999, 1);
	cache(&s, "k-old", 0, 0, 100, 2000);
	cache(&s, "k-new", 0, 0, 100, 999000);
	o.kinds = DS_PRUNE_ALL;
	o.until = 86400;
	o.now = 1000000;
	expect(&s, &o, "container:c-old image:sha256:old cache:k-old");
}

static void parents_should_wait_for_their_children(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	image(&s, "sha256:base", 100, 10, 0, NULL);
	image(&s, "sha256:mid", 200, 10, 0, NULL)->parent_id =
		(char *)"sha256:base";
	image(&s, "sha256:top", 300, 10, 0, "app:1", NULL)->parent_id =
		(char *)"sha256:mid";
	o.kinds = DS_PRUNE_IMAGES;
	expect(&s, &o, "image:app:1 image:sha256:mid image:sha256:base");
	/* when the child stays, its parents cannot go */
	o.kinds = DS_PRUNE_DANGLING;
	expect(&s, &o, ""); /* nothing */
}

static void cache_should_skip_in_use_and_shared_records(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	cache(&s, "used", 1, 0, 100, 500);
	cache(&s, "shared", 0, 1, 100, 400);
	cache(&s, "b", 0, 0, 300, 300);
	cache(&s, "a", 0, 0, 200, 200);
	o.kinds = DS_PRUNE_CACHE;
	expect_total(&s, &o, "cache:a cache:b", 500);
}

/* only=: nothing but those images, and the records they alone hold. */
static void only_should_limit_the_plan_to_those_images(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_share share = { 0 };
	int64_t held[3] = { 100, 0, 50 };
	size_t layers[3] = { 1, 1, 1 };
	size_t first[4] = { 0, 1, 1, 2 };
	size_t rec[2] = { 0, 2 };   /* api holds rec-api, web rec-web */
	const char *only[] = { "sha256:aaaa" };

	(void)state;
	image(&s, "sha256:aaaa", 100, 1000, 0, "api:1", NULL);
	image(&s, "sha256:bbbb", 50, 1000, 0, "old:1", NULL);
	image(&s, "sha256:cccc", 100, 1000, 0, "web:1", NULL);
	cache(&s, "rec-api", 0, 1, 100, 300);
	cache(&s, "unused", 0, 0, 700, 200);
	cache(&s, "rec-web", 0, 1, 50, 100);
	share.n_images = 3;
	share.held = held;
	share.layers = layers;
	share.first = first;
	share.rec = rec;
	o.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CACHE;
	o.share = &share;
	o.only = only;
	o.n_only = 1;
	expect(&s, &o, "image:api:1 cache:rec-api");
	/* without only=, the same opts take every unused image and record */
	o.n_only = 0;
	expect(&s, &o, "image:old:1 image:api:1 image:web:1 "
	       "cache:rec-web cache:unused cache:rec-api");
}

/* Make record child (index) a child of record parent (index). */
static void child_of(struct snap *s, size_t child, size_t parent)
{
	static char *parents[8][1];

	parents[child][0] = s->cache[parent].id;
	s->cache[child].parents = parents[child];
	s->cache[child].n_parents = 1;
}

static void cache_children_should_go_before_their_parents(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	cache(&s, "base", 0, 0, 100, 100);  /* oldest, parent of mid */
	cache(&s, "mid", 0, 0, 100, 300);   /* parent of top */
	cache(&s, "top", 0, 0, 100, 200);
	cache(&s, "other", 0, 0, 100, 150);
	child_of(&s, 1, 0);
	child_of(&s, 2, 1);
	o.kinds = DS_PRUNE_CACHE;
	expect(&s, &o, "cache:other cache:top cache:mid cache:base");
}

static void cache_parents_of_records_that_stay_should_stay(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	cache(&s, "base", 0, 0, 100, 100);
	cache(&s, "used", 1, 0, 100, 200);    /* in use: stays */
	cache(&s, "alone", 0, 0, 100, 300);
	cache(&s, "shared-kid", 0, 1, 100, 50); /* shared: stays */
	cache(&s, "p2", 0, 0, 100, 40);
	child_of(&s, 1, 0);   /* base has a child that stays */
	child_of(&s, 3, 4);   /* so does p2 */
	o.kinds = DS_PRUNE_CACHE;
	expect(&s, &o, "cache:alone");
}

static void max_cache_should_trim_least_recently_used_first(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	cache(&s, "used", 1, 0, 400, 900);   /* counts, cannot go */
	cache(&s, "c", 0, 0, 300, 300);
	cache(&s, "a", 0, 0, 100, 100);
	cache(&s, "b", 0, 0, 200, 200);
	cache(&s, "shared", 0, 1, 5000, 50); /* not counted (as docker) */
	/* total 1000; down to 600 means a (100) then b (200): 700, c: 400 */
	o.kinds = 0;
	o.max_cache = 600;
	expect(&s, &o, "cache:a cache:b cache:c");
	o.max_cache = 700;
	expect(&s, &o, "cache:a cache:b");
	o.max_cache = 1000;
	expect(&s, &o, ""); /* nothing */
}

static void goal_should_stop_once_enough_is_planned(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_prune_plan p;

	(void)state;
	cache(&s, "k2", 0, 0, 50, 200);
	cache(&s, "k1", 0, 0, 50, 100);
	image(&s, "sha256:i2", 200, 1000, 400, "app:2", NULL);
	image(&s, "sha256:i1", 100, 1000, 0, "app:1", NULL);
	o.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CACHE;
	o.free_goal = 5000;
	o.free_now = 4900; /* need 100: both cache records */
	plan(&p, &s, &o);
	assert_string_equal(words(&p), "cache:k1 cache:k2");
	assert_true(p.goal_reachable);
	ds_prune_plan_free(&p);
	o.free_now = 4000; /* need 1000: cache, then the oldest image */
	plan(&p, &s, &o);
	assert_string_equal(words(&p), "cache:k1 cache:k2 image:app:1");
	assert_true(p.goal_reachable);
	ds_prune_plan_free(&p);
	o.free_now = 1000; /* need 4000: everything, still short */
	plan(&p, &s, &o);
	assert_string_equal(words(&p), "cache:k1 cache:k2 image:app:1 "
				       "image:app:2");
	assert_int_equal(p.total, 50 + 50 + 1000 + 600);
	assert_false(p.goal_reachable);
	ds_prune_plan_free(&p);
	o.free_now = 6000; /* already there */
	plan(&p, &s, &o);
	assert_int_equal(p.n, 0);
	assert_true(p.goal_reachable);
	ds_prune_plan_free(&p);
}

static void volumes_should_go_only_when_unused_and_named(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	char *protect[] = { "keep-*" };

	(void)state;
	s.volumes[0] = (struct ds_volume){ (char *)"used", 10, 1, 100 };
	s.volumes[1] = (struct ds_volume){ (char *)"free", 20, 0, 100 };
	s.volumes[2] = (struct ds_volume){ (char *)"unknown", 30, -1, 100 };
	s.volumes[3] = (struct ds_volume){ (char *)"keep-db", 40, 0, 100 };
	s.df.volume_list = s.volumes;
	s.df.n_volumes = 4;
	o.kinds = DS_PRUNE_ALL;
	expect(&s, &o, ""); /* nothing */
	o.kinds = DS_PRUNE_VOLUMES;
	o.protect = protect;
	o.n_protect = 1;
	expect(&s, &o, "volume:free");
}

static void volumes_should_be_planned_by_name_and_age(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	/* listed in any order (Docker lists them from a map) */
	s.volumes[0] = (struct ds_volume){ (char *)"vol-c", 1, 0, 1000 };
	s.volumes[1] = (struct ds_volume){ (char *)"vol-a", 1, 0, 999990 };
	s.volumes[2] = (struct ds_volume){ (char *)"vol-b", 1, 0, 1000 };
	s.volumes[3] = (struct ds_volume){ (char *)"vol-d", 1, 0, 0 };
	s.df.volume_list = s.volumes;
	s.df.n_volumes = 4;
	o.kinds = DS_PRUNE_VOLUMES;
	expect(&s, &o, "volume:vol-a volume:vol-b "
	       "volume:vol-c volume:vol-d");
	/* until: young and unknown ages stay */
	o.until = 86400;
	o.now = 1000000;
	expect(&s, &o, "volume:vol-b volume:vol-c");
}

static void protect_with_a_registry_port_should_cover_the_repository(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	char *protect[] = { "reg.local:5000/svc" };

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "reg.local:5000/svc:1", NULL);
	image(&s, "sha256:a2", 200, 10, 0, "reg.local:5000/svc:2", NULL);
	image(&s, "sha256:a3", 300, 10, 0, "reg.local:5000/other:1", NULL);
	o.kinds = DS_PRUNE_IMAGES;
	o.protect = protect;
	o.n_protect = 1;
	expect(&s, &o, "image:reg.local:5000/other:1");
}


/* Whether the pin ref names img (ref.h's rule over its ID and tags). */
static int pin_names(const struct ds_image *img, const char *ref)
{
	return ds_ref_names_image(ref, img->id, img->tags, img->raw_tags,
				  img->n_tags);
}

static void pins_should_match_tags_and_ids(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	char *pins[] = { "app", "sha256:0123456789ab", "localhost/web:2" };
	struct ds_image *img;

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "app:latest", NULL);
	image(&s, "sha256:0123456789abcdef", 100, 10, 0, NULL);
	image(&s, "sha256:a3", 100, 10, 0, "web:2", NULL);
	image(&s, "sha256:a4", 100, 10, 0, "app:1", NULL);
	o.kinds = DS_PRUNE_IMAGES;
	o.pins = pins;
	o.n_pins = 3;
	expect(&s, &o, "image:app:1");
	img = &s.images[3];
	assert_true(pin_names(img, "app:1"));
	assert_false(pin_names(img, "app"));
	assert_false(pin_names(img, "0123")); /* too short an ID */
}

static void protect_without_colon_should_cover_the_repository(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	char *protect[] = { "registry:5000/team/*" };
	char *by_repo[] = { "app" };

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "registry:5000/team/api:1", NULL);
	image(&s, "sha256:a2", 100, 10, 0, "app:7", NULL);
	o.kinds = DS_PRUNE_IMAGES;
	o.protect = protect;
	o.n_protect = 1;
	expect(&s, &o, "image:app:7");
	o.protect = by_repo;
	expect(&s, &o, "image:registry:5000/team/api:1");
}

static void protect_should_take_short_ids_and_docker_io_names(void **state)
{
	static const char *const spellings[] = {
		"d6a5d8f4f14d", "sha256:d6a5d8f4f14d", "D6A5D8F4F14D",
		"docker.io/library/pr:1", "index.docker.io/library/pr:1",
		"docker.io/library/pr", "docker.io/library/p?:*",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		struct snap s = { 0 };
		struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
		struct ds_prune_plan p;
		char *protect[] = { (char *)spellings[i] };

		image(&s, "sha256:d6a5d8f4f14d0e3a1b2c", 100, 10, 0, "pr:1",
		      NULL);
		image(&s, "sha256:0123456789ab", 200, 10, 0, "other:1", NULL);
		o.kinds = DS_PRUNE_IMAGES;
		o.protect = protect;
		o.n_protect = 1;
		plan(&p, &s, &o);
		if (strcmp(words(&p), "image:other:1") != 0)
			fail_msg("protect=%s: planned '%s'", spellings[i],
				 words(&p));
		assert_int_equal(p.n_unmatched, 0);
		ds_prune_plan_free(&p);
	}
}

static void pins_should_take_the_same_spellings(void **state)
{
	struct snap s = { 0 };
	struct ds_image *img;

	(void)state;
	img = image(&s, "sha256:d6a5d8f4f14d0e3a1b2c", 100, 10, 0, "pr:1",
		    "team/app:latest", NULL);
	assert_true(pin_names(img, "d6a5d8f4f14d"));
	assert_true(pin_names(img, "sha256:d6a5d8f4f14d"));
	assert_true(pin_names(img, "docker.io/library/pr:1"));
	assert_true(pin_names(img, "docker.io/team/app"));
	assert_true(pin_names(img, "team/app"));
	assert_false(pin_names(img, "pr"));        /* pr:latest */
	assert_false(pin_names(img, "d6a5d8f4f14"));
	assert_false(pin_names(img, "app"));
}

static void unmatched_protect_patterns_should_be_listed(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_prune_plan p;
	struct ds_image *keep;
	char *protect[] = { "nosuch:*", "app", "keep-*", "tool:1",
			    "0123456789ab", "typo" };

	(void)state;
	image(&s, "sha256:a1", 100, 10, 0, "app:1", NULL);
	keep = image(&s, "sha256:a2", 100, 10, 0, "tool:1", NULL);
	keep->n_labels = 1;   /* protected by its label anyway */
	s.keys[1][0] = (char *)"dockspace.keep";
	s.vals[1][0] = (char *)"";
	s.volumes[0] = (struct ds_volume){ (char *)"keep-db", 40, 0, 100 };
	s.df.volume_list = s.volumes;
	s.df.n_volumes = 1;
	o.kinds = DS_PRUNE_IMAGES;
	o.protect = protect;
	o.n_protect = 6;
	plan(&p, &s, &o);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.n_unmatched, 3);
	assert_string_equal(p.unmatched[0], "nosuch:*");
	assert_string_equal(p.unmatched[1], "0123456789ab");
	assert_string_equal(p.unmatched[2], "typo");
	ds_prune_plan_free(&p);
	/* goal mode lists them too */
	o.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CACHE;
	o.free_goal = 100;
	o.free_now = 0;
	plan(&p, &s, &o);
	assert_int_equal(p.n_unmatched, 3);
	ds_prune_plan_free(&p);
	/* no patterns: nothing listed */
	o.n_protect = 0;
	plan(&p, &s, &o);
	assert_int_equal(p.n_unmatched, 0);
	ds_prune_plan_free(&p);
}

/* A snapshot of n images on the heap: IDs "sha256:%08zu", created i. */
struct big {
	struct ds_df df;
	char (*ids)[24];
	char (*parents)[24];
	char (*tagbuf)[32];
	char **tags;
};

/* Allocate n untagged images; the caller sets parents and tags. */
static void big_init(struct big *b, size_t n)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->df.image_list = calloc(n, sizeof(*b->df.image_list));
	b->ids = calloc(n, sizeof(*b->ids));
	b->parents = calloc(n, sizeof(*b->parents));
	b->tagbuf = calloc(n, sizeof(*b->tagbuf));
	b->tags = calloc(n, sizeof(*b->tags));
	assert_non_null(b->df.image_list);
	assert_non_null(b->ids);
	assert_non_null(b->parents);
	assert_non_null(b->tagbuf);
	assert_non_null(b->tags);
	b->df.n_images = n;
	for (i = 0; i < n; i++) {
		struct ds_image *img = &b->df.image_list[i];

		snprintf(b->ids[i], sizeof(b->ids[i]), "sha256:%08zu", i);
		img->id = b->ids[i];
		img->parent_id = b->parents[i];
		img->created = (int64_t)i + 1;
		img->size = 1;
		b->tags[i] = b->tagbuf[i];
	}
}

/* Give image i one tag. */
static void big_tag(struct big *b, size_t i, const char *tag)
{
	snprintf(b->tagbuf[i], sizeof(b->tagbuf[i]), "%s", tag);
	b->df.image_list[i].tags = &b->tags[i];
	b->df.image_list[i].raw_tags = &b->tags[i];
	b->df.image_list[i].n_tags = 1;
}

static void big_free(struct big *b)
{
	free(b->df.image_list);
	free(b->ids);
	free(b->parents);
	free(b->tagbuf);
	free(b->tags);
}

static void long_parent_chains_should_go_tip_first(void **state)
{
	size_t n = 20000, i;
	struct big b;
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_prune_plan p;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	big_init(&b, n);
	/* image i is built on image i + 1: the oldest is the tip */
	for (i = 0; i + 1 < n; i++)
		snprintf(b.parents[i], sizeof(b.parents[i]), "sha256:%08zu",
			 i + 1);
	o.kinds = DS_PRUNE_DANGLING;
	o.now = 1000000;
	assert_int_equal(ds_prune_plan(&p, &b.df, &o, &err), DS_OK);
	assert_int_equal(p.n, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(p.items[i].image, &b.df.image_list[i]);
	ds_prune_plan_free(&p);
	/* the tip tagged and only dangling pruned: the whole chain stays */
	big_tag(&b, 0, "app:1");
	assert_int_equal(ds_prune_plan(&p, &b.df, &o, &err), DS_OK);
	assert_int_equal(p.n, 0);
	ds_prune_plan_free(&p);
	/* goal mode: children first, stopping at the goal */
	o.kinds = DS_PRUNE_IMAGES;
	o.free_goal = 3;
	o.free_now = 0;
	assert_int_equal(ds_prune_plan(&p, &b.df, &o, &err), DS_OK);
	assert_string_equal(words(&p), "image:app:1 image:sha256:00000001 "
				       "image:sha256:00000002");
	assert_true(p.goal_reachable);
	ds_prune_plan_free(&p);
	big_free(&b);
}

static void branches_should_wait_for_every_child(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	/* base has two children; one child (young) goes last */
	image(&s, "sha256:base", 100, 10, 0, NULL);
	image(&s, "sha256:kid1", 500, 10, 0, "k:1", NULL)->parent_id =
		(char *)"sha256:base";
	image(&s, "sha256:kid2", 200, 10, 0, "k:2", NULL)->parent_id =
		(char *)"sha256:base";
	image(&s, "sha256:solo", 300, 10, 0, NULL);
	/* a parent that is not in the snapshot, and an ID without sha256: */
	image(&s, "sha256:orph", 50, 10, 0, NULL)->parent_id =
		(char *)"sha256:gone";
	image(&s, "sha256:kid3", 400, 10, 0, NULL)->parent_id =
		(char *)"solo";
	o.kinds = DS_PRUNE_IMAGES;
	expect(&s, &o, "image:sha256:orph image:k:2 "
	       "image:sha256:kid3 image:sha256:solo "
	       "image:k:1 image:sha256:base");
	/* a container on kid2 keeps base, not kid1 */
	container(&s, "c", "sha256:kid2", "running", 100, 0);
	expect(&s, &o, "image:sha256:orph image:sha256:kid3 "
	       "image:sha256:solo image:k:1");
}

static void keep_should_rank_across_repositories_and_ties(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;

	(void)state;
	/* three builds at the same second: the greater ID is the newer */
	image(&s, "sha256:b3", 100, 10, 0, "svc:3", NULL);
	image(&s, "sha256:b1", 100, 10, 0, "svc:1", NULL);
	image(&s, "sha256:b2", 100, 10, 0, "svc:2", "svc:latest", NULL);
	/* old in svc but the only one of mirror/svc: kept */
	image(&s, "sha256:a0", 50, 10, 0, "svc:0", "mirror/svc:0", NULL);
	/* same name in another registry is another repository */
	image(&s, "sha256:r1", 60, 10, 0, "reg:5000/svc:1", NULL);
	image(&s, "sha256:r2", 70, 10, 0, "reg:5000/svc:2", NULL);
	o.kinds = DS_PRUNE_IMAGES;
	o.keep = 1;
	expect(&s, &o, "image:reg:5000/svc:1 image:svc:1 image:svc:2");
	o.keep = 2;
	expect(&s, &o, "image:svc:1");
}

static void cache_links_should_count_each_parent_once(void **state)
{
	struct snap s = { 0 };
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	char *two[] = { "base", "base", "side" };
	char *gone[] = { "not-there" };

	(void)state;
	cache(&s, "base", 0, 0, 100, 100);
	cache(&s, "side", 0, 0, 100, 50);
	cache(&s, "merge", 0, 0, 100, 300);  /* on base (twice) and side */
	cache(&s, "orphan", 0, 0, 100, 200); /* on a record not listed */
	s.cache[2].parents = two;
	s.cache[2].n_parents = 3;
	s.cache[3].parents = gone;
	s.cache[3].n_parents = 1;
	o.kinds = DS_PRUNE_CACHE;
	expect(&s, &o, "cache:orphan cache:merge cache:side cache:base");
	/* merge in use: base and side stay */
	s.cache[2].in_use = 1;
	expect(&s, &o, "cache:orphan");
}

/* Parse arguments as make would pass them. */
static enum ds_code args(struct ds_prune_args *a, const char *what,
			 const char *opt1, const char *opt2, const char *pins,
			 struct ds_err *err)
{
	char *argv[3] = { (char *)what, (char *)opt1, (char *)opt2 };
	unsigned int argc = opt2 ? 3 : opt1 ? 2 : 1;

	return ds_prune_parse_args(a, argc, argv, pins, err);
}

static void args_should_parse_every_option(void **state)
{
	struct ds_prune_args a;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(args(&a, "images cache", "keep=2 until=7d dry-run",
			      "max-cache=10G protect=app:* db json", "x:1 y",
			      &err), DS_OK);
	assert_int_equal(a.opts.kinds, DS_PRUNE_IMAGES | DS_PRUNE_CACHE);
	assert_int_equal(a.opts.keep, 2);
	assert_int_equal(a.opts.until, 7 * 86400);
	assert_true(a.opts.max_cache == 10LL << 30);
	assert_int_equal(a.opts.free_goal, -1);
	assert_true(a.dry_run);
	assert_true(a.json);
	assert_int_equal(a.opts.n_protect, 2);
	assert_string_equal(a.opts.protect[0], "app:*");
	assert_string_equal(a.opts.protect[1], "db");
	assert_int_equal(a.opts.n_pins, 2);
	assert_string_equal(a.opts.pins[0], "x:1");
	assert_string_equal(a.opts.pins[1], "y");
	ds_prune_args_free(&a);
	assert_int_equal(args(&a, "dangling", "free=3G", "", NULL, &err),
			 DS_OK);
	assert_true(a.opts.free_goal == 3LL << 30);
	assert_false(a.dry_run);
	ds_prune_args_free(&a);
}

static void args_joined_with_commas_should_split_as_inline(void **state)
{
	struct ds_prune_args a;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	/* OPTS := dry-run,keep=1 then $(docker-prune images,$(OPTS)) */
	assert_int_equal(args(&a, "images", "dry-run,keep=1", NULL, NULL,
			      &err), DS_OK);
	assert_true(a.dry_run);
	assert_int_equal(a.opts.keep, 1);
	ds_prune_args_free(&a);
	/* protect patterns end at a comma, as between arguments */
	assert_int_equal(args(&a, "images cache", "protect=app:* db,json",
			      "max-cache=1G,,until=2h", "x:1", &err), DS_OK);
	assert_true(a.json);
	assert_int_equal(a.opts.n_protect, 2);
	assert_string_equal(a.opts.protect[0], "app:*");
	assert_string_equal(a.opts.protect[1], "db");
	assert_true(a.opts.max_cache == 1LL << 30);
	assert_int_equal(a.opts.until, 7200);
	assert_int_equal(a.opts.n_pins, 1);
	ds_prune_args_free(&a);
}

static void args_should_name_each_bad_option(void **state)
{
	static const struct { const char *opt, *msg; } bad[] = {
		{ "keep=x", "invalid keep='x'" },
		{ "keep=-1", "invalid keep='-1'" },
		{ "until=3y", "until=: invalid duration '3y'" },
		{ "max-cache=10X", "max-cache=: invalid size '10X'" },
		{ "free=", "free=: invalid size ''" },
		{ "protect=", "protect= needs a pattern" },
		{ "force", "unknown option 'force'" },
		{ "colour=red", "unknown option 'colour='" },
		/* a bad piece of a comma-joined argument is named */
		{ "dry-run,kep=1", "unknown option 'kep='" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ds_prune_args a;
		struct ds_err err = DS_ERR_INIT;

		assert_int_equal(args(&a, "images", bad[i].opt, NULL, "p",
				      &err), DS_E_ARG);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("'%s' gave '%s'", bad[i].opt, err.msg);
		assert_null(a.words);
	}
}

DS_TEST_MAIN(
	cmocka_unit_test(parse_kinds_should_know_every_word),
	cmocka_unit_test(dangling_should_take_only_untagged_unused_images),
	cmocka_unit_test(images_should_spare_used_protected_and_labelled),
	cmocka_unit_test(containers_removed_in_the_same_call_free_their_images),
	cmocka_unit_test(unknown_container_states_should_be_kept),
	cmocka_unit_test(unknown_users_should_keep_an_image),
	cmocka_unit_test(keep_should_hold_the_newest_per_repository),
	cmocka_unit_test(plan_should_refuse_options_it_cannot_honour),
	cmocka_unit_test(until_should_spare_young_objects),
	cmocka_unit_test(parents_should_wait_for_their_children),
	cmocka_unit_test(cache_should_skip_in_use_and_shared_records),
	cmocka_unit_test(only_should_limit_the_plan_to_those_images),
	cmocka_unit_test(cache_children_should_go_before_their_parents),
	cmocka_unit_test(cache_parents_of_records_that_stay_should_stay),
	cmocka_unit_test(max_cache_should_trim_least_recently_used_first),
	cmocka_unit_test(goal_should_stop_once_enough_is_planned),
	cmocka_unit_test(volumes_should_go_only_when_unused_and_named),
	cmocka_unit_test(volumes_should_be_planned_by_name_and_age),
	cmocka_unit_test(protect_with_a_registry_port_should_cover_the_repository),
	cmocka_unit_test(pins_should_match_tags_and_ids),
	cmocka_unit_test(protect_without_colon_should_cover_the_repository),
	cmocka_unit_test(protect_should_take_short_ids_and_docker_io_names),
	cmocka_unit_test(pins_should_take_the_same_spellings),
	cmocka_unit_test(unmatched_protect_patterns_should_be_listed),
	cmocka_unit_test(long_parent_chains_should_go_tip_first),
	cmocka_unit_test(branches_should_wait_for_every_child),
	cmocka_unit_test(keep_should_rank_across_repositories_and_ties),
	cmocka_unit_test(cache_links_should_count_each_parent_once),
	cmocka_unit_test(args_should_parse_every_option),
	cmocka_unit_test(args_joined_with_commas_should_split_as_inline),
	cmocka_unit_test(args_should_name_each_bad_option))
