import Foundation
import SynthValues

/// Per-cell options, written as leading `#| key: value` lines in the cell.
///
/// ```synth
/// #| label: bm25
/// #| cache: false
/// #| timeout: 600
/// ```
/// `echo: false` hides the source in the report; `error: true` lets the run continue past a failure of
/// this cell (the error is shown as the cell's output); `timeout` is in seconds (no limit by default).
package struct CellOptions: Sendable, Equatable {
    package var label: String?
    package var cache = true
    package var echo = true
    package var error = false
    package var timeout: Double?

    package init() {}

    /// The option names accepted in `#|` lines.
    package static let names = ["label", "cache", "echo", "error", "timeout"]

    /// A canonical text of the options that affect execution (hash input for the cell cache).
    package var cacheKey: String {
        "error=\(error);timeout=\(timeout.map { String($0) } ?? "none")"
    }

    /// Reads the leading `#|` lines of a cell body.
    ///
    /// - Parameters:
    ///   - body: the cell's code as cmark returned it.
    ///   - file: the notebook path, for diagnostics.
    ///   - firstLine: the notebook line of the body's first line.
    /// - Returns: the options, the code after the option lines, and how many lines they took.
    /// - Throws: a ``Diagnostic`` at the offending option for unknown names, bad values or malformed lines.
    package static func parse(_ body: String, file: String, firstLine: Int) throws(Diagnostic)
        -> (options: CellOptions, code: String, optionLines: Int)
    {
        var options = CellOptions()
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var count = 0
        while count < lines.count {
            let line = lines[count]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("#|") else { break }
            let indent = line.count - trimmed.count
            let lineNumber = firstLine + count
            let content = trimmed.dropFirst(2)
            let where_ = { (offset: Int) in SourceLocation(file: file, line: lineNumber, column: indent + 3 + offset) }
            let leading = content.prefix { $0 == " " }.count
            let pair = content.dropFirst(leading)
            guard let colon = pair.firstIndex(of: ":") else {
                throw Diagnostic(.error, "expected `key: value` after `#|`, found \"\(pair)\"", at: where_(leading),
                                 sourceLine: line)
            }
            let key = pair[..<colon].trimmingCharacters(in: .whitespaces)
            let value = pair[pair.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let valueColumn = leading + pair.distance(from: pair.startIndex, to: colon) + 1
                + (pair[pair.index(after: colon)...].prefix { $0 == " " }.count)
            func bool() throws(Diagnostic) -> Bool {
                switch value.lowercased() {
                case "true", "yes": return true
                case "false", "no": return false
                default:
                    throw Diagnostic(.error, "expected true or false for `\(key)`, found \"\(value)\"",
                                     at: where_(valueColumn), sourceLine: line)
                }
            }
            switch key {
            case "label":
                let unquoted = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                guard !unquoted.isEmpty,
                      unquoted.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
                else {
                    throw Diagnostic(.error, "expected a label of letters, digits, `-`, `_` or `.`, found \"\(value)\"",
                                     at: where_(valueColumn), sourceLine: line)
                }
                options.label = unquoted
            case "cache": options.cache = try bool()
            case "echo": options.echo = try bool()
            case "error": options.error = try bool()
            case "timeout":
                guard let seconds = Double(value), seconds > 0 else {
                    throw Diagnostic(.error, "expected a positive number of seconds for `timeout`, found \"\(value)\"",
                                     at: where_(valueColumn), sourceLine: line)
                }
                options.timeout = seconds
            default:
                var notes: [String] = []
                if let near = nearestName(to: key, in: names) { notes.append("did you mean `\(near)`?") }
                notes.append("cell options: " + names.joined(separator: ", "))
                throw Diagnostic(.error, "unknown cell option `\(key)`", at: where_(leading), notes: notes,
                                 sourceLine: line)
            }
            count += 1
        }
        let code = lines[count...].joined(separator: "\n")
        return (options, code.isEmpty ? "" : code + "\n", count)
    }
}
