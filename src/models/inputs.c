/*
 * inputs.c — policy, runtime and acceptance settings, and the loader of a
 * whole run's inputs; see inputs.h.
 */
#include "models/inputs.h"
#include "models/demand.h"
#include "models/facts.h"
#include "services/hpa.h"
#include "services/policies.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/sha256.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Instance counts are capped so that replica-seconds stay exact in int64. */
#define MAX_INSTANCES 1e9
#define MAX_SECONDS 3.1536e9 /* 100 years */

#define P(f) offsetof(ts_policy, f)
static const ts_key_spec policy_keys[] = {
    {"target_utilization_pct", TS_KEY_NUM, P(target_utilization_pct), TS_NO_PRESENT, 1, 75, 1, 0, 1, 1, 0, 100, "a number from 1 to 100"},
    {"peak_factor", TS_KEY_NUM, P(peak_factor), TS_NO_PRESENT, 1, 1.2, 1, 0, 1.0, 0, 0, 0, "a number of at least 1.0"},
    {"min_instances_per_model", TS_KEY_INT, P(min_instances), TS_NO_PRESENT, 1, 0, 1, 0, 0, 1, 0, MAX_INSTANCES, "an integer from 0 to max_instances_per_model"},
    {"max_instances_per_model", TS_KEY_INT, P(max_instances), TS_NO_PRESENT, 1, 100, 1, 0, 1, 1, 0, MAX_INSTANCES, "an integer from 1 to 1000000000"},
    {"evaluation_interval_s", TS_KEY_INT, P(evaluation_interval_s), TS_NO_PRESENT, 0, 60, 1, 0, 1, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 1"},
    {"scale_up_threshold_pct", TS_KEY_NUM, P(scale_up_threshold_pct), TS_NO_PRESENT, 0, 70, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"scale_down_threshold_pct", TS_KEY_NUM, P(scale_down_threshold_pct), TS_NO_PRESENT, 0, 50, 1, 1, 0, 1, 1, 100, "a number above 0 and below scale_up_threshold_pct"},
    {"scale_up_step_replicas", TS_KEY_INT, P(scale_up_step), TS_NO_PRESENT, 0, 1, 1, 0, 1, 1, 0, MAX_INSTANCES, "an integer of at least 1"},
    {"scale_down_step_replicas", TS_KEY_INT, P(scale_down_step), TS_NO_PRESENT, 0, 1, 1, 0, 1, 1, 0, MAX_INSTANCES, "an integer of at least 1"},
    {"stabilization_window_s", TS_KEY_INT, P(stabilization_window_s), TS_NO_PRESENT, 0, 300, 1, 0, 0, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 0"},
    {"warmup_s", TS_KEY_INT, P(warmup_s), TS_NO_PRESENT, 0, 120, 1, 0, 0, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 0"},
    {"cooldown_s", TS_KEY_INT, P(cooldown_s), TS_NO_PRESENT, 0, 120, 1, 0, 0, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 0"},
    {"capacity_peak_percentile", TS_KEY_NUM, P(capacity_peak_percentile), P(has_peak_percentile), 0, 100, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"policy", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "threshold, hpa or kpa"},
    {"hpa", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "the HPA's settings"},
    {"kpa", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "the KPA's settings"},
};
#undef P

#define H(f) offsetof(ts_hpa_config, f)
static const ts_key_spec hpa_keys[] = {
    {"sync_period_s", TS_KEY_INT, H(sync_period_s), TS_NO_PRESENT, 0, 15, 1, 0, 1, 1, 0, 3600, "an integer number of seconds from 1 to 3600"},
    {"tolerance", TS_KEY_NUM, H(tolerance), TS_NO_PRESENT, 0, 0.1, 1, 0, 0, 1, 1, 1, "a fraction from 0 to below 1"},
    {"downscale_stabilization_s", TS_KEY_INT, H(downscale_stabilization_s), TS_NO_PRESENT, 0, 300, 1, 0, 0, 1, 0, 86400, "an integer number of seconds from 0 to 86400"},
    {"scale_up_limit_factor", TS_KEY_NUM, H(scale_up_limit_factor), TS_NO_PRESENT, 0, 2, 1, 0, 1, 1, 0, 1000, "a number from 1 to 1000"},
    {"scale_up_limit_minimum", TS_KEY_NUM, H(scale_up_limit_minimum), TS_NO_PRESENT, 0, 4, 1, 0, 1, 1, 0, 1e6, "a number from 1 to 1000000"},
    {"keda_cooldown_s", TS_KEY_INT, H(keda_cooldown_s), TS_NO_PRESENT, 0, 300, 1, 0, 0, 1, 0, 86400, "an integer number of seconds from 0 to 86400"},
    {"behavior", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "scale_up: and scale_down: rules"},
};
#undef H

typedef struct rules_fields {
    int64_t window;
    int has_window;
    const char *select;
    double tolerance;
    int has_tolerance;
} rules_fields;

#define RF(f) offsetof(rules_fields, f)
static const ts_key_spec rules_keys[] = {
    {"stabilization_window_s", TS_KEY_INT, RF(window), RF(has_window), 0, 0, 1, 0, 0, 1, 0, 3600, "an integer number of seconds from 0 to 3600"},
    {"select_policy", TS_KEY_STR, RF(select), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "Max, Min or Disabled"},
    {"tolerance", TS_KEY_NUM, RF(tolerance), RF(has_tolerance), 0, 0, 1, 0, 0, 1, 1, 1, "a fraction from 0 to below 1"},
    {"policies", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "a list of policies"},
};
#undef RF

typedef struct policy_fields {
    const char *type;
    int64_t value;
    int64_t period;
} policy_fields;

static const ts_key_spec hpa_policy_keys[] = {
    {"type", TS_KEY_STR, offsetof(policy_fields, type), TS_NO_PRESENT, 1, 0, 0, 0, 0, 0, 0, 0, "Pods or Percent"},
    {"value", TS_KEY_INT, offsetof(policy_fields, value), TS_NO_PRESENT, 1, 1, 1, 0, 1, 1, 0, 1e6, "an integer from 1 to 1000000"},
    {"period_s", TS_KEY_INT, offsetof(policy_fields, period), TS_NO_PRESENT, 1, 15, 1, 0, 1, 1, 0, 1800, "an integer number of seconds from 1 to 1800"},
};

#define K(f) offsetof(ts_kpa_config, f)
static const ts_key_spec kpa_keys[] = {
    {"tick_s", TS_KEY_INT, K(tick_s), TS_NO_PRESENT, 0, 2, 1, 0, 1, 1, 0, 60, "an integer number of seconds from 1 to 60"},
    {"stable_window_s", TS_KEY_NUM, K(stable_window_s), TS_NO_PRESENT, 0, 60, 1, 0, 6, 1, 0, 3600, "a number of seconds from 6 to 3600"},
    {"panic_window_pct", TS_KEY_NUM, K(panic_window_pct), TS_NO_PRESENT, 0, 10, 1, 0, 1, 1, 0, 100, "a number from 1 to 100"},
    {"panic_threshold_pct", TS_KEY_NUM, K(panic_threshold_pct), TS_NO_PRESENT, 0, 200, 1, 0, 110, 1, 0, 1000, "a number from 110 to 1000"},
    {"max_scale_up_rate", TS_KEY_NUM, K(max_scale_up_rate), TS_NO_PRESENT, 0, 1000, 1, 1, 1, 1, 0, 1e6, "a number above 1"},
    {"max_scale_down_rate", TS_KEY_NUM, K(max_scale_down_rate), TS_NO_PRESENT, 0, 2, 1, 1, 1, 1, 0, 1e6, "a number above 1"},
    {"activation_scale", TS_KEY_INT, K(activation_scale), TS_NO_PRESENT, 0, 1, 1, 0, 1, 1, 0, 1e6, "an integer of at least 1"},
    {"scale_down_delay_s", TS_KEY_NUM, K(scale_down_delay_s), TS_NO_PRESENT, 0, 0, 1, 0, 0, 1, 0, 3600, "a number of seconds from 0 to 3600"},
    {"scale_to_zero_grace_s", TS_KEY_NUM, K(scale_to_zero_grace_s), TS_NO_PRESENT, 0, 30, 1, 0, 0, 1, 0, 3600, "a number of seconds from 0 to 3600"},
};
#undef K

/* One direction of autoscaling.hpa.behavior; absent fields take the API
 * defaults of the direction (GenerateHPAScale{Up,Down}Rules). */
static void read_rules(ts_yaml *y, yaml_node_t *n, const char *section, int up, int64_t down_window,
                       ts_hpa_rules *out, ts_diags *d)
{
    if (up)
        ts_hpa_default_up(out);
    else
        ts_hpa_default_down(out, (int32_t)down_window);
    if (!n || ts_yaml_is_null(n))
        return;
    rules_fields rf;
    if (ts_yaml_read_table(y, n, rules_keys, sizeof rules_keys / sizeof rules_keys[0], &rf, 1, section, d) != 0)
        return;
    if (rf.has_window)
        out->stabilization_window_s = (int32_t)rf.window;
    if (rf.select) {
        static const struct {
            const char *name;
            ts_hpa_select v;
        } sel[] = {{"Max", TS_HPA_SELECT_MAX}, {"Min", TS_HPA_SELECT_MIN}, {"Disabled", TS_HPA_SELECT_DISABLED}};
        size_t i = 0;
        while (i < 3 && strcmp(sel[i].name, rf.select) != 0)
            i++;
        if (i == 3)
            ts_yaml_err(y, ts_yaml_get(y, n, "select_policy"), "%s.select_policy is %s (expected Max, Min or Disabled)",
                        section, rf.select);
        else
            out->select = sel[i].v;
    }
    out->has_tolerance = rf.has_tolerance;
    out->tolerance = rf.tolerance;
    yaml_node_t *pl = ts_yaml_get(y, n, "policies");
    if (!pl || ts_yaml_is_null(pl))
        return;
    if (pl->type != YAML_SEQUENCE_NODE) {
        ts_yaml_err(y, pl, "%s.policies is not a list (expected a list of {type, value, period_s})", section);
        return;
    }
    out->n_policies = 0;
    for (yaml_node_item_t *it = pl->data.sequence.items.start; it < pl->data.sequence.items.top; it++) {
        yaml_node_t *pn = yaml_document_get_node(&y->doc, *it);
        char sec[200];
        snprintf(sec, sizeof sec, "%s.policies[%d]", section, (int)(it - pl->data.sequence.items.start));
        policy_fields pf;
        if (ts_yaml_read_table(y, pn, hpa_policy_keys, 3, &pf, 1, sec, d) != 0)
            continue;
        int pods = !strcmp(pf.type, "Pods");
        if (!pods && strcmp(pf.type, "Percent") != 0) {
            ts_yaml_err(y, ts_yaml_get(y, pn, "type"), "%s.type is %s (expected Pods or Percent)", sec, pf.type);
            continue;
        }
        if (out->n_policies == TS_HPA_MAX_POLICIES) {
            ts_yaml_err(y, pn, "%s: too many policies (expected at most %d)", section, TS_HPA_MAX_POLICIES);
            break;
        }
        out->policy[out->n_policies++] = (ts_hpa_policy){pods ? TS_HPA_PODS : TS_HPA_PERCENT, (int32_t)pf.value,
                                                         (int32_t)pf.period};
    }
}

/* autoscaling.policy, .hpa and .kpa. */
static void read_policy_kind(ts_yaml *y, yaml_node_t *as, ts_policy *p, ts_diags *d)
{
    yaml_node_t *pk = ts_yaml_get(y, as, "policy");
    const char *kind = ts_yaml_scalar(pk);
    if (pk && !ts_yaml_is_null(pk)) {
        static const ts_policy_kind kinds[] = {TS_POLICY_THRESHOLD, TS_POLICY_HPA, TS_POLICY_KPA};
        size_t i = 0;
        while (kind && i < 3 && strcmp(ts_policy_kind_name(kinds[i]), kind) != 0)
            i++;
        if (!kind || i == 3)
            ts_yaml_err(y, pk, "autoscaling.policy is %s (expected threshold, hpa or kpa)", kind ? kind : "not a name");
        else
            p->kind = kinds[i];
    }
    yaml_node_t *hn = ts_yaml_get(y, as, "hpa");
    if (hn && !ts_yaml_is_null(hn) &&
        ts_yaml_read_table(y, hn, hpa_keys, sizeof hpa_keys / sizeof hpa_keys[0], &p->hpa, 1, "autoscaling.hpa", d) == 0) {
        yaml_node_t *bn = ts_yaml_get(y, hn, "behavior");
        ts_hpa_default_up(&p->hpa.up);
        ts_hpa_default_down(&p->hpa.down, (int32_t)p->hpa.downscale_stabilization_s);
        if (bn && !ts_yaml_is_null(bn)) {
            static const ts_key_spec behavior_keys[] = {
                {"scale_up", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "rules"},
                {"scale_down", TS_KEY_SKIP, 0, TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "rules"},
            };
            int dummy;
            if (ts_yaml_read_table(y, bn, behavior_keys, 2, &dummy, 1, "autoscaling.hpa.behavior", d) == 0) {
                p->hpa.has_behavior = 1;
                read_rules(y, ts_yaml_get(y, bn, "scale_up"), "autoscaling.hpa.behavior.scale_up", 1,
                           p->hpa.downscale_stabilization_s, &p->hpa.up, d);
                read_rules(y, ts_yaml_get(y, bn, "scale_down"), "autoscaling.hpa.behavior.scale_down", 0,
                           p->hpa.downscale_stabilization_s, &p->hpa.down, d);
            }
        }
        /* the histories cover the longest window or policy period */
        int64_t longest = p->hpa.downscale_stabilization_s;
        const ts_hpa_rules *dirs[] = {&p->hpa.up, &p->hpa.down};
        for (int i = 0; i < 2; i++) {
            if (dirs[i]->stabilization_window_s > longest)
                longest = dirs[i]->stabilization_window_s;
            for (int j = 0; j < dirs[i]->n_policies; j++)
                if (dirs[i]->policy[j].period_s > longest)
                    longest = dirs[i]->policy[j].period_s;
        }
        if (longest / p->hpa.sync_period_s > TS_MAX_PERIODS_PER_WINDOW)
            ts_yaml_err(y, hn, "autoscaling.hpa: a window of %lld s spans more than %d sync periods (expected a longer sync_period_s or shorter windows)",
                        (long long)longest, TS_MAX_PERIODS_PER_WINDOW);
    }
    yaml_node_t *kn = ts_yaml_get(y, as, "kpa");
    if (kn && !ts_yaml_is_null(kn) &&
        ts_yaml_read_table(y, kn, kpa_keys, sizeof kpa_keys / sizeof kpa_keys[0], &p->kpa, 1, "autoscaling.kpa", d) == 0) {
        if (p->kpa.stable_window_s / (double)p->kpa.tick_s > TS_MAX_PERIODS_PER_WINDOW)
            ts_yaml_err(y, kn, "autoscaling.kpa.stable_window_s spans more than %d ticks (expected a longer tick_s)",
                        TS_MAX_PERIODS_PER_WINDOW);
    }
}

#define R(f) offsetof(ts_runtime, f)
static const ts_key_spec runtime_keys[] = {
    {"slots_total_default", TS_KEY_INT, R(slots_total_default), TS_NO_PRESENT, 0, 32, 1, 0, 1, 1, 0, 1e6, "an integer from 1 to 1000000"},
    {"batching_efficiency_pct", TS_KEY_NUM, R(batching_efficiency_pct), TS_NO_PRESENT, 0, 70, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"offline_derating_pct", TS_KEY_NUM, R(offline_derating_pct), TS_NO_PRESENT, 0, 40, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"allow_tps_heuristic", TS_KEY_BOOL, R(allow_tps_heuristic), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "true or false"},
};
#undef R

typedef struct meta_fields {
    int64_t seed;
    int has_seed;
} meta_fields;

static const ts_key_spec meta_keys[] = {
    {"seed", TS_KEY_INT, offsetof(meta_fields, seed), offsetof(meta_fields, has_seed), 0, 0, 1, 0, 0, 0, 0, 0, "an integer of at least 0"},
};

void ts_policy_defaults(ts_policy *p)
{
    memset(p, 0, sizeof *p);
    ts_yaml_defaults(policy_keys, sizeof policy_keys / sizeof policy_keys[0], p);
    p->kind = TS_POLICY_THRESHOLD;
    ts_yaml_defaults(hpa_keys, sizeof hpa_keys / sizeof hpa_keys[0], &p->hpa);
    ts_hpa_default_up(&p->hpa.up);
    ts_hpa_default_down(&p->hpa.down, (int32_t)p->hpa.downscale_stabilization_s);
    ts_yaml_defaults(kpa_keys, sizeof kpa_keys / sizeof kpa_keys[0], &p->kpa);
}

void ts_runtime_defaults(ts_runtime *rt)
{
    ts_yaml_defaults(runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0], rt);
}

void ts_acceptance_defaults(ts_acceptance_cfg *a)
{
    a->util_tolerance_pct = 25;
    a->severity[TS_RULE_CAPACITY] = TS_WARN;
    a->severity[TS_RULE_P95] = TS_WARN;
    a->severity[TS_RULE_SLA] = TS_FAIL;
    a->fail_on_warning = 0;
}

int ts_policy_check(const ts_policy *p, char *msg, size_t size)
{
    int bad = 0;
    char first[256] = "";
    for (size_t i = 0; i < sizeof policy_keys / sizeof policy_keys[0]; i++) {
        const ts_key_spec *k = &policy_keys[i];
        if ((k->present != TS_NO_PRESENT && !*(const int *)((const char *)p + k->present)) || k->type == TS_KEY_SKIP)
            continue;
        double v = k->type == TS_KEY_NUM ? *(const double *)((const char *)p + k->offset)
                                         : (double)*(const int64_t *)((const char *)p + k->offset);
        int ok = (!k->has_lo || (k->lo_open ? v > k->lo : v >= k->lo)) &&
                 (!k->has_hi || (k->hi_open ? v < k->hi : v <= k->hi));
        if (!ok && !bad++)
            snprintf(first, sizeof first, "%s is out of range (expected %s)", k->name, k->expect);
    }
    if (p->min_instances > p->max_instances && !bad++)
        snprintf(first, sizeof first, "min_instances_per_model is above max_instances_per_model");
    if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct) && !bad++)
        snprintf(first, sizeof first, "scale_down_threshold_pct is not below scale_up_threshold_pct");
    if (msg && size)
        snprintf(msg, size, "%s", first);
    return bad;
}

/* The bounds between keys: min <= max, down < up. */
static void check_policy_pairs(ts_yaml *yp, yaml_node_t *as, const ts_policy *p)
{
    if (p->min_instances > p->max_instances) {
        yaml_node_t *n = ts_yaml_get(yp, as, "min_instances_per_model");
        ts_yaml_err(yp, n, "autoscaling.min_instances_per_model is %lld, above max_instances_per_model %lld (expected min <= max)",
                    (long long)p->min_instances, (long long)p->max_instances);
    }
    if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct)) {
        yaml_node_t *n = ts_yaml_get(yp, as, "scale_down_threshold_pct");
        if (!n)
            n = ts_yaml_get(yp, as, "scale_up_threshold_pct");
        ts_yaml_err(yp, n, "autoscaling.scale_down_threshold_pct is %g, not below scale_up_threshold_pct %g (expected 0 < down < up <= 100)",
                    p->scale_down_threshold_pct, p->scale_up_threshold_pct);
    }
}

