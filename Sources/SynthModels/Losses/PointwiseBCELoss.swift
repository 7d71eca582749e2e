import SynthTensor

/// Pointwise binary cross-entropy on logits, the classic cross-encoder objective (Nogueira & Cho, 2019,
/// "Passage Re-ranking with BERT"; sentence-transformers' `BinaryCrossEntropyLoss`).
///
///     L = −(1/M) Σ_{valid (i,j)} w·yᵢⱼ log σ(sᵢⱼ) + (1 − yᵢⱼ) log σ(−sᵢⱼ)
///
/// over every non-padding candidate, with labels yᵢⱼ ∈ [0, 1] (soft labels such as teacher probabilities are
/// allowed) and an optional ``positiveWeight`` w on the positive term (PyTorch's `pos_weight`).
/// Input: `scores` `[N, C]` logits and `labels` `[N, C]` (negative = padding).
package struct PointwiseBCELoss: Loss {
    /// Weight of the positive-label term.
    package var positiveWeight: Float

    /// Creates the loss.
    package init(positiveWeight: Float = 1) { self.positiveWeight = positiveWeight }

    package var name: String { "bce" }
    package var needs: LossNeeds { [.scores, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let scores = input.scores, let labels = input.labels else {
            preconditionFailure("PointwiseBCELoss needs scores and labels")
        }
        precondition(
            labels.shape == scores.shape,
            "PointwiseBCELoss: labels \(labels.shape) vs scores \(scores.shape)")
        let y = labels.scalars
        let valid = y.filter { $0 >= 0 }.count
        guard valid > 0 else { return tape.scale(tape.sum(scores), by: 0) }
        let positive = Tensor(shape: scores.shape, values: y.map { $0 >= 0 ? positiveWeight * $0 : 0 })
        let negative = Tensor(shape: scores.shape, values: y.map { $0 >= 0 ? 1 - $0 : 0 })
        let terms = tape.add(
            tape.multiply(tape.constant(positive), tape.logSigmoid(scores)),
            tape.multiply(tape.constant(negative), tape.logSigmoid(tape.scale(scores, by: -1))))
        return tape.scale(tape.sum(terms), by: -1 / Float(valid))
    }
}
