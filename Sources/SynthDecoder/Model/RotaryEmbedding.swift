import Foundation

/// Rotary position embeddings in llama.cpp's "normal" mode (the Llama GGUF convention).
///
/// For each head, the pair `(x[2i], x[2i+1])`, `i < ropeDimension/2`, is rotated by the angle
/// `θᵢ = p · base^(−2i / ropeDimension)` at position `p` (Su et al., 2021, RoFormer). GGUF files
/// converted from Hugging Face have their q/k rows permuted so that this adjacent-pair rotation equals
/// HF's rotate-half ("NeoX") rotation on the original weights.
package struct RotaryEmbedding: Sendable {
    /// `[positions, ropeDimension/2]` cosines and sines.
    package let cosines: [Float], sines: [Float]
    /// Rotated dimensions per head.
    package let dimension: Int

    /// The table for positions `start..<start+count`.
    package init(start: Int, count: Int, dimension: Int, base: Float) {
        self.dimension = dimension
        let pairs = dimension / 2
        var cosines = [Float](repeating: 0, count: count * pairs), sines = cosines
        for t in 0..<count {
            for i in 0..<pairs {
                let angle = Double(start + t) * pow(Double(base), -2 * Double(i) / Double(dimension))
                cosines[t * pairs + i] = Float(cos(angle))
                sines[t * pairs + i] = Float(sin(angle))
            }
        }
        self.cosines = cosines
        self.sines = sines
    }

    /// Whether rotations use fused multiply–adds as ggml's compiled kernel does.
    var fusedRotation = false

    /// A table from precomputed `[positions, dimension/2]` cosines and sines.
    package init(dimension: Int, cosines: [Float], sines: [Float]) {
        fusedRotation = true
        self.dimension = dimension
        self.cosines = cosines
        self.sines = sines
    }

    /// Rotates `rows` rows of `heads` heads of width `headDimension` in place (row stride `heads·headDimension`).
    package func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDimension: Int) {
        let pairs = dimension / 2
        let fused = fusedRotation
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                for t in 0..<rows {
                    let c = cosines.baseAddress! + t * pairs, s = sines.baseAddress! + t * pairs
                    for h in 0..<heads {
                        let v = x + (t * heads + h) * headDimension
                        if fused {
                            // ggml's rotate_pairs as GCC contracts it: fma(x0, cos, −x1·sin), fma(x0, sin, x1·cos).
                            for i in 0..<pairs {
                                let a = v[2 * i], b = v[2 * i + 1]
                                v[2 * i] = (-(b * s[i])).addingProduct(a, c[i])
                                v[2 * i + 1] = (b * c[i]).addingProduct(a, s[i])
                            }
                        } else {
                            for i in 0..<pairs {
                                let a = v[2 * i], b = v[2 * i + 1]
                                v[2 * i] = a * c[i] - b * s[i]
                                v[2 * i + 1] = a * s[i] + b * c[i]
                            }
                        }
                    }
                }
            }
        }
    }
}
