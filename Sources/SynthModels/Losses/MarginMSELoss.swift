import SynthTensor

/// Margin-MSE distillation loss (Hofstätter et al., 2020, "Improving Efficient Neural Ranking Models with
/// Cross-Architecture Knowledge Distillation"), the loss of GPL (Wang et al., 2022).
///
/// The student's margin between the positive and each negative is regressed onto the teacher's margin
/// (e.g. cross-encoder logits, not probabilities):
///
///     L = mean over (i, j ≥ 1) of ( (sᵢ₀ − sᵢⱼ) − (tᵢ₀ − tᵢⱼ) )²
///
/// Student scores come from ``LossInput/scores`` `[N, C]` (column 0 = positive) or, for bi-encoders, from the
/// embeddings (`queries`, `positives`, `negatives`) with ``similarity`` (dot product as in GPL and
/// sentence-transformers). `teacherScores` is `[N, C]` aligned with the candidates. Padding: `labels` < 0.
package struct MarginMSELoss: Loss {
    /// Student similarity when scoring embeddings.
    package var similarity: LossOps.Similarity

    /// Creates the loss (GPL: dot product).
    package init(similarity: LossOps.Similarity = .dot) { self.similarity = similarity }

    package var name: String { "margin-mse" }
    package var needs: LossNeeds { [.embeddings, .teacherScores, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let teacher = input.teacherScores else {
            preconditionFailure("MarginMSELoss needs teacher scores")
        }
        let scores = LossOps.candidateScores(tape, input, similarity: similarity)
        precondition(
            teacher.shape == scores.shape,
            "MarginMSELoss: teacher \(teacher.shape) vs scores \(scores.shape)")
        let rows = scores.shape[0]
        let columns = scores.shape[1]
        let valid = LossOps.validCandidates(input.labels, count: scores.value.count)
        let t = teacher.scalars
        var positives: [Int] = []
        var negatives: [Int] = []
        var margins: [Float] = []
        for row in 0..<rows where valid[row * columns] {
            for column in 1..<max(columns, 1) where valid[row * columns + column] {
                positives.append(row * columns)
                negatives.append(row * columns + column)
                margins.append(t[row * columns] - t[row * columns + column])
            }
        }
        guard !margins.isEmpty else { return tape.scale(tape.sum(scores), by: 0) }
        let count = margins.count
        let student = tape.subtract(
            LossOps.gather(tape, scores, flatIndices: positives, shape: [count]),
            LossOps.gather(tape, scores, flatIndices: negatives, shape: [count]))
        let error = tape.subtract(student, tape.constant(Tensor(shape: [count], values: margins)))
        return tape.scale(tape.sum(tape.multiply(error, error)), by: 1 / Float(count))
    }
}
