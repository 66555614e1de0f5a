/* test_jsonw.c: the JSON writer (jsonw.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

static void writer_should_place_commas_and_colons(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_jsonw w;

	(void)state;
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	ds_jsonw_kstring(&w, "name", "app");
	ds_jsonw_key(&w, "list");
	ds_jsonw_array(&w);
	ds_jsonw_int(&w, 1);
	ds_jsonw_object(&w);
	ds_jsonw_end(&w);
	ds_jsonw_array(&w);
	ds_jsonw_end(&w);
	ds_jsonw_null(&w);
	ds_jsonw_string(&w, NULL);
	ds_jsonw_end(&w);
	ds_jsonw_kbool(&w, "yes", 7);
	ds_jsonw_kbool(&w, "no", 0);
	ds_jsonw_key(&w, "empty");
	ds_jsonw_object(&w);
	ds_jsonw_end(&w);
	ds_jsonw_end(&w);
	assert_int_equal(ds_jsonw_finish(&w), DS_OK);
	assert_string_equal(b.ptr, "{\"name\":\"app\",\"list\":[1,{},[],null,"
			    "null],\"yes\":true,\"no\":false,\"empty\":{}}");
	ds_buf_free(&b);
}

static void writer_should_print_64_bit_extremes_exactly(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_jsonw w;

	(void)state;
	ds_jsonw_init(&w, &b);
	ds_jsonw_array(&w);
	ds_jsonw_int(&w, INT64_MIN);
	ds_jsonw_int(&w, INT64_MAX);
	ds_jsonw_uint(&w, UINT64_MAX);
	ds_jsonw_uint(&w, 0);
	/* 2^53 + 1: a double would print 9007199254740992 */
	ds_jsonw_int(&w, 9007199254740993LL);
	ds_jsonw_int(&w, -1);
	ds_jsonw_end(&w);
	assert_int_equal(ds_jsonw_finish(&w), DS_OK);
	assert_string_equal(b.ptr, "[-9223372036854775808,"
			    "9223372036854775807,18446744073709551615,0,"
			    "9007199254740993,-1]");
	ds_buf_reset(&b);
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	ds_jsonw_kuint(&w, "free", UINT64_MAX);
	ds_jsonw_kint(&w, "delta", INT64_MIN);
	ds_jsonw_end(&w);
	assert_int_equal(ds_jsonw_finish(&w), DS_OK);
	assert_string_equal(b.ptr, "{\"free\":18446744073709551615,"
			    "\"delta\":-9223372036854775808}");
	ds_buf_free(&b);
}

static void writer_should_escape_strings_and_keys(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_jsonw w;

	(void)state;
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	ds_jsonw_kstring(&w, "a\"b\\", "q\"u\\o\nt\te\x01\x1f/\xc3\xa9");
	ds_jsonw_end(&w);
	assert_int_equal(ds_jsonw_finish(&w), DS_OK);
	assert_string_equal(b.ptr, "{\"a\\\"b\\\\\":\"q\\\"u\\\\o\\u000at"
			    "\\u0009e\\u0001\\u001f/\xc3\xa9\"}");
	ds_buf_free(&b);
}

static void writer_should_embed_a_finished_value(void **state)
{
	struct ds_buf items = DS_BUF_INIT, b = DS_BUF_INIT;
	struct ds_jsonw iw, w;

	(void)state;
	ds_jsonw_init(&iw, &items);
	ds_jsonw_array(&iw);
	ds_jsonw_string(&iw, "x");
	ds_jsonw_string(&iw, "y");
	ds_jsonw_end(&iw);
	assert_int_equal(ds_jsonw_finish(&iw), DS_OK);
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	ds_jsonw_key(&w, "items");
	ds_jsonw_raw(&w, items.ptr);
	ds_jsonw_kint(&w, "n", 2);
	ds_jsonw_end(&w);
	assert_int_equal(ds_jsonw_finish(&w), DS_OK);
	assert_string_equal(b.ptr, "{\"items\":[\"x\",\"y\"],\"n\":2}");
	ds_buf_free(&items);
	ds_buf_free(&b);
}

static void writer_should_refuse_misuse_and_stick(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_jsonw w;
	int i;

	(void)state;
	/* a value in an object without its key */
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	assert_int_equal(ds_jsonw_int(&w, 1), DS_E_ARG);
	assert_int_equal(ds_jsonw_end(&w), DS_E_ARG);
	assert_int_equal(ds_jsonw_finish(&w), DS_E_ARG);
	assert_string_equal(b.ptr, "{");
	/* a key in an array, an end with nothing open, two top values */
	ds_buf_reset(&b);
	ds_jsonw_init(&w, &b);
	ds_jsonw_array(&w);
	assert_int_equal(ds_jsonw_key(&w, "k"), DS_E_ARG);
	ds_jsonw_init(&w, &b);
	assert_int_equal(ds_jsonw_end(&w), DS_E_ARG);
	ds_jsonw_init(&w, &b);
	ds_jsonw_null(&w);
	assert_int_equal(ds_jsonw_null(&w), DS_E_ARG);
	/* unfinished: an open array, a key waiting, nothing at all */
	ds_jsonw_init(&w, &b);
	ds_jsonw_array(&w);
	assert_int_equal(ds_jsonw_finish(&w), DS_E_ARG);
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	ds_jsonw_key(&w, "k");
	assert_int_equal(ds_jsonw_end(&w), DS_E_ARG);
	ds_jsonw_init(&w, &b);
	assert_int_equal(ds_jsonw_finish(&w), DS_E_ARG);
	/* too deep */
	ds_buf_reset(&b);
	ds_jsonw_init(&w, &b);
	for (i = 0; i < DS_JSONW_DEPTH; i++)
		assert_int_equal(ds_jsonw_array(&w), DS_OK);
	assert_int_equal(ds_jsonw_array(&w), DS_E_ARG);
	assert_int_equal(b.len, DS_JSONW_DEPTH);
	ds_buf_free(&b);
}

static void writer_should_keep_the_buffer_error(void **state)
{
	struct ds_buf b = DS_BUF_INIT_LIMIT(8);
	struct ds_jsonw w;

	(void)state;
	ds_jsonw_init(&w, &b);
	ds_jsonw_object(&w);
	assert_int_equal(ds_jsonw_kstring(&w, "long", "too long to fit"),
			 DS_E_NOMEM);
	assert_int_equal(ds_jsonw_end(&w), DS_E_NOMEM);
	assert_int_equal(ds_jsonw_finish(&w), DS_E_NOMEM);
	assert_true(b.len <= 8);
	ds_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writer_should_place_commas_and_colons),
		cmocka_unit_test(writer_should_print_64_bit_extremes_exactly),
		cmocka_unit_test(writer_should_escape_strings_and_keys),
		cmocka_unit_test(writer_should_embed_a_finished_value),
		cmocka_unit_test(writer_should_refuse_misuse_and_stick),
		cmocka_unit_test(writer_should_keep_the_buffer_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
