/// Relevance judgements: query id → document id → integer grade, as in a TREC qrels file.
///
/// Grades follow trec_eval's conventions: a document is *relevant* when its grade is at least the
/// relevance level (1, trec_eval's default `-l 1`); grade 0 is judged non-relevant; a negative grade
/// means "in the pool but unjudged" and counts as neither relevant nor as a gain. Graded measures
/// (``Measure/ndcgCut(_:)``) use the grade itself as the gain (Järvelin and Kekäläinen, 2002).
///
/// ```swift
/// let qrels = Qrels(["q1": ["d1": 2, "d7": 0]])
/// qrels.relevantCount(for: "q1")   // 1
/// ```
package struct Qrels: Sendable, Equatable {
    /// Grades by query id, then document id.
    package var judgements: [String: [String: Int]]

    /// Creates judgements from a nested dictionary (the shape BEIR loaders produce).
    package init(_ judgements: [String: [String: Int]] = [:]) {
        self.judgements = judgements
    }

    /// The judgements of one query, or `nil` when the query has none.
    package subscript(query: String) -> [String: Int]? {
        get { judgements[query] }
        set { judgements[query] = newValue }
    }

    /// Sets the grade of one document for one query (a later grade replaces an earlier one).
    package mutating func set(query: String, document: String, grade: Int) {
        judgements[query, default: [:]][document] = grade
    }

    /// Query ids with at least one judgement, sorted as trec_eval sorts them (byte order).
    package var queryIDs: [String] { judgements.keys.sorted(by: trecLess) }

    /// Number of judged queries.
    package var count: Int { judgements.count }

    /// Number of (query, document) judgements.
    package var judgementCount: Int { judgements.values.reduce(0) { $0 + $1.count } }

    /// Number of documents of `query` whose grade is at least `level`.
    package func relevantCount(for query: String, level: Int = 1) -> Int {
        judgements[query]?.values.reduce(0) { $0 + ($1 >= level ? 1 : 0) } ?? 0
    }
}

/// Byte-wise (UTF-8) ordering, as C's `strcmp` orders trec_eval's query and document ids.
package func trecLess(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
