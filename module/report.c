/* report.c: the checkpoint run log and its renderings (see report.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "table.h"
#include "units.h"

/* The eighth blocks, U+258F (one eighth) to U+2589 (seven eighths). */
static const char *const eighths[] = { "", "\u258f", "\u258e", "\u258d",
				       "\u258c", "\u258b", "\u258a",
				       "\u2589" };
#define FULL_BLOCK "\u2588"

/* Whether c is a control character, tab and line breaks included. */
static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/*
 * Append the n bytes at s as a label: control characters become
 * spaces, blanks at both ends go.  Returns the number of bytes added.
 */
static size_t clean_label(struct ds_buf *out, const char *s, size_t n,
			  enum ds_code *result)
{
	size_t start = 0, end = n, i, before = out->len;

	while (start < end && (s[start] == ' ' ||
			       is_control((unsigned char)s[start])))
		start++;
	while (end > start && (s[end - 1] == ' ' ||
			       is_control((unsigned char)s[end - 1])))
		end--;
	for (i = start; i < end && *result == DS_OK; i++)
		*result = ds_buf_add(out, is_control((unsigned char)s[i]) ?
				     " " : s + i, 1);
	return out->len - before;
}

/* Append the sanitised label (see report.h). */
enum ds_code ds_report_label(struct ds_buf *out, const char *label,
			     struct ds_err *err)
{
	enum ds_code result = DS_OK;

	if (clean_label(out, label, strlen(label), &result) == 0 &&
	    result == DS_OK)
		return ds_err_set(err, DS_E_ARG, "a label is needed, e.g. "
				  "$(docker-checkpoint after-build)");
	if (result != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/*
 * Read the n bytes at s as a decimal number of at most max; -1 unless
 * they are all digits (one at least) and it fits.
 */
static int read_number(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Add one checkpoint to the log (the label is copied). */
static enum ds_code push_item(struct ds_checkpoint_log *log,
			      const struct ds_checkpoint *cp, size_t *cap)
{
	struct ds_checkpoint *items;

	if (log->n == *cap) {
		size_t next = *cap ? *cap * 2 : 16;

		items = realloc(log->items, next * sizeof(*items));
		if (!items)
			return DS_E_NOMEM;
		log->items = items;
		*cap = next;
	}
	log->items[log->n++] = *cp;
	return DS_OK;
}

/*
 * Parse one line (without its line feed) into *cp, whose label is
 * allocated; -1 when the line is damaged, 1 when it is out of memory.
 */
static int parse_line(const char *line, size_t len, struct ds_checkpoint *cp)
{
	const char *field[4];
	size_t flen[4], i, k = 0;
	uint64_t t, free_b, used;
	struct ds_buf label = DS_BUF_INIT;
	enum ds_code result = DS_OK;

	field[0] = line;
	for (i = 0; i <= len && k < 4; i++) {
		if (i == len || line[i] == '\t') {
			flen[k] = (size_t)(line + i - field[k]);
			if (++k < 4)
				field[k] = line + i + 1;
		}
	}
	if (k < 4 || read_number(field[0], flen[0], INT64_MAX, &t) ||
	    read_number(field[2], flen[2], INT64_MAX, &free_b) ||
	    read_number(field[3], flen[3], INT64_MAX, &used))
		return -1;
	if (clean_label(&label, field[1], flen[1], &result) == 0) {
		ds_buf_free(&label);
		return result == DS_OK ? -1 : 1;
	}
	if (result != DS_OK) {
		ds_buf_free(&label);
		return 1;
	}
	cp->time = (int64_t)t;
	cp->label = ds_buf_detach(&label);
	cp->free = free_b;
	cp->used = used;
	return cp->label ? 0 : 1;
}

/* Parse the text of a run log. */
enum ds_code ds_report_parse_log(struct ds_checkpoint_log *out,
				 const char *text, size_t len,
				 struct ds_err *err)
{
	size_t pos = 0, lineno = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		const char *line = text + pos;
		const char *eol = memchr(line, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - line) : len - pos;
		struct ds_checkpoint cp;
		int rc = -1;

		lineno++;
		pos += n + (eol ? 1 : 0);
		if (n && line[n - 1] == '\r')
			n--;
		if (!eol)
			out->unterminated = 1;
		if (eol && (n == 0 || line[0] == '#'))
			continue;
		if (eol)
			rc = parse_line(line, n, &cp);
		if (rc == 0 && push_item(out, &cp, &cap) != DS_OK) {
			free(cp.label);
			rc = 1;
		}
		if (rc == 1) {
			ds_report_log_free(out);
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		}
		if (rc < 0 && n > 0) {
			out->damaged++;
			if (!out->first_damaged)
				out->first_damaged = lineno;
		}
	}
	return DS_OK;
}

/* Release what a parsed log owns. */
void ds_report_log_free(struct ds_checkpoint_log *log)
{
	size_t i;

	if (!log)
		return;
	for (i = 0; i < log->n; i++)
		free(log->items[i].label);
	free(log->items);
	memset(log, 0, sizeof(*log));
}

/* The newest checkpoint, or NULL. */
const struct ds_checkpoint *ds_report_last(
	const struct ds_checkpoint_log *log)
{
	return log->n ? &log->items[log->n - 1] : NULL;
}

/* Append cp as one log line. */
enum ds_code ds_report_log_line(struct ds_buf *out,
				const struct ds_checkpoint *cp)
{
	return ds_buf_printf(out, "%" PRId64 "\t%s\t%" PRIu64 "\t%" PRIu64
			     "\n", cp->time, cp->label, cp->free, cp->used);
}

/* after - before, saturated to the int64_t range. */
int64_t ds_report_diff(uint64_t after, uint64_t before)
{
	uint64_t d;

	if (after >= before) {
		d = after - before;
		return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
	}
	d = before - after;
	return d > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)d;
}

/* Write delta as a signed human size. */
char *ds_report_delta_human(int64_t delta, char *out, size_t n)
{
	char size[32];
	uint64_t mag;

	if (delta == 0) {
		snprintf(out, n, "\u00b10B");
		return out;
	}
	mag = delta < 0 ? (uint64_t)(-(delta + 1)) + 1 : (uint64_t)delta;
	ds_size_human(mag, size, sizeof(size));
	snprintf(out, n, "%c%s", delta < 0 ? '-' : '+', size);
	return out;
}

/* Write t as an ISO 8601 UTC time. */
char *ds_report_time(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) ||
	    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, n, "%" PRId64, t);
	return out;
}

