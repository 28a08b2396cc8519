/*
 * workspace.c — the simulation workspace; see workspace.h.
 */
#include "sim/workspace.h"
#include "util/alloc.h"

#include <stdlib.h>

ts_sim_workspace *ts_sim_workspace_new(void)
{
    return ts_calloc(1, sizeof(ts_sim_workspace));
}

void ts_sim_workspace_free(ts_sim_workspace *ws)
{
    if (!ws)
        return;
    free(ws->util);
    free(ws->runs);
    free(ws->n_runs);
    free(ws->g_at);
    free(ws->g_n);
    free(ws->state);
    free(ws->scratch);
    free(ws->block);
    free(ws);
}

ts_status ts_ws_reserve_runs(ts_sim_workspace *ws, size_t runs)
{
    if (runs > ws->runs_cap) {
        ts_run *r = ts_realloc(ws->runs, runs * sizeof *r);
        if (!r)
            return TS_ENOMEM;
        ws->runs = r;
        ws->runs_cap = runs;
    }
    return TS_OK;
}

ts_status ts_ws_reserve_replica_runs(ts_sim_workspace *ws, size_t steps, ts_kpi_acc *acc)
{
    if (steps + 1 > ws->n_runs_cap) {
        ts_run *r = ts_realloc(ws->n_runs, (steps + 1) * sizeof *r);
        if (!r)
            return TS_ENOMEM;
        ws->n_runs = r;
        ws->n_runs_cap = steps + 1;
    }
    acc->n_runs = ws->n_runs;
    acc->n_n_runs = 0;
    acc->n_run_start = 0;
    return TS_OK;
}

ts_status ts_ws_reserve(ts_sim_workspace *ws, size_t steps, size_t groups, size_t state)
{
    if (steps > ws->util_cap) {
        double *u = ts_realloc(ws->util, steps * sizeof *u);
        if (!u)
            return TS_ENOMEM;
        ws->util = u;
        ws->util_cap = steps;
    }
    if (groups > ws->g_cap) {
        int64_t *a = ts_realloc(ws->g_at, groups * sizeof *a);
        if (!a)
            return TS_ENOMEM;
        ws->g_at = a;
        int64_t *n = ts_realloc(ws->g_n, groups * sizeof *n);
        if (!n)
            return TS_ENOMEM;
        ws->g_n = n;
        ws->g_cap = groups;
    }
    if (state > ws->state_cap) {
        void *s = ts_realloc(ws->state, state);
        if (!s)
            return TS_ENOMEM;
        ws->state = s;
        ws->state_cap = state;
    }
    return TS_OK;
}

ts_status ts_ws_reserve_scratch(ts_sim_workspace *ws, size_t n)
{
    if (n > ws->scratch_cap) {
        int64_t *s = ts_realloc(ws->scratch, n * sizeof *s);
        if (!s)
            return TS_ENOMEM;
        ws->scratch = s;
        ws->scratch_cap = n;
    }
    return TS_OK;
}

ts_status ts_ws_reserve_block(ts_sim_workspace *ws, size_t n)
{
    if (n > ws->block_cap) {
        double *b = ts_realloc(ws->block, n * sizeof *b);
        if (!b)
            return TS_ENOMEM;
        ws->block = b;
        ws->block_cap = n;
    }
    return TS_OK;
}

ts_warm_groups ts_ws_groups(ts_sim_workspace *ws)
{
    ts_warm_groups g = {ws->g_at, ws->g_n, ws->g_cap, 0, 0};
    return g;
}
