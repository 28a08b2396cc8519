/*
 * kpa_fast.c — the KPA's kernel (ts_kpa_kernel): §5 with the KPA's tick,
 * its windows' means computed ahead.
 *
 * What the KPA observes of its windows does not depend on the pool: the
 * sample of tick k is the demand at k*tick_s, and kpa_step's mean of a
 * window is the sum of its last m samples, newest first from +0.0, over m
 * (m = min(window, k+1)). So the kernel computes those means for a block
 * of ticks ahead, many windows side by side (each window's sum in its own
 * order, so the same bits as kpa_step's, without its chain of dependent
 * additions), and divides them by the target as Scale() does. The step
 * loop then runs the decider's body (ts_kpa_decide, what ts_kpa_scale
 * runs) on those, with what depends on the ready pods computed once per
 * count and the pool's capacity and utilization once per demand value.
 *
 * On demand that holds for several stable windows the held loop is faster
 * (it skips ticks once both windows hold one value): the kernel looks at
 * the demand once and hands such pools to ts_simulate_held.
 *
 * The loop's length is that of a kernel: it shares a dozen locals.
 */
#include "policy/kpa.h"
#include "policy/kpa_decider.h"
#include "policy/kpa_windows.h"
#include "sim/kernel.h"

#include <math.h>
#include <stdint.h>

/* Ticks whose windows are computed ahead at a time. */
#define BLOCK 1024
/* The KPA's windows at ticks k0 .. k0+nb-1. */
typedef struct ahead {
    const double *D;
    int64_t tau, dt;
    int stable_n, panic_n;
    double target;
    double *x;      /* the samples of ticks k0-stable_n+1 .. k0+nb-1 */
    double *sum;    /* nb sums */
    double *dspc;   /* ceil(stable mean / target), tick by tick */
    double *dppc;   /* ceil(panic mean / target) */
    int wide;       /* ts_kpa_wide() */
} ahead;

/* Fills a's dspc and dppc for nb ticks from k0. Ticks before 0 are +0.0
 * samples: a sum starts at +0.0 and is never -0.0 (demand is not
 * negative), so adding them changes no bit; the divisor is the number of
 * samples there are. */
static void compute_ahead(const ahead *a, int64_t k0, int nb)
{
    const int64_t first = k0 - a->stable_n + 1;
    const int nx = nb + a->stable_n - 1;
    int i = 0;
    for (; i < nx && first + i < 0; i++)
        a->x[i] = 0.0;
    /* the demand interval followed without a division */
    int64_t t = (first + i) * a->dt, di = t / a->tau, t_next = (di + 1) * a->tau;
    for (; i < nx; i++, t += a->dt) {
        while (t >= t_next) {
            di++;
            t_next += a->tau;
        }
        a->x[i] = a->D[di];
    }
    const double *now = a->x + a->stable_n - 1;
    ts_kpa_window_pods(now, nb, a->stable_n, k0, a->target, a->wide, a->sum, a->dspc);
    ts_kpa_window_pods(now, nb, a->panic_n, k0, a->target, a->wide, a->sum, a->dppc);
}

ts_status ts_kpa_kernel(const ts_sim_input *in, ts_sim_workspace *ws, ts_event_fn on_event, void *ctx,
                        ts_kpis *out)
{
    if (ts_sim_input_invalid(in))
        return TS_EINPUT;
    const ts_policy *p = in->policy;
    const ts_kpa_config *kc = ts_kpa_settings(p);
    const double *D = in->demand.rate;
    const int64_t dt = kc->tick_s, tau = (int64_t)in->demand.tau_s;
    const int64_t K = ts_sim_steps(&in->demand, dt);
    const double tph = in->tps_eff * 3600.0;
    ts_kpa_spec spec;
    int stable_n, panic_n;
    ts_kpa_spec_of(p, tph, &spec, &stable_n, &panic_n);
    /* the held loop skips a run's ticks after the first stable window:
     * worth it when values hold for six windows or more */
    if (!ts_sim_moves(&in->demand, dt, 6.0 * stable_n))
        return ts_simulate_held(in, ws, on_event, ctx, out);
    ts_cold_start cold;
    ts_cold_start_init(&cold, in);
    if (ts_ws_reserve(ws, 0, ts_cold_start_groups(&cold, dt), 1) != TS_OK ||
        ts_ws_reserve_runs(ws, (size_t)K) != TS_OK ||
        ts_ws_reserve_block(ws, (size_t)(BLOCK + stable_n - 1 + 3 * BLOCK)) != TS_OK)
        return TS_ENOMEM;
    const ahead ah = {D, tau, dt, stable_n, panic_n, spec.target, ws->block, ws->block + BLOCK + stable_n - 1,
                      ws->block + 2 * BLOCK + stable_n - 1, ws->block + 3 * BLOCK + stable_n - 1, ts_kpa_wide()};
    ts_kpa_state dec;
    (void)ts_kpa_init(&dec, &spec, 0, 0.0); /* TS_OK: the settings bound the delay's buckets */
    ts_warm_groups g = ts_ws_groups(ws);
    int64_t R, N;
    ts_kpi_acc acc;
    if (ts_sim_begin(in, ws, tph, K, &R, &N, &acc) != TS_OK)
        return TS_ENOMEM;
    const double grace = kc->scale_to_zero_grace_s;
    int zero_pending = 0;
    double zero_since = 0.0;
    int64_t k0 = 0, k_end = 0; /* the block computed ahead */
    ts_dense s = ts_dense_begin(D, tau, dt, tph, ws->runs, &g);
    ts_kpa_ready ready = {0};
    double over_dppc = -1.0; /* over for the panic window's pods at over_R ready */
    int64_t over_R = -1;
    int over = 0;
    for (int64_t k = 0, t = 0; k < K; k++, t += dt) {
        if (k == k_end) {
            k0 = k;
            k_end = K - k < BLOCK ? K : k + BLOCK;
            compute_ahead(&ah, k0, (int)(k_end - k0));
        }
        if (ts_dense_observe(&s, &g, t, &R, N))
            ready = ts_kpa_ready_of(&spec, (int32_t)R);
        /* kpa_step */
        const double dppc = ah.dppc[k - k0];
        if (dppc != over_dppc || R != over_R) {
            over_dppc = dppc;
            over_R = R;
            over = ts_kpa_over(&spec, &ready, dppc);
        }
        int64_t desired = ts_kpa_decide(&dec, &spec, &ready, ah.dspc[k - k0], dppc, over, (double)t);
        desired = ts_clamp_i64(desired, p->min_instances, p->max_instances);
        if (desired == 0 && N > 0) {
            if (!zero_pending) {
                zero_pending = 1;
                zero_since = (double)t;
            }
            if ((double)t - zero_since < grace)
                desired = N; /* within the grace period */
        } else {
            zero_pending = 0;
        }
        if (desired == N)
            continue;
        ts_status acted = ts_sim_act(&acc, &cold, &g, k, t, dt, desired, &N, &R, s.d, s.C, s.C > 0, s.up, on_event, ctx);
        if (acted != TS_OK)
            return acted;
        ts_dense_acted(&s, &g);
    }
    ts_dense_finish(&s, K, &acc);
    ts_kpis_finish_runs(&acc, N, s.runs, s.n_runs, dt, in->gpu_count, out);
    return TS_OK;
}