/* Append what docker-checkpoint prints. */
enum ds_code ds_report_checkpoint_line(struct ds_buf *out,
				       const struct ds_checkpoint *cp,
				       const struct ds_checkpoint *prev)
{
	char size[32], delta[40];

	ds_size_human(cp->free, size, sizeof(size));
	if (!prev)
		return ds_buf_printf(out, "[%s] free %s\n", cp->label, size);
	ds_report_delta_human(ds_report_diff(cp->free, prev->free), delta,
			      sizeof(delta));
	return ds_buf_printf(out, "[%s] free %s (\u0394 %s since [%s])\n",
			     cp->label, size, delta, prev->label);
}

/* Append a label as is, or escaped for Markdown. */
static enum ds_code put_label(struct ds_buf *out, const char *label,
			      int markdown)
{
	return markdown ? ds_buf_md_escape(out, label) : ds_buf_puts(out, label);
}

/*
 * Append the closing line: how many checkpoints, over which times, the
 * free space at the first and the last, their difference and the
 * lowest point.
 */
static enum ds_code summary_line(struct ds_buf *out,
				 const struct ds_checkpoint_log *log,
				 int markdown)
{
	const struct ds_checkpoint *first = &log->items[0];
	const struct ds_checkpoint *last = &log->items[log->n - 1];
	const struct ds_checkpoint *low = first;
	char t0[40], t1[40], f0[32], f1[32], fl[32], d[40];
	enum ds_code result;
	size_t i;

	for (i = 1; i < log->n; i++)
		if (log->items[i].free < low->free)
			low = &log->items[i];
	ds_size_human(first->free, f0, sizeof(f0));
	ds_size_human(last->free, f1, sizeof(f1));
	ds_size_human(low->free, fl, sizeof(fl));
	if (log->n == 1) {
		result = ds_buf_printf(out, "1 checkpoint, %s: free %s at [",
				       ds_report_time(first->time, t0,
						      sizeof(t0)), f0);
		if (result == DS_OK)
			result = put_label(out, first->label, markdown);
		return result == DS_OK ? ds_buf_puts(out, "]\n") : result;
	}
	ds_report_delta_human(ds_report_diff(last->free, first->free), d,
			      sizeof(d));
	result = ds_buf_printf(out, "%zu checkpoints, %s to %s: free %s -> %s "
			       "(\u0394 %s), lowest %s at [", log->n,
			       ds_report_time(first->time, t0, sizeof(t0)),
			       ds_report_time(last->time, t1, sizeof(t1)),
			       f0, f1, d, fl);
	if (result == DS_OK)
		result = put_label(out, low->label, markdown);
	return result == DS_OK ? ds_buf_puts(out, "]\n") : result;
}

