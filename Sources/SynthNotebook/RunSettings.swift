import Foundation
import SynthCommands

/// How to run a notebook: caching, output and LLM policy, and the command that reproduces the run.
package struct RunSettings: Sendable {
    /// Where reports go (`reports/` under the current folder by default).
    package var outputFolder: URL
    /// Read and write the cell cache (`--no-cache` turns both off).
    package var useCache = true
    /// Labels to recompute even when cached (`--refresh LABEL`); cells reading their variables recompute too.
    package var refresh: Set<String> = []
    package var offline = false
    package var allowUnsafe = false
    /// The command line, recorded in provenance.
    package var command = ""
    /// Folders searched by `import`, after the notebook's own folder.
    package var importPaths: [URL] = []

    package init(outputFolder: URL) { self.outputFolder = outputFolder }
}

/// What the runner reports while it works; the CLI renders these on stderr.
package enum RunEvent: Sendable {
    case cellStarted(index: Int, total: Int, label: String)
    case cellFinished(index: Int, total: Int, label: String, status: CellStatusSummary, seconds: Double)
    /// Progress from inside a long command of the running cell.
    case progress(ProgressEvent)
}

/// How a cell ended, for progress lines.
package enum CellStatusSummary: String, Sendable {
    case ran, cached, failed, failedAllowed = "failed (error: true)", skipped
    /// A cell before the one that failed its check: nothing runs when a check fails.
    case notRun = "not run"
}
