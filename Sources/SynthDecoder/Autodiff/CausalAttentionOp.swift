import Foundation
import SynthTensor

/// Causal grouped-query scaled dot-product attention (Vaswani et al. 2017; Ainslie et al. 2023, GQA).
///
/// Query head `h` reads key/value head `h / (heads / kvHeads)`. For one sequence and head, with `s = 1/√d`:
///
///     S = s · Q Kᵀ,  P = softmax(S + causal mask),  O = P V
///     ∂V = Pᵀ ∂O,  ∂P = ∂O Vᵀ,  ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P)),  ∂Q = s ∂S K,  ∂K = s ∂Sᵀ Q
///
/// Rows are `batch` sequences of `sequence` tokens laid end to end (right padding is harmless: a causal
/// mask never lets a real token see a later pad). The forward pass keeps `P` (`[batch·heads, T, T]`).
package enum CausalAttentionOp {
    /// The layout of one attention call.
    package struct Layout: Sendable {
        package var batch: Int, sequence: Int, heads: Int, kvHeads: Int, headSize: Int
        package init(batch: Int, sequence: Int, heads: Int, kvHeads: Int, headSize: Int) {
            self.batch = batch
            self.sequence = sequence
            self.heads = heads
            self.kvHeads = kvHeads
            self.headSize = headSize
        }
        var scale: Float { 1 / Float(headSize).squareRoot() }
        var group: Int { heads / kvHeads }
    }

    /// `O` for queries `q [B·T, H·d]`, keys and values `[B·T, KV·d]` (already rotated); also returns `P`.
    package static func forward(
        q: FloatMatrix, k: FloatMatrix, v: FloatMatrix, layout: Layout
    ) -> (output: FloatMatrix, probabilities: FloatMatrix) {
        let T = layout.sequence, d = layout.headSize, H = layout.heads, KV = layout.kvHeads
        let output = FloatMatrix(rows: layout.batch * T, columns: H * d)
        let probabilities = FloatMatrix(rows: layout.batch * H * T, columns: T)
        Parallel.forEach(layout.batch * H, costPerItem: T * T * d * 2) { item in
            let b = item / H, h = item % H, g = h / layout.group
            let qp = q.pointer + b * T * H * d + h * d
            let kp = k.pointer + b * T * KV * d + g * d
            let vp = v.pointer + b * T * KV * d + g * d
            let p = probabilities.row(item * T)
            Gemm.multiply(
                transposeB: true, m: T, n: T, k: d, alpha: layout.scale, a: qp, lda: H * d, b: kp, ldb: KV * d,
                c: p, ldc: T)
            for i in 0..<T {
                let row = p + i * T
                var maximum = -Float.infinity
                for j in 0...i { maximum = max(maximum, row[j]) }
                var total: Float = 0
                for j in 0...i {
                    row[j] = Foundation.exp(row[j] - maximum)
                    total += row[j]
                }
                let inverse = 1 / total
                for j in 0...i { row[j] *= inverse }
                for j in (i + 1)..<T { row[j] = 0 }
            }
            Gemm.multiply(
                m: T, n: d, k: T, a: p, lda: T, b: vp, ldb: KV * d, c: output.pointer + b * T * H * d + h * d,
                ldc: H * d)
        }
        return (output, probabilities)
    }

    /// Gradients with respect to `q`, `k` and `v` given `∂O`, from the saved probabilities.
    package static func backward(
        _ gradient: FloatMatrix, q: FloatMatrix, k: FloatMatrix, v: FloatMatrix, probabilities: FloatMatrix,
        layout: Layout
    ) -> (q: FloatMatrix, k: FloatMatrix, v: FloatMatrix) {
        let T = layout.sequence, d = layout.headSize, H = layout.heads, KV = layout.kvHeads
        let dq = FloatMatrix(rows: q.rows, columns: q.columns)
        let dk = FloatMatrix(rows: k.rows, columns: k.columns)
        let dv = FloatMatrix(rows: v.rows, columns: v.columns)
        // One work item per (sequence, kv head): the query heads of a group add into the same dK, dV rows.
        Parallel.forEach(layout.batch * KV, costPerItem: T * T * d * 8 * layout.group) { item in
            let b = item / KV, g = item % KV
            let kOffset = b * T * KV * d + g * d
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: T * T)
            defer { scratch.deallocate() }
            for h in (g * layout.group)..<((g + 1) * layout.group) {
                let qOffset = b * T * H * d + h * d
                let p = probabilities.row((b * H + h) * T)
                let dO = gradient.pointer + qOffset
                // ∂V += Pᵀ ∂O
                Gemm.multiply(
                    transposeA: true, m: T, n: d, k: T, a: p, lda: T, b: dO, ldb: H * d, beta: 1,
                    c: dv.pointer + kOffset, ldc: KV * d)
                // ∂P = ∂O Vᵀ
                Gemm.multiply(
                    transposeB: true, m: T, n: T, k: d, a: dO, lda: H * d, b: v.pointer + kOffset, ldb: KV * d,
                    c: scratch, ldc: T)
                // ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P))
                for i in 0..<T {
                    let pr = p + i * T, sr = scratch + i * T
                    var dot: Float = 0
                    for j in 0...i { dot += pr[j] * sr[j] }
                    for j in 0..<T { sr[j] = j <= i ? pr[j] * (sr[j] - dot) : 0 }
                }
                // ∂Q = s ∂S K ; ∂K += s ∂Sᵀ Q
                Gemm.multiply(
                    m: T, n: d, k: T, alpha: layout.scale, a: scratch, lda: T, b: k.pointer + kOffset, ldb: KV * d,
                    c: dq.pointer + qOffset, ldc: H * d)
                Gemm.multiply(
                    transposeA: true, m: T, n: d, k: T, alpha: layout.scale, a: scratch, lda: T,
                    b: q.pointer + qOffset, ldb: H * d, beta: 1, c: dk.pointer + kOffset, ldc: KV * d)
            }
        }
        return (dq, dk, dv)
    }
}
