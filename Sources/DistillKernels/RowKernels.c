// The linear solver's sums over rows, written so that each result depends only on its
// inputs: not on the CPU, its vector width or the compiler.
//
// A sum keeps 8 partial sums: lane l adds, in increasing i, the terms i = l (mod 8) of the
// first 8 floor(count / 8); the lanes are combined as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) +
// (s6 + s7)), and the remaining terms added in order. A product is rounded before it is
// added: contraction into fused multiply-adds is off for this file, so the portable
// version (which the compiler may vectorise for any target, keeping each lane's order)
// and the AVX2 version (two 4-wide registers per 8 lanes, chosen at run time) give the
// same bits, as the tests check.
//
// In C rather than Swift only for AVX2: Swift compiles for the x86-64 baseline (SSE2),
// where the Gram matrix's products ran at half the speed OpenBLAS had, and Swift cannot
// enable a wider instruction set for one function.
#include "RowKernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>
#define DISTILL_X86 1
#endif

static double combine(const double *s) {
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// MARK: Portable

double distill_dot_portable(const double *x, const double *y, long count) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long whole = count - count % 8, i;
    for (i = 0; i < whole; i += 8) {
        for (int l = 0; l < 8; l++) s[l] += x[i + l] * y[i + l];
    }
    double total = combine(s);
    for (; i < count; i++) total += x[i] * y[i];
    return total;
}

double distill_sum_portable(const double *x, long count) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long whole = count - count % 8, i;
    for (i = 0; i < whole; i += 8) {
        for (int l = 0; l < 8; l++) s[l] += x[i + l];
    }
    double total = combine(s);
    for (; i < count; i++) total += x[i];
    return total;
}

void distill_axpy_portable(const double *a, const double *const *x, long k, double *y, long count) {
    for (long j = 0; j < k; j++) {
        for (long i = 0; i < count; i++) y[i] += a[j] * x[j][i];
    }
}

void distill_dots_portable(const double *const *x, long k, const double *y, long count, double *out) {
    for (long j = 0; j < k; j++) out[j] = distill_dot_portable(x[j], y, count);
}

void distill_multiply_portable(const double *w, const double *x, double *out, long count) {
    for (long i = 0; i < count; i++) out[i] = w[i] * x[i];
}

static void mirror(long m, double *result) {
    for (long a = 0; a < m; a++) {
        for (long b = 0; b < a; b++) result[a * m + b] = result[b * m + a];
    }
}

void distill_symmetric_product_portable(const double *const *scaled, const double *const *plain, long m, long count,
                                        double *result) {
    for (long a = 0; a < m; a++) {
        for (long b = a; b < m; b++) result[a * m + b] += distill_dot_portable(scaled[a], plain[b], count);
    }
    mirror(m, result);
}

// MARK: AVX2

#ifdef DISTILL_X86

#define DISTILL_AVX2 __attribute__((target("avx2")))

// The lanes' sum, then the products from `from` on added in order.
DISTILL_AVX2 static double finish(__m256d low, __m256d high, const double *x, const double *y, long from, long count) {
    double s[8];
    _mm256_storeu_pd(s, low);
    _mm256_storeu_pd(s + 4, high);
    double total = combine(s);
    for (long i = from; i < count; i++) total += x[i] * y[i];
    return total;
}

DISTILL_AVX2 static double dot_avx2(const double *x, const double *y, long count) {
    __m256d low = _mm256_setzero_pd(), high = low;
    long whole = count - count % 8, i;
    for (i = 0; i < whole; i += 8) {
        low = _mm256_add_pd(low, _mm256_mul_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(y + i)));
        high = _mm256_add_pd(high, _mm256_mul_pd(_mm256_loadu_pd(x + i + 4), _mm256_loadu_pd(y + i + 4)));
    }
    return finish(low, high, x, y, whole, count);
}

