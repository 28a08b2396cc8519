/*
 * advice.c — the outputs of `tapscale advise`: per pool the sentence that
 * says what to rent and run, every way ranked on one table (stdout,
 * advice.md, advice.csv), public_tap.yaml with each pool's winner, and the
 * winner as the manifest a user deploys.
 *
 * The manifests carry tapscale's whole setting in the annotation
 * tapscale.dev/autoscaling, which `--manifest` lays under the object's own
 * fields; the fields written (replica bounds, Knative's annotations, KEDA's
 * cooldown) are the setting's own values, so reading the file back gives
 * the simulation the table shows.
 */
#include "tapscale_io.h"
#include "policy/hpa.h"
#include "policy/registry.h"
#include "policy/schedule.h"
#include "policy/settings.h"
#include "report/tune.h"
#include "util/numfmt.h"
#include "util/alloc.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per 30-day month over the pool's horizon. */
static double month(const ts_advice_pool *ap, double v)
{
    return ap->hours > 0 ? v * TS_MONTH_HOURS / ap->hours : 0.0;
}

static const char *way_name(const ts_advice_row *r)
{
    return r->type ? ts_policy_type_name(r->type) : "fixed fleet";
}

/* "L40S" or "2 x H100": the GPUs of one instance. */
static void gpu_text(const ts_inputs *in, const ts_plan *p, size_t i, char *buf, size_t size)
{
    const ts_candidate *c = &in->cand[p->rows[i].cand_index];
    if (c->gpu_count == 1)
        snprintf(buf, size, "%s", c->gpu);
    else
        snprintf(buf, size, "%lld x %s", (long long)c->gpu_count, c->gpu);
}

/* The row the other kind of way would take: for a fixed winner the best
 * policy that meets the level, for a policy the fixed fleet. NULL: none. */
static const ts_advice_row *rival(const ts_advice_pool *ap, const ts_advice_row *w)
{
    for (size_t k = 0; k < ap->n_rows; k++) {
        const ts_advice_row *r = &ap->rows[k];
        if (w->type ? !r->type : (r->type && r->feasible))
            return r;
    }
    return NULL;
}

/* The first line of a pool's advice: what to rent and run, in words. */
static void advice_sentence(const ts_inputs *in, const ts_plan *p, const ts_advice *a, size_t i, ts_buf *b)
{
    const ts_advice_pool *ap = &a->pools[i];
    char gpu[160];
    gpu_text(in, p, i, gpu, sizeof gpu);
    if (ap->n_rows == 0) {
        ts_buf_puts(b, "no way to serve it could be simulated");
        return;
    }
    if (ap->winner < 0) {
        const ts_advice_row *r = &ap->rows[0];
        ts_buf_printf(b, "no way meets the service level: the closest is %s", way_name(r));
        if (!r->type)
            ts_buf_printf(b, " of %lld x %s", (long long)r->count, gpu);
        ts_buf_printf(b, " with %.1f violation-minutes and %.2f %% of the tokens unserved", r->kpis.violation_minutes,
                      r->unserved_pct);
        if (r->kpis.latency.has)
            ts_buf_printf(b, ", %.1f minutes over the latency SLO", r->kpis.latency.slo_minutes);
        return;
    }
    const ts_advice_row *w = &ap->rows[ap->winner], *o = rival(ap, w);
    const char *fewer = ap->has_price ? "cheaper" : "fewer GPU-hours";
    double gain = o && o->objective > 0 ? 100.0 * (o->objective - w->objective) / o->objective : 0.0;
    if (!w->type) {
        const ts_candidate *c = &in->cand[p->rows[i].cand_index];
        if (c->gpu_count == 1)
            ts_buf_printf(b, "rent %lld x %s fixed", (long long)w->count, gpu);
        else
            ts_buf_printf(b, "rent %lld instances of %s fixed", (long long)w->count, gpu);
        if (!o)
            ts_buf_puts(b, ": no autoscaler here meets the service level");
        else if (gain > 0)
            ts_buf_printf(b, ": %s than any autoscaler here by %.1f %% (the best, %s)", fewer, gain, way_name(o));
        else
            ts_buf_printf(b, ": as %s as the best autoscaler (%s), and it never scales",
                          ap->has_price ? "cheap" : "few GPU-hours", way_name(o));
        return;
    }
    ts_buf_printf(b, "run %s on %s with %s", way_name(w), gpu, w->setting);
    if (o && o->feasible)
        ts_buf_printf(b, ": %.1f %% below the fixed fleet of %lld", gain, (long long)o->count);
    else if (o)
        ts_buf_printf(b, ": no fixed fleet within max_instances_per_model %lld meets the service level",
                      (long long)ap->ceiling);
}

