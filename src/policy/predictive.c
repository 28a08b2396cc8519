/*
 * predictive.c — the predictive policy: forecast the demand from what the
 * pool has seen, launch capacity for it one cold start ahead, and take the
 * larger of that and a reactive policy's count (AWS's "forecast and scale";
 * "forecast only" reports the forecast without acting on it).
 *
 * The forecast is the seasonal mean of the same hour of the week:
 *   F(τ) = mean over j = 1..W, with hour h(τ) − 168·j already complete,
 *          of H(h(τ) − 168·j),
 * where h(τ) is the hour (from the pool's start) that time τ falls in, H(h)
 * the mean demand observed during hour h, and W = history_weeks. Only
 * complete hours of the past enter it, and the policy sees demand only as
 * the simulator hands it over step by step: it cannot look ahead.
 *
 * At time t the forecast count is the replicas that serve the largest
 * forecast over [t, t + lead + Δ] at the target utilization,
 * ceil(F / (tph · target/100)), clamped to [min, max]; replicas started
 * now serve from t + warm-up on, so lead defaults to warmup_s. In forecast
 * and scale mode the pool runs the larger of that and the reactive policy's
 * count (threshold or hpa, with their own settings); in forecast only mode,
 * the reactive count.
 *
 * The forecast's error: for every hour that completes with a forecast and
 * a mean demand above 0, |H − F| / H; their mean in % is the MAPE
 * (ts_kpis.forecast_mape_pct), and Σ|H − F| / ΣH in % the WAPE, which
 * quiet hours do not blow up.
 */
#include "policy/predictive.h"
#include "policy/hpa.h"
#include "policy/registry.h"
#include "policy/threshold.h"
#include "util/intmath.h"
#include "util/keys.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define WEEK_HOURS 168
#define HISTORY (TS_PREDICTIVE_MAX_WEEKS * WEEK_HOURS)

/* ------------------------------------------------------------- settings */

static const char *const mode_names[] = {"forecast_and_scale", "forecast_only", NULL};
static const char *const reactive_names[] = {"threshold", "hpa", NULL};

#define Q(f) offsetof(ts_predictive_config, f)
static const ts_key predictive_keys[] = {
    {.name = "mode", .type = TS_KEY_ENUM, .offset = Q(mode), .names = mode_names, .def = 0,
     .doc = "act on the forecast (the larger count), or only report it"},
    {.name = "reactive", .type = TS_KEY_ENUM, .offset = Q(reactive), .names = reactive_names, .def = 0,
     .doc = "the reactive policy beside the forecast, with its own settings"},
    {.name = "history_weeks", .type = TS_KEY_INT, .offset = Q(history_weeks), TS_FROM_TO(1, TS_PREDICTIVE_MAX_WEEKS),
     .def = 2, .doc = "weeks of the same hour averaged into the forecast"},
    {.name = "lead_s", .type = TS_KEY_INT, .offset = Q(lead_s), .present = TS_PRESENT(Q(has_lead_s)),
     TS_FROM_TO(0, 86400), .noun = TS_NOUN_INT_SECONDS, .doc = "launch this far ahead of the forecast (default: warmup_s)"},
};
#undef Q

static const ts_key predictive_section[] = {
    {.name = "predictive", .type = TS_KEY_SECTION, .sub = predictive_keys,
     .n_sub = sizeof predictive_keys / sizeof predictive_keys[0], .doc = "the predictive policy's settings"},
};

const ts_predictive_config *ts_predictive_settings(const ts_policy *p)
{
    return ts_policy_settings_get(p, &ts_policy_predictive);
}

ts_predictive_config *ts_predictive_settings_mut(ts_policy *p)
{
    return ts_policy_settings_of(p, &ts_policy_predictive);
}

/* ------------------------------------------------------------- the pool */

typedef struct predictive_state {
    const ts_policy_type *reactive;
    double tph;
    int64_t hour;             /* the hour being observed (from the start), or -1 */
    double hour_sum;          /* Σ demand × step seconds during it */
    double hour_s;            /* seconds observed of it */
    double mean[HISTORY];     /* H of hour h at mean[h % HISTORY] */
    unsigned char has[HISTORY];
    int64_t complete;         /* hours complete: 0 .. complete − 1 */
    double ape_sum;           /* Σ |H − F| / H over hours with a forecast */
    double abs_err;           /* Σ |H − F| over them */
    double actual;            /* Σ H over them */
    int64_t ape_n;
    /* the last forecast count and what it was computed from: it changes
     * only when the hours looked at or the hours complete do */
    int64_t cache_h0, cache_h1, cache_complete, cache_count;
    _Alignas(max_align_t) unsigned char reactive_state[TS_PREDICTIVE_REACTIVE_BYTES];
} predictive_state;

_Static_assert(sizeof(ts_threshold_state) <= TS_PREDICTIVE_REACTIVE_BYTES, "threshold state too large");

static const ts_policy_type *reactive_of(const ts_policy *p)
{
    return ts_predictive_settings(p)->reactive == TS_REACTIVE_HPA ? &ts_policy_hpa : &ts_policy_threshold;
}

static int64_t predictive_interval(const ts_policy *p)
{
    return reactive_of(p)->interval_s(p);
}

