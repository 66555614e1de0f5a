/* test_buf.c: the growable buffer and the error record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static void buf_should_grow_and_stay_terminated(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(ds_buf_printf(&b, "%03d,", i), DS_OK);
	assert_int_equal(b.len, 4000);
	assert_int_equal(b.ptr[b.len], '\0');
	assert_memory_equal(b.ptr + 3996, "999,", 4);
	ds_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	ds_buf_free(&b);
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.len, 0);
}

static void buf_should_refuse_growth_past_its_limit(void **state)
{
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	b.limit = 8;
	assert_int_equal(ds_buf_puts(&b, "12345678"), DS_OK);
	assert_int_equal(ds_buf_puts(&b, "9"), DS_E_NOMEM);
	assert_string_equal(b.ptr, "12345678");
	ds_buf_free(&b);
}

/* A failed append sticks: later appends do nothing and return it, until
 * a reset; the text stays what it was. */
static void buf_error_should_stick_until_reset(void **state)
{
	struct ds_buf b = DS_BUF_INIT_LIMIT(4);

	(void)state;
	assert_int_equal(ds_buf_error(&b), DS_OK);
	assert_int_equal(ds_buf_puts(&b, "abc"), DS_OK);
	assert_int_equal(ds_buf_puts(&b, "de"), DS_E_NOMEM);
	assert_int_equal(ds_buf_puts(&b, "d"), DS_E_NOMEM);
	assert_int_equal(ds_buf_printf(&b, "%d", 1), DS_E_NOMEM);
	assert_int_equal(ds_buf_json_string(&b, ""), DS_E_NOMEM);
	assert_int_equal(ds_buf_md_escape(&b, "x"), DS_E_NOMEM);
	assert_int_equal(ds_buf_error(&b), DS_E_NOMEM);
	assert_string_equal(b.ptr, "abc");
	ds_buf_reset(&b);
	assert_int_equal(ds_buf_error(&b), DS_OK);
	assert_int_equal(ds_buf_puts(&b, "d"), DS_OK);
	assert_string_equal(b.ptr, "d");
	ds_buf_free(&b);
	assert_int_equal(b.limit, 4);
}

/* ptr is never NULL: an empty buffer reads as "", a zeroed one grows. */
static void buf_should_read_as_a_string_when_empty(void **state)
{
	struct ds_buf b = DS_BUF_INIT, z;

	(void)state;
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	ds_buf_reset(&b);
	assert_string_equal(b.ptr, "");
	ds_buf_free(&b);
	assert_string_equal(b.ptr, "");
	memset(&z, 0, sizeof(z));
	assert_int_equal(ds_buf_add(&z, "", 0), DS_OK);
	assert_string_equal(z.ptr, "");
	assert_int_equal(ds_buf_puts(&z, "q"), DS_OK);
	assert_string_equal(z.ptr, "q");
	ds_buf_free(&z);
	assert_string_equal(ds_buf_empty, "");
}

static void detach_should_hand_over_the_text(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	char *s = ds_buf_detach(&b);

	(void)state;
	assert_string_equal(s, "");
	free(s);
	ds_buf_puts(&b, "abc");
	s = ds_buf_detach(&b);
	assert_string_equal(s, "abc");
	assert_string_equal(b.ptr, "");
	free(s);
}

static void json_string_should_escape(void **state)
{
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	assert_int_equal(ds_buf_json_string(&b, "a\"b\\c\nd\x01"), DS_OK);
	assert_string_equal(b.ptr, "\"a\\\"b\\\\c\\u000ad\\u0001\"");
	ds_buf_free(&b);
}

static void url_escape_should_keep_references_readable(void **state)
{
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	/* a path segment keeps / : @ (image references) */
	assert_int_equal(ds_buf_url_escape(&b, "registry:5000/a/b_c-d.e~f:"
					   "1@sha256:ab", 0), DS_OK);
	assert_string_equal(b.ptr, "registry:5000/a/b_c-d.e~f:1@sha256:ab");
	ds_buf_reset(&b);
	assert_int_equal(ds_buf_url_escape(&b, "a b?c#d%e&f\xc3\xa9", 0),
			 DS_OK);
	assert_string_equal(b.ptr, "a%20b%3Fc%23d%25e%26f%C3%A9");
	/* a query value escapes them too */
	ds_buf_reset(&b);
	assert_int_equal(ds_buf_url_escape(&b, "{\"id\":[\"a/b:c@d\"]}", 1),
			 DS_OK);
	assert_string_equal(b.ptr, "%7B%22id%22%3A%5B%22a%2Fb%3Ac%40d%22%5D%7D");
	ds_buf_free(&b);
}

/* No name changes the route: the dots of "." and ".." pieces are escaped. */
static void url_escape_should_escape_dot_segments(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "..", "%2E%2E" },
		{ ".", "%2E" },
		{ "../../etc/passwd:1", "%2E%2E/%2E%2E/etc/passwd:1" },
		{ "a/./b/../c", "a/%2E/b/%2E%2E/c" },
		{ "a/..", "a/%2E%2E" },
		{ "..a/b..c/...", "..a/b..c/..." },
		{ "my.app:1.0", "my.app:1.0" },
		{ "a/../", "a/%2E%2E/" },
	};
	struct ds_buf b = DS_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ds_buf_reset(&b);
		assert_int_equal(ds_buf_url_escape(&b, cases[i].in, 0), DS_OK);
		assert_string_equal(b.ptr, cases[i].out);
	}
	/* a query value escapes every / and keeps dots (no segments there) */
	ds_buf_reset(&b);
	assert_int_equal(ds_buf_url_escape(&b, "../x", 1), DS_OK);
	assert_string_equal(b.ptr, "..%2Fx");
	ds_buf_free(&b);
}

static void err_should_keep_the_first_message(void **state)
{
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_err_set(&err, DS_E_CONNECT, "first %d", 1),
			 DS_E_CONNECT);
	assert_int_equal(ds_err_set(&err, DS_E_ARG, "second"), DS_E_ARG);
	assert_int_equal(err.code, DS_E_CONNECT);
	assert_string_equal(err.msg, "first 1");
	ds_err_clear(&err);
	assert_int_equal(err.code, DS_OK);
	assert_string_equal(ds_strerror(DS_E_TIMEOUT), "timed out");
}

DS_TEST_MAIN(
	cmocka_unit_test(buf_should_grow_and_stay_terminated),
	cmocka_unit_test(buf_should_refuse_growth_past_its_limit),
	cmocka_unit_test(buf_error_should_stick_until_reset),
	cmocka_unit_test(buf_should_read_as_a_string_when_empty),
	cmocka_unit_test(detach_should_hand_over_the_text),
	cmocka_unit_test(json_string_should_escape),
	cmocka_unit_test(url_escape_should_keep_references_readable),
	cmocka_unit_test(url_escape_should_escape_dot_segments),
	cmocka_unit_test(err_should_keep_the_first_message))
