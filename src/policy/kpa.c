/*
 * kpa.c — the kpa policy: Knative's Pod Autoscaler, its settings table and
 * how a pool looks to the decider. The decisions are kpa_decider.c's,
 * unchanged.
 *
 * Every tick_s (default 2 s) the observed value is the pool's demand
 * (tokens/hour, Knative's "concurrency" of the whole revision) averaged over
 * the stable window and over the panic window (samples of the ticks in the
 * window, fewer at the start); the target per pod is tph *
 * target_utilization_pct/100; ready pods are the ready replicas. The
 * decision is clamped to [min, max] (min-scale/max-scale), and a decision
 * of 0 takes effect only after scale_to_zero_grace_s of zeros.
 */
#include "policy/kpa.h"
#include "policy/kpa_decider.h"
#include "policy/registry.h"
#include "sim/kernel.h"
#include "util/keys.h"
#include "util/limits.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- settings */

#define K(f) offsetof(ts_kpa_config, f)
static const ts_key kpa_keys[] = {
    {.name = "tick_s", .type = TS_KEY_INT, .offset = K(tick_s), TS_FROM_TO(1, 60), .def = 2,
     .noun = TS_NOUN_INT_SECONDS, .doc = "the autoscaler's tick, the simulation step"},
    {.name = "stable_window_s", .type = TS_KEY_NUM, .offset = K(stable_window_s), TS_FROM_TO(6, 3600), .def = 60,
     .noun = TS_NOUN_SECONDS, .doc = "stable window"},
    {.name = "panic_window_pct", .type = TS_KEY_NUM, .offset = K(panic_window_pct), TS_FROM_TO(1, 100), .def = 10,
     .doc = "panic window as a share of the stable window"},
    {.name = "panic_threshold_pct", .type = TS_KEY_NUM, .offset = K(panic_threshold_pct), TS_FROM_TO(110, 1000),
     .def = 200, .doc = "panic when the panic-window demand needs this share of the ready pods"},
    {.name = "max_scale_up_rate", .type = TS_KEY_NUM, .offset = K(max_scale_up_rate), TS_ABOVE_TO(1, 1e6),
     .def = 1000, .doc = "per decision: at most ceil(rate × ready) up"},
    {.name = "max_scale_down_rate", .type = TS_KEY_NUM, .offset = K(max_scale_down_rate), TS_ABOVE_TO(1, 1e6),
     .def = 2, .doc = "per decision: down to floor(ready / rate)"},
    {.name = "activation_scale", .type = TS_KEY_INT, .offset = K(activation_scale), TS_FROM_TO(1, 1e6), .def = 1,
     .doc = "the least count when scaling from zero"},
    {.name = "scale_down_delay_s", .type = TS_KEY_NUM, .offset = K(scale_down_delay_s), TS_FROM_TO(0, 3600),
     .def = 0, .noun = TS_NOUN_SECONDS, .doc = "decisions are the maximum over this window (2 s buckets)"},
    {.name = "scale_to_zero_grace_s", .type = TS_KEY_NUM, .offset = K(scale_to_zero_grace_s), TS_FROM_TO(0, 3600),
     .def = 30, .noun = TS_NOUN_SECONDS, .doc = "zeros needed before the last replica goes"},
};
#undef K

/* The demand history covers the stable window. */
static int kpa_check(const void *obj, const char *section, char *msg, size_t size)
{
    const ts_kpa_config *k = obj;
    if (k->stable_window_s / (double)k->tick_s <= TS_MAX_PERIODS_PER_WINDOW)
        return 0;
    snprintf(msg, size, "%s.stable_window_s spans more than %d ticks (expected a longer tick_s)", section,
             TS_MAX_PERIODS_PER_WINDOW);
    return 1;
}

const ts_kpa_config *ts_kpa_settings(const ts_policy *p)
{
    return ts_policy_settings_get(p, &ts_policy_kpa);
}

