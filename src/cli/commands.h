/*
 * commands.h — the tool's commands, one file each; each takes the parsed
 * command line and returns the exit code.
 */
#ifndef TS_CLI_COMMANDS_H
#define TS_CLI_COMMANDS_H

#include "args.h"
#include "tapscale.h"
#include "tapscale_io.h"

/* plan, simulate and run: the pipeline up to the step the command names. */
int cmd_pipeline(const cli_args *a);
int cmd_compare(const cli_args *a);
int cmd_trace(const cli_args *a);
int cmd_settings(const cli_args *a);
int cmd_tune(const cli_args *a);
int cmd_advise(const cli_args *a);

/* The inputs folder of a command: --inputs, or the bundled example. */
const char *cli_inputs_dir(const cli_args *a);
/* The load options every command that reads an inputs folder takes from
 * the command line (options a command does not accept stay zero). */
void cli_load_options(const cli_args *a, ts_load_options *lo);

#endif
