// The product with 16-float AVX-512 registers: 8 rows × 32 columns of accumulators, 16 of
// the 32 registers.
#if defined(__x86_64__)

typedef float Float16 __attribute__((ext_vector_type(16)));

#define KERNEL_NAME distill_matrix_product_avx512
#define KERNEL_WIDTH distill_matrix_product_avx512_width
#define KERNEL_TARGET __attribute__((target("avx512f")))
#define VECTOR Float16
#define LANES 16
#define FMA(x, y, z) __builtin_elementwise_fma((x), (y), (z))
#define TILE_ROWS 8
#define TILE_VECTORS 2
#define TILE_CASES TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6) TILE_CASE(7) TILE_CASE(8)

extern const long KERNEL_WIDTH;
void KERNEL_NAME(int transA, int transB, long m, long n, long k, float alpha, const float *a, const float *b,
                 float beta, const float *c, long cRow, long cColumn, float *y, float *packing);

#include "MatrixKernel.h"

#endif
