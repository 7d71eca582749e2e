import SynthTensor

/// Sentence-transformers pooling of token vectors into one vector per text.
package enum Pooling: String, Sendable, Codable, CaseIterable {
    /// Average of the token vectors where the attention mask is 1 (`pooling_mode_mean_tokens`).
    case mean
    /// The first ([CLS]) token vector (`pooling_mode_cls_token`).
    case cls

    /// Pools `[batch, sequence, hidden]` into `[batch, hidden]`.
    ///
    /// Mean pooling divides by `max(Σ mask, 1e-9)`, as sentence-transformers does.
    package func apply(_ tape: Tape, _ hidden: Variable, attentionMask: [[Int32]]) -> Variable {
        switch self {
        case .cls:
            return tape.selectPosition(hidden, 0)
        case .mean:
            var weights: [Float] = []
            weights.reserveCapacity(attentionMask.count * (attentionMask.first?.count ?? 0))
            for row in attentionMask {
                let count = max(Float(row.reduce(0) { $0 + Int($1) }), 1e-9)
                weights.append(contentsOf: row.map { Float($0) / count })
            }
            let shape = [attentionMask.count, attentionMask.first?.count ?? 0]
            return tape.weightedPool(hidden, weights: Tensor(shape: shape, values: weights))
        }
    }
}
