import SynthTensor

/// Partial Plackett–Luce alignment loss, Syntriever stage 2 (alignment to LLM preferences).
///
/// Kim & Baek, 2025, "Syntriever: How to Train Your Retriever with Synthetic Data from LLMs" (NAACL Findings).
/// For query qᵢ the LLM preferred cᵢ⁺ over cᵢ⁻; N is the set of unrelated in-batch passages. The partial ranking
/// cᵢ⁺ ≻ cᵢ⁻ ≻ N (order inside N marginalised out) has Plackett–Luce probability
///
///     P = e^{s⁺} / (e^{s⁺} + e^{s⁻} + Σ_{n∈N} e^{sₙ}) · e^{s⁻} / (e^{s⁻} + Σ_{n∈N} e^{sₙ})
///
/// with s = ``scale`` · cos(qᵢ, ·). The loss is `-(1/B) Σᵢ log P`, i.e. (as in the released `train_stage2.py`)
///
///     L = CE([c⁺₁…c⁺_B | c⁻₁…c⁻_B], target c⁺ᵢ) + λ · CE([c⁻₁…c⁻_B | c⁺ⱼ, j ≠ i], target c⁻ᵢ)
///
/// The second factor (weight λ = ``regularizerWeight``, 1 in the paper) is the regulariser: it keeps the
/// less-preferred, usually still relevant, passage above unrelated in-batch passages, which a Bradley–Terry
/// loss `-log σ(s⁺ - s⁻)` does not. Scale 20 (τ = 0.05) as in the released code.
///
/// Input: `queries` `[B, H]`, `positives` = preferred passages `[B, H]`, `negatives[0]` = less-preferred
/// passages `[B, H]`. Batches must not hold the same query twice (its other pairs would count as unrelated).
package struct PartialPlackettLuceLoss: Loss {
    /// Inverse temperature multiplying cosine similarities.
    package var scale: Float
    /// Weight of the second (less-preferred ≻ unrelated) factor.
    package var regularizerWeight: Float

    /// Creates the loss (paper: scale 20, regulariser weight 1).
    package init(scale: Float = 20, regularizerWeight: Float = 1) {
        self.scale = scale
        self.regularizerWeight = regularizerWeight
    }

    package var name: String { "partial-plackett-luce" }
    package var needs: LossNeeds { .embeddings }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let queries = input.queries, let preferred = input.positives,
            let other = input.negatives.first
        else {
            preconditionFailure(
                "PartialPlackettLuceLoss needs queries, preferred (positives) and less-preferred (negatives[0]) embeddings"
            )
        }
        let batch = queries.shape[0]
        let logits = tape.scale(
            LossOps.cosineSimilarity(tape, queries, tape.concatRows([preferred, other])), by: scale)  // [B, 2B]
        let first = LossOps.crossEntropy(tape, logits: logits, targets: Array(0..<batch))
        guard regularizerWeight != 0 else { return first }
        // Second factor: drop each row's own preferred passage (column i) and target its less-preferred one.
        let keep = (0..<batch).flatMap { row in (0..<(2 * batch)).map { $0 != row } }
        let second = LossOps.crossEntropy(
            tape, logits: LossOps.masked(tape, logits, keep: keep),
            targets: (0..<batch).map { batch + $0 })
        return tape.add(first, tape.scale(second, by: regularizerWeight))
    }
}
