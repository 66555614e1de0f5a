/* table.c: text and Markdown tables (see table.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* An empty table of ncols columns. */
void ds_table_init(struct ds_table *t, const struct ds_table_col *cols,
		   size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
}

/* Record a failure; the first code sticks. */
static enum ds_code fail(struct ds_table *t, enum ds_code code)
{
	if (t->error == DS_OK)
		t->error = code;
	return t->error;
}

/* Add a cell that owns text (freed here on failure). */
static enum ds_code add_owned(struct ds_table *t, char *text,
			      enum ds_table_style style)
{
	struct ds_table_cell *grown;

	if (t->error != DS_OK || !text) {
		free(text);
		return fail(t, DS_E_NOMEM);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;

		grown = realloc(t->cells, cap * sizeof(*grown));
		if (!grown) {
			free(text);
			return fail(t, DS_E_NOMEM);
		}
		t->cells = grown;
		t->cap = cap;
	}
	t->cells[t->n].text = text;
	t->cells[t->n++].style = style;
	return DS_OK;
}

/* Add the next cell with its Markdown style. */
enum ds_code ds_table_add_styled(struct ds_table *t, const char *text,
				 enum ds_table_style style)
{
	if (t->error != DS_OK)
		return t->error;
	return add_owned(t, strdup(text ? text : ""), style);
}

/* Add the next cell (copied). */
enum ds_code ds_table_add(struct ds_table *t, const char *text)
{
	return ds_table_add_styled(t, text, DS_CELL_TEXT);
}

/* Add the next cell, printf-formatted. */
enum ds_code ds_table_addf(struct ds_table *t, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	if (t->error != DS_OK)
		return t->error;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	return add_owned(t, n < 0 ? NULL : text, DS_CELL_TEXT);
}

/* The number of whole rows added. */
size_t ds_table_rows(const struct ds_table *t)
{
	return t->ncols ? t->n / t->ncols : 0;
}