int ts_read_public_tap(const char *file, const char *data, size_t len, ts_policy *p,
                       ts_runtime *rt, uint64_t *seed, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    ts_policy_defaults(p);
    ts_runtime_defaults(rt);
    if (ts_yaml_load(&y, file, data, len, d) != 0)
        return (int)(d->n_errors - before);
    yaml_node_t *root = ts_yaml_root(&y);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ts_err(d, file, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "the document is not a mapping (expected top-level sections such as autoscaling:)");
        ts_yaml_free(&y);
        return (int)(d->n_errors - before);
    }
    yaml_node_t *as = ts_yaml_get(&y, root, "autoscaling");
    if (!as)
        ts_err(d, file, 0, 0, "section autoscaling is missing (expected autoscaling: with the policy keys)");
    else {
        int table_errors = ts_yaml_read_table(&y, as, policy_keys, sizeof policy_keys / sizeof policy_keys[0], p, 1,
                                              "autoscaling", d);
        read_policy_kind(&y, as, p, d);
        if (table_errors == 0)
            check_policy_pairs(&y, as, p);
    }
    yaml_node_t *rn = ts_yaml_get(&y, root, "runtime");
    ts_yaml_read_table(&y, rn, runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0], rt, 1,
                       "runtime", d);
    meta_fields m;
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "meta"), meta_keys, 1, &m, 0, "meta", d);
    *seed = m.has_seed ? (uint64_t)m.seed : 0;
    ts_yaml_free(&y);
    return (int)(d->n_errors - before);
}

