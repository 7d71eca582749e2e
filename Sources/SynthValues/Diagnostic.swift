/// A message for the user about their input: what went wrong, where, and what was expected.
///
/// Every stage (datasets, the notebook reader, the language, the commands) converts its errors
/// into a `Diagnostic`, which the CLI prints with a caret under the column and the report shows
/// beside the failed cell. Messages are lowercase, without a final full stop, in the form
/// "expected X, found Y"; `notes` carry hints such as "did you mean `evaluate`?".
public struct Diagnostic: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    public var notes: [String]
    /// The text of the offending line, when known, so the caret can be drawn under it.
    public var sourceLine: String?

    public init(
        _ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil,
        notes: [String] = [], sourceLine: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
        self.sourceLine = sourceLine
    }

    /// `file:line:col: error: message`, then the source line with a caret, then the notes.
    public var description: String { rendered() }

    /// Renders the diagnostic as a compiler would; `caret` draws the source line and a `^` under the column.
    public func rendered(caret: Bool = true) -> String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): \(message)"
        if caret, let sourceLine, let column = location?.column {
            let prefix = String(sourceLine.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " })
            text += "\n    \(sourceLine)\n    \(prefix)^"
        }
        for note in notes { text += "\n  note: \(note)" }
        return text
    }
}

/// Errors that can describe themselves as a ``Diagnostic``.
public protocol DiagnosticConvertible: Error {
    var diagnostic: Diagnostic { get }
}

extension Diagnostic: DiagnosticConvertible {
    public var diagnostic: Diagnostic { self }
}

extension Error {
    /// This error as a diagnostic: its own when it has one, otherwise its description.
    public var asDiagnostic: Diagnostic {
        if let convertible = self as? any DiagnosticConvertible { return convertible.diagnostic }
        return Diagnostic(.error, String(describing: self))
    }
}
