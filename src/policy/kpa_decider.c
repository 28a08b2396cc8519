/*
 * kpa_decider.c — Knative's KPA decider; see kpa_decider.h.
 */
#include "policy/kpa_decider.h"

#include "util/intmath.h"

#include <math.h>
#include <string.h>

#define TICK_S TS_KPA_DELAY_BUCKET_S

int ts_kpa_init(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double now)
{
    memset(s, 0, sizeof *s);
    if (ready_pods > 1) {
        s->panicking = 1;
        s->panic_time = now;
    }
    s->max_panic_pods = ready_pods;
    if (spec->scale_down_delay_s > 0) {
        int buckets = (int)ceil(spec->scale_down_delay_s / TICK_S);
        if (buckets > TS_KPA_DELAY_MAX_BUCKETS)
            return -1;
        s->has_delay = 1;
        s->delay.size = buckets;
    }
    return 0;
}

/* max.window.Record and Current */
static int32_t delay_record(ts_kpa_delay *w, int64_t index, int32_t v)
{
    /* drop the tail values the new one dominates (larger or equal, newer) */
    while (w->length > 0 && v >= w->value[(w->first + w->length - 1) % w->size])
        w->length--;
    /* drop values that slid out of the window */
    while (w->length > 0 && index - w->index[w->first] >= w->size) {
        w->first = (w->first + 1) % w->size;
        w->length--;
    }
    int slot = (w->first + w->length) % w->size;
    w->index[slot] = index;
    w->value[slot] = v;
    w->length++;
    return w->value[w->first];
}

int32_t ts_kpa_scale(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double stable, double panic,
                     double now)
{
    double ready = ready_pods > 1 ? (double)ready_pods : 1.0; /* 1 when none */
    double max_up = ceil(spec->max_scale_up_rate * ready);
    double max_down = spec->reachable ? floor(ready / spec->max_scale_down_rate) : 0.0;
    double dspc = ceil(stable / spec->target);
    double dppc = ceil(panic / spec->target);
    int32_t stable_pods = ts_sat_i32(fmin(fmax(dspc, max_down), max_up));
    int32_t panic_pods = ts_sat_i32(fmin(fmax(dppc, max_down), max_up));
    if (spec->activation_scale > 1) {
        if (dspc > 0 && spec->activation_scale > stable_pods)
            stable_pods = spec->activation_scale;
        if (dppc > 0 && spec->activation_scale > panic_pods)
            panic_pods = spec->activation_scale;
    }
    int over = dppc / ready >= spec->panic_threshold;
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
        desired = delay_record(&s->delay, (int64_t)floor(now) / TICK_S, desired);
    return desired;
}