/* simulation.yaml: only the keys tapscale uses; the rest of the origin
 * engine's run plan is ignored. */
typedef struct sim_targets {
    double tolerance;
    int has_tolerance;
} sim_targets;
typedef struct sim_run {
    int fail_on_warning;
} sim_run;
typedef struct sim_acceptance {
    const char *rule[TS_RULE_COUNT];
} sim_acceptance;

static const ts_key_spec targets_keys[] = {
    {"autoscaling_util_tolerance_pct", TS_KEY_NUM, offsetof(sim_targets, tolerance), offsetof(sim_targets, has_tolerance), 0, 25, 1, 0, 0, 0, 0, 0, "a number of at least 0"},
};
static const ts_key_spec run_keys[] = {
    {"fail_on_warning", TS_KEY_BOOL, offsetof(sim_run, fail_on_warning), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "true or false"},
};
static const ts_key_spec acceptance_keys[] = {
    {"capacity_violation", TS_KEY_STR, offsetof(sim_acceptance, rule[TS_RULE_CAPACITY]), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "warn or fail"},
    {"p95_util", TS_KEY_STR, offsetof(sim_acceptance, rule[TS_RULE_P95]), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "warn or fail"},
    {"sla_violations", TS_KEY_STR, offsetof(sim_acceptance, rule[TS_RULE_SLA]), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "warn or fail"},
};

