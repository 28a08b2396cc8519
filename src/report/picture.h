/*
 * picture.h — a pool's steps summed up per time bucket: what the report
 * draws and the rollup file lists. Buckets are fixed spans of wall-clock
 * time [origin + b·width, origin + (b+1)·width); a step belongs to the bucket
 * its start falls in. Per bucket the envelope (min and max, so that a burst
 * of one step is never hidden by the bucket around it), the mean demand,
 * the violations, the unserved tokens, the replica time and the actions.
 * Fed by the spans of ts_simulate_replay, so its cost is the number of
 * changes plus the number of buckets, not the number of steps.
 */
#ifndef TS_REPORT_PICTURE_H
#define TS_REPORT_PICTURE_H

#include "tapscale.h"

typedef struct ts_bucket {
    int64_t steps;            /* steps in the bucket (0: none, the rest is meaningless) */
    double d_min, d_max;      /* demand, tokens/hour */
    double d_sum;             /* Σ demand over its steps (mean = d_sum / steps) */
    int64_t r_min, r_max;     /* ready replicas */
    int64_t n_min, n_max;     /* provisioned replicas (ready and warming) */
    int64_t viol_steps;       /* steps with demand above capacity */
    double unserved;          /* tokens, Σ (d − C)·Δ/3600 over those steps */
    int64_t replica_steps;    /* Σ provisioned over its steps (replica time, in steps) */
    int64_t ups, downs;       /* scale-ups and scale-downs */
} ts_bucket;

/* Utilization of the steps in whole percent: bins 0..TS_UTIL_BINS-1, the
 * last one holding everything at or above it. */
#define TS_UTIL_BINS 301

typedef struct ts_picture {
    int64_t start;            /* unix s of step 0 */
    int64_t dt;               /* the step, s */
    int64_t steps;            /* K */
    int64_t origin, width;    /* the buckets' grid, unix s */
    int64_t per_bucket;       /* steps per bucket when the grid starts at step 0 and width is whole steps, else 0 */
    ts_bucket *b;             /* n buckets, owned */
    size_t n;
    int64_t util[TS_UTIL_BINS]; /* steps per utilization bin (capacity > 0) */
    int64_t util_undefined;   /* steps without capacity */
    int want_util;            /* count util[] (1) or not (0) */
} ts_picture;

/* Prepares p for a pool of steps steps of dt seconds from start, with
 * buckets of width seconds from origin (origin <= start). Returns TS_OK or
 * TS_ENOMEM (p then owns nothing). */
ts_status ts_picture_init(ts_picture *p, int64_t start, int64_t dt, int64_t steps, int64_t origin, int64_t width);
/* The grid that cuts steps of dt into at most max buckets, each a whole
 * number of steps, from start: its width in seconds. */
int64_t ts_picture_width(int64_t dt, int64_t steps, size_t max);
/* Adds a span (a ts_span_fn; ctx is the picture). Returns 0. */
ts_status ts_picture_span(void *ctx, const ts_span *s);
/* Adds one action. */
void ts_picture_event(ts_picture *p, const ts_event *ev);
void ts_picture_free(ts_picture *p);

/* Replays si from its events and draws it into p (prepared by
 * ts_picture_init). Returns TS_OK, TS_EINPUT or TS_ENOMEM. */
ts_status ts_picture_draw(ts_picture *p, const ts_sim_input *si, const ts_event *ev, size_t n);

#endif
