import SynthTensor

/// Localized contrastive estimation (LCE) for cross-encoders (Gao, Dai & Callan, 2021, "Rethink Training of BERT
/// Rerankers in Multi-Stage Retrieval Pipeline"), the "CL" stage of Pezzuti et al., 2025.
///
/// Each group holds one positive and negatives sampled from the first-stage retriever's top-k:
///
///     L = −(1/N) Σᵢ log( e^{s(qᵢ, d⁺ᵢ)} / Σ_{d ∈ Gᵢ} e^{s(qᵢ, d)} )
///
/// Input: `scores` `[N, C]`. The positive is column 0 (``LossInput`` convention) or, when `labels` are given, each
/// row's first column with the largest label (as `labels.argmax` in the reference code); candidates with a
/// negative label are padding. A single-candidate group contributes 0.
package struct LocalizedContrastiveLoss: Loss {
    /// Creates the loss.
    package init() {}

    package var name: String { "lce" }
    package var needs: LossNeeds { [.scores, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let scores = input.scores else {
            preconditionFailure("LocalizedContrastiveLoss needs scores")
        }
        let rows = scores.shape[0]
        let columns = scores.shape[1]
        var targets = Array(repeating: 0, count: rows)
        if let labels = input.labels?.scalars {
            for row in 0..<rows {
                // First column with the largest label (ties keep the earliest, like argmax).
                var best = 0
                for column in 1..<max(columns, 1) where labels[row * columns + column] > labels[row * columns + best] {
                    best = column
                }
                targets[row] = best
            }
        }
        let valid = LossOps.validCandidates(input.labels, count: scores.value.count)
        return LossOps.crossEntropy(
            tape, logits: LossOps.masked(tape, scores, keep: valid), targets: targets)
    }
}
