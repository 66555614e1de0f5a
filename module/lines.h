/*
 * lines.h: split a byte stream that arrives in pieces of any size (the
 * engine's /events reply, as curl hands it over) into lines.  Pure: no
 * I/O; http.c feeds it, fuzz/fuzz_lines.c and the unit tests too.
 *
 * A line is handed over without its "\n", and without a "\r" before it.
 * A line longer than the splitter's limit stops the stream.  Memory:
 * the splitter owns its buffer; ds_lines_free() releases it.
 */
#ifndef DS_LINES_H
#define DS_LINES_H

#include <stddef.h>

#include "buf.h"

struct ds_lines {
	struct ds_buf line;   /* the line being received */
};

/* A splitter for lines of at most max bytes. */
#define DS_LINES_INIT(max) { DS_BUF_INIT_LIMIT(max) }

enum ds_lines_result {
	DS_LINES_MORE,        /* all taken: feed more */
	DS_LINES_STOP,        /* on_line asked to stop (the rest is dropped) */
	DS_LINES_TOO_LONG     /* a line passed the limit */
};

/* Called with each complete line; non-zero stops the stream. */
typedef int (*ds_line_fn)(void *ctx, const char *line, size_t len);

/* Take len bytes of the stream, handing each complete line to on_line. */
enum ds_lines_result ds_lines_feed(struct ds_lines *l, const char *data,
				   size_t len, ds_line_fn on_line,
				   void *ctx);

/*
 * At the end of the stream: hand over a last line that had no "\n"
 * (if any); returns on_line's answer, 0 when there was none.
 */
int ds_lines_finish(struct ds_lines *l, ds_line_fn on_line, void *ctx);

/* Release the buffer; the splitter is empty again. */
void ds_lines_free(struct ds_lines *l);

#endif
