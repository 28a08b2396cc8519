/*
 * dconv.c — ts_dconv_shortest (util/numfmt.c's digits) for the WebAssembly
 * build, which has no C++ library to link double-conversion with: the
 * fewest significant digits (1 to 17) whose %.*e reads back to v. printf
 * rounds to the nearest, so that is the closest decimal of that length,
 * as double-conversion's SHORTEST gives it (numfmt.c sends exact ties the
 * reference way before asking). Slower, and only the what-if's messages
 * print numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ts_dconv_shortest(double v, char *digits, int *length, int *point);

int ts_dconv_shortest(double v, char *digits, int *length, int *point)
{
    int neg = v < 0;
    double a = neg ? -v : v;
    char buf[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, a);
        if (strtod(buf, NULL) == a || p == 17)
            break;
    }
    /* buf is D[.DDD]e[+-]X */
    int n = 0;
    char *e = strchr(buf, 'e');
    for (char *c = buf; c < e; c++)
        if (*c != '.')
            digits[n++] = *c;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    *length = n;
    *point = atoi(e + 1) + 1;
    return neg;
}
