import Foundation

/// Rotary position embeddings (Su et al. 2021, RoFormer) applied in place to the heads of Q or K rows.
///
/// Feature pair `i` of a head at position `p` rotates by `p · θ^(−2i/d)`:
///
///     (x₀, x₁) ← (x₀ cos φ − x₁ sin φ,  x₀ sin φ + x₁ cos φ)
///
/// A rotation is orthogonal, so the backward rule is the inverse rotation (`inverse: true`) of the gradient.
/// Row `r` of the matrix is token `r mod sequence` of its sequence, at position `offset + r mod sequence`.
package enum RotaryOp {
    /// Rotates every head of every row of `x` (`[rows, heads · headSize]`) in place.
    ///
    /// - Parameters:
    ///   - sequence: tokens per sequence (rows are sequences laid end to end).
    ///   - offset: position of each sequence's first row (the cache length when decoding).
    ///   - inverse: rotate by −φ (the backward rule).
    package static func apply(
        _ x: FloatMatrix, heads: Int, headSize: Int, sequence: Int, offset: Int = 0, base: Float,
        pairing: RotaryPairing, inverse: Bool = false
    ) {
        let half = headSize / 2
        var cosines = [Float](repeating: 0, count: sequence * half)
        var sines = [Float](repeating: 0, count: sequence * half)
        for t in 0..<sequence {
            let position = Double(offset + t)
            for i in 0..<half {
                let frequency = Foundation.pow(Double(base), -2 * Double(i) / Double(headSize))
                cosines[t * half + i] = Float(Foundation.cos(position * frequency))
                sines[t * half + i] = Float(Foundation.sin(position * frequency)) * (inverse ? -1 : 1)
            }
        }
        let interleaved = pairing == .interleaved
        for row in 0..<x.rows {
            let t = row % sequence
            let base = x.row(row)
            for head in 0..<heads {
                let h = base + head * headSize
                for i in 0..<half {
                    let c = cosines[t * half + i], s = sines[t * half + i]
                    let first = interleaved ? 2 * i : i, second = interleaved ? 2 * i + 1 : i + half
                    let x0 = h[first], x1 = h[second]
                    h[first] = x0 * c - x1 * s
                    h[second] = x0 * s + x1 * c
                }
            }
        }
    }
}
