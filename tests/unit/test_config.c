/* test_config.c: build-config.json to make assignments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

/* Convert json; expect result; return the text (static). */
static const char *convert(const char *json, enum ds_code want,
			   struct ds_err *err)
{
	static char text[4096];
	struct ds_buf out = DS_BUF_INIT;

	assert_int_equal(ds_config_to_make(&out, json, strlen(json),
					   "build-config.json", err), want);
	snprintf(text, sizeof(text), "%s", out.ptr ? out.ptr : "");
	ds_buf_free(&out);
	return text;
}

static void config_should_define_every_variable_with_defaults(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	const char *t = convert(
		"{\"registry\":\"127.0.0.1:5000\",\"image_prefix\":\"team/\","
		"\"tag\":\"v1\",\"testing_image\":\"t:1\","
		"\"testing_context\":\"testing/\","
		"\"platforms\":[\"linux/amd64\"],"
		"\"services\":{\"web\":{\"context\":\"w/\"},"
		"\"api\":{\"dockerfile\":\"api/Dockerfile\",\"target\":\"prod\","
		"\"build_args\":{\"PY\":\"3.11\",\"X\":\"y\"},"
		"\"essential\":true,\"size_limit\":\"1.5G\"},"
		"\"db\":{\"essential\":false,\"size_limit\":1048576}},"
		"\"cache\":{\"max_cache\":\"10GB\",\"keep_images\":2},"
		"\"environments\":{\"blue\":{\"build_args\":{\"C\":\"b\"}},"
		"\"green\":{}},"
		"\"tiers\":{\"full\":\"8G\",\"medium\":\"5G\",\"minimal\":\"2G\"}}",
		DS_OK, &err);

	(void)state;
	assert_string_equal(t,
		"REGISTRY ?= 127.0.0.1:5000\n"
		"IMAGE_PREFIX ?= team/\n"
		"TAG ?= v1\n"
		"TESTING_IMAGE ?= t:1\n"
		"TESTING_CONTEXT ?= testing/\n"
		"PLATFORMS ?= linux/amd64\n"
		"web_CONTEXT ?= w/\n"
		"api_DOCKERFILE ?= api/Dockerfile\n"
		"api_TARGET ?= prod\n"
		"api_BUILD_ARGS ?= PY=3.11 X=y\n"
		"api_SIZE_LIMIT ?= 1.5G\n"
		"db_SIZE_LIMIT ?= 1048576\n"
		"SERVICES ?= web api db\n"
		"ESSENTIAL_SERVICES ?= api\n"
		"blue_BUILD_ARGS ?= C=b\n"
		"DOCKSPACE_ENVIRONMENTS ?= blue green\n"
		"DOCKSPACE_MAX_CACHE ?= 10GB\n"
		"DOCKSPACE_KEEP_IMAGES ?= 2\n"
		"DOCKSPACE_TIER_FULL ?= 8G\n"
		"DOCKSPACE_TIER_MEDIUM ?= 5G\n"
		"DOCKSPACE_TIER_MINIMAL ?= 2G\n");
}

static void config_should_name_the_path_of_each_problem(void **state)
{
	static const struct { const char *json, *msg; } bad[] = {
		{ "{\"services\":{\"api\":{\"contxt\":\"x\"}}}",
		  "unknown key 'services.api.contxt'" },
		{ "{\"registy\":\"x\"}", "unknown key 'registy'" },
		{ "{\"services\":{\"api\":{\"essential\":\"yes\"}}}",
		  "'services.api.essential' must be true or false" },
		{ "{\"services\":{\"api\":{\"size_limit\":\"3X\"}}}",
		  "'services.api.size_limit': invalid size '3X'" },
		{ "{\"services\":{\"a b\":{}}}",
		  "'services.a b' is not a usable service name" },
		{ "{\"services\":{\"api\":{\"build_args\":{\"A\":\"x y\"}}}}",
		  "'services.api.build_args.A' must be a string without "
		  "blanks" },
		{ "{\"cache\":{\"keep_images\":-1}}",
		  "'cache.keep_images' must be a whole number" },
		{ "{\"tiers\":{\"ful\":\"1G\"}}", "unknown key 'tiers.ful'" },
		{ "{\"platforms\":[\"amd64\"]}",
		  "'platforms' must hold os/arch strings" },
		{ "{\"registry\":\"a$(shell rm -rf /)\"}",
		  "'registry' must not contain blanks, '$'" },
		{ "[1,2]", "'' must be an object" },
		{ "{\"services\":\n{\"api\":{\"context\": }}}",
		  "malformed JSON near line 2" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ds_err err = DS_ERR_INIT;

		convert(bad[i].json, DS_E_CONFIG, &err);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("'%s' gave '%s'", bad[i].json, err.msg);
		assert_non_null(strstr(err.msg, "build-config.json: "));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_should_define_every_variable_with_defaults),
		cmocka_unit_test(config_should_name_the_path_of_each_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
