import Foundation
import SynthTensor

/// Root-mean-square normalisation over each row, with a frozen gain (Zhang & Sennrich 2019, as in Llama).
///
///     y = x · r · w,   r = 1 / √(mean(x²) + ε)
///     ∂L/∂x = r · (w ⊙ g) − x · r³ · Σⱼ gⱼ wⱼ xⱼ / d
///
/// The backward rule needs `x` and `r` (one float per row), not `y`.
package enum RMSNormOp {
    /// Normalises the rows of `x`; returns `y` and the per-row inverse RMS `r`.
    package static func forward(_ x: FloatMatrix, weight: FrozenWeight, epsilon: Float) -> (y: FloatMatrix, inverseRMS: [Float]) {
        let d = x.columns
        let y = FloatMatrix(rows: x.rows, columns: d)
        var inverse = [Float](repeating: 0, count: x.rows)
        let w = weight.pointer
        inverse.withUnsafeMutableBufferPointer { inv in
            let invPointer = inv.baseAddress!
            Parallel.forRanges(x.rows, costPerItem: d * 3) { range in
                for row in range {
                    let xr = x.row(row), yr = y.row(row)
                    var total: Float = 0
                    for j in 0..<d { total += xr[j] * xr[j] }
                    let r = 1 / (total / Float(d) + epsilon).squareRoot()
                    invPointer[row] = r
                    for j in 0..<d { yr[j] = xr[j] * r * w[j] }
                }
            }
        }
        return (y, inverse)
    }

    /// The gradient with respect to `x` given the gradient `g` of `y`.
    package static func backward(
        _ g: FloatMatrix, x: FloatMatrix, inverseRMS: [Float], weight: FrozenWeight
    ) -> FloatMatrix {
        let d = x.columns
        let dx = FloatMatrix(rows: x.rows, columns: d)
        let w = weight.pointer
        inverseRMS.withUnsafeBufferPointer { inv in
            let invPointer = inv.baseAddress!
            Parallel.forRanges(x.rows, costPerItem: d * 4) { range in
                for row in range {
                    let xr = x.row(row), gr = g.row(row), out = dx.row(row)
                    let r = invPointer[row]
                    var dot: Float = 0
                    for j in 0..<d { dot += gr[j] * w[j] * xr[j] }
                    let coefficient = r * r * r * dot / Float(d)
                    for j in 0..<d { out[j] = r * w[j] * gr[j] - xr[j] * coefficient }
                }
            }
        }
        return dx
    }
}
