/* test_table.c: the table helper (table.h), as text and as Markdown. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static const struct ds_table_col cols[] = {
	{ "NAME", DS_TABLE_LEFT, 0, 2, DS_TABLE_LEFT, 0 },
	{ "SIZE", DS_TABLE_RIGHT, 0, 3, DS_TABLE_RIGHT, 0 },
	{ "NOTE", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
};

static void text_should_size_columns_from_the_content(void **state)
{
	struct ds_table t;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	ds_table_init(&t, cols, 3);
	ds_table_add(&t, "web");
	ds_table_add(&t, "1.5GB");
	ds_table_add(&t, "ok");
	ds_table_add(&t, "database");
	ds_table_addf(&t, "%dB", 12);
	ds_table_add(&t, "");
	assert_int_equal(ds_table_rows(&t), 2);
	assert_int_equal(ds_table_text(&b, &t, 1), DS_OK);
	/* the last column is not padded: no line ends in spaces */
	assert_string_equal(b.ptr, "NAME       SIZE   NOTE\n"
				   "web       1.5GB   ok\n"
				   "database    12B   \n");
	ds_buf_reset(&b);
	t.indent = 2;
	assert_int_equal(ds_table_text(&b, &t, 0), DS_OK);
	assert_string_equal(b.ptr, "  NAME       SIZE   NOTE\n"
				   "  web       1.5GB   ok\n"
				   "  database    12B   ");
	ds_table_free(&t);
	ds_buf_free(&b);
}

static void text_should_keep_minimums_and_count_characters(void **state)
{
	static const struct ds_table_col c2[] = {
		{ NULL, DS_TABLE_LEFT, 6, 1, DS_TABLE_LEFT, 0 },
		{ NULL, DS_TABLE_RIGHT, 4, 0, DS_TABLE_LEFT, 0 },
	};
	struct ds_table t;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	ds_table_init(&t, c2, 2);
	/* "Δx" is two characters (three bytes); no header line */
	ds_table_add(&t, "\xce\x94x");
	ds_table_add(&t, "1");
	ds_table_add(&t, "longer-than-6");
	ds_table_add(&t, "22");
	assert_int_equal(ds_table_text(&b, &t, 1), DS_OK);
	assert_string_equal(b.ptr, "\xce\x94x" "               1\n"
				   "longer-than-6   22\n");
	ds_buf_reset(&b);
	ds_table_free(&t);
	ds_table_init(&t, c2, 2);
	ds_table_add(&t, "a");
	ds_table_add(&t, "b");
	assert_int_equal(ds_table_text(&b, &t, 0), DS_OK);
	assert_string_equal(b.ptr, "a         b");
	ds_table_free(&t);
	ds_buf_free(&b);
}

static void markdown_should_escape_cells(void **state)
{
	static const struct ds_table_col md[] = {
		{ "NAME", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
		{ "Image", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
		{ "% OF SIZE", DS_TABLE_LEFT, 0, 0, DS_TABLE_RIGHT, 0 },
	};
	struct ds_table t;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	ds_table_init(&t, md, 3);
	ds_table_add(&t, "a|b_c*<x>\nnext");
	ds_table_add_styled(&t, "reg:5000/a`b|c", DS_CELL_CODE);
	ds_table_add_styled(&t, "over_1", DS_CELL_BOLD);
	ds_table_add(&t, "plain");
	ds_table_add_styled(&t, "x", DS_CELL_CODE);
	ds_table_add(&t, "");
	assert_int_equal(ds_table_markdown(&b, &t), DS_OK);
	assert_string_equal(b.ptr,
			    "| name | image | % of size |\n"
			    "|---|---|--:|\n"
			    "| a\\|b\\_c\\*\\<x\\> next | `reg:5000/a'b\\|c` "
			    "| **over\\_1** |\n"
			    "| plain | `x` |  |\n");
	ds_table_free(&t);
	ds_buf_free(&b);
}

/* One column list serves both outputs: a Markdown-only column is left
 * out of the text, heads are lower case in Markdown, each output has its
 * own alignment. */
static void one_column_list_should_serve_text_and_markdown(void **state)
{
	static const struct ds_table_col both[] = {
		{ "#", DS_TABLE_RIGHT, 0, 0, DS_TABLE_RIGHT, 1 },
		{ "NAME", DS_TABLE_LEFT, 0, 2, DS_TABLE_LEFT, 0 },
		{ "\xce\x94 FREE", DS_TABLE_LEFT, 0, 0, DS_TABLE_RIGHT, 0 },
		{ "NOTE", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 1 },
	};
	struct ds_table t;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	ds_table_init(&t, both, 4);
	ds_table_add(&t, "1");
	ds_table_add(&t, "web");
	ds_table_add(&t, "+1MB");
	ds_table_add(&t, "md only");
	assert_int_equal(ds_table_text(&b, &t, 1), DS_OK);
	assert_string_equal(b.ptr, "NAME  \xce\x94 FREE\n"
				   "web   +1MB\n");
	ds_buf_reset(&b);
	assert_int_equal(ds_table_markdown(&b, &t), DS_OK);
	assert_string_equal(b.ptr, "| # | name | \xce\x94 free | note |\n"
				   "|--:|---|--:|---|\n"
				   "| 1 | web | +1MB | md only |\n");
	ds_table_free(&t);
	ds_buf_free(&b);
}

static void tables_should_refuse_broken_rows(void **state)
{
	static const struct ds_table_col nohead[] = {
		{ NULL, DS_TABLE_LEFT, 0, 1, DS_TABLE_LEFT, 0 },
		{ NULL, DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
	};
	struct ds_table t;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	ds_table_init(&t, cols, 3);
	ds_table_add(&t, "only one");
	assert_int_equal(ds_table_text(&b, &t, 1), DS_E_ARG);
	assert_int_equal(ds_table_markdown(&b, &t), DS_E_ARG);
	assert_int_equal(b.len, 0);
	ds_table_free(&t);
	/* Markdown needs the headers */
	ds_table_init(&t, nohead, 2);
	ds_table_add(&t, "a");
	ds_table_add(&t, "b");
	assert_int_equal(ds_table_markdown(&b, &t), DS_E_ARG);
	assert_int_equal(ds_table_text(&b, &t, 1), DS_OK);
	assert_string_equal(b.ptr, "a b\n");
	ds_table_free(&t);
	ds_buf_free(&b);
}

static void tables_should_pass_on_the_buffer_error(void **state)
{
	struct ds_table t;
	struct ds_buf b = DS_BUF_INIT_LIMIT(10);
	int i;

	(void)state;
	ds_table_init(&t, cols, 3);
	for (i = 0; i < 300; i++)
		assert_int_equal(ds_table_addf(&t, "cell %d", i), DS_OK);
	assert_int_equal(ds_table_rows(&t), 100);
	assert_int_equal(ds_table_text(&b, &t, 1), DS_E_NOMEM);
	assert_int_equal(ds_buf_error(&b), DS_E_NOMEM);
	ds_table_free(&t);
	assert_int_equal(ds_table_rows(&t), 0);
	ds_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_should_size_columns_from_the_content),
		cmocka_unit_test(text_should_keep_minimums_and_count_characters),
		cmocka_unit_test(markdown_should_escape_cells),
		cmocka_unit_test(one_column_list_should_serve_text_and_markdown),
		cmocka_unit_test(tables_should_refuse_broken_rows),
		cmocka_unit_test(tables_should_pass_on_the_buffer_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
