/*
 * fileio.h — reading a whole input file into memory (so it can be parsed and
 * hashed from the same bytes) and joining paths.
 */
#ifndef TS_UTIL_FILEIO_H
#define TS_UTIL_FILEIO_H

#include "tapscale.h"

#include <stddef.h>

/* The largest input file tapscale reads: 4 GiB (a year of one-second
 * demand for one model is about 1.5 GB of CSV). */
#define TS_MAX_FILE_BYTES ((size_t)4 << 30)

/* Why a file could not be read: the phrase of "cannot read: %s" (the
 * system's, or "not a regular file", "larger than the 4 GiB an input file
 * may have"; static text) and whether the file does not exist. */
typedef struct ts_read_failure {
    const char *why;
    int missing;
} ts_read_failure;

/* Reads the regular file at path into a NUL-terminated malloc'ed buffer,
 * never blocking on a FIFO. Returns TS_OK; TS_EINPUT, with *f (when not
 * NULL) saying why; or TS_ENOMEM. */
ts_status ts_read_file(const char *path, char **data, size_t *len, ts_read_failure *f);
/* Whether data holds a NUL byte (text files do not); if so, its 1-based
 * line and column (in bytes). */
int ts_find_nul(const char *data, size_t len, int *line, int *col);
/* The failure of the errno value or TS_READ_* code e (the file readers'
 * own codes, inside util/). */
ts_read_failure ts_read_failure_of(int e);
#define TS_READ_NOT_REGULAR (-1) /* a folder, device, FIFO or socket */
#define TS_READ_TOO_BIG (-2)     /* more than TS_MAX_FILE_BYTES */
/* Whether the relative path rel, read from a folder depth levels below a
 * root, leads out of the root: 1 when it is absolute or its ".." climb
 * above the root, else 0. Lexical: symbolic links are ts_path_inside's. */
int ts_path_escapes(const char *rel, int depth);
/* Whether path, symbolic links resolved, is inside the folder root (or is
 * root): 1 yes, 0 no, -1 when either cannot be resolved (a missing file:
 * reading it will say so). */
int ts_path_inside(const char *root, const char *path);
/* Returns a malloc'ed "a/b" (b unchanged when absolute), or NULL. */
char *ts_path_join(const char *a, const char *b);
/* Returns a malloc'ed copy of s, or NULL. */
char *ts_strdup(const char *s);

#endif
