import ArgumentParser
import Foundation

/// The CLI's exit statuses: 0 success, 1 a cell failed or the input was bad, 2 usage errors.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

extension SynthLab {
    /// Parses and runs the command, mapping errors to one message and the documented exit statuses.
    ///
    /// argument-parser's own usage errors (64 by default) become status 2; help and version exit 0;
    /// errors from commands are printed once as diagnostics and exit 1.
    static func runMappingExitStatus() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(ExitStatus.success)
        } catch let reported as ReportedFailure {
            Foundation.exit(reported.status)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Self.exit(withError: error)
            }
            if code == .validationFailure {
                StandardError.line(fullMessage(for: error))
                Foundation.exit(ExitStatus.usage)
            }
            Foundation.exit(error.reportAsDiagnostic())
        }
    }
}
