/*
 * series.h — demand time-series files. A series file has the header
 * timestamp,model,demand_tokens_per_hour; ISO 8601 UTC timestamps in whole
 * seconds; each model's rows in strictly increasing time at one regular
 * interval (its first two rows set it). A model's series replaces its
 * profile.
 */
#ifndef TS_INPUTS_SERIES_H
#define TS_INPUTS_SERIES_H

#include "tapscale.h"

/* One model's series while its file is read. */
typedef struct ts_series_acc {
    char *model;
    size_t model_len;
    char *file;
    int line, col;          /* first row */
    double *rate;
    size_t n, cap;
    int64_t t_prev;
    int64_t tau;
    int64_t start;
    int bad;                /* an error was reported: stop checking it */
    int irregular;          /* ... an irregular interval: still watch the order, the likelier cause */
    int order_said;
} ts_series_acc;

typedef struct ts_series_set {
    ts_series_acc *s;
    size_t n, cap;
} ts_series_set;

/* Reads one series file into set (models new to the set are added; a model
 * that already has a series in another file is an error). Every problem is
 * reported in d; a model with one is marked bad. The file is read in pieces,
 * on a second thread when in->threads allows (util/chunkread.h), and its
 * rows parsed as they come; what is reported does not depend on it. A file
 * with a NUL byte adds nothing to set and only that error to d. */
void ts_series_read_file(ts_inputs *in, const char *path, ts_series_set *set, ts_diags *d);

/* Frees what set holds (not set itself). */
void ts_series_set_free(ts_series_set *set);

#endif
