/*
 * outdir.h — the output folder, written so that a failure leaves it as it
 * was (ts_outdir_* in tapscale.h). Files are written into a temporary folder
 * ".tapscale-tmp-XXXXXX" inside the output folder (same file system, so the
 * final renames are atomic), flushed to disk, then renamed into place one by
 * one by ts_outdir_commit. An output folder that did not exist is created
 * for the temporary folder and removed again if the run fails.
 */
#ifndef TS_REPORT_OUTDIR_H
#define TS_REPORT_OUTDIR_H

#include "tapscale.h"

#endif
