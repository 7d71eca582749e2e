import Foundation

/// One query's ranking turned into relevance values, and the measure formulas over it.
///
/// Mirrors trec_eval's `te_form_res_rels`: each ranked document gets its judged grade, `-1` when it is
/// not in the qrels, `-2` when its judgement is negative (in the pool, unjudged). The count of relevant
/// documents and the ideal gains come from the non-negative judgements only.
struct JudgedRanking {
    /// Relevance value per rank (index 0 is rank 1).
    let grades: [Int]
    /// Judged documents with grade ≥ 1.
    let relevantCount: Int
    /// Positive judged grades, sorted descending (the ideal ranking's gains).
    let idealGains: [Int]

    /// trec_eval's `relevance_level`.
    static let relevanceLevel = 1

    init(ranked: [Run.Entry], judged: [String: Int]) {
        grades = ranked.map { entry in
            guard let grade = judged[entry.docID] else { return -1 }
            return grade < 0 ? -2 : grade
        }
        relevantCount = judged.values.reduce(0) { $0 + ($1 >= Self.relevanceLevel ? 1 : 0) }
        idealGains = judged.values.filter { $0 > 0 }.sorted(by: >)
    }

    func value(of measure: Measure) -> Double {
        switch measure {
        case .ndcg: ndcg(cutoff: Int.max)
        case .ndcgCut(let k): ndcg(cutoff: k)
        case .recall(let k): relevantCount == 0 ? 0 : Double(relevantRetrieved(within: k)) / Double(relevantCount)
        case .precision(let k): Double(relevantRetrieved(within: k)) / Double(k)
        case .recipRank(let k): reciprocalRank(cutoff: k ?? Int.max)
        case .map: averagePrecision(cutoff: Int.max)
        case .mapCut(let k): averagePrecision(cutoff: k)
        }
    }

    private func isRelevant(_ grade: Int) -> Bool { grade >= Self.relevanceLevel }

    private func relevantRetrieved(within cutoff: Int) -> Int {
        grades.prefix(cutoff).reduce(0) { $0 + (isRelevant($1) ? 1 : 0) }
    }

    private func reciprocalRank(cutoff: Int) -> Double {
        guard let index = grades.prefix(cutoff).firstIndex(where: isRelevant) else { return 0 }
        return 1 / Double(index + 1)
    }

    private func averagePrecision(cutoff: Int) -> Double {
        guard relevantCount > 0 else { return 0 }
        var found = 0
        var sum = 0.0
        for (index, grade) in grades.prefix(cutoff).enumerated() where isRelevant(grade) {
            found += 1
            sum += Double(found) / Double(index + 1)
        }
        return sum / Double(relevantCount)
    }

    private func ndcg(cutoff: Int) -> Double {
        var dcg = 0.0
        for (index, grade) in grades.prefix(cutoff).enumerated() where grade > 0 {
            dcg += Double(grade) / log2(Double(index + 2))
        }
        var ideal = 0.0
        for (index, gain) in idealGains.prefix(cutoff).enumerated() {
            ideal += Double(gain) / log2(Double(index + 2))
        }
        return ideal > 0 ? dcg / ideal : dcg
    }
}
