import Foundation
import SynthTensor

/// Mean next-token cross-entropy through a frozen output head, and its gradient with respect to the hidden rows.
///
/// Row `r` of the final (normalised) hidden states predicts `labels[r]` (−1: no prediction, e.g. soft-prompt
/// positions and padding). With logits `z = h Eᵀ` over the vocabulary:
///
///     L = (1/N) Σᵣ (logsumexp(zᵣ) − zᵣ[labelᵣ]),   ∂L/∂hᵣ = (1/N) (softmax(zᵣ) − onehot(labelᵣ)) E
///
/// Logits are formed for labelled rows only, `chunk` rows at a time, so memory stays at `chunk × vocabulary`.
package enum NextTokenLoss {
    /// The summed loss, the number of labelled rows, and (when `gradient`) `∂(sum/normalizer)/∂h`.
    package static func evaluate(
        hidden: FloatMatrix, labels: [Int32], head: FrozenWeight, normalizer: Float? = nil, gradient: Bool = true,
        chunk: Int = 64
    ) -> (lossSum: Double, count: Int, gradient: FloatMatrix?) {
        precondition(labels.count == hidden.rows, "expected \(hidden.rows) labels, found \(labels.count)")
        let vocabulary = head.shape[0], d = hidden.columns
        let labelled = labels.indices.filter { labels[$0] >= 0 }
        let scale = 1 / (normalizer ?? Float(max(labelled.count, 1)))
        let dHidden = gradient ? FloatMatrix(rows: hidden.rows, columns: d) : nil
        var lossSum = 0.0
        var start = 0
        while start < labelled.count {
            let rows = Array(labelled[start..<min(labelled.count, start + chunk)])
            start += chunk
            let compact = FloatMatrix(rows: rows.count, columns: d)
            for (index, row) in rows.enumerated() { compact.row(index).update(from: hidden.row(row), count: d) }
            let logits = FloatMatrix(rows: rows.count, columns: vocabulary)
            withExtendedLifetime(compact) {  // otherwise last used at `.pointer`, before sgemm reads it
                Gemm.multiply(
                    transposeB: true, m: rows.count, n: vocabulary, k: d, a: compact.pointer, lda: d, b: head.pointer,
                    ldb: d, c: logits.pointer, ldc: vocabulary)
            }
            var partial = [Double](repeating: 0, count: rows.count)
            partial.withUnsafeMutableBufferPointer { losses in
                let lossPointer = losses.baseAddress!
                Parallel.forRanges(rows.count, costPerItem: vocabulary * 3) { range in
                    for index in range {
                        let z = logits.row(index), label = Int(labels[rows[index]])
                        var maximum = -Float.infinity
                        for j in 0..<vocabulary { maximum = max(maximum, z[j]) }
                        let labelLogit = Double(z[label] - maximum)
                        var total: Double = 0
                        for j in 0..<vocabulary {
                            let e = Foundation.exp(z[j] - maximum)
                            total += Double(e)
                            z[j] = e
                        }
                        let logTotal = Foundation.log(total)
                        lossPointer[index] = logTotal - labelLogit
                        if gradient {
                            let factor = Float(1 / total) * scale
                            for j in 0..<vocabulary { z[j] *= factor }
                            z[label] -= scale
                        }
                    }
                }
            }
            lossSum += partial.reduce(0, +)
            if let dHidden {
                let dCompact = FloatMatrix(rows: rows.count, columns: d)
                withExtendedLifetime(logits) {
                    Gemm.multiply(
                        m: rows.count, n: d, k: vocabulary, a: logits.pointer, lda: vocabulary, b: head.pointer, ldb: d,
                        c: dCompact.pointer, ldc: d)
                }
                for (index, row) in rows.enumerated() { dHidden.copyRows(1, from: dCompact, row: index, to: row) }
            }
        }
        return (lossSum, labelled.count, dHidden)
    }
}
