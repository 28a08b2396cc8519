/*
 * trace_json.h — the JSON trace formats: JSON Lines request logs (any, by
 * field names; Mooncake's preset) and Prometheus query_range results.
 * Declared for trace.c, which reads the file and dispatches.
 */
#ifndef TS_IMPORT_TRACE_JSON_H
#define TS_IMPORT_TRACE_JSON_H

#include "tapscale_io.h"

ts_status ts_trace_jsonl(const char *path, const char *data, size_t len, const ts_trace_options *o, ts_buf *out,
                         ts_diags *d);
ts_status ts_trace_prometheus(const char *path, const char *data, size_t len, const ts_trace_options *o, ts_buf *out,
                              ts_diags *d);

/* Shared with trace.c: the tokens --tokens counts; a time field's value in
 * whole seconds since the epoch (by o's unit and start; the fraction of a
 * second left out, as buckets are whole seconds). ts_trace_time returns
 * TS_OK, or TS_EINPUT when s is not such a time. */
double ts_trace_pick(ts_token_kind k, double input, double output);
/* A warning in d when a generic request log (csv, jsonl) read numbers as
 * times since the epoch without --start and its requests begin before
 * 1973: offsets from the trace's start, most likely, landed on 1970. */
struct ts_buckets;
void ts_trace_warn_epoch(const ts_trace_options *o, const struct ts_buckets *b, const char *path, ts_diags *d);
ts_status ts_trace_time(const ts_trace_options *o, const char *s, int64_t *t);

/* The errors of a file's rows, one per distinct problem: a problem is its
 * message without the values in quotes (`input_length is "x" (...)` and
 * `input_length is "y" (...)` are one), reported at its first row; the
 * rows with it later are counted, and said once at the end. */
typedef struct ts_row_errors {
    struct {
        char key[200];
        int line;
        size_t more;
    } kind[TS_TRACE_MAX_ERRORS];
    size_t n_kinds;
} ts_row_errors;

/* Whether msg at line is the first of its problem (the caller reports
 * it; every one is, past TS_TRACE_MAX_ERRORS problems), else counts it. */
bool ts_row_errors_first(ts_row_errors *e, const char *msg, int line);
/* One error in d per problem seen more than once: how many more rows. */
void ts_row_errors_report(const ts_row_errors *e, const char *path, ts_diags *d);

#endif
