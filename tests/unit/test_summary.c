/*
 * test_summary.c: the pipeline's closing table (module/summary.c), as
 * text and as Markdown, and the room words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "summary.h"
#include "testutil.h"

/* A built service, a placeholder and a skipped one. */
static const struct ds_summary_row rows[] = {
	{ "api", "full", "build", 14620000,
	  "sha256:e6d0177e91ef0123456789", 45200000,
	  "retry:61700000 after:4000" },
	{ "a|b", "minimal", "placeholder", 4096, NULL, 30000000, "" },
	{ "web", "minimal", "skip", 99, NULL, -1, NULL },
};

/* The text table: docker's units, the digest cut to 19 characters. */
static void text_should_use_dockers_units(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_summary_text(&b, rows, 3, &err), DS_OK);
	assert_string_equal(b.ptr,
		"SERVICE          TIER      ACTION             SIZE  DIGEST"
		"              FREE AFTER ROOM MADE\n"
		"api              full      built           14.62MB  "
		"sha256:e6d0177e91ef 45.2MB     retry 61.7MB, after 4kB\n"
		"a|b              minimal   placeholder     4.096kB  -"
		"                   30MB       -\n"
		"web              minimal   skipped               -  -"
		"                   -          -\n");
	ds_buf_free(&b);
}

/* The Markdown table: a heading, '|' in a name escaped. */
static void markdown_should_escape_names(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_summary_markdown(&b, "optimized", "t1", rows, 3,
					     &err), DS_OK);
	assert_has(b.ptr, "### dockspace: optimized build, tag t1\n\n"
		   "| service | tier | action | size | digest | free after | "
		   "room made |\n|---|---|---|---|---|---|---|\n");
	assert_has(b.ptr, "| api | full | built | 14.62MB | "
		   "sha256:e6d0177e91ef | 45.2MB | retry 61.7MB, after 4kB "
		   "|\n");
	assert_has(b.ptr, "| a\\|b | minimal | placeholder | 4.096kB | - | "
		   "30MB | - |\n");
	assert_has(b.ptr, "| web | minimal | skipped | - | - | - | - |\n\n");
	ds_buf_free(&b);
}

/* Room words: WHEN:BYTES, anything else named in the error. */
static void room_should_read_when_bytes_words(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	char out[128];

	(void)state;
	assert_int_equal(ds_summary_room("", out, sizeof(out), &err), DS_OK);
	assert_string_equal(out, "-");
	assert_int_equal(ds_summary_room(" reclaim:1000  room:0 ", out,
					 sizeof(out), &err), DS_OK);
	assert_string_equal(out, "reclaim 1kB, room 0B");
	assert_int_equal(ds_summary_room("retry", out, sizeof(out), &err),
			 DS_E_ARG);
	assert_has(err.msg, "invalid room word 'retry'");
	ds_err_clear(&err);
	assert_int_equal(ds_summary_room("retry:12x", out, sizeof(out), &err),
			 DS_E_ARG);
	assert_has(err.msg, "'retry:12x'");
	ds_err_clear(&err);
	assert_int_equal(ds_summary_room(":12", out, sizeof(out), &err),
			 DS_E_ARG);
	ds_err_clear(&err);
	assert_int_equal(ds_summary_room("a:1 b:2 c:3 d:4", out, 16, &err),
			 DS_E_ARG);
	assert_has(err.msg, "too many room words");
	ds_err_clear(&err);
}

/* A bad room word fails the table, naming it. */
static void text_should_fail_on_a_bad_room_word(void **state)
{
	struct ds_summary_row bad = rows[0];
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	bad.room = "retry=5";
	assert_int_equal(ds_summary_text(&b, &bad, 1, &err), DS_E_ARG);
	assert_has(err.msg, "'retry=5'");
	ds_err_clear(&err);
	ds_buf_free(&b);
}

DS_TEST_MAIN(
	cmocka_unit_test(text_should_use_dockers_units),
	cmocka_unit_test(markdown_should_escape_names),
	cmocka_unit_test(room_should_read_when_bytes_words),
	cmocka_unit_test(text_should_fail_on_a_bad_room_word))
