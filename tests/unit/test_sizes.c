/*
 * test_sizes.c: service images against their size limits, and the
 * record of sizes kept between runs (module/sizes.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "sizes.h"

#define MB 1000000ULL

/* A row of an image in the engine. */
static struct ds_size_row engine_row(const char *svc, const char *ref,
				     const char *id, uint64_t size,
				     const char *limit_text, uint64_t limit)
{
	struct ds_size_row r;

	memset(&r, 0, sizeof(r));
	r.service = svc;
	r.ref = ref;
	r.id = id;
	r.source = DS_SIZE_ENGINE;
	r.size = size;
	r.limit_text = limit_text;
	r.limit = limit;
	return r;
}

static void status_should_follow_the_limit(void **state)
{
	(void)state;
	assert_int_equal(ds_sizes_status(DS_SIZE_NONE, 0, "1G", 1),
			 DS_SIZE_UNKNOWN);
	assert_int_equal(ds_sizes_status(DS_SIZE_ENGINE, 5, NULL, 0),
			 DS_SIZE_NO_LIMIT);
	assert_int_equal(ds_sizes_status(DS_SIZE_ENGINE, 101, "100", 100),
			 DS_SIZE_OVER);
	/* the limit itself is not over it, but near */
	assert_int_equal(ds_sizes_status(DS_SIZE_ENGINE, 100, "100", 100),
			 DS_SIZE_NEAR);
	assert_int_equal(ds_sizes_status(DS_SIZE_ENGINE, 90, "100", 100),
			 DS_SIZE_NEAR);
	assert_int_equal(ds_sizes_status(DS_SIZE_RECORDED, 89, "100", 100),
			 DS_SIZE_OK);
	assert_int_equal(ds_sizes_status(DS_SIZE_ENGINE, UINT64_MAX - 1,
					 "x", UINT64_MAX), DS_SIZE_NEAR);
	assert_int_equal(ds_sizes_status(DS_SIZE_ENGINE, 1, "0", 0),
			 DS_SIZE_OVER);
}

static void texts_should_be_signed_and_rounded_down(void **state)
{
	char t[32];

	(void)state;
	assert_string_equal(ds_sizes_change_text(1500000, t, sizeof(t)),
			    "+1.5MB");
	assert_string_equal(ds_sizes_change_text(-300000, t, sizeof(t)),
			    "-300kB");
	assert_string_equal(ds_sizes_change_text(0, t, sizeof(t)), "0B");
	assert_string_equal(ds_sizes_change_text(INT64_MIN, t, sizeof(t)),
			    "-9.223EB");
	assert_string_equal(ds_sizes_percent_text(210, 200, t, sizeof(t)),
			    "105.0%");
	assert_string_equal(ds_sizes_percent_text(1999, 1000, t, sizeof(t)),
			    "199.9%");
	assert_string_equal(ds_sizes_percent_text(1, 3, t, sizeof(t)), "33.3%");
	assert_string_equal(ds_sizes_percent_text(1, 1000, t, sizeof(t)),
			    "0.1%");
	assert_string_equal(ds_sizes_percent_text(0, 3, t, sizeof(t)), "0.0%");
	assert_string_equal(ds_sizes_percent_text(9 * MB, 10 * MB, t,
						  sizeof(t)), "90.0%");
}

static void records_should_parse_leniently_and_round_trip(void **state)
{
	static const char text[] =
		"# dockspace image sizes: service, image id, size, previous "
		"size, unix time\n"
		"api\tsha256:aa\t2000\t1000\t1700000000\n"
		"bad line\n"
		"web\t-\t30\t-\t1700000001\r\n"
		"worker\tsha256:bb\tx\t-\t1\n"
		"\n"
		"api\tsha256:cc\t3000\t2000\t1700000002\n"
		"extra\ta\t1\t-\t1\tmore\n";
	struct ds_size_records r = DS_SIZE_RECORDS_INIT;
	struct ds_err err = DS_ERR_INIT;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	assert_int_equal(ds_sizes_records_parse(&r, text, strlen(text), &err),
			 DS_OK);
	assert_int_equal(r.n, 2);
	/* a later line for a service wins */
	assert_string_equal(r.list[0].service, "api");
	assert_string_equal(r.list[0].id, "sha256:cc");
	assert_int_equal(r.list[0].size, 3000);
	assert_int_equal(r.list[0].has_prev, 1);
	assert_int_equal(r.list[0].prev, 2000);
	assert_int_equal(r.list[0].time, 1700000002);
	assert_string_equal(r.list[1].service, "web");
	assert_string_equal(r.list[1].id, "-");
	assert_int_equal(r.list[1].has_prev, 0);
	assert_int_equal(ds_sizes_records_text(&b, &r), DS_OK);
	assert_string_equal(b.ptr,
		"# dockspace image sizes: service, image id, size, previous "
		"size, unix time\n"
		"api\tsha256:cc\t3000\t2000\t1700000002\n"
		"web\t-\t30\t-\t1700000001\n");
	ds_sizes_records_free(&r);
	ds_sizes_records_free(&r);
	assert_int_equal(ds_sizes_records_parse(&r, "", 0, &err), DS_OK);
	assert_int_equal(r.n, 0);
	ds_buf_free(&b);
}

