import Foundation
import SynthMetrics
import SynthValues

/// Reads BEIR-format folders: `corpus.jsonl[.gz]`, `queries.jsonl[.gz]`, `qrels/<split>.tsv`.
///
/// Validation follows BEIR's `GenericDataLoader` but reports problems instead of crashing:
/// malformed JSON, a missing `_id`, duplicate ids and malformed qrels rows are errors naming
/// file:line; qrels rows that name unknown queries or documents, and repeated qrels rows, are
/// counted into ``BEIRDataset/warnings``. Blank lines are skipped; CRLF line ends are accepted.
package enum BEIRLoader {
    /// Loads the dataset in `folder`.
    ///
    /// - Parameters:
    ///   - folder: A folder holding `corpus.jsonl` (or `corpus.jsonl.gz`), `queries.jsonl` and `qrels/`.
    ///   - name: The dataset name; defaults to the folder name.
    ///   - splits: The qrels splits to read; `nil` reads every `qrels/*.tsv`.
    /// - Throws: ``DatasetError`` naming the file and line of the first problem.
    package static func load(
        _ folder: URL, name: String? = nil, splits: [String]? = nil
    ) throws(DatasetError) -> BEIRDataset {
        let corpusFile = try findFile(in: folder, named: "corpus.jsonl")
        let queriesFile = try findFile(in: folder, named: "queries.jsonl")
        let corpus = try readCorpus(corpusFile)
        guard !corpus.isEmpty else {
            throw DatasetError.malformedJSON(
                SourceLocation(file: corpusFile.relativePath, line: 1), detail: "an empty corpus", sourceLine: "")
        }
        let queries = try readQueries(queriesFile)
        let qrelsFolder = folder.appendingPathComponent("qrels")
        let available = availableSplits(qrelsFolder)
        let wanted = splits ?? available
        var qrels: [String: Qrels] = [:]
        var warnings: [Diagnostic] = []
        let queryIDs = Set(queries.map(\.id))
        let docIDs = Set(corpus.map(\.id))
        for split in wanted {
            let file = qrelsFolder.appendingPathComponent("\(split).tsv")
            guard available.contains(split) else {
                throw DatasetError.unknownSplit(split: split, path: file.relativePath, available: available)
            }
            let (table, splitWarnings) = try readQrels(file, queryIDs: queryIDs, docIDs: docIDs)
            qrels[split] = Qrels(table)
            warnings += splitWarnings
        }
        return BEIRDataset(
            name: name ?? folder.lastPathComponent, folder: folder, corpus: corpus, queries: queries, qrels: qrels,
            warnings: warnings)
    }

    /// Split names that have a `qrels/<split>.tsv` file, sorted.
    package static func availableSplits(_ qrelsFolder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: qrelsFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".tsv") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
    }

    // MARK: - Files

    /// `name` or `name.gz` inside `folder`.
    static func findFile(in folder: URL, named name: String) throws(DatasetError) -> URL {
        let plain = folder.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: plain.path) { return plain }
        let gzipped = folder.appendingPathComponent(name + ".gz")
        if FileManager.default.fileExists(atPath: gzipped.path) { return gzipped }
        throw DatasetError.missingFile(path: plain.relativePath, expected: "\(name) or \(name).gz in a BEIR folder")
    }

    /// The file's bytes, gunzipped when the content is gzip.
    static func readBytes(_ file: URL) throws(DatasetError) -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .alwaysMapped)
        } catch {
            throw DatasetError.unreadable(path: file.relativePath, reason: error.localizedDescription)
        }
        guard Gzip.isGzip(data) else { return data }
        do {
            return try Gzip.decompress(data)
        } catch {
            throw DatasetError.unreadable(path: file.relativePath, reason: error.message)
        }
    }

    // MARK: - JSON Lines

    /// One JSON Lines row reduced to the fields BEIR uses.
    struct Row: Sendable {
        var id: String
        var title: String
        var text: String
        var line: Int
    }

    /// Parses every non-blank line of a JSON Lines file as an object with an `_id`, rejecting duplicates.
    ///
    /// Lines are parsed in parallel chunks; ids are then checked in file order, so the error reported is
    /// always the one on the earliest line, as a sequential reader would report it.
    static func readRows(_ file: URL) throws(DatasetError) -> [Row] {
        let data = try readBytes(file)
        let path = file.relativePath
        let spans = LineReader.nonBlankLines(in: data)
        let bytes = { @Sendable (k: Int) in data[(data.startIndex + spans[k].range.lowerBound)..<(data.startIndex + spans[k].range.upperBound)] }
        let chunkCount = min(max(1, spans.count / 512), ProcessInfo.processInfo.activeProcessorCount * 4)
        let slots = UnsafeSlots<[Result<Row, DatasetError>]>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            var rows: [Result<Row, DatasetError>] = []
            for k in (spans.count * c / chunkCount)..<(spans.count * (c + 1) / chunkCount) {
                let row = parseRow(bytes(k), line: spans[k].number, path: path)
                rows.append(row)
                if case .failure = row { break }
            }
            slots[c] = rows
        }
        var result: [Row] = []
        result.reserveCapacity(spans.count)
        var firstLine: [String: Int] = [:]
        firstLine.reserveCapacity(spans.count)
        for chunk in slots.collect() {
            for parsed in chunk {
                let row = try parsed.get()
                if let first = firstLine.updateValue(row.line, forKey: row.id) {
                    let text = String(decoding: bytes(result.count), as: UTF8.self)
                    throw DatasetError.duplicateID(
                        SourceLocation(file: path, line: row.line), id: row.id, firstLine: first, sourceLine: text)
                }
                result.append(row)
            }
        }
        return result
    }

    /// Parses one line into a row, or the error naming its line.
    private static func parseRow(_ bytes: Data, line number: Int, path: String) -> Result<Row, DatasetError> {
        let location = SourceLocation(file: path, line: number)
        var line = Data(bytes)
        if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }  // UTF-8 BOM
        let text = { String(decoding: bytes, as: UTF8.self) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: line, options: [])
        } catch {
            return .failure(.malformedJSON(location, detail: "malformed JSON", sourceLine: text()))
        }
        guard let object = parsed as? [String: Any] else {
            return .failure(.malformedJSON(location, detail: jsonKind(parsed), sourceLine: text()))
        }
        guard let id = identifier(object["_id"]) else {
            return .failure(.missingField(location, field: "_id", sourceLine: text()))
        }
        return .success(Row(id: id, title: string(object["title"]), text: string(object["text"]), line: number))
    }

    static func readCorpus(_ file: URL) throws(DatasetError) -> [Document] {
        try readRows(file).map { Document(id: $0.id, title: $0.title, text: $0.text) }
    }

    static func readQueries(_ file: URL) throws(DatasetError) -> [Query] {
        try readRows(file).map { Query(id: $0.id, text: $0.text) }
    }

    /// Ids are strings; numbers are accepted and written in decimal, as Python's `str()` would.
    private static func identifier(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as Int: return String(number)
        default: return nil
        }
    }

    private static func string(_ value: Any?) -> String { (value as? String) ?? "" }

    private static func jsonKind(_ value: Any) -> String {
        switch value {
        case is [Any]: "a JSON array"
        case is String: "a JSON string"
        case is NSNull: "null"
        default: "a JSON scalar"
        }
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool { LineReader.isBlank(bytes) }
}
