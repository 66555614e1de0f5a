/* sizes.c: service images against their size limits (see sizes.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizes.h"
#include "table.h"
#include "units.h"

#define COLS 7
#define CELL 256   /* a formatted cell: status words, a percent */

/* Read an unsigned decimal of the whole n bytes at s; -1 if it is not. */
static int read_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Release one record. */
static void record_clear(struct ds_size_record *r)
{
	free(r->service);
	free(r->id);
	memset(r, 0, sizeof(*r));
}

/* Parse one line "SVC\tID\tSIZE\tPREV\tTIME" into r; -1 when malformed. */
static int parse_line(const char *line, size_t len,
		      struct ds_size_record *r)
{
	const char *f[5];
	size_t fl[5], k = 0, i, start = 0;
	uint64_t t;

	for (i = 0; i <= len && k < 5; i++) {
		if (i == len || line[i] == '\t') {
			f[k] = line + start;
			fl[k++] = i - start;
			start = i + 1;
		}
	}
	/* a NUL would cut the name short: the line is not ours */
	if (k != 5 || start <= len || fl[0] == 0 || fl[1] == 0 ||
	    memchr(line, '\0', len))
		return -1;
	memset(r, 0, sizeof(*r));
	if (read_u64(f[2], fl[2], &r->size) ||
	    (!(fl[3] == 1 && f[3][0] == '-') &&
	     read_u64(f[3], fl[3], &r->prev)) ||
	    read_u64(f[4], fl[4], &t) || t > INT64_MAX)
		return -1;
	r->has_prev = !(fl[3] == 1 && f[3][0] == '-');
	r->time = (int64_t)t;
	r->service = strndup(f[0], fl[0]);
	r->id = strndup(f[1], fl[1]);
	if (!r->service || !r->id) {
		record_clear(r);
		return -2;
	}
	return 0;
}

/* The record of a service, or NULL. */
static struct ds_size_record *find(struct ds_size_records *r,
				   const char *service)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->list[i].service, service) == 0)
			return &r->list[i];
	return NULL;
}

/* Read the record file's text. */
enum ds_code ds_sizes_records_parse(struct ds_size_records *out,
				    const char *text, size_t len,
				    struct ds_err *err)
{
	struct ds_size_record rec, *grown, *old;
	size_t i = 0;
	int rc;

	out->list = NULL;
	out->n = 0;
	while (i < len) {
		const char *line = text + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;

		i += n + (nl ? 1 : 0);
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		rc = parse_line(line, n, &rec);
		if (rc == -1)
			continue;
		if (rc == -2)
			goto nomem;
		/* a later line for the same service wins */
		old = find(out, rec.service);
		if (old) {
			record_clear(old);
			*old = rec;
			continue;
		}
		grown = realloc(out->list, (out->n + 1) * sizeof(*grown));
		if (!grown) {
			record_clear(&rec);
			goto nomem;
		}
		out->list = grown;
		out->list[out->n++] = rec;
	}
	return DS_OK;
nomem:
	ds_sizes_records_free(out);
	return ds_err_set(err, DS_E_NOMEM, "out of memory");
}

/* Release the records. */
void ds_sizes_records_free(struct ds_size_records *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		record_clear(&r->list[i]);
	free(r->list);
	r->list = NULL;
	r->n = 0;
}

/* Append the record file's text. */
enum ds_code ds_sizes_records_text(struct ds_buf *out,
				   const struct ds_size_records *r)
{
	enum ds_code result = ds_buf_puts(out, "# dockspace image sizes: "
					  "service, image id, size, previous "
					  "size, unix time\n");
	size_t i;

	for (i = 0; i < r->n && result == DS_OK; i++) {
		const struct ds_size_record *x = &r->list[i];

		result = ds_buf_printf(out, "%s\t%s\t%" PRIu64 "\t", x->service,
				       x->id, x->size);
		if (result == DS_OK)
			result = x->has_prev
				 ? ds_buf_printf(out, "%" PRIu64, x->prev)
				 : ds_buf_puts(out, "-");
		if (result == DS_OK)
			result = ds_buf_printf(out, "\t%" PRId64 "\n", x->time);
	}
	return result;
}

