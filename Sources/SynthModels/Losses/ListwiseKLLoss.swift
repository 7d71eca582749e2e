import Foundation
import SynthTensor

/// Listwise KL distillation: KL divergence from the teacher's softmax to the student's softmax over each query's
/// candidate list.
///
/// As used by Tamber et al., 2025 (distilling a cross-encoder teacher into embedders on synthetic queries) and
/// listwise distillation generally (Hinton et al., 2015):
///
///     L = (1/N) Σᵢ Σⱼ pᵢⱼ (log pᵢⱼ − log qᵢⱼ),   p = softmax(tᵢ/τ_t),  q = softmax(sᵢ/τ_s)
///
/// multiplied by τ_s² when ``scaleByTemperatureSquared`` (Hinton's gradient-scale correction; off by default).
/// Student scores: ``LossInput/scores`` `[N, C]`, or embeddings scored with ``similarity``. `teacherScores`
/// `[N, C]`. Padding (`labels` < 0) is dropped from both softmaxes.
package struct ListwiseKLLoss: Loss {
    /// Teacher temperature τ_t.
    package var teacherTemperature: Float
    /// Student temperature τ_s.
    package var studentTemperature: Float
    /// Student similarity when scoring embeddings.
    package var similarity: LossOps.Similarity
    /// Multiply by τ_s².
    package var scaleByTemperatureSquared: Bool

    /// Creates the loss.
    package init(
        teacherTemperature: Float = 1, studentTemperature: Float = 1,
        similarity: LossOps.Similarity = .cosine,
        scaleByTemperatureSquared: Bool = false
    ) {
        self.teacherTemperature = teacherTemperature
        self.studentTemperature = studentTemperature
        self.similarity = similarity
        self.scaleByTemperatureSquared = scaleByTemperatureSquared
    }

    package var name: String { "listwise-kl" }
    package var needs: LossNeeds { [.embeddings, .teacherScores, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let teacher = input.teacherScores else {
            preconditionFailure("ListwiseKLLoss needs teacher scores")
        }
        let scores = LossOps.candidateScores(tape, input, similarity: similarity)
        precondition(
            teacher.shape == scores.shape,
            "ListwiseKLLoss: teacher \(teacher.shape) vs scores \(scores.shape)")
        let rows = scores.shape[0]
        let columns = scores.shape[1]
        let valid = LossOps.validCandidates(input.labels, count: scores.value.count)
        let t = teacher.scalars
        var p = Array(repeating: Float(0), count: t.count)
        var entropyTerm: Double = 0  // Σ p log p, a constant
        for row in 0..<rows {
            let range = (row * columns)..<((row + 1) * columns)
            let logits = range.filter { valid[$0] }.map {
                (index: $0, value: Double(t[$0] / teacherTemperature))
            }
            guard let top = logits.map(\.value).max() else { continue }
            let total = logits.reduce(0.0) { $0 + Foundation.exp($1.value - top) }
            for item in logits {
                let logP = item.value - top - Foundation.log(total)
                p[item.index] = Float(Foundation.exp(logP))
                entropyTerm += Foundation.exp(logP) * logP
            }
        }
        let logQ = tape.logSoftmax(
            LossOps.masked(tape, tape.scale(scores, by: 1 / studentTemperature), keep: valid))
        let cross = tape.sum(tape.multiply(tape.constant(Tensor(shape: scores.shape, values: p)), logQ))
        let factor =
            (scaleByTemperatureSquared ? studentTemperature * studentTemperature : 1)
            / Float(max(rows, 1))
        // L = factor · (Σ p log p − Σ p log q).
        return tape.affine(cross, factor: -factor, offset: factor * Float(entropyTerm))
    }
}
