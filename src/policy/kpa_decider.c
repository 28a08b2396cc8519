/*
 * kpa_decider.c — Knative's KPA decider; see kpa_decider.h.
 */
#include "policy/kpa_decider.h"

#include <math.h>
#include <string.h>

#define TICK_S TS_KPA_DELAY_BUCKET_S

ts_status ts_kpa_init(ts_kpa_state *s, const ts_kpa_spec *spec, int32_t ready_pods, double now)
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
            return TS_EINPUT;
        s->has_delay = 1;
        s->delay.size = buckets;
    }
    return TS_OK;
}

int32_t ts_kpa_delay_record(ts_kpa_delay *w, int64_t index, int32_t v)
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
    const ts_kpa_ready r = ts_kpa_ready_of(spec, ready_pods);
    const double dppc = ceil(panic / spec->target);
    return ts_kpa_decide(s, spec, &r, ceil(stable / spec->target), dppc, ts_kpa_over(spec, &r, dppc), now);
}
