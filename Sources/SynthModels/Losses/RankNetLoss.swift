import SynthTensor

/// RankNet pairwise logistic loss over teacher rankings (Burges et al., 2005, "Learning to Rank using Gradient
/// Descent"), the "KD" stage of Pezzuti et al., 2025 (cross-encoders distilled from RankGPT rankings).
///
/// For every ordered pair of candidates of the same query whose target relevance differs, yᵢ > yⱼ:
///
///     L = (1/|P|) Σ_{(i,j) ∈ P} wᵢⱼ · log(1 + e^{−(sᵢ − sⱼ)})
///
/// averaged over all valid pairs of the batch. Unweighted, wᵢⱼ = 1. ``Weighting/inverseRankSum`` is the
/// FIRST-style weighted RankNet (Reddy et al., 2024) of the reference code: wᵢⱼ = 1/(rᵢ + rⱼ) with r the 1-based
/// rank of each candidate under the *student's* current scores (not differentiated), favouring the top.
///
/// Input: `scores` `[N, C]`; targets from `teacherScores` `[N, C]` (higher = better; e.g. a converted LLM rank)
/// or else `labels`. Candidates with a negative label are padding; ties form no pair.
package struct RankNetLoss: Loss {
    /// Pair weights.
    package enum Weighting: String, Sendable, Codable {
        /// Every pair weighs 1.
        case none
        /// 1/(rᵢ + rⱼ) with student ranks.
        case inverseRankSum
    }

    /// Pair weighting scheme.
    package var weighting: Weighting

    /// Creates the loss.
    package init(weighting: Weighting = .none) { self.weighting = weighting }

    package var name: String { weighting == .none ? "ranknet" : "weighted-ranknet" }
    package var needs: LossNeeds { [.scores, .teacherScores, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let scores = input.scores, let target = (input.teacherScores ?? input.labels)?.scalars
        else {
            preconditionFailure("RankNetLoss needs scores and teacher scores or labels")
        }
        let rows = scores.shape[0]
        let columns = scores.shape[1]
        let valid = LossOps.validCandidates(input.labels, count: scores.value.count)
        let s = scores.value.scalars
        var better: [Int] = []
        var worse: [Int] = []
        var weights: [Float] = []
        for row in 0..<rows {
            let base = row * columns
            var rank = Array(repeating: 0, count: columns)
            for (position, column) in (0..<columns).sorted(by: {
                s[base + $0] != s[base + $1] ? s[base + $0] > s[base + $1] : $0 < $1
            }).enumerated() {
                rank[column] = position + 1
            }
            for i in 0..<columns where valid[base + i] {
                for j in 0..<columns where valid[base + j] && target[base + i] > target[base + j] {
                    better.append(base + i)
                    worse.append(base + j)
                    weights.append(weighting == .none ? 1 : 1 / Float(rank[i] + rank[j]))
                }
            }
        }
        guard !better.isEmpty else { return tape.scale(tape.sum(scores), by: 0) }
        let count = better.count
        let difference = tape.subtract(
            LossOps.gather(tape, scores, flatIndices: better, shape: [count]),
            LossOps.gather(tape, scores, flatIndices: worse, shape: [count]))
        // log(1 + e^{−d}) = −log σ(d).
        let terms = tape.logSigmoid(difference)
        let weighted =
            weighting == .none
            ? terms : tape.multiply(terms, tape.constant(Tensor(shape: [count], values: weights)))
        return tape.scale(tape.sum(weighted), by: -1 / Float(count))
    }
}
