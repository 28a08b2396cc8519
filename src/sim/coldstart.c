/*
 * coldstart.c — a new replica's cold start; see coldstart.h.
 */
#include "sim/coldstart.h"
#include "util/rng.h"

#include <math.h>

/* z of the 95th and the 99.99th percentile of the standard normal. */
#define Z95 1.6448536269514722
#define Z9999 3.7190164854556804

/* Draws above this many replicas per scale-up go by equal shares. */
#define MAX_DRAWS 65536

void ts_cold_start_init(ts_cold_start *cs, const ts_sim_input *in)
{
    cs->median_s = in->has_cold ? in->cold_median_s : in->policy->warmup_s;
    cs->sigma = in->has_cold ? in->cold_sigma : 0.0;
    cs->cap_s = cs->median_s;
    if (cs->sigma > 0) {
        double cap = ceil((double)cs->median_s * exp(cs->sigma * Z9999));
        cs->cap_s = cap < 1e9 ? (int64_t)cap : 1000000000;
    }
    cs->seed = in->cold_seed;
    cs->started = 0;
}

/* The cold start of draw number i: median · exp(σ·z), in whole seconds. */
static int64_t draw(const ts_cold_start *cs, int64_t i)
{
    ts_rng r;
    ts_rng_seed(&r, cs->seed ^ ((uint64_t)i * 0x9E3779B97F4A7C15ULL));
    double c = floor((double)cs->median_s * exp(cs->sigma * ts_rng_normal(&r)) + 0.5);
    return c < (double)cs->cap_s ? (int64_t)c : cs->cap_s;
}

/* Inserts count replicas ready at `at` into g, kept ordered by ready time
 * (the head readies first, the tail is taken first by a scale-down);
 * replicas ready at the same time share a group. */
static void insert(ts_warm_groups *g, int64_t at, int64_t count)
{
    size_t i = g->len;
    while (i > 0 && g->at[(g->head + i - 1) % g->cap] > at)
        i--;
    if (i > 0 && g->at[(g->head + i - 1) % g->cap] == at) {
        g->n[(g->head + i - 1) % g->cap] += count;
        return;
    }
    for (size_t j = g->len; j > i; j--) {
        size_t to = (g->head + j) % g->cap, from = (g->head + j - 1) % g->cap;
        g->at[to] = g->at[from];
        g->n[to] = g->n[from];
    }
    g->at[(g->head + i) % g->cap] = at;
    g->n[(g->head + i) % g->cap] = count;
    g->len++;
}

void ts_cold_start_add_spread(ts_cold_start *cs, ts_warm_groups *g, int64_t t, int64_t dt, int64_t count,
                              int64_t *first, int64_t *last)
{
    int64_t draws = count < MAX_DRAWS ? count : MAX_DRAWS;
    *first = INT64_MAX;
    *last = 0;
    for (int64_t j = 0; j < draws; j++) {
        int64_t n = count / draws + (j < count % draws ? 1 : 0);
        int64_t ready = t + draw(cs, cs->started++);
        int64_t at = (ready + dt - 1) / dt * dt; /* the step it joins at */
        insert(g, at, n);
        *first = at < *first ? at : *first;
        *last = at > *last ? at : *last;
    }
}

void ts_sim_input_cold_start(ts_sim_input *in, int has_weights, double weights_gb, uint64_t seed)
{
    const ts_policy *p = in->policy;
    int formula = p->has_weights_load && has_weights;
    int spread = p->has_warmup_p95_factor && p->warmup_p95_factor > 1;
    if (!formula && !spread)
        return;
    in->has_cold = 1;
    in->cold_median_s = p->warmup_s;
    if (formula) {
        double s = (double)p->container_start_s + weights_gb / (p->weights_load_gb_per_s * (double)in->gpu_count);
        in->cold_median_s = s < 1e9 ? (int64_t)ceil(s) : 1000000000;
    }
    in->cold_sigma = spread ? log(p->warmup_p95_factor) / 1.6448536269514722 : 0.0;
    in->cold_seed = seed;
}
