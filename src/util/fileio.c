/*
 * fileio.c — whole-file reads and path joins; see fileio.h.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "util/fileio.h"
#include "util/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ts_read_failure ts_read_failure_of(int e)
{
    ts_read_failure f = {NULL, e == ENOENT};
    f.why = e == TS_READ_NOT_REGULAR ? "not a regular file"
            : e == TS_READ_TOO_BIG   ? "larger than the 4 GiB an input file may have"
                                     : strerror(e);
    return f;
}

/* Reads an open regular file to its end, at most TS_MAX_FILE_BYTES. */
static int read_all(FILE *f, char **data, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = ts_malloc(cap);
    if (!buf)
        return ENOMEM;
    for (;;) {
        if (n > TS_MAX_FILE_BYTES) {
            free(buf);
            return TS_READ_TOO_BIG;
        }
        char *p = ts_reserve(buf, n + 2, &cap, 1, cap); /* room to read into, and the NUL */
        if (!p) {
            free(buf);
            return ENOMEM;
        }
        buf = p;
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        return EIO;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* ts_read_file with the system's codes: 0, an errno value or TS_READ_*. */
static int read_file(const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno ? errno : EIO;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno ? errno : EIO;
        close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return S_ISDIR(st.st_mode) ? EISDIR : TS_READ_NOT_REGULAR;
    }
    if ((uint64_t)st.st_size > TS_MAX_FILE_BYTES) {
        close(fd);
        return TS_READ_TOO_BIG;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int e = errno ? errno : EIO;
        close(fd);
        return e;
    }
    int e = read_all(f, data, len);
    fclose(f);
    return e;
}

ts_status ts_read_file(const char *path, char **data, size_t *len, ts_read_failure *f)
{
    int e = read_file(path, data, len);
    if (e == 0)
        return TS_OK;
    if (e == ENOMEM)
        return TS_ENOMEM;
    if (f)
        *f = ts_read_failure_of(e);
    return TS_EINPUT;
}

int ts_find_nul(const char *data, size_t len, int *line, int *col)
{
    const char *z = memchr(data, '\0', len);
    if (!z)
        return 0;
    *line = 1;
    const char *bol = data;
    for (const char *p = data; p < z; p++)
        if (*p == '\n') {
            ++*line;
            bol = p + 1;
        }
    *col = (int)(z - bol) + 1;
    return 1;
}

char *ts_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ts_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int ts_path_escapes(const char *rel, int depth)
{
    if (rel[0] == '/')
        return 1;
    for (const char *c = rel; *c;) {
        size_t n = strcspn(c, "/");
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            if (--depth < 0)
                return 1;
        } else if (n && !(n == 1 && c[0] == '.'))
            depth++;
        c += n;
        c += *c == '/';
    }
    return 0;
}

int ts_path_inside(const char *root, const char *path)
{
    char *r = realpath(root, NULL), *q = realpath(path, NULL);
    int inside = -1;
    if (r && q) {
        size_t n = strlen(r);
        inside = strncmp(q, r, n) == 0 && (q[n] == '/' || q[n] == '\0' || (n == 1 && r[0] == '/'));
    }
    free(r);
    free(q);
    return inside;
}

char *ts_path_join(const char *a, const char *b)
{
    if (b[0] == '/' || !a || !a[0])
        return ts_strdup(b);
    size_t la = strlen(a), lb = strlen(b);
    int slash = a[la - 1] != '/';
    char *p = ts_malloc(la + slash + lb + 1);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    if (slash)
        p[la] = '/';
    memcpy(p + la + slash, b, lb + 1);
    return p;
}
