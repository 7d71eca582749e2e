import SynthTensor

/// Multiple-negatives ranking loss (InfoNCE with in-batch negatives), as sentence-transformers'
/// `MultipleNegativesRankingLoss`.
///
/// For query embeddings `qᵢ`, positives `pᵢ` and hard negatives `nᵢⱼ`, the candidates of every query are all
/// positives of the batch followed by all hard negatives, `D = [p₁…p_N; n₁₁…n_N1; …]`, and
///
///     L = -(1/N) Σᵢ log( exp(s·cos(qᵢ, pᵢ)) / Σ_{d ∈ D} exp(s·cos(qᵢ, d)) )
///
/// with scale `s` (20 by default, i.e. temperature 0.05). References: Henderson et al., 2017, "Efficient
/// Natural Language Response Suggestion for Smart Reply"; van den Oord et al., 2018 (InfoNCE); Reimers &
/// Gurevych, 2019 (Sentence-BERT).
package struct MultipleNegativesRankingLoss: Loss {
    /// Multiplier of the cosine similarities (inverse temperature).
    package var scale: Float

    /// Creates the loss with the given scale (sentence-transformers' default is 20).
    package init(scale: Float = 20) { self.scale = scale }

    package var name: String { "mnrl" }
    package var needs: LossNeeds { .embeddings }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let queries = input.queries, let positives = input.positives else {
            preconditionFailure("MultipleNegativesRankingLoss needs query and positive embeddings")
        }
        let candidates = input.negatives.isEmpty ? positives : tape.concatRows([positives] + input.negatives)
        let logits = tape.scale(LossOps.cosineSimilarity(tape, queries, candidates), by: scale)
        return LossOps.crossEntropy(tape, logits: logits, targets: Array(0..<queries.shape[0]))
    }
}
