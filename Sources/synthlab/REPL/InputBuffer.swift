/// Collects REPL lines until a statement is complete: no open bracket, and every `def` closed by `end`.
///
/// Strings and `#` comments are skipped when counting; an unclosed string is left for the parser to report.
struct InputBuffer {
    private(set) var lines: [String] = []

    var isEmpty: Bool { lines.isEmpty }
    var text: String { lines.joined(separator: "\n") + "\n" }

    mutating func append(_ line: String) { lines.append(line) }
    mutating func clear() { lines.removeAll() }

    /// True while more lines are needed.
    var needsMore: Bool {
        var depth = 0, blocks = 0
        for line in lines {
            var inString = false, escaped = false
            var word = ""
            var words: [String] = []
            for ch in line {
                if inString {
                    if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                    continue
                }
                if ch == "#" { break }
                if ch == "\"" { inString = true; continue }
                if "([{".contains(ch) { depth += 1 }
                if ")]}".contains(ch) { depth -= 1 }
                if ch.isLetter || ch == "_" { word.append(ch) } else if !word.isEmpty { words.append(word); word = "" }
            }
            if !word.isEmpty { words.append(word) }
            blocks += words.filter { $0 == "def" }.count - words.filter { $0 == "end" }.count
        }
        return depth > 0 || blocks > 0
    }
}
