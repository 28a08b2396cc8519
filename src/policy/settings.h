/*
 * settings.h — the settings of a policy (ts_policy_defaults, _check, _set
 * and _overlay of tapscale.h): §2's keys of an autoscaling: mapping, the
 * policy's name, and one section per registered policy, each a settings
 * table (util/keys.h). Bounds between keys (min <= max, down < up) are
 * checked after the tables. inputs/settings.c reads public_tap.yaml with
 * these; tune, import and report take the tables from here.
 */
#ifndef TS_POLICY_SETTINGS_H
#define TS_POLICY_SETTINGS_H

#include "tapscale.h"
#include "util/keys.h"
#include "util/yamlread.h"

/* The most rows of the autoscaling: table: §2's, every policy's flat keys
 * and a section row per policy. */
#define TS_POLICY_KEYS_MAX 64

/* The rows of "autoscaling" (§2's keys, the pool's and the threshold
 * policy's, in the seed's order: composed into rows) or of a registered
 * policy's section, by its name. Returns the rows and their number in *n,
 * or NULL. */
const ts_key *ts_policy_keys(const char *which, ts_key rows[TS_POLICY_KEYS_MAX], size_t *n);

/* An autoscaling mapping as (section names it in messages) into p: §2's
 * keys (strictly), the policy's name, each policy's section (read apart, so
 * that the bounds between §2's keys are checked whenever §2's own keys read
 * cleanly). In overlay mode (y->overlay) only the keys given change.
 * Returns TS_OK when §2's own keys read cleanly (a section's errors are in
 * d all the same), TS_EINPUT when they did not, TS_ENOMEM. */
ts_status ts_policy_read(ts_yaml *y, yaml_node_t *as, ts_policy *p, const char *section, ts_diags *d);

/* The bounds between keys of p read from as: min <= max, down < up. Each
 * is reported where the value came from: the file's key, or --set when
 * one of set[0..n_set-1] ("autoscaling.KEY=VALUE") named it. */
void ts_policy_check_pairs(ts_yaml *y, yaml_node_t *as, const ts_policy *p, const char *section,
                           const char *const *set, size_t n_set, ts_diags *d);

/* The number of p's setting key (as ts_policy_set takes it: "cooldown_s",
 * "hpa.tolerance"): 1 and *out, or 0 when key names no number. */
int ts_policy_number(const ts_policy *p, const char *key, double *out);

/* Appends p as the lines of an autoscaling: mapping (every key, the
 * policy's name first), indent spaces deep: reading them back gives p. */
void ts_policy_yaml(const ts_policy *p, int indent, ts_buf *b);

#endif