int ts_read_simulation(const char *file, const char *data, size_t len, ts_acceptance_cfg *a,
                       ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    if (ts_yaml_load(&y, file, data, len, d) != 0)
        return (int)(d->n_errors - before);
    yaml_node_t *root = ts_yaml_root(&y);
    if (root && root->type == YAML_MAPPING_NODE) {
        sim_targets t;
        sim_run r;
        sim_acceptance ac;
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "targets"), targets_keys, 1, &t, 0, "targets", d);
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "run"), run_keys, 1, &r, 0, "run", d);
        yaml_node_t *an = ts_yaml_get(&y, root, "acceptance");
        ts_yaml_read_table(&y, an, acceptance_keys, TS_RULE_COUNT, &ac, 1, "acceptance", d);
        if (t.has_tolerance)
            a->util_tolerance_pct = t.tolerance;
        a->fail_on_warning = r.fail_on_warning;
        for (int i = 0; i < TS_RULE_COUNT; i++) {
            if (!ac.rule[i])
                continue;
            if (!strcmp(ac.rule[i], "warn"))
                a->severity[i] = TS_WARN;
            else if (!strcmp(ac.rule[i], "fail"))
                a->severity[i] = TS_FAIL;
            else
                ts_yaml_err(&y, ts_yaml_get(&y, an, acceptance_keys[i].name),
                            "acceptance.%s is %s (expected warn or fail)", acceptance_keys[i].name, ac.rule[i]);
        }
    } else if (root && !ts_yaml_is_null(root)) {
        ts_err(d, file, ts_yaml_line(root), ts_yaml_col(root),
               "the document is not a mapping (expected sections such as targets: and run:)");
    }
    ts_yaml_free(&y);
    return (int)(d->n_errors - before);
}

