/*
 * csvread.h — CSV records with the line and column of every field.
 *
 * Parsing is libcsv's (RFC 4180: quoted fields with commas, doubled quotes,
 * newlines in quotes; blank lines skipped; spaces around unquoted fields
 * trimmed). libcsv's callbacks carry no positions, so the bytes are fed one
 * at a time and each field is stamped with the 1-based line and column
 * (in bytes) where it starts; lines without quotes are split directly. A
 * UTF-8 byte order mark is skipped. The text may come whole or in pieces
 * (ts_csv_stream_*), with the same records either way.
 */
#ifndef TS_UTIL_CSVREAD_H
#define TS_UTIL_CSVREAD_H

#include <stddef.h>

typedef struct ts_csv_row {
    size_t n;          /* number of fields */
    char **field;      /* NUL-terminated; valid during the callback only */
    const int *line;   /* start line of each field */
    const int *col;    /* start column of each field */
} ts_csv_row;

/* Called once per record (the header included) in file order; a non-zero
 * return stops parsing. */
typedef int (*ts_csv_row_fn)(void *ctx, const ts_csv_row *row);

/* The longest field: 1 MiB. */
#define TS_CSV_MAX_FIELD_BYTES ((size_t)1 << 20)

/* Returns 0; 1 when the callback stopped it; -1 on a syntax error (a stray
 * quote) or -3 at a field over TS_CSV_MAX_FIELD_BYTES, with err_line and
 * err_col set (for -3: where the field starts); -2 on allocation failure. */
int ts_csv_parse(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, int *err_line,
                 int *err_col);

/* The same through libcsv for every line (ts_csv_parse splits plain lines
 * itself, five times as fast): the reference its tests compare with. */
int ts_csv_parse_libcsv(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, int *err_line,
                        int *err_col);

/* A plain line [s, e) at a record boundary (no '\n'; it may hold
 * anything else), offered before it is split: returns 1 when it took the
 * line (as a record with every field on that line), 0 to leave it to the
 * splitter, -1 to take it and stop. */
typedef int (*ts_csv_line_fn)(void *ctx, const char *s, const char *e, int line);

/* The same parse over text given piece by piece (pieces may end anywhere,
 * a line is parsed once it is complete): new, feed each piece in order,
 * finish. */
typedef struct ts_csv_stream ts_csv_stream;

/* Returns a stream calling fn for records (and line_fn, when not NULL, for
 * plain lines first), or NULL when out of memory. finish frees it. */
ts_csv_stream *ts_csv_stream_new(ts_csv_row_fn fn, ts_csv_line_fn line_fn, void *ctx);
/* Parses the complete lines of the text fed so far. Returns 0 to go on,
 * 1 when the parse is over (a stop, an error or out of memory: finish
 * says which). */
int ts_csv_stream_feed(ts_csv_stream *st, const char *data, size_t len);
/* Parses the last line (without a '\n'), ends the parse and frees st.
 * Returns as ts_csv_parse. */
int ts_csv_stream_finish(ts_csv_stream *st, int *err_line, int *err_col);

struct ts_diags;
/* Says a failed parse of the file path in d: a stray quote (-1) or a long
 * field (-3) at err_line:err_col, out of memory (-2) as d->oom. Returns
 * rc, so callers go on with `else if`. */
int ts_csv_report(int rc, const char *path, int err_line, int err_col, struct ts_diags *d);

/* Index of header field name in row, or -1. */
int ts_csv_find(const ts_csv_row *header, const char *name);

#endif