/* The table's columns: in the terminal the time (20 characters), the
 * label, free and used space and the change, 2 spaces apart; in
 * Markdown a checkpoint's number first and the figures right-aligned. */
static const struct ds_table_col log_cols[] = {
	{ "#", DS_TABLE_RIGHT, 0, 0, DS_TABLE_RIGHT, 1 },
	{ "TIME", DS_TABLE_LEFT, 20, 2, DS_TABLE_LEFT, 0 },
	{ "CHECKPOINT", DS_TABLE_LEFT, 0, 2, DS_TABLE_LEFT, 0 },
	{ "FREE", DS_TABLE_LEFT, 0, 2, DS_TABLE_RIGHT, 0 },
	{ "USED", DS_TABLE_LEFT, 0, 2, DS_TABLE_RIGHT, 0 },
	{ "\u0394 FREE", DS_TABLE_LEFT, 0, 0, DS_TABLE_RIGHT, 0 },
};

/* Add a row a checkpoint, its number first (a Markdown column). */
static void add_rows(struct ds_table *t, const struct ds_checkpoint_log *log)
{
	char tm[40], f[32], u[32], d[40];
	size_t i;

	for (i = 0; i < log->n; i++) {
		const struct ds_checkpoint *cp = &log->items[i];

		ds_table_addf(t, "%zu", i + 1);
		ds_table_add(t, ds_report_time(cp->time, tm, sizeof(tm)));
		ds_table_add(t, cp->label);
		ds_table_add(t, ds_size_human(cp->free, f, sizeof(f)));
		ds_table_add(t, ds_size_human(cp->used, u, sizeof(u)));
		ds_table_add(t, i ? ds_report_delta_human(ds_report_diff(
			cp->free, log->items[i - 1].free), d, sizeof(d))
			: "-");
	}
}

/* Append the table of checkpoints and the closing line. */
enum ds_code ds_report_table(struct ds_buf *out,
			     const struct ds_checkpoint_log *log)
{
	enum ds_code result;
	struct ds_table t;

	if (!log->n)
		return ds_buf_puts(out, "no checkpoints yet\n");
	ds_table_init(&t, log_cols, 6);
	add_rows(&t, log);
	result = ds_table_text(out, &t, 1);
	ds_table_free(&t);
	if (result == DS_OK)
		result = summary_line(out, log, 0);
	return result;
}

/* The largest free value of the log (0 when empty). */
static uint64_t max_free(const struct ds_checkpoint_log *log)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < log->n; i++)
		if (log->items[i].free > m)
			m = log->items[i].free;
	return m;
}

/* Append a bar of value/max over DS_REPORT_BAR_WIDTH cells, padded. */
static enum ds_code bar(struct ds_buf *out, uint64_t value, uint64_t max)
{
	enum ds_code result = DS_OK;
	double exact = max ? (double)value / (double)max *
			     (DS_REPORT_BAR_WIDTH * 8) : 0;
	long e = (long)(exact + 0.5), i;

	if (e == 0 && value > 0)
		e = 1; /* some room left is never an empty bar */
	for (i = 0; i < e / 8 && result == DS_OK; i++)
		result = ds_buf_puts(out, FULL_BLOCK);
	if (result == DS_OK && e % 8)
		result = ds_buf_puts(out, eighths[e % 8]);
	for (i = (e + 7) / 8; i < DS_REPORT_BAR_WIDTH && result == DS_OK; i++)
		result = ds_buf_add(out, " ", 1);
	return result;
}

