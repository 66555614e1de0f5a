/*
 * summary.c: the pipeline's closing table (see summary.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "table.h"
#include "units.h"

#define CELL 160

/* What the table says for an action decided as build/placeholder/skip. */
static const char *action_done(const char *action)
{
	if (!action || !*action)
		return "-";
	if (strcmp(action, "build") == 0)
		return "built";
	if (strcmp(action, "skip") == 0)
		return "skipped";
	return action;
}

/* s, or "-" when it is NULL or empty. */
static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* A size cell: docker's units, "-" for none. */
static const char *size_cell(int64_t bytes, char *cell, size_t n)
{
	if (bytes < 0)
		return strcpy(cell, "-");
	return ds_size_human((uint64_t)bytes, cell, n);
}

/* Format the room words (see summary.h). */
enum ds_code ds_summary_room(const char *words, char *out, size_t n,
			     struct ds_err *err)
{
	const char *p = words ? words : "";
	size_t used = 0;

	out[0] = '\0';
	while (*p) {
		const char *w, *colon;
		char size[32], *end;
		uint64_t bytes;
		size_t len;
		int k;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - w);
		colon = memchr(w, ':', len);
		if (!colon || colon == w || colon + 1 == p ||
		    colon[1] < '0' || colon[1] > '9')
			return ds_err_set(err, DS_E_ARG, "invalid room word "
					  "'%.*s': expected WHEN:BYTES",
					  (int)len, w);
		bytes = strtoull(colon + 1, &end, 10);
		if (end != p)
			return ds_err_set(err, DS_E_ARG, "invalid room word "
					  "'%.*s': expected WHEN:BYTES",
					  (int)len, w);
		ds_size_human(bytes, size, sizeof(size));
		k = snprintf(out + used, n - used, "%s%.*s %s",
			     used ? ", " : "", (int)(colon - w), w, size);
		if (k < 0 || (size_t)k >= n - used)
			return ds_err_set(err, DS_E_ARG, "too many room words");
		used += (size_t)k;
	}
	if (!used)
		snprintf(out, n, "-");
	return DS_OK;
}

/* The cells of one row, formatted. */
struct cells {
	char size[32], digest[20], free_after[32], room[CELL];
};

/* Format a row's cells. */
static enum ds_code row_cells(const struct ds_summary_row *r,
			      struct cells *c, struct ds_err *err)
{
	int built = r->action && strcmp(r->action, "skip") != 0;

	size_cell(built ? r->size : -1, c->size, sizeof(c->size));
	snprintf(c->digest, sizeof(c->digest), "%.19s", or_dash(r->digest));
	size_cell(r->free_after, c->free_after, sizeof(c->free_after));
	return ds_summary_room(r->room, c->room, sizeof(c->room), err);
}

/* The table's columns: in the terminal printf's old fixed widths, as
 * minimums. */
static const struct ds_table_col cols[] = {
	{ "SERVICE", DS_TABLE_LEFT, 16, 1, DS_TABLE_LEFT, 0 },
	{ "TIER", DS_TABLE_LEFT, 9, 1, DS_TABLE_LEFT, 0 },
	{ "ACTION", DS_TABLE_LEFT, 12, 1, DS_TABLE_LEFT, 0 },
	{ "SIZE", DS_TABLE_RIGHT, 10, 2, DS_TABLE_LEFT, 0 },
	{ "DIGEST", DS_TABLE_LEFT, 19, 1, DS_TABLE_LEFT, 0 },
	{ "FREE AFTER", DS_TABLE_LEFT, 10, 1, DS_TABLE_LEFT, 0 },
	{ "ROOM MADE", DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
};

/* Add every row's cells to t. */
static enum ds_code add_rows(struct ds_table *t,
			     const struct ds_summary_row *rows, size_t n,
			     struct ds_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct cells c;

		if (row_cells(&rows[i], &c, err) != DS_OK)
			return err->code;
		ds_table_add(t, or_dash(rows[i].service));
		ds_table_add(t, or_dash(rows[i].tier));
		ds_table_add(t, action_done(rows[i].action));
		ds_table_add(t, c.size);
		ds_table_add(t, c.digest);
		ds_table_add(t, c.free_after);
		ds_table_add(t, c.room);
	}
	return DS_OK;
}

/*
 * Append the rows as the text table (markdown 0) or as the Markdown one
 * under its heading; nothing when a row's cells cannot be formatted.
 */
static enum ds_code render(struct ds_buf *out, const char *mode,
			   const char *tag, const struct ds_summary_row *rows,
			   size_t n, int markdown, struct ds_err *err)
{
	enum ds_code result;
	struct ds_table t;

	ds_table_init(&t, cols, 7);
	result = add_rows(&t, rows, n, err);
	if (result != DS_OK)
		goto done;
	if (markdown)
		ds_buf_printf(out, "### dockspace: %s build, tag %s\n\n",
			      or_dash(mode), or_dash(tag));
	result = markdown ? ds_table_markdown(out, &t)
			  : ds_table_text(out, &t, 1);
	if (result == DS_OK && markdown)
		result = ds_buf_puts(out, "\n");
	if (result != DS_OK)
		ds_err_set(err, result, "out of memory");
done:
	ds_table_free(&t);
	return result;
}

/* Append the text table. */
enum ds_code ds_summary_text(struct ds_buf *out,
			     const struct ds_summary_row *rows, size_t n,
			     struct ds_err *err)
{
	return render(out, NULL, NULL, rows, n, 0, err);
}

/* Append the Markdown table under its heading. */
enum ds_code ds_summary_markdown(struct ds_buf *out, const char *mode,
				 const char *tag,
				 const struct ds_summary_row *rows, size_t n,
				 struct ds_err *err)
{
	return render(out, mode, tag, rows, n, 1, err);
}