/* Lines that would not be written back the same are damaged (found by
 * fuzz_logs): a NUL inside, a time past 2^63 - 1. */
static void records_should_drop_lines_that_cannot_round_trip(void **state)
{
	static const char text[] =
		"a\0b\tsha256:aa\t1\t-\t1\n"
		"c\tsha256:bb\t1\t-\t9223372036854775808\n"
		"d\tsha256:cc\t1\t-\t9223372036854775807\n";
	struct ds_size_records r = DS_SIZE_RECORDS_INIT;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_sizes_records_parse(&r, text, sizeof(text) - 1,
						&err), DS_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.list[0].service, "d");
	assert_true(r.list[0].time == INT64_MAX);
	ds_sizes_records_free(&r);
}

static void update_should_compare_with_the_previous_image(void **state)
{
	struct ds_size_records r = DS_SIZE_RECORDS_INIT;
	struct ds_err err = DS_ERR_INIT;
	struct ds_size_row rows[3];

	(void)state;
	/* first run: everything is new */
	rows[0] = engine_row("api", "api:1", "sha256:a1", 200 * MB, "150MB",
			     150 * MB);
	rows[1] = engine_row("web", "web:1", "sha256:w1", 10 * MB, NULL, 0);
	rows[2] = engine_row("gone", "gone:1", NULL, 0, "1G", 1 << 30);
	rows[2].source = DS_SIZE_NONE;
	assert_int_equal(ds_sizes_update(&r, rows, 3, 100, &err), DS_OK);
	assert_int_equal(rows[0].status, DS_SIZE_OVER);
	assert_int_equal(rows[0].has_change, 0);
	assert_int_equal(rows[1].status, DS_SIZE_NO_LIMIT);
	assert_int_equal(rows[2].status, DS_SIZE_UNKNOWN);
	assert_int_equal(r.n, 2);
	/* the same images again: still new, nothing rewritten */
	assert_int_equal(ds_sizes_update(&r, rows, 3, 200, &err), DS_OK);
	assert_int_equal(rows[0].has_change, 0);
	assert_int_equal(r.list[0].time, 100);
	/* a new api image: its change, and it stays on later runs */
	rows[0] = engine_row("api", "api:2", "sha256:a2", 140 * MB, "150MB",
			     150 * MB);
	assert_int_equal(ds_sizes_update(&r, rows, 2, 300, &err), DS_OK);
	assert_int_equal(rows[0].status, DS_SIZE_NEAR);
	assert_int_equal(rows[0].has_change, 1);
	assert_true(rows[0].change == -60 * (int64_t)MB);
	assert_int_equal(r.list[0].time, 300);
	assert_int_equal(r.list[0].prev, 200 * MB);
	assert_int_equal(ds_sizes_update(&r, rows, 2, 400, &err), DS_OK);
	assert_int_equal(rows[0].has_change, 1);
	assert_true(rows[0].change == -60 * (int64_t)MB);
	/* the image went: the pipeline's recorded size stands in for it;
	 * a recorded size is the same image while its size is the same */
	rows[0].source = DS_SIZE_RECORDED;
	rows[0].id = NULL;
	rows[0].size = 141 * MB;
	assert_int_equal(ds_sizes_update(&r, rows, 1, 500, &err), DS_OK);
	assert_true(rows[0].change == (int64_t)MB);
	assert_string_equal(r.list[0].id, "-");
	assert_int_equal(ds_sizes_update(&r, rows, 1, 600, &err), DS_OK);
	assert_true(rows[0].change == (int64_t)MB);
	assert_int_equal(r.list[0].time, 500);
	ds_sizes_records_free(&r);
}

