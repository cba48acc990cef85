#ifndef DISTILL_ROW_KERNELS_H
#define DISTILL_ROW_KERNELS_H

/// Sums over rows for the linear solver, in one fixed order on every machine (see
/// RowKernels.c). Each function comes in a portable version and a dispatching one, which
/// uses AVX2 when the CPU has it; both give the same bits.

/// Σ x[i] y[i], i < count.
double distill_dot(const double *x, const double *y, long count);
double distill_dot_portable(const double *x, const double *y, long count);

/// Σ x[i], i < count.
double distill_sum(const double *x, long count);
double distill_sum_portable(const double *x, long count);

/// y[i] += a[0] x[0][i], then += a[1] x[1][i], ..., up to a[k - 1] x[k - 1][i], for i < count:
/// k calls of y += a x in one pass over y.
void distill_axpy(const double *a, const double *const *x, long k, double *y, long count);
void distill_axpy_portable(const double *a, const double *const *x, long k, double *y, long count);

/// out[j] = distill_dot(x[j], y, count) for j < k, in one pass over y per few columns.
void distill_dots(const double *const *x, long k, const double *y, long count, double *out);
void distill_dots_portable(const double *const *x, long k, const double *y, long count, double *out);

/// out[i] = w[i] x[i], i < count.
void distill_multiply(const double *w, const double *x, double *out, long count);
void distill_multiply_portable(const double *w, const double *x, double *out, long count);

/// result[a m + b] += distill_dot(scaled[a], plain[b], count) for a <= b < m, then
/// result[b m + a] = result[a m + b].
void distill_symmetric_product(const double *const *scaled, const double *const *plain, long m, long count,
                               double *result);
void distill_symmetric_product_portable(const double *const *scaled, const double *const *plain, long m, long count,
                                        double *result);

#endif
