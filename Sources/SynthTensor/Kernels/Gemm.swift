/// Matrix products on OpenBLAS, split across cores by SynthTensor (OpenBLAS itself runs single-threaded).
package enum Gemm {
    /// Row-major `C[m, n] = alpha * op(A) * op(B) + beta * C`, splitting the rows of C across cores when large.
    ///
    /// `op(A)` is `A` (`[m, k]`, leading dimension `lda`) or, with `transposeA`, the transpose of a `[k, m]` A.
    /// `op(B)` likewise is `[k, n]` or the transpose of `[n, k]`.
    package static func multiply(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            scaleRows(c: c, m: m, n: n, ldc: ldc, beta: beta)
            return
        }
        let work = m * n * k
        let chunks = Parallel.workers
        if chunks < 2 || work < 1 << 21 || m < 2 * chunks {
            BLAS.sgemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        Parallel.forRanges(m, costPerItem: 1 << 20) { rows in
            // Row r of op(A) starts at a + r*lda (plain) or at column r, i.e. a + r (transposed).
            let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
            BLAS.sgemm(
                transposeA: transposeA, transposeB: transposeB, m: rows.count, n: n, k: k, alpha: alpha,
                a: aStart, lda: lda, b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
        }
    }

    /// `batch` independent products on contiguous `[batch, …]` operands, spread over cores by batch item.
    ///
    /// Each item uses `multiply` semantics with `A` of `[m, k]` (or `[k, m]` transposed), `B` of `[k, n]`
    /// (or `[n, k]`), and `C` of `[m, n]`, packed densely.
    package static func batched(
        batch: Int, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float = 0, c: UnsafeMutablePointer<Float>
    ) {
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        let strideA = m * k, strideB = k * n, strideC = m * n
        if batch < Parallel.workers {
            for index in 0..<batch {
                multiply(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                    a: a + index * strideA, lda: lda, b: b + index * strideB, ldb: ldb, beta: beta,
                    c: c + index * strideC, ldc: n)
            }
            return
        }
        Parallel.forRanges(batch, costPerItem: m * n * k) { items in
            for index in items {
                guard k > 0 else {
                    scaleRows(c: c + index * strideC, m: m, n: n, ldc: n, beta: beta)
                    continue
                }
                BLAS.sgemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                    a: a + index * strideA, lda: lda, b: b + index * strideB, ldb: ldb, beta: beta,
                    c: c + index * strideC, ldc: n)
            }
        }
    }

    private static func scaleRows(c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, beta: Float) {
        for row in 0..<m {
            for column in 0..<n { c[row * ldc + column] = beta == 0 ? 0 : beta * c[row * ldc + column] }
        }
    }
}
