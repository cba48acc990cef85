// Chooses the instruction set for the matrix product. This is Distill's own code, not a
// wrapper of a system library: a C target because C can compile one function for several
// instruction sets and pick one at run time, which Swift cannot, and because it is built
// with optimisation even in debug builds (see Package.swift).
#include "DistillKernels.h"

#if defined(__x86_64__) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define HAS_GLIBC_FEATURES 1
#endif
#endif

/// One instantiation of MatrixKernel.h.
typedef void (*Kernel)(int, int, long, long, long, float, const float *, const float *,
                       float, const float *, long, long, float *, float *);

#define DECLARE_KERNEL(name) \
    void name(int, int, long, long, long, float, const float *, const float *, \
              float, const float *, long, long, float *, float *); \
    extern const long name##_width;

DECLARE_KERNEL(distill_matrix_product_portable)
#if defined(__x86_64__)
DECLARE_KERNEL(distill_matrix_product_avx_fma)
DECLARE_KERNEL(distill_matrix_product_avx512)
#endif

/// The kernel of `path` and the columns of its tile.
static Kernel kernel(DistillKernelPath path, long *width) {
    switch (path) {
#if defined(__x86_64__)
    case DistillKernelAVX512:
        *width = distill_matrix_product_avx512_width;
        return distill_matrix_product_avx512;
    case DistillKernelAVXFMA:
        *width = distill_matrix_product_avx_fma_width;
        return distill_matrix_product_avx_fma;
#endif
    default:
        *width = distill_matrix_product_portable_width;
        return distill_matrix_product_portable;
    }
}

int distill_kernel_supported(DistillKernelPath path) {
    switch (path) {
    case DistillKernelPortable:
        return 1;
#if defined(__x86_64__) && defined(HAS_GLIBC_FEATURES)
    // glibc's view: the CPU's features less those the OS does not save or the
    // glibc.cpu.hwcaps tunable masks.
    case DistillKernelAVXFMA:
        return CPU_FEATURE_ACTIVE(AVX) && CPU_FEATURE_ACTIVE(FMA);
    case DistillKernelAVX512:
        return CPU_FEATURE_ACTIVE(AVX512F);
#elif defined(__x86_64__)
    case DistillKernelAVXFMA:
        return __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
    case DistillKernelAVX512:
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

DistillKernelPath distill_kernel_best(void) {
    if (distill_kernel_supported(DistillKernelAVX512)) return DistillKernelAVX512;
    if (distill_kernel_supported(DistillKernelAVXFMA)) return DistillKernelAVXFMA;
    return DistillKernelPortable;
}

long distill_matrix_packing_size(DistillKernelPath path, long m, long n, long k) {
    long width;
    kernel(path, &width);
    (void)m;
    const long size = (n + width - 1) / width * width * k;
    return size > 0 ? size : 1;
}

void distill_matrix_product(DistillKernelPath path, int transA, int transB, long m, long n, long k,
                            float alpha, const float *a, const float *b,
                            float beta, const float *c, long cRowStride, long cColumnStride,
                            float *y, float *packing) {
    if (m <= 0 || n <= 0) return;
    long width;
    const Kernel run = kernel(path, &width);
    run(transA, transB, m, n, k, alpha, a, b, beta, c, cRowStride, cColumnStride, y, packing);
}
