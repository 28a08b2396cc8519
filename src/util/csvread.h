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

#include "tapscale.h"

#include <stddef.h>

typedef struct ts_csv_row {
    size_t n;          /* number of fields */
    char **field;      /* NUL-terminated; valid during the callback only */
    const int *line;   /* start line of each field */
    const int *col;    /* start column of each field */
} ts_csv_row;

/* Called once per record (the header included) in file order: TS_OK goes
 * on; any other status stops the parse, which returns it. */
typedef ts_status (*ts_csv_row_fn)(void *ctx, const ts_csv_row *row);

/* What made a parse fail, and where (for a long field: where it starts). */
typedef enum ts_csv_problem { TS_CSV_FINE = 0, TS_CSV_STRAY_QUOTE, TS_CSV_LONG_FIELD } ts_csv_problem;
typedef struct ts_csv_error {
    ts_csv_problem problem;
    int line, col;
} ts_csv_error;

/* The longest field: 1 MiB. */
#define TS_CSV_MAX_FIELD_BYTES ((size_t)1 << 20)

/* Returns TS_OK; the status a callback stopped it with; TS_EINPUT with
 * *err saying the problem (a stray quote, a field over
 * TS_CSV_MAX_FIELD_BYTES) and its place; TS_ENOMEM. */
ts_status ts_csv_parse(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, ts_csv_error *err);

/* The same through libcsv for every line (ts_csv_parse splits plain lines
 * itself, five times as fast): the reference its tests compare with. */
ts_status ts_csv_parse_libcsv(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, ts_csv_error *err);

/* A plain line [s, e) at a record boundary (no '\n'; it may hold
 * anything else), offered before it is split: sets *took to 1 when it
 * took the line (as a record with every field on that line), to 0 to
 * leave it to the splitter. Returns TS_OK, or a status that stops the
 * parse (which then ends in it, as a row callback's). */
typedef ts_status (*ts_csv_line_fn)(void *ctx, const char *s, const char *e, int line, int *took);

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
ts_status ts_csv_stream_finish(ts_csv_stream *st, ts_csv_error *err);

struct ts_diags;
/* Says a failed parse (st, err) of the file path in d: its problem at its
 * place, out of memory as d->oom. Returns TS_EINPUT or TS_ENOMEM for
 * those; TS_OK when the text was parsed (a callback that stopped it has
 * said why itself). */
ts_status ts_csv_report(ts_status st, const ts_csv_error *err, const char *path, struct ts_diags *d);

/* Index of header field name in row, or TS_NOT_FOUND. */
int ts_csv_find(const ts_csv_row *header, const char *name);
/* For a missing column name: "did you mean F? " when a header field F is
 * a letter or two away (case aside, by edit distance, as keys are), else
 * "", into buf. */
void ts_csv_hint(const ts_csv_row *header, const char *name, char *buf, size_t size);

#endif