ts_kpa_config *ts_kpa_settings_mut(ts_policy *p)
{
    return ts_policy_settings_of(p, &ts_policy_kpa);
}

/* ------------------------------------------------------------- the pool */

typedef struct kpa_state {
    ts_kpa_spec spec;
    ts_kpa_state dec;
    int stable_n, panic_n;     /* window lengths in ticks */
    int head, filled;
    int run;                   /* trailing samples equal to the last one */
    int stable_cached, panic_cached;
    double stable_mean, panic_mean;
    int zero_pending;
    double zero_since;
    double sample[TS_KPA_HISTORY];
} kpa_state;

static int64_t kpa_interval(const ts_policy *p)
{
    return ts_kpa_settings(p)->tick_s;
}

void ts_kpa_spec_of(const ts_policy *p, double tph, ts_kpa_spec *spec, int *stable_n, int *panic_n)
{
    const ts_kpa_config *k = ts_kpa_settings(p);
    memset(spec, 0, sizeof *spec);
    spec->target = tph * p->target_utilization_pct / 100.0;
    spec->panic_threshold = k->panic_threshold_pct / 100.0;
    spec->max_scale_up_rate = k->max_scale_up_rate;
    spec->max_scale_down_rate = k->max_scale_down_rate;
    spec->stable_window_s = k->stable_window_s;
    spec->reachable = 1;
    spec->activation_scale = (int32_t)k->activation_scale;
    spec->scale_down_delay_s = k->scale_down_delay_s;
    *stable_n = (int)ceil(k->stable_window_s / (double)k->tick_s);
    *panic_n = (int)ceil(k->stable_window_s * k->panic_window_pct / 100.0 / (double)k->tick_s);
    if (*stable_n < 1)
        *stable_n = 1;
    if (*panic_n < 1)
        *panic_n = 1;
}

static void kpa_init(void *state, const ts_policy *p, double tph)
{
    kpa_state *s = state;
    memset(s, 0, sizeof *s);
    ts_kpa_spec_of(p, tph, &s->spec, &s->stable_n, &s->panic_n);
    /* created before the pool's endpoints exist, as for a new revision */
    (void)ts_kpa_init(&s->dec, &s->spec, 0, 0.0); /* TS_OK: the settings bound the delay's buckets */
}

/* The mean of the last n samples (fewer while the window fills), summed
 * newest first. While the window holds one value only, the sum and so the
 * mean are the same at every step: computed once and kept (*cached). */
static double window_mean(kpa_state *s, int n, int *cached, double *mean)
{
    int m = n < s->filled ? n : s->filled;
    if (m == n && s->run >= n && *cached)
        return *mean;
    double sum = 0.0;
    for (int i = 1; i <= m; i++)
        sum += s->sample[(s->head - i + TS_KPA_HISTORY) % TS_KPA_HISTORY];
    *mean = sum / (double)m;
    *cached = m == n && s->run >= n;
    return *mean;
}

static void kpa_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    kpa_state *s = state;
    const int64_t N = o->provisioned;
    out->replicas = N;
    out->util_defined = o->util_defined;
    out->util_pct = 100.0 * o->util;
    out->smoothed_defined = 0;
    out->smoothed_util_pct = 0;
    int same = s->filled > 0 && s->sample[(s->head - 1 + TS_KPA_HISTORY) % TS_KPA_HISTORY] == o->demand;
    s->run = same ? (s->run < TS_KPA_HISTORY ? s->run + 1 : s->run) : 1;
    if (!same)
        s->stable_cached = s->panic_cached = 0;
    s->sample[s->head] = o->demand;
    s->head = (s->head + 1) % TS_KPA_HISTORY;
    if (s->filled < TS_KPA_HISTORY)
        s->filled++;
    double stable = window_mean(s, s->stable_n, &s->stable_cached, &s->stable_mean);
    double panic = window_mean(s, s->panic_n, &s->panic_cached, &s->panic_mean);
    int64_t desired = ts_kpa_scale(&s->dec, &s->spec, (int32_t)o->ready, stable, panic, o->t_s);
    if (desired < p->min_instances)
        desired = p->min_instances;
    if (desired > p->max_instances)
        desired = p->max_instances;
    if (desired == 0 && N > 0) {
        if (!s->zero_pending) {
            s->zero_pending = 1;
            s->zero_since = o->t_s;
        }
        if (o->t_s - s->zero_since < ts_kpa_settings(p)->scale_to_zero_grace_s)
            desired = N; /* within the grace period */
    } else {
        s->zero_pending = 0;
    }
    out->replicas = desired;
}

