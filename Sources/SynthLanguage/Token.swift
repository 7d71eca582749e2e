import SynthValues

/// A position in source plus the text of its line, so diagnostics can draw a caret.
package struct Span: Sendable, Equatable {
    package var location: SourceLocation
    package var lineText: String

    package init(location: SourceLocation, lineText: String) {
        self.location = location
        self.lineText = lineText
    }

    /// A diagnostic at this position.
    package func diagnostic(_ message: String, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: location, notes: notes, sourceLine: lineText)
    }

    /// `line 3` or `line 3, column 7`, for messages that point back at an earlier place.
    package var shortDescription: String {
        "\(location.line.map(String.init) ?? "?"):\(location.column.map(String.init) ?? "?")"
    }
}

/// One lexical token of the language.
package struct Token: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case identifier(String)
        case integer(Int)
        case decimal(Double)
        case string(String)
        /// `def`, `end`, `import`, `return`, `true`, `false`, `null`.
        case keyword(String)
        /// One of `= , : . ( ) [ ] { }`.
        case symbol(Character)
        case newline
        case endOfInput
    }

    package var kind: Kind
    package var span: Span
    /// The token as written (for normalized source).
    package var text: String

    /// The token as messages name it: identifier `x`, number 3, string "a", `=`, end of line.
    package var described: String {
        switch kind {
        case .identifier(let name): "identifier `\(name)`"
        case .integer, .decimal: "number \(text)"
        case .string: "string \(text)"
        case .keyword(let word): "`\(word)`"
        case .symbol(let symbol): "`\(symbol)`"
        case .newline: "end of line"
        case .endOfInput: "end of input"
        }
    }

    package var isEndOfStatement: Bool {
        switch kind {
        case .newline, .endOfInput: true
        default: false
        }
    }

    package func isSymbol(_ symbol: Character) -> Bool { kind == .symbol(symbol) }
    package func isKeyword(_ word: String) -> Bool { kind == .keyword(word) }
}

/// Words the language reserves.
package let languageKeywords: Set<String> = ["def", "end", "import", "return", "true", "false", "null"]