/* Why the fixed fleet wins, when it does and a policy was close. */
static void why_fixed(const ts_advice_pool *ap, ts_buf *b)
{
    if (ap->winner < 0 || ap->rows[ap->winner].type)
        return;
    const ts_advice_row *w = &ap->rows[ap->winner], *o = rival(ap, w);
    ts_buf_printf(b, "why: the demand's peak is %.2fx its mean, and the fixed fleet runs at %.1f %% average utilization",
                  ap->demand_peak_to_mean, w->kpis.avg_util_pct);
    if (o)
        ts_buf_printf(b, "; the best autoscaler (%s) holds %.1f %% against its target of %g %% and waits %lld s for a "
                         "replica to warm up",
                      way_name(o), o->kpis.avg_util_pct, o->policy.target_utilization_pct,
                      (long long)o->policy.warmup_s);
}

/* The ideal's GPU-hours over the horizon. */
static double ideal_gpuh(const ts_inputs *in, const ts_plan *p, const ts_advice_pool *ap, size_t i)
{
    return ap->bounds.ideal_replica_hours * (double)in->cand[p->rows[i].cand_index].gpu_count;
}

/* One row's label: "fixed fleet 5" or the policy's name. */
static void label(const ts_advice_row *r, char *buf, size_t size)
{
    if (r->type)
        snprintf(buf, size, "%s", way_name(r));
    else
        snprintf(buf, size, "fixed fleet %lld", (long long)r->count);
}

static void money(const ts_advice_pool *ap, double v, ts_buf *b)
{
    if (ap->has_price)
        ts_buf_printf(b, "%12.2f", month(ap, v));
    else
        ts_buf_printf(b, "%12s", "n/a");
}

void ts_render_advice_table(const ts_inputs *in, const ts_plan *p, const ts_advice *a, ts_buf *b)
{
    for (size_t i = 0; i < p->n; i++) {
        const ts_advice_pool *ap = &a->pools[i];
        char gpu[160];
        gpu_text(in, p, i, gpu, sizeof gpu);
        ts_buf_printf(b, "%s (%s): ", in->demand[p->rows[i].demand_index].model, gpu);
        advice_sentence(in, p, a, i, b);
        ts_buf_putc(b, '\n');
        if (ap->winner >= 0 && !ap->rows[ap->winner].type) {
            ts_buf_puts(b, "  ");
            why_fixed(ap, b);
            ts_buf_putc(b, '\n');
        }
        ts_buf_printf(b, "  %-4s %-16s %12s %11s %9s %10s %9s %7s %9s  %s\n", "rank", "way", "cost/month",
                      "gpu_h/month", "viol_min", "unserved%", "wait99_s", "events", "vs ideal", "setting");
        const double ig = ideal_gpuh(in, p, ap, i);
        for (size_t k = 0; k < ap->n_rows; k++) {
            const ts_advice_row *r = &ap->rows[k];
            char name[64];
            label(r, name, sizeof name);
            ts_buf_printf(b, "  %-4zu %-16s ", k + 1, name);
            money(ap, r->cost, b);
            ts_buf_printf(b, " %11.1f %9.1f %10.2f %9.1f %7lld ", month(ap, r->kpis.gpu_hours), r->kpis.violation_minutes,
                          r->unserved_pct, r->kpis.queue.delay_p99_s, (long long)r->kpis.scale_events);
            if (ig > 0)
                ts_buf_printf(b, "%8.2fx", r->kpis.gpu_hours / ig);
            else
                ts_buf_printf(b, "%9s", "-");
            if (!r->feasible && r->kpis.latency.has && r->kpis.latency.slo_minutes > 0)
                ts_buf_printf(b, "  (misses the level: %.1f minutes over the latency SLO) %s\n", r->kpis.latency.slo_minutes,
                              r->type ? r->setting : "");
            else
                ts_buf_printf(b, "  %s%s\n", r->feasible ? "" : "(misses the level) ", r->type ? r->setting : "");
        }
        char name[64];
        snprintf(name, sizeof name, "ideal (floor %lld)", (long long)ap->floor);
        ts_buf_printf(b, "  %-4s %-16s ", "", name);
        money(ap, ap->bounds.ideal_replica_hours * ap->price, b);
        ts_buf_printf(b, " %11.1f %9s %10s %9s %7s %9s  knows the future; no autoscaler reaches it\n", month(ap, ig),
                      "-", "-", "-", "-", "1.00x");
    }
    ts_render_level_text(&a->opt, in, b);
    ts_buf_putc(b, '\n');
}

