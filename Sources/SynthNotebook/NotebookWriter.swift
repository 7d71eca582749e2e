/// Writes a sequence of cells as a notebook that ``NotebookParser`` reads back and `synthlab run` reproduces.
///
/// Used by the REPL's `:save`. Each cell becomes a ```` ```synth ```` block; the fence is made longer than
/// any backtick run inside the code so code can never close it early.
package enum NotebookWriter {
    package static func text(title: String, cells: [String], note: String? = nil) -> String {
        var text = "---\ntitle: \"" + title.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"") + "\"\n---\n\n"
        text += "# " + title.replacingOccurrences(of: "\n", with: " ") + "\n\n"
        if let note { text += note + "\n\n" }
        for cell in cells {
            var longest = 0, run = 0
            for ch in cell { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
            let fence = String(repeating: "`", count: max(3, longest + 1))
            let body = cell.hasSuffix("\n") ? cell : cell + "\n"
            text += fence + "synth\n" + body + fence + "\n\n"
        }
        return text
    }
}
