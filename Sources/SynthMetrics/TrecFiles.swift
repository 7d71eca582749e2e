import Foundation
import SynthValues

/// Reading and writing TREC qrels and run files.
///
/// Qrels are read in either layout, told apart per file: BEIR's tab-separated `query-id corpus-id score`
/// with its header line, or TREC's `qid iteration docid grade` (whitespace-separated, iteration ignored).
/// Headerless three-column rows are read as BEIR rows. Runs are TREC's six columns
/// `qid Q0 docid rank score tag`; like trec_eval the rank column is ignored and the score decides the
/// order. Blank lines and Windows line ends (CRLF) are accepted everywhere. A repeated qrels row replaces
/// the earlier grade; a repeated document within one query of a run is an error, as in trec_eval.
///
/// ```swift
/// let qrels = try TrecFiles.readQrels(at: URL(fileURLWithPath: "qrels/test.tsv"))
/// let run = try TrecFiles.readRun(at: URL(fileURLWithPath: "bm25.run"))
/// try TrecFiles.writeRun(run, to: URL(fileURLWithPath: "copy.run"))
/// ```
package enum TrecFiles {
    /// The layouts a qrels file can be written in.
    package enum QrelsFormat: Sendable {
        /// `qid 0 docid grade`, space-separated.
        case trec
        /// BEIR: header `query-id<TAB>corpus-id<TAB>score`, then tab-separated rows.
        case beir
    }

    // MARK: - Reading

    /// Reads a qrels file (BEIR tsv or TREC four-column).
    ///
    /// - Throws: ``MetricsError/unreadableFile(path:reason:)`` or ``MetricsError/badQrelsLine(_:expected:found:sourceLine:)``.
    package static func readQrels(at url: URL) throws(MetricsError) -> Qrels {
        try parseQrels(readText(url), file: displayPath(url))
    }

    /// Reads a TREC run file.
    ///
    /// - Throws: ``MetricsError/unreadableFile(path:reason:)``, ``MetricsError/badRunLine(_:expected:found:sourceLine:)``
    ///   or ``MetricsError/duplicateRunDocument(_:query:document:firstLine:sourceLine:)``.
    package static func readRun(at url: URL) throws(MetricsError) -> Run {
        try parseRun(readText(url), file: displayPath(url))
    }

    /// Parses qrels text; `file` names it in error locations.
    package static func parseQrels(_ text: String, file: String) throws(MetricsError) -> Qrels {
        var qrels = Qrels()
        var sawRow = false
        try TrecLineScanner.scan(text) { scanner throws(MetricsError) in
            let fields = scanner.fields
            if fields.isEmpty { return }
            defer { sawRow = true }
            if !sawRow, fields.count == 3, scanner.string(0).lowercased() == "query-id" { return }
            guard fields.count == 3 || fields.count == 4 else {
                throw .badQrelsLine(
                    SourceLocation(file: file, line: scanner.lineNumber, column: 1),
                    expected: "'qid 0 docid grade' or 'query-id<TAB>corpus-id<TAB>score'",
                    found: "\(fields.count) field\(fields.count == 1 ? "" : "s")", sourceLine: scanner.lineText)
            }
            let gradeText = scanner.string(fields.count - 1)
            guard let grade = Int(gradeText) else {
                throw .badQrelsLine(
                    SourceLocation(file: file, line: scanner.lineNumber, column: scanner.column(fields.count - 1)),
                    expected: "an integer grade", found: "'\(gradeText)'", sourceLine: scanner.lineText)
            }
            qrels.set(query: scanner.string(0), document: scanner.string(fields.count - 2), grade: grade)
        }
        return qrels
    }

    /// Parses run text; `file` names it in error locations. The run's name is the first line's tag.
    package static func parseRun(_ text: String, file: String) throws(MetricsError) -> Run {
        var run = Run(name: "")
        // Lines of one query are usually together: collect them, then file them under their query.
        var query = ""
        var entries: [Run.Entry] = []
        var seen: [String: Int] = [:]
        var seenByQuery: [String: [String: Int]] = [:]
        func flush() {
            guard !query.isEmpty || !entries.isEmpty else { return }
            run.rankings[query, default: []].append(contentsOf: entries)
            seenByQuery[query] = seen
        }
        try TrecLineScanner.scan(text) { scanner throws(MetricsError) in
            let fields = scanner.fields
            if fields.isEmpty { return }
            guard fields.count == 6 else {
                throw .badRunLine(
                    SourceLocation(file: file, line: scanner.lineNumber, column: 1),
                    expected: "'qid Q0 docid rank score tag' (6 fields)",
                    found: "\(fields.count) field\(fields.count == 1 ? "" : "s")", sourceLine: scanner.lineText)
            }
            let scoreText = scanner.string(4)
            guard let score = Double(scoreText), score.isFinite else {
                throw .badRunLine(
                    SourceLocation(file: file, line: scanner.lineNumber, column: scanner.column(4)),
                    expected: "a finite number as score", found: "'\(scoreText)'", sourceLine: scanner.lineText)
            }
            if run.name.isEmpty && query.isEmpty && entries.isEmpty { run.name = scanner.string(5) }
            if entries.isEmpty || !scanner.field(0, equals: query) {
                flush()
                query = scanner.string(0)
                entries = []
                seen = seenByQuery.removeValue(forKey: query) ?? [:]
            }
            let document = scanner.string(2)
            if let first = seen.updateValue(scanner.lineNumber, forKey: document) {
                throw .duplicateRunDocument(
                    SourceLocation(file: file, line: scanner.lineNumber, column: scanner.column(2)), query: query,
                    document: document, firstLine: first, sourceLine: scanner.lineText)
            }
            entries.append(Run.Entry(docID: document, score: score))
        }
        flush()
        if run.name.isEmpty { run.name = "synthlab" }
        return run
    }

    // MARK: - Writing

    /// The text of a run file: queries in byte order, each in trec_eval's order, ranks from 1.
    ///
    /// Scores are written with the shortest text that reads back to the same `Double`.
    package static func runText(_ run: Run, depth: Int? = nil) -> String {
        var text = ""
        let tag = run.name.isEmpty ? "synthlab" : run.name.replacingOccurrences(of: " ", with: "_")
        for query in run.queryIDs {
            let ranked = run.ranked(query)
            for (index, entry) in ranked.prefix(depth ?? ranked.count).enumerated() {
                text += "\(query) Q0 \(entry.docID) \(index + 1) \(entry.score) \(tag)\n"
            }
        }
        return text
    }

    /// The text of a qrels file in `format`, queries and documents in byte order.
    package static func qrelsText(_ qrels: Qrels, format: QrelsFormat = .trec) -> String {
        var text = format == .beir ? "query-id\tcorpus-id\tscore\n" : ""
        for query in qrels.queryIDs {
            let judged = qrels.judgements[query]!
            for document in judged.keys.sorted(by: trecLess) {
                let grade = judged[document]!
                text += format == .beir ? "\(query)\t\(document)\t\(grade)\n" : "\(query) 0 \(document) \(grade)\n"
            }
        }
        return text
    }

    /// Writes a run file atomically (see ``runText(_:depth:)``).
    package static func writeRun(_ run: Run, to url: URL, depth: Int? = nil) throws {
        try AtomicFile.write(runText(run, depth: depth), to: url)
    }

    /// Writes a qrels file atomically (see ``qrelsText(_:format:)``).
    package static func writeQrels(_ qrels: Qrels, to url: URL, format: QrelsFormat = .trec) throws {
        try AtomicFile.write(qrelsText(qrels, format: format), to: url)
    }

    // MARK: - Helpers

    private static func displayPath(_ url: URL) -> String {
        url.isFileURL ? url.relativePath : url.absoluteString
    }

    private static func readText(_ url: URL) throws(MetricsError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: displayPath(url), reason: reason(for: error, url: url))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: displayPath(url), reason: "expected UTF-8 text")
        }
        return text
    }

    private static func reason(for error: any Error, url: URL) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) { return "no such file" }
        if isFolder.boolValue { return "expected a file, found a folder" }
        return (error as NSError).localizedDescription
    }
}
