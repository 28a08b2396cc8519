/*
 * testutil.c — see testutil.h.
 */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ftw.h>

char *tu_tmpdir(void)
{
    char *p = strdup("/tmp/tapscale-test-XXXXXX");
    assert_non_null(mkdtemp(p));
    return p;
}

void tu_write(const char *dir, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(path, 0777);
            *s = '/';
        }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

void tu_rmrf(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *const public_tap =
    "meta:\n"
    "  seed: 7\n"
    "autoscaling:\n"
    "  target_utilization_pct: 75\n"
    "  peak_factor: 1.2\n"
    "  min_instances_per_model: 1\n"
    "  max_instances_per_model: 10\n"
    "runtime:\n"
    "  slots_total_default: 32\n"
    "  batching_efficiency_pct: 70\n";

static const char *const demand =
    "models:\n"
    "  m1:\n"
    "    tokens_per_month: 7.2e9\n";

static const char *const tps =
    "model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\n"
    "m1,H100,1,32,2500,aggregate\n";

void tu_valid_inputs(const char *dir)
{
    tu_write(dir, "operator/public_tap.yaml", public_tap);
    tu_write(dir, "operator/demand.yaml", demand);
    tu_write(dir, "facts/tps_model_gpu.csv", tps);
}

const char *tu_diag(const ts_diags *d, size_t i, char *buf, size_t size)
{
    return ts_diag_format(&d->items[i], buf, size);
}

int tu_has_diag(const ts_diags *d, const char *text)
{
    char buf[2048];
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(tu_diag(d, i, buf, sizeof buf), text))
            return 1;
    return 0;
}

void tu_dump(const ts_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "  diag: %s\n", tu_diag(d, i, buf, sizeof buf));
}

ts_status tu_load(const char *dir, ts_inputs **in, ts_diags *d)
{
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    return ts_inputs_load(&o, in, d);
}

uint64_t tu_rnd(uint64_t *state, uint64_t n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state % n;
}

ts_status tu_log_event(void *ctx, const ts_event *e)
{
    tu_events *l = ctx;
    assert_true(l->n < sizeof l->ev / sizeof l->ev[0]);
    l->ev[l->n++] = *e;
    return 0;
}
