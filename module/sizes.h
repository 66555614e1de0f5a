/*
 * sizes.h: service images against their size limits, and the record of
 * sizes kept between runs.  Pure: no I/O; the caller reads and writes
 * the record file and prints what is rendered here.
 *
 * A row is one service: the image looked at, where its size came from
 * (the engine, or the size the pipeline recorded when the image is no
 * longer in the engine), and its limit.  ds_sizes_update() fills in each
 * row's status (over: size > limit; near: at least 90% of it; ok; no
 * limit; not built) and its change, and brings the record up to date.
 *
 * The record (DOCKSPACE_STATE_DIR/sizes.tsv) has one line a service:
 *     SERVICE \t IMAGE-ID \t SIZE \t PREVIOUS-SIZE \t UNIX-TIME
 * IMAGE-ID is "-" for a recorded size, PREVIOUS-SIZE "-" when there was
 * none; lines starting with '#' are comments.  A service's line changes
 * only when its image does (another ID, or for a recorded size another
 * size): the change shown is the size against the size of the image
 * recorded before it, "new" for the first image of a service, so running
 * the report twice shows the same change.
 *
 * Memory: rows borrow their strings from the caller; records own theirs
 * (ds_sizes_records_free).
 */
#ifndef DS_SIZES_H
#define DS_SIZES_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* Where a row's size comes from. */
enum ds_size_source {
	DS_SIZE_NONE,        /* not in the engine, nothing recorded */
	DS_SIZE_ENGINE,      /* the image in the engine */
	DS_SIZE_RECORDED     /* the pipeline's DOCKSPACE_STATE_DIR/SVC.size */
};

/* A row against its limit. */
enum ds_size_status {
	DS_SIZE_UNKNOWN,     /* no size */
	DS_SIZE_NO_LIMIT,
	DS_SIZE_OK,
	DS_SIZE_NEAR,        /* at least 90% of the limit */
	DS_SIZE_OVER         /* more than the limit */
};

/* Percent of the limit from which a size is near it. */
#define DS_SIZE_NEAR_PERCENT 90

/* One service. */
struct ds_size_row {
	const char *service;
	const char *ref;          /* the image looked at */
	const char *id;           /* its ID when in the engine, else NULL */
	enum ds_size_source source;
	uint64_t size;
	const char *limit_text;   /* the limit as written; NULL: none */
	uint64_t limit;
	/* filled in by ds_sizes_update */
	enum ds_size_status status;
	int has_change;           /* 0: "new" (or no size) */
	int64_t change;           /* bytes against the previous image */
};

/* One service's record. */
struct ds_size_record {
	char *service;
	char *id;                 /* "-" for a recorded size */
	uint64_t size;
	int has_prev;
	uint64_t prev;
	int64_t time;
};

struct ds_size_records {
	struct ds_size_record *list;
	size_t n;
};

#define DS_SIZE_RECORDS_INIT { NULL, 0 }

/* Read the record file's text (lines that do not parse are dropped). */
enum ds_code ds_sizes_records_parse(struct ds_size_records *out,
				    const char *text, size_t len,
				    struct ds_err *err);

/* Release the records; the struct is empty again. */
void ds_sizes_records_free(struct ds_size_records *r);

/* Append the record file's text. */
enum ds_code ds_sizes_records_text(struct ds_buf *out,
				   const struct ds_size_records *r);

/* The status of a size against a limit (limit_text NULL: no limit). */
enum ds_size_status ds_sizes_status(enum ds_size_source source,
				    uint64_t size, const char *limit_text,
				    uint64_t limit);

/*
 * Fill in every row's status and change from the records, and update
 * the records for the rows whose image changed (now: unix seconds).
 */
enum ds_code ds_sizes_update(struct ds_size_records *records,
			     struct ds_size_row *rows, size_t n, int64_t now,
			     struct ds_err *err);

/*
 * Append the table: SERVICE, IMAGE, SIZE, LIMIT, % OF LIMIT, CHANGE,
 * STATUS; lines end in "\n" except the last.
 */
enum ds_code ds_sizes_table(struct ds_buf *out,
			    const struct ds_size_row *rows, size_t n);

/* Append the same as a Markdown table (every line ends in "\n"). */
enum ds_code ds_sizes_markdown(struct ds_buf *out,
			       const struct ds_size_row *rows, size_t n);

/* Write "+1.5MB", "-300kB", "0B" (change) into out (n bytes). */
char *ds_sizes_change_text(int64_t change, char *out, size_t n);

/* The percent of the limit, one decimal, rounded down: "105.2%". */
char *ds_sizes_percent_text(uint64_t size, uint64_t limit, char *out,
			    size_t n);

#endif
