import Foundation
import Rainbow
import SynthValues

/// Prints diagnostics the one way the CLI prints them: `file:line:col: error: message`, the source line
/// with a caret, then notes; coloured only when stderr is a terminal and `NO_COLOR` is unset.
enum DiagnosticPrinter {
    static var useColor: Bool {
        StandardError.isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    static func print(_ diagnostic: Diagnostic) {
        StandardError.line(render(diagnostic, color: useColor))
    }

    static func render(_ diagnostic: Diagnostic, color: Bool) -> String {
        let plain = diagnostic.rendered()
        guard color else { return plain }
        var lines = plain.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let tag = "\(diagnostic.severity.rawValue):"
        if let range = lines[0].range(of: tag) {
            let painted = diagnostic.severity == .error ? tag.red.bold : tag.yellow.bold
            lines[0] = String(lines[0][..<range.lowerBound]).bold + painted + String(lines[0][range.upperBound...]).bold
        }
        for i in lines.indices where lines[i].trimmingCharacters(in: .whitespaces) == "^" {
            lines[i] = lines[i].green.bold
        }
        return lines.joined(separator: "\n")
    }
}

/// An error the CLI has already reported; it only carries the exit status.
struct ReportedFailure: Error {
    var status: Int32
}

extension Error {
    /// Prints this error as a diagnostic (once) and returns the exit status for it: 1 for bad input.
    @discardableResult
    func reportAsDiagnostic() -> Int32 {
        if let reported = self as? ReportedFailure { return reported.status }
        DiagnosticPrinter.print(asDiagnostic)
        return 1
    }
}