/* Append the text bar chart of free space: a line a checkpoint, its
 * label, its bar and its free space. */
enum ds_code ds_report_chart(struct ds_buf *out,
			     const struct ds_checkpoint_log *log)
{
	static const struct ds_table_col cols[] = {
		{ NULL, DS_TABLE_LEFT, 0, 2, DS_TABLE_LEFT, 0 },
		{ NULL, DS_TABLE_LEFT, 0, 1, DS_TABLE_LEFT, 0 },
		{ NULL, DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
	};
	struct ds_buf line = DS_BUF_INIT;
	enum ds_code result;
	uint64_t max = max_free(log);
	struct ds_table t;
	char size[32];
	size_t i;

	if (!log->n)
		return DS_OK;
	result = ds_buf_printf(out, "free space (bars from 0 to %s)\n",
			       ds_size_human(max, size, sizeof(size)));
	ds_table_init(&t, cols, 3);
	for (i = 0; i < log->n && result == DS_OK; i++) {
		ds_buf_reset(&line);
		ds_table_add(&t, log->items[i].label);
		result = bar(&line, log->items[i].free, max);
		if (result == DS_OK)
			result = ds_table_add(&t, line.ptr);
		ds_table_add(&t, ds_size_human(log->items[i].free, size,
					       sizeof(size)));
	}
	if (result == DS_OK)
		result = ds_table_text(out, &t, 1);
	ds_table_free(&t);
	ds_buf_free(&line);
	return result;
}

/* Append the terminal report. */
enum ds_code ds_report_text(struct ds_buf *out,
			    const struct ds_checkpoint_log *log)
{
	enum ds_code result = ds_report_table(out, log);

	if (result == DS_OK && log->n)
		result = ds_buf_puts(out, "\n");
	if (result == DS_OK)
		result = ds_report_chart(out, log);
	return result;
}

/*
 * The end of a chart axis for values up to m: m rounded up to 1, 1.2,
 * 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten (1 when m is 0).
 */
static double axis_end(double m)
{
	static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8,
					10 };
	double p = 1;
	size_t i;

	if (m <= 0)
		return 1;
	while (p * 10 <= m)
		p *= 10;
	while (p > m)
		p /= 10;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * p >= m * (1 - 1e-12))
			return steps[i] * p;
	return 10 * p;
}

/* How many earlier checkpoints have the label of checkpoint i. */
static size_t same_label_before(const struct ds_checkpoint_log *log,
				size_t i)
{
	size_t k, n = 0;

	for (k = 0; k < i; k++)
		n += strcmp(log->items[k].label, log->items[i].label) == 0;
	return n;
}

/* Append label as a Mermaid string: no double quotes or backquotes. */
static enum ds_code mermaid_string(struct ds_buf *out, const char *label,
				   size_t repeat)
{
	enum ds_code result = ds_buf_add(out, "\"", 1);
	const char *s;

	for (s = label; *s && result == DS_OK; s++)
		result = ds_buf_add(out, *s == '"' || *s == '`' ? "'" : s, 1);
	/* categories must differ, or the chart draws them in one place */
	if (result == DS_OK && repeat)
		result = ds_buf_printf(out, " (%zu)", repeat + 1);
	if (result == DS_OK)
		result = ds_buf_add(out, "\"", 1);
	return result;
}

/* Append the Mermaid xychart block. */
enum ds_code ds_report_mermaid(struct ds_buf *out,
			       const struct ds_checkpoint_log *log)
{
	enum ds_code result;
	uint64_t max = max_free(log);
	int gb = max >= 10000000000ULL;
	double unit = gb ? 1e9 : 1e6;
	size_t i;

	if (!log->n)
		return DS_OK;
	result = ds_buf_puts(out, "```mermaid\nxychart-beta\n"
			     "    title \"Free space by checkpoint\"\n"
			     "    x-axis [");
	for (i = 0; i < log->n && result == DS_OK; i++) {
		if (i)
			result = ds_buf_puts(out, ", ");
		if (result == DS_OK)
			result = mermaid_string(out, log->items[i].label,
						same_label_before(log, i));
	}
	if (result == DS_OK)
		result = ds_buf_printf(out, "]\n    y-axis \"free (%s)\" 0 --> "
				       "%.10g\n    bar [", gb ? "GB" : "MB",
				       axis_end((double)max / unit));
	for (i = 0; i < log->n && result == DS_OK; i++)
		result = ds_buf_printf(out, "%s%.*f", i ? ", " : "",
				       gb ? 2 : 1,
				       (double)log->items[i].free / unit);
	if (result == DS_OK)
		result = ds_buf_puts(out, "]\n```\n");
	return result;
}

