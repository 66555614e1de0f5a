/* test_platforms.c: target platforms and emulation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "platforms.h"
#include "testutil.h"

/* Pick platforms and return them (static). */
static const char *pick(const char *requested, int release)
{
	static char out[256];
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;

	assert_int_equal(ds_platforms_pick(&b, requested, release, &err),
			 DS_OK);
	snprintf(out, sizeof(out), "%s", b.ptr ? b.ptr : "");
	ds_buf_free(&b);
	return out;
}

/* The platforms a host would emulate (static). */
static const char *slow(const char *list, const char *arch)
{
	static char out[256];
	struct ds_buf b = DS_BUF_INIT;

	assert_int_equal(ds_platforms_emulated(&b, list, arch), DS_OK);
	snprintf(out, sizeof(out), "%s", b.ptr ? b.ptr : "");
	ds_buf_free(&b);
	return out;
}

static void pick_should_add_arm64_for_releases_once(void **state)
{
	(void)state;
	assert_string_equal(pick(NULL, 0), "linux/amd64");
	assert_string_equal(pick("", 1), "linux/amd64 linux/arm64");
	assert_string_equal(pick("linux/arm64 linux/amd64", 1),
			    "linux/arm64 linux/amd64");
	assert_string_equal(pick(" linux/amd64  linux/amd64 ", 0),
			    "linux/amd64");
	assert_string_equal(pick("linux/arm/v7", 0), "linux/arm/v7");
}

static void pick_should_refuse_words_that_are_not_platforms(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_platforms_pick(&b, "linux/amd64 arm64", 0, &err),
			 DS_E_ARG);
	assert_has(err.msg, "invalid platform 'arm64'");
	ds_buf_free(&b);
	ds_err_clear(&err);
	assert_int_equal(ds_platforms_pick(&b, "linux/", 0, &err), DS_E_ARG);
	ds_buf_free(&b);
}

static void emulated_should_compare_with_the_host(void **state)
{
	(void)state;
	assert_string_equal(slow("linux/amd64 linux/arm64", "x86_64"),
			    "linux/arm64");
	assert_string_equal(slow("linux/amd64 linux/arm64", "aarch64"),
			    "linux/amd64");
	assert_string_equal(slow("linux/arm64/v8", "aarch64"), "");
	assert_string_equal(slow("linux/amd64", "x86_64"), "");
	assert_string_equal(slow("linux/arm/v7 linux/386", "x86_64"),
			    "linux/arm/v7 linux/386");
}

/* The host's own platform, named as docker names it. */
static void native_should_name_the_host_as_docker_does(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	const char *arch = ds_platforms_host_arch();

	(void)state;
	assert_int_equal(ds_platforms_native(&b), DS_OK);
	if (strcmp(arch, "x86_64") == 0)
		assert_string_equal(b.ptr, "linux/amd64");
	else if (strcmp(arch, "aarch64") == 0)
		assert_string_equal(b.ptr, "linux/arm64");
	else
		assert_int_equal(strncmp(b.ptr, "linux/", 6), 0);
	ds_buf_free(&b);
}

DS_TEST_MAIN(
	cmocka_unit_test(pick_should_add_arm64_for_releases_once),
	cmocka_unit_test(pick_should_refuse_words_that_are_not_platforms),
	cmocka_unit_test(emulated_should_compare_with_the_host),
	cmocka_unit_test(native_should_name_the_host_as_docker_does))