/* ------------------------------------------------------------- the loader */

/* Reads one input file, records it with its hash, or reports why not. */
static char *read_input(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d)
{
    char *data = NULL;
    int e = ts_read_file(path, &data, len);
    if (e) {
        if (!(optional && e == ENOENT))
            ts_err(d, path, 0, 0, "cannot read: %s (expected a readable file)", strerror(e));
        if (e == ENOMEM)
            d->oom = 1;
        return NULL;
    }
    ts_input_file *f = realloc(in->files, (in->n_files + 1) * sizeof *f);
    if (!f) {
        free(data);
        d->oom = 1;
        return NULL;
    }
    in->files = f;
    f = &in->files[in->n_files];
    f->path = ts_strdup(path);
    if (!f->path || ts_sha256_hex(data, *len, f->sha256) != 0) {
        free(f->path);
        free(data);
        d->oom = 1;
        return NULL;
    }
    in->n_files++;
    return data;
}

char *ts_inputs_read_file(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d)
{
    return read_input(in, path, len, optional, d);
}

ts_status ts_inputs_load(const ts_load_options *opt, ts_inputs **out, ts_diags *d)
{
    *out = NULL;
    ts_inputs *in = calloc(1, sizeof *in);
    if (!in)
        return TS_ERUNTIME;
    ts_diags_init(&in->warnings);
    in->dir = ts_strdup(opt->dir);
    ts_acceptance_defaults(&in->acceptance);
    ts_policy_defaults(&in->policy);
    ts_runtime_defaults(&in->runtime);
    size_t before = d->n_errors;

    char *path = ts_path_join(opt->dir, "operator/public_tap.yaml");
    size_t len = 0;
    char *data = path ? read_input(in, path, &len, 0, d) : NULL;
    int policy_ok = 0;
    if (data)
        policy_ok = ts_read_public_tap(path, data, len, &in->policy, &in->runtime, &in->seed, d) == 0;
    free(data);
    free(path);
    if (opt->has_seed)
        in->seed = opt->seed;

    path = ts_path_join(opt->dir, "simulation.yaml");
    data = path ? read_input(in, path, &len, 1, d) : NULL;
    if (data)
        ts_read_simulation(path, data, len, &in->acceptance, d);
    free(data);
    free(path);
    if (opt->has_tolerance)
        in->acceptance.util_tolerance_pct = opt->tolerance;
    if (opt->fail_on_warning)
        in->acceptance.fail_on_warning = 1;
    for (int r = 0; r < TS_RULE_COUNT; r++)
        if (opt->severity[r] != TS_PASS)
            in->acceptance.severity[r] = opt->severity[r];

    ts_load_demand(in, d);
    ts_load_facts(in, d);
    (void)policy_ok;

    if (d->oom) {
        ts_inputs_free(in);
        return TS_ERUNTIME;
    }
    if (d->n_errors > before) {
        ts_inputs_free(in);
        return TS_EINPUT;
    }
    *out = in;
    return TS_OK;
}

void ts_inputs_free(ts_inputs *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n_demand; i++) {
        free(in->demand[i].model);
        free(in->demand[i].rate);
        free(in->demand[i].decl_file);
    }
    free(in->demand);
    for (size_t i = 0; i < in->n_cand; i++) {
        free(in->cand[i].model);
        free(in->cand[i].gpu);
        free(in->cand[i].basis);
    }
    free(in->cand);
    for (size_t i = 0; i < in->n_files; i++)
        free(in->files[i].path);
    free(in->files);
    free(in->currency);
    free(in->dir);
    ts_diags_free(&in->warnings);
    free(in);
}
