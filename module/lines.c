/* lines.c: a stream of bytes into lines (see lines.h). */
#include "lines.h"

/* Hand over the line received so far, without a last "\r"; reset it. */
static int hand_over(struct ds_lines *l, ds_line_fn on_line, void *ctx)
{
	size_t len = l->line.len;
	int stop;

	if (len && l->line.ptr[len - 1] == '\r')
		len--;
	stop = on_line(ctx, l->line.ptr, len);
	ds_buf_reset(&l->line);
	return stop;
}

/* Take len bytes of the stream, handing each complete line to on_line. */
enum ds_lines_result ds_lines_feed(struct ds_lines *l, const char *data,
				   size_t len, ds_line_fn on_line,
				   void *ctx)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (ds_buf_add(&l->line, data + start, i - start) != DS_OK)
			return DS_LINES_TOO_LONG;
		start = i + 1;
		if (hand_over(l, on_line, ctx))
			return DS_LINES_STOP;
	}
	if (ds_buf_add(&l->line, data + start, len - start) != DS_OK)
		return DS_LINES_TOO_LONG;
	return DS_LINES_MORE;
}

/* Hand over a last line without its "\n", if any. */
int ds_lines_finish(struct ds_lines *l, ds_line_fn on_line, void *ctx)
{
	return l->line.len ? hand_over(l, on_line, ctx) : 0;
}

/* Release the buffer. */
void ds_lines_free(struct ds_lines *l)
{
	ds_buf_free(&l->line);
}