/* The width of UTF-8 text on a terminal: its code points. */
static size_t width_of(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* Whether the table has a header (any column's head). */
static int has_header(const struct ds_table *t)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (t->cols[c].head)
			return 1;
	return 0;
}

/* Append n spaces. */
static enum ds_code spaces(struct ds_buf *out, size_t n)
{
	enum ds_code result = DS_OK;

	for (; n && result == DS_OK; n--)
		result = ds_buf_add(out, " ", 1);
	return result;
}

/* The index of the last column text shows. */
static size_t last_text_column(const struct ds_table *t)
{
	size_t c = t->ncols;

	while (c > 1 && t->cols[c - 1].md_only)
		c--;
	return c - 1;
}

/* Append one text line of cells (cells[c], or the headers: NULL). */
static enum ds_code text_line(struct ds_buf *out, const struct ds_table *t,
			      const struct ds_table_cell *cells,
			      const size_t *width)
{
	enum ds_code result = spaces(out, t->indent);
	size_t c, end = last_text_column(t);

	for (c = 0; c <= end && result == DS_OK; c++) {
		const struct ds_table_col *col = &t->cols[c];
		const char *s = cells ? cells[c].text
				: col->head ? col->head : "";
		size_t pad = width[c] - width_of(s);
		int last = c == end;

		if (col->md_only)
			continue;
		if (col->align == DS_TABLE_RIGHT)
			result = spaces(out, pad);
		if (result == DS_OK)
			result = ds_buf_puts(out, s);
		if (result == DS_OK && col->align == DS_TABLE_LEFT && !last)
			result = spaces(out, pad);
		if (result == DS_OK && !last)
			result = spaces(out, col->gap);
	}
	return result;
}

/* Append the text table. */
enum ds_code ds_table_text(struct ds_buf *out, const struct ds_table *t,
			   int last_newline)
{
	enum ds_code result = t->error;
	size_t *width, rows = ds_table_rows(t), r, c;
	int header = has_header(t);

	if (result != DS_OK)
		return result;
	if (!t->ncols || t->n % t->ncols)
		return DS_E_ARG;
	width = calloc(t->ncols, sizeof(*width));
	if (!width)
		return DS_E_NOMEM;
	for (c = 0; c < t->ncols; c++) {
		width[c] = t->cols[c].min;
		if (header && t->cols[c].head &&
		    width_of(t->cols[c].head) > width[c])
			width[c] = width_of(t->cols[c].head);
	}
	for (r = 0; r < t->n; r++)
		if (width_of(t->cells[r].text) > width[r % t->ncols])
			width[r % t->ncols] = width_of(t->cells[r].text);
	for (r = header ? 0 : 1; r <= rows && result == DS_OK; r++) {
		result = text_line(out, t, r ? &t->cells[(r - 1) * t->ncols]
				   : NULL, width);
		if (result == DS_OK && (r < rows || last_newline))
			result = ds_buf_add(out, "\n", 1);
	}
	free(width);
	return result;
}

/* Append text escaped for Markdown, its line breaks as spaces. */
static enum ds_code md_text(struct ds_buf *out, const char *s)
{
	enum ds_code result = DS_OK;
	char one[2] = { 0, 0 };

	for (; *s && result == DS_OK; s++) {
		one[0] = *s == '\n' || *s == '\r' ? ' ' : *s;
		result = ds_buf_md_escape(out, one);
	}
	return result;
}

/* Append text as Markdown code: ` becomes ', | is escaped, no breaks. */
static enum ds_code md_code(struct ds_buf *out, const char *s)
{
	enum ds_code result = ds_buf_add(out, "`", 1);

	for (; *s && result == DS_OK; s++) {
		if (*s == '|')
			result = ds_buf_puts(out, "\\|");
		else if (*s == '`')
			result = ds_buf_add(out, "'", 1);
		else if (*s == '\n' || *s == '\r')
			result = ds_buf_add(out, " ", 1);
		else
			result = ds_buf_add(out, s, 1);
	}
	return result == DS_OK ? ds_buf_add(out, "`", 1) : result;
}

/* Append a column's head as Markdown: in lower case, escaped. */
static enum ds_code md_head(struct ds_buf *out, const char *head)
{
	enum ds_code result = ds_buf_add(out, " ", 1);
	char one[2] = { 0, 0 };

	for (; *head && result == DS_OK; head++) {
		one[0] = *head >= 'A' && *head <= 'Z' ? (char)(*head - 'A' + 'a')
						      : *head;
		result = ds_buf_md_escape(out, one);
	}
	return result == DS_OK ? ds_buf_puts(out, " |") : result;
}

/* Append one Markdown cell: " text |". */
static enum ds_code md_cell(struct ds_buf *out, const char *s,
			    enum ds_table_style style)
{
	enum ds_code result = ds_buf_add(out, " ", 1);

	if (result == DS_OK && style == DS_CELL_CODE)
		result = md_code(out, s);
	else if (result == DS_OK && style == DS_CELL_BOLD) {
		result = ds_buf_puts(out, "**");
		if (result == DS_OK)
			result = md_text(out, s);
		if (result == DS_OK)
			result = ds_buf_puts(out, "**");
	} else if (result == DS_OK)
		result = md_text(out, s);
	return result == DS_OK ? ds_buf_puts(out, " |") : result;
}

/* Append the Markdown table. */
enum ds_code ds_table_markdown(struct ds_buf *out, const struct ds_table *t)
{
	enum ds_code result = t->error;
	size_t c, i;

	if (result != DS_OK)
		return result;
	if (!t->ncols || t->n % t->ncols)
		return DS_E_ARG;
	for (c = 0; c < t->ncols; c++)
		if (!t->cols[c].head)
			return DS_E_ARG;
	result = ds_buf_add(out, "|", 1);
	for (c = 0; c < t->ncols && result == DS_OK; c++)
		result = md_head(out, t->cols[c].head);
	if (result == DS_OK)
		result = ds_buf_add(out, "\n|", 2);
	for (c = 0; c < t->ncols && result == DS_OK; c++)
		result = ds_buf_puts(out, t->cols[c].md_align == DS_TABLE_RIGHT
				     ? "--:|" : "---|");
	if (result == DS_OK)
		result = ds_buf_add(out, "\n", 1);
	for (i = 0; i < t->n && result == DS_OK; i++) {
		if (i % t->ncols == 0)
			result = ds_buf_add(out, "|", 1);
		if (result == DS_OK)
			result = md_cell(out, t->cells[i].text,
					 t->cells[i].style);
		if (result == DS_OK && i % t->ncols == t->ncols - 1)
			result = ds_buf_add(out, "\n", 1);
	}
	return result;
}

/* Release the cells. */
void ds_table_free(struct ds_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->cells[i].text);
	free(t->cells);
	t->cells = NULL;
	t->n = t->cap = 0;
	t->error = DS_OK;
}
