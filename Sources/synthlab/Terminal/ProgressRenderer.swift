import Foundation
import SynthCommands
import SynthNotebook

/// Renders a notebook run's progress on stderr.
///
/// On a terminal, one status line is redrawn in place (cell, count, rate, ETA of the running command) and
/// a permanent line is printed as each cell finishes. Otherwise only the permanent lines are printed, one per
/// cell (`[3/12] label … done in 4.2 s`), so logs stay readable. Events may arrive from any task; a lock
/// serialises them.
final class ProgressRenderer: @unchecked Sendable {  // `lock` guards every mutable field
    private let lock = NSLock()
    private let interactive: Bool
    private let quiet: Bool
    private var current: (index: Int, total: Int, label: String)?
    private var commandStart: (label: String, time: ContinuousClock.Instant)?
    private var lastDraw = ContinuousClock.now
    private var statusShown = false

    init(interactive: Bool = StandardError.isTerminal, quiet: Bool = false) {
        self.interactive = interactive
        self.quiet = quiet
    }

    func handle(_ event: RunEvent) {
        lock.withLock {
            guard !quiet else { return }
            switch event {
            case .cellStarted(let index, let total, let label):
                current = (index, total, label)
                commandStart = nil
                if interactive { draw("[\(index + 1)/\(total)] \(label) …") }
            case .cellFinished(let index, let total, let label, let status, let seconds):
                clearStatus()
                let prefix = "[\(index + 1)/\(total)] \(label) …"
                let text: String = switch status {
                case .ran: "done in \(Self.seconds(seconds))"
                case .cached: "cached"
                case .failed: "FAILED after \(Self.seconds(seconds))"
                case .failedAllowed: "failed (error: true), continuing"
                case .skipped: "skipped (upstream failed)"
                case .notRun: "not run (a cell failed its check)"
                }
                StandardError.line("\(prefix) \(text)")
                current = nil
            case .progress(let progress):
                guard interactive else { return }
                let now = ContinuousClock.now
                if commandStart?.label != progress.label { commandStart = (progress.label, now) }
                guard now - lastDraw > .milliseconds(100) || progress.count == progress.total else { return }
                lastDraw = now
                var text = current.map { "[\($0.index + 1)/\($0.total)] \($0.label) … " } ?? ""
                text += "\(progress.label) \(progress.count)"
                if let total = progress.total { text += "/\(total)" }
                if let start = commandStart?.time {
                    let elapsed = (now - start).seconds
                    if elapsed > 0.5, progress.count > 0 {
                        let rate = Double(progress.count) / elapsed
                        text += String(format: " (%.1f/s", rate)
                        if let total = progress.total, total > progress.count {
                            text += ", ETA " + Self.seconds(Double(total - progress.count) / rate)
                        }
                        text += ")"
                    }
                }
                draw(text)
            }
        }
    }

    /// Clears the status line before other output is printed.
    func finish() { lock.withLock { clearStatus() } }

    private func draw(_ text: String) {
        let width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        StandardError.write("\r\u{1B}[2K" + String(text.prefix(max(20, width - 1))))
        statusShown = true
    }

    private func clearStatus() {
        if statusShown { StandardError.write("\r\u{1B}[2K") }
        statusShown = false
    }

    static func seconds(_ value: Double) -> String {
        if value >= 3600 { return String(format: "%dh%02dm", Int(value) / 3600, Int(value) % 3600 / 60) }
        if value >= 60 { return String(format: "%dm%02ds", Int(value) / 60, Int(value) % 60) }
        return String(format: "%.1f s", value)
    }
}
