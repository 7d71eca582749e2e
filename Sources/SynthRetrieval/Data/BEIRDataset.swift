import Foundation
import SynthMetrics
import SynthValues

/// A BEIR-format retrieval dataset: a corpus, queries, and relevance judgements per split.
///
/// Load one with ``BEIRLoader/load(_:name:splits:)`` or, by name, through ``DatasetResolver``.
/// Queries are kept whole (all splits); ``queries(split:)`` returns those judged in one split, in
/// file order, which is what BEIR's own loader evaluates.
///
/// ```swift
/// let scifact = try DatasetResolver().load("scifact", splits: ["test"])
/// let run = try BM25Index.build(documents: scifact.corpus).search(scifact.queries(split: "test"), topK: 1000)
/// ```
package struct BEIRDataset: Sendable {
    /// The dataset's name (the folder name unless given).
    package var name: String
    /// The folder it was read from.
    package var folder: URL
    package var corpus: [Document]
    /// All queries of `queries.jsonl`, in file order.
    package var queries: [Query]
    /// Relevance judgements by split name (`test`, `train`, `dev`).
    package var qrels: [String: Qrels]
    /// Problems that did not stop loading (qrels naming unknown ids, repeated qrels rows), one per kind,
    /// each with its count and the first file:line.
    package var warnings: [Diagnostic]

    package init(
        name: String, folder: URL, corpus: [Document], queries: [Query], qrels: [String: Qrels],
        warnings: [Diagnostic] = []
    ) {
        self.name = name
        self.folder = folder
        self.corpus = corpus
        self.queries = queries
        self.qrels = qrels
        self.warnings = warnings
    }

    /// Split names with judgements, sorted.
    package var splits: [String] { qrels.keys.sorted() }

    /// The queries judged in `split`, in `queries.jsonl` order.
    ///
    /// - Throws: ``DatasetError/unknownSplit(split:path:available:)`` when the split was not loaded.
    package func queries(split: String) throws(DatasetError) -> [Query] {
        guard let judged = qrels[split] else {
            throw DatasetError.unknownSplit(
                split: split, path: folder.appendingPathComponent("qrels/\(split).tsv").relativePath,
                available: splits)
        }
        return queries.filter { judged[$0.id] != nil }
    }
}
