/*
 * tune.c — the files and the table of `tapscale tune`: every setting
 * evaluated, the Pareto front, the winner against the current setting, the
 * ideal and the fixed fleet, and public_tap.yaml with the winners as
 * per-model settings.
 */
#include "tapscale_io.h"
#include "sim/policy_type.h"
#include "report/fields.h"
#include "report/tune.h"
#include "policy/settings.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/yamlread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEP(b) ts_buf_putc((b), ',')

static void candidate_header(const ts_tune_result *t, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,policy,candidate");
    for (size_t k = 0; k < t->space->n; k++) {
        SEP(b);
        ts_buf_csv_field(b, t->space->axes[k].key);
    }
    ts_buf_puts(b, ",meets_service_level,winner,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,"
                   "unserved_tokens,unserved_pct,gpu_hours,max_replicas,floor_replicas,cost,cost_per_month,currency\n");
}

static void candidate_row(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t, size_t i, size_t c,
                          ts_buf *b)
{
    const ts_tune_pool *tp = &t->pools[i];
    const ts_tune_candidate *x = &tp->cand[c];
    const ts_candidate *cd = &in->cand[p->rows[i].cand_index];
    ts_buf_csv_field(b, in->demand[p->rows[i].demand_index].model);
    SEP(b);
    ts_buf_csv_field(b, cd->gpu);
    SEP(b);
    ts_buf_puts(b, t->space->type->name);
    SEP(b);
    ts_buf_int(b, (int64_t)c);
    for (size_t k = 0; k < t->space->n; k++) {
        SEP(b);
        ts_buf_csv_field(b, t->space->axes[k].values[x->at[k]]);
    }
    const ts_kpis *k = &x->kpis;
    ts_buf_puts(b, x->feasible == 1 ? ",true," : ",false,");
    ts_buf_puts(b, (long)c == tp->winner ? "true," : "false,");
    ts_render_kpi_head(k, b);
    SEP(b);
    ts_buf_double(b, x->unserved_pct);
    SEP(b);
    ts_buf_double(b, k->gpu_hours);
    SEP(b);
    ts_buf_int(b, k->max_replicas);
    SEP(b);
    ts_buf_int(b, k->floor_replicas);
    SEP(b);
    if (cd->has_price)
        ts_buf_double(b, x->cost);
    SEP(b);
    if (cd->has_price && tp->hours > 0)
        ts_buf_double(b, x->cost * TS_MONTH_HOURS / tp->hours);
    SEP(b);
    if (cd->has_price && in->currency)
        ts_buf_puts(b, in->currency);
    ts_buf_putc(b, '\n');
}

void ts_render_tune_candidates_csv(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t, ts_buf *b)
{
    candidate_header(t, b);
    for (size_t i = 0; i < t->n; i++)
        for (size_t c = 0; c < t->pools[i].n; c++)
            if (t->pools[i].cand[c].feasible >= 0)
                candidate_row(in, p, t, i, c, b);
}

/* 1 when x is no worse than y on the objective and on violation-minutes,
 * and better on one. */
static int dominates(const ts_tune_candidate *x, const ts_tune_candidate *y)
{
    double xo = x->objective, yo = y->objective, xv = x->kpis.violation_minutes, yv = y->kpis.violation_minutes;
    return xo <= yo && xv <= yv && (xo < yo || xv < yv);
}

void ts_render_tune_pareto_csv(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t, ts_buf *b)
{
    candidate_header(t, b);
    for (size_t i = 0; i < t->n; i++) {
        const ts_tune_pool *tp = &t->pools[i];
        for (size_t c = 0; c < tp->n; c++) {
            const ts_tune_candidate *x = &tp->cand[c];
            int front = x->feasible >= 0;
            for (size_t o = 0; o < tp->n && front; o++)
                front = !(tp->cand[o].feasible >= 0 && dominates(&tp->cand[o], x));
            /* of equal points, the first evaluated stands for them */
            for (size_t o = 0; o < c && front; o++)
                front = !(tp->cand[o].feasible >= 0 && tp->cand[o].objective == x->objective &&
                          tp->cand[o].kpis.violation_minutes == x->kpis.violation_minutes);
            if (front)
                candidate_row(in, p, t, i, c, b);
        }
    }
}

/* One line of the tune table. */
static void table_line(ts_buf *b, const char *model, const char *what, const ts_tune_pool *tp, int has_price,
                       double cost, double viol_min, long events, const char *note)
{
    char money[32], ev[32];
    if (has_price && tp->hours > 0)
        snprintf(money, sizeof money, "%.2f", cost * TS_MONTH_HOURS / tp->hours);
    else
        snprintf(money, sizeof money, "n/a");
    if (events >= 0)
        snprintf(ev, sizeof ev, "%ld", events);
    else
        snprintf(ev, sizeof ev, "-");
    ts_buf_printf(b, "%-40s %-12s %14s %9.1f %7s  %s\n", model, what, money, viol_min, ev, note);
}

void ts_tune_setting_text(const ts_tune_result *t, const ts_tune_candidate *x, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < t->space->n && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s=%s", k ? " " : "", t->space->axes[k].key,
                                t->space->axes[k].values[x->at[k]]);
}

