/*
 * columns.c — CSV files as tables of columns; see columns.h.
 */
#include "report/columns.h"
#include "util/strbuf.h"

void ts_cols_header(const ts_col *cols, size_t n, ts_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            ts_buf_putc(b, ',');
        ts_buf_puts(b, cols[i].name);
    }
}

void ts_cols_cells(const ts_col *cols, size_t n, const void *row, ts_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            ts_buf_putc(b, ',');
        cols[i].cell(b, row);
    }
}
