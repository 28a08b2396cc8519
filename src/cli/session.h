/*
 * session.h — what every command that reads an inputs folder does first
 * and last, written once: load the inputs (their warnings printed), the
 * command's own checks, the plan (its warnings printed), the command's
 * checks of the plan, the output folder opened (so that a folder tapscale
 * may not replace is refused before any work); and at the end everything
 * freed and the exit code, with the messages of a failure.
 */
#ifndef TS_CLI_SESSION_H
#define TS_CLI_SESSION_H

#include "args.h"
#include "tapscale.h"
#include "tapscale_io.h"

typedef struct cli_session {
    ts_diags d;
    ts_inputs *in;
    ts_plan *plan;
    ts_outdir *out;
    ts_buf printed; /* stdout, printed once the folder is committed */
} cli_session;

/* A command's checks around the prologue: after the inputs loaded, after
 * the plan built (each may be NULL); ctx is theirs. Each returns TS_OK or
 * the failure (its messages in s->d). */
typedef struct cli_hooks {
    ts_status (*after_load)(const cli_args *a, cli_session *s, void *ctx);
    ts_status (*after_plan)(const cli_args *a, cli_session *s, void *ctx);
    void *ctx;
} cli_hooks;

/* An empty session: a command may put its own messages into s->d before
 * the prologue (they are said first). */
void cli_session_init(cli_session *s);

/* Runs the prologue on s (initialized) with the load options lo; prior is
 * what the command found before (TS_OK, or the failure of a file it read
 * itself: the inputs are still loaded, so that all their errors are said
 * with it, then the prologue stops). Returns TS_OK or the failure; call
 * cli_session_end in every case. */
ts_status cli_session_begin(const cli_args *a, const ts_load_options *lo, const cli_hooks *hooks, ts_status prior,
                            cli_session *s);

/* Reads the inputs' operator/public_tap.yaml again (for a command that
 * writes it back with its results): its path into path, its text into
 * *text (free with ts_mem_free) and *len. Returns TS_OK, TS_ERUNTIME when
 * it cannot be read (it was read a moment ago) or TS_ENOMEM. */
ts_status cli_public_tap_load(const cli_args *a, char *path, size_t size, char **text, size_t *len, ts_diags *d);

/* Prints s->printed when st is TS_OK or TS_REJECTED, frees everything of
 * s and returns the exit code of st (after the messages of a failure). */
int cli_session_end(cli_session *s, ts_status st);

#endif
