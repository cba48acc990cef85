// The matrix product, written once and instantiated per instruction set by the files that
// include it after defining:
//   KERNEL_NAME     the function to define
//   KERNEL_TARGET   a function attribute selecting the instruction set (may be empty)
//   VECTOR, LANES   a vector type of LANES floats (clang's ext_vector_type; float for 1)
//   FMA(x, y, z)    x · y + z rounded once, lane by lane
//   TILE_ROWS, TILE_VECTORS  rows and vectors of columns each register tile computes
//
// The output is cut into tiles of TILE_ROWS rows × (TILE_VECTORS · LANES) columns whose
// accumulators stay in registers. B is first packed into panels of that width, k deep,
// zero-padded on the right, so each step of the inner loop loads contiguous vectors of B
// and broadcasts one value of A per row. A product narrower than a quarter of a tile (a
// classifier's last layer, 2 or 3 wide) skips the packing and runs scalar chains instead.
// Lanes never mix and every chain runs k = 0, 1, 2, … in order, so each output element is
// the same whatever LANES is and whichever way it was computed.

#include <string.h>

#define TILE_COLUMNS (TILE_VECTORS * LANES)

/// Columns of one tile, for the caller's packing size.
const long KERNEL_WIDTH = TILE_COLUMNS;

/// Rows whose chains a narrow product runs side by side: enough independent fused
/// multiply-adds to keep the units busy while each waits for the one before it.
#define NARROW_ROWS 8

static inline __attribute__((always_inline)) KERNEL_TARGET
VECTOR load_vector(const float *p) {
    VECTOR v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) KERNEL_TARGET
void store_vector(float *p, VECTOR v) {
    memcpy(p, &v, sizeof v);
}

/// One tile: `rows` (a constant at each call, so the loops unroll) of A against one packed
/// panel, then the epilogue into `cols` columns of y.
static inline __attribute__((always_inline)) KERNEL_TARGET
void tile(const int rows, const long cols, const long k, const float *a, const long aRow, const long aStep,
          const float *panel, const float alpha, const float beta,
          const float *c, const long cRow, const long cColumn, float *y, const long yRow) {
    VECTOR acc[TILE_ROWS][TILE_VECTORS];
    for (int r = 0; r < TILE_ROWS; r++)
        for (int v = 0; v < TILE_VECTORS; v++) acc[r][v] = (VECTOR)0.0f;
    for (long p = 0; p < k; p++) {
        VECTOR bv[TILE_VECTORS];
        for (int v = 0; v < TILE_VECTORS; v++) bv[v] = load_vector(panel + p * TILE_COLUMNS + v * LANES);
        for (int r = 0; r < TILE_ROWS; r++) {
            if (r < rows) {
                const VECTOR x = (VECTOR)a[r * aRow + p * aStep];
                for (int v = 0; v < TILE_VECTORS; v++) acc[r][v] = FMA(x, bv[v], acc[r][v]);
            }
        }
    }
    const VECTOR alphas = (VECTOR)alpha, betas = (VECTOR)beta;
    for (int r = 0; r < TILE_ROWS; r++) {
        if (r >= rows) continue;
        float *out = y + r * yRow;
        if (cols == TILE_COLUMNS && (beta == 0.0f || cColumn == 1)) {
            for (int v = 0; v < TILE_VECTORS; v++) {
                VECTOR sum = alphas * acc[r][v];
                if (beta != 0.0f) sum = sum + betas * load_vector(c + r * cRow + v * LANES);
                store_vector(out + v * LANES, sum);
            }
        } else {
            // An edge panel or an unusual broadcast of C: the same two roundings, one
            // element at a time.
            float values[TILE_COLUMNS];
            for (int v = 0; v < TILE_VECTORS; v++) store_vector(values + v * LANES, alphas * acc[r][v]);
            for (long j = 0; j < cols; j++) {
                float sum = values[j];
                if (beta != 0.0f) sum = sum + beta * c[r * cRow + j * cColumn];
                out[j] = sum;
            }
        }
    }
}

