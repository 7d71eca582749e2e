import CReadline
import Foundation

/// Reads input lines: GNU readline (editing, history, completion) on a terminal, plain lines otherwise,
/// so the REPL can be scripted through a pipe without prompts or echoed input in its output.
final class LineReader {
    let interactive: Bool
    private let historyFile: String?

    init(historyFile: String?, interactive: Bool = isatty(STDIN_FILENO) != 0) {
        self.interactive = interactive
        self.historyFile = historyFile
        guard interactive else { return }
        // readline keeps these pointers, so they must outlive the call: strdup'd once, never freed.
        synth_rl_set_name(strdup("synthlab"))
        synth_rl_set_completion(replCompletionHook)
        synth_rl_set_quote_characters(strdup("\""))
        synth_rl_set_break_characters(strdup(" \t\n\"(),[]{}="))
        stifle_history(2000)
        if let historyFile { _ = read_history(historyFile) }  // ENOENT on first use is fine
    }

    /// The next line without its newline, or `nil` at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Adds an entered (possibly multi-line) input to the history.
    func remember(_ entry: String) {
        guard interactive, !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
    }

    /// Saves the history file.
    func saveHistory() {
        guard interactive, let historyFile else { return }
        _ = write_history(historyFile)
        _ = history_truncate_file(historyFile, 2000)
    }
}
