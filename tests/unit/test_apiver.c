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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_should_read_major_minor),
		cmocka_unit_test(negotiate_should_take_the_lower_version),
		cmocka_unit_test(negotiate_should_honour_a_pinned_version),
		cmocka_unit_test(negotiate_should_refuse_old_or_missing_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
