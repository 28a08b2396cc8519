/*
 * gen_fleet.c — writes an inputs folder with a generated fleet for the CLI
 * benchmark: N models with diurnal demand (each a slightly different volume
 * and peak hour) over D days, one aggregate throughput row each, the
 * origin's policy.
 *
 *   gen_fleet DIR N DAYS [minute]
 *
 * With "minute" the demand is a series file instead: one rate per minute,
 * the diurnal curve times a deterministic jitter of +-30 % (a linear
 * congruential generator), so that demand changes at every step.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: gen_fleet DIR POOLS DAYS [minute]\n");
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
    if (argc == 5) {
        fprintf(f, "series: [series.csv]\n");
        fclose(f);
        snprintf(path, sizeof path, "%s/operator/series.csv", dir);
        f = fopen(path, "w");
        fprintf(f, "timestamp,model,demand_tokens_per_hour\n");
        unsigned long long x = 12345;
        for (int i = 0; i < n; i++)
            for (long m = 0; m < (long)days * 1440; m++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                double jitter = 0.7 + 0.6 * (double)(x >> 11) / 9007199254740992.0;
                double hod = (double)(m % 1440) / 60.0;
                double rate = 4.3e7 * (1.0 + 0.001 * (i % 97)) * (1.0 + 0.5 * cos(2 * 3.141592653589793 * (hod - 15) / 24)) * jitter;
                long s = 1735689600L + m * 60;
                fprintf(f, "%04ld-%02ld-%02ldT%02ld:%02ld:00Z,fleet/model-%04d,%.6g\n", 2025L, 1 + (s - 1735689600L) / 86400 / 31,
                        1 + ((s - 1735689600L) / 86400) % 31, (m % 1440) / 60, m % 60, i, rate);
            }
        fclose(f);
        f = NULL;
    } else {
        fprintf(f, "horizon_hours: %d\nmodels:\n", days * 24);
    }
    for (int i = 0; f && i < n; i++)
        fprintf(f, "  fleet/model-%04d: {tokens_per_month: %.6g, profile: diurnal, amplitude: 0.5, peak_hour: %d}\n", i,
                720.0 * 4.3e7 * (1.0 + 0.001 * (i % 97)), 12 + i % 6);
    if (f)
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
