/*
 * kpa_decider.h — the decider of Knative's Pod Autoscaler (KPA), computed as
 * knative/serving pkg/autoscaler/scaling/autoscaler.go computes Scale():
 * stable and panic windows, the panic threshold, entering and leaving panic
 * mode (no scale-down while panicking), the max scale-up and scale-down
 * rates, the activation scale and the scale-down delay (a maximum over a
 * sliding time window of 2 s buckets, pkg/autoscaler/aggregation/max).
 *
 * Pure: the decider's state is a caller-owned struct; time is an argument.
 */
#ifndef TS_POLICY_KPA_DECIDER_H
#define TS_POLICY_KPA_DECIDER_H

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
 * maxPanicPods = ready_pods. Returns -1 when the delay needs more buckets
 * than TS_KPA_DELAY_MAX_BUCKETS. */
int ts_kpa_init(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double now);

/* Scale(): the desired pod count for the observed stable and panic values
 * (total over the revision, averaged over each window). */
int32_t ts_kpa_scale(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double stable, double panic,
                     double now);

#endif
