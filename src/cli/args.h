/*
 * args.h — the command line of the tapscale tool: commands, their options
 * (one table row each) and the values parsed from argv. Parsing never prints;
 * it returns a message for the usage error.
 */
#ifndef TS_CLI_ARGS_H
#define TS_CLI_ARGS_H

#include "tapscale.h"

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

typedef enum cli_command { CMD_NONE, CMD_PLAN, CMD_SIMULATE, CMD_RUN, CMD_TRACE, CMD_COMPARE, CMD_SETTINGS, CMD_TUNE, CMD_ADVISE } cli_command;

typedef struct cli_args {
    cli_command cmd;
    int help, version, man;
    const char *inputs;
    const char *out;
    int has_seed;
    uint64_t seed;
    int threads;
    int allow_outside;           /* --allow-outside-inputs */
    int timeline;
    int no_events;
    int ready_times;
    int no_report;               /* --no-report: no report.html */
    int no_rollup;               /* --no-rollup: no rollup file */
    int fail_on_warning;
    int has_tolerance;
    double tolerance;
    const char *severity[8];    /* RULE=warn|fail, as given */
    size_t n_severity;
    const char *set[64];        /* KEY=VALUE over public_tap.yaml, as given */
    size_t n_set;
    const char *variant[8];     /* compare: NAME=FILE */
    size_t n_variant;
    const char *manifest[32];   /* autoscaler manifests */
    size_t n_manifest;
    int quiet;
    /* trace */
    const char *format;
    const char *tokens;
    int64_t interval_s;
    double scale;
    const char *model;
    const char *select;
    const char *start;
    const char *time_field, *time_unit, *tokens_field, *model_field, *label;
    int counter;
    const char *policies;   /* compare: comma-separated policy kinds */
    /* tune */
    const char *policy;
    int has_max_violation_minutes;
    double max_violation_minutes;
    int has_max_unserved_pct;
    double max_unserved_pct;
    int has_max_slo_minutes;
    double max_slo_minutes;
    const char *minimize;
    const char *space;
    int64_t budget;
    const char *export_as;  /* advise: hpa or keda */
    const char *files[64];
    size_t n_files;
} cli_args;

/* Parses argv. Returns TS_OK, or TS_EINPUT after the usage message
 * (cli_usage). */
ts_status cli_parse(int argc, char **argv, cli_args *a);
/* The name of command c ("plan"), or NULL for CMD_NONE and past the last. */
const char *cli_command_name(cli_command c);

/* Writes the manual page tapscale(1) (roff) from the help texts to f. */
void cli_man(FILE *f);

/* Help text of a command (CMD_NONE: the tool's). */
const char *cli_help(cli_command cmd);

#endif
