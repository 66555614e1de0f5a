/*
 * testutil.h: shared by the cmocka unit tests.  Include after cmocka's
 * prerequisites (stdarg.h, stddef.h, stdint.h, setjmp.h) and cmocka.h.
 *
 * Recorded engine replies live in tests/data/; the directory comes from
 * the DS_TESTDATA environment variable (set by `make check`), else
 * "tests/data" relative to the current directory.
 */
#ifndef DS_TESTUTIL_H
#define DS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read tests/data/NAME whole; the caller frees; fails the test if absent. */
static inline char *ds_test_read(const char *name, size_t *len)
{
	const char *dir = getenv("DS_TESTDATA");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	if (!dir || !*dir)
		dir = "tests/data";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture '%s'", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/*
 * assert_has(HAY, NEEDLE): fail unless NEEDLE occurs in HAY, printing
 * both; assert_lacks: fail if it does.  HAY may be NULL (never has).
 */
#define assert_has(hay, needle) \
	ds_test_has((hay), (needle), 1, __FILE__, __LINE__)
#define assert_lacks(hay, needle) \
	ds_test_has((hay), (needle), 0, __FILE__, __LINE__)

/* The check behind assert_has and assert_lacks. */
static inline void ds_test_has(const char *hay, const char *needle,
			       int want, const char *file, int line)
{
	int found = hay && strstr(hay, needle) != NULL;

	if (found == want)
		return;
	print_error("%s '%s' in:\n%s\n", want ? "missing" : "unexpected",
		    needle, hay ? hay : "(null)");
	_fail(file, line);
}

/*
 * DS_TEST_PARSE(WHAT, TEXT, LEN, PARSE, OUT...): PARSE(OUT..., TEXT, LEN,
 * &err) must return DS_OK, else the test fails with WHAT and the parser's
 * message.  PARSE is a ds_model_parse_* style function (error.h's ds_err,
 * included by the test file).  DS_TEST_LOAD(NAME, PARSE, OUT...): the
 * same for the fixture tests/data/NAME (read with ds_test_read).
 */
#define DS_TEST_PARSE(what, text, len, parse, ...) \
	do { \
		struct ds_err ds_err_ = DS_ERR_INIT; \
		if (parse(__VA_ARGS__, (text), (len), &ds_err_) != DS_OK) \
			fail_msg("%s: %s", (what), ds_err_.msg); \
	} while (0)
#define DS_TEST_LOAD(name, parse, ...) \
	do { \
		size_t ds_len_; \
		char *ds_text_ = ds_test_read((name), &ds_len_); \
		DS_TEST_PARSE((name), ds_text_, ds_len_, parse, __VA_ARGS__); \
		free(ds_text_); \
	} while (0)

/*
 * DS_TEST_MAIN(cmocka_unit_test(a), ...): the main() of a test file, which
 * runs the listed tests as one group with no group setup or teardown.
 */
#define DS_TEST_MAIN(...) \
	int main(void) \
	{ \
		const struct CMUnitTest ds_tests[] = { __VA_ARGS__ }; \
		return cmocka_run_group_tests(ds_tests, NULL, NULL); \
	}

#endif
