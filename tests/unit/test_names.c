/* test_names.c: limits and checks of the names dockspace passes on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "names.h"

/* Up to the limit is fine; past it, one line naming what and how long. */
static void check_length_should_name_what_and_how_long(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	char *big = malloc(1048577);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', 1048576);
	big[1048576] = '\0';
	assert_int_equal(ds_check_length("service name", big, 255,
					 DS_SERVICE_NAME_MAX, &err), DS_OK);
	assert_int_equal(ds_check_length("service name", big, 256,
					 DS_SERVICE_NAME_MAX, &err), DS_E_ARG);
	assert_string_equal(err.msg, "service name 'aaaaaaaaaaaaaaaaaaaaaaaaa"
			    "aaaaaaaaaaaaaaa...' is 256 characters long: at "
			    "most 255");
	ds_err_clear(&err);
	assert_int_equal(ds_check_length("image reference", big, 1048576,
					 DS_REF_MAX, &err), DS_E_ARG);
	assert_has(err.msg, "is 1048576 characters long: at "
	           "most 4096");
	assert_true(strlen(err.msg) < 120);
	/* value need not be terminated: a word inside a longer text */
	ds_err_clear(&err);
	assert_int_equal(ds_check_length("x", "abc=def", 3, 2, &err), DS_E_ARG);
	assert_string_equal(err.msg, "x 'abc...' is 3 characters long: at "
			    "most 2");
	free(big);
}

DS_TEST_MAIN(
	cmocka_unit_test(check_length_should_name_what_and_how_long))
