import Foundation
import SynthValues

extension BEIRDataset: DomainObject {
    package var typeName: String { "dataset" }

    /// For example `dataset scifact: 5183 docs, 1109 queries, splits test (300 queries), train (809 queries)`.
    package var summary: String {
        let splitText = splits.map { "\($0) (\(qrels[$0]?.count ?? 0) queries)" }.joined(separator: ", ")
        var text = "dataset \(name): \(corpus.count) docs, \(queries.count) queries"
        if !splitText.isEmpty { text += ", splits \(splitText)" }
        if !warnings.isEmpty { text += ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")" }
        return text
    }

    package var fieldNames: [String] { ["name", "folder", "docs", "queries", "splits", "judged", "warnings"] }

    /// `name`, `folder`, `docs` (count), `queries` (count), `splits` (list of names),
    /// `judged` (record: split → number of judged queries), `warnings` (list of messages).
    package func field(_ name: String) -> Value? {
        switch name {
        case "name": .string(self.name)
        case "folder": .string(folder.path)
        case "docs": .int(corpus.count)
        case "queries": .int(queries.count)
        case "splits": .list(splits.map { .string($0) })
        case "judged": .record(Record(splits.map { ($0, .int(qrels[$0]?.count ?? 0)) }))
        case "warnings": .list(warnings.map { .string($0.rendered(caret: false)) })
        default: nil
        }
    }
}

extension BEIRDataset: PersistableObject {
    package static var persistedTypeName: String { "beir_dataset" }

    /// Writes the dataset as a BEIR folder (`corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`) plus
    /// `name.txt`, each file atomically.
    package func persist(into folder: URL) throws {
        try BEIRWriter.write(self, to: folder)
        try AtomicFile.write(name + "\n", to: folder.appendingPathComponent("name.txt"))
    }

    package static func restore(from folder: URL) throws -> BEIRDataset {
        let name = (try? String(contentsOf: folder.appendingPathComponent("name.txt"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return try BEIRLoader.load(folder, name: name)
    }
}