DISTILL_AVX2 static double sum_avx2(const double *x, long count) {
    __m256d low = _mm256_setzero_pd(), high = low;
    long whole = count - count % 8, i;
    for (i = 0; i < whole; i += 8) {
        low = _mm256_add_pd(low, _mm256_loadu_pd(x + i));
        high = _mm256_add_pd(high, _mm256_loadu_pd(x + i + 4));
    }
    double s[8];
    _mm256_storeu_pd(s, low);
    _mm256_storeu_pd(s + 4, high);
    double total = combine(s);
    for (; i < count; i++) total += x[i];
    return total;
}

// Up to four columns per pass over y, added to each element in column order.
DISTILL_AVX2 static void axpy_avx2(const double *a, const double *const *x, long k, double *y, long count) {
    long whole = count - count % 4;
    for (long j = 0; j < k; j += 4) {
        long n = k - j < 4 ? k - j : 4;
        for (long i = 0; i < whole; i += 4) {
            __m256d t = _mm256_loadu_pd(y + i);
            for (long c = 0; c < n; c++) {
                t = _mm256_add_pd(t, _mm256_mul_pd(_mm256_set1_pd(a[j + c]), _mm256_loadu_pd(x[j + c] + i)));
            }
            _mm256_storeu_pd(y + i, t);
        }
        for (long i = whole; i < count; i++) {
            for (long c = 0; c < n; c++) y[i] += a[j + c] * x[j + c][i];
        }
    }
}

// Four columns per pass over y, each with its own eight lanes.
DISTILL_AVX2 static void dots_avx2(const double *const *x, long k, const double *y, long count, double *out) {
    long j = 0;
    for (; j + 4 <= k; j += 4) {
        __m256d c[8];
        for (int e = 0; e < 8; e++) c[e] = _mm256_setzero_pd();
        long whole = count - count % 8;
        for (long i = 0; i < whole; i += 8) {
            __m256d low = _mm256_loadu_pd(y + i), high = _mm256_loadu_pd(y + i + 4);
            for (int e = 0; e < 4; e++) {
                c[2 * e] = _mm256_add_pd(c[2 * e], _mm256_mul_pd(_mm256_loadu_pd(x[j + e] + i), low));
                c[2 * e + 1] = _mm256_add_pd(c[2 * e + 1], _mm256_mul_pd(_mm256_loadu_pd(x[j + e] + i + 4), high));
            }
        }
        for (int e = 0; e < 4; e++) out[j + e] = finish(c[2 * e], c[2 * e + 1], x[j + e], y, whole, count);
    }
    for (; j < k; j++) out[j] = dot_avx2(x[j], y, count);
}

DISTILL_AVX2 static void multiply_avx2(const double *w, const double *x, double *out, long count) {
    long whole = count - count % 4, i;
    for (i = 0; i < whole; i += 4) _mm256_storeu_pd(out + i, _mm256_mul_pd(_mm256_loadu_pd(w + i), _mm256_loadu_pd(x + i)));
    for (; i < count; i++) out[i] = w[i] * x[i];
}

