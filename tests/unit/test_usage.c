/* test_usage.c: the usage table and JSON, against docker's own output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"
#include "testutil.h"

/* The summary behind a real `docker system df` on Docker 20.10. */
static void sample(struct ds_df *df, struct ds_space *space)
{
	memset(df, 0, sizeof(*df));
	df->images = (struct ds_usage_row){ 2, 0, 10255968, 10255968 };
	df->cache = (struct ds_usage_row){ 5, 0, 1982256, 1982256 };
	memset(space, 0, sizeof(*space));
	space->free = 487043072;
	space->total = 510873600;
	space->mode = DS_SPACE_FS;
	strcpy(space->path, "/tmp/d/root");
}

/* What each usage test renders: the sample, and the text. */
struct usage_fx {
	struct ds_df df;
	struct ds_space space;
	struct ds_buf b;
};

/* Start from the sample, with an empty text. */
static int setup(void **state)
{
	struct usage_fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	sample(&f->df, &f->space);
	f->b = (struct ds_buf)DS_BUF_INIT;
	*state = f;
	return 0;
}

/* Free the text and the fixture. */
static int teardown(void **state)
{
	struct usage_fx *f = *state;

	ds_buf_free(&f->b);
	free(f);
	return 0;
}

static void table_should_match_docker_system_df(void **state)
{
	struct usage_fx *f = *state;
	/* The first five lines are docker 20.10's output, byte for byte. */
	const char *want =
		"TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n"
		"Images          2         0         10.26MB   10.26MB (100%)\n"
		"Containers      0         0         0B        0B\n"
		"Local Volumes   0         0         0B        0B\n"
		"Build Cache     5         0         1.982MB   1.982MB\n"
		"Free space                          487MB     of 510.9MB on "
		"/tmp/d/root";

	assert_int_equal(ds_usage_table(&f->b, &f->df, &f->space), DS_OK);
	assert_string_equal(f->b.ptr, want);
}

static void table_should_show_percentages_but_not_for_cache(void **state)
{
	struct usage_fx *f = *state;

	f->df.containers = (struct ds_usage_row){ 3, 1, 307200, 204800 };
	f->df.volumes = (struct ds_usage_row){ 2, 1, 3, 0 };
	f->df.cache = (struct ds_usage_row){ 1, 0, 4096, 4096 };
	f->space.mode = DS_SPACE_BUDGET;
	f->space.total = 20000000000ULL;
	assert_int_equal(ds_usage_table(&f->b, &f->df, &f->space), DS_OK);
	assert_has(f->b.ptr, "Containers      3         1         "
	           "307.2kB   204.8kB (66%)\n");
	assert_has(f->b.ptr, "Local Volumes   2         1         "
	           "3B        0B (0%)\n");
	assert_has(f->b.ptr, "Build Cache     1         0         "
	           "4.096kB   4.096kB\n");
	assert_has(f->b.ptr, "of budget 20GB");
	assert_lacks(f->b.ptr, " on ");
}

static void json_should_give_every_figure_in_bytes(void **state)
{
	struct usage_fx *f = *state;

	f->df.images.size = 5000000000000LL; /* beyond 32 bits */
	strcpy(f->space.path, "/a \"quoted\" path");
	assert_int_equal(ds_usage_json(&f->b, &f->df, &f->space), DS_OK);
	assert_string_equal(f->b.ptr,
		"{\"images\":{\"total\":2,\"active\":0,\"size\":5000000000000,"
		"\"reclaimable\":10255968},"
		"\"containers\":{\"total\":0,\"active\":0,\"size\":0,"
		"\"reclaimable\":0},"
		"\"volumes\":{\"total\":0,\"active\":0,\"size\":0,"
		"\"reclaimable\":0},"
		"\"build_cache\":{\"total\":5,\"active\":0,\"size\":1982256,"
		"\"reclaimable\":1982256},"
		"\"free\":{\"bytes\":487043072,\"total\":510873600,"
		"\"mode\":\"filesystem\",\"path\":\"/a \\\"quoted\\\" path\","
		"\"store\":\"data-root\"}}");
}

/*
 * Where the free space was measured: the containerd image store says
 * which root and that images and cache overlap; over ssh, both forms say
 * df ran on the engine's host, and where (a remote containerd store is
 * named as a local one).  Each case: the table and the JSON hold these.
 */
static void usage_should_say_where_free_space_was_measured(void **state)
{
	static const struct {
		enum ds_space_mode mode;
		enum ds_store_kind store;
		const char *path, *host, *table, *json;
	} cases[] = {
		{ DS_SPACE_FS, DS_STORE_CONTAINERD_SYSTEM, "/var/lib/containerd",
		  "", "\nFree space                          487MB     of "
		  "510.9MB on /var/lib/containerd (containerd root; images "
		  "and build cache overlap)",
		  "\"path\":\"/var/lib/containerd\",\"store\":\"containerd\","
		  "\"images_cache_overlap\":true}}" },
		{ DS_SPACE_SSH, DS_STORE_DATA_ROOT, "/var/lib/docker",
		  "ssh://ci@build:2222", "\nFree space                    "
		  "      487MB     of 510.9MB on /var/lib/docker at "
		  "ssh://ci@build:2222 (df over ssh)",
		  "\"free\":{\"bytes\":487043072,\"total\":510873600,"
		  "\"mode\":\"ssh-df\",\"path\":\"/var/lib/docker\","
		  "\"store\":\"data-root\","
		  "\"host\":\"ssh://ci@build:2222\"}}" },
		{ DS_SPACE_SSH, DS_STORE_CONTAINERD_SYSTEM, "/var/lib/containerd",
		  "ssh://ci@build:2222", "on /var/lib/containerd at "
		  "ssh://ci@build:2222 (df over ssh) (containerd root; ",
		  "\"store\":\"containerd\","
		  "\"images_cache_overlap\":true,\"host\":" },
	};
	struct ds_df df;
	struct ds_space space;
	struct ds_buf b = DS_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sample(&df, &space);
		space.mode = cases[i].mode;
		space.store = cases[i].store;
		strcpy(space.path, cases[i].path);
		strcpy(space.host, cases[i].host);
		assert_int_equal(ds_usage_table(&b, &df, &space), DS_OK);
		assert_has(b.ptr, cases[i].table);
		ds_buf_reset(&b);
		assert_int_equal(ds_usage_json(&b, &df, &space), DS_OK);
		assert_has(b.ptr, cases[i].json);
		ds_buf_reset(&b);
	}
	ds_buf_free(&b);
}

/* A test that starts from the sample and frees its text. */
#define FX(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

DS_TEST_MAIN(
	FX(table_should_match_docker_system_df),
	FX(table_should_show_percentages_but_not_for_cache),
	FX(json_should_give_every_figure_in_bytes),
	cmocka_unit_test(usage_should_say_where_free_space_was_measured))
