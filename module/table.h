/*
 * table.h: the one way the module lays out a table, as text for a
 * terminal or as a Markdown table for a CI step summary.
 *
 * A table has columns (a header, an alignment, a minimum width, the
 * spaces after it) and rows of cells, added one cell at a time, left to
 * right, top to bottom.  Widths come from the content, the header's
 * included, counted in characters (UTF-8 code points, so "Δ" is one),
 * and are at least the column's minimum.
 *
 * Text: each line is the indent, then every cell padded to its column's
 * width (left: spaces after, right: spaces before) and followed by the
 * column's gap; the last column is not padded when it is left-aligned,
 * so no line ends in spaces.  The header line comes first unless every
 * column's header is NULL.
 *
 * Markdown: "| a | b |" lines, the header (each column's head in lower
 * case: one column list serves both), then "|---|--:|" (the column's
 * md_align: left, right), then the rows; a cell's text is escaped with
 * ds_buf_md_escape() and its line breaks become spaces, so no cell can
 * break the table or add markup.  A cell may instead be code (in
 * backquotes; a backquote in it becomes ', a '|' is escaped) or bold
 * (escaped text between "**").  Widths, gaps and the indent do not
 * apply.
 *
 * Errors are sticky, as ds_buf's: a failed add (out of memory) makes
 * every later call return the same code, so a caller may add freely and
 * check the rendering's result once.
 *
 * Memory: the table copies every cell's text and owns the copies
 * (ds_table_free); the columns are borrowed and must outlive the table.
 */
#ifndef DS_TABLE_H
#define DS_TABLE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

enum ds_table_align { DS_TABLE_LEFT, DS_TABLE_RIGHT };

/* How a cell reads in Markdown (text output shows only its text). */
enum ds_table_style {
	DS_CELL_TEXT,     /* escaped */
	DS_CELL_CODE,     /* in backquotes */
	DS_CELL_BOLD      /* escaped, between "**" */
};

struct ds_table_col {
	const char *head;            /* NULL: none */
	enum ds_table_align align;
	size_t min;                  /* the narrowest the column may be */
	size_t gap;                  /* spaces after it (not the last) */
	enum ds_table_align md_align;   /* in Markdown */
	int md_only;                 /* 1: a Markdown column, not in text */
};

struct ds_table_cell {
	char *text;                  /* owned */
	enum ds_table_style style;
};

struct ds_table {
	const struct ds_table_col *cols;   /* borrowed */
	size_t ncols;
	size_t indent;                     /* spaces before each text line */
	struct ds_table_cell *cells;       /* row after row; owned */
	size_t n, cap;
	enum ds_code error;                /* sticky */
};

/* An empty table of ncols columns (cols borrowed), no indent. */
void ds_table_init(struct ds_table *t, const struct ds_table_col *cols,
		   size_t ncols);

/* Add the next cell (copied); NULL reads as "". */
enum ds_code ds_table_add(struct ds_table *t, const char *text);

/* Add the next cell with its Markdown style. */
enum ds_code ds_table_add_styled(struct ds_table *t, const char *text,
				 enum ds_table_style style);

/* Add the next cell, printf-formatted. */
enum ds_code ds_table_addf(struct ds_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The number of whole rows added. */
size_t ds_table_rows(const struct ds_table *t);

/*
 * Append the text table.  Every line ends in "\n" but, when
 * last_newline is 0, the last.  DS_E_ARG when a row is not whole.
 */
enum ds_code ds_table_text(struct ds_buf *out, const struct ds_table *t,
			   int last_newline);

/* Append the Markdown table (every line ends in "\n"; DS_E_ARG when a
 * header is NULL or a row is not whole). */
enum ds_code ds_table_markdown(struct ds_buf *out, const struct ds_table *t);

/* Release the cells; the table is empty again (its columns kept). */
void ds_table_free(struct ds_table *t);

#endif
