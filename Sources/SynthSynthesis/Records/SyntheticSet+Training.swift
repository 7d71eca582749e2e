/// Views of a synthetic set in the shapes the training losses consume.
extension SyntheticSet {
    /// One Syntriever stage-1 tuple: (q, gold p, synthetic p⁺…, q^cot, negatives p⁻…).
    ///
    /// `gold` is the corpus passage when known; when a query has no verified synthetic positive the
    /// paper duplicates the gold passage in its slot, which ``syntrieverTuples`` leaves to the loss
    /// (`syntheticPositives` is then empty).
    package struct SyntrieverTuple: Sendable, Equatable {
        package var query: String
        package var gold: String?
        package var syntheticPositives: [String]
        package var cot: String?
        package var negatives: [String]
    }

    /// Accepted `syntriever` (or `query`) records as stage-1 tuples (multi-positive SNN loss input).
    package var syntrieverTuples: [SyntrieverTuple] {
        accepted.filter { !$0.query.isEmpty && !$0.positives.isEmpty }.map { record in
            SyntrieverTuple(
                query: record.query, gold: record.positives.first { $0.origin == "corpus" }?.text,
                syntheticPositives: record.positives.filter { $0.origin == "synthetic" }.map(\.text),
                cot: record.extra["cot"], negatives: record.negatives.map(\.text))
        }
    }

    /// Accepted pairwise records as (query, preferred c⁺, other c⁻) for the partial Plackett–Luce loss.
    package var preferencePairs: [(query: String, preferred: String, other: String)] {
        accepted.compactMap { record in
            guard record.kind == "pairwise", let preferred = record.positive?.text,
                let other = record.negatives.first?.text
            else { return nil }
            return (record.query, preferred, other)
        }
    }

    /// Accepted ranked lists (best first): ranked chains' sentences (anchor first) or listwise candidates.
    package var rankedLists: [[String]] {
        accepted.compactMap { record in
            if record.kind == "ranked-chain" { return record.texts }
            if !record.candidates.isEmpty, record.kind == "listwise" { return record.candidates.map(\.text) }
            return nil
        }
    }

    /// Accepted pointwise labels as (query, passage, P(yes)) triples, for teacher-score distillation.
    package var pointwiseLabels: [(query: String, passage: String, score: Double)] {
        accepted.filter { $0.kind == "pointwise" }.flatMap { record in
            zip(record.candidates, record.scores).map { (record.query, $0.0.text, $0.1) }
        }
    }
}
