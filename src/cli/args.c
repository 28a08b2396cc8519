/*
 * args.c — table-driven option parsing; see args.h.
 */
#include "args.h"
#include "messages.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M_PLAN (1u << CMD_PLAN)
#define M_SIM (1u << CMD_SIMULATE)
#define M_RUN (1u << CMD_RUN)
#define M_TRACE (1u << CMD_TRACE)
#define M_CMP (1u << CMD_COMPARE)
#define M_SET (1u << CMD_SETTINGS)
#define M_TUNE (1u << CMD_TUNE)
#define M_ADV (1u << CMD_ADVISE)
#define M_ALL (M_PLAN | M_SIM | M_RUN | M_TRACE | M_CMP | M_SET | M_TUNE | M_ADV)

typedef enum opt_kind { O_FLAG, O_STR, O_U64, O_INT, O_I64, O_NUM, O_POS, O_LIST } opt_kind;

/* What a value of each kind must be, for the error message. */
static const char *const expected[] = {
    [O_U64] = "a whole number from 0 to 18446744073709551615",
    [O_INT] = "a whole number from 0 to 1024",
    [O_I64] = "a whole number from 1 to 9223372036854775807",
    [O_NUM] = "a finite number of at least 0",
    [O_POS] = "a finite number above 0",
};

