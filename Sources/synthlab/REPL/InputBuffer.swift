/// Collects REPL lines until a statement is complete.
///
/// More lines are needed while a bracket is open, a `def` lacks its `end`, a `"""` string is open, or
/// the last line ends with a `\` continuation. Strings and `#` comments are skipped when counting; an
/// unclosed one-line string is left for the parser to report.
struct InputBuffer {
    private(set) var lines: [String] = []

    var isEmpty: Bool { lines.isEmpty }
    var text: String { lines.joined(separator: "\n") + "\n" }

    mutating func append(_ line: String) { lines.append(line) }
    mutating func clear() { lines.removeAll() }

    /// True while more lines are needed.
    var needsMore: Bool {
        var depth = 0, blocks = 0
        var inTriple = false
        var continued = false
        for line in lines {
            let chars = Array(line)
            var inString = false, escaped = false
            var word = ""
            var words: [String] = []
            var lastCode: Character?
            var i = 0
            while i < chars.count {
                let ch = chars[i]
                let triple = ch == "\"" && i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\""
                if inTriple {
                    if triple { inTriple = false; i += 3 } else { i += 1 }
                    continue
                }
                if inString {
                    if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                    i += 1
                    continue
                }
                if ch == "#" { break }
                if triple { inTriple = true; i += 3; continue }
                if ch == "\"" { inString = true; i += 1; continue }
                if "([{".contains(ch) { depth += 1 }
                if ")]}".contains(ch) { depth -= 1 }
                if ch.isLetter || ch == "_" { word.append(ch) } else if !word.isEmpty { words.append(word); word = "" }
                if !ch.isWhitespace { lastCode = ch }
                i += 1
            }
            if !word.isEmpty { words.append(word) }
            blocks += words.filter { $0 == "def" }.count - words.filter { $0 == "end" }.count
            continued = !inTriple && lastCode == "\\"
        }
        return depth > 0 || blocks > 0 || inTriple || continued
    }
}
