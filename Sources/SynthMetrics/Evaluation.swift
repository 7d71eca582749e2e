/// Per-query and mean values of some measures for one run against one set of judgements.
///
/// Produced by ``evaluate(qrels:run:measures:completeQueries:)``. `mean[m]` is the arithmetic mean of
/// `perQuery[q][m]` over the evaluated queries (``queryIDs``), as trec_eval's `all` rows.
package struct Evaluation: Sendable, Equatable {
    /// The measures, in the order they were asked for (repeats removed).
    package var measures: [Measure]
    /// Values by query id, then measure.
    package var perQuery: [String: [Measure: Double]]
    /// Mean of each measure over the evaluated queries (0 when no query was evaluated).
    package var mean: [Measure: Double]

    package init(measures: [Measure], perQuery: [String: [Measure: Double]], mean: [Measure: Double]) {
        self.measures = measures
        self.perQuery = perQuery
        self.mean = mean
    }

    /// The evaluated query ids in byte order (trec_eval's order).
    package var queryIDs: [String] { perQuery.keys.sorted(by: trecLess) }

    /// Means keyed by trec_eval's command-line spelling (`ndcg_cut.10`), for reports and JSON.
    package var meanByName: [String: Double] {
        Dictionary(uniqueKeysWithValues: mean.map { ($0.key.description, $0.value) })
    }

    /// The values of `measure` for the queries both evaluations share, in byte order of query id,
    /// ready for ``Significance/pairedTTest(_:_:)`` and ``Significance/randomization(_:_:trials:seed:)``.
    package func paired(with other: Evaluation, on measure: Measure) -> (queries: [String], [Double], [Double]) {
        let shared = queryIDs.filter { other.perQuery[$0] != nil }
        return (
            shared, shared.map { perQuery[$0]?[measure] ?? 0 }, shared.map { other.perQuery[$0]?[measure] ?? 0 }
        )
    }
}

/// Evaluates `run` against `qrels` as trec_eval 9 (and pytrec_eval) does.
///
/// Which queries count: by default those that have judgements *and* appear in the run (a query the run
/// lists with no documents still counts and scores 0, as in pytrec_eval); run queries without judgements
/// are ignored. This is trec_eval's default. With `completeQueries` (trec_eval `-c`) every judged query
/// counts, and one missing from the run scores 0 on every measure.
///
/// Each query's documents are ordered as ``Run/ranked(_:)`` describes (score descending as 32-bit float,
/// ties by document id descending); a document listed twice keeps its first position in that order
/// (trec_eval would refuse the run; ``TrecFiles/readRun(at:)`` does too). Judged grades ≥ 1 are relevant;
/// grade 0 is non-relevant; negative grades are unjudged and neither relevant nor gain.
///
/// ```swift
/// let result = evaluate(qrels: qrels, run: run, measures: [.ndcgCut(10), .recall(100)])
/// result.mean[.ndcgCut(10)]
/// ```
/// - Complexity: O(Σ n log n) over the run's n documents per query.
package func evaluate(
    qrels: Qrels, run: Run, measures: [Measure], completeQueries: Bool = false
) -> Evaluation {
    var unique: [Measure] = []
    for measure in measures where !unique.contains(measure) { unique.append(measure) }
    var perQuery: [String: [Measure: Double]] = [:]
    for (query, judged) in qrels.judgements {
        let entries = run.rankings[query]
        if entries == nil && !completeQueries { continue }
        let ranked = Run.trecOrder(entries ?? [])
        let judgedQuery = JudgedRanking(ranked: ranked, judged: judged)
        var values: [Measure: Double] = [:]
        for measure in unique { values[measure] = judgedQuery.value(of: measure) }
        perQuery[query] = values
    }
    var mean: [Measure: Double] = [:]
    for measure in unique {
        let sum = perQuery.keys.sorted(by: trecLess).reduce(0.0) { $0 + (perQuery[$1]![measure] ?? 0) }
        mean[measure] = perQuery.isEmpty ? 0 : sum / Double(perQuery.count)
    }
    return Evaluation(measures: unique, perQuery: perQuery, mean: mean)
}
