import Foundation
import SynthTensor

/// Composite building blocks for ranking losses: element gathers, padding masks and per-candidate scores.
///
/// Everything here is built from ``Tape`` primitives (`reshape`, `embedding`, `add`, `multiply`,
/// `sumLastDimension`, `concatRows`), so gradients come from their tested backward rules.
///
/// Padding convention shared by every score-based loss: a candidate whose entry in ``LossInput/labels`` is
/// negative (e.g. `-1`) is padding and takes no part in the loss.
extension LossOps {
    /// A finite stand-in for `-∞` added to masked logits (its `exp` underflows to exactly 0).
    package static let maskedLogit: Float = -1e9

    /// Elements of `x` (any shape, read row-major) at `flatIndices`, as a tensor of `shape`.
    ///
    /// The backward pass scatter-adds, so an index may repeat.
    package static func gather(_ tape: Tape, _ x: Variable, flatIndices: [Int], shape: [Int])
        -> Variable
    {
        precondition(
            shape.reduce(1, *) == flatIndices.count,
            "gather: \(flatIndices.count) indices for shape \(shape)")
        let column = tape.reshape(x, [x.value.count, 1])
        let picked = tape.embedding(column, ids: flatIndices.map { Int32($0) })
        return tape.reshape(picked, shape)
    }

    /// `x + bias` where `bias` is 0 where `keep` is true and ``maskedLogit`` elsewhere (`keep` row-major).
    package static func masked(_ tape: Tape, _ x: Variable, keep: [Bool]) -> Variable {
        precondition(keep.count == x.value.count, "masked: \(keep.count) flags for shape \(x.shape)")
        guard keep.contains(false) else { return x }
        return tape.add(
            x, tape.constant(Tensor(shape: x.shape, values: keep.map { $0 ? 0 : maskedLogit })))
    }

    /// Which candidates of a `[N, C]` input are real (label not negative); all true without labels.
    package static func validCandidates(_ labels: Tensor?, count: Int) -> [Bool] {
        guard let labels else { return Array(repeating: true, count: count) }
        precondition(labels.count == count, "labels \(labels.shape) do not match \(count) scores")
        return labels.scalars.map { $0 >= 0 }
    }

    /// `Σⱼ aᵢⱼ bᵢⱼ` for each row: `[N, H] × [N, H] → [N]`.
    package static func rowDot(_ tape: Tape, _ a: Variable, _ b: Variable) -> Variable {
        tape.sumLastDimension(tape.multiply(a, b))
    }

    /// Similarity used to score a query embedding against its own candidates.
    package enum Similarity: String, Sendable, Codable {
        /// Cosine similarity.
        case cosine
        /// Dot product.
        case dot
    }

    /// Each query's scores against its own candidates `[positive, negative₁, …]`: `[N, 1 + negatives]`.
    ///
    /// Returns ``LossInput/scores`` when set (cross-encoders), otherwise scores the embeddings.
    package static func candidateScores(_ tape: Tape, _ input: LossInput, similarity: Similarity)
        -> Variable
    {
        if let scores = input.scores { return scores }
        guard let queries = input.queries, let positives = input.positives else {
            preconditionFailure(
                "expected candidate scores or query and positive embeddings, found neither")
        }
        let prepare: (Variable) -> Variable = { similarity == .cosine ? tape.l2Normalize($0) : $0 }
        let q = prepare(queries)
        let groups = ([positives] + input.negatives).map { rowDot(tape, q, prepare($0)) }
        let rows = queries.shape[0]
        let columns = groups.count
        if columns == 1 { return tape.reshape(groups[0], [rows, 1]) }
        // [columns·rows] group-major → [rows, columns].
        let stacked = tape.concatRows(groups)
        let indices = (0..<rows).flatMap { row in (0..<columns).map { $0 * rows + row } }
        return gather(tape, stacked, flatIndices: indices, shape: [rows, columns])
    }
}
