/* test_apiver.c: API version parsing and negotiation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "apiver.h"
#include "testutil.h"

static void parse_should_read_major_minor(void **state)
{
	(void)state;
	assert_int_equal(ds_api_parse("1.41"), 1041);
	assert_int_equal(ds_api_parse("1.9"), 1009);
	assert_int_equal(ds_api_parse("2.0"), 2000);
	assert_int_equal(ds_api_parse("1"), -1);
	assert_int_equal(ds_api_parse("1.41.2"), -1);
	assert_int_equal(ds_api_parse("v1.41"), -1);
	assert_int_equal(ds_api_parse(""), -1);
	assert_int_equal(ds_api_parse(NULL), -1);
}

/* Negotiate expecting success; returns the chosen version. */
static const char *agree(char out[16], const char *server,
			 const char *pinned)
{
	struct ds_err err = DS_ERR_INIT;

	assert_int_equal(ds_api_negotiate(out, server, pinned, "1.41", "1.52",
					  "unix:///x.sock", &err), DS_OK);
	return out;
}

static void negotiate_should_take_the_lower_version(void **state)
{
	char v[16];

	(void)state;
	assert_string_equal(agree(v, "1.41", NULL), "1.41"); /* Docker 20.10 */
	assert_string_equal(agree(v, "1.44", NULL), "1.44");
	assert_string_equal(agree(v, "1.52", NULL), "1.52");
	assert_string_equal(agree(v, "1.54", NULL), "1.52");
}

/*
 * The rows of the README's table, with dockspace's real limits: the
 * engine's own maximum is always one it accepts (Docker 29.0-29.2
 * refuse below 1.44 yet advertise 1.52/1.53), so negotiation lands on a
 * version the daemon takes; above 1.54 (moby HEAD: 1.56) it stays 1.54.
 */
static void negotiate_should_land_on_each_engine_row(void **state)
{
	static const struct { const char *engine, *server, *want; } rows[] = {
		{ "docker 20.10", "1.41", "1.41" },
		{ "docker 25.0", "1.44", "1.44" },
		{ "docker 28.0", "1.48", "1.48" },
		{ "docker 29.0", "1.52", "1.52" },
		{ "docker 29.2", "1.53", "1.53" },
		{ "docker 29.4", "1.54", "1.54" },
		{ "moby HEAD", "1.56", "1.54" },
		{ "podman 4.3", "1.41", "1.41" },
		{ "podman 5.7", "1.41", "1.41" },
		{ "podman 5.8", "1.44", "1.44" },
	};
	struct ds_err err = DS_ERR_INIT;
	char v[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(ds_api_negotiate(v, rows[i].server, NULL,
						  "1.41", "1.54",
						  rows[i].engine, &err), DS_OK);
		assert_string_equal(v, rows[i].want);
	}
	/* pinned above what dockspace knows: spoken as 1.54 */
	assert_int_equal(ds_api_negotiate(v, "1.56", "1.56", "1.41", "1.54",
					  "x", &err), DS_OK);
	assert_string_equal(v, "1.54");
}

/* /system/df: verbose from 1.52 (lists in Items), plain below. */
static void df_path_should_follow_the_version(void **state)
{
	(void)state;
	assert_string_equal(ds_api_df_path("1.41"), "/system/df");
	assert_string_equal(ds_api_df_path("1.48"), "/system/df");
	assert_string_equal(ds_api_df_path("1.51"), "/system/df");
	assert_string_equal(ds_api_df_path("1.52"), "/system/df?verbose=1");
	assert_string_equal(ds_api_df_path("1.54"), "/system/df?verbose=1");
	assert_string_equal(ds_api_df_cache_path("1.41"), "/system/df");
	assert_string_equal(ds_api_df_cache_path("1.44"),
			    "/system/df?type=build-cache");
	assert_string_equal(ds_api_df_cache_path("1.54"),
			    "/system/df?type=build-cache&verbose=1");
	assert_true(ds_api_at_least("1.54", "1.48"));
	assert_false(ds_api_at_least("1.44", "1.48"));
}

/* Docker 29.0's refusal of a pinned 1.41 gets a hint; others do not. */
static void refusal_should_get_a_hint(void **state)
{
	(void)state;
	assert_non_null(strstr(ds_api_refusal_hint(
		"client version 1.41 is too old. Minimum supported API "
		"version is 1.44, please upgrade your client to a newer "
		"version"), "unset DOCKER_API_VERSION"));
	assert_string_equal(ds_api_refusal_hint("No such image: x"), "");
	assert_string_equal(ds_api_refusal_hint(NULL), "");
}

static void negotiate_should_honour_a_pinned_version(void **state)
{
	char v[16];

	(void)state;
	assert_string_equal(agree(v, "1.41", "1.43"), "1.43");
	assert_string_equal(agree(v, "", "1.41"), "1.41");
}

static void negotiate_should_refuse_old_or_missing_versions(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	char v[16];

	(void)state;
	assert_int_equal(ds_api_negotiate(v, "1.40", NULL, "1.41", "1.52",
					  "unix:///x.sock", &err),
			 DS_E_UNSUPPORTED);
	assert_has(err.msg, "'unix:///x.sock' speaks API 1.40");
	ds_err_clear(&err);
	assert_int_equal(ds_api_negotiate(v, "", NULL, "1.41", "1.52",
					  "unix:///x.sock", &err),
			 DS_E_UNSUPPORTED);
	assert_has(err.msg, "sent no API version");
	ds_err_clear(&err);
	assert_int_equal(ds_api_negotiate(v, "x", NULL, "1.41", "1.52",
					  "unix:///x.sock", &err),
			 DS_E_PROTOCOL);
	ds_err_clear(&err);
	assert_int_equal(ds_api_negotiate(v, "1.41", "1.24", "1.41", "1.52",
					  "unix:///x.sock", &err),
			 DS_E_UNSUPPORTED);
	assert_has(err.msg, "DOCKER_API_VERSION '1.24' is too old");
	ds_err_clear(&err);
	assert_int_equal(ds_api_negotiate(v, "1.41", "latest", "1.41", "1.52",
					  "unix:///x.sock", &err),
			 DS_E_CONFIG);
	assert_has(err.msg, "invalid DOCKER_API_VERSION 'latest'");
}

DS_TEST_MAIN(
	cmocka_unit_test(parse_should_read_major_minor),
	cmocka_unit_test(negotiate_should_take_the_lower_version),
	cmocka_unit_test(negotiate_should_honour_a_pinned_version),
	cmocka_unit_test(negotiate_should_land_on_each_engine_row),
	cmocka_unit_test(df_path_should_follow_the_version),
	cmocka_unit_test(refusal_should_get_a_hint),
	cmocka_unit_test(negotiate_should_refuse_old_or_missing_versions))