/* The status of a size against a limit. */
enum ds_size_status ds_sizes_status(enum ds_size_source source,
				    uint64_t size, const char *limit_text,
				    uint64_t limit)
{
	if (source == DS_SIZE_NONE)
		return DS_SIZE_UNKNOWN;
	if (!limit_text)
		return DS_SIZE_NO_LIMIT;
	if (size > limit)
		return DS_SIZE_OVER;
	/* size * 100 >= limit * 90, without overflow */
	if ((long double)size * 100 >=
	    (long double)limit * DS_SIZE_NEAR_PERCENT)
		return DS_SIZE_NEAR;
	return DS_SIZE_OK;
}

/* The difference a - b of two sizes, saturated to int64_t. */
static int64_t diff(uint64_t a, uint64_t b)
{
	if (a >= b)
		return a - b > (uint64_t)INT64_MAX ? INT64_MAX
						   : (int64_t)(a - b);
	return b - a > (uint64_t)INT64_MAX ? -INT64_MAX : -(int64_t)(b - a);
}

/* Fill in statuses and changes; update the records. */
enum ds_code ds_sizes_update(struct ds_size_records *records,
			     struct ds_size_row *rows, size_t n, int64_t now,
			     struct ds_err *err)
{
	struct ds_size_record *rec, *grown;
	size_t i;

	for (i = 0; i < n; i++) {
		struct ds_size_row *row = &rows[i];
		const char *id = row->source == DS_SIZE_ENGINE && row->id
				 ? row->id : "-";
		char *copy_id;

		row->status = ds_sizes_status(row->source, row->size,
					      row->limit_text, row->limit);
		row->has_change = 0;
		row->change = 0;
		if (row->source == DS_SIZE_NONE)
			continue;
		rec = find(records, row->service);
		if (rec && strcmp(rec->id, id) == 0 && rec->size == row->size) {
			/* the same image as last time */
			row->has_change = rec->has_prev;
			if (rec->has_prev)
				row->change = diff(row->size, rec->prev);
			continue;
		}
		copy_id = strdup(id);
		if (!copy_id)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		if (rec) {
			row->has_change = 1;
			row->change = diff(row->size, rec->size);
			rec->prev = rec->size;
			rec->has_prev = 1;
			free(rec->id);
		} else {
			grown = realloc(records->list,
					(records->n + 1) * sizeof(*grown));
			if (!grown) {
				free(copy_id);
				return ds_err_set(err, DS_E_NOMEM,
						  "out of memory");
			}
			records->list = grown;
			rec = &records->list[records->n];
			memset(rec, 0, sizeof(*rec));
			rec->service = strdup(row->service);
			if (!rec->service) {
				free(copy_id);
				return ds_err_set(err, DS_E_NOMEM,
						  "out of memory");
			}
			records->n++;
		}
		rec->id = copy_id;
		rec->size = row->size;
		rec->time = now;
	}
	return DS_OK;
}

/* Write a signed change: "+1.5MB", "-300kB", "0B". */
char *ds_sizes_change_text(int64_t change, char *out, size_t n)
{
	char h[32];
	uint64_t mag = change < 0 ? (uint64_t)(-(change + 1)) + 1
				  : (uint64_t)change;

	ds_size_human(mag, h, sizeof(h));
	snprintf(out, n, "%s%s", change > 0 ? "+" : change < 0 ? "-" : "", h);
	return out;
}

/* The percent of the limit, one decimal, rounded down. */
char *ds_sizes_percent_text(uint64_t size, uint64_t limit, char *out,
			    size_t n)
{
	long double permille;
	uint64_t p;

	if (limit == 0) {
		snprintf(out, n, "%s", size ? "inf" : "0.0%");
		return out;
	}
	permille = (long double)size * 1000 / (long double)limit;
	p = permille >= 1e18L ? (uint64_t)1e18 : (uint64_t)permille;
	snprintf(out, n, "%" PRIu64 ".%" PRIu64 "%%", p / 10, p % 10);
	return out;
}

