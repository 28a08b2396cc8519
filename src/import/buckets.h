/*
 * buckets.h — what every trace format builds: per model, the tokens of
 * each time bucket (requests counted in buckets of interval_s seconds,
 * aligned to the epoch), then written as one series per model, from its
 * first bucket to its last, empty buckets as zero demand.
 */
#ifndef TS_IMPORT_BUCKETS_H
#define TS_IMPORT_BUCKETS_H

#include "tapscale.h"

typedef struct ts_bucket_entry {
    uint32_t model;
    int64_t bucket;
    double tokens;
} ts_bucket_entry;

typedef struct ts_buckets {
    int64_t interval_s;
    char **models;             /* names, in order of first appearance */
    size_t n_models, models_cap;
    ts_bucket_entry *e;
    size_t n, cap;
} ts_buckets;

/* Adds tokens at time t (unix seconds) for model. Returns TS_OK or
 * TS_ENOMEM. */
ts_status ts_buckets_add(ts_buckets *b, const char *model, int64_t t, double tokens);

/* Appends the rows (tokens x 3600 / interval x scale tokens/hour) to out,
 * models by id. A model spanning more than TS_TRACE_MAX_BUCKETS buckets is
 * an error in d naming the file, the span and the interval. Returns TS_OK,
 * TS_EINPUT or TS_ENOMEM. */
ts_status ts_buckets_write(ts_buckets *b, const char *file, double scale, ts_buf *out, ts_diags *d);

void ts_buckets_free(ts_buckets *b);

/* One series row. */
void ts_series_row(ts_buf *b, int64_t t, const char *model, double rate);

#endif
