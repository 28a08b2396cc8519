/*
 * ideal.c — the ideal autoscaler and the fixed fleet; see ideal.h.
 *
 * Why R = closing_L(need) is the least cost (in paid replica-steps).
 *
 * Lower bound. Take any schedule that serves every step, with R_k ready and
 * N_k paid replicas at step k. Every replica added after t = 0 is paid for
 * exactly L − 1 steps before it is ready (from the step after its action to
 * the step before it is ready), and at least Σ_{k≥1} max(0, R_k − R_{k−1})
 * replicas must be added, so
 *   Σ_k N_k ≥ Σ_k R_k + (L − 1) · Σ_{k≥1} max(0, R_k − R_{k−1}).
 * Split R into layers: layer i is the set S_i = {k : R_k ≥ i}. The right side
 * is Σ_i (|S_i| + (L − 1) · starts(S_i)), where a start is a step s ≥ 1
 * with s in S_i and s − 1 not. Each S_i contains T_i = {k : need_k ≥ i},
 * and a start at s needs an action at s − L ≥ 0. For one layer the least of
 * |S| + (L − 1)·starts(S) over sets S ⊇ T_i is found gap by gap: a gap of g
 * steps between two runs of T_i costs g if kept and L − 1 if the layer
 * stops and starts again (possible only when g ≥ L), so the least keeps
 * exactly the gaps with g ≤ L − 1; a leading gap of a steps likewise (the
 * layer is present at t = 0 for free, and a start needs a ≥ L); a trailing
 * gap is never kept. That set is the binary closing of T_i with a window of
 * L steps (a step is filled iff no window of L steps around it misses T_i),
 * with the start padded as present and the end as absent.
 *
 * Achievability. Closings of the nested sets T_1 ⊇ T_2 ⊇ ... stay nested,
 * so the layers stack into one profile, and a flat closing of a profile is
 * the stack of the closings of its layers: R = closing_L(need). A schedule
 * with R ready replicas exists: start R_0 at t = 0, add max(0, R_s − R_{s−1})
 * replicas at step s − L (s ≥ L for every start, as shown), remove
 * max(0, R_k − R_{k+1}) at step k. Its cost is the bound. ∎
 *
 * The closing is a sliding maximum over windows [s, s + L − 1] followed by a
 * sliding minimum over s ∈ [k − L + 1, k], each with a monotonic deque, in
 * one pass with a look-ahead of L − 1 steps: O(K) time, O(min(L, K))
 * memory. Demand is constant within an interval of the series, so away
 * from an interval's ends by L − 1 steps R is the interval's need: those
 * steps are added at once, and per interval only 2(L − 1) steps cost a
 * deque step (hourly demand on a 60 s grid: 2 steps of 60).
 */
#include "sim/ideal.h"
#include "sim/policy_type.h"
#include "sim/simulate.h"
#include "sim/workspace.h"

#include <math.h>
#include <stdint.h>

int64_t ts_ideal_need(double d, double tph, int64_t min, int64_t max, int *over)
{
    int64_t n = 0;
    *over = 0;
    if (d > 0) {
        double q = ceil(d / tph);
        if (!(q <= (double)max + 1.0)) {
            *over = 1;
            return max;
        }
        n = (int64_t)q;
        while (n > 0 && (double)(n - 1) * tph >= d)
            n--;
        while ((double)n * tph < d)
            n++;
    }
    if (n > max) {
        *over = 1;
        n = max;
    }
    return n < min ? min : n;
}

static int64_t lead_steps(int64_t dt, int64_t warmup_s)
{
    int64_t L = (warmup_s + dt - 1) / dt;
    return L < 1 ? 1 : L;
}

size_t ts_ideal_scratch(const ts_series *D, int64_t dt, int64_t warmup_s)
{
    int64_t K = ts_sim_steps(D, dt), L = lead_steps(dt, warmup_s);
    return 4 * (size_t)((L < K ? L : K) + 1);
}

/* A ring deque of (index, value) pairs. */
typedef struct deque {
    int64_t *idx, *val;
    size_t cap, head, len;
} deque;

static int64_t dq_front_idx(const deque *q)
{
    return q->idx[q->head];
}

static int64_t dq_front(const deque *q)
{
    return q->val[q->head];
}

/* The slot k places after the head (k <= cap), without a division. */
static size_t dq_slot(const deque *q, size_t k)
{
    size_t s = q->head + k;
    return s >= q->cap ? s - q->cap : s;
}

static int64_t dq_back(const deque *q)
{
    return q->val[dq_slot(q, q->len - 1)];
}

static void dq_push(deque *q, int64_t i, int64_t v)
{
    size_t slot = dq_slot(q, q->len);
    q->idx[slot] = i;
    q->val[slot] = v;
    q->len++;
}

static void dq_pop_front(deque *q)
{
    q->head = dq_slot(q, 1);
    q->len--;
}