static void table_should_show_every_case(void **state)
{
	struct ds_size_records r = DS_SIZE_RECORDS_INIT;
	struct ds_err err = DS_ERR_INIT;
	struct ds_buf b = DS_BUF_INIT;
	struct ds_size_row rows[5];
	static const char prior[] = "api\tsha256:a0\t200000000\t-\t1\n";

	(void)state;
	assert_int_equal(ds_sizes_records_parse(&r, prior, strlen(prior),
						&err), DS_OK);
	rows[0] = engine_row("api", "myorg/api:abc1234", "sha256:a1",
			     210500000, "200MB", 200 * MB);
	rows[1] = engine_row("worker", "myorg/worker:abc1234", "sha256:w1",
			     9200000, "10M", 10485760);
	rows[2] = engine_row("web", "myorg/web:latest", NULL, 3200000,
			     "10MB", 10 * MB);
	rows[2].source = DS_SIZE_RECORDED;
	rows[3] = engine_row("docs", "myorg/docs:abc1234", "sha256:d1",
			     1000, NULL, 0);
	rows[4] = engine_row("cron", "myorg/cron:abc1234", NULL, 0, "1G",
			     1 << 30);
	rows[4].source = DS_SIZE_NONE;
	assert_int_equal(ds_sizes_update(&r, rows, 5, 9, &err), DS_OK);
	assert_int_equal(ds_sizes_table(&b, rows, 5), DS_OK);
	assert_string_equal(b.ptr,
"SERVICE   IMAGE                  SIZE      LIMIT   % OF LIMIT   CHANGE    STATUS\n"
"api       myorg/api:abc1234      210.5MB   200MB   105.2%       +10.5MB   over\n"
"worker    myorg/worker:abc1234   9.2MB     10M     87.7%        new       ok\n"
"web       myorg/web:latest       3.2MB     10MB    32.0%        new       ok (recorded size: not in the engine)\n"
"docs      myorg/docs:abc1234     1kB       -       -            new       no limit\n"
"cron      myorg/cron:abc1234     -         1G      -            -         not in the engine, no recorded size");
	ds_buf_reset(&b);
	assert_int_equal(ds_sizes_markdown(&b, rows, 2), DS_OK);
	assert_string_equal(b.ptr,
		"| service | image | size | limit | % of limit | change | "
		"status |\n"
		"|---|---|--:|--:|--:|--:|---|\n"
		"| api | `myorg/api:abc1234` | 210.5MB | 200MB | 105.2% | "
		"+10.5MB | **over** |\n"
		"| worker | `myorg/worker:abc1234` | 9.2MB | 10M | 87.7% | new "
		"| ok |\n");
	ds_buf_reset(&b);
	/* no rows: the header alone */
	assert_int_equal(ds_sizes_table(&b, rows, 0), DS_OK);
	assert_string_equal(b.ptr, "SERVICE   IMAGE   SIZE   LIMIT   "
			    "% OF LIMIT   CHANGE   STATUS");
	ds_sizes_records_free(&r);
	ds_buf_free(&b);
}

static void markdown_should_escape_cells(void **state)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_size_row row = engine_row("a|b", "x`y", "sha256:1", 95,
					    "100", 100);

	(void)state;
	row.status = DS_SIZE_NEAR;
	row.has_change = 1;
	row.change = 0;
	assert_int_equal(ds_sizes_markdown(&b, &row, 1), DS_OK);
	assert_has(b.ptr, "| a\\|b | `x'y` | 95B | 100 | 95.0% | "
	           "0B | **near** |\n");
	ds_buf_free(&b);
}

DS_TEST_MAIN(
	cmocka_unit_test(status_should_follow_the_limit),
	cmocka_unit_test(texts_should_be_signed_and_rounded_down),
	cmocka_unit_test(records_should_parse_leniently_and_round_trip),
	cmocka_unit_test(records_should_drop_lines_that_cannot_round_trip),
	cmocka_unit_test(update_should_compare_with_the_previous_image),
	cmocka_unit_test(table_should_show_every_case),
	cmocka_unit_test(markdown_should_escape_cells))
