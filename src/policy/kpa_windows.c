/*
 * kpa_windows.c — the KPA's window means for many ticks at once; see
 * kpa_windows.h.
 */
#include "policy/kpa_windows.h"

#include <math.h>

/* Windows summed side by side in registers by the baseline build. */
#define LANES 8

/* The AVX2 build, where the compiler can make one. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define TS_X86_AVX2 1
#include <immintrin.h>
#else
#define TS_X86_AVX2 0
#endif

int ts_kpa_wide(void)
{
#if TS_X86_AVX2
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

/* sum[j] = x[j] + x[j-1] + ... + x[j-n+1] for j < nb, added in that
 * order from +0.0 (x[-n+1..-1] must be readable). LANES windows are
 * summed side by side, each in its own order. Written once, compiled
 * twice: for the baseline and for AVX2 (the same IEEE additions, so the
 * same bits, on wider registers). */
static inline __attribute__((always_inline)) void window_sums_body(const double *x, int nb, int n, double *sum)
{
    int j = 0;
    for (; j + LANES <= nb; j += LANES) {
        double a[LANES] = {0.0};
        for (int i = 0; i < n; i++)
            for (int c = 0; c < LANES; c++)
                a[c] += x[j + c - i];
        for (int c = 0; c < LANES; c++)
            sum[j + c] = a[c];
    }
    for (; j < nb; j++) {
        double a = 0.0;
        for (int i = 0; i < n; i++)
            a += x[j - i];
        sum[j] = a;
    }
}

/* pods[j] = ceil(sum[j] / min(n, k0+j+1) / target) for j < nb: the mean
 * of the window, then its pods, as kpa_step and Scale() divide. Returns
 * the first j of the ticks with a full window. */
static inline __attribute__((always_inline)) int window_pods_start(const double *sum, int nb, int n, int64_t k0,
                                                                   double target, double *pods)
{
    int j = 0;
    for (; j < nb && k0 + j + 1 < n; j++) /* the first ticks of a pool */
        pods[j] = ceil(sum[j] / (double)(k0 + j + 1) / target);
    return j;
}

static void window_pods_base(const double *x, int nb, int n, int64_t k0, double target, double *sum, double *pods)
{
    window_sums_body(x, nb, n, sum);
    const double m = (double)n;
    for (int j = window_pods_start(sum, nb, n, k0, target, pods); j < nb; j++)
        pods[j] = ceil(sum[j] / m / target);
}

#if TS_X86_AVX2
/* window_pods with AVX2: four divisions and ceilings at a time (correctly
 * rounded as the scalar ones are). */
__attribute__((target("avx2"))) static void window_pods_avx2(const double *x, int nb, int n, int64_t k0,
                                                             double target, double *sum, double *pods)
{
    /* sixteen windows in four registers, each lane in its window's order */
    int i0 = 0;
    for (; i0 + 16 <= nb; i0 += 16) {
        __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < n; i++) {
            const double *p = x + i0 - i;
            a0 = _mm256_add_pd(a0, _mm256_loadu_pd(p));
            a1 = _mm256_add_pd(a1, _mm256_loadu_pd(p + 4));
            a2 = _mm256_add_pd(a2, _mm256_loadu_pd(p + 8));
            a3 = _mm256_add_pd(a3, _mm256_loadu_pd(p + 12));
        }
        _mm256_storeu_pd(sum + i0, a0);
        _mm256_storeu_pd(sum + i0 + 4, a1);
        _mm256_storeu_pd(sum + i0 + 8, a2);
        _mm256_storeu_pd(sum + i0 + 12, a3);
    }
    window_sums_body(x + i0, nb - i0, n, sum + i0);
    const double m = (double)n;
    int j = window_pods_start(sum, nb, n, k0, target, pods);
    const __m256d vm = _mm256_set1_pd(m), vt = _mm256_set1_pd(target);
    for (; j + 4 <= nb; j += 4) {
        __m256d v = _mm256_div_pd(_mm256_div_pd(_mm256_loadu_pd(sum + j), vm), vt);
        _mm256_storeu_pd(pods + j, _mm256_round_pd(v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC));
    }
    for (; j < nb; j++)
        pods[j] = ceil(sum[j] / m / target);
}
#endif

void ts_kpa_window_pods(const double *x, int nb, int n, int64_t k0, double target, int wide, double *sum,
                        double *pods)
{
#if TS_X86_AVX2
    if (wide) {
        window_pods_avx2(x, nb, n, k0, target, sum, pods);
        return;
    }
#endif
    (void)wide;
    window_pods_base(x, nb, n, k0, target, sum, pods);
}
