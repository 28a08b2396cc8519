/*
 * fileio.c — whole-file reads and path joins; see fileio.h.
 */
#include "util/fileio.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ts_read_file(const char *path, char **data, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno ? errno : EIO;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno ? errno : EIO;
    size_t cap = 65536, n = 0;
    char *buf = ts_malloc(cap);
    if (!buf) {
        fclose(f);
        return ENOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *p = ts_realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                fclose(f);
                return ENOMEM;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return EIO;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

char *ts_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ts_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
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