/// A product only a few columns wide (a classifier's last layer): scalar chains for
/// NARROW_ROWS rows at once, with no packing, where a tile would be mostly padding.
static inline __attribute__((always_inline)) KERNEL_TARGET
void narrow(long m, long n, long k, const float *a, long aRow, long aStep, const float *b, long bRow, long bColumn,
            float alpha, float beta, const float *c, long cRow, long cColumn, float *y) {
    for (long i0 = 0; i0 < m; i0 += NARROW_ROWS) {
        const long rows = m - i0 < NARROW_ROWS ? m - i0 : NARROW_ROWS;
        const float *ai = a + i0 * aRow;
        for (long j = 0; j < n; j++) {
            float acc[NARROW_ROWS] = {0};
            if (rows == NARROW_ROWS) {
                for (long p = 0; p < k; p++) {
                    const float bp = b[p * bRow + j * bColumn];
                    for (int r = 0; r < NARROW_ROWS; r++) acc[r] = FMA(ai[r * aRow + p * aStep], bp, acc[r]);
                }
            } else {
                for (long p = 0; p < k; p++) {
                    const float bp = b[p * bRow + j * bColumn];
                    for (long r = 0; r < rows; r++) acc[r] = FMA(ai[r * aRow + p * aStep], bp, acc[r]);
                }
            }
            for (long r = 0; r < rows; r++) {
                float sum = alpha * acc[r];
                if (beta != 0.0f) sum = sum + beta * c[(i0 + r) * cRow + j * cColumn];
                y[(i0 + r) * n + j] = sum;
            }
        }
    }
}

KERNEL_TARGET
void KERNEL_NAME(int transA, int transB, long m, long n, long k, float alpha, const float *a, const float *b,
                 float beta, const float *c, long cRow, long cColumn, float *y, float *packing) {
    // A(i, p) is a[i·k + p], or a[p·m + i] when transposed; B(p, j) is b[p·n + j], or
    // b[j·k + p] when transposed.
    const long aRow = transA ? 1 : k, aStep = transA ? m : 1;
    const long bRow = transB ? 1 : n, bColumn = transB ? k : 1;
    if (n * 4 < TILE_COLUMNS) {
        narrow(m, n, k, a, aRow, aStep, b, bRow, bColumn, alpha, beta, c, cRow, cColumn, y);
        return;
    }
    const long panels = (n + TILE_COLUMNS - 1) / TILE_COLUMNS;
    for (long q = 0; q < panels; q++) {
        float *panel = packing + q * k * TILE_COLUMNS;
        const long width = n - q * TILE_COLUMNS < TILE_COLUMNS ? n - q * TILE_COLUMNS : TILE_COLUMNS;
        const float *source = b + q * TILE_COLUMNS * bColumn;
        // Read B in its own order (along rows, or along columns when transposed).
        if (transB) {
            for (long jj = 0; jj < width; jj++)
                for (long p = 0; p < k; p++) panel[p * TILE_COLUMNS + jj] = source[jj * bColumn + p];
        } else {
            for (long p = 0; p < k; p++)
                for (long jj = 0; jj < width; jj++) panel[p * TILE_COLUMNS + jj] = source[p * bRow + jj];
        }
        for (long p = 0; p < k; p++)
            for (long jj = width; jj < TILE_COLUMNS; jj++) panel[p * TILE_COLUMNS + jj] = 0.0f;
    }
    for (long q = 0; q < panels; q++) {
        const float *panel = packing + q * k * TILE_COLUMNS;
        const long j0 = q * TILE_COLUMNS;
        const long cols = n - j0 < TILE_COLUMNS ? n - j0 : TILE_COLUMNS;
        for (long i0 = 0; i0 < m; i0 += TILE_ROWS) {
            const long rows = m - i0 < TILE_ROWS ? m - i0 : TILE_ROWS;
            const float *ai = a + i0 * aRow;
            const float *ci = c ? c + i0 * cRow + j0 * cColumn : c;
            float *yi = y + i0 * n + j0;
            switch (rows) {
#define TILE_CASE(R) case R: tile(R, cols, k, ai, aRow, aStep, panel, alpha, beta, ci, cRow, cColumn, yi, n); break;
            TILE_CASES
#undef TILE_CASE
            default: break;
            }
        }
    }
}
