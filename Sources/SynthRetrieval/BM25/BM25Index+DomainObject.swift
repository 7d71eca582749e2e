import Foundation
import SynthValues

extension BM25Index: DomainObject {
    package var typeName: String { "bm25_index" }

    /// For example `bm25 index: 5183 docs, 30127 terms, k1 0.9, b 0.4`.
    package var summary: String {
        "bm25 index: \(documentCount) docs, \(termCount) terms, k1 \(k1), b \(b)"
    }

    package var fieldNames: [String] { ["docs", "terms", "k1", "b", "avgdl", "tokens"] }

    /// `docs`, `terms` (distinct), `tokens` (indexed), `k1`, `b`, `avgdl` (average document length).
    package func field(_ name: String) -> Value? {
        switch name {
        case "docs": .int(documentCount)
        case "terms": .int(termCount)
        case "tokens": .int(totalTermCount)
        case "k1": .double(Double(k1))
        case "b": .double(Double(b))
        case "avgdl": .double(Double(averageLength))
        default: nil
        }
    }
}

extension BM25Index: PersistableObject {
    package static var persistedTypeName: String { "bm25_index" }

    /// Saves into `folder/index.bm25`.
    package func persist(into folder: URL) throws {
        try save(to: folder.appendingPathComponent("index.bm25"))
    }

    package static func restore(from folder: URL) throws -> BM25Index {
        try load(from: folder.appendingPathComponent("index.bm25"))
    }
}
