/*
 * summary.h: the table that closes a pipeline run (build-optimized,
 * build-clean, build-service), as text for the terminal and as Markdown
 * for GitHub's step summary.  Pure: formats plain rows, no I/O.
 *
 * Sizes are printed as docker prints them (units.h's ds_size_human).
 */
#ifndef DS_SUMMARY_H
#define DS_SUMMARY_H

#include <stdint.h>

#include "buf.h"
#include "error.h"

/* One service of the run.  Strings are the caller's; NULL or "" is
 * printed as "-". */
struct ds_summary_row {
	const char *service;
	const char *tier;     /* full, medium, minimal, critical */
	const char *action;   /* build, placeholder or skip, as decided */
	int64_t size;         /* the image's bytes; -1: none */
	const char *digest;   /* the pushed digest, shown to 19 chars */
	int64_t free_after;   /* free bytes after the service; -1: none */
	const char *room;     /* "WHEN:BYTES ..." words: when room was made
			       * for the service (reclaim, room, retry,
			       * cleanup, after) and how much */
};

/* Append the text table (a header line and a line per row; each column
 * at least as wide as it always was, wider when a cell is). */
enum ds_code ds_summary_text(struct ds_buf *out,
			     const struct ds_summary_row *rows, size_t n,
			     struct ds_err *err);

/* Append the Markdown table under "### dockspace: MODE build, tag TAG",
 * followed by an empty line. */
enum ds_code ds_summary_markdown(struct ds_buf *out, const char *mode,
				 const char *tag,
				 const struct ds_summary_row *rows, size_t n,
				 struct ds_err *err);

/* Format the room words ("retry:61700000 after:4000000") as "retry
 * 61.7MB, after 4MB" into out (n bytes); "-" when there are none.  A
 * word that is not WHEN:BYTES is DS_E_ARG. */
enum ds_code ds_summary_room(const char *words, char *out, size_t n,
			     struct ds_err *err);

#endif
