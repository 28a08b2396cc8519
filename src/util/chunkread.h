/*
 * chunkread.h — reading a file piece by piece, its SHA-256 and the search
 * for a NUL byte done on the side: by a second thread when one is allowed,
 * so that a big file is read, hashed and parsed at once, in memory bounded
 * by a few pieces rather than by the file.
 */
#ifndef TS_UTIL_CHUNKREAD_H
#define TS_UTIL_CHUNKREAD_H

#include "tapscale.h"
#include "util/fileio.h"

#include <stddef.h>
#include <stdint.h>

/* The largest piece handed over at once: 4 MiB. */
#define TS_CHUNK_BYTES ((size_t)4 << 20)

/* Receives the next piece of the file (len > 0): TS_OK goes on; any other
 * status stops the reading, which returns it. */
typedef ts_status (*ts_chunk_fn)(void *ctx, const char *data, size_t len);

typedef struct ts_chunk_result {
    char sha256[65];    /* of every byte, when the file was read to its end without a NUL */
    int has_nul;        /* the file holds a NUL byte, at this 1-based line and column (bytes) */
    int nul_line, nul_col;
    uint64_t bytes;     /* bytes handed to fn */
    ts_read_failure failure; /* why the file could not be read (TS_EINPUT) */
} ts_chunk_result;

/* Opens path as ts_read_file does (a regular file of at most
 * TS_MAX_FILE_BYTES, never blocking on a FIFO) and hands its bytes to fn
 * in order, in pieces of at most TS_CHUNK_BYTES. With threads > 1 (or
 * <= 0 on a machine of several cores) and a file of more than one piece,
 * a second thread reads and hashes at most
 * four pieces ahead while fn runs on the caller's thread; the pieces fn
 * sees are the same either way. At the first NUL byte the reading stops
 * (the piece holding it is not handed over: what fn did with the pieces
 * before is the caller's to discard) and res->has_nul says where it is.
 * Returns TS_OK with res filled; what fn returned to stop; TS_EINPUT with
 * res->failure saying why the file could not be read; or TS_ENOMEM. */
ts_status ts_read_chunks(const char *path, int threads, ts_chunk_fn fn, void *ctx, ts_chunk_result *res);

#endif
