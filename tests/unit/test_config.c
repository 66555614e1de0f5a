/* test_config.c: build-config.json to make assignments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "testutil.h"

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

/*
 * Each good file becomes its assignments: every variable with defaults;
 * paths, references and tags people use pass the check unchanged.
 */
static void config_should_convert_good_files(void **state)
{
	static const struct { const char *json, *want; } good[] = {
		{
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
		  "DOCKSPACE_TIER_MINIMAL ?= 2G\n" },
		{
		  "{\"registry\":\"[::1]:5000\",\"image_prefix\":\"\","
		  "\"tag\":\"_v1.2-rc3\",\"testing_image\":"
		  "\"reg.io:5000/team/t@sha256:ab12\","
		  "\"testing_context\":\"../testing/\","
		  "\"services\":{\"api\":{\"context\":\"./src/api+v2,x=1@a:b%~\","
		  "\"dockerfile\":\"/abs/caf\u00e9/Dockerfile\",\"target\":\"_p.1-x\","
		  "\"build_args\":{\"URL\":\"http://a/?x=1&y='2'\"}}}}",
		  "REGISTRY ?= [::1]:5000\n"
		  "IMAGE_PREFIX ?= \n"
		  "TAG ?= _v1.2-rc3\n"
		  "TESTING_IMAGE ?= reg.io:5000/team/t@sha256:ab12\n"
		  "TESTING_CONTEXT ?= ../testing/\n"
		  "api_CONTEXT ?= ./src/api+v2,x=1@a:b%~\n"
		  "api_DOCKERFILE ?= /abs/caf\xc3\xa9/Dockerfile\n"
		  "api_TARGET ?= _p.1-x\n"
		  "api_BUILD_ARGS ?= URL=http://a/?x=1&y='2'\n"
		  "SERVICES ?= api\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct ds_err err = DS_ERR_INIT;

		assert_string_equal(convert(good[i].json, DS_OK, &err),
				    good[i].want);
	}
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
		/* no value that reaches a command line may hold shell code */
		{ "{\"services\":{\"api\":{\"context\":\"api/;id>/tmp/x;\"}}}",
		  "'services.api.context' must be a path" },
		{ "{\"services\":{\"api\":{\"context\":\"--file=/etc/x\"}}}",
		  "'services.api.context' must be a path" },
		{ "{\"services\":{\"api\":{\"dockerfile\":\"D`id`\"}}}",
		  "'services.api.dockerfile' must be a path" },
		{ "{\"services\":{\"api\":{\"target\":\"p|id\"}}}",
		  "'services.api.target' must be a build stage name" },
		{ "{\"services\":{\"api\":{\"target\":\"-x\"}}}",
		  "'services.api.target' must be a build stage name" },
		{ "{\"testing_image\":\"t'; id; '\"}",
		  "'testing_image' must not contain blanks" },
		{ "{\"testing_image\":\"t';id;'\"}",
		  "'testing_image' must be an image reference" },
		{ "{\"testing_context\":\"t&&id\"}",
		  "'testing_context' must be a path" },
		{ "{\"tag\":\"v1;id\"}", "'tag' must be a tag" },
		{ "{\"tag\":\"-v1\"}", "'tag' must be a tag" },
		{ "{\"registry\":\"r>x\"}", "'registry' must be a registry" },
		{ "{\"image_prefix\":\"t(id)\"}",
		  "'image_prefix' must be a name prefix" },
		{ "{\"platforms\":[\"linux/amd64;id\"]}",
		  "'platforms' must hold os/arch strings" },
		{ "{\"services\":{\"-api\":{}}}",
		  "'services.-api' is not a usable service name" },
		{ "{\"services\":{\"api\":{\"build_args\":{\"A\":\"x\\u0001\"}}}}",
		  "'services.api.build_args.A' must be a string without" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ds_err err = DS_ERR_INIT;

		convert(bad[i].json, DS_E_CONFIG, &err);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("'%s' gave '%s'", bad[i].json, err.msg);
		assert_has(err.msg, "build-config.json: ");
	}
}

DS_TEST_MAIN(
	cmocka_unit_test(config_should_convert_good_files),
	cmocka_unit_test(config_should_name_the_path_of_each_problem))