static void predictive_init(void *state, const ts_policy *p, double tph)
{
    predictive_state *s = state;
    memset(s, 0, offsetof(predictive_state, reactive_state));
    s->reactive = reactive_of(p);
    s->tph = tph;
    s->hour = -1;
    s->cache_complete = -1;
    s->reactive->init(s->reactive_state, p, tph);
}

/* F of hour h from complete hours only; 0 when no week of it is known. */
static int forecast(const predictive_state *s, int64_t h, int64_t weeks, double *f)
{
    double sum = 0;
    int n = 0;
    for (int64_t j = 1; j <= weeks; j++) {
        int64_t past = h - WEEK_HOURS * j;
        if (past < 0 || past >= s->complete || s->complete - past > HISTORY)
            continue;
        if (s->has[past % HISTORY]) {
            sum += s->mean[past % HISTORY];
            n++;
        }
    }
    if (n)
        *f = sum / n;
    return n > 0;
}

/* Closes hour s->hour: its mean, and its forecast's error. */
static void close_hour(predictive_state *s, int64_t weeks)
{
    double H = s->hour_s > 0 ? s->hour_sum / s->hour_s : 0;
    double F;
    if (H > 0 && forecast(s, s->hour, weeks, &F)) {
        s->ape_sum += fabs(H - F) / H;
        s->abs_err += fabs(H - F);
        s->actual += H;
        s->ape_n++;
    }
    for (int64_t h = s->complete; h < s->hour; h++)
        s->has[h % HISTORY] = 0; /* hours no step fell in */
    s->mean[s->hour % HISTORY] = H;
    s->has[s->hour % HISTORY] = 1;
    s->complete = s->hour + 1;
}

/* Adds the demand of the step at o->t_s (lasting dt) to its hour. */
static void observe(predictive_state *s, const ts_obs *o, int64_t dt, int64_t weeks)
{
    int64_t h = (int64_t)(o->t_s / 3600.0);
    if (h != s->hour) {
        if (s->hour >= 0)
            close_hour(s, weeks);
        s->hour = h;
        s->hour_sum = 0;
        s->hour_s = 0;
    }
    s->hour_sum += o->demand * (double)dt;
    s->hour_s += (double)dt;
}

/* The replicas the forecast asks for over [t, t + lead + dt], or -1;
 * computed again only when its hours or the complete hours change. */
static int64_t forecast_count(predictive_state *s, const ts_policy *p, double t, int64_t lead, int64_t dt,
                              int64_t weeks)
{
    int64_t h0 = (int64_t)(t / 3600.0), h1 = (int64_t)((t + (double)(lead + dt)) / 3600.0);
    if (h0 == s->cache_h0 && h1 == s->cache_h1 && s->complete == s->cache_complete)
        return s->cache_count;
    double peak = -1, f;
    for (int64_t h = h0; h <= h1; h++)
        if (forecast(s, h, weeks, &f) && f > peak)
            peak = f;
    int64_t n = -1;
    if (peak >= 0)
        n = ts_clamp_i64(ts_ceil_i64(peak / (s->tph * p->target_utilization_pct / 100.0)), p->min_instances,
                         p->max_instances);
    s->cache_h0 = h0;
    s->cache_h1 = h1;
    s->cache_complete = s->complete;
    s->cache_count = n;
    return n;
}

static void predictive_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    predictive_state *s = state;
    const ts_predictive_config *c = ts_predictive_settings(p);
    int64_t dt = s->reactive->interval_s(p);
    observe(s, o, dt, c->history_weeks);
    s->reactive->step(s->reactive_state, p, o, out);
    if (c->mode != TS_FORECAST_AND_SCALE)
        return;
    int64_t lead = c->has_lead_s ? c->lead_s : p->warmup_s;
    int64_t want = forecast_count(s, p, o->t_s, lead, dt, c->history_weeks);
    if (want > out->replicas)
        out->replicas = want;
}

static void predictive_finish(const void *state, const ts_policy *p, ts_kpis *k)
{
    (void)p;
    const predictive_state *s = state;
    k->has_forecast = 1;
    k->forecast_hours = s->ape_n;
    k->forecast_mape_pct = s->ape_n ? 100.0 * s->ape_sum / (double)s->ape_n : 0.0;
    k->forecast_wape_pct = s->ape_n ? 100.0 * s->abs_err / s->actual : 0.0;
}

static const ts_tune_grid_axis predictive_grid[] = {
    {"target_utilization_pct", {"60", "75", "90"}},
    {"scale_up_threshold_pct", {"60", "70", "80", "90"}},
    {"scale_down_threshold_pct", {"30", "40", "50"}},
    {"predictive.history_weeks", {"1", "2"}},
    {"predictive.lead_s", {"120", "300", "600"}},
};

const ts_policy_type ts_policy_predictive = {
    .name = "predictive",
    .summary = "seasonal forecast of the hour of the week, launched a warm-up ahead, with a reactive policy",
    .settings = predictive_section,
    .n_settings = 1,
    .settings_size = sizeof(ts_predictive_config),
    .state_size = sizeof(predictive_state),
    .interval_s = predictive_interval,
    .init = predictive_init,
    .step = predictive_step,
    .finish = predictive_finish,
    .tune_grid = predictive_grid,
    .n_tune_grid = sizeof predictive_grid / sizeof predictive_grid[0],
};
