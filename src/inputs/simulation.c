/*
 * simulation.c — the acceptance settings of simulation.yaml; see
 * simulation.h.
 */
#include "inputs/simulation.h"
#include "util/diag.h"
#include "util/keys.h"
#include "util/yamlread.h"

#include <stddef.h>

typedef struct sim_targets {
    double tolerance;
    int has_tolerance;
} sim_targets;
typedef struct sim_run {
    int fail_on_warning;
} sim_run;

static const ts_key targets_keys[] = {
    {.name = "autoscaling_util_tolerance_pct", .type = TS_KEY_NUM, .offset = offsetof(sim_targets, tolerance),
     .present = TS_PRESENT(offsetof(sim_targets, has_tolerance)), .def = 25, TS_FROM_TO(0, 1000),
     .doc = "the p95 band around the target"},
};
static const ts_key run_keys[] = {
    {.name = "fail_on_warning", .type = TS_KEY_BOOL, .offset = offsetof(sim_run, fail_on_warning),
     .doc = "turn every WARN into FAIL"},
};

/* A rule's severity as written: index 0 warn, 1 fail. */
static const char *const severity_names[] = {"warn", "fail", NULL};
static const ts_verdict severity_of[] = {TS_WARN, TS_FAIL};

typedef struct sim_acceptance {
    int rule[TS_RULE_COUNT];
    int given[TS_RULE_COUNT];
} sim_acceptance;

#define RULE_KEY(r, nm)                                                                                         \
    {.name = nm, .type = TS_KEY_ENUM, .offset = offsetof(sim_acceptance, rule[r]),                           \
     .present = TS_PRESENT(offsetof(sim_acceptance, given[r])), .names = severity_names,                      \
     .doc = "severity of a broken " nm " rule"}
static const ts_key acceptance_keys[] = {
    RULE_KEY(TS_RULE_CAPACITY, "capacity_violation"),
    RULE_KEY(TS_RULE_P95, "p95_util"),
    RULE_KEY(TS_RULE_SLA, "sla_violations"),
    RULE_KEY(TS_RULE_QUEUE, "queue_delay"),
};
#undef RULE_KEY

void ts_acceptance_defaults(ts_acceptance_cfg *a)
{
    a->util_tolerance_pct = 25;
    a->severity[TS_RULE_CAPACITY] = TS_WARN;
    a->severity[TS_RULE_P95] = TS_WARN;
    a->severity[TS_RULE_SLA] = TS_FAIL;
    a->severity[TS_RULE_QUEUE] = TS_FAIL;
    a->fail_on_warning = 0;
}

ts_status ts_read_simulation(const char *file, const char *data, size_t len, ts_acceptance_cfg *a, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    if (ts_yaml_load(&y, file, data, len, d) != 0)
        return ts_diags_status(d, before);
    yaml_node_t *root = ts_yaml_root(&y);
    if (root && root->type == YAML_MAPPING_NODE) {
        sim_targets t;
        sim_run r;
        sim_acceptance ac;
        ts_yaml_unique_keys(&y, root, "", 0);
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "targets"), targets_keys, 1, &t, 0, "targets", d);
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "run"), run_keys, 1, &r, 0, "run", d);
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "acceptance"), acceptance_keys, TS_RULE_COUNT, &ac, 1,
                           "acceptance", d);
        if (t.has_tolerance)
            a->util_tolerance_pct = t.tolerance;
        a->fail_on_warning = r.fail_on_warning;
        for (int i = 0; i < TS_RULE_COUNT; i++)
            if (ac.given[i])
                a->severity[i] = severity_of[ac.rule[i]];
    } else if (root && !ts_yaml_is_null(root)) {
        ts_err(d, file, ts_yaml_line(root), ts_yaml_col(root),
               "the document is not a mapping (expected sections such as targets: and run:)");
    }
    ts_yaml_free(&y);
    return ts_diags_status(d, before);
}
