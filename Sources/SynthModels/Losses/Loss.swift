import SynthTensor

/// What a training loss sees for one batch: embeddings (bi-encoders) and/or candidate scores (any model),
/// with optional teacher scores and labels for distillation and pointwise losses.
///
/// Row `i` of every field belongs to query `i`. For candidate lists, column 0 is the positive and the
/// remaining columns are its hard negatives, in order.
package struct LossInput {
    /// Query embeddings `[N, H]`.
    package var queries: Variable?
    /// Positive document embeddings `[N, H]`.
    package var positives: Variable?
    /// Hard negatives: element `j` holds the `j`-th hard negative of every query, `[N, H]`.
    package var negatives: [Variable]
    /// Model scores of each query's candidates `[N, C]` (column 0 = positive).
    package var scores: Variable?
    /// Teacher scores aligned with ``scores`` `[N, C]`, for distillation losses.
    package var teacherScores: Tensor?
    /// Relevance labels aligned with ``scores`` `[N, C]` (e.g. 1 for relevant, 0 otherwise).
    package var labels: Tensor?

    /// Creates an input; unset fields are absent.
    package init(
        queries: Variable? = nil, positives: Variable? = nil, negatives: [Variable] = [], scores: Variable? = nil,
        teacherScores: Tensor? = nil, labels: Tensor? = nil
    ) {
        self.queries = queries
        self.positives = positives
        self.negatives = negatives
        self.scores = scores
        self.teacherScores = teacherScores
        self.labels = labels
    }
}

/// A training objective: maps one batch's ``LossInput`` to a scalar on the tape.
///
/// Each loss is one file (`<Name>Loss.swift`) composed from ``Tape`` primitives, so its gradient comes from the
/// primitives' tested backward rules and it gets a finite-difference test of its own. Implementations document
/// the formula and cite the paper.
///
/// ```swift
/// struct MeanScoreLoss: Loss {
///     var name: String { "mean-score" }
///     func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable { tape.mean(input.scores!) }
/// }
/// ```
package protocol Loss: Sendable {
    /// The name used in notebooks and reports (e.g. `mnrl`).
    var name: String { get }
    /// Which fields of ``LossInput`` the loss reads (the trainer fills only those).
    var needs: LossNeeds { get }
    /// The scalar loss for one batch.
    func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable
}

/// The inputs a ``Loss`` reads.
package struct LossNeeds: OptionSet, Sendable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }
    /// Query, positive and hard-negative embeddings.
    package static let embeddings = LossNeeds(rawValue: 1)
    /// Candidate scores `[N, C]`.
    package static let scores = LossNeeds(rawValue: 2)
    /// Teacher scores.
    package static let teacherScores = LossNeeds(rawValue: 4)
    /// Labels.
    package static let labels = LossNeeds(rawValue: 8)
}

/// Shared building blocks for losses.
package enum LossOps {
    /// Mean cross-entropy `-(1/N) Σᵢ log softmax(logitsᵢ)[targetᵢ]` of `[N, C]` logits.
    package static func crossEntropy(_ tape: Tape, logits: Variable, targets: [Int]) -> Variable {
        tape.scale(tape.sum(tape.pick(tape.logSoftmax(logits), indices: targets)), by: -1 / Float(max(targets.count, 1)))
    }

    /// Cosine similarity matrix `[N, M]` between the rows of `a` `[N, H]` and `b` `[M, H]`.
    package static func cosineSimilarity(_ tape: Tape, _ a: Variable, _ b: Variable) -> Variable {
        tape.matmul(tape.l2Normalize(a), tape.l2Normalize(b), transposeB: true)
    }
}