/* Append the step-summary Markdown. */
enum ds_code ds_report_markdown(struct ds_buf *out,
				const struct ds_checkpoint_log *log)
{
	enum ds_code result;
	struct ds_table t;

	result = ds_buf_puts(out, "### dockspace: free space by checkpoint\n\n");
	if (result == DS_OK && !log->n)
		return ds_buf_puts(out, "No checkpoints yet.\n\n");
	ds_table_init(&t, log_cols, 6);
	add_rows(&t, log);
	if (result == DS_OK)
		result = ds_table_markdown(out, &t);
	ds_table_free(&t);
	if (result == DS_OK)
		result = ds_buf_puts(out, "\n");
	if (result == DS_OK)
		result = summary_line(out, log, 1);
	if (result == DS_OK)
		result = ds_buf_puts(out, "\n");
	if (result == DS_OK)
		result = ds_report_mermaid(out, log);
	if (result == DS_OK)
		result = ds_buf_puts(out, "\n");
	return result;
}

/* Whether docker-monitor shows ev. */
int ds_report_event_shown(const struct ds_event *ev)
{
	static const char *const shown[][2] = {
		{ "image", "build" }, { "image", "tag" },
		{ "image", "untag" }, { "image", "delete" },
		{ "image", "pull" }, { "image", "load" },
		{ "image", "import" }, { "image", "prune" },
		{ "container", "create" }, { "container", "destroy" },
		{ "container", "prune" },
	};
	size_t i;

	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (strcmp(ev->type, shown[i][0]) == 0 &&
		    strcmp(ev->action, shown[i][1]) == 0)
			return 1;
	return 0;
}

/*
 * Append docker-monitor's line for ev: one row of fixed columns (the
 * lines come one at a time, so the widths are minimums, not measured).
 */
enum ds_code ds_report_event_line(struct ds_buf *out,
				  const struct ds_event *ev, uint64_t free,
				  int64_t delta)
{
	static const struct ds_table_col cols[] = {
		{ NULL, DS_TABLE_LEFT, 0, 2, DS_TABLE_LEFT, 0 },    /* time */
		{ NULL, DS_TABLE_LEFT, 11, 0, DS_TABLE_LEFT, 0 },   /* type */
		{ NULL, DS_TABLE_LEFT, 9, 0, DS_TABLE_LEFT, 0 },    /* action */
		{ NULL, DS_TABLE_LEFT, 32, 2, DS_TABLE_LEFT, 0 },   /* name */
		{ NULL, DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },    /* free space */
	};
	enum ds_code result;
	struct ds_table t;
	char tm[40], size[32], d[40], id[24];

	/* no name: the ID's first 12 digits, after "sha256:" if any */
	snprintf(id, sizeof(id), "%.*s", strncmp(ev->id, "sha256:", 7) == 0
		 ? 19 : 12, ev->id[0] ? ev->id : "-");
	ds_size_human(free, size, sizeof(size));
	ds_table_init(&t, cols, 5);
	ds_table_add(&t, ds_report_time(ev->time, tm, sizeof(tm)));
	ds_table_add(&t, ev->type);
	ds_table_add(&t, ev->action);
	ds_table_add(&t, ev->name[0] ? ev->name : id);
	if (delta)
		ds_table_addf(&t, "free %s (\u0394 %s)", size,
			      ds_report_delta_human(delta, d, sizeof(d)));
	else
		ds_table_addf(&t, "free %s", size);
	result = ds_table_text(out, &t, 1);
	ds_table_free(&t);
	return result;
}
