/* test_lines.c: the events stream split into lines (lines.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "lines.h"

/* What on_line saw: the lines joined with '|'; stop after stop_at. */
struct seen {
	char text[4096];
	int n;
	int stop_at;
};

/* Record one line (a ds_line_fn). */
static int record(void *ctx, const char *line, size_t len)
{
	struct seen *s = ctx;
	size_t used = strlen(s->text);

	snprintf(s->text + used, sizeof(s->text) - used, "%s%.*s",
		 s->n ? "|" : "", (int)len, line);
	s->n++;
	return s->stop_at && s->n >= s->stop_at;
}

/* Feed text in pieces of size step; return what was seen. */
static void feed(const char *text, size_t step, struct seen *s,
		 enum ds_lines_result want_last)
{
	struct ds_lines l = DS_LINES_INIT(64);
	size_t len = strlen(text), i, n;
	enum ds_lines_result r = DS_LINES_MORE;

	for (i = 0; i < len && r == DS_LINES_MORE; i += n) {
		n = len - i < step ? len - i : step;
		r = ds_lines_feed(&l, text + i, n, record, s);
	}
	assert_int_equal(r, want_last);
	if (r == DS_LINES_MORE)
		ds_lines_finish(&l, record, s);
	ds_lines_free(&l);
}

/* The same lines whatever the pieces: "\r\n" and a last line without "\n". */
static void lines_should_not_depend_on_the_pieces(void **state)
{
	static const char text[] = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}";
	size_t step;

	(void)state;
	for (step = 1; step <= sizeof(text); step++) {
		struct seen s = { "", 0, 0 };

		feed(text, step, &s, DS_LINES_MORE);
		assert_string_equal(s.text, "{\"a\":1}|{\"b\":2}||{\"c\":3}");
		assert_int_equal(s.n, 4);
	}
}

/* on_line can stop the stream; a line over the limit stops it too. */
static void lines_should_stop_when_asked_or_too_long(void **state)
{
	struct seen s = { "", 0, 2 };
	char big[200];

	(void)state;
	feed("a\nb\nc\n", 3, &s, DS_LINES_STOP);
	assert_string_equal(s.text, "a|b");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&s, 0, sizeof(s));
	feed(big, 7, &s, DS_LINES_TOO_LONG);
	assert_int_equal(s.n, 0);
}

DS_TEST_MAIN(
	cmocka_unit_test(lines_should_not_depend_on_the_pieces),
	cmocka_unit_test(lines_should_stop_when_asked_or_too_long))
