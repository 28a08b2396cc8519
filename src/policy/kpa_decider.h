/*
 * kpa_decider.h — the decider of Knative's Pod Autoscaler (KPA), computed as
 * knative/serving pkg/autoscaler/scaling/autoscaler.go computes Scale():
 * stable and panic windows, the panic threshold, entering and leaving panic
 * mode (no scale-down while panicking), the max scale-up and scale-down
 * rates, the activation scale and the scale-down delay (a maximum over a
 * sliding time window of 2 s buckets, pkg/autoscaler/aggregation/max).
 *
 * Pure: the decider's state is a caller-owned struct; time is an argument.
 * The body of Scale() is inline (ts_kpa_decide) for the KPA's kernel.
 */
#ifndef TS_POLICY_KPA_DECIDER_H
#define TS_POLICY_KPA_DECIDER_H

#include "tapscale.h"
#include "util/intmath.h"

#include <math.h>
#include <stdint.h>

typedef struct ts_kpa_spec {
    double target;              /* per pod, already times the target utilization */
    double panic_threshold;     /* fraction: 2.0 = 200 % */
    double max_scale_up_rate;
    double max_scale_down_rate;
    double stable_window_s;
    int reachable;
    int32_t activation_scale;
    double scale_down_delay_s;  /* 0: none */
} ts_kpa_spec;

/* The scale-down delay window: the max of the values recorded in the last
 * ceil(delay / 2 s) buckets (ascending-minima deque). */
#define TS_KPA_DELAY_MAX_BUCKETS 4096
/* The autoscaler's tick upstream: the delay window's bucket, s. */
#define TS_KPA_DELAY_BUCKET_S 2
typedef struct ts_kpa_delay {
    int size;                   /* buckets in the window */
    int first, length;
    int64_t index[TS_KPA_DELAY_MAX_BUCKETS];
    int32_t value[TS_KPA_DELAY_MAX_BUCKETS];
} ts_kpa_delay;

typedef struct ts_kpa_state {
    int panicking;              /* panicTime is not zero */
    double panic_time;
    int32_t max_panic_pods;
    int has_delay;
    ts_kpa_delay delay;
} ts_kpa_state;

/* newAutoscaler: ready_pods > 1 starts in panic mode at now with
 * maxPanicPods = ready_pods. Returns TS_OK, or TS_EINPUT when the delay
 * needs more buckets than TS_KPA_DELAY_MAX_BUCKETS (the settings' bounds
 * exclude it). */
ts_status ts_kpa_init(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double now);

/* Scale(): the desired pod count for the observed stable and panic values
 * (total over the revision, averaged over each window). */
int32_t ts_kpa_scale(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double stable, double panic,
                     double now);

/* max.window.Record then Current: records v for bucket index and returns
 * the window's maximum. */
int32_t ts_kpa_delay_record(ts_kpa_delay *w, int64_t index, int32_t v);

/* What Scale() derives from the ready pods alone: the same while they
 * hold, so a loop computes it once per count. */
typedef struct ts_kpa_ready {
    double ready;     /* the ready pods, 1 when none */
    double max_up;    /* ceil(max_scale_up_rate * ready) */
    double max_down;  /* floor(ready / max_scale_down_rate), 0 when unreachable */
} ts_kpa_ready;

static inline ts_kpa_ready ts_kpa_ready_of(const ts_kpa_spec *spec, int32_t ready_pods)
{
    ts_kpa_ready r;
    r.ready = ready_pods > 1 ? (double)ready_pods : 1.0;
    r.max_up = ceil(spec->max_scale_up_rate * r.ready);
    r.max_down = spec->reachable ? floor(r.ready / spec->max_scale_down_rate) : 0.0;
    return r;
}

/* The pods of one window, min(max(want, max_down), max_up), as int32.
 * The operands are finite (a window's mean over a positive target, and
 * the bounds above), so comparisons give what fmin/fmax give. */
static inline int32_t ts_kpa_bounded(double want, const ts_kpa_ready *r)
{
    double v = want > r->max_down ? want : r->max_down;
    return ts_sat_i32(v < r->max_up ? v : r->max_up);
}

/* Whether the panic window's pods dppc need the panic threshold's share
 * of the ready pods: dppc / ready >= threshold. */
static inline int ts_kpa_over(const ts_kpa_spec *spec, const ts_kpa_ready *r, double dppc)
{
    return dppc / r->ready >= spec->panic_threshold;
}

/* Scale() from dspc = ceil(stable / target) and dppc = ceil(panic /
 * target), the windows' pod counts, and over = ts_kpa_over(dppc) (a loop
 * that knows the windows ahead computes them ahead, and over once per
 * dppc and ready count): the body of ts_kpa_scale, which calls it. */
static inline int32_t ts_kpa_decide(ts_kpa_state *s, const ts_kpa_spec *spec, const ts_kpa_ready *r, double dspc,
                                    double dppc, int over, double now)
{
    int32_t stable_pods = ts_kpa_bounded(dspc, r);
    int32_t panic_pods = ts_kpa_bounded(dppc, r);
    if (spec->activation_scale > 1) {
        if (dspc > 0 && spec->activation_scale > stable_pods)
            stable_pods = spec->activation_scale;
        if (dppc > 0 && spec->activation_scale > panic_pods)
            panic_pods = spec->activation_scale;
    }
    if (over) {
        s->panicking = 1; /* begin, or extend */
        s->panic_time = now;
    } else if (s->panicking && s->panic_time + spec->stable_window_s < now) {
        s->panicking = 0; /* the surge has reached the stable window */
        s->max_panic_pods = 0;
    }
    int32_t desired = stable_pods;
    if (s->panicking) {
        if (desired < panic_pods)
            desired = panic_pods;
        if (desired > s->max_panic_pods)
            s->max_panic_pods = desired;
        desired = s->max_panic_pods; /* no scale-down while panicking */
    }
    if (s->has_delay)
        desired = ts_kpa_delay_record(&s->delay, (int64_t)floor(now) / TS_KPA_DELAY_BUCKET_S, desired);
    return desired;
}

#endif
