/*
 * settings_md.c — the settings of public_tap.yaml as Markdown tables
 * (ts_render_settings_md in tapscale_io.h), generated from the settings
 * rows themselves, so the README's tables and the messages' bounds cannot
 * disagree.
 */
#include "tapscale_io.h"
#include "sim/policy_type.h"
#include "inputs/settings.h"
#include "util/strbuf.h"

#include <stdio.h>

static void section(const char *title, const char *which, ts_buf *b)
{
    size_t n;
    ts_key rows[TS_POLICY_KEYS_MAX];
    const ts_key *keys = ts_settings_table(which, rows, &n);
    if (!keys)
        return;
    ts_buf_printf(b, "%s`%s`\n\n", b->len ? "\n" : "", title);
    ts_keys_markdown(keys, n, NULL, b);
}

void ts_render_settings_md(ts_buf *b)
{
    section("autoscaling:", "autoscaling", b);
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    for (size_t i = 0; i < nt; i++) {
        if (!types[i]->settings)
            continue;
        char title[64];
        snprintf(title, sizeof title, "autoscaling.%s:", types[i]->name);
        section(title, types[i]->name, b);
    }
    section("runtime:", "runtime", b);
    section("sla:", "sla", b);
    section("slo:", "slo", b);
}
