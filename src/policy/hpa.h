/*
 * hpa.h — the settings of the hpa policy (autoscaling.hpa:), public for
 * tests. The policy itself is the descriptor ts_policy_hpa (registry.h).
 */
#ifndef TS_POLICY_HPA_H
#define TS_POLICY_HPA_H

#include "policy/hpa_controller.h"
#include "tapscale.h"

/* autoscaling.hpa: the controller's flags and the HPA's behavior. */
/* A vLLM metric the HPA scales on in place of the token rate (a real
 * manifest's pods metric or KEDA query): its name (TS_VLLM_*), the
 * average value per pod it targets, and the output tokens of a request
 * (to count the fluid queue's waiting tokens as requests). */
enum { TS_VLLM_WAITING = 0, TS_VLLM_KV_CACHE = 1, TS_VLLM_GPU_CACHE = 2 };
typedef struct ts_hpa_vllm {
    int name;
    double target;
    double tokens_per_request;
} ts_hpa_vllm;

typedef struct ts_hpa_config {
    int64_t sync_period_s;            /* the controller's period: the step, 15 */
    double tolerance;                 /* 0.1 */
    int64_t downscale_stabilization_s;/* 300 (legacy path and default scale-down window) */
    double scale_up_limit_factor;     /* 2 (legacy path) */
    double scale_up_limit_minimum;    /* 4 (legacy path) */
    int64_t keda_cooldown_s;          /* 300: zero demand this long -> 0 replicas */
    int has_behavior;
    struct {
        ts_hpa_rules scale_up, scale_down; /* the API's defaults filled in when absent */
    } behavior;
    int has_metric;                   /* scale on metric, not the token rate */
    ts_hpa_vllm metric;
} ts_hpa_config;

/* p's HPA settings (inside p->settings). */
const ts_hpa_config *ts_hpa_settings(const ts_policy *p);
ts_hpa_config *ts_hpa_settings_mut(ts_policy *p);

/* The metrics proposal of an HPA pool (state: the policy's state, after
 * init) with R ready of N provisioned replicas at demand tokens/hour, as
 * its step computes it: kept while R, N and demand hold. Returns 1 and
 * sets *proposal (when not NULL), or 0 when the metrics give none. */
int ts_hpa_pool_proposal(void *state, int64_t R, int64_t N, double demand, double now, int32_t *proposal);
/* The proposals for n demand values at the same counts, computed side by
 * side (none waits on the one before), without the cache: have[i] is the
 * return value of ts_hpa_pool_proposal for demand[i], proposal[i] its
 * proposal when have[i]. */
void ts_hpa_pool_proposals(void *state, int64_t R, int64_t N, const double *demand, size_t n, double now,
                           int32_t *proposal, unsigned char *have);

/* The pool's scale events (behavior's rate limits read and store them):
 * lists inside state, which owns them. */
void ts_hpa_pool_events(void *state, ts_hpa_events **up, ts_hpa_events **down);

/* The HPA's kernel (hpa_fast.c): the plain loop's result, bit for bit. On
 * demand whose value moves within a few stabilization windows, a step loop
 * with the stabilization windows as sliding extrema over the syncs;
 * otherwise ts_simulate_held. Returns what ts_simulate_autoscaler
 * returns. */
ts_status ts_hpa_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                        ts_kpis *out);

#endif
