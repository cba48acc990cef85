// The product with 8-float AVX registers and FMA: 6 rows × 16 columns of accumulators,
// 12 of the 16 registers.
#if defined(__x86_64__)

typedef float Float8 __attribute__((ext_vector_type(8)));

#define KERNEL_NAME distill_matrix_product_avx_fma
#define KERNEL_WIDTH distill_matrix_product_avx_fma_width
#define KERNEL_TARGET __attribute__((target("avx,fma")))
#define VECTOR Float8
#define LANES 8
#define FMA(x, y, z) __builtin_elementwise_fma((x), (y), (z))
#define TILE_ROWS 6
#define TILE_VECTORS 2
#define TILE_CASES TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6)

extern const long KERNEL_WIDTH;
void KERNEL_NAME(int transA, int transB, long m, long n, long k, float alpha, const float *a, const float *b,
                 float beta, const float *c, long cRow, long cColumn, float *y, float *packing);

#include "MatrixKernel.h"

#endif
