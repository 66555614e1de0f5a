/* test_units.c: sizes, units, durations and docker-style formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "units.h"
#include "testutil.h"

/* Parse text that must succeed and return the bytes. */
static uint64_t size_ok(const char *text)
{
	struct ds_err err = DS_ERR_INIT;
	uint64_t v = 12345;

	assert_int_equal(ds_size_parse(text, &v, &err), DS_OK);
	assert_int_equal(err.code, DS_OK);
	return v;
}

/* Parse text that must fail and return the message. */
static const char *size_bad(const char *text, struct ds_err *err)
{
	uint64_t v = 777;

	assert_int_equal(ds_size_parse(text, &v, err), DS_E_ARG);
	assert_int_equal(v, 777); /* untouched on failure */
	return err->msg;
}

static void size_parse_should_read_bare_bytes(void **state)
{
	(void)state;
	assert_true(size_ok("0") == 0);
	assert_true(size_ok("1024") == 1024);
	assert_true(size_ok(" 42 ") == 42);
	assert_true(size_ok("42B") == 42);
}

static void size_parse_should_use_decimal_for_two_letter_units(void **state)
{
	(void)state;
	assert_true(size_ok("1kB") == 1000);
	assert_true(size_ok("3GB") == 3000000000ULL);
	assert_true(size_ok("3gb") == 3000000000ULL);
	assert_true(size_ok("2 TB") == 2000000000000ULL);
	assert_true(size_ok("10MB") == 10000000ULL);
}

static void size_parse_should_use_binary_for_iec_and_letters(void **state)
{
	(void)state;
	assert_true(size_ok("1KiB") == 1024);
	assert_true(size_ok("512MiB") == 512ULL << 20);
	assert_true(size_ok("3G") == 3ULL << 30);
	assert_true(size_ok("3g") == 3ULL << 30);
	assert_true(size_ok("8gib") == 8ULL << 30);
	assert_true(size_ok("1T") == 1ULL << 40);
	assert_true(size_ok("4k") == 4096);
}

static void size_parse_should_round_fractions_down(void **state)
{
	(void)state;
	assert_true(size_ok("1.5G") == (3ULL << 30) / 2);
	assert_true(size_ok("0.5kB") == 500);
	assert_true(size_ok("1.0001kB") == 1000);
	assert_true(size_ok("2.") == 2);
	assert_true(size_ok(".5K") == 512);
}

static void size_parse_should_reject_bad_text(void **state)
{
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_has(size_bad("10X", &err), "unknown unit 'X'");
	assert_has(err.msg, "'10X'");
	ds_err_clear(&err);
	assert_has(size_bad("", &err), "expected a number");
	ds_err_clear(&err);
	size_bad("G", &err);
	ds_err_clear(&err);
	size_bad("-1G", &err);
	ds_err_clear(&err);
	size_bad("1G2", &err);
	ds_err_clear(&err);
	size_bad("1..5G", &err);
}

static void size_parse_should_reject_overflow(void **state)
{
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_has(size_bad("99999999999999999999", &err),
	           "too large");
	ds_err_clear(&err);
	assert_has(size_bad("9000000P", &err), "too large");
	ds_err_clear(&err);
	size_bad("9223372036854775808", &err); /* 2^63 */
	assert_true(size_ok("9223372036854775807") == INT64_MAX);
}

static void unit_parse_should_name_valid_units(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	uint64_t v = 0;

	(void)state;
	assert_int_equal(ds_unit_parse("GB", &v, &err), DS_OK);
	assert_true(v == 1000000000ULL);
	assert_int_equal(ds_unit_parse("GiB", &v, &err), DS_OK);
	assert_true(v == 1ULL << 30);
	assert_int_equal(ds_unit_parse("m", &v, &err), DS_OK);
	assert_true(v == 1ULL << 20);
	assert_int_equal(ds_unit_parse("", &v, &err), DS_OK);
	assert_true(v == 1);
	assert_int_equal(ds_unit_parse("parsecs", &v, &err), DS_E_ARG);
	assert_has(err.msg, "unknown unit 'parsecs'");
}