/* The status words of a row. */
static void status_text(const struct ds_size_row *r, char *out, size_t n)
{
	static const char *const words[] = { "not built", "no limit", "ok",
					     "near", "over" };

	if (r->source == DS_SIZE_NONE)
		snprintf(out, n, "not in the engine, no recorded size");
	else if (r->source == DS_SIZE_RECORDED)
		snprintf(out, n, "%s (recorded size: not in the engine)",
			 words[r->status]);
	else
		snprintf(out, n, "%s", words[r->status]);
}

/* The table's columns, as text and as Markdown (the figures right-
 * aligned there). */
static const struct ds_table_col cols[COLS] = {
	{ "SERVICE", DS_TABLE_LEFT, 0, 3, DS_TABLE_LEFT, 0 },
	{ "IMAGE", DS_TABLE_LEFT, 0, 3, DS_TABLE_LEFT, 0 },
	{ "SIZE", DS_TABLE_LEFT, 0, 3, DS_TABLE_RIGHT, 0 },
	{ "LIMIT", DS_TABLE_LEFT, 0, 3, DS_TABLE_RIGHT, 0 },
	{ "% OF LIMIT", DS_TABLE_LEFT, 0, 3, DS_TABLE_RIGHT, 0 },
	{ "CHANGE", DS_TABLE_LEFT, 0, 3, DS_TABLE_RIGHT, 0 },
	{ "STATUS", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
};

/*
 * Add one row's cells; for Markdown (markdown 1) the image is code and
 * a status over or near its limit bold.
 */
static void add_row(struct ds_table *t, const struct ds_size_row *r,
		    int markdown)
{
	char cell[CELL], size[32];
	int loud = r->status == DS_SIZE_OVER || r->status == DS_SIZE_NEAR;

	ds_table_add(t, r->service);
	ds_table_add_styled(t, r->ref ? r->ref : "-",
			    markdown ? DS_CELL_CODE : DS_CELL_TEXT);
	ds_table_add(t, r->source == DS_SIZE_NONE ? "-"
		     : ds_size_human(r->size, size, sizeof(size)));
	ds_table_add(t, r->limit_text ? r->limit_text : "-");
	if (r->limit_text && r->source != DS_SIZE_NONE)
		ds_table_add(t, ds_sizes_percent_text(r->size, r->limit, cell,
						      sizeof(cell)));
	else
		ds_table_add(t, "-");
	if (r->source == DS_SIZE_NONE)
		ds_table_add(t, "-");
	else if (!r->has_change)
		ds_table_add(t, "new");
	else
		ds_table_add(t, ds_sizes_change_text(r->change, cell,
						     sizeof(cell)));
	status_text(r, cell, sizeof(cell));
	ds_table_add_styled(t, cell, markdown && loud ? DS_CELL_BOLD
			    : DS_CELL_TEXT);
}

/* Append the rows as text (markdown 0) or Markdown. */
static enum ds_code render(struct ds_buf *out, const struct ds_size_row *rows,
			   size_t n, int markdown)
{
	struct ds_table t;
	enum ds_code result;
	size_t r;

	ds_table_init(&t, cols, COLS);
	for (r = 0; r < n; r++)
		add_row(&t, &rows[r], markdown);
	result = markdown ? ds_table_markdown(out, &t)
			  : ds_table_text(out, &t, 0);
	ds_table_free(&t);
	return result;
}

/* Append the table. */
enum ds_code ds_sizes_table(struct ds_buf *out,
			    const struct ds_size_row *rows, size_t n)
{
	return render(out, rows, n, 0);
}

/* Append the Markdown table. */
enum ds_code ds_sizes_markdown(struct ds_buf *out,
			       const struct ds_size_row *rows, size_t n)
{
	return render(out, rows, n, 1);
}
