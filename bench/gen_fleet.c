/*
 * gen_fleet.c — writes an inputs folder with a generated fleet for the CLI
 * benchmark: N models with diurnal demand (each a slightly different volume
 * and peak hour) over D days, one aggregate throughput row each, the
 * origin's policy.
 *
 *   gen_fleet DIR N DAYS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gen_fleet DIR POOLS DAYS\n");
        return 2;
    }
    const char *dir = argv[1];
    int n = atoi(argv[2]), days = atoi(argv[3]);
    char path[4096];
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/operator", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/facts", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/operator/public_tap.yaml", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "meta:\n  seed: 1\nautoscaling:\n  target_utilization_pct: 75\n  peak_factor: 1.2\n"
               "  min_instances_per_model: 0\n  max_instances_per_model: 100\n  evaluation_interval_s: 60\n"
               "  scale_up_threshold_pct: 70\n  scale_down_threshold_pct: 50\n  scale_up_step_replicas: 1\n"
               "  scale_down_step_replicas: 1\n  stabilization_window_s: 300\n  warmup_s: 120\n  cooldown_s: 120\n");
    fclose(f);
    snprintf(path, sizeof path, "%s/operator/demand.yaml", dir);
    f = fopen(path, "w");
    fprintf(f, "horizon_hours: %d\nmodels:\n", days * 24);
    for (int i = 0; i < n; i++)
        fprintf(f, "  fleet/model-%04d: {tokens_per_month: %.6g, profile: diurnal, amplitude: 0.5, peak_hour: %d}\n", i,
                720.0 * 4.3e7 * (1.0 + 0.001 * (i % 97)), 12 + i % 6);
    fclose(f);
    snprintf(path, sizeof path, "%s/facts/tps_model_gpu.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "fleet/model-%04d,H100,1,1000,aggregate\n", i);
    fclose(f);
    snprintf(path, sizeof path, "%s/operator/curated_gpu.csv", dir);
    f = fopen(path, "w");
    fprintf(f, "gpu_model,num_gpus,price_usd_hr\nH100,1,2.5\n");
    fclose(f);
    return 0;
}
