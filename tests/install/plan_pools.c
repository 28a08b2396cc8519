/*
 * plan_pools.c — a program of a user of the installed library: it loads
 * an inputs folder, plans it and prints each pool's model, GPU and
 * instances, as `tapscale plan` would choose them. tests/install/check.sh
 * builds it against the installed headers, with pkg-config, shared and
 * static.
 *   plan_pools INPUTS_DIR
 */
#include <tapscale.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: plan_pools INPUTS_DIR\n");
        return 2;
    }
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = argv[1];
    o.threads = 1;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = NULL;
    ts_status st = ts_inputs_load(&o, &in, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s\n", d.items[i].msg);
    ts_diags_free(&d);
    if (st != TS_OK)
        return 2;
    ts_plan *plan = NULL;
    if (ts_plan_build(in, &plan) != TS_OK) {
        ts_inputs_free(in);
        return 3;
    }
    printf("tapscale %s: %zu pools\n", ts_version(), plan->n);
    for (size_t i = 0; i < plan->n; i++) {
        const ts_plan_row *r = &plan->rows[i];
        printf("%s %s %lld\n", in->demand[r->demand_index].model, in->cand[r->cand_index].gpu,
               (long long)r->r.instances_needed);
    }
    ts_plan_free(plan);
    ts_inputs_free(in);
    return 0;
}
