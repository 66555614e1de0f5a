/*
 * test_hints.c: the table of known causes of large layers
 * (module/hints.c), driven by tests/data/hints.cases: instructions, as
 * layers.c cleans them, that each hint must match and must not.  Every
 * hint of the table needs cases of both kinds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "hints.h"

#define MB 1000000LL
#define CTX DS_HINT_CONTEXT_SIZE

/* One line of tests/data/hints.cases. */
struct hint_case {
	int line;
	char id[32];
	int64_t size;
	int expected;
	const char *instruction;   /* points into the file's text */
};

/*
 * Read tests/data/hints.cases into cases (at most max); returns the
 * count and the file's text in *text (the caller frees it).  A line
 * that does not parse fails the test, naming its number.
 */
static size_t read_cases(struct hint_case *cases, size_t max, char **text)
{
	char *p, *next;
	size_t n = 0;
	int line = 0;

	*text = ds_test_read("hints.cases", NULL);
	for (p = *text; p && *p; p = next) {
		char expect[8];
		long long size;
		int used = 0;

		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (*p == '#' || *p == '\0')
			continue;
		if (n == max)
			fail_msg("hints.cases: more than %zu cases", max);
		if (sscanf(p, "%31s %lld %7s %n", cases[n].id, &size, expect,
			   &used) != 3 || used == 0 || p[used] == '\0' ||
		    (strcmp(expect, "yes") != 0 && strcmp(expect, "no") != 0))
			fail_msg("hints.cases:%d: expected 'HINT BYTES yes|no "
				 "INSTRUCTION', got '%s'", line, p);
		cases[n].line = line;
		cases[n].size = size;
		cases[n].expected = strcmp(expect, "yes") == 0;
		cases[n].instruction = p + used;
		n++;
	}
	return n;
}

/* Every case of hints.cases: the hint matches the instruction or not. */
static void hints_should_match_their_cases(void **state)
{
	struct hint_case cases[256];
	char *text;
	size_t i, n;
	int failed = 0;

	(void)state;
	n = read_cases(cases, 256, &text);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const struct ds_hint *h = ds_hint_find(cases[i].id);

		if (!h) {
			print_error("hints.cases:%d: no hint '%s'\n",
				    cases[i].line, cases[i].id);
			failed++;
		} else if (ds_hint_matches(h, cases[i].instruction,
					   cases[i].size, CTX) !=
			   cases[i].expected) {
			print_error("hints.cases:%d: hint '%s' %s '%s'\n",
				    cases[i].line, cases[i].id,
				    cases[i].expected ? "does not match" :
				    "matches", cases[i].instruction);
			failed++;
		}
	}
	free(text);
	if (failed)
		fail_msg("%d of %zu hint cases failed", failed, n);
}

/* Every hint of the table has a case that matches and one that does not. */
static void every_hint_should_have_both_kinds_of_case(void **state)
{
	struct hint_case cases[256];
	const struct ds_hint *h;
	char *text;
	size_t i, n;

	(void)state;
	n = read_cases(cases, 256, &text);
	for (h = ds_hints; h->id; h++) {
		int yes = 0, no = 0;

		for (i = 0; i < n; i++) {
			if (strcmp(cases[i].id, h->id) != 0)
				continue;
			yes += cases[i].expected;
			no += !cases[i].expected;
		}
		if (!yes || !no)
			fail_msg("hint '%s' has %d matching and %d "
				 "non-matching cases in hints.cases: it needs "
				 "both", h->id, yes, no);
	}
	free(text);
}

/* The context-size threshold is the caller's. */
static void whole_context_should_use_the_callers_threshold(void **state)
{
	(void)state;
	assert_true(ds_hint_matches(ds_hint_find("whole-context"),
				    "COPY . /app", 2 * MB, 2 * MB));
	assert_false(ds_hint_matches(ds_hint_find("whole-context"),
				     "COPY . /app", 2 * MB, 2 * MB + 1));
}

static void hints_for_should_list_every_match_in_table_order(void **state)
{
	const struct ds_hint *out[8];
	size_t n;

	(void)state;
	n = ds_hints_for("RUN pip install torch && apt-get install -y git",
			 MB, CTX, out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0]->id, "cuda-wheels");
	assert_string_equal(out[1]->id, "pip-cache");
	assert_string_equal(out[2]->id, "apt-lists");
	assert_int_equal(ds_hints_for("RUN pip install torch", MB, CTX, out,
				      1), 1);
	assert_int_equal(ds_hints_for("RUN make", MB, CTX, out, 8), 0);
	assert_int_equal(ds_hints_for("", MB, CTX, out, 8), 0);
}

/* Every hint's text is one lower-case line without a final period. */
static void every_hint_should_be_complete(void **state)
{
	const struct ds_hint *h;

	(void)state;
	for (h = ds_hints; h->id; h++) {
		assert_non_null(h->kinds);
		assert_non_null(h->text);
		assert_true(h->whole_context || h->when);
		assert_null(strchr(h->text, '\n'));
		assert_true(h->text[0] >= 'a' && h->text[0] <= 'z');
		assert_true(h->text[strlen(h->text) - 1] != '.');
		assert_ptr_equal(ds_hint_find(h->id), h);
	}
	assert_null(ds_hint_find("no-such-hint"));
}

DS_TEST_MAIN(
	cmocka_unit_test(hints_should_match_their_cases),
	cmocka_unit_test(every_hint_should_have_both_kinds_of_case),
	cmocka_unit_test(whole_context_should_use_the_callers_threshold),
	cmocka_unit_test(hints_for_should_list_every_match_in_table_order),
	cmocka_unit_test(every_hint_should_be_complete))