void ts_render_tune_table(const ts_inputs *in, const ts_plan *p, const ts_tune_result *t,
                          const ts_tune_options *o, ts_buf *b)
{
    ts_buf_printf(b, "%-40s %-12s %14s %9s %7s  %s\n", "model", "setting", "cost/month", "viol_min", "events",
                  "");
    for (size_t i = 0; i < t->n; i++) {
        const ts_tune_pool *tp = &t->pools[i];
        const ts_candidate *cd = &in->cand[p->rows[i].cand_index];
        const char *model = in->demand[p->rows[i].demand_index].model;
        char note[1024], set[900];
        const ts_tune_candidate *cur = &tp->current_result;
        table_line(b, model, "current", tp, cd->has_price, cur->cost, cur->kpis.violation_minutes,
                   (long)cur->kpis.scale_events, cur->feasible == 1 ? "meets the service level" : "");
        if (tp->closest >= 0) {
            const ts_tune_candidate *x = &tp->cand[tp->closest];
            ts_tune_setting_text(t, x, set, sizeof set);
            snprintf(note, sizeof note, "%s", set);
            table_line(b, "", tp->winner >= 0 ? "winner" : "closest", tp, cd->has_price, x->cost,
                       x->kpis.violation_minutes, (long)x->kpis.scale_events, note);
        }
        double price = cd->instance_price_hr;
        table_line(b, "", "ideal", tp, cd->has_price, tp->bounds.ideal_replica_hours * price, 0, -1, "");
        table_line(b, "", "fixed fleet", tp, cd->has_price, tp->bounds.fixed_replica_hours * price, 0, 0, "");
        ts_buf_printf(b, "%-40s %zu settings evaluated (%s)", "", tp->n - tp->invalid,
                      tp->exhaustive ? "the whole grid" : "sampled, then a descent");
        if (tp->invalid) /* the grid's count, and why the rest were not run */
            ts_buf_printf(b, "; %zu more skipped, as a bound between their keys is broken (a scale-down threshold not "
                             "below the scale-up one, a min above the max)",
                          tp->invalid);
        ts_buf_printf(b, "%s\n", tp->winner >= 0 ? "" : "; no setting in the space meets the service level");
    }
    ts_render_level_text(o, in, b);
    ts_buf_puts(b, "\n");
}

void ts_render_level_text(const ts_tune_options *o, const ts_inputs *in, ts_buf *b)
{
    ts_buf_printf(b, "service level: at most %g violation-minutes", o->max_violation_minutes);
    if (o->has_max_unserved_pct)
        ts_buf_printf(b, " and %g %% of the tokens unserved", o->max_unserved_pct);
    int any = ts_slo_any(&in->acceptance.slo);
    for (size_t i = 0; i < in->n_model_policies; i++)
        any |= in->model_policies[i].has_slo && ts_slo_any(&in->model_policies[i].slo);
    if (in->n_profiles && any)
        ts_buf_printf(b, ", and for pools with a latency profile at most %g minutes over the latency SLO",
                      o->has_max_slo_minutes ? o->max_slo_minutes : 0.0);
}

/* The lines [first, last) of text are left out (0-based). */
static void put_lines_except(const char *text, size_t len, size_t first, size_t last, ts_buf *b)
{
    size_t line = 0;
    const char *s = text, *end = text + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *next = nl ? nl + 1 : end;
        if (line < first || line >= last) {
            ts_buf_put(b, s, (size_t)(next - s));
            if (!nl)
                ts_buf_putc(b, '\n');
        }
        s = next;
        line++;
    }
}

ts_status ts_render_tuned_public_tap(const char *file, const char *text, size_t len, const ts_inputs *in,
                                     const ts_plan *p, const ts_tune_result *t, ts_buf *b, ts_diags *d)
{
    const ts_policy **pols = ts_calloc(p->n ? p->n : 1, sizeof *pols);
    if (!pols)
        return TS_ENOMEM;
    for (size_t i = 0; i < p->n; i++)
        pols[i] = t->pools[i].winner >= 0 ? &t->pools[i].best : NULL;
    ts_status st = ts_render_public_tap_models(file, text, len, in, p, pols, NULL, "tapscale tune", b, d);
    free(pols);
    return st;
}

ts_status ts_render_public_tap_models(const char *file, const char *text, size_t len, const ts_inputs *in,
                                      const ts_plan *p, const ts_policy *const *pols, const char *const *notes,
                                      const char *writer, ts_buf *b, ts_diags *d)
{
    ts_yaml y;
    if (ts_yaml_load(&y, file, text, len, d) != 0)
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    yaml_node_t *root = ts_yaml_root(&y);
    size_t first = 0, last = 0;
    for (yaml_node_pair_t *pr = root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
         pr && pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&y.doc, pr->key);
        const char *k = ts_yaml_scalar(kn);
        if (!k || strcmp(k, "models") != 0)
            continue;
        yaml_node_t *vn = yaml_document_get_node(&y.doc, pr->value);
        first = kn->start_mark.line;
        last = vn->end_mark.column == 0 ? vn->end_mark.line : vn->end_mark.line + 1;
    }
    ts_yaml_free(&y);
    put_lines_except(text, len, first, last, b);
    ts_buf_printf(b, "# models: written by %s: each model's whole autoscaling setting\nmodels:\n", writer);
    for (size_t m = 0; m < in->n_demand; m++) {
        const ts_policy *pol = in->demand[m].policy;
        const char *note = NULL;
        for (size_t i = 0; i < p->n; i++)
            if (p->rows[i].demand_index == m) {
                pol = pols[i] ? pols[i] : pol;
                note = notes ? notes[i] : NULL;
            }
        if (note)
            ts_buf_printf(b, "  # %s\n", note);
        if (!pol)
            continue;
        ts_buf_puts(b, "  ");
        ts_buf_json_string(b, in->demand[m].model);
        ts_buf_puts(b, ":\n    autoscaling:\n");
        ts_policy_yaml(pol, 6, b);
    }
    return b->oom ? TS_ENOMEM : TS_OK;
}
