/*
 * registry.h — the policy registry (ts_policy_types, ts_policy_type_find,
 * ts_policy_settings_of in tapscale.h): every autoscaler policy tapscale
 * knows, one descriptor per file of this folder, one line each in
 * registry.c. Every lookup by name (the YAML, --policies, the summaries,
 * compare) goes through it.
 *
 * Adding a policy: write src/policy/NAME.c (and NAME_fast.c for a kernel)
 * exporting one ts_policy_type (sim/policy_type.h: name, summary, its
 * settings table, interval_s, init, step, its tune grid and report
 * fields), add its row to TS_POLICY_ROWS in registry.c, its tests and its
 * README section. Nothing else names it: CMake finds its files, and
 * settings, tune, compare and the report find it through the registry.
 * The externs below are for the code that names a built-in policy.
 */
#ifndef TS_POLICY_REGISTRY_H
#define TS_POLICY_REGISTRY_H

#include "tapscale.h"
#include "sim/policy_type.h"

extern const ts_policy_type ts_policy_threshold;
extern const ts_policy_type ts_policy_hpa;
extern const ts_policy_type ts_policy_kpa;
extern const ts_policy_type ts_policy_predictive;
extern const ts_policy_type ts_policy_schedule;

/* The registry index of t, or TS_NOT_FOUND when t is not registered. */
int ts_policy_index(const ts_policy_type *t);

/* "threshold, hpa, kpa or predictive": the registered names, for
 * messages. */
void ts_policy_names_text(char *buf, size_t size);

#endif
