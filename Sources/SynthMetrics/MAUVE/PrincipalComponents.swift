/// Principal component analysis that keeps the leading components explaining a share of the variance.
///
/// As scikit-learn's `PCA(n_components=None, whiten=False)` followed by MAUVE's cut: the data are centred,
/// the explained-variance ratios λ_j / Σλ computed from all components, and the first k components kept,
/// k being the smallest count whose cumulative ratio reaches `explainedVariance`. The decomposition uses
/// the smaller of the two Gram matrices: XᵀX (d × d) when there are at least as many rows as columns,
/// otherwise XXᵀ (n × n), whose eigenvectors scaled by √λ are the projections themselves (X = U S Vᵀ gives
/// XV = US). Component signs are arbitrary (as in any SVD); distances between projections are not.
package struct PrincipalComponents: Sendable {
    /// The projected rows, row-major `rows × dimensions`.
    package var projected: [Double]
    /// The number of rows.
    package var rows: Int
    /// The number of components kept.
    package var dimensions: Int
    /// The explained-variance ratio of every component, largest first (sums to 1 unless the data are constant).
    package var explainedVarianceRatio: [Double]

    /// Centres `data` (row-major `rows × columns`) and projects it on the leading components.
    ///
    /// - Parameter explainedVariance: the share of variance to keep, in (0, 1).
    package init(data: [Double], rows n: Int, columns d: Int, explainedVariance: Double) {
        precondition(data.count == n * d, "expected \(n * d) values, found \(data.count)")
        rows = n
        var centred = data
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for c in 0..<d { mean[c] += data[r * d + c] } }
        for c in 0..<d { mean[c] /= Double(max(n, 1)) }
        for r in 0..<n { for c in 0..<d { centred[r * d + c] -= mean[c] } }

        let useColumns = n >= d
        let m = useColumns ? d : n
        let gram = Self.gram(centred, rows: n, columns: d, overColumns: useColumns)
        let eigen = SymmetricEigen(matrix: gram, size: m)
        let lambdas = eigen.values.map { max($0, 0) }
        let total = lambdas.reduce(0, +)
        explainedVarianceRatio = lambdas.map { total > 0 ? $0 / total : 0 }

        var cumulative = 0.0
        var keep = m
        for (j, ratio) in explainedVarianceRatio.enumerated() {
            cumulative += ratio
            if cumulative >= explainedVariance {
                keep = j + 1
                break
            }
        }
        // numpy's argmax of an all-false mask is 0: one component when the cut is never reached.
        if cumulative < explainedVariance { keep = 1 }
        keep = max(1, min(keep, m))
        dimensions = keep

        var out = [Double](repeating: 0, count: n * keep)
        if useColumns {
            for r in 0..<n {
                for j in 0..<keep {
                    var sum = 0.0
                    for c in 0..<d { sum += centred[r * d + c] * eigen.vectors[c * m + j] }
                    out[r * keep + j] = sum
                }
            }
        } else {
            for j in 0..<keep {
                let scale = lambdas[j].squareRoot()
                for r in 0..<n { out[r * keep + j] = eigen.vectors[r * m + j] * scale }
            }
        }
        projected = out
    }

    /// XᵀX (`overColumns`) or XXᵀ of a row-major matrix.
    private static func gram(_ x: [Double], rows n: Int, columns d: Int, overColumns: Bool) -> [Double] {
        let m = overColumns ? d : n
        var g = [Double](repeating: 0, count: m * m)
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                if overColumns {
                    for r in 0..<n {
                        let row = xp.baseAddress! + r * d
                        for a in 0..<d {
                            let xa = row[a]
                            if xa == 0 { continue }
                            let target = gp.baseAddress! + a * d
                            for b in a..<d { target[b] += xa * row[b] }
                        }
                    }
                } else {
                    for a in 0..<n {
                        let rowA = xp.baseAddress! + a * d
                        for b in a..<n {
                            let rowB = xp.baseAddress! + b * d
                            var sum = 0.0
                            for c in 0..<d { sum += rowA[c] * rowB[c] }
                            gp[a * n + b] = sum
                        }
                    }
                }
                for a in 0..<m { for b in 0..<a { gp[a * m + b] = gp[b * m + a] } }
            }
        }
        return g
    }
}
