import Foundation

/// The eigen-decomposition of a real symmetric matrix: A = V · diag(λ) · Vᵀ.
///
/// Householder reduction to tridiagonal form followed by the implicit QL algorithm with Wilkinson-style
/// shifts (EISPACK `tred2`/`tql2`, as in the public-domain JAMA package). Eigenvalues come out in
/// descending order; column `j` of ``vectors`` (row-major, `n × n`) is the unit eigenvector of
/// `values[j]`. Used by ``PrincipalComponents`` (SynthMetrics has no LAPACK).
///
/// ```swift
/// let eigen = SymmetricEigen(matrix: [2, 1, 1, 2], size: 2)
/// eigen.values   // [3, 1]
/// ```
///
/// - Complexity: O(n³) time, O(n²) memory.
package struct SymmetricEigen: Sendable {
    /// Eigenvalues, largest first.
    package var values: [Double]
    /// Eigenvectors as columns of a row-major `n × n` matrix: `vectors[row * n + j]`.
    package var vectors: [Double]
    /// The matrix order n.
    package var size: Int

    /// Decomposes the symmetric `size × size` row-major `matrix` (only symmetric input gives meaningful output).
    package init(matrix: [Double], size n: Int) {
        precondition(matrix.count == n * n, "expected \(n * n) matrix entries, found \(matrix.count)")
        size = n
        guard n > 0 else {
            values = []
            vectors = []
            return
        }
        var v = matrix
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: n)
        v.withUnsafeMutableBufferPointer { vp in
            d.withUnsafeMutableBufferPointer { dp in
                e.withUnsafeMutableBufferPointer { ep in
                    Self.tridiagonalize(vp, dp, ep, n)
                    Self.diagonalize(vp, dp, ep, n)
                }
            }
        }
        // Sort descending, permuting the eigenvector columns.
        let order = d.indices.sorted { d[$0] > d[$1] }
        values = order.map { d[$0] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (newColumn, oldColumn) in order.enumerated() {
            for row in 0..<n { sorted[row * n + newColumn] = v[row * n + oldColumn] }
        }
        vectors = sorted
    }

    // MARK: - Householder tridiagonalisation (tred2)

    private static func tridiagonalize(
        _ v: UnsafeMutableBufferPointer<Double>, _ d: UnsafeMutableBufferPointer<Double>,
        _ e: UnsafeMutableBufferPointer<Double>, _ n: Int
    ) {
        for j in 0..<n { d[j] = v[(n - 1) * n + j] }
        var i = n - 1
        while i > 0 {
            var scale = 0.0
            var h = 0.0
            for k in 0..<i { scale += abs(d[k]) }
            if scale == 0 {
                e[i] = d[i - 1]
                for j in 0..<i {
                    d[j] = v[(i - 1) * n + j]
                    v[i * n + j] = 0
                    v[j * n + i] = 0
                }
            } else {
                for k in 0..<i {
                    d[k] /= scale
                    h += d[k] * d[k]
                }
                var f = d[i - 1]
                var g = h.squareRoot()
                if f > 0 { g = -g }
                e[i] = scale * g
                h -= f * g
                d[i - 1] = f - g
                for j in 0..<i { e[j] = 0 }
                for j in 0..<i {
                    f = d[j]
                    v[j * n + i] = f
                    g = e[j] + v[j * n + j] * f
                    var k = j + 1
                    while k <= i - 1 {
                        g += v[k * n + j] * d[k]
                        e[k] += v[k * n + j] * f
                        k += 1
                    }
                    e[j] = g
                }
                f = 0
                for j in 0..<i {
                    e[j] /= h
                    f += e[j] * d[j]
                }
                let hh = f / (h + h)
                for j in 0..<i { e[j] -= hh * d[j] }
                for j in 0..<i {
                    f = d[j]
                    g = e[j]
                    for k in j..<i { v[k * n + j] -= f * e[k] + g * d[k] }
                    d[j] = v[(i - 1) * n + j]
                    v[i * n + j] = 0
                }
            }
            d[i] = h
            i -= 1
        }
        // Accumulate the transformations.
        for i in 0..<(n - 1) {
            v[(n - 1) * n + i] = v[i * n + i]
            v[i * n + i] = 1
            let h = d[i + 1]
            if h != 0 {
                for k in 0...i { d[k] = v[k * n + i + 1] / h }
                for j in 0...i {
                    var g = 0.0
                    for k in 0...i { g += v[k * n + i + 1] * v[k * n + j] }
                    for k in 0...i { v[k * n + j] -= g * d[k] }
                }
            }
            for k in 0...i { v[k * n + i + 1] = 0 }
        }
        for j in 0..<n {
            d[j] = v[(n - 1) * n + j]
            v[(n - 1) * n + j] = 0
        }
        v[(n - 1) * n + n - 1] = 1
        e[0] = 0
    }

    // MARK: - Implicit QL iterations (tql2)

    private static func diagonalize(
        _ v: UnsafeMutableBufferPointer<Double>, _ d: UnsafeMutableBufferPointer<Double>,
        _ e: UnsafeMutableBufferPointer<Double>, _ n: Int
    ) {
        for i in 1..<max(n, 1) { e[i - 1] = e[i] }
        e[n - 1] = 0
        var f = 0.0
        var tst1 = 0.0
        let eps = Double.ulpOfOne
        for l in 0..<n {
            tst1 = max(tst1, abs(d[l]) + abs(e[l]))
            // e[n - 1] is 0 for finite input, so the scan always stops by n - 1; bounding it there keeps
            // non-finite input (NaN or infinite features) from reading and writing d[n] and e[n].
            var m = l
            while m < n - 1 {
                if abs(e[m]) <= eps * tst1 { break }
                m += 1
            }
            if m > l {
                var iterations = 0
                repeat {
                    iterations += 1
                    var g = d[l]
                    var p = (d[l + 1] - g) / (2 * e[l])
                    var r = hypot(p, 1)
                    if p < 0 { r = -r }
                    d[l] = e[l] / (p + r)
                    d[l + 1] = e[l] * (p + r)
                    let dl1 = d[l + 1]
                    var h = g - d[l]
                    var i = l + 2
                    while i < n {
                        d[i] -= h
                        i += 1
                    }
                    f += h
                    p = d[m]
                    var c = 1.0
                    var c2 = c
                    var c3 = c
                    let el1 = e[l + 1]
                    var s = 0.0
                    var s2 = 0.0
                    i = m - 1
                    while i >= l {
                        c3 = c2
                        c2 = c
                        s2 = s
                        g = c * e[i]
                        h = c * p
                        r = hypot(p, e[i])
                        e[i + 1] = s * r
                        s = e[i] / r
                        c = p / r
                        p = c * d[i] - s * g
                        d[i + 1] = h + s * (c * g + s * d[i])
                        for k in 0..<n {
                            let a = v[k * n + i + 1]
                            let b = v[k * n + i]
                            v[k * n + i + 1] = s * b + c * a
                            v[k * n + i] = c * b - s * a
                        }
                        i -= 1
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1
                    e[l] = s * p
                    d[l] = c * p
                } while abs(e[l]) > eps * tst1 && iterations < 100
            }
            d[l] += f
            e[l] = 0
        }
    }
}