void ts_ideal_compute(const ts_series *D, double tph, int64_t dt, int64_t warmup_s, int64_t min, int64_t max,
                      int64_t *scratch, ts_bounds *out)
{
    const int64_t K = ts_sim_steps(D, dt), L = lead_steps(dt, warmup_s);
    const int64_t tau = (int64_t)D->tau_s;
    const size_t cap = (size_t)((L < K ? L : K) + 1);
    deque mx = {scratch, scratch + cap, cap, 0, 0};          /* need over [s, s + L - 1]: decreasing */
    deque mn = {scratch + 2 * cap, scratch + 3 * cap, cap, 0, 0}; /* M over [k - L + 1, k]: increasing */
    int64_t next = 0;  /* the next step whose need enters the max window */
    int64_t prev = 0, sum = 0, starts = 0, peak = 0, unservable = 0;
    /* need is constant within a demand interval: computed once per interval */
    int64_t di = -1, di_end = 0, need = 0;
    int over = 0;
    int64_t ka = 0, kb_end = 0; /* the steps [ka, kb_end) of k's demand interval */
    for (int64_t k = 0; k < K; k++) {
        if (k >= kb_end && dt == tau) { /* a step per interval (minute data at Δ = 60 s): no division */
            ka = k;
            kb_end = k + 1;
        } else if (k >= kb_end) {
            int64_t kdi = (k * dt) / tau;
            ka = (kdi * tau + dt - 1) / dt;
            kb_end = ((kdi + 1) * tau + dt - 1) / dt;
            if (kb_end > K)
                kb_end = K;
        }
        /* Inside an interval, away from its ends by L - 1 steps, every
         * window holds the interval's need: R is that need. Those steps are
         * added at once and the deques set to what the loop would leave. */
        if (k >= ka + L - 1 && k + L - 1 < kb_end) {
            int kover;
            int64_t kneed = ts_ideal_need(D->rate[(k * dt) / tau], tph, min, max, &kover);
            int64_t k2 = kb_end - L + 1; /* the first step the loop does again */
            if (k > 0 && kneed > prev)
                starts += kneed - prev;
            sum += kneed * (k2 - k);
            prev = kneed;
            unservable += (int64_t)kover * (kb_end - next);
            if (kneed > peak)
                peak = kneed;
            next = kb_end;
            di_end = 0; /* the next step pushed looks its interval up */
            mx.head = mn.head = 0;
            mx.len = mn.len = 1;
            mx.idx[0] = kb_end - 1;
            mx.val[0] = kneed;
            mn.idx[0] = k2 - 1;
            mn.val[0] = kneed;
            k = k2 - 1;
            continue;
        }
        /* the max window [k, k + L - 1], cut at K (the end is padded with 0) */
        for (; next < K && next <= k + L - 1; next++) {
            if (next >= di_end) {
                di = dt == tau ? next : (next * dt) / tau;
                di_end = dt == tau ? next + 1 : ((di + 1) * tau + dt - 1) / dt; /* the first step of the next interval */
                need = ts_ideal_need(D->rate[di], tph, min, max, &over);
            }
            int64_t v = need;
            unservable += over;
            if (v > peak)
                peak = v;
            while (mx.len && dq_back(&mx) <= v)
                mx.len--;
            dq_push(&mx, next, v);
        }
        while (mx.len && dq_front_idx(&mx) < k)
            dq_pop_front(&mx);
        int64_t M = mx.len ? dq_front(&mx) : 0;
        /* the min window over s in [k - L + 1, k] (s < 0 is +inf: left out) */
        while (mn.len && dq_back(&mn) >= M)
            mn.len--;
        dq_push(&mn, k, M);
        while (mn.len && dq_front_idx(&mn) < k - L + 1)
            dq_pop_front(&mn);
        int64_t R = dq_front(&mn);
        sum += R;
        if (k > 0 && R > prev)
            starts += R - prev;
        prev = R;
    }
    out->steps = K;
    out->lead_steps = L;
    out->ideal_starts = starts;
    out->ideal_replica_steps = sum + (L - 1) * starts;
    out->ideal_replica_hours = (double)out->ideal_replica_steps * (double)dt / 3600.0;
    out->fixed_replicas = peak;
    out->fixed_replica_hours = (double)peak * (double)K * (double)dt / 3600.0;
    out->unservable_steps = unservable;
}

ts_status ts_simulate_bounds(const ts_sim_input *in, ts_sim_workspace *ws, ts_bounds *out)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    int64_t dt = p->type->interval_s(p);
    /* with cold starts that differ per replica, the ideal knows the median */
    int64_t warmup = in->has_cold ? in->cold_median_s : p->warmup_s;
    if (ts_ws_reserve_scratch(ws, ts_ideal_scratch(&in->demand, dt, warmup)) != TS_OK)
        return TS_ENOMEM;
    ts_ideal_compute(&in->demand, in->tps_eff * 3600.0, dt, warmup, p->min_instances, p->max_instances, ws->scratch,
                     out);
    return TS_OK;
}
