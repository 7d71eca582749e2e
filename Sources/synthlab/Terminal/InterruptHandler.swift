import Dispatch
import Foundation
import SynthCommands

/// Ctrl-C (SIGINT) and SIGTERM during `synthlab run`: stop the local LLM servers, then exit.
///
/// The run stops where it is (answers already received are in the response store, so the next run
/// resumes without repeating them); the local llama.cpp servers are stopped before synthlab exits with
/// 128 + the signal number (130 for Ctrl-C). A second signal while stopping exits at once; the server
/// watchdogs then finish the job. Keep the returned handler alive for the whole run.
final class InterruptHandler: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let lock = NSLock()
    private var stopping = false

    private init(signals: [Int32]) {
        let queue = DispatchQueue(label: "synthlab.interrupts")
        sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
    }

    /// Starts handling SIGINT and SIGTERM instead of dying at once.
    static func install() -> InterruptHandler {
        let handler = InterruptHandler(signals: [SIGINT, SIGTERM])
        for (source, number) in zip(handler.sources, [SIGINT, SIGTERM]) {
            signal(number, SIG_IGN)
            source.setEventHandler { [handler] in handler.received(number) }
            source.resume()
        }
        return handler
    }

    private func received(_ number: Int32) {
        let first = lock.withLock {
            defer { stopping = true }
            return !stopping
        }
        guard first else { Foundation.exit(128 + number) }
        StandardError.line(number == SIGINT ? "\ninterrupted: stopping" : "terminated: stopping")
        Task.detached {
            await LocalTeacherServers.stopAll()
            Foundation.exit(128 + number)
        }
    }
}
