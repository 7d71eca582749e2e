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
        try forEachLine(text) { line, lineNumber throws(MetricsError) in
            let fields = splitFields(line)
            if fields.isEmpty { return }
            defer { sawRow = true }
            if !sawRow, fields.count == 3, fields[0].text.lowercased() == "query-id" { return }
            let expectedRow = "'qid 0 docid grade' or 'query-id<TAB>corpus-id<TAB>score'"
            guard fields.count == 3 || fields.count == 4 else {
                throw .badQrelsLine(
                    SourceLocation(file: file, line: lineNumber, column: 1), expected: expectedRow,
                    found: "\(fields.count) field\(fields.count == 1 ? "" : "s")", sourceLine: String(line))
            }
            let gradeField = fields[fields.count - 1]
            guard let grade = Int(gradeField.text) else {
                throw .badQrelsLine(
                    SourceLocation(file: file, line: lineNumber, column: gradeField.column),
                    expected: "an integer grade", found: "'\(gradeField.text)'", sourceLine: String(line))
            }
            qrels.set(query: String(fields[0].text), document: String(fields[fields.count - 2].text), grade: grade)
        }
        return qrels
    }

    /// Parses run text; `file` names it in error locations. The run's name is the first line's tag.
    package static func parseRun(_ text: String, file: String) throws(MetricsError) -> Run {
        var run = Run(name: "")
        var firstLines: [String: [String: Int]] = [:]
        try forEachLine(text) { line, lineNumber throws(MetricsError) in
            let fields = splitFields(line)
            if fields.isEmpty { return }
            guard fields.count == 6 else {
                throw .badRunLine(
                    SourceLocation(file: file, line: lineNumber, column: 1),
                    expected: "'qid Q0 docid rank score tag' (6 fields)",
                    found: "\(fields.count) field\(fields.count == 1 ? "" : "s")", sourceLine: String(line))
            }
            let scoreField = fields[4]
            guard let score = Double(scoreField.text), score.isFinite else {
                throw .badRunLine(
                    SourceLocation(file: file, line: lineNumber, column: scoreField.column),
                    expected: "a finite number as score", found: "'\(scoreField.text)'", sourceLine: String(line))
            }
            let query = String(fields[0].text)
            let document = String(fields[2].text)
            if let first = firstLines[query]?[document] {
                throw .duplicateRunDocument(
                    SourceLocation(file: file, line: lineNumber, column: fields[2].column), query: query,
                    document: document, firstLine: first, sourceLine: String(line))
            }
            firstLines[query, default: [:]][document] = lineNumber
            if run.name.isEmpty { run.name = String(fields[5].text) }
            run.rankings[query, default: []].append(Run.Entry(docID: document, score: score))
        }
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

    /// Calls `body` with each line (without `\n` or `\r\n`) and its 1-based number, by bytes.
    private static func forEachLine(
        _ text: String, _ body: (Substring, Int) throws(MetricsError) -> Void
    ) throws(MetricsError) {
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        var number = 0
        var index = bytes.startIndex
        while true {
            if index == bytes.endIndex || bytes[index] == UInt8(ascii: "\n") {
                number += 1
                var lineEnd = index
                if lineEnd > lineStart, bytes[bytes.index(before: lineEnd)] == UInt8(ascii: "\r") {
                    lineEnd = bytes.index(before: lineEnd)
                }
                if index == bytes.endIndex {
                    if lineStart < lineEnd { try body(text[lineStart..<lineEnd], number) }
                    return
                }
                try body(text[lineStart..<lineEnd], number)
                index = bytes.index(after: index)
                lineStart = index
            } else {
                index = bytes.index(after: index)
            }
        }
    }

    /// Splits a line on spaces and tabs, remembering each field's 1-based column (in bytes).
    private static func splitFields(_ line: Substring) -> [(text: Substring, column: Int)] {
        var fields: [(text: Substring, column: Int)] = []
        var start: Substring.Index?
        var startColumn = 0
        var column = 0
        let bytes = line.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            column += 1
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                if let begin = start {
                    fields.append((line[begin..<index], startColumn))
                    start = nil
                }
            } else if start == nil {
                start = index
                startColumn = column
            }
            index = bytes.index(after: index)
        }
        if let begin = start { fields.append((line[begin..<bytes.endIndex], startColumn)) }
        return fields
    }
}
