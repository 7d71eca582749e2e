import Foundation

/// Writes to the process's standard error (progress, diagnostics); stdout stays for results.
enum StandardError {
    /// Whether stderr is a terminal (progress then redraws one line instead of printing many).
    static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func line(_ text: String) { write(text + "\n") }
}
