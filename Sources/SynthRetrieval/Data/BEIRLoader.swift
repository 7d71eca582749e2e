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

    /// One parsed JSON Lines row: its id, its string fields, and where it was.
    struct Row {
        var id: String
        var object: [String: Any]
        var line: Int
    }

    /// Parses every non-blank line of a JSON Lines file as an object with an `_id`, rejecting duplicates.
    static func readRows(_ file: URL, _ body: (Row) -> Void) throws(DatasetError) {
        let data = try readBytes(file)
        let path = file.relativePath
        var firstLine: [String: Int] = [:]
        try LineReader.forEachLine(in: data) { (lineNumber, bytes) throws(DatasetError) in
            if isBlank(bytes) { return }
            let location = SourceLocation(file: path, line: lineNumber)
            var line = Data(bytes)
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }  // UTF-8 BOM
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: line, options: [])
            } catch {
                throw DatasetError.malformedJSON(location, detail: "malformed JSON",
                                                 sourceLine: LineReader.text(bytes))
            }
            guard let object = parsed as? [String: Any] else {
                throw DatasetError.malformedJSON(location, detail: jsonKind(parsed), sourceLine: LineReader.text(bytes))
            }
            guard let id = identifier(object["_id"]) else {
                throw DatasetError.missingField(location, field: "_id", sourceLine: LineReader.text(bytes))
            }
            if let first = firstLine[id] {
                throw DatasetError.duplicateID(location, id: id, firstLine: first, sourceLine: LineReader.text(bytes))
            }
            firstLine[id] = lineNumber
            body(Row(id: id, object: object, line: lineNumber))
        }
    }

    static func readCorpus(_ file: URL) throws(DatasetError) -> [Document] {
        var documents: [Document] = []
        try readRows(file) { row in
            documents.append(Document(id: row.id, title: string(row.object["title"]), text: string(row.object["text"])))
        }
        return documents
    }

    static func readQueries(_ file: URL) throws(DatasetError) -> [Query] {
        var queries: [Query] = []
        try readRows(file) { row in queries.append(Query(id: row.id, text: string(row.object["text"]))) }
        return queries
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

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
