/*
 * registry.c — the list of autoscaler policies; see registry.h.
 */
#include "policy/registry.h"
#include "util/keys.h"

#include <string.h>

/* One row per policy; the order is the order of `compare` and the docs.
 * A row declares the policy's descriptor too: adding a policy is its file
 * and its row. A build may add one more row, TS_EXTRA_POLICY (the test
 * of tests/extra_policy/ adds a policy so, touching no other file). */
#ifdef TS_EXTRA_POLICY
#define TS_EXTRA_ROW(X) X(TS_EXTRA_POLICY)
#else
#define TS_EXTRA_ROW(X)
#endif
#define TS_POLICY_ROWS(X) \
    X(ts_policy_threshold) \
    X(ts_policy_hpa)       \
    X(ts_policy_kpa)       \
    X(ts_policy_predictive) \
    X(ts_policy_schedule) TS_EXTRA_ROW(X)

#define DECLARE(descriptor) extern const ts_policy_type descriptor;
TS_POLICY_ROWS(DECLARE)
#undef DECLARE

#define ROW(descriptor) &descriptor,
static const ts_policy_type *const registry[] = {TS_POLICY_ROWS(ROW)};
#undef ROW

_Static_assert(sizeof registry / sizeof registry[0] <= TS_POLICY_MAX, "raise TS_POLICY_MAX");

const ts_policy_type *const *ts_policy_types(size_t *n)
{
    *n = sizeof registry / sizeof registry[0];
    return registry;
}

const ts_policy_type *ts_policy_type_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof registry / sizeof registry[0]; i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

int ts_policy_index(const ts_policy_type *t)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (registry[i] == t)
            return (int)i;
    return TS_NOT_FOUND;
}

void *ts_policy_settings_of(ts_policy *p, const ts_policy_type *t)
{
    int i = ts_policy_index(t);
    return i < 0 ? NULL : p->settings[i].bytes;
}

const void *ts_policy_settings_get(const ts_policy *p, const ts_policy_type *t)
{
    int i = ts_policy_index(t);
    return i < 0 ? NULL : p->settings[i].bytes;
}

const char *ts_policy_type_name(const ts_policy_type *t)
{
    return t->name;
}

const char *ts_policy_type_summary(const ts_policy_type *t)
{
    return t->summary;
}

bool ts_policy_type_opt_in(const ts_policy_type *t)
{
    return t->opt_in != 0;
}

int64_t ts_policy_step_s(const ts_policy *p)
{
    return p->type->interval_s(p);
}

void ts_policy_names_text(char *buf, size_t size)
{
    const char *names[TS_POLICY_MAX];
    size_t n = sizeof registry / sizeof registry[0];
    for (size_t i = 0; i < n; i++)
        names[i] = registry[i]->name;
    ts_names_text(names, n, buf, size);
}
