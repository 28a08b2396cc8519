/*
 * coldstart.h — how long a new replica takes to be ready: its cold start.
 * Without a spread every replica takes the pool's median (warmup_s, or the
 * formula of the model's weights: ts_plan_sim_input), and a scale-up is one
 * warming group, ready at t + median, exactly as §5 has it. With a spread
 * (autoscaling.warmup_p95_factor) each replica draws its own cold start
 * from a log-normal with that median, c = median · exp(σ·z), σ = ln(factor)
 * / 1.6449 (so the p95 is median × factor), cut at its 99.99th percentile;
 * replica number i of the pool draws z from a stream seeded by the pool's
 * seed and i, so the draws depend on the order replicas start and nothing
 * else: a replay of the events draws the same. A drawn replica joins the
 * ready count at the first step at or after t + c, so its ready time is
 * put on the step grid and replicas ready at the same step share a group.
 * The step order and the rule that a scale-down takes the latest-ready
 * warming replicas first stay as they are (replicas.h).
 */
#ifndef TS_SIM_COLDSTART_H
#define TS_SIM_COLDSTART_H

#include "tapscale.h"
#include "sim/replicas.h"

typedef struct ts_cold_start {
    int64_t median_s;
    double sigma;             /* 0: every replica takes median_s */
    int64_t cap_s;            /* the longest cold start (the 99.99th percentile) */
    uint64_t seed;
    int64_t started;          /* replicas drawn so far: the stream's position */
} ts_cold_start;

/* Sets in's cold start (has_cold, cold_median_s, cold_sigma, cold_seed)
 * from its policy and gpu_count: the median from the weights (weights_gb,
 * when has_weights and the policy has weights_load_gb_per_s) or warmup_s,
 * the spread from warmup_p95_factor, the draws from seed (the run's seed
 * xor the hash of the model id). Leaves in as it is when the policy has
 * neither. */
void ts_sim_input_cold_start(ts_sim_input *in, int has_weights, double weights_gb, uint64_t seed);

/* The cold start of pool in (its policy's warmup_s without in->has_cold). */
void ts_cold_start_init(ts_cold_start *cs, const ts_sim_input *in);

/* The warming groups the pool can have at once, on a step of dt. */
static inline size_t ts_cold_start_groups(const ts_cold_start *cs, int64_t dt)
{
    return ts_warm_capacity(cs->cap_s, dt);
}

/* ts_cold_start_add with a spread: each replica draws its own. */
void ts_cold_start_add_spread(ts_cold_start *cs, ts_warm_groups *g, int64_t t, int64_t dt, int64_t count,
                              int64_t *first, int64_t *last);

/* count replicas start at t (a step of the grid dt): their groups join g,
 * and *first and *last get the times the first and the last is ready.
 * Without a spread they are one group, ready at t + median (inline: the
 * step loops call this at every scale-up). */
static inline void ts_cold_start_add(ts_cold_start *cs, ts_warm_groups *g, int64_t t, int64_t dt, int64_t count,
                                     int64_t *first, int64_t *last)
{
    if (cs->sigma > 0) {
        ts_cold_start_add_spread(cs, g, t, dt, count, first, last);
        return;
    }
    ts_warm_add(g, t + cs->median_s, count);
    *first = *last = t + cs->median_s;
}

#endif
