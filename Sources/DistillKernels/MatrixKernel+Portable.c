// The product in scalar C, for any CPU. Where the compiler may use a fused multiply-add
// instruction (aarch64, or x86 built for FMA), fmaf is that instruction; elsewhere fmaf
// would be the C library's exact software version, about a thousand times slower than the
// vector paths, so the fused result is computed in double instead, with the same bits.
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
#define FMA(x, y, z) fmaf((x), (y), (z))
#else
/// x · y + z rounded once to float, without a fused instruction: x · y is exact in double
/// (48 bits), and x · y + z rounded to odd in double (53 ≥ 24 + 2 bits) rounds to float as
/// the exact sum would (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums:
/// proved algorithms using rounding to odd", IEEE Trans. Computers 57(4), 2008). Rounding
/// to odd: the nearest double, moved one ulp toward the exact sum when it was inexact and
/// its last bit is even (Knuth's two-sum gives the exact error).
static inline float emulated_fma(float x, float y, float z) {
    const double product = (double)x * (double)y, addend = (double)z;
    double sum = product + addend;
    const double virtual_addend = sum - product;
    const double error = (product - (sum - virtual_addend)) + (addend - virtual_addend);
    uint64_t bits;
    memcpy(&bits, &sum, sizeof bits);
    if (error != 0.0 && isfinite(sum) && (bits & 1) == 0) {
        bits += (error > 0) == (sum > 0) ? 1 : UINT64_MAX;
        memcpy(&sum, &bits, sizeof sum);
    }
    return (float)sum;
}
#define FMA(x, y, z) emulated_fma((x), (y), (z))
#endif

#define KERNEL_NAME distill_matrix_product_portable
#define KERNEL_WIDTH distill_matrix_product_portable_width
#define KERNEL_TARGET
#define VECTOR float
#define LANES 1
#define TILE_ROWS 4
#define TILE_VECTORS 4
#define TILE_CASES TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4)

extern const long KERNEL_WIDTH;
void KERNEL_NAME(int transA, int transB, long m, long n, long k, float alpha, const float *a, const float *b,
                 float beta, const float *c, long cRow, long cColumn, float *y, float *packing);

#include "MatrixKernel.h"
