/// A position in a source file: a notebook, a data file, a prompt template.
///
/// Lines and columns are 1-based, as editors show them. A location without a line names
/// only the file (for example a file that could not be opened).
public struct SourceLocation: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative, so messages stay short).
    public var file: String
    /// 1-based line, or `nil` when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column, or `nil` when only the line is known.
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, dropping the parts that are unknown.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if line != nil, let column { text += ":\(column)" }
        return text
    }
}