/* The KPA holds through repeated observations once its tick is a fixed
 * point: both windows hold this one value (their means are kept, the same
 * at every later tick), no grace towards zero is running, a panic is
 * renewed by every tick (or there is none: one that is ending ends at a
 * time), and the delay window holds only this tick's value (an older,
 * larger one would slide out at a time). Then m ticks later the samples
 * end in m more copies of the value, the panic began at the last tick and
 * the delay window's one entry is the last tick's. */
static int64_t kpa_hold(void *state, const ts_policy *p, const ts_obs *o, int64_t dt, int64_t max_steps)
{
    (void)p;
    kpa_state *s = state;
    if (!s->stable_cached || !s->panic_cached || s->zero_pending)
        return 0;
    if (s->dec.panicking) {
        double ready = o->ready > 1 ? (double)o->ready : 1.0;
        if (!(ceil(s->panic_mean / s->spec.target) / ready >= s->spec.panic_threshold))
            return 0;
    }
    if (s->dec.has_delay && s->dec.delay.length != 1)
        return 0;
    const double T = o->t_s + (double)(max_steps * dt);
    for (int64_t j = max_steps > TS_KPA_HISTORY ? max_steps - TS_KPA_HISTORY : 0; j < max_steps; j++)
        s->sample[(s->head + j) % TS_KPA_HISTORY] = o->demand;
    s->head = (int)((s->head + max_steps) % TS_KPA_HISTORY);
    s->filled = s->filled + max_steps < TS_KPA_HISTORY ? (int)(s->filled + max_steps) : TS_KPA_HISTORY;
    s->run = s->run + max_steps < TS_KPA_HISTORY ? (int)(s->run + max_steps) : TS_KPA_HISTORY;
    if (s->dec.panicking)
        s->dec.panic_time = T;
    if (s->dec.has_delay)
        s->dec.delay.index[s->dec.delay.first] = (int64_t)floor(T) / TS_KPA_DELAY_BUCKET_S;
    return max_steps;
}

/* The settings section, with its check. */
static const ts_key kpa_section[] = {
    {.name = "kpa", .type = TS_KEY_SECTION, .sub = kpa_keys, .n_sub = sizeof kpa_keys / sizeof kpa_keys[0],
     .check = kpa_check, .doc = "the KPA's settings"},
};

static const ts_tune_grid_axis kpa_grid[] = {
    {"target_utilization_pct", {"50", "60", "70", "80", "90"}},
    {"kpa.stable_window_s", {"30", "60", "120"}},
    {"kpa.panic_threshold_pct", {"150", "200", "400"}},
    {"kpa.scale_down_delay_s", {"0", "60", "300"}},
};

const ts_policy_type ts_policy_kpa = {
    .name = "kpa",
    .summary = "Knative's Pod Autoscaler (KServe's serverless mode)",
    .settings = kpa_section,
    .n_settings = 1,
    .settings_size = sizeof(ts_kpa_config),
    .state_size = sizeof(kpa_state),
    .interval_s = kpa_interval,
    .init = kpa_init,
    .step = kpa_step,
    .kernel = ts_kpa_kernel,
    .hold = kpa_hold,
    .tune_grid = kpa_grid,
    .n_tune_grid = sizeof kpa_grid / sizeof kpa_grid[0],
};
