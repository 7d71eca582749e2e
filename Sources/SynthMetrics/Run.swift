/// A retrieval run: for each query, the retrieved documents with their scores.
///
/// Entries may be stored in any order; like trec_eval, evaluation ignores stored ranks and orders each
/// query by score descending, breaking ties by document id descending in byte order (trec_eval's
/// `comp_sim_docno`). trec_eval keeps scores as 32-bit `float`, so scores that are equal after
/// rounding to `Float` tie; ``ranked(_:)`` does the same. ``ranked(_:)`` is the order written to run files.
///
/// ```swift
/// var run = Run(name: "bm25")
/// run["q1"] = [.init(docID: "d1", score: 12.5), .init(docID: "d9", score: 3)]
/// let top = run.ranked("q1").prefix(10)
/// ```
package struct Run: Sendable, Equatable {
    /// One retrieved document and its score.
    package struct Entry: Sendable, Equatable, Hashable, Codable {
        package var docID: String
        package var score: Double

        package init(docID: String, score: Double) {
            self.docID = docID
            self.score = score
        }
    }

    /// The run tag (the sixth column of a TREC run file).
    package var name: String
    /// Retrieved documents by query id, in stored order.
    package var rankings: [String: [Entry]]

    /// Creates a run from rankings by query id.
    package init(name: String = "synthlab", rankings: [String: [Entry]] = [:]) {
        self.name = name
        self.rankings = rankings
    }

    /// Creates a run from scores by query id and document id (the shape pytrec_eval takes).
    package init(name: String = "synthlab", scores: [String: [String: Double]]) {
        self.name = name
        self.rankings = scores.mapValues { $0.map { Entry(docID: $0.key, score: $0.value) } }
    }

    /// The stored entries of one query, or `nil` when the run has no line for it.
    package subscript(query: String) -> [Entry]? {
        get { rankings[query] }
        set { rankings[query] = newValue }
    }

    /// Query ids in the run, in byte order.
    package var queryIDs: [String] { rankings.keys.sorted(by: trecLess) }

    /// Total number of entries over all queries.
    package var entryCount: Int { rankings.values.reduce(0) { $0 + $1.count } }

    /// The entries of `query` in trec_eval's order (score descending as `Float`, then document id
    /// descending), keeping only the first occurrence of a repeated document id.
    ///
    /// - Complexity: O(n log n) for n entries.
    package func ranked(_ query: String) -> [Entry] {
        guard let entries = rankings[query] else { return [] }
        return Run.trecOrder(entries)
    }

    /// A copy holding, for every query, only the first `depth` entries in trec_eval order.
    package func truncated(to depth: Int) -> Run {
        var copy = self
        for query in rankings.keys { copy.rankings[query] = Array(Run.trecOrder(rankings[query]!).prefix(depth)) }
        return copy
    }

    /// Sorts entries as trec_eval does and removes repeated document ids (first occurrence wins).
    package static func trecOrder(_ entries: [Entry]) -> [Entry] {
        var keyed = entries.map { (score: Float($0.score), entry: $0) }
        keyed.sort { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            return trecLess(rhs.entry.docID, lhs.entry.docID)
        }
        var seen = Set<String>(minimumCapacity: keyed.count)
        var result: [Entry] = []
        result.reserveCapacity(keyed.count)
        for item in keyed where seen.insert(item.entry.docID).inserted { result.append(item.entry) }
        return result
    }
}
