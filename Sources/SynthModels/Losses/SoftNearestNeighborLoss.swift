import SynthTensor

/// Multi-positive soft nearest-neighbour loss, Syntriever stage 1 (distillation).
///
/// Kim & Baek, 2025, "Syntriever: How to Train Your Retriever with Synthetic Data from LLMs" (NAACL Findings),
/// adapting the soft nearest-neighbour loss of Frosst et al., 2019. Each query qᵢ has a positive "class"
/// Pᵢ = {gold passage pᵢ, LLM-written relevant passage pᵢ⁺, chain-of-thought expansion qᵢᶜᵒᵗ}; the candidates of
/// the whole batch (every query's positives and its synthetic negatives pⱼ⁻) form the denominator:
///
///     L = -(1/B) Σᵢ log( Σ_{x ∈ Pᵢ} e^{s(qᵢ,x)/τ} / Σ_{j=1..B} Σ_{x ∈ Cⱼ} e^{s(qᵢ,x)/τ} )
///
/// with s = cosine similarity and 1/τ = ``scale`` (20 in the released code, τ = 0.05). Negatives appear only in
/// the denominator.
///
/// Input layout (``LossInput``): `queries` `[B, H]`; candidate groups `[positives] + negatives`, each `[B, H]`,
/// e.g. `positives` = gold, `negatives` = [p⁺, qᶜᵒᵗ, p⁻]. By default the first ``positiveGroups`` groups are
/// positives (3 for Syntriever). Optional `labels` `[B, G]` override per item: `1` positive of its own query,
/// `0` negative (a synthetic p⁺ the LLM verifier rejected is demoted this way), negative = padding (absent).
/// Every query needs at least one positive.
///
/// ``Variant/releasedCode`` reproduces the authors' released `ModifiedSoftNNLoss`, which discards the positive
/// block and returns cross-entropy with only the gold passage as target (p⁺ and qᶜᵒᵗ then act as negatives);
/// offered only as an ablation.
package struct SoftNearestNeighborLoss: Loss {
    /// Which formula to compute.
    package enum Variant: String, Sendable, Codable {
        /// The paper: log-sum-exp over every positive minus log-sum-exp over all candidates.
        case paper
        /// The released code: cross-entropy with the gold passage (group 0) as the only target.
        case releasedCode
    }

    /// Inverse temperature 1/τ multiplying cosine similarities.
    package var scale: Float
    /// How many leading candidate groups are positives when no labels are given.
    package var positiveGroups: Int
    /// Paper formula or released-code ablation.
    package var variant: Variant

    /// Creates the loss (Syntriever: scale 20, three positive groups).
    package init(scale: Float = 20, positiveGroups: Int = 3, variant: Variant = .paper) {
        self.scale = scale
        self.positiveGroups = positiveGroups
        self.variant = variant
    }

    package var name: String { variant == .paper ? "snn" : "snn-released-code" }
    package var needs: LossNeeds { [.embeddings, .labels] }

    package func callAsFunction(_ tape: Tape, _ input: LossInput) -> Variable {
        guard let queries = input.queries, let positives = input.positives else {
            preconditionFailure("SoftNearestNeighborLoss needs query and positive embeddings")
        }
        let groups = [positives] + input.negatives
        let batch = queries.shape[0]
        let groupCount = groups.count
        let columns = batch * groupCount
        // role[j][g]: 1 positive of query j, 0 negative, < 0 padding.
        let roles: [[Float]] = (0..<batch).map { row in
            (0..<groupCount).map { group in
                if let labels = input.labels { return labels.scalars[row * groupCount + group] }
                return group < positiveGroups ? 1 : 0
            }
        }
        let candidates = groupCount == 1 ? positives : tape.concatRows(groups)
        var logits = tape.scale(LossOps.cosineSimilarity(tape, queries, candidates), by: scale)  // [B, G·B]
        // Column g·B + j is group g of query j; padding is masked out of every row.
        let columnValid = (0..<groupCount).flatMap { group in (0..<batch).map { roles[$0][group] >= 0 }
        }
        logits = LossOps.masked(tape, logits, keep: (0..<batch).flatMap { _ in columnValid })
        if variant == .releasedCode {
            return LossOps.crossEntropy(tape, logits: logits, targets: Array(0..<batch))
        }
        let all = tape.logSumExp(logits)  // [B]
        let positiveCounts = roles.map { $0.filter { $0 > 0 }.count }
        precondition(
            positiveCounts.allSatisfy { $0 > 0 }, "SoftNearestNeighborLoss: a query has no positive")
        let width = positiveCounts.max()!
        var indices: [Int] = []
        var keep: [Bool] = []
        for row in 0..<batch {
            let own = (0..<groupCount).filter { roles[row][$0] > 0 }.map {
                row * columns + $0 * batch + row
            }
            indices += own + Array(repeating: own[0], count: width - own.count)
            keep += own.map { _ in true } + Array(repeating: false, count: width - own.count)
        }
        let positive = tape.logSumExp(
            LossOps.masked(
                tape, LossOps.gather(tape, logits, flatIndices: indices, shape: [batch, width]), keep: keep)
        )
        return tape.scale(tape.sum(tape.subtract(all, positive)), by: 1 / Float(batch))
    }
}
