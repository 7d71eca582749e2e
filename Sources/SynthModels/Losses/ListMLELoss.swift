import Foundation
import SynthTensor

/// ListMLE (Plackett–Luce likelihood of a target order), as used to post-train sentence encoders on LLM-generated
/// ranked sentence lists.
///
/// He et al., 2025, "Enhancing Sentence Embeddings via Ranking Sentence Generation" (ACL Findings), using
/// ListMLE of Xia et al., 2008. For each row with student scores ŝ and target order π (targets sorted
/// descending; ties keep column order):
///
///     L = (1/rows) Σ_rows Σ_k [ log Σ_{l ≥ k} e^{ŝ_{π(l)}} − ŝ_{π(k)} ]
///
/// Two input modes:
/// - **Scores**: `scores` `[N, C]` with `teacherScores` `[N, C]` as targets (any model); padding where
///   `labels` < 0.
/// - **Sentence list** (the paper): `queries` `[L, H]` = embeddings of one generated list s₀ (anchor), s₁, …
///   in generation order; `teacherScores` `[L, L]` = a teacher encoder's cosine matrix A. The student scores are
///   ŝ = cos(sᵢ, sⱼ)/τ over every row of the L×L matrix, and the targets are A corrected toward generation
///   order, `T = A + sign(B)·log(1 + ω|B|)` (see ``generationOrderTargets(teacher:weight:rule:)``), with
///   ω = ``orderWeight`` (0.5 in the authors' `run.sh`; 0 disables the correction).
package struct ListMLELoss: Loss {
    /// Student temperature τ in sentence-list mode (scores are cos/τ).
    package var temperature: Float
    /// ω: weight of generation-order information against teacher similarities.
    package var orderWeight: Float
    /// How the sign of the correction is decided.
    package var rule: CorrectionRule

    /// How ``ListMLELoss/generationOrderTargets(teacher:weight:rule:)`` decides the direction of a correction.
    package enum CorrectionRule: String, Sendable, Codable {
        /// The paper's intent: compare the teacher's rank of sentence j inside row i's tail Aᵢ,ᵢ: with its
        /// generation position j − i, i.e. Bᵢⱼ = A′ᵢⱼ − Aᵢⱼ.
        case paper
        /// The released `refine_similarity_matrix`: compares the tail-relative teacher rank with the absolute
        /// index j, which for rows i > 0 can push a value away from the generation order (ablation only).
        case releasedCode
    }

    /// Creates the loss (paper: τ = 0.05, ω = 0.5).
    package init(temperature: Float = 0.05, orderWeight: Float = 0.5, rule: CorrectionRule = .paper) {
        self.temperature = temperature
        self.orderWeight = orderWeight
        self.rule = rule
    }

    package var name: String { "listmle" }
    package var needs: LossNeeds { [.scores, .teacherScores, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let teacher = input.teacherScores else {
            preconditionFailure("ListMLELoss needs teacher scores")
        }
        if let scores = input.scores {
            return Self.listMLE(
                tape, scores: scores, targets: teacher.scalars,
                valid: LossOps.validCandidates(input.labels, count: scores.value.count))
        }
        guard let list = input.queries else {
            preconditionFailure("ListMLELoss needs scores or sentence embeddings")
        }
        let size = list.shape[0]
        precondition(
            teacher.shape == [size, size],
            "ListMLELoss: teacher matrix \(teacher.shape), expected [\(size), \(size)]")
        let scores = tape.scale(LossOps.cosineSimilarity(tape, list, list), by: 1 / temperature)
        let rows = (0..<size).map { row in Array(teacher.scalars[(row * size)..<((row + 1) * size)]) }
        let targets = Self.generationOrderTargets(teacher: rows, weight: orderWeight, rule: rule)
        return Self.listMLE(
            tape, scores: scores, targets: targets.flatMap { $0 },
            valid: Array(repeating: true, count: size * size))
    }

    /// ListMLE of `[N, C]` `scores` against row-major `targets`, ignoring candidates with `valid` false.
    package static func listMLE(_ tape: Tape, scores: Variable, targets: [Float], valid: [Bool])
        -> Variable
    {
        precondition(
            scores.shape.count == 2 && targets.count == scores.value.count,
            "ListMLE: targets do not match \(scores.shape)")
        let rows = scores.shape[0]
        let columns = scores.shape[1]
        var suffixIndices: [Int] = []
        var keep: [Bool] = []
        var heads: [Int] = []
        for row in 0..<rows {
            let order = (0..<columns).filter { valid[row * columns + $0] }.sorted { a, b in
                let ta = targets[row * columns + a]
                let tb = targets[row * columns + b]
                return ta != tb ? ta > tb : a < b
            }
            for k in order.indices.dropLast() {  // the last position contributes log e^{ŝ} − ŝ = 0
                heads.append(row * columns + order[k])
                for l in 0..<columns {
                    let position = k + l
                    suffixIndices.append(row * columns + order[min(position, order.count - 1)])
                    keep.append(position < order.count)
                }
            }
        }
        guard !heads.isEmpty else { return tape.scale(tape.sum(scores), by: 0) }
        let suffixes = LossOps.gather(
            tape, scores, flatIndices: suffixIndices, shape: [heads.count, columns])
        let normalizers = tape.logSumExp(LossOps.masked(tape, suffixes, keep: keep))
        let picked = LossOps.gather(tape, scores, flatIndices: heads, shape: [heads.count])
        return tape.scale(tape.sum(tape.subtract(normalizers, picked)), by: 1 / Float(max(rows, 1)))
    }

    /// Teacher similarities corrected toward generation order: `T = A + sign(B)·log(1 + ω|B|)`.
    ///
    /// For row i, the tail Aᵢ,ᵢ: is sorted descending into A′ (A′ᵢⱼ = the (j−i)-th largest tail value, what
    /// sentence j should score if the teacher agreed with the generation order). Then Bᵢⱼ = ±|Aᵢⱼ − A′ᵢⱼ| with
    /// sign −1 when the teacher ranks sentence j above its generation position (its value is lowered) and +1
    /// otherwise; B is made symmetric from its upper triangle (Bⱼᵢ = Bᵢⱼ for j > i). Where the orders agree,
    /// B = 0 and T = A. Follows `refine_similarity_matrix` / `transform_tensor` of the authors' code.
    package static func generationOrderTargets(
        teacher: [[Float]], weight: Float, rule: CorrectionRule = .paper
    ) -> [[Float]] {
        let size = teacher.count
        var b = Array(repeating: Array(repeating: Float(0), count: size), count: size)
        for i in 0..<size {
            let tail = Array(teacher[i][i...])
            let order = tail.indices.sorted { tail[$0] != tail[$1] ? tail[$0] > tail[$1] : $0 < $1 }
            var rank = Array(repeating: 0, count: tail.count)
            for (position, index) in order.enumerated() { rank[index] = position }
            for j in i..<size {
                let offset = j - i
                let desired = tail[order[offset]]
                let lower = rule == .paper ? rank[offset] < offset : rank[offset] < j
                b[i][j] = (lower ? -1 : 1) * abs(teacher[i][j] - desired)
            }
        }
        for i in 0..<size { for j in (i + 1)..<max(i + 1, size) { b[j][i] = b[i][j] } }
        return (0..<size).map { i in
            (0..<size).map { j in
                let value = b[i][j]
                let sign: Float = value > 0 ? 1 : (value < 0 ? -1 : 0)
                return teacher[i][j] + sign * Foundation.log(1 + weight * abs(value))
            }
        }
    }
}
