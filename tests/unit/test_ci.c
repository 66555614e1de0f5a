/* test_ci.c: CI-native output formats. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ci.h"
#include "testutil.h"

static void detect_should_need_the_word_true(void **state)
{
	(void)state;
	assert_int_equal(ds_ci_detect("true", NULL), DS_CI_GITHUB);
	assert_int_equal(ds_ci_detect(NULL, "true"), DS_CI_GITLAB);
	assert_int_equal(ds_ci_detect("1", "yes"), DS_CI_NONE);
	assert_int_equal(ds_ci_detect(NULL, NULL), DS_CI_NONE);
}

static void annotation_should_escape_workflow_commands(void **state)
{
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	assert_int_equal(ds_ci_annotation(&b, "error", NULL,
					  "100% full\r\nnext: a,b"), DS_OK);
	assert_string_equal(b.ptr, "::error::100%25 full%0D%0Anext: a,b\n");
	ds_buf_reset(&b);
	assert_int_equal(ds_ci_annotation(&b, "warning", "api: 95%, near",
					  "x"), DS_OK);
	assert_string_equal(b.ptr,
			    "::warning title=api%3A 95%25%2C near::x\n");
	ds_buf_free(&b);
}

static void sections_should_follow_gitlab_syntax(void **state)
{
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	ds_ci_section_start(&b, "Build API!", "building api", 1, 1700000000);
	ds_ci_section_end(&b, "Build API!", 1700000009);
	assert_string_equal(b.ptr,
		"\033[0Ksection_start:1700000000:build_api_[collapsed=true]"
		"\r\033[0Kbuilding api\n"
		"\033[0Ksection_end:1700000009:build_api_\r\033[0K\n");
	ds_buf_free(&b);
}

static void output_should_append_lines_and_multiline_values(void **state)
{
	char path[] = "/tmp/dsci.XXXXXX";
	struct ds_err err = DS_ERR_INIT;
	struct ds_buf got = DS_BUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ds_ci_output(path, "tier", "medium", &err), DS_OK);
	assert_int_equal(ds_ci_output(path, "table", "a\nb", &err), DS_OK);
	assert_int_equal(ds_buf_read_file(&got, path, &err), DS_OK);
	assert_string_equal(got.ptr, "tier=medium\ntable<<DOCKSPACE_EOF\na\nb\n"
				     "DOCKSPACE_EOF\n");
	unlink(path);
	assert_int_equal(ds_ci_output("/nonexistent/dir/out", "a", "b", &err),
			 DS_E_IO);
	assert_has(err.msg, "cannot write '/nonexistent/dir/out'");
	ds_buf_free(&got);
}

DS_TEST_MAIN(
	cmocka_unit_test(detect_should_need_the_word_true),
	cmocka_unit_test(annotation_should_escape_workflow_commands),
	cmocka_unit_test(sections_should_follow_gitlab_syntax),
	cmocka_unit_test(output_should_append_lines_and_multiline_values))
