#ifndef DISTILL_KERNELS_H
#define DISTILL_KERNELS_H

// Distill's own numeric kernels, whose results have the same bits on every CPU, at every
// vector width, for every batch size and thread count: the matrix product of ONNX inference
// (below: every output element one chain of fused multiply-adds over the inner dimension in
// a fixed order) and the linear solver's sums over rows (RowKernels.h).

#include "RowKernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets the product can run on. Each computes the same bits.
typedef enum {
    /// Scalar C: any CPU (the fused multiply-add computed exactly in double where the CPU
    /// has none).
    DistillKernelPortable = 0,
    /// 8 floats per register with AVX and FMA (x86 since 2013).
    DistillKernelAVXFMA = 1,
    /// 16 floats per register with AVX-512F.
    DistillKernelAVX512 = 2,
} DistillKernelPath;

/// Whether this CPU (and OS) can run `path`. On glibc this follows the features glibc itself
/// uses, so `GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F` (or `-AVX2,-FMA`) masks them here too.
int distill_kernel_supported(DistillKernelPath path);

/// The widest path this CPU supports.
DistillKernelPath distill_kernel_best(void);

/// Floats of packing space `distill_matrix_product` needs for an m × n result, k deep.
long distill_matrix_packing_size(DistillKernelPath path, long m, long n, long k);

/// Y = alpha · (op(A) · op(B)) + beta · C, row-major, with C broadcast through strides.
///
/// Each op(A)·op(B) element is acc = 0, then acc = fma(A(i,p), B(p,j), acc) for
/// p = 0, 1, …, k − 1; then y = alpha · acc, and y = y + beta · C(i,j) when beta ≠ 0 (C is
/// not read otherwise), each step rounded once.
///
/// - a: m × k row-major, or k × m when transA.  b: k × n, or n × k when transB.
/// - c: C(i,j) = c[i · cRowStride + j · cColumnStride] (strides 0 broadcast); may be NULL
///   when beta = 0.
/// - y: m × n row-major output; must not overlap the inputs.
/// - packing: `distill_matrix_packing_size(path, m, n, k)` floats of scratch space.
/// - path: must be supported (`distill_kernel_supported`).
void distill_matrix_product(DistillKernelPath path, int transA, int transB, long m, long n, long k,
                            float alpha, const float *a, const float *b,
                            float beta, const float *c, long cRowStride, long cColumnStride,
                            float *y, float *packing);

#ifdef __cplusplus
}
#endif

#endif
