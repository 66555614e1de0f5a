/*
 * fuzz_lines.c: the events stream split into lines (lines.h), the way
 * curl hands a chunked reply over: in pieces of any size.  The first
 * byte seeds the piece sizes; the lines must be the same as when the
 * whole stream comes at once.
 */
#include "fuzz.h"

#include "buf.h"
#include "lines.h"

/* Append each line and a separator (a ds_line_fn). */
static int collect(void *ctx, const char *line, size_t len)
{
	struct ds_buf *b = ctx;

	if (memchr(line, '\n', len))
		abort();
	ds_buf_add(b, line, len);
	ds_buf_add(b, "\n", 1);
	return 0;
}

/* Split data in pieces (sizes from seed) into out; the result. */
static enum ds_lines_result split(const uint8_t *data, size_t size,
				  unsigned seed, struct ds_buf *out)
{
	struct ds_lines l = DS_LINES_INIT(4096);
	enum ds_lines_result r = DS_LINES_MORE;
	size_t i = 0, n;

	while (i < size && r == DS_LINES_MORE) {
		n = seed ? 1 + (seed = seed * 1103515245u + 12345u) % 97 : size;
		if (n > size - i)
			n = size - i;
		r = ds_lines_feed(&l, (const char *)data + i, n, collect, out);
		i += n;
	}
	if (r == DS_LINES_MORE)
		ds_lines_finish(&l, collect, out);
	ds_lines_free(&l);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_buf whole = DS_BUF_INIT, pieces = DS_BUF_INIT;
	enum ds_lines_result a, b;

	if (size < 1)
		return 0;
	a = split(data + 1, size - 1, 0, &whole);
	b = split(data + 1, size - 1, data[0] | 1u, &pieces);
	if (a != b || (a == DS_LINES_MORE &&
		       (whole.len != pieces.len ||
			(whole.len && memcmp(whole.ptr, pieces.ptr, whole.len)))))
		abort();
	ds_buf_free(&whole);
	ds_buf_free(&pieces);
	return 0;
}
