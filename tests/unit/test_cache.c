/* test_cache.c: the between-runs cache file and its directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

/* An entry with every field set, bodies holding newlines and NULs. */
static void sample(struct ds_cache_entry *e)
{
	*e = (struct ds_cache_entry)DS_CACHE_ENTRY_INIT;
	strcpy(e->id, "b00t:123:456");
	strcpy(e->server_api, "1.41");
	e->podman = 0;
	e->df_time = 1795316264;
	e->df_running = 1;
	e->buildkit = 1795316077662286547LL;
	ds_buf_add(&e->info, "{\"DockerRootDir\":\"/x\"}\n", 23);
	ds_buf_add(&e->df, "{\"a\":1}\n\0tail", 13);
}

static void format_then_parse_should_round_trip(void **state)
{
	struct ds_cache_entry a, b = DS_CACHE_ENTRY_INIT;
	struct ds_buf text = DS_BUF_INIT;

	(void)state;
	sample(&a);
	assert_int_equal(ds_cache_format(&text, &a), DS_OK);
	assert_int_equal(ds_cache_parse(&b, text.ptr, text.len), 0);
	assert_string_equal(b.id, a.id);
	assert_string_equal(b.server_api, "1.41");
	assert_int_equal(b.df_time, a.df_time);
	assert_int_equal(b.df_running, 1);
	assert_true(b.buildkit == a.buildkit);
	assert_int_equal(b.info.len, a.info.len);
	assert_memory_equal(b.df.ptr, a.df.ptr, 13);
	ds_cache_entry_free(&a);
	ds_cache_entry_free(&b);
	ds_buf_free(&text);
}

static void parse_should_refuse_damaged_files(void **state)
{
	struct ds_cache_entry a, b = DS_CACHE_ENTRY_INIT;
	struct ds_buf text = DS_BUF_INIT;
	size_t cut;

	(void)state;
	sample(&a);
	ds_cache_format(&text, &a);
	/* every truncation, and a longer file, is refused whole */
	for (cut = 0; cut < text.len; cut++) {
		assert_int_equal(ds_cache_parse(&b, text.ptr, cut), -1);
		assert_int_equal(b.df.len, 0);
		assert_string_equal(b.id, "");
	}
	ds_buf_add(&text, "x", 1);
	assert_int_equal(ds_cache_parse(&b, text.ptr, text.len), -1);
	assert_int_equal(ds_cache_parse(&b, "dockspace-cache 1\nid x\n", 23),
			 -1);
	ds_cache_entry_free(&a);
	ds_buf_free(&text);
}

static void path_should_need_a_private_directory(void **state)
{
	char tmpl[] = "/tmp/dstest.XXXXXX", dir[256], path[512];
	struct ds_cache_entry a, b = DS_CACHE_ENTRY_INIT;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/cache", tmpl);
	assert_int_equal(ds_cache_path(path, sizeof(path), dir,
				       "unix:///x.sock"), 0);
	assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
	/* the same endpoint, the same file; another, another */
	{
		char other[512];

		assert_int_equal(ds_cache_path(other, sizeof(other), dir,
					       "unix:///y.sock"), 0);
		assert_string_not_equal(other, path);
	}
	sample(&a);
	assert_int_equal(ds_cache_store(&a, path), 0);
	assert_int_equal(ds_cache_load(&b, path), 0);
	assert_string_equal(b.id, a.id);
	/* a directory others may write to is not used */
	chmod(dir, 0755);
	assert_int_equal(ds_cache_path(path, sizeof(path), dir,
				       "unix:///x.sock"), -1);
	assert_int_equal(ds_cache_path(path, sizeof(path), "", "x"), -1);
	chmod(dir, 0700);
	unlink(path);
	rmdir(dir);
	rmdir(tmpl);
	ds_cache_entry_free(&a);
	ds_cache_entry_free(&b);
}

static void buildkit_stamp_should_follow_the_databases(void **state)
{
	char tmpl[] = "/tmp/dstest.XXXXXX", path[512];
	int64_t before, after;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_true(ds_cache_buildkit_stamp(tmpl) == -1); /* no buildkit/ */
	snprintf(path, sizeof(path), "%s/buildkit", tmpl);
	mkdir(path, 0700);
	assert_true(ds_cache_buildkit_stamp(tmpl) == 0);
	snprintf(path, sizeof(path), "%s/buildkit/metadata_v2.db", tmpl);
	f = fopen(path, "w");
	fputs("a", f);
	fclose(f);
	before = ds_cache_buildkit_stamp(tmpl);
	assert_true(before > 0);
	usleep(20000);
	f = fopen(path, "a");
	fputs("b", f);
	fclose(f);
	after = ds_cache_buildkit_stamp(tmpl);
	assert_true(after > before);
	unlink(path);
	snprintf(path, sizeof(path), "%s/buildkit", tmpl);
	rmdir(path);
	rmdir(tmpl);
}

DS_TEST_MAIN(
	cmocka_unit_test(format_then_parse_should_round_trip),
	cmocka_unit_test(parse_should_refuse_damaged_files),
	cmocka_unit_test(path_should_need_a_private_directory),
	cmocka_unit_test(buildkit_stamp_should_follow_the_databases))