static void duration_parse_should_sum_groups(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	uint64_t v = 0;

	(void)state;
	assert_int_equal(ds_duration_parse("90s", &v, &err), DS_OK);
	assert_true(v == 90);
	assert_int_equal(ds_duration_parse("24h", &v, &err), DS_OK);
	assert_true(v == 86400);
	assert_int_equal(ds_duration_parse("7d", &v, &err), DS_OK);
	assert_true(v == 7 * 86400);
	assert_int_equal(ds_duration_parse("1h30m", &v, &err), DS_OK);
	assert_true(v == 5400);
	assert_int_equal(ds_duration_parse("2w", &v, &err), DS_OK);
	assert_true(v == 14 * 86400);
	assert_int_equal(ds_duration_parse("30", &v, &err), DS_OK);
	assert_true(v == 30);
}

static void duration_parse_should_reject_bad_text(void **state)
{
	static const char *const bad[] = { "", "h", "10y", "1h30", "1.5h",
					   "-3m", "3m x" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ds_err err = DS_ERR_INIT;
		uint64_t v = 5;

		assert_int_equal(ds_duration_parse(bad[i], &v, &err),
				 DS_E_ARG);
		assert_int_equal(v, 5);
		assert_has(err.msg, "invalid duration");
	}
}

static void size_human_should_match_docker(void **state)
{
	char b[32];

	(void)state;
	/* Figures as printed by `docker system df` (go-units HumanSize). */
	assert_string_equal(ds_size_human(0, b, sizeof(b)), "0B");
	assert_string_equal(ds_size_human(999, b, sizeof(b)), "999B");
	assert_string_equal(ds_size_human(1000, b, sizeof(b)), "1kB");
	assert_string_equal(ds_size_human(10255968, b, sizeof(b)), "10.26MB");
	assert_string_equal(ds_size_human(1982256, b, sizeof(b)), "1.982MB");
	assert_string_equal(ds_size_human(102400, b, sizeof(b)), "102.4kB");
	assert_string_equal(ds_size_human(23059392, b, sizeof(b)), "23.06MB");
	assert_string_equal(ds_size_human(8589934592ULL, b, sizeof(b)),
			    "8.59GB");
}

static void size_exact_should_echo_what_users_write(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(ds_size_exact(8ULL << 30, b, sizeof(b)), "8G");
	assert_string_equal(ds_size_exact(300ULL << 20, b, sizeof(b)), "300M");
	assert_string_equal(ds_size_exact(5000000000ULL, b, sizeof(b)), "5GB");
	assert_string_equal(ds_size_exact(1536, b, sizeof(b)), "1536");
	assert_string_equal(ds_size_exact(2048, b, sizeof(b)), "2K");
	assert_string_equal(ds_size_exact(1234, b, sizeof(b)), "1234");
	assert_string_equal(ds_size_exact(0, b, sizeof(b)), "0");
}

/* The one yes/no rule: 1/yes/true/on, 0/no/false/off/empty, any case. */
static void bool_parse_should_follow_one_rule(void **state)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "YES",
					    "True", "ON" };
	static const char *const no[] = { "0", "no", "false", "off", "",
					   "NO", "False", "Off" };
	static const char *const bad[] = { "2", "y", "n", "maybe", "enable",
					    "yes ", "01", "-1", "nope" };
	struct ds_err err = DS_ERR_INIT;
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = -1;
		assert_int_equal(ds_bool_parse(yes[i], &v, &err), DS_OK);
		assert_int_equal(v, 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = -1;
		assert_int_equal(ds_bool_parse(no[i], &v, &err), DS_OK);
		assert_int_equal(v, 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ds_err_clear(&err);
		if (ds_bool_parse(bad[i], &v, &err) == DS_OK)
			fail_msg("'%s' was taken as yes/no", bad[i]);
		assert_has(err.msg, "invalid yes/no value");
	}
}

DS_TEST_MAIN(
	cmocka_unit_test(size_parse_should_read_bare_bytes),
	cmocka_unit_test(size_parse_should_use_decimal_for_two_letter_units),
	cmocka_unit_test(size_parse_should_use_binary_for_iec_and_letters),
	cmocka_unit_test(size_parse_should_round_fractions_down),
	cmocka_unit_test(size_parse_should_reject_bad_text),
	cmocka_unit_test(size_parse_should_reject_overflow),
	cmocka_unit_test(unit_parse_should_name_valid_units),
	cmocka_unit_test(duration_parse_should_sum_groups),
	cmocka_unit_test(duration_parse_should_reject_bad_text),
	cmocka_unit_test(size_human_should_match_docker),
	cmocka_unit_test(size_exact_should_echo_what_users_write),
	cmocka_unit_test(bool_parse_should_follow_one_rule))