static const struct {
    const char *name;
    opt_kind kind;
    unsigned commands;
    size_t offset;
    size_t present; /* offset of an int set when given (O_LIST: of the count), or (size_t)-1 */
    size_t cap;     /* O_LIST: how many times it may be given */
} options[] = {
    {"help", O_FLAG, M_ALL, offsetof(cli_args, help), (size_t)-1, 0},
    {"inputs", O_STR, M_PLAN | M_SIM | M_RUN | M_CMP | M_TUNE | M_ADV, offsetof(cli_args, inputs), (size_t)-1, 0},
    {"out", O_STR, M_ALL & ~M_SET, offsetof(cli_args, out), (size_t)-1, 0},
    {"seed", O_U64, M_PLAN | M_SIM | M_RUN | M_CMP | M_TUNE | M_ADV, offsetof(cli_args, seed), offsetof(cli_args, has_seed), 0},
    {"threads", O_INT, M_PLAN | M_SIM | M_RUN | M_CMP | M_TUNE | M_ADV, offsetof(cli_args, threads), (size_t)-1, 0},
    {"policies", O_STR, M_CMP | M_ADV, offsetof(cli_args, policies), (size_t)-1, 0},
    {"timeline", O_FLAG, M_SIM | M_RUN, offsetof(cli_args, timeline), (size_t)-1, 0},
    {"no-events", O_FLAG, M_SIM | M_RUN, offsetof(cli_args, no_events), (size_t)-1, 0},
    {"ready-times", O_FLAG, M_SIM | M_RUN, offsetof(cli_args, ready_times), (size_t)-1, 0},
    {"no-report", O_FLAG, M_RUN | M_CMP | M_TUNE, offsetof(cli_args, no_report), (size_t)-1, 0},
    {"no-rollup", O_FLAG, M_RUN, offsetof(cli_args, no_rollup), (size_t)-1, 0},
    {"fail-on-warning", O_FLAG, M_RUN, offsetof(cli_args, fail_on_warning), (size_t)-1, 0},
    {"tolerance", O_NUM, M_RUN, offsetof(cli_args, tolerance), offsetof(cli_args, has_tolerance), 0},
    {"severity", O_LIST, M_RUN, offsetof(cli_args, severity), offsetof(cli_args, n_severity), 8},
    {"set", O_LIST, M_PLAN | M_SIM | M_RUN | M_CMP | M_TUNE | M_ADV, offsetof(cli_args, set), offsetof(cli_args, n_set), 64},
    {"manifest", O_LIST, M_PLAN | M_SIM | M_RUN | M_CMP | M_TUNE | M_ADV, offsetof(cli_args, manifest),
     offsetof(cli_args, n_manifest), 32},
    {"variant", O_LIST, M_CMP, offsetof(cli_args, variant), offsetof(cli_args, n_variant), 8},
    {"policy", O_STR, M_TUNE, offsetof(cli_args, policy), (size_t)-1, 0},
    {"max-violation-minutes", O_NUM, M_TUNE | M_ADV, offsetof(cli_args, max_violation_minutes),
     offsetof(cli_args, has_max_violation_minutes), 0},
    {"max-unserved-pct", O_NUM, M_TUNE | M_ADV, offsetof(cli_args, max_unserved_pct), offsetof(cli_args, has_max_unserved_pct), 0},
    {"max-slo-minutes", O_NUM, M_TUNE | M_ADV, offsetof(cli_args, max_slo_minutes), offsetof(cli_args, has_max_slo_minutes), 0},
    {"minimize", O_STR, M_TUNE | M_ADV, offsetof(cli_args, minimize), (size_t)-1, 0},
    {"space", O_STR, M_TUNE, offsetof(cli_args, space), (size_t)-1, 0},
    {"budget", O_I64, M_TUNE | M_ADV, offsetof(cli_args, budget), (size_t)-1, 0},
    {"export", O_STR, M_ADV, offsetof(cli_args, export_as), (size_t)-1, 0},
    {"quiet", O_FLAG, M_ALL, offsetof(cli_args, quiet), (size_t)-1, 0},
    {"format", O_STR, M_TRACE, offsetof(cli_args, format), (size_t)-1, 0},
    {"tokens", O_STR, M_TRACE, offsetof(cli_args, tokens), (size_t)-1, 0},
    {"interval", O_I64, M_TRACE, offsetof(cli_args, interval_s), (size_t)-1, 0},
    {"scale", O_POS, M_TRACE, offsetof(cli_args, scale), (size_t)-1, 0},
    {"model", O_STR, M_TRACE, offsetof(cli_args, model), (size_t)-1, 0},
    {"select", O_STR, M_TRACE, offsetof(cli_args, select), (size_t)-1, 0},
    {"start", O_STR, M_TRACE, offsetof(cli_args, start), (size_t)-1, 0},
    {"time-field", O_STR, M_TRACE, offsetof(cli_args, time_field), (size_t)-1, 0},
    {"time-unit", O_STR, M_TRACE, offsetof(cli_args, time_unit), (size_t)-1, 0},
    {"tokens-field", O_STR, M_TRACE, offsetof(cli_args, tokens_field), (size_t)-1, 0},
    {"model-field", O_STR, M_TRACE, offsetof(cli_args, model_field), (size_t)-1, 0},
    {"label", O_STR, M_TRACE, offsetof(cli_args, label), (size_t)-1, 0},
    {"counter", O_FLAG, M_TRACE, offsetof(cli_args, counter), (size_t)-1, 0},
    {"allow-outside-inputs", O_FLAG, M_PLAN | M_SIM | M_RUN | M_CMP | M_TUNE | M_ADV, offsetof(cli_args, allow_outside),
     (size_t)-1, 0},
};

static const struct {
    const char *name;
    cli_command cmd;
} commands[] = {
    {"plan", CMD_PLAN},       {"simulate", CMD_SIMULATE}, {"run", CMD_RUN},
    {"trace", CMD_TRACE},     {"compare", CMD_COMPARE},   {"settings", CMD_SETTINGS},
    {"tune", CMD_TUNE},       {"advise", CMD_ADVISE},
};

const char *cli_command_name(cli_command c)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].cmd == c)
            return commands[i].name;
    return NULL;
}

/* Reads option text s as kind k into dst. Returns TS_OK, or TS_EINPUT when
 * s is not such a value (dst untouched). */