void ts_render_advice_md(const ts_inputs *in, const ts_plan *p, const ts_advice *a, ts_buf *b)
{
    ts_buf_puts(b, "# What to rent and how to run it\n\n");
    ts_render_level_text(&a->opt, in, b);
    ts_buf_puts(b, "; costs and GPU-hours per 30-day month.\n");
    for (size_t i = 0; i < p->n; i++) {
        const ts_advice_pool *ap = &a->pools[i];
        ts_buf_printf(b, "\n## %s\n\n**", in->demand[p->rows[i].demand_index].model);
        advice_sentence(in, p, a, i, b);
        ts_buf_puts(b, "**\n\n");
        if (ap->winner >= 0 && !ap->rows[ap->winner].type) {
            why_fixed(ap, b);
            ts_buf_puts(b, "\n\n");
        }
        ts_buf_puts(b, "| rank | way | cost/month | GPU-h/month | violation-min | unserved % | p99 wait s | scale events "
                       "| vs ideal | meets | setting |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        const double ig = ideal_gpuh(in, p, ap, i);
        for (size_t k = 0; k < ap->n_rows; k++) {
            const ts_advice_row *r = &ap->rows[k];
            char name[64];
            label(r, name, sizeof name);
            ts_buf_printf(b, "| %zu | %s | ", k + 1, name);
            if (ap->has_price)
                ts_buf_printf(b, "%.2f", month(ap, r->cost));
            else
                ts_buf_puts(b, "n/a");
            ts_buf_printf(b, " | %.1f | %.1f | %.2f | %.1f | %lld | ", month(ap, r->kpis.gpu_hours),
                          r->kpis.violation_minutes, r->unserved_pct, r->kpis.queue.delay_p99_s,
                          (long long)r->kpis.scale_events);
            if (ig > 0)
                ts_buf_printf(b, "%.2fx", r->kpis.gpu_hours / ig);
            else
                ts_buf_puts(b, "-");
            ts_buf_printf(b, " | %s | %s |\n", r->feasible ? "yes" : "no", r->type ? r->setting : "");
        }
        ts_buf_printf(b, "| | ideal (floor %lld) | ", (long long)ap->floor);
        if (ap->has_price)
            ts_buf_printf(b, "%.2f", month(ap, ap->bounds.ideal_replica_hours * ap->price));
        else
            ts_buf_puts(b, "n/a");
        ts_buf_printf(b, " | %.1f | | | | | 1.00x | | knows the future |\n", month(ap, ig));
    }
}

void ts_render_advice_csv(const ts_inputs *in, const ts_plan *p, const ts_advice *a, ts_buf *b)
{
    ts_buf_puts(b, "model,gpu,rank,way,replicas,setting,meets_service_level,winner,cost_per_month,currency,"
                   "gpu_hours_per_month,violation_minutes,unserved_pct,queue_delay_p99_s,scale_events,avg_util_pct,"
                   "gpu_hours_vs_ideal,settings_evaluated,whole_space\n");
    for (size_t i = 0; i < p->n; i++) {
        const ts_advice_pool *ap = &a->pools[i];
        const ts_candidate *c = &in->cand[p->rows[i].cand_index];
        const double ig = ideal_gpuh(in, p, ap, i);
        for (size_t k = 0; k <= ap->n_rows; k++) {
            const ts_advice_row *r = k < ap->n_rows ? &ap->rows[k] : NULL;
            ts_buf_csv_field(b, in->demand[p->rows[i].demand_index].model);
            ts_buf_putc(b, ',');
            ts_buf_csv_field(b, c->gpu);
            if (!r) { /* the ideal, last */
                ts_buf_printf(b, ",,ideal (floor %lld),,,,,", (long long)ap->floor);
                if (ap->has_price)
                    ts_buf_double(b, month(ap, ap->bounds.ideal_replica_hours * ap->price));
                ts_buf_putc(b, ',');
                ts_buf_puts(b, ap->has_price && in->currency ? in->currency : "");
                ts_buf_putc(b, ',');
                ts_buf_double(b, month(ap, ig));
                ts_buf_puts(b, ",,,,,,1,,\n");
                continue;
            }
            ts_buf_printf(b, ",%zu,", k + 1);
            ts_buf_csv_field(b, way_name(r));
            ts_buf_putc(b, ',');
            if (!r->type)
                ts_buf_int(b, r->count);
            ts_buf_putc(b, ',');
            ts_buf_csv_field(b, r->setting);
            ts_buf_printf(b, ",%d,%d,", r->feasible, ap->winner == (long)k);
            if (ap->has_price)
                ts_buf_double(b, month(ap, r->cost));
            ts_buf_putc(b, ',');
            ts_buf_puts(b, ap->has_price && in->currency ? in->currency : "");
            ts_buf_putc(b, ',');
            ts_buf_double(b, month(ap, r->kpis.gpu_hours));
            ts_buf_putc(b, ',');
            ts_buf_double(b, r->kpis.violation_minutes);
            ts_buf_putc(b, ',');
            ts_buf_double(b, r->unserved_pct);
            ts_buf_putc(b, ',');
            ts_buf_double(b, r->kpis.queue.delay_p99_s);
            ts_buf_putc(b, ',');
            ts_buf_int(b, r->kpis.scale_events);
            ts_buf_putc(b, ',');
            ts_buf_double(b, r->kpis.avg_util_pct);
            ts_buf_putc(b, ',');
            if (ig > 0)
                ts_buf_double(b, r->kpis.gpu_hours / ig);
            ts_buf_printf(b, ",%zu,%d\n", r->evaluated, r->exhaustive);
        }
    }
}

/* ------------------------------------------------------------ manifests */

/* The row a pool's manifest exports: the winner (or the closest) when a
 * Kubernetes object can hold it (the fixed fleet, hpa, kpa, the schedule
 * as KEDA's cron triggers), else the best ranked row that one can. NULL:
 * none. */
static const ts_advice_row *exported(const ts_advice_pool *ap)
{
    static const char *const deployable[] = {"fixed", "hpa", "kpa", "schedule"};
    for (size_t k = 0; k < ap->n_rows; k++) {
        const ts_advice_row *r = &ap->rows[k];
        const char *t = r->type ? ts_policy_type_name(r->type) : "fixed";
        for (size_t j = 0; j < sizeof deployable / sizeof deployable[0]; j++)
            if (!strcmp(t, deployable[j]))
                return r;
    }
    return NULL;
}

/* Days as cron's day-of-week field: "*", or ranges and days ("1-5",
 * "0,6"), from bits 0 (Sunday) .. 6. */
static void cron_days(unsigned mask, char *buf, size_t size)
{
    mask &= 0x7fu;
    if (mask == 0x7fu) {
        snprintf(buf, size, "*");
        return;
    }
    size_t at = 0;
    buf[0] = '\0';
    for (int d = 0; d < 7 && at < size; d++) {
        if (!(mask >> d & 1u))
            continue;
        int e = d;
        while (e + 1 < 7 && (mask >> (e + 1) & 1u))
            e++;
        at += (size_t)snprintf(buf + at, size - at, e > d + 1 ? "%s%d-%d" : e == d + 1 ? "%s%d,%d" : "%s%d",
                               at ? "," : "", d, e);
        d = e;
    }
}

/* The schedule's windows as KEDA cron triggers: each opens lead_s before
 * its hour (on the day before when that crosses midnight) and closes at
 * its to_hour; UTC, as tapscale's clock. */
static void cron_triggers(const ts_policy *pol, ts_buf *b)
{
    const ts_schedule_config *sc = ts_policy_settings_get(pol, &ts_policy_schedule);
    const int64_t lead_min = (sc->lead_s + 59) / 60;
    for (int k = 0; k < sc->n_windows; k++) {
        const ts_schedule_window *w = &sc->windows[k];
        const unsigned mask = ts_schedule_day_mask(w->days);
        int64_t start = (int64_t)w->from_hour * 60 - lead_min;
        unsigned start_mask = mask;
        for (; start < 0; start += 1440)
            start_mask = ts_schedule_shift_days(start_mask, -1);
        unsigned end_mask = w->to_hour == 24 ? ts_schedule_shift_days(mask, 1) : mask;
        char sd[32], ed[32];
        cron_days(start_mask, sd, sizeof sd);
        cron_days(end_mask, ed, sizeof ed);
        ts_buf_printf(b, "    - type: cron\n      metadata:\n        timezone: Etc/UTC\n"
                         "        start: \"%lld %lld * * %s\"\n        end: \"0 %d * * %s\"\n"
                         "        desiredReplicas: \"%d\"\n",
                      (long long)(start % 60), (long long)(start / 60), sd, (int)(w->to_hour % 24), ed,
                      (int)w->replicas);
    }
}

static void num(ts_buf *b, const ts_policy *pol, const char *key, const char *suffix)
{
    double v = 0;
    ts_policy_number(pol, key, &v);
    ts_buf_putc(b, '"');
    ts_buf_double(b, v);
    ts_buf_printf(b, "%s\"", suffix);
}

/* tapscale's whole setting, as the annotation indent spaces deep. */
static void own_annotation(const ts_policy *pol, int indent, ts_buf *b)
{
    ts_buf_printf(b, "%*stapscale.dev/autoscaling: |\n%*sautoscaling:\n", indent, "", indent + 2, "");
    ts_policy_yaml(pol, indent + 4, b);
}

/* The tokens per second per replica at the setting's target: the metric
 * target of a real cluster (vLLM's generation tokens, as a rate). */
static double tokens_target(const ts_inputs *in, const ts_plan *p, size_t i, const ts_policy *pol)
{
    return round(in->cand[p->rows[i].cand_index].tps_eff * pol->target_utilization_pct / 100.0 * 1000.0) / 1000.0;
}

/* The HPA's behavior of pol (autoscaling/v2 spec.behavior, indent spaces
 * deep), when its setting has one: each direction's window, select policy,
 * tolerance (the direction's, else the controller's) and rate policies. */
static void hpa_behavior(const ts_policy *pol, int indent, ts_buf *b)
{
    const ts_hpa_config *h = ts_hpa_settings(pol);
    if (!h->has_behavior)
        return;
    static const char *const select[] = {"Max", "Min", "Disabled"};
    static const char *const kind[] = {"Pods", "Percent"};
    const struct {
        const char *name;
        const ts_hpa_rules *r;
    } dirs[] = {{"scaleUp", &h->behavior.scale_up}, {"scaleDown", &h->behavior.scale_down}};
    ts_buf_printf(b, "%*sbehavior:  # tolerance per direction: Kubernetes 1.33+ (HPAConfigurableTolerance)\n", indent, "");
    for (size_t k = 0; k < 2; k++) {
        const ts_hpa_rules *r = dirs[k].r;
        ts_buf_printf(b, "%*s%s:\n%*sstabilizationWindowSeconds: %d\n%*sselectPolicy: %s\n%*stolerance: ", indent + 2, "",
                      dirs[k].name, indent + 4, "", (int)r->stabilization_window_s, indent + 4, "", select[r->select],
                      indent + 4, "");
        ts_buf_double(b, r->has_tolerance ? r->tolerance : h->tolerance);
        ts_buf_printf(b, "\n%*spolicies:\n", indent + 4, "");
        for (int j = 0; j < r->n_policies; j++)
            ts_buf_printf(b, "%*s- {type: %s, value: %d, periodSeconds: %d}\n", indent + 6, "", kind[r->policy[j].type],
                          (int)r->policy[j].value, (int)r->policy[j].period_s);
    }
}

/* A Knative Service of pol for the model of md: its autoscaling.knative.dev/
 * annotations, and tapscale's own. */
static void knative_service(const ts_model_demand *md, const ts_policy *pol, ts_buf *b)
{
    const char *dep = md->deployment;
    ts_buf_printf(b, "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: %s\n  annotations:\n", dep);
    own_annotation(pol, 4, b);
    ts_buf_puts(b, "spec:\n  template:\n    metadata:\n      annotations:\n");
    static const struct {
        const char *name, *key, *suffix;
    } kn[] = {
        {"target-utilization-percentage", "target_utilization_pct", ""},
        {"min-scale", "min_instances_per_model", ""},
        {"max-scale", "max_instances_per_model", ""},
        {"window", "kpa.stable_window_s", "s"},
        {"panic-window-percentage", "kpa.panic_window_pct", ""},
        {"panic-threshold-percentage", "kpa.panic_threshold_pct", ""},
        {"scale-down-delay", "kpa.scale_down_delay_s", "s"},
    };
    for (size_t k = 0; k < sizeof kn / sizeof kn[0]; k++) {
        ts_buf_printf(b, "        autoscaling.knative.dev/%s: ", kn[k].name);
        num(b, pol, kn[k].key, kn[k].suffix);
        ts_buf_putc(b, '\n');
    }
    ts_buf_printf(b, "    spec:\n      containers:\n        - image: vllm/vllm-openai  # your serving image\n"
                     "          args: [\"--model\", \"%s\"]\n",
                  md->model);
}

void ts_render_advice_manifest(const ts_inputs *in, const ts_plan *p, const ts_advice *a, size_t i,
                               ts_manifest_format f, ts_buf *b)
{
    const ts_advice_pool *ap = &a->pools[i];
    const ts_model_demand *md = &in->demand[p->rows[i].demand_index];
    const ts_advice_row *r = exported(ap);
    ts_buf_printf(b, "# tapscale advise for %s: ", md->model);
    advice_sentence(in, p, a, i, b);
    ts_buf_putc(b, '\n');
    if (!r) {
        ts_buf_puts(b, "# No way to serve it can be written as a Kubernetes object.\n");
        return;
    }
    const ts_advice_row *w = ap->winner >= 0 ? &ap->rows[ap->winner] : &ap->rows[0];
    if (r != w)
        ts_buf_printf(b, "# The %s has no Kubernetes object (tuned_public_tap.yaml holds it); this is the best way that "
                         "has one: %s, rank %zu.\n",
                      way_name(w), way_name(r), (size_t)(r - ap->rows) + 1);
    if (!r->feasible)
        ts_buf_puts(b, "# It does not meet the service level: no way here does.\n");
    ts_buf_puts(b, "# tapscale.dev/autoscaling is the setting tapscale simulated; `tapscale run --manifest` reads it\n"
                   "# back under this object's own fields.\n");
    const ts_policy *pol = &r->policy;
    const char *dep = md->deployment;
    const int kpa = r->type && !strcmp(ts_policy_type_name(r->type), "kpa");
    if (kpa) {
        knative_service(md, pol, b);
        return;
    }
    const int schedule = r->type == &ts_policy_schedule;
    if (schedule)
        ts_buf_puts(b, "# A schedule is KEDA's cron scaler (an HPA has none): the replicas change when the clock says,\n"
                       "# and the HPA KEDA makes follows at once.\n");
    if (f == TS_MANIFEST_KEDA || schedule) {
        ts_buf_printf(b, "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: %s-tapscale\n  annotations:\n",
                      dep);
        own_annotation(pol, 4, b);
        ts_buf_printf(b, "spec:\n  scaleTargetRef:\n    name: %s\n  minReplicaCount: %lld\n  maxReplicaCount: %lld\n",
                      dep, (long long)pol->min_instances, (long long)pol->max_instances);
        if (schedule) {
            ts_buf_puts(b, "  cooldownPeriod: 0  # down to minReplicaCount as a window closes, as simulated\n"
                           "  advanced:\n    horizontalPodAutoscalerConfig:\n      behavior:\n"
                           "        scaleUp: {stabilizationWindowSeconds: 0, policies: [{type: Percent, value: 1000, periodSeconds: 15}]}\n"
                           "        scaleDown: {stabilizationWindowSeconds: 0, policies: [{type: Percent, value: 100, periodSeconds: 15}]}\n"
                           "  triggers:\n");
            cron_triggers(pol, b);
            return;
        }
        if (ts_hpa_settings(pol)->has_behavior) {
            ts_buf_puts(b, "  advanced:\n    horizontalPodAutoscalerConfig:\n");
            hpa_behavior(pol, 6, b);
        }
        ts_buf_puts(b, "  cooldownPeriod: ");
        double cd = 0;
        ts_policy_number(pol, "hpa.keda_cooldown_s", &cd);
        ts_buf_double(b, cd);
        ts_buf_printf(b, "\n  triggers:\n    - type: prometheus\n      metadata:\n"
                         "        query: sum(rate(vllm:generation_tokens_total{model_name=\"%s\"}[1m]))\n"
                         "        threshold: \"",
                      md->model);
        ts_buf_double(b, tokens_target(in, p, i, pol));
        ts_buf_puts(b, "\"  # output tokens/s per replica at the target utilization\n");
        return;
    }
    ts_buf_printf(b, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: %s-tapscale\n"
                     "  annotations:\n",
                  dep);
    own_annotation(pol, 4, b);
    ts_buf_printf(b, "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}\n  minReplicas: %lld\n"
                     "  maxReplicas: %lld\n  metrics:\n    - type: Pods\n      pods:\n"
                     "        metric: {name: vllm_generation_tokens_per_second}  # rate(vllm:generation_tokens_total[1m]) per pod\n"
                     "        target: {type: AverageValue, averageValue: \"",
                  dep, (long long)pol->min_instances, (long long)pol->max_instances);
    ts_buf_double(b, tokens_target(in, p, i, pol));
    ts_buf_puts(b, "\"}\n");
    hpa_behavior(pol, 2, b);
    double tol = 0, stab = 0;
    if (r->type && !ts_hpa_settings(pol)->has_behavior && ts_policy_number(pol, "hpa.tolerance", &tol) &&
        ts_policy_number(pol, "hpa.downscale_stabilization_s", &stab))
        ts_buf_printf(b, "# the controller's flags this simulation assumed: --horizontal-pod-autoscaler-tolerance=%g "
                         "--horizontal-pod-autoscaler-downscale-stabilization=%gs\n",
                      tol, stab);
}

ts_status ts_render_advised_public_tap(const char *file, const char *text, size_t len, const ts_inputs *in,
                                       const ts_plan *p, const ts_advice *a, ts_buf *b, ts_diags *d)
{
    const ts_policy **pols = ts_calloc(p->n ? p->n : 1, sizeof *pols);
    char **notes = ts_calloc(p->n ? p->n : 1, sizeof *notes);
    ts_status st = pols && notes ? TS_OK : TS_ENOMEM;
    size_t made = 0;
    for (size_t i = 0; st == TS_OK && i < p->n; i++) {
        const ts_advice_pool *ap = &a->pools[i];
        pols[i] = ap->n_rows ? &ap->rows[ap->winner >= 0 ? ap->winner : 0].policy : NULL;
        ts_buf s;
        ts_buf_init(&s);
        advice_sentence(in, p, a, i, &s);
        if (ap->winner < 0 && ap->n_rows)
            ts_buf_puts(&s, " (written below, though it misses the level)");
        ts_buf_putc(&s, '\0');
        notes[made++] = s.data;
        if (s.oom)
            st = TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_render_public_tap_models(file, text, len, in, p, pols, (const char *const *)notes, "tapscale advise",
                                         b, d);
    for (size_t i = 0; i < made; i++)
        free(notes[i]);
    free(notes);
    free(pols);
    return st;
}