// Four entries at once, (a, b), (a, b + 1), (a + 1, b), (a + 1, b + 1), each the dot
// product above: every load serves two entries.
DISTILL_AVX2 static void tile_avx2(const double *x0, const double *x1, const double *y0, const double *y1, long count,
                                   double *out) {
    __m256d c[8];
    for (int k = 0; k < 8; k++) c[k] = _mm256_setzero_pd();
    long whole = count - count % 8;
    for (long i = 0; i < whole; i += 8) {
        __m256d u0 = _mm256_loadu_pd(x0 + i), u1 = _mm256_loadu_pd(x0 + i + 4);
        __m256d v0 = _mm256_loadu_pd(x1 + i), v1 = _mm256_loadu_pd(x1 + i + 4);
        __m256d p0 = _mm256_loadu_pd(y0 + i), p1 = _mm256_loadu_pd(y0 + i + 4);
        __m256d q0 = _mm256_loadu_pd(y1 + i), q1 = _mm256_loadu_pd(y1 + i + 4);
        c[0] = _mm256_add_pd(c[0], _mm256_mul_pd(u0, p0));
        c[1] = _mm256_add_pd(c[1], _mm256_mul_pd(u1, p1));
        c[2] = _mm256_add_pd(c[2], _mm256_mul_pd(u0, q0));
        c[3] = _mm256_add_pd(c[3], _mm256_mul_pd(u1, q1));
        c[4] = _mm256_add_pd(c[4], _mm256_mul_pd(v0, p0));
        c[5] = _mm256_add_pd(c[5], _mm256_mul_pd(v1, p1));
        c[6] = _mm256_add_pd(c[6], _mm256_mul_pd(v0, q0));
        c[7] = _mm256_add_pd(c[7], _mm256_mul_pd(v1, q1));
    }
    out[0] = finish(c[0], c[1], x0, y0, whole, count);
    out[1] = finish(c[2], c[3], x0, y1, whole, count);
    out[2] = finish(c[4], c[5], x1, y0, whole, count);
    out[3] = finish(c[6], c[7], x1, y1, whole, count);
}

DISTILL_AVX2 static void symmetric_product_avx2(const double *const *scaled, const double *const *plain, long m,
                                                long count, double *result) {
    for (long a = 0; a < m; a += 2) {
        if (a + 1 == m) {
            result[a * m + a] += dot_avx2(scaled[a], plain[a], count);
            break;
        }
        // Rows a and a + 1 from column a on; (a + 1, a) is computed and then mirrored over.
        long b = a;
        for (; b + 1 < m; b += 2) {
            double out[4];
            tile_avx2(scaled[a], scaled[a + 1], plain[b], plain[b + 1], count, out);
            result[a * m + b] += out[0];
            result[a * m + b + 1] += out[1];
            if (b > a) result[(a + 1) * m + b] += out[2];
            result[(a + 1) * m + b + 1] += out[3];
        }
        if (b < m) {
            result[a * m + b] += dot_avx2(scaled[a], plain[b], count);
            result[(a + 1) * m + b] += dot_avx2(scaled[a + 1], plain[b], count);
        }
    }
    mirror(m, result);
}

static int has_avx2(void) {
    return __builtin_cpu_supports("avx2");
}

#endif

// MARK: Dispatch

double distill_dot(const double *x, const double *y, long count) {
#ifdef DISTILL_X86
    if (has_avx2()) return dot_avx2(x, y, count);
#endif
    return distill_dot_portable(x, y, count);
}

double distill_sum(const double *x, long count) {
#ifdef DISTILL_X86
    if (has_avx2()) return sum_avx2(x, count);
#endif
    return distill_sum_portable(x, count);
}

void distill_axpy(const double *a, const double *const *x, long k, double *y, long count) {
#ifdef DISTILL_X86
    if (has_avx2()) {
        axpy_avx2(a, x, k, y, count);
        return;
    }
#endif
    distill_axpy_portable(a, x, k, y, count);
}

void distill_dots(const double *const *x, long k, const double *y, long count, double *out) {
#ifdef DISTILL_X86
    if (has_avx2()) {
        dots_avx2(x, k, y, count, out);
        return;
    }
#endif
    distill_dots_portable(x, k, y, count, out);
}

void distill_multiply(const double *w, const double *x, double *out, long count) {
#ifdef DISTILL_X86
    if (has_avx2()) {
        multiply_avx2(w, x, out, count);
        return;
    }
#endif
    distill_multiply_portable(w, x, out, count);
}

void distill_symmetric_product(const double *const *scaled, const double *const *plain, long m, long count,
                               double *result) {
#ifdef DISTILL_X86
    if (has_avx2()) {
        symmetric_product_avx2(scaled, plain, m, count, result);
        return;
    }
#endif
    distill_symmetric_product_portable(scaled, plain, m, count, result);
}