static ts_status parse_value(opt_kind k, const char *s, void *dst)
{
    char *end = NULL;
    errno = 0;
    switch (k) {
    case O_STR: *(const char **)dst = s; return TS_OK;
    case O_U64: {
        if (s[0] == '-' || !s[0])
            return TS_EINPUT;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || *end)
            return TS_EINPUT;
        *(uint64_t *)dst = v;
        return TS_OK;
    }
    case O_INT: {
        long v = strtol(s, &end, 10);
        if (errno || *end || !s[0] || v < 0 || v > 1024)
            return TS_EINPUT;
        *(int *)dst = (int)v;
        return TS_OK;
    }
    case O_I64: {
        long long v = strtoll(s, &end, 10);
        if (errno || *end || !s[0] || v < 1)
            return TS_EINPUT;
        *(int64_t *)dst = v;
        return TS_OK;
    }
    case O_NUM:
    case O_POS: {
        double v = strtod(s, &end);
        if (errno || *end || !s[0] || !isfinite(v) || v < 0 || (k == O_POS && v == 0))
            return TS_EINPUT;
        *(double *)dst = v;
        return TS_OK;
    }
    default: return TS_EINPUT;
    }
}

ts_status cli_parse(int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->interval_s = 60;
    a->scale = 1.0;
    int i = 1;
    for (; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            a->help = 1;
            continue;
        }
        if (!strcmp(s, "--version")) {
            a->version = 1;
            continue;
        }
        if (!strcmp(s, "--man")) {
            a->man = 1;
            continue;
        }
        break;
    }
    if (i < argc && argv[i][0] != '-') {
        for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
            if (!strcmp(argv[i], commands[c].name))
                a->cmd = commands[c].cmd;
        if (a->cmd == CMD_NONE) {
            cli_usage("", "unknown command '%s' (expected plan, simulate, run, compare, tune, trace or settings)", argv[i]);
            return TS_EINPUT;
        }
        i++;
    } else if (i < argc) {
        cli_usage("", "unknown option '%s'", argv[i]);
        return TS_EINPUT;
    }
    for (; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) != 0 || !s[2]) {
            if (a->cmd == CMD_TRACE && s[0] != '-') {
                if (a->n_files == sizeof a->files / sizeof a->files[0]) {
                    cli_usage("", "more than %zu trace files (expected at most %zu in one call)",
                             sizeof a->files / sizeof a->files[0], sizeof a->files / sizeof a->files[0]);
                    return TS_EINPUT;
                }
                a->files[a->n_files++] = s;
                continue;
            }
            cli_usage("", "unexpected argument '%s'", s);
            return TS_EINPUT;
        }
        const char *name = s + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        size_t k = 0, nopt = sizeof options / sizeof options[0];
        while (k < nopt && !(strlen(options[k].name) == nlen && !strncmp(options[k].name, name, nlen)))
            k++;
        if (k == nopt || !(options[k].commands & (1u << a->cmd))) {
            cli_usage("", "unknown option '--%.*s'", (int)nlen, name);
            return TS_EINPUT;
        }
        char *base = (char *)a;
        if (options[k].kind == O_FLAG) {
            if (eq) {
                cli_usage("", "option '--%s' takes no value", options[k].name);
                return TS_EINPUT;
            }
            *(int *)(base + options[k].offset) = 1;
            continue;
        }
        const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!val) {
            cli_usage("", "option '--%s' needs a value", options[k].name);
            return TS_EINPUT;
        }
        if (options[k].kind == O_LIST) {
            size_t *count = (size_t *)(base + options[k].present);
            if (*count == options[k].cap) {
                cli_usage("", "option '--%s' is given more than %zu times (expected at most %zu)",
                         options[k].name, options[k].cap, options[k].cap);
                return TS_EINPUT;
            }
            ((const char **)(base + options[k].offset))[(*count)++] = val;
            continue;
        }
        if (parse_value(options[k].kind, val, base + options[k].offset) != 0) {
            cli_usage("", "option '--%s' is '%s' (expected %s)", options[k].name, val,
                     expected[options[k].kind]);
            return TS_EINPUT;
        }
        if (options[k].present != (size_t)-1)
            *(int *)(base + options[k].present) = 1;
    }
    return 0;
}

