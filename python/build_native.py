"""Builds tapscale._native, the cffi extension (API mode) over libtapscale.

    python3 python/build_native.py --include DIR --libdir DIR --out DIR

compiles the extension against include/tapscale.h and the shared library in
--libdir, with that folder as its run path, and writes it with a copy of
the package python/tapscale/ into --out (a folder to put on PYTHONPATH). In API mode the C
compiler lays out every struct: the declarations below name only the fields
Python reads or writes, and "...;" stands for the rest.
"""
import argparse
import os
import shutil

import cffi

CDEF = r"""
typedef enum ts_status { TS_OK = 0, TS_REJECTED = 1, TS_EINPUT = 2, TS_ERUNTIME = 3, TS_ENOMEM = 4 } ts_status;
typedef enum ts_diag_kind { TS_DIAG_ERROR = 0, TS_DIAG_WARNING = 1 } ts_diag_kind;
typedef struct ts_diag { ts_diag_kind kind; char *file; int line; int col; char *msg; } ts_diag;
typedef struct ts_diags { ts_diag *items; size_t n; size_t n_errors; int oom; ...; } ts_diags;
void ts_diags_init(ts_diags *d);
void ts_diags_free(ts_diags *d);
char *ts_diag_format(const ts_diag *dg, char *buf, size_t size);
const char *ts_version(void);

typedef struct ts_policy_type ts_policy_type;
typedef struct ts_policy {
    double target_utilization_pct; double peak_factor;
    int64_t min_instances; int64_t max_instances; int64_t warmup_s;
    const ts_policy_type *type; ...;
} ts_policy;
void ts_policy_defaults(ts_policy *p);
ts_status ts_policy_check(const ts_policy *p, ts_diags *d);
ts_status ts_policy_set(ts_policy *p, const char *key, const char *value, const char *source, ts_diags *d);
int64_t ts_policy_step_s(const ts_policy *p);
const char *ts_policy_type_name(const ts_policy_type *t);
const ts_policy_type *ts_policy_type_find(const char *name);

typedef struct ts_model_demand { char *model; double *rate; size_t n; int64_t tau_s; int64_t start; ...; } ts_model_demand;
typedef struct ts_candidate {
    char *model; char *gpu; int64_t gpu_count; double tps_eff; int has_price; double instance_price_hr;
    double cost_per_1m; ...;
} ts_candidate;
typedef struct ts_inputs {
    char *currency; ts_model_demand *demand; size_t n_demand; ts_candidate *cand; size_t n_cand;
    ts_diags warnings; ...;
} ts_inputs;
typedef struct ts_load_options {
    const char *dir; int has_seed; uint64_t seed; const char *const *set; size_t n_set;
    const char *const *manifests; size_t n_manifests; int threads; ...;
} ts_load_options;
ts_status ts_inputs_load(const ts_load_options *opt, ts_inputs **out, ts_diags *d);
void ts_inputs_free(ts_inputs *in);
const ts_policy *ts_inputs_policy(const ts_inputs *in, size_t i);

typedef struct ts_pool_spec {
    const char *model; const double *rate; size_t n; int64_t tau_s; int64_t start; const char *gpu;
    int64_t gpu_count; double tps_eff; int has_price; double price_hr; const char *currency; uint64_t seed; ...;
} ts_pool_spec;
ts_status ts_inputs_of_pool(const ts_pool_spec *spec, const ts_policy *p, ts_inputs **out, ts_diags *d);

typedef struct ts_planner_result {
    double avg_tokens_per_hour; double peak_tokens_per_hour; double tps; double cap_tokens_per_hour_per_instance;
    int64_t needed; int64_t instances_needed; int capacity_violation; ...;
} ts_planner_result;
typedef struct ts_plan_row { size_t demand_index; size_t cand_index; ts_planner_result r; } ts_plan_row;
typedef struct ts_plan { ts_plan_row *rows; size_t n; ts_diags warnings; ...; } ts_plan;
ts_status ts_plan_build(const ts_inputs *in, ts_plan **out);
void ts_plan_free(ts_plan *p);

typedef struct ts_step {
    double t_s; double demand; int64_t ready; int64_t warming; double capacity;
    int util_defined; double util_pct; ...;
} ts_step;
typedef struct ts_queue_kpis {
    double arrived_tokens; double served_tokens; double dropped_tokens; double left_tokens;
    double max_backlog_tokens; double delay_p50_s; double delay_p95_s; double delay_p99_s; double delay_max_s;
    int64_t delayed_steps; double delayed_minutes; ...;
} ts_queue_kpis;
typedef struct ts_latency_kpis {
    int has; double ttft_ms[3]; double itl_ms[3]; int64_t slo_steps; double slo_minutes;
    int64_t beyond_steps; double beyond_minutes; ...;
} ts_latency_kpis;
typedef struct ts_kpis {
    int64_t steps; int64_t scale_events; double avg_util_pct; double p95_util_pct; int64_t violations;
    double violation_minutes; double unserved_tokens; double replica_hours; double gpu_hours;
    int64_t max_replicas; int64_t floor_replicas; ts_queue_kpis queue; ts_latency_kpis latency; ...;
} ts_kpis;
typedef struct ts_bounds {
    int64_t steps; int64_t lead_steps; int64_t ideal_replica_steps; int64_t ideal_starts;
    double ideal_replica_hours; int64_t fixed_replicas; double fixed_replica_hours; int64_t unservable_steps; ...;
} ts_bounds;
typedef struct ts_pool_result {
    const ts_policy *policy; ts_kpis kpis; ts_bounds bounds; double ideal_gpu_hours; double fixed_gpu_hours;
    int64_t start; int64_t end; double hours; ts_step *steps; size_t n_steps;
    int has_cost; double cost; double ideal_cost; double fixed_cost; ...;
} ts_pool_result;
typedef struct ts_sim_results { ts_pool_result *pools; size_t n; } ts_sim_results;
typedef struct ts_sim_options { const ts_policy *const *policies; int threads; int keep_events; int keep_steps; ...; } ts_sim_options;
ts_status ts_simulate_plan(const ts_inputs *in, const ts_plan *plan, const ts_sim_options *opt, ts_sim_results **out);
void ts_sim_results_free(ts_sim_results *r);
double ts_per_month(const ts_pool_result *r, double v);

typedef struct ts_tune_axis { char *key; char **values; size_t n; ...; } ts_tune_axis;
typedef struct ts_tune_space { const ts_policy_type *type; ts_tune_axis *axes; size_t n; ...; } ts_tune_space;
ts_status ts_tune_space_default(const ts_policy_type *t, ts_tune_space **out, ts_diags *d);
ts_status ts_tune_space_read(const ts_policy_type *t, const char *file, const char *text, size_t len,
                             ts_tune_space **out, ts_diags *d);
ts_status ts_tune_space_add(ts_tune_space *s, const char *key, const char *value);
size_t ts_tune_space_size(const ts_tune_space *s);
void ts_tune_space_free(ts_tune_space *s);
typedef enum ts_tune_objective { TS_MINIMIZE_COST = 0, TS_MINIMIZE_GPU_HOURS = 1, TS_MINIMIZE_EVENTS = 2 } ts_tune_objective;
typedef struct ts_tune_options {
    double max_violation_minutes; int has_max_unserved_pct; double max_unserved_pct; ts_tune_objective minimize;
    size_t budget; uint64_t seed; int threads; int has_max_slo_minutes; double max_slo_minutes; ...;
} ts_tune_options;
typedef struct ts_tune_candidate {
    uint32_t *at; ts_kpis kpis; double cost; double unserved_pct; double objective; int feasible; ...;
} ts_tune_candidate;
typedef struct ts_tune_pool {
    ts_policy current; ts_tune_candidate current_result; ts_tune_candidate *cand; size_t n; size_t invalid;
    long winner; long closest; ts_policy best; int exhaustive; double hours; ts_bounds bounds; ...;
} ts_tune_pool;
typedef struct ts_tune_result { const ts_tune_space *space; ts_tune_pool *pools; size_t n; ...; } ts_tune_result;
ts_status ts_tune(const ts_inputs *in, const ts_plan *plan, const ts_tune_space *space, const ts_tune_options *opt,
                  ts_tune_result **out);
void ts_tune_result_free(ts_tune_result *r);
"""


def builder(include, libdir):
    """The FFI builder of tapscale._native against include and libdir."""
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    ffi.set_source(
        "tapscale._native",
        '#include "tapscale.h"\n',
        include_dirs=[include],
        library_dirs=[libdir],
        runtime_library_dirs=[libdir],
        libraries=["tapscale"],
        extra_compile_args=["-ffp-contract=off"],
    )
    return ffi


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--include", required=True)
    ap.add_argument("--libdir", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tapscale")
    pkg = os.path.join(a.out, "tapscale")
    os.makedirs(pkg, exist_ok=True)
    for name in os.listdir(here):
        if name.endswith(".py"):
            shutil.copy(os.path.join(here, name), pkg)
    tmp = os.path.join(a.out, "cffi-tmp")
    ffi = builder(os.path.abspath(a.include), os.path.abspath(a.libdir))
    so = ffi.compile(tmpdir=tmp, verbose=False)
    shutil.move(so, os.path.join(pkg, os.path.basename(so)))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
