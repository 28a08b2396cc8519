/*
 * fileio.h — reading a whole input file into memory (so it can be parsed and
 * hashed from the same bytes) and joining paths.
 */
#ifndef TS_UTIL_FILEIO_H
#define TS_UTIL_FILEIO_H

#include <stddef.h>

/* Reads path into a NUL-terminated malloc'ed buffer. Returns 0, or an errno
 * value (ENOMEM on allocation failure, EISDIR for a folder). */
int ts_read_file(const char *path, char **data, size_t *len);
/* Returns a malloc'ed "a/b" (b unchanged when absolute), or NULL. */
char *ts_path_join(const char *a, const char *b);
/* Returns a malloc'ed copy of s, or NULL. */
char *ts_strdup(const char *s);

#endif
