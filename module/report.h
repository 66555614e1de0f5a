/*
 * report.h: the checkpoint run log, and what docker-checkpoint,
 * docker-report and docker-monitor print.  Pure functions: no I/O (the
 * make functions in fn_report.c read and write the files), no clock (the
 * caller passes every time).
 *
 * The run log (DOCKSPACE_LOG, default .dockspace/checkpoints.tsv) is
 * text, one checkpoint a line, four fields separated by one tab:
 *
 *     UNIX-SECONDS <TAB> LABEL <TAB> FREE-BYTES <TAB> USED-BYTES <LF>
 *
 * e.g. "1795317259\tafter build api\t482804224\t14450688\n".  Times and
 * byte counts are decimal digits only (bytes at most 2^63 - 1).  LABEL is
 * what the makefile gave, with tabs, line breaks and other control
 * characters turned into spaces and blanks trimmed at both ends; it is
 * never empty.  Lines starting with '#' are comments (a new log starts
 * with DS_REPORT_LOG_HEADER) and empty lines are ignored; fields after
 * the fourth are ignored (room for later versions).  Anything else is a
 * damaged line: skipped and counted, never fatal, and so is a last line
 * without its line feed (a write cut short).
 *
 * Sizes are printed as docker prints them (ds_size_human: decimal units,
 * four significant digits), differences with a sign ("+1.049MB",
 * "-4.194MB", "±0B"), times in UTC (ISO 8601, "2026-11-22T03:14:19Z").
 *
 * Memory: ds_report_parse_log() fills a caller's struct whose items it
 * allocates (ds_report_log_free() releases them); every other function
 * appends to a caller's ds_buf or writes into a caller's array and
 * allocates nothing the caller must free.
 */
#ifndef DS_REPORT_H
#define DS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "model.h"

/* The first line of a new run log. */
#define DS_REPORT_LOG_HEADER "# dockspace checkpoints: unix time, label, " \
	"free bytes, used bytes (tab-separated)\n"

/* One checkpoint: a line of the run log. */
struct ds_checkpoint {
	int64_t time;        /* unix seconds */
	char *label;         /* sanitised, never empty */
	uint64_t free;       /* bytes free, as $(docker-space) measures */
	uint64_t used;       /* bytes the engine accounts for */
};

/* A parsed run log, oldest checkpoint first. */
struct ds_checkpoint_log {
	struct ds_checkpoint *items;
	size_t n;
	size_t damaged;       /* lines skipped as damaged */
	size_t first_damaged; /* line number (from 1) of the first; 0 none */
	int unterminated;     /* the text does not end with a line feed */
};

/*
 * Parse the text of a run log (len bytes, NUL not needed) into *out.
 * Only running out of memory fails (nothing is left allocated then).
 */
enum ds_code ds_report_parse_log(struct ds_checkpoint_log *out,
				 const char *text, size_t len,
				 struct ds_err *err);

/* Release what a parsed log owns; safe on a zeroed or freed struct. */
void ds_report_log_free(struct ds_checkpoint_log *log);

/* The newest checkpoint of the log, or NULL when it has none. */
const struct ds_checkpoint *ds_report_last(
	const struct ds_checkpoint_log *log);

/*
 * Append label as the log keeps it (see above).  DS_E_ARG when nothing
 * is left of it.
 */
enum ds_code ds_report_label(struct ds_buf *out, const char *label,
			     struct ds_err *err);

/* Append cp as one log line, line feed included (label sanitised). */
enum ds_code ds_report_log_line(struct ds_buf *out,
				const struct ds_checkpoint *cp);

/* after - before as a signed number (saturated to the int64_t range). */
int64_t ds_report_diff(uint64_t after, uint64_t before);

/* Write delta as a signed human size ("+1.049MB", "-2MB", "±0B"). */
char *ds_report_delta_human(int64_t delta, char *out, size_t n);

/* Write t (unix seconds) as "YYYY-MM-DDTHH:MM:SSZ"; returns out. */
char *ds_report_time(int64_t t, char *out, size_t n);

/*
 * Append what docker-checkpoint prints for cp, line feed included:
 * "[LABEL] free X (Δ ±Y since [PREV])", or "[LABEL] free X" when prev
 * is NULL (the first checkpoint).
 */
enum ds_code ds_report_checkpoint_line(struct ds_buf *out,
				       const struct ds_checkpoint *cp,
				       const struct ds_checkpoint *prev);

/*
 * Append the table of checkpoints (TIME, CHECKPOINT, FREE, USED,
 * Δ FREE; "-" for the first) and a closing line with the number of
 * checkpoints, the free space at the first and the last, their
 * difference and the lowest point.  An empty log is one line saying so.
 */
enum ds_code ds_report_table(struct ds_buf *out,
			     const struct ds_checkpoint_log *log);

/*
 * Append a text bar chart of free space, one bar a checkpoint, scaled
 * from 0 to the largest free value over DS_REPORT_BAR_WIDTH cells with
 * eighth-block precision (U+2588 full, U+258F..U+2589 partial).
 */
#define DS_REPORT_BAR_WIDTH 40
enum ds_code ds_report_chart(struct ds_buf *out,
			     const struct ds_checkpoint_log *log);

/* Append the terminal report: the table, a blank line and the chart. */
enum ds_code ds_report_text(struct ds_buf *out,
			    const struct ds_checkpoint_log *log);

/*
 * Append the free-space chart as a fenced Mermaid block:
 *
 *     ```mermaid
 *     xychart-beta
 *         title "Free space by checkpoint"
 *         x-axis ["start", "build api"]
 *         y-axis "free (MB)" 0 --> 500
 *         bar [487.0, 482.8]
 *     ```
 *
 * in MB (one decimal), or GB (two decimals) when the largest free value
 * is 10 GB or more; the axis ends at that value rounded up to 1, 1.2,
 * 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.  Double quotes and
 * backquotes in labels become single quotes.  Nothing for an empty log.
 */
enum ds_code ds_report_mermaid(struct ds_buf *out,
			       const struct ds_checkpoint_log *log);

/*
 * Append the step-summary Markdown: a heading, a table of checkpoints
 * (#, time (UTC), checkpoint, free, used, Δ free; Markdown characters
 * in labels escaped), the closing line and the Mermaid block.
 */
enum ds_code ds_report_markdown(struct ds_buf *out,
				const struct ds_checkpoint_log *log);

/*
 * Whether docker-monitor shows an event: image build, tag, untag,
 * delete, pull, load, import and prune; container create, destroy and
 * prune (actions as ds_model_parse_event normalises them).
 */
int ds_report_event_shown(const struct ds_event *ev);

/*
 * Append docker-monitor's line for ev, line feed included:
 * "TIME  TYPE       ACTION   NAME  free X" and " (Δ ±Y)" when delta
 * (free space since the line before) is not 0.  NAME is the event's
 * name, else its ID shortened to 12 hex digits ("sha256:7c37dc0f9494"),
 * else "-".
 */
enum ds_code ds_report_event_line(struct ds_buf *out,
				  const struct ds_event *ev, uint64_t free,
				  int64_t delta);

#endif
