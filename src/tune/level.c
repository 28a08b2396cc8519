/*
 * level.c — the service level of tune and advise; see level.h.
 */
#include "tune/level.h"
#include "sim/eventlist.h"

#include <stdlib.h>

int ts_tune_meets(const ts_tune_options *o, const ts_kpis *k, double unserved_pct)
{
    if (!(k->violation_minutes <= o->max_violation_minutes))
        return 0;
    if (o->has_max_unserved_pct && !(unserved_pct <= o->max_unserved_pct))
        return 0;
    double slo_max = o->has_max_slo_minutes ? o->max_slo_minutes : 0.0;
    return !k->latency.has || k->latency.slo_minutes <= slo_max;
}

int ts_tune_latency_pool(const ts_inputs *in, const ts_plan *plan, size_t i)
{
    const ts_candidate *c = &in->cand[plan->rows[i].cand_index];
    return c->latency && c->latency->n && ts_slo_any(ts_inputs_slo(in, c->model));
}

ts_status ts_tune_simulate(const ts_sim_input *si, ts_sim_workspace *ws, int queue, const ts_sla *sla,
                           const ts_slo *slo, ts_kpis *out)
{
    int need_events = queue || si->latency;
    ts_event_list l = {NULL, 0, 0};
    ts_status st = ts_simulate_autoscaler(si, ws, need_events ? ts_event_list_keep : NULL, NULL, &l, out);
    if (st == TS_OK && si->latency) /* one walk of the queue for both */
        st = ts_simulate_latency(si, l.ev, l.n, sla, slo, queue ? &out->queue : NULL, &out->latency);
    else if (st == TS_OK && queue)
        st = ts_simulate_queue(si, l.ev, l.n, sla, &out->queue);
    free(l.ev);
    return st;
}
