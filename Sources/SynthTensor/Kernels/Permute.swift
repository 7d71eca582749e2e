/// Layout changes between token-major activations and per-head attention matrices.
enum Permute {
    /// `[B·S, H·D] → [B·H, S, D]`.
    static func splitHeads(
        _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
        batch: Int, sequence: Int, heads: Int, d: Int
    ) {
        Parallel.forRanges(batch * heads, costPerItem: sequence * d) { range in
            for bh in range {
                let b = bh / heads, h = bh % heads
                for s in 0..<sequence {
                    (target + (bh * sequence + s) * d).update(from: source + (b * sequence + s) * heads * d + h * d, count: d)
                }
            }
        }
    }

    /// `[B·H, S, D] → [B·S, H·D]`.
    static func mergeHeads(
        _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
        batch: Int, sequence: Int, heads: Int, d: Int
    ) {
        Parallel.forRanges(batch * heads, costPerItem: sequence * d) { range in
            for bh in range {
                let b = bh / heads, h = bh % heads
                for s in 0..<sequence {
                    (target + (b * sequence + s) * heads * d + h * d).update(from: source + (bh * sequence + s) * d, count: d)
                }
            }
        }
    }
}
