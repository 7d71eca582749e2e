import SynthRetrieval

/// A retriever as synthesis needs it: the ids of the best documents for a query text, best first.
///
/// Used by round-trip filtering, retrieval rewards and distillation candidates. ``BM25Retriever`` is
/// always available; the command layer wraps a dense retriever in ``ClosureRetriever`` when an encoder
/// is loaded.
package protocol PassageRetriever: Sendable {
    /// A short name for messages and rejection reasons (`bm25`, `minilm`).
    var name: String { get }
    /// The ids of the `topK` best documents for `query`, best first.
    func rank(_ query: String, topK: Int) async throws -> [String]
}

/// BM25 over a corpus (``BM25Index``).
package struct BM25Retriever: PassageRetriever {
    package var index: BM25Index
    package var name: String
    package init(index: BM25Index, name: String = "bm25") {
        self.index = index
        self.name = name
    }
    package func rank(_ query: String, topK: Int) async throws -> [String] {
        index.rank(query, topK: topK).map(\.documentID)
    }
}

/// Any ranking function as a retriever.
package struct ClosureRetriever: PassageRetriever {
    package var name: String
    package var body: @Sendable (String, Int) async throws -> [String]
    package init(name: String, _ body: @escaping @Sendable (String, Int) async throws -> [String]) {
        self.name = name
        self.body = body
    }
    package func rank(_ query: String, topK: Int) async throws -> [String] { try await body(query, topK) }
}

extension PassageRetriever {
    /// 1/rank of `documentID` among the top `topK` for `query`, 0 when absent (the reciprocal rank).
    package func reciprocalRank(of documentID: String, for query: String, topK: Int) async throws -> Double {
        let ids = try await rank(query, topK: topK)
        guard let position = ids.firstIndex(of: documentID) else { return 0 }
        return 1 / Double(position + 1)
    }
}
