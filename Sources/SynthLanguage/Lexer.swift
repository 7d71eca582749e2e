import SynthValues

/// Splits source text into ``Token``s.
///
/// `#` starts a comment to the end of the line. A `\` at the end of a line joins the next line, and
/// newlines inside `( )`, `[ ]` and `{ }` are ignored, so long statements can span lines. Strings are
/// `"…"` with the escapes `\n \t \" \\`, or `"""…"""` spanning lines.
package struct Lexer {
    private let lines: [String]
    private let characters: [Character]
    private let base: SourceLocation
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0

    /// A lexer for `source` whose first line sits at `base` (file, line, column).
    package init(_ source: String, at base: SourceLocation) {
        var text = source.replacingOccurrences(of: "\r\n", with: "\n")
        text = text.replacingOccurrences(of: "\r", with: "\n")
        self.characters = Array(text)
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        self.base = base
    }

    /// All tokens, ending with ``Token/Kind/endOfInput``.
    package mutating func tokenize() throws(LexError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            if token.kind == .newline, tokens.last?.kind == .newline || tokens.isEmpty { continue }
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    // MARK: - Positions

    private func span(line: Int, column: Int) -> Span {
        let absoluteLine = (base.line ?? 1) + line - 1
        let absoluteColumn = line == 1 ? (base.column ?? 1) + column - 1 : column
        let text = line - 1 < lines.count ? lines[line - 1] : ""
        return Span(
            location: SourceLocation(file: base.file, line: absoluteLine, column: absoluteColumn), lineText: text)
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }
    private func peek(_ offset: Int = 1) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    // MARK: - Tokens

    private mutating func next() throws(LexError) -> Token {
        skipBlanksAndComments()
        let startLine = line
        let startColumn = column
        let start = index
        let here = span(line: startLine, column: startColumn)
        guard let c = current else { return Token(kind: .endOfInput, span: here, text: "") }
        func text() -> String { String(characters[start..<index]) }

        if c == "\n" {
            advance()
            if depth > 0 { return try next() }
            return Token(kind: .newline, span: here, text: "\n")
        }
        if c == "\\" {
            advance()
            skipSpaces()
            if current == "#" { skipComment() }
            guard let after = current else { throw .badContinuation(found: "end of input", here) }
            guard after == "\n" else { throw .badContinuation(found: "`\(after)`", span(line: line, column: column)) }
            advance()
            return try next()
        }
        if c == "\"" { return try string(here: here, start: start) }
        if c.isNumber || (c == "-" && (peek()?.isNumber ?? false)) { return try number(here: here, start: start) }
        if c.isLetter || c == "_" {
            while let d = current, d.isLetter || d.isNumber || d == "_" { advance() }
            let word = text()
            return Token(
                kind: languageKeywords.contains(word) ? .keyword(word) : .identifier(word), span: here, text: word)
        }
        if "=,:.()[]{}".contains(c) {
            if "([{".contains(c) { depth += 1 }
            if ")]}".contains(c) { depth = max(0, depth - 1) }
            advance()
            return Token(kind: .symbol(c), span: here, text: String(c))
        }
        throw .unexpectedCharacter(c, here)
    }

    private mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    private mutating func skipComment() {
        while let c = current, c != "\n" { advance() }
    }

    private mutating func skipBlanksAndComments() {
        while true {
            skipSpaces()
            if current == "#" { skipComment() } else { return }
        }
    }

    private mutating func number(here: Span, start: Int) throws(LexError) -> Token {
        if current == "-" { advance() }
        while let d = current, d.isNumber || d.isLetter || d == "." || d == "_" {
            if d == "e" || d == "E", peek() == "-" || peek() == "+" { advance() }
            advance()
        }
        let text = String(characters[start..<index])
        let cleaned = text.replacingOccurrences(of: "_", with: "")
        let isDecimalShape = cleaned.allSatisfy { $0.isNumber || "-+.eE".contains($0) }
        if isDecimalShape, !cleaned.contains("."), !cleaned.lowercased().contains("e"), let int = Int(cleaned) {
            return Token(kind: .integer(int), span: here, text: text)
        }
        if isDecimalShape, cleaned.last?.isNumber == true, let double = Double(cleaned), double.isFinite {
            return Token(kind: .decimal(double), span: here, text: text)
        }
        throw .badNumber(text, here)
    }

    private mutating func string(here: Span, start: Int) throws(LexError) -> Token {
        let triple = peek() == "\"" && peek(2) == "\""
        for _ in 0..<(triple ? 3 : 1) { advance() }
        var value = ""
        while true {
            guard let c = current else { throw .unterminatedString(here) }
            if !triple, c == "\n" { throw .unterminatedString(here) }
            if c == "\"" {
                if !triple {
                    advance()
                    break
                }
                if peek() == "\"", peek(2) == "\"" {
                    advance()
                    advance()
                    advance()
                    break
                }
            }
            if c == "\\", let escaped = peek() {
                advance()
                advance()
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    value.append("\\")
                    value.append(escaped)
                }
                continue
            }
            value.append(c)
            advance()
        }
        if triple { value = dedentTripleQuoted(value) }
        return Token(kind: .string(value), span: here, text: String(characters[start..<index]))
    }

    /// Drops a leading newline and the common indentation of a `"""` string.
    private func dedentTripleQuoted(_ value: String) -> String {
        var lines = value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.first?.allSatisfy({ $0 == " " || $0 == "\t" }) == true, lines.count > 1 { lines.removeFirst() }
        if lines.last?.allSatisfy({ $0 == " " || $0 == "\t" }) == true, lines.count > 1 { lines.removeLast() }
        let indent =
            lines.filter { !$0.allSatisfy(\.isWhitespace) }
            .map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " || $0 == "\t" }.count))) }
            .joined(separator: "\n")
    }
}
