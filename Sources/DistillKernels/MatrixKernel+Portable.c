// The product in scalar C: one fmaf per step, any CPU. Where the CPU has no fused
// multiply-add, the C library's fmaf computes it exactly in software (slowly), so the
// bits are still those of the vector paths.
#include <math.h>

#define KERNEL_NAME distill_matrix_product_portable
#define KERNEL_WIDTH distill_matrix_product_portable_width
#define KERNEL_TARGET
#define VECTOR float
#define LANES 1
#define FMA(x, y, z) fmaf((x), (y), (z))
#define TILE_ROWS 4
#define TILE_VECTORS 4
#define TILE_CASES TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4)

extern const long KERNEL_WIDTH;
void KERNEL_NAME(int transA, int transB, long m, long n, long k, float alpha, const float *a, const float *b,
                 float beta, const float *c, long cRow, long cColumn, float *y, float *packing);

#include "MatrixKernel.h"
