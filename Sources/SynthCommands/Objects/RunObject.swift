import Foundation
import SynthMetrics
import SynthValues

/// A retrieval ``Run`` as a language value (type `run`): from `search`, exported with `export`.
package struct RunObject: Previewable, JSONExportable, TRECExportable, PersistableObject {
    package var run: Run

    package init(_ run: Run) { self.run = run }

    package var typeName: String { "run" }
    package var summary: String { "run \(run.name): \(run.rankings.count) queries, \(run.entryCount) results" }
    package var fieldNames: [String] { ["name", "queries", "results", "depth"] }

    /// `name` (tag), `queries` (count), `results` (entries), `depth` (longest ranking).
    package func field(_ name: String) -> Value? {
        switch name {
        case "name": .string(run.name)
        case "queries": .int(run.rankings.count)
        case "results": .int(run.entryCount)
        case "depth": .int(run.rankings.values.map(\.count).max() ?? 0)
        default: nil
        }
    }

    package func preview(limit: Int) -> String {
        var lines = [summary]
        for qid in run.queryIDs.prefix(limit) {
            let top = run.ranked(qid).prefix(3).map { "\($0.docID) (\(formatFixed($0.score, digits: 3)))" }
            lines.append("  \(qid): " + top.joined(separator: ", ") + (run.ranked(qid).count > 3 ? ", …" : ""))
        }
        return lines.joined(separator: "\n")
    }

    /// One record per result: `{qid, docid, rank, score}`, in TREC order.
    package var jsonValue: Value {
        var rows: [Value] = []
        for qid in run.queryIDs {
            for (rank, entry) in run.ranked(qid).enumerated() {
                rows.append(
                    .record(
                        Record([
                            ("qid", .string(qid)), ("docid", .string(entry.docID)), ("rank", .int(rank + 1)),
                            ("score", .double(entry.score)),
                        ])))
            }
        }
        return .list(rows)
    }

    package func trecLines(tag: String) -> String {
        var text = ""
        for qid in run.queryIDs {
            for (rank, entry) in run.ranked(qid).enumerated() {
                text += "\(qid) Q0 \(entry.docID) \(rank + 1) \(entry.score) \(tag)\n"
            }
        }
        return text
    }

    // MARK: - Persistence

    package static var persistedTypeName: String { "run" }

    /// Writes `run.trec` (6 columns, full precision scores) and `name.txt`.
    package func persist(into folder: URL) throws {
        try AtomicFile.write(trecLines(tag: run.name), to: folder.appendingPathComponent("run.trec"))
        try AtomicFile.write(run.name + "\n", to: folder.appendingPathComponent("name.txt"))
    }

    package static func restore(from folder: URL) throws -> RunObject {
        let file = folder.appendingPathComponent("run.trec")
        let text = try String(contentsOf: file, encoding: .utf8)
        let name =
            (try? String(contentsOf: folder.appendingPathComponent("name.txt"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "run"
        var run = Run(name: name)
        for (index, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 6, let score = Double(parts[4]) else {
                throw Diagnostic(
                    .error, "expected 6 columns `qid Q0 docid rank score tag`",
                    at: SourceLocation(
                        file: file.path, line: index + 1), sourceLine: String(line))
            }
            run.rankings[String(parts[0]), default: []].append(Run.Entry(docID: String(parts[2]), score: score))
        }
        return RunObject(run)
    }
}
