/*
 * columns.h — a CSV file as a table of columns: each column its header
 * name and the function that writes its cell of a row; the writer puts
 * the header, the separators and the line ends. A file whose rows join
 * two tables (the pool's key, then the KPIs) writes their cells in turn.
 */
#ifndef TS_REPORT_COLUMNS_H
#define TS_REPORT_COLUMNS_H

#include "tapscale.h"

#include <stddef.h>

typedef struct ts_col {
    const char *name;
    void (*cell)(ts_buf *b, const void *row); /* appends the cell, without separator */
} ts_col;

/* The column names of cols, comma-separated, no line end. */
void ts_cols_header(const ts_col *cols, size_t n, ts_buf *b);
/* The cells of row, comma-separated, no line end. */
void ts_cols_cells(const ts_col *cols, size_t n, const void *row, ts_buf *b);

#define TS_COLS(cols) (cols), (sizeof(cols) / sizeof((cols)[0]))

#endif
