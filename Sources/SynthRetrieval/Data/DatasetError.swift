import Foundation
import SynthValues

/// Why a BEIR dataset could not be loaded, resolved or downloaded.
///
/// Every case names the file (and line, when there is one) and what was expected, and converts to
/// a ``Diagnostic`` whose message is lowercase without a final full stop.
package enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible, DiagnosticConvertible {
    /// A required file (`corpus.jsonl`, `queries.jsonl`, `qrels/`) is absent.
    case missingFile(path: String, expected: String)
    /// A file exists but cannot be read or decompressed.
    case unreadable(path: String, reason: String)
    /// A JSON Lines row is not a JSON object.
    case malformedJSON(SourceLocation, detail: String, sourceLine: String)
    /// A JSON Lines row lacks a required field or has it with the wrong type.
    case missingField(SourceLocation, field: String, sourceLine: String)
    /// An identifier appears twice in the same file.
    case duplicateID(SourceLocation, id: String, firstLine: Int, sourceLine: String)
    /// A qrels row does not have the expected fields.
    case badQrelsRow(SourceLocation, message: String, sourceLine: String)
    /// The requested split has no `qrels/<split>.tsv`.
    case unknownSplit(split: String, path: String, available: [String])
    /// A dataset name is neither a folder nor a known BEIR dataset.
    case unknownDataset(name: String, searched: [String], suggestion: String?)
    /// The download failed (network, HTTP status, unzip).
    case downloadFailed(url: String, reason: String)
    /// The downloaded archive does not have the published checksum.
    case checksumMismatch(url: String, expected: String, found: String)

    package var diagnostic: Diagnostic {
        switch self {
        case .missingFile(let path, let expected):
            return Diagnostic(.error, "missing file: expected \(expected)", at: SourceLocation(file: path))
        case .unreadable(let path, let reason):
            return Diagnostic(.error, "cannot read file: \(reason)", at: SourceLocation(file: path))
        case .malformedJSON(let location, let detail, let line):
            return Diagnostic(.error, "expected a JSON object, found \(detail)", at: location, sourceLine: line)
        case .missingField(let location, let field, let line):
            return Diagnostic(.error, "expected a string field \"\(field)\", found none", at: location,
                              sourceLine: line)
        case .duplicateID(let location, let id, let firstLine, let line):
            return Diagnostic(.error, "duplicate id \"\(id)\" (first seen on line \(firstLine))", at: location,
                              sourceLine: line)
        case .badQrelsRow(let location, let message, let line):
            return Diagnostic(.error, message, at: location, sourceLine: line)
        case .unknownSplit(let split, let path, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            var notes: [String] = []
            if let near = nearestName(to: split, in: available) { notes.append("did you mean \"\(near)\"?") }
            return Diagnostic(.error, "unknown split \"\(split)\": expected one of \(list)",
                              at: SourceLocation(file: path), notes: notes)
        case .unknownDataset(let name, let searched, let suggestion):
            var notes = searched.map { "looked in \($0)" }
            if let suggestion { notes.append("did you mean \"\(suggestion)\"?") }
            return Diagnostic(.error, "unknown dataset \"\(name)\": expected a BEIR folder or a BEIR dataset name",
                              notes: notes)
        case .downloadFailed(let url, let reason):
            return Diagnostic(.error, "download failed: \(reason)", at: SourceLocation(file: url))
        case .checksumMismatch(let url, let expected, let found):
            return Diagnostic(.error, "checksum mismatch: expected md5 \(expected), found \(found)",
                              at: SourceLocation(file: url))
        }
    }

    package var description: String { diagnostic.rendered(caret: false) }
}
