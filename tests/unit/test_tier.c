/* test_tier.c: the tier chosen from free space. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "tier.h"
#include "testutil.h"

static const struct ds_tier_limits defaults = {
	DS_TIER_DEFAULT_FULL, DS_TIER_DEFAULT_MEDIUM, DS_TIER_DEFAULT_MINIMAL
};

static void pick_should_follow_story_one_thresholds(void **state)
{
	(void)state;
	/* USERS.md story 1: >8 GB all, 5-8 essential, 2-5 testing only. */
	assert_int_equal(ds_tier_pick(20ULL << 30, &defaults), DS_TIER_FULL);
	assert_int_equal(ds_tier_pick(8ULL << 30, &defaults), DS_TIER_FULL);
	assert_int_equal(ds_tier_pick((8ULL << 30) - 1, &defaults),
			 DS_TIER_MEDIUM);
	assert_int_equal(ds_tier_pick(5ULL << 30, &defaults), DS_TIER_MEDIUM);
	assert_int_equal(ds_tier_pick((5ULL << 30) - 1, &defaults),
			 DS_TIER_MINIMAL);
	assert_int_equal(ds_tier_pick(2ULL << 30, &defaults), DS_TIER_MINIMAL);
	assert_int_equal(ds_tier_pick((2ULL << 30) - 1, &defaults),
			 DS_TIER_CRITICAL);
	assert_int_equal(ds_tier_pick(0, &defaults), DS_TIER_CRITICAL);
}

static void names_should_be_the_documented_words(void **state)
{
	(void)state;
	assert_string_equal(ds_tier_name(DS_TIER_FULL), "full");
	assert_string_equal(ds_tier_name(DS_TIER_MEDIUM), "medium");
	assert_string_equal(ds_tier_name(DS_TIER_MINIMAL), "minimal");
	assert_string_equal(ds_tier_name(DS_TIER_CRITICAL), "critical");
}

static void check_should_accept_descending_limits(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_tier_limits lim = { 3, 2, 1 };

	(void)state;
	assert_int_equal(ds_tier_check(&defaults, &err), DS_OK);
	assert_int_equal(ds_tier_check(&lim, &err), DS_OK);
	lim.minimal = 0;
	assert_int_equal(ds_tier_check(&lim, &err), DS_OK);
}

static void check_should_name_the_pair_out_of_order(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_tier_limits lim = { 5000000000ULL, 8000000000ULL,
				      2000000000ULL };
	const struct ds_tier_limits *ok = &defaults;

	(void)state;
	assert_int_equal(ds_tier_check(&lim, &err), DS_E_ARG);
	assert_has(err.msg, "full (5GB) is not above medium "
	           "(8GB)");
	ds_err_clear(&err);
	lim = (struct ds_tier_limits){ 1ULL << 30, 2ULL << 30, 0 };
	assert_int_equal(ds_tier_check(&lim, &err), DS_E_ARG);
	assert_has(err.msg, "full (1G) is not above medium "
	           "(2G)");
	ds_err_clear(&err);
	lim = (struct ds_tier_limits){ 9000000000ULL, 8000000000ULL,
				       8000000000ULL };
	assert_int_equal(ds_tier_check(&lim, &err), DS_E_ARG);
	assert_has(err.msg, "medium (8GB) is not above minimal "
	           "(8GB)");
	ds_err_clear(&err);
	assert_int_equal(ds_tier_check(ok, &err), DS_OK);
}

DS_TEST_MAIN(
	cmocka_unit_test(pick_should_follow_story_one_thresholds),
	cmocka_unit_test(names_should_be_the_documented_words),
	cmocka_unit_test(check_should_accept_descending_limits),
	cmocka_unit_test(check_should_name_the_pair_out_of_order))