/* The help text of each command; CMD_NONE's is the tool's. */
static const char *const help_texts[] = {
    [CMD_PLAN] =
        "Usage: tapscale plan [--inputs DIR] [--out DIR] [--seed N] [--threads N]\n"
        "\n"
        "Chooses the GPU per model (g*) and plans the instances its peak needs.\n"
        "Writes public_tap_capacity_plan.csv and public_tap_gpu_choice.csv.\n"
        "\n"
        "  --inputs DIR   inputs folder (default: the bundled examples/origin)\n"
        "  --out DIR      output folder (default: out)\n"
        "  --seed N       seed of the demand noise (default: meta.seed)\n"
        "  --threads N    1: read a series on one thread (default: a second thread\n"
        "                 reads and hashes a big series while it is parsed); output is identical\n"
        "  --set KEY=VALUE  change a setting of public_tap.yaml, such as\n"
        "                 autoscaling.cooldown_s=60 (repeatable; `tapscale settings` lists them)\n"
        "  --manifest FILE  a HorizontalPodAutoscaler, KEDA ScaledObject or Knative Service\n"
        "                 (YAML, several documents) as the settings of the model it scales\n"
        "  --allow-outside-inputs  let series and manifests named in the inputs lie\n"
        "                 outside the inputs folder (refused by default)\n"
        "  --quiet        print nothing but errors and warnings\n",
    [CMD_SIMULATE] =
        "Usage: tapscale simulate [--inputs DIR] [--out DIR] [--seed N] [--threads N]\n"
        "                         [--timeline] [--no-events] [--ready-times]\n"
        "\n"
        "Plans, then simulates the autoscaler of every pool. Writes the plan files,\n"
        "public_tap_scaling_events.csv and consolidated_kpis.csv.\n"
        "\n"
        "  --threads N    worker threads (default: all cores); output is identical\n"
        "  --timeline     also write timeline_<model>.csv, one row per step\n"
        "  --no-events    do not write the events file\n"
        "  --ready-times  add ready_first,ready_last to the events file: when the\n"
        "                 first and the last replica of a scale-up serve (the seed's\n"
        "                 nine columns by default)\n"
        "  --set KEY=VALUE  change a setting of public_tap.yaml (repeatable)\n",
    [CMD_RUN] =
        "Usage: tapscale run [--inputs DIR] [--out DIR] [--seed N] [--threads N]\n"
        "                    [--tolerance PCT] [--severity RULE=LEVEL] [--fail-on-warning]\n"
        "                    [--timeline] [--no-events] [--ready-times] [--no-report]\n"
        "                    [--no-rollup]\n"
        "\n"
        "The whole job: plan, simulate, consolidate, accept. Writes the files of\n"
        "plan and simulate, consolidated_summary.json, consolidated_summary.md,\n"
        "report.html (charts of every pool, offline in any browser), rollup_hourly.csv\n"
        "(per pool and hour; rollup_daily.csv beyond 92 days) and SHA256SUMS, and\n"
        "prints a table per pool and the verdict.\n"
        "\n"
        "  --ready-times       add ready_first,ready_last to the events file\n"
        "  --no-report         do not write report.html\n"
        "  --no-rollup         do not write the rollup file\n"
        "  --tolerance PCT     p95 utilization band around the target (default 25)\n"
        "  --severity RULE=LEVEL  outcome of a broken rule: capacity_violation, p95_util\n"
        "                      or sla_violations = warn or fail (repeatable)\n"
        "  --fail-on-warning   turn every WARN into FAIL\n"
        "  --set KEY=VALUE     change a setting of public_tap.yaml (repeatable)\n"
        "\n"
        "Exit status: 0 accepted, 1 acceptance failed, 2 invalid input or usage,\n"
        "3 runtime error.\n",
    [CMD_COMPARE] =
        "Usage: tapscale compare [--inputs DIR] [--out DIR] [--policies LIST] [--variant NAME=FILE]\n"
        "                        [--seed N] [--threads N] [--set KEY=VALUE] [--no-report]\n"
        "\n"
        "Simulates the same demand under several autoscaler policies and writes\n"
        "policy_comparison.csv (one row per pool and policy), report.html (the\n"
        "settings overlaid per pool) and the plan files; prints the table side by side.\n"
        "\n"
        "  --no-report       do not write report.html\n"
        "  --policies LIST   comma-separated: threshold, hpa, kpa, predictive, schedule\n"
        "                    (default all but schedule, which runs only when named),\n"
        "                    each with its settings from autoscaling.hpa / .kpa / ...\n"
        "  --variant NAME=FILE  a named setting: FILE holds an autoscaling: mapping of\n"
        "                    the keys that differ (repeatable; with no --policies, only\n"
        "                    the variants are compared)\n"
        "  --set KEY=VALUE   change a setting of public_tap.yaml (repeatable)\n",
    [CMD_TUNE] =
        "Usage: tapscale tune [--inputs DIR] [--out DIR] [--policy NAME] [--max-violation-minutes X]\n"
        "                     [--max-unserved-pct P] [--minimize cost|gpu_hours|events]\n"
        "                     [--space FILE] [--budget N] [--seed N] [--threads N] [--set KEY=VALUE]\n"
        "                     [--no-report]\n"
        "\n"
        "Searches the settings of an autoscaler policy, per pool, for the cheapest one that\n"
        "meets the service level, and shows it beside the current setting, the ideal\n"
        "autoscaler and the fixed fleet, per 30-day month. Writes tune_candidates.csv,\n"
        "tune_pareto.csv, tuned_public_tap.yaml (the winners as each model's own\n"
        "settings: put it in place of operator/public_tap.yaml to run them) and\n"
        "report.html (the settings tried, cost against violation-minutes, and each pool\n"
        "simulated with its current and its tuned setting).\n"
        "\n"
        "  --policy NAME              threshold, hpa, kpa or predictive (default: the configured one)\n"
        "  --max-violation-minutes X  the service level (default 0)\n"
        "  --max-unserved-pct P       and at most P % of the tokens unserved\n"
        "  --max-slo-minutes X        and, for a pool with a latency profile and an slo:,\n"
        "                             at most X minutes over the SLO (default 0)\n"
        "  --minimize WHAT            cost (default), gpu_hours or events\n"
        "  --space FILE               the settings to search (YAML: key: [values] or\n"
        "                             {from, to, step}); default: the policy's own\n"
        "  --budget N                 most settings per pool (default 5000): a larger grid\n"
        "                             is sampled, then refined\n"
        "  --set KEY=VALUE            change a setting of public_tap.yaml (repeatable)\n"
        "  --no-report                do not write report.html\n"
        "\n"
        "Exit status: 0 every pool has a winner, 1 some pool has none, 2 invalid input.\n",
    [CMD_ADVISE] =
        "Usage: tapscale advise [--inputs DIR] [--out DIR] [--max-violation-minutes X]\n"
        "                       [--max-unserved-pct P] [--minimize cost|gpu_hours]\n"
        "                       [--policies LIST] [--budget N] [--seed N] [--threads N]\n"
        "                       [--export hpa|keda] [--set KEY=VALUE] [--manifest FILE]\n"
        "\n"
        "Ranks, per pool, every way to serve it on one table: the fixed fleet (the\n"
        "fewest replicas that meet the service level) and each autoscaler policy tuned\n"
        "(its grid, floors and ceilings), per 30-day month, beside the ideal; the first\n"
        "line says what to rent and run. Writes advice.csv, advice.md, tuned_public_tap.yaml\n"
        "(each pool's winner as its model's settings) and manifests/<model>.yaml (the\n"
        "winner as what you deploy: a HorizontalPodAutoscaler, a KEDA ScaledObject or a\n"
        "Knative Service, which --manifest reads back to the same simulation).\n"
        "\n"
        "  --max-violation-minutes X  the service level (default 0)\n"
        "  --max-unserved-pct P       and at most P % of the tokens unserved\n"
        "  --max-slo-minutes X        and, for a pool with a latency profile and an slo:,\n"
        "                             at most X minutes over the SLO (default 0)\n"
        "  --minimize WHAT            cost (default) or gpu_hours\n"
        "  --policies LIST            the ways to rank beside the fixed fleet (default: every\n"
        "                             policy with a grid, and the schedule built from the demand)\n"
        "  --budget N                 most settings per policy and pool (default 2000)\n"
        "  --export hpa|keda          a fixed fleet or HPA winner as a HorizontalPodAutoscaler\n"
        "                             (default) or a KEDA ScaledObject\n"
        "  --set KEY=VALUE            change a setting of public_tap.yaml (repeatable)\n"
        "\n"
        "Exit status: 0 every pool has a way that meets the level, 1 some pool has none,\n"
        "2 invalid input.\n",
    [CMD_SETTINGS] =
        "Usage: tapscale settings\n"
        "\n"
        "Prints every setting of public_tap.yaml as Markdown tables: each key with\n"
        "its type and bounds, its default and its meaning (the tables of the README\n"
        "are this output).\n",
    [CMD_TRACE] =
        "Usage: tapscale trace [--format FORMAT] [--tokens output|input|total] [--interval S]\n"
        "                      [--scale X] [--model ID] [--select NAME] [--start TIME] [--out FILE]\n"
        "                      [--time-field F --time-unit s|ms|us|iso --tokens-field F --model-field F]\n"
        "                      [--label NAME] [--counter] FILE...\n"
        "\n"
        "Turns traces into the demand time-series format timestamp,model,demand_tokens_per_hour\n"
        "(to stdout or --out FILE), one series per model. Without --format each file's\n"
        "format is found from its first line (a preset's columns, else csv or jsonl),\n"
        "and said on stderr.\n"
        "\n"
        "  --format azure       the Azure LLM trace: TIMESTAMP,ContextTokens,GeneratedTokens\n"
        "                       (also --format splitwise: the traces of the Splitwise paper)\n"
        "  --format mooncake    Mooncake JSONL or CSV: timestamp (ms), input_length, output_length\n"
        "  --format burstgpt    BurstGPT CSV: Timestamp (s), Model, Request/Response tokens\n"
        "  --format servegen    ServeGen windows: model,hour_offset (or window_offset_s),...,\n"
        "                       *_tokens_est (any window)\n"
        "  --format csv|jsonl   any request log: the fields named by --time-field,\n"
        "                       --tokens-field and --model-field (or --model)\n"
        "  --format prometheus  the JSON of a query_range call, one series per --label\n"
        "                       (default model_name); a rate in tokens/s, or --counter\n"
        "  --tokens KIND        which tokens of a request count (default output)\n"
        "  --interval S         bucket width of request logs in seconds (default 60)\n"
        "  --scale X            multiply every rate by X (default 1)\n"
        "  --model ID           the model id of the rows when the trace names none\n"
        "  --select NAME        only this model of the trace (renamed to --model if given)\n"
        "  --start TIME         the UTC time of offset 0 of a relative time axis\n"
        "                       (default 2025-01-01T00:00:00Z)\n"
        "  --time-unit UNIT     s, ms, us (numbers since the epoch, or --start) or iso\n",
    [CMD_NONE] =
        "Usage: tapscale COMMAND [OPTIONS]\n"
        "\n"
        "Capacity planner and autoscaler simulator for LLM inference GPU pools.\n"
        "\n"
        "Commands:\n"
        "  advise     what to rent and how to run it: every way to serve each pool, ranked\n"
        "  plan       choose a GPU per model and plan the instances the peak needs\n"
        "  simulate   plan, then simulate the autoscaler over the demand\n"
        "  run        plan, simulate, consolidate and accept (the whole job)\n"
        "  compare    simulate the same demand under several autoscaler policies\n"
        "  tune       the cheapest autoscaler setting that meets a service level\n"
        "  trace      turn request traces into demand time series\n"
        "  settings   every setting with its bounds and default, as Markdown\n"
        "\n"
        "  --help     this text; 'tapscale COMMAND --help' for a command\n"
        "  --version  the version\n"
        "  --man      this manual as a man page (roff), tapscale(1)\n",
};

const char *cli_help(cli_command cmd)
{
    const char *h = (unsigned)cmd < sizeof help_texts / sizeof help_texts[0] ? help_texts[cmd] : NULL;
    return h ? h : help_texts[CMD_NONE];
}
