import Foundation
import SynthValues

extension BEIRLoader {
    /// Reads `qrels/<split>.tsv`: an optional `query-id corpus-id score` header, then one judgement per row.
    ///
    /// Rows have three tab-separated fields (BEIR) or four whitespace-separated ones (TREC:
    /// `qid iter docid grade`). Grades are integers. Rows naming unknown queries or documents are kept
    /// out of the table and counted into warnings, as are repeated (query, document) pairs (the last wins).
    static func readQrels(
        _ file: URL, queryIDs: Set<String>, docIDs: Set<String>
    ) throws(DatasetError) -> ([String: [String: Int]], [Diagnostic]) {
        let data = try readBytes(file)
        let path = file.relativePath
        var table: [String: [String: Int]] = [:]
        var unknownQueries = Tally(), unknownDocs = Tally(), repeated = Tally()
        try LineReader.forEachLine(in: data) { (lineNumber, bytes) throws(DatasetError) in
            if isBlank(bytes) { return }
            let text = LineReader.text(bytes)
            // BEIR's loader always skips the first row (the "query-id corpus-id score" header).
            if lineNumber == 1, !looksLikeJudgement(text) { return }
            let tabbed = text.split(separator: "\t", omittingEmptySubsequences: false)
            let fields: [Substring]
            if tabbed.count == 3 {
                fields = tabbed
            } else {
                let spaced = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard spaced.count == 4 else {
                    throw DatasetError.badQrelsRow(
                        SourceLocation(file: path, line: lineNumber),
                        message: "expected 3 tab-separated fields (query-id, corpus-id, score), found \(tabbed.count)",
                        sourceLine: text)
                }
                fields = [spaced[0], spaced[2], spaced[3]]
            }
            let scoreText = fields[2].trimmingCharacters(in: .whitespaces)
            guard let grade = Int(scoreText) else {
                let column = text.distance(from: text.startIndex, to: fields[2].startIndex) + 1
                throw DatasetError.badQrelsRow(
                    SourceLocation(file: path, line: lineNumber, column: column),
                    message: "expected an integer score, found \"\(fields[2])\"", sourceLine: text)
            }
            let query = String(fields[0]), doc = String(fields[1])
            if query.isEmpty || doc.isEmpty {
                throw DatasetError.badQrelsRow(
                    SourceLocation(file: path, line: lineNumber),
                    message: "expected a query id and a corpus id, found an empty field", sourceLine: text)
            }
            if !queryIDs.contains(query) { unknownQueries.add(query, line: lineNumber); return }
            if !docIDs.contains(doc) { unknownDocs.add(doc, line: lineNumber); return }
            if table[query, default: [:]].updateValue(grade, forKey: doc) != nil {
                repeated.add("\(query) \(doc)", line: lineNumber)
            }
        }
        var warnings: [Diagnostic] = []
        if let w = unknownQueries.warning(path, "qrels rows name query ids missing from queries.jsonl") {
            warnings.append(w)
        }
        if let w = unknownDocs.warning(path, "qrels rows name document ids missing from the corpus") {
            warnings.append(w)
        }
        if let w = repeated.warning(path, "qrels rows repeat a (query, document) pair; the last grade wins") {
            warnings.append(w)
        }
        return (table, warnings)
    }
}

/// Whether a row has the shape of a judgement (3 tab-separated or 4 whitespace-separated fields ending in
/// an integer), as opposed to a header.
private func looksLikeJudgement(_ text: String) -> Bool {
    let tabbed = text.split(separator: "\t", omittingEmptySubsequences: false)
    if tabbed.count == 3 { return Int(tabbed[2].trimmingCharacters(in: .whitespaces)) != nil }
    let spaced = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    return spaced.count == 4 && Int(spaced[3]) != nil
}

/// Counts one kind of qrels problem and remembers where it first happened.
private struct Tally {
    var count = 0
    var first: (id: String, line: Int)?

    mutating func add(_ id: String, line: Int) {
        count += 1
        if first == nil { first = (id, line) }
    }

    func warning(_ path: String, _ message: String) -> Diagnostic? {
        guard let first else { return nil }
        return Diagnostic(
            .warning, "\(count) \(message) (first: \"\(first.id)\"); skipped",
            at: SourceLocation(file: path, line: first.line))
    }
}
